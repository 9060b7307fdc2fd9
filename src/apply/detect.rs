//! Telling edit formats apart, and unwrapping a Markdown code fence around an edit.

use super::types::EditFormat;
use super::{patch, search_replace, udiff};

/// The edit without one Markdown code fence around all of it. A fence line that the
/// original file itself contains is left alone.
pub(crate) fn strip_fence<'e>(edit: &'e str, original: &str) -> &'e str {
    let mut starts = Vec::new();
    let mut pos = 0;
    for l in edit.split_inclusive('\n') {
        starts.push((pos, l));
        pos += l.len();
    }
    let code = |l: &str| !l.trim().is_empty();
    let (Some(first), Some(last)) = (
        starts.iter().position(|(_, l)| code(l)),
        starts.iter().rposition(|(_, l)| code(l)),
    ) else {
        return edit;
    };
    let open = starts[first].1.trim();
    let close = starts[last].1.trim();
    if first >= last || !open.starts_with("```") || close != "```" {
        return edit;
    }
    if original.lines().any(|l| l.trim() == open) {
        return edit;
    }
    let from = starts[first].0 + starts[first].1.len();
    let to = starts[last].0;
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
