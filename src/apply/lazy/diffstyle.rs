//! Snippets written with diff-style `+`/`-` line prefixes (some models do this inside
//! a lazy edit). They are recognised strictly and applied as hunks.

use super::super::hunks::{self, Hunk, HunkLine, PureAdd, Tag};
use super::super::markers::is_marker_shape;
use super::super::text::{is_blank, key_ws, Doc, FastMap};
use super::super::types::Refusal;
use super::LazyOutcome;

fn known(oindex: &FastMap<&str, Vec<usize>>, text: &str) -> bool {
    is_blank(text) || oindex.contains_key(key_ws(text).as_ref())
}

/// Hunks, if every code line carries a ` `, `+` or `-` prefix (or is a line of the file
/// without prefix), at least one is `+` or `-`, and every ` ` and `-` line names a
/// line the file has. A Lua or SQL `-- comment` fails that last test.
pub(super) fn detect<'a>(
    lines: &[&'a str],
    orig: &[&str],
    oindex: &FastMap<&str, Vec<usize>>,
) -> Option<Vec<Hunk<'a>>> {
    // A line that starts with a space and is, byte for byte, a line of the file is an
    // unprefixed context line whose indentation happens to start with a space; taking
    // that space for a prefix would shift the hunk and every added line by one column.
    let whole = |l: &str| {
        oindex.get(key_ws(l).as_ref()).is_some_and(|v| {
            v.iter()
                .any(|&o| orig.get(o).is_some_and(|x| x.trim_end() == l.trim_end()))
        })
    };
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
            b' ' if whole(l) => (Tag::Ctx, l),
            b' ' => (Tag::Ctx, &l[1..]),
            b'+' => (Tag::Add, &l[1..]),
            b'-' => (Tag::Del, &l[1..]),
            // Some models drop the space of context lines; accept lines the file has.
            _ if oindex.contains_key(key_ws(l).as_ref()) => (Tag::Ctx, l),
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
