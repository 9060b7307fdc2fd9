//! A model's answer in repository mode: edits to several files (changes, new files,
//! deletions, renames), checked and merged all or nothing. Every problem is a
//! sentence the model can act on in a repair round; one refused edit means nothing
//! is written.

use crate::apply::{apply_edit, EditFormat};
use crate::fragment::checks::{check_path_set, check_relative_path};
use crate::fragment::project::FileChange;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The answer: what changes and why, and one entry per file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepoAnswer {
    /// What you change and why, in a few sentences (the first line becomes the
    /// commit subject).
    pub commentary: String,
    /// One entry per file you change, create, delete or rename.
    pub edits: Vec<RepoEdit>,
}

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EditAction {
    /// Change an existing file with a lazy edit.
    Edit,
    /// Create a new file with its whole content.
    Create,
    /// Delete an existing file (`edit` empty).
    Delete,
    /// Move the file to `new_path`; `edit` empty keeps its content, else a lazy edit.
    Rename,
}

/// One file's edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepoEdit {
    /// Relative path of the file, `/`-separated.
    pub file_path: String,
    pub action: EditAction,
    /// The new path for `rename`; empty otherwise.
    pub new_path: String,
    /// What this edit does, in one sentence.
    pub instruction: String,
    /// For `edit` (and optionally `rename`): the changed code with unchanged regions
    /// elided by a marker comment such as `// ... existing code ...`. For `create`: the
    /// whole file. For `delete`: empty.
    pub edit: String,
}

/// The merged answer: the file changes, and which of them are renames.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeSet {
    pub changes: Vec<FileChange>,
    /// `(from, to)`: the deletion of `from` and the addition of `to` are one move.
    pub renames: Vec<(String, String)>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Every path the change set writes or removes.
    pub fn paths(&self) -> Vec<String> {
        self.changes.iter().map(|c| c.path.clone()).collect()
    }
}

/// How the current text of a file is read: `Ok(None)` when it does not exist,
/// `Err(reason)` when it exists but cannot be edited (binary, a link, a folder).
pub type ReadFile<'a> = dyn Fn(&str) -> Result<Option<String>, String> + 'a;

/// Checks and merges an answer. `allowed`: when given, the only paths it may touch.
/// Returns every problem (for a repair round) or the whole change set.
pub fn plan(
    answer: &RepoAnswer,
    read: &ReadFile<'_>,
    allowed: Option<&[String]>,
) -> Result<ChangeSet, Vec<String>> {
    let mut problems = Vec::new();
    if answer.edits.is_empty() {
        problems.push("edits is empty; give at least one file edit".to_string());
    }
    let mut written: Vec<&str> = Vec::new();
    for edit in &answer.edits {
        written.push(&edit.file_path);
        if edit.action == EditAction::Rename {
            written.push(&edit.new_path);
        }
    }
    for path in &written {
        if let Err(reason) = check_relative_path(path) {
            problems.push(format!("file_path `{path}`: {reason}"));
        } else if let Some(allowed) = allowed {
            if !allowed.iter().any(|a| a == path) {
                problems.push(format!(
                    "file_path `{path}` was not named; change only {}",
                    allowed.join(", ")
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    problems.extend(check_path_set(written.iter().copied()));
    let mut set = ChangeSet::default();
    for edit in &answer.edits {
        match plan_one(edit, read, &mut set) {
            Ok(()) => {}
            Err(problem) => problems.push(format!("`{}`: {problem}", edit.file_path)),
        }
    }
    if problems.is_empty() {
        Ok(set)
    } else {
        Err(problems)
    }
}

fn plan_one(edit: &RepoEdit, read: &ReadFile<'_>, set: &mut ChangeSet) -> Result<(), String> {
    let path = &edit.file_path;
    let current = read(path)?;
    if edit.action != EditAction::Rename && !edit.new_path.is_empty() {
        return Err("new_path is only for action `rename`; leave it empty".into());
    }
    match (edit.action, current) {
        (EditAction::Create, Some(_)) => Err(
            "already exists; use action `edit` with a lazy edit of it (or `delete` first)".into(),
        ),
        (EditAction::Create, None) => {
            push(set, path, None, Some(edit.edit.clone()));
            Ok(())
        }
        (EditAction::Edit | EditAction::Delete | EditAction::Rename, None) => {
            Err("does not exist; use action `create` for a new file, with its whole content".into())
        }
        (EditAction::Edit, Some(old)) => {
            let merged = merge(&old, &edit.edit)?;
            if merged != old {
                push(set, path, Some(old), Some(merged));
            }
            Ok(())
        }
        (EditAction::Delete, Some(old)) => {
            if !edit.edit.trim().is_empty() {
                return Err("a deletion has an empty edit".into());
            }
            push(set, path, Some(old), None);
            Ok(())
        }
        (EditAction::Rename, Some(old)) => {
            let to = &edit.new_path;
            if read(to)?.is_some() {
                return Err(format!("cannot be renamed to `{to}`: that file exists"));
            }
            let content = match edit.edit.trim().is_empty() {
                true => old.clone(),
                false => merge(&old, &edit.edit)?,
            };
            push(set, path, Some(old), None);
            push(set, to, None, Some(content));
            set.renames.push((path.clone(), to.clone()));
            Ok(())
        }
    }
}

fn push(set: &mut ChangeSet, path: &str, old: Option<String>, new: Option<String>) {
    set.changes.push(FileChange {
        path: path.to_string(),
        old,
        new,
    });
}

fn merge(original: &str, edit: &str) -> Result<String, String> {
    apply_edit(original, edit, EditFormat::Auto)
        .map(|applied| applied.content)
        .map_err(|refusal| {
            format!(
                "the edit cannot be applied: {}",
                refusal.to_model_feedback()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(path: &str, action: EditAction, new_path: &str, text: &str) -> RepoEdit {
        RepoEdit {
            file_path: path.into(),
            action,
            new_path: new_path.into(),
            instruction: String::new(),
            edit: text.into(),
        }
    }

    fn files(path: &str) -> Result<Option<String>, String> {
        Ok(match path {
            "a.py" => Some("def a():\n    return 1\n\n\ndef b():\n    return 2\n".into()),
            "b.py" => Some("X = 1\n".into()),
            _ => None,
        })
    }

    #[test]
    fn edits_creations_deletions_and_renames_become_one_change_set() {
        let answer = RepoAnswer {
            commentary: "c".into(),
            edits: vec![
                edit("a.py", EditAction::Edit, "", "def b():\n    return 3\n"),
                edit("b.py", EditAction::Rename, "c.py", ""),
                edit("d.py", EditAction::Create, "", "print(1)\n"),
            ],
        };
        let set = plan(&answer, &files, None).unwrap_or_default();
        assert_eq!(set.changes.len(), 4, "{set:?}");
        assert_eq!(set.renames, [("b.py".to_string(), "c.py".to_string())]);
        assert!(set.changes[0]
            .new
            .as_deref()
            .is_some_and(|t| t.ends_with("return 3\n") && t.contains("return 1")));
    }

    #[test]
    fn one_bad_edit_refuses_the_whole_answer_with_every_problem() {
        let answer = RepoAnswer {
            commentary: "c".into(),
            edits: vec![
                edit("a.py", EditAction::Edit, "", "def zzz():\n    return 3\n"),
                edit("missing.py", EditAction::Delete, "", ""),
                edit("b.py", EditAction::Create, "", "X = 2\n"),
            ],
        };
        let problems = plan(&answer, &files, None).err().unwrap_or_default();
        assert_eq!(problems.len(), 3, "{problems:?}");
        let escape = RepoAnswer {
            commentary: "c".into(),
            edits: vec![edit(".git/config", EditAction::Create, "", "x")],
        };
        assert!(plan(&escape, &files, None).is_err());
        let outside = RepoAnswer {
            commentary: "c".into(),
            edits: vec![edit("b.py", EditAction::Delete, "", "")],
        };
        let allowed = ["a.py".to_string()];
        assert!(plan(&outside, &files, Some(&allowed)).is_err());
    }
}
