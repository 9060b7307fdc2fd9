//! Edge lines taken as new that also stand, with the line the chunk goes on to, a few
//! lines further out in the file: `.. versionadded:: 0.7` and `"""` shown above a
//! kept `"""`, while the file has the same two lines ten lines up. The chunk then reads
//! two ways: new lines written there, or those file lines kept and everything between
//! them and the anchor deleted. Neither is a guess to take, so the chunk is refused,
//! unless the new lines close more blocks than they open (`return ret;` `};` above
//! the next function's comment): as new code they would close a block the file
//! already closes, so they are the file's lines, and the code between is deleted.

use super::super::structure::is_generic;
use super::balance::balance;
use super::span::Planner;
use super::Chunk;

/// How far out from the anchor the file is searched for the edge lines again.
const ECHO_REACH: usize = 20;

impl Planner<'_, '_, '_> {
    /// Whether chunk lines `c.start..=s1` (new lines, then the line paired with file
    /// line `o1`) stand together in the file ending before `o1`, within reach.
    pub(super) fn head_echoed(&mut self, c: &Chunk, s1: usize, o1: usize, lo: usize) -> bool {
        let found =
            self.says_something(c.start..s1) && self.head_echoes(c, s1, o1, lo).next().is_some();
        self.edge_echoed |= found;
        found
    }

    /// Whether chunk lines `sk..c.end` (the line paired with file line `ok`, then new
    /// lines) stand together in the file starting after `ok`, within reach.
    pub(super) fn tail_echoed(&mut self, c: &Chunk, sk: usize, ok: usize, hi: usize) -> bool {
        let t = c.end - sk - 1;
        let last = hi.min(ok + 1 + ECHO_REACH);
        let found = self.says_something(sk + 1..c.end)
            && self
                .places_of(sk, t, ok + 1..last.saturating_sub(t))
                .next()
                .is_some();
        self.edge_echoed |= found;
        found
    }

    /// Where chunk lines `c.start..s1`, new before the line paired with file line
    /// `o1`, are the file's lines instead, the code between them and `o1` deleted: the
    /// one place within reach they stand together with the line after them, when as
    /// new lines they would close more blocks than they open.
    pub(super) fn head_echo_deletion(
        &self,
        c: &Chunk,
        s1: usize,
        o1: usize,
        lo: usize,
    ) -> Option<usize> {
        let h = s1 - c.start;
        let closes = (c.start..s1)
            .map(|s| balance(self.ctx.snip[s], false))
            .fold([0i32; 4], |mut t, b| {
                t.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                t
            });
        if h == 0 || !closes.iter().any(|&n| n < 0) || !self.says_something(c.start..s1) {
            return None;
        }
        let mut at = self.head_echoes(c, s1, o1, lo);
        match (at.next(), at.next()) {
            (Some(f), None) => Some(f),
            _ => None,
        }
    }

    /// Where chunk lines `c.start..=s1` stand together in the file, ending before
    /// `o1` and within reach of it.
    fn head_echoes<'s>(
        &'s self,
        c: &Chunk,
        s1: usize,
        o1: usize,
        lo: usize,
    ) -> impl Iterator<Item = usize> + 's {
        let h = s1 - c.start;
        let from = lo.max(o1.saturating_sub(ECHO_REACH));
        self.places_of(c.start, h, from..o1.saturating_sub(h))
    }

    /// File lines in `at` from which chunk lines `s..=s + len` stand, line for line.
    fn places_of(
        &self,
        s: usize,
        len: usize,
        at: std::ops::Range<usize>,
    ) -> impl Iterator<Item = usize> + '_ {
        at.filter(move |&f| (0..=len).all(|i| self.same(s + i, f + i)))
    }

    fn says_something(&self, s: std::ops::Range<usize>) -> bool {
        s.into_iter()
            .any(|i| self.ctx.sline.is_code(i) && !is_generic(self.ctx.snip[i]))
    }
}
