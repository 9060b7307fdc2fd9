//! A new line at a chunk's edge that reads like a rewrite of the file line kept right
//! beside it (`print(yell(…))` inserted above the file's `print(shout(…))`, which the
//! marker after the chunk keeps). Between two matched lines a chunk's new lines replace
//! the file's; at an edge nothing tells a new line from a changed one, and taking it as
//! new leaves the old line in place beside its rewrite: a silent wrong merge. Such a
//! merge is refused, asking for the unchanged line past the edge.

use super::super::structure::is_generic;
use super::super::text::{indent_width, is_blank};
use super::span::Plan;
use super::Ctx;

/// How alike two lines must be (characters, `similar`'s ratio) to read as one rewritten.
const REWRITE_RATIO: f32 = 0.75;

/// The first plan with a new line at an edge that rewrites the kept line beside it:
/// `(plan index, file line)`.
pub(super) fn kept_rewrite(ctx: &Ctx, plans: &[Plan]) -> Option<(usize, usize)> {
    for (pi, plan) in plans.iter().enumerate() {
        let chunk = &ctx.chunks[plan.chunk];
        let first = plan.pairs.first().map_or(chunk.end, |p| p.s);
        let last = plan.pairs.last().map(|p| p.s);
        // New lines after the chunk's last matched line, and the file line kept after it.
        let tail = (chunk.start..chunk.end)
            .rev()
            .take_while(|&s| last.is_none_or(|l| s > l))
            .find(|&s| !is_blank(ctx.snip[s]));
        if let (Some(s), Some(o)) = (tail, next_kept(ctx, plan.span.1)) {
            if rewrites(ctx.snip[s], ctx.orig[o]) {
                return Some((pi, o));
            }
        }
        // New lines before its first matched line, and the file line kept before it.
        let head = (chunk.start..first).find(|&s| !is_blank(ctx.snip[s]));
        if let (Some(s), Some(o)) = (head, previous_kept(ctx, plan.span.0)) {
            if rewrites(ctx.snip[s], ctx.orig[o]) || spreads(ctx, (s, first), ctx.orig[o]) {
                return Some((pi, o));
            }
        }
    }
    None
}

fn next_kept(ctx: &Ctx, from: usize) -> Option<usize> {
    (from..ctx.n()).find(|&o| !is_blank(ctx.orig[o]))
}

fn previous_kept(ctx: &Ctx, before: usize) -> Option<usize> {
    (0..before).rev().find(|&o| !is_blank(ctx.orig[o]))
}

/// Whether the new lines `[from, to)` open with `old` spread over several lines (an
/// import or a call broken up one item per line, perhaps with an item more): nearly the
/// same text once the line breaks, spaces and commas are gone.
fn spreads(ctx: &Ctx, (from, to): (usize, usize), old: &str) -> bool {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect()
    };
    let target = squeeze(old);
    if target.len() < 8 || indent_width(ctx.snip[from]) != indent_width(old) {
        return false;
    }
    let mut joined = String::new();
    for (k, s) in (from..to).enumerate() {
        joined.push_str(&squeeze(ctx.snip[s]));
        if joined.len() >= target.len() {
            return k > 0 && similar::TextDiff::from_chars(&joined, &target).ratio() >= 0.8;
        }
    }
    false
}

/// Whether `new` reads as `old` rewritten: not the same line, same indentation, not a
/// line that says nothing (`}`), and most of its characters in common.
fn rewrites(new: &str, old: &str) -> bool {
    let (n, o) = (new.trim(), old.trim());
    n != o
        && !is_generic(n)
        && !is_generic(o)
        && n.len() >= 8
        && indent_width(new) == indent_width(old)
        && similar::TextDiff::from_chars(n, o).ratio() >= REWRITE_RATIO
}
