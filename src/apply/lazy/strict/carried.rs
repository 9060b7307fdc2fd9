//! How much file context a group of anchors brings along: a true place shows the lines
//! around its anchors as the file has them; a new line that happens to equal code
//! elsewhere stands alone.

use super::super::{Chunk, Ctx};
use std::collections::BTreeSet;
use std::ops::Range;

/// The number of chunk lines on the diagonals through `group`'s anchors `(s, o)`: the
/// chunk's lines around each anchor that equal the file's lines around it, line for line.
pub(super) fn carried(ctx: &Ctx, c: &Chunk, group: &[(usize, usize)]) -> usize {
    let mut lines = BTreeSet::new();
    for &(s, o) in group {
        lines.extend(diagonal(ctx, c, s, o));
    }
    lines.len()
}

fn diagonal(ctx: &Ctx, c: &Chunk, s: usize, o: usize) -> Range<usize> {
    let same = |s: usize, o: usize| ctx.skeys[s] == ctx.okeys[o];
    let mut below = 0;
    while s > c.start + below && o > below && same(s - below - 1, o - below - 1) {
        below += 1;
    }
    let mut above = 1;
    while s + above < c.end && o + above < ctx.n() && same(s + above, o + above) {
        above += 1;
    }
    s - below..s + above
}
