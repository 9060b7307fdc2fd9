//! A change set as one patch in git's format, which `git apply` and `patch -p1`
//! accept: new, deleted and renamed files included, the file mode kept.

use super::answer::ChangeSet;
use crate::fragment::project::FileChange;
use similar::TextDiff;

/// The mode of a regular file as git writes it: `100755` when executable.
pub fn git_mode(mode: u32) -> &'static str {
    if mode & 0o111 != 0 {
        "100755"
    } else {
        "100644"
    }
}

/// One file's section of the patch. `renamed_from` names the old path of a move (its
/// content is `change.old`); `mode` is the file's permission bits (new files: 0o644).
pub fn file_patch(change: &FileChange, renamed_from: Option<&str>, mode: u32) -> String {
    let path = quoted(&change.path);
    let mode = git_mode(mode);
    let mut out = String::new();
    let (old_label, new_label) = match (renamed_from, &change.old, &change.new) {
        (Some(from), _, _) => {
            let from = quoted(from);
            out.push_str(&format!("diff --git a/{from} b/{path}\n"));
            out.push_str(&format!("rename from {from}\nrename to {path}\n"));
            (format!("a/{from}"), format!("b/{path}"))
        }
        (None, None, _) => {
            out.push_str(&format!(
                "diff --git a/{path} b/{path}\nnew file mode {mode}\n"
            ));
            ("/dev/null".to_string(), format!("b/{path}"))
        }
        (None, Some(_), None) => {
            out.push_str(&format!(
                "diff --git a/{path} b/{path}\ndeleted file mode {mode}\n"
            ));
            (format!("a/{path}"), "/dev/null".to_string())
        }
        (None, Some(_), Some(_)) => {
            out.push_str(&format!("diff --git a/{path} b/{path}\n"));
            (format!("a/{path}"), format!("b/{path}"))
        }
    };
    let old = change.old.as_deref().unwrap_or("");
    let new = change.new.as_deref().unwrap_or("");
    let diff = TextDiff::from_lines(old, new);
    let hunks: String = diff
        .unified_diff()
        .context_radius(3)
        .iter_hunks()
        .map(|hunk| hunk.to_string())
        .collect();
    if !hunks.is_empty() {
        out.push_str(&format!("--- {old_label}\n+++ {new_label}\n{hunks}"));
    }
    out
}

/// The whole change set as one patch, files in path order, each move as one rename.
/// `mode_of` gives the permission bits of an existing file.
pub fn git_patch(set: &ChangeSet, mode_of: &dyn Fn(&str) -> Option<u32>) -> String {
    sections(set, mode_of)
        .into_iter()
        .map(|section| section.patch)
        .collect()
}

/// One file's part of a change set, as `--json` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Section {
    pub path: String,
    /// `added`, `modified`, `deleted` or `renamed`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(rename = "diff")]
    pub patch: String,
}

/// The sections of a change set in path order; a move is one section (at its new path).
pub fn sections(set: &ChangeSet, mode_of: &dyn Fn(&str) -> Option<u32>) -> Vec<Section> {
    let mut sections = Vec::new();
    for change in &set.changes {
        let moved_away = change.new.is_none() && set.renames.iter().any(|(f, _)| f == &change.path);
        if moved_away {
            continue;
        }
        let from = set
            .renames
            .iter()
            .find(|(_, to)| to == &change.path)
            .map(|(f, _)| f.clone());
        let (patch, status) = match &from {
            Some(from) => {
                let old = set.changes.iter().find(|c| &c.path == from);
                let moved = FileChange {
                    path: change.path.clone(),
                    old: old.and_then(|c| c.old.clone()),
                    new: change.new.clone(),
                };
                let mode = mode_of(from).unwrap_or(0o644);
                (file_patch(&moved, Some(from), mode), "renamed")
            }
            None => {
                let mode = mode_of(&change.path).unwrap_or(0o644);
                let status = match (&change.old, &change.new) {
                    (None, _) => "added",
                    (Some(_), None) => "deleted",
                    _ => "modified",
                };
                (file_patch(change, None, mode), status)
            }
        };
        sections.push(Section {
            path: change.path.clone(),
            status,
            from,
            patch,
        });
    }
    sections.sort_by(|a, b| a.path.cmp(&b.path));
    sections
}

/// A path as git writes it in a header: C-quoted when it holds a quote or a byte
/// outside printable ASCII.
fn quoted(path: &str) -> String {
    if path.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'"') {
        return path.to_string();
    }
    let mut out = String::from("\"");
    for byte in path.bytes() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(byte as char),
            _ => out.push_str(&format!("\\{byte:03o}")),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_say_new_deleted_and_renamed() {
        let added = FileChange {
            path: "n.py".into(),
            old: None,
            new: Some("x = 1".into()),
        };
        let text = file_patch(&added, None, 0o644);
        assert!(text.starts_with("diff --git a/n.py b/n.py\nnew file mode 100644\n--- /dev/null\n+++ b/n.py\n@@ -0,0 +1 @@\n+x = 1\n\\ No newline at end of file\n"), "{text}");
        let deleted = FileChange {
            path: "run.sh".into(),
            old: Some("echo\n".into()),
            new: None,
        };
        assert!(file_patch(&deleted, None, 0o755)
            .contains("deleted file mode 100755\n--- a/run.sh\n+++ /dev/null\n"));
        assert_eq!(quoted("caf\u{e9}.py"), "\"caf\\303\\251.py\"");
    }
}
