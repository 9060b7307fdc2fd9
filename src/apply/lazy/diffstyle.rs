//! Snippets written with diff-style `+`/`-` line prefixes (some models do this inside
//! a lazy edit). They are recognised strictly and applied as hunks.

use super::LazyOutcome;
use crate::apply::hunks::{self, Hunk, HunkLine, PureAdd, Tag};
use crate::apply::markers::is_marker_shape;
use crate::apply::text::{is_blank, key_ws, Doc};
use crate::apply::types::Refusal;
use std::collections::HashMap;

fn known(oindex: &HashMap<&str, Vec<usize>>, text: &str) -> bool {
    is_blank(text) || oindex.contains_key(key_ws(text).as_ref())
}

/// Hunks, if every code line carries a ` `, `+` or `-` prefix, at least one is `+` or
/// `-`, and every ` ` and `-` line names a line the file has.
pub(super) fn detect<'a>(
    lines: &[&'a str],
    oindex: &HashMap<&str, Vec<usize>>,
) -> Option<Vec<Hunk<'a>>> {
    let mut hunks = Vec::new();
    let mut cur = Hunk::default();
    let mut changes = 0usize;
    for &l in lines {
        let marker = is_marker_shape(l)
            || (l.len() > 1 && l.is_char_boundary(1) && is_marker_shape(&l[1..]));
        if l.trim_start().starts_with("@@") || (marker && !known(oindex, l)) {
            if !cur.lines.is_empty() {
                hunks.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if l.is_empty() {
            cur.lines.push(HunkLine {
                tag: Tag::Ctx,
                text: "",
            });
            continue;
        }
        if l.starts_with("+++") || l.starts_with("---") {
            return None;
        }
        let (tag, rest) = match l.as_bytes()[0] {
            b' ' => (Tag::Ctx, &l[1..]),
            b'+' => (Tag::Add, &l[1..]),
            b'-' => (Tag::Del, &l[1..]),
            _ => return None,
        };
        if tag != Tag::Add && !known(oindex, rest) {
            return None;
        }
        if tag != Tag::Ctx {
            changes += 1;
        }
        cur.lines.push(HunkLine { tag, text: rest });
    }
    if !cur.lines.is_empty() {
        hunks.push(cur);
    }
    hunks.retain(|h| {
        h.lines
            .iter()
            .any(|l| l.tag != Tag::Ctx || !l.text.is_empty())
    });
    for h in &mut hunks {
        while h
            .lines
            .first()
            .is_some_and(|l| l.tag == Tag::Ctx && is_blank(l.text))
        {
            h.lines.remove(0);
        }
        while h
            .lines
            .last()
            .is_some_and(|l| l.tag == Tag::Ctx && is_blank(l.text))
        {
            h.lines.pop();
        }
    }
    (changes > 0 && !hunks.is_empty()).then_some(hunks)
}

pub(super) fn apply<'a>(doc: &Doc<'a>, hunks: Vec<Hunk<'a>>) -> Result<LazyOutcome<'a>, Refusal> {
    let r = hunks::apply(doc, &hunks, PureAdd::Refuse)?;
    let mut warnings = r.warnings;
    warnings.push("the snippet used +/- diff lines; it was applied as hunks".to_string());
    Ok(LazyOutcome {
        out: r.out,
        levels: r.levels,
        warnings,
    })
}
