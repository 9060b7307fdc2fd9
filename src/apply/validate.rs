//! Checks on a merged result before it is returned: no marker text leaked into it,
//! no large silent deletion, and a real change.

use super::markers::is_comment_marker;
use super::text::{is_blank, key_ws};
use super::types::{Refusal, RefusalCode};
use std::collections::HashSet;

/// Files with fewer non-blank lines are never refused for shrinking.
const MIN_LINES_FOR_REMOVAL_GUARD: usize = 20;

/// `explicit`: the edit spells out every deleted line (search/replace, diffs, patches),
/// so shrinking is intended. A lazy snippet never is: a snippet without markers that
/// covers a file's first and last lines is more often a forgotten marker than a rewrite.
pub(crate) fn check(original: &str, content: &str, explicit: bool) -> Result<(), Refusal> {
    if content == original {
        return Err(Refusal::new(
            RefusalCode::AlreadyApplied,
            "the file already has the content the edit produces",
        ));
    }
    let mut after = 0usize;
    let mut leaked: Vec<(usize, &str)> = Vec::new();
    for (i, l) in content.lines().enumerate() {
        let t = l.trim_start();
        if t.is_empty() {
            continue;
        }
        after += 1;
        if t.starts_with(['/', '#', '-', ';', '%', '{', '<']) && is_comment_marker(l) {
            leaked.push((i, l));
        }
    }
    if !leaked.is_empty() {
        let known: HashSet<_> = original.lines().map(key_ws).collect();
        if let Some((i, l)) = leaked.iter().find(|(_, l)| !known.contains(&key_ws(l))) {
            return Err(Refusal::new(
                RefusalCode::ValidationFailed,
                format!(
                    "the result would contain the marker line `{}` (line {}); markers stand for \
                     unchanged code and cannot be written into the file",
                    l.trim(),
                    i + 1
                ),
            ));
        }
    }
    if !explicit {
        let before = original.lines().filter(|l| !is_blank(l)).count();
        if before >= MIN_LINES_FOR_REMOVAL_GUARD && (before.saturating_sub(after)) * 2 > before {
            return Err(Refusal::new(
                RefusalCode::ValidationFailed,
                format!(
                    "the edit would shrink the file from {before} to {after} non-blank lines; if \
                     that is intended, mark kept code with `... existing code ...` markers or \
                     spell the deletion out as search/replace or a diff"
                ),
            ));
        }
    }
    Ok(())
}
