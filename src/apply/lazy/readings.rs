//! Choosing between the two readings of a snippet (structural and strict) where they
//! write different files but one difference is telling.

use super::super::structure::is_generic;
use super::super::text::{render, Doc, OutLine};
use super::emit::{self, Emitted};
use super::span::Plan;
use super::Ctx;

/// Informative file lines the strict reading may drop where the structural one keeps
/// them (the old versions of the lines a chunk changes).
const MAX_REPLACED: usize = 3;

/// Whether the strict reading `b` is the structural reading `a` without some lines,
/// and among those is a closer or blank line `a` writes as new (`}`, `end`, `)`): the
/// structural reading took a chunk's edge, which the file has right there, for a new
/// line, and so also kept the old lines the strict reading replaces. On real edits,
/// where the two readings differed this way, the strict one was the edit 34 times in
/// 39; the other 5 are refused by the checks on the strict merge itself (`b` must pass
/// them).
pub(super) fn structural_repeats_a_closer(
    doc: &Doc,
    ctx: &Ctx,
    a: &[Plan],
    b: &[Plan],
    passes_checks: impl Fn(&Emitted, &[Plan]) -> bool,
) -> bool {
    let (ea, eb) = (emit::emit(ctx, a), emit::emit(ctx, b));
    let (ta, tb) = (render(doc, &ea.out, None), render(doc, &eb.out, None));
    let lines_a: Vec<&str> = ta.lines().collect();
    if lines_a.len() != ea.out.len() {
        return false;
    }
    let diff = similar::TextDiff::from_lines(&ta, &tb);
    let (mut closer_written, mut code_dropped) = (false, 0);
    for op in diff.ops() {
        match op {
            similar::DiffOp::Equal { .. } => {}
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => {
                let range = *old_index..old_index + old_len;
                if repeats_a_neighbour(&lines_a, &ea.out, range.clone()) {
                    closer_written = true;
                    continue;
                }
                for (line, out) in lines_a[range.clone()].iter().zip(&ea.out[range]) {
                    let generic = is_generic(line);
                    match out {
                        OutLine::New(_) => closer_written |= generic,
                        OutLine::Orig(_) => code_dropped += usize::from(!generic),
                    }
                }
            }
            _ => return false,
        }
    }
    // The old lines a changed line replaces are few; the strict reading dropping more
    // of the file's code than that is a deletion the snippet does not show.
    closer_written
        && code_dropped <= MAX_REPLACED
        && !drops_more_than_it_writes(ctx, &eb)
        && passes_checks(&eb, b)
}

/// Whether lines `range` of a merge repeat, byte for byte, the lines right above or
/// right below them, one of the two copies written as new: a chunk's edge lines (the
/// two statements before the change) written again next to the file's own.
fn repeats_a_neighbour(lines: &[&str], out: &[OutLine], range: std::ops::Range<usize>) -> bool {
    let len = range.len();
    let is_new = |r: std::ops::Range<usize>| out[r].iter().any(|l| matches!(l, OutLine::New(_)));
    let twin = |other: std::ops::Range<usize>| {
        other.end <= lines.len()
            && lines[other.clone()] == lines[range.clone()]
            && (is_new(other) || is_new(range.clone()))
    };
    len > 0
        && ((range.start >= len && twin(range.start - len..range.start))
            || twin(range.end..range.end + len))
}

/// Whether a merge drops more informative file lines than it writes informative new
/// ones, beyond the few a rewrite shortens by: a deletion no chunk spells out (a chunk
/// anchored on a line that occurs again further on, the code between taken as gone).
fn drops_more_than_it_writes(ctx: &Ctx, em: &Emitted) -> bool {
    let kept = em.kept(ctx.n());
    let dropped = (0..ctx.n())
        .filter(|&o| !kept[o] && !is_generic(ctx.orig[o]))
        .count();
    let written = em
        .out
        .iter()
        .filter(|l| matches!(l, OutLine::New(t) if !is_generic(t)))
        .count();
    dropped > written + MAX_REPLACED
}
