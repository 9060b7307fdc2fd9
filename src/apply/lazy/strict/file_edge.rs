//! A chunk of new code at a file edge no marker covers: the first chunk with no marker
//! before it, or the last with none after it. Its lines are the file's first (last)
//! lines again or older versions of them, or they overlap the file's edge (the closers
//! the file ends with shown, then new code, then the file's last closers), or they are
//! new lines beyond the edge.

use super::super::super::structure::is_generic;
use super::super::super::text::is_blank;
use super::super::super::types::Refusal;
use super::super::span::{Plan, Planner};
use super::loose::Hold;

impl Planner<'_, '_, '_> {
    /// Place chunk `ci` (new code only) at the file edge it touches, or None when its
    /// lines resemble the file's near the edge without fitting it (then the place is a
    /// guess, left to the caller to refuse). The place is held (`Hold::Pinned`) where
    /// the chunk's own lines fix it: every line the file's own or an older version of
    /// it, or an overlap read only one way; a chunk set down past the edge for want of
    /// any match is a guess.
    pub(super) fn place_at_file_edge(
        &mut self,
        ci: usize,
        lo: usize,
        edge_first: bool,
    ) -> Option<Result<(Plan, Hold), Refusal>> {
        let ctx = self.ctx;
        let c = &ctx.chunks[ci];
        let n = ctx.n();
        let k = c.end - c.start;
        let end = (0..n)
            .rev()
            .find(|&o| !is_blank(ctx.orig[o]))
            .map_or(0, |o| o + 1);
        let at = if edge_first { 0 } else { end.saturating_sub(k) };
        let fits = if edge_first { k <= n } else { end >= k };
        let same =
            |p: &Self, i: usize| p.same(c.start + i, at + i) || p.resembles(c.start + i, at + i);
        if fits && (0..k).all(|i| same(self, i)) {
            let mut v = Vec::new();
            self.pair_run(&mut v, c.start, at, k);
            return Some(self.finish(ci, v, (at, at + k)).map(|p| (p, Hold::Pinned)));
        }
        if !edge_first {
            if let Some((p, j, m)) = self.tail_overlap(ci, lo, end) {
                let mut v = Vec::new();
                self.pair_run(&mut v, c.start, p, j);
                self.pair_run(&mut v, c.end - m, end - m, m);
                return Some(self.finish(ci, v, (p, end)).map(|p| (p, Hold::Pinned)));
            }
        }
        let near = if edge_first {
            0..n.min(k + 2)
        } else {
            end.saturating_sub(k + 2)..end
        };
        let resembling = (c.start..c.end).any(|s| near.clone().any(|o| self.resembles(s, o)));
        // A closer alone at the end is the file's closer, never new.
        let only_closers = !edge_first && (c.start..c.end).all(|s| is_generic(ctx.snip[s]));
        if resembling || only_closers {
            return None;
        }
        let at = if edge_first { 0 } else { n };
        Some(
            self.finish(ci, Vec::new(), (at, at))
                .map(|p| (p, Hold::Guessed)),
        )
    }

    /// The last chunk overlapping the file's end: its first `j` lines are the file's
    /// lines from `p`, and its last `m` lines the file's lines up to `end`, right after
    /// them, with new code between (`};` `}` shown, a new method, the class's `}`).
    /// Of the readings, the one that overlaps most lines is taken, and only when every
    /// reading with that overlap starts at the same `p` (a `}` shown at the top would
    /// equal the file's last `}` too, but overlaps less).
    fn tail_overlap(&self, ci: usize, lo: usize, end: usize) -> Option<(usize, usize, usize)> {
        let c = &self.ctx.chunks[ci];
        let k = c.end - c.start;
        let mut readings: Vec<(usize, usize, usize)> = Vec::new();
        for m in 0..k.min(end + 1) {
            if m > 0 && !self.same(c.end - m, end - m) {
                break;
            }
            for j in 1..k - m {
                let Some(p) = end.checked_sub(j + m).filter(|&p| p >= lo) else {
                    break;
                };
                if (0..j).all(|i| self.same(c.start + i, p + i)) {
                    readings.push((p, j, m));
                }
            }
        }
        let most = readings.iter().map(|&(_, j, m)| j + m).max()?;
        let mut best = readings.into_iter().filter(|&(_, j, m)| j + m == most);
        let first = best.next()?;
        best.all(|r| r.0 == first.0).then_some(first)
    }
}
