//! Telling edit formats apart, and unwrapping a Markdown code fence around an edit.

use super::types::EditFormat;
use super::{patch, search_replace, udiff};

/// The inside of the edit's one Markdown code fence, when the edit has exactly one
/// fenced block (prose around it is dropped). Left alone when the original file has a
/// line like the fence (a Markdown file), or when there is no single fenced block.
pub(crate) fn strip_fence<'e>(edit: &'e str, original: &str) -> &'e str {
    let mut lines = Vec::new();
    let mut pos = 0;
    for l in edit.split_inclusive('\n') {
        lines.push((pos, l));
        pos += l.len();
    }
    let fences: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].1.trim_start().starts_with("```"))
        .collect();
    let [open, close] = fences[..] else {
        return edit;
    };
    let open_text = lines[open].1.trim();
    if lines[close].1.trim() != "```" || original.lines().any(|l| l.trim() == open_text) {
        return edit;
    }
    let from = lines[open].0 + lines[open].1.len();
    let to = lines[close].0;
    &edit[from..to]
}

/// The format an edit is written in.
pub(crate) fn detect(edit: &str) -> EditFormat {
    if patch::looks_like(edit) {
        EditFormat::Patch
    } else if search_replace::has_blocks(edit) || search_replace::parse_json(edit).is_some() {
        EditFormat::SearchReplace
    } else if udiff::looks_like(edit) {
        EditFormat::Udiff
    } else {
        EditFormat::Lazy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_formats() {
        assert_eq!(strip_fence("```rust\nfn a() {}\n```\n", ""), "fn a() {}\n");
        assert_eq!(strip_fence("x\n", ""), "x\n");
        assert_eq!(
            strip_fence("Here:\n```py\na = 1\n```\nDone.\n", ""),
            "a = 1\n"
        );
        assert_eq!(
            strip_fence("```\na\n```\n```\nb\n```\n", ""),
            "```\na\n```\n```\nb\n```\n"
        );
        assert_eq!(detect("*** Begin Patch\n*** End Patch"), EditFormat::Patch);
        assert_eq!(
            detect("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE"),
            EditFormat::SearchReplace
        );
        assert_eq!(
            detect(r#"[{"old_string":"a","new_string":"b"}]"#),
            EditFormat::SearchReplace
        );
        assert_eq!(
            detect("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"),
            EditFormat::Udiff
        );
        assert_eq!(detect("{\n  \"name\": \"x\"\n}"), EditFormat::Lazy);
        assert_eq!(
            detect("fn a() {}\n// ... existing code ..."),
            EditFormat::Lazy
        );
    }
}
