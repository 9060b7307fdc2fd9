//! Chunks that say nothing of their own (a `}` and a blank line) placed where they meet
//! a held neighbour across chunks of new code only (habit 5: new code pinned between
//! neighbours that meet). A model shows the closer of the block above the new code,
//! new code, then the first lines of the block below; the closer occurs everywhere,
//! but right above the held block it can stand only once.

use super::super::super::structure::is_generic;
use super::super::super::text::is_blank;
use super::super::span::{Plan, Planner};
use super::super::{Chunk, Ctx};
use super::{new_only, no_copied_run};

impl Planner<'_, '_, '_> {
    /// Place each chunk of closers and blank lines with no place yet whose lines are the
    /// file's lines right before the next held chunk (or right after the previous one),
    /// with only new code between them in the snippet. Where both sides fit, or the
    /// place would overlap another held chunk, the chunk is left to the usual rules.
    /// Chunks marked `weak` (new code placed on one shared statement) count as new code
    /// between, not as held; where the closer meets across them, their places are
    /// dropped so that the new code goes where the neighbours pin it. Returns the chunks
    /// placed, with their spans.
    pub(super) fn place_meeting(
        &mut self,
        plans: &mut [Option<Plan>],
        weak: &[bool],
    ) -> Vec<(usize, (usize, usize))> {
        let ctx = self.ctx;
        let mut met = Vec::new();
        let n = ctx.n();
        for ci in 0..ctx.chunks.len() {
            let c = &ctx.chunks[ci];
            let lines = c.start..c.end;
            let says_nothing = lines.clone().all(|s| is_generic(ctx.snip[s]));
            if plans[ci].is_some() || !says_nothing || lines.clone().all(|s| is_blank(ctx.snip[s]))
            {
                continue;
            }
            let k = lines.len();
            let held = |j: usize| plans[j].is_some() && !weak[j];
            let held_span = |j: usize| plans[j].as_ref().map(|p| p.span);
            let only_new = |r: std::ops::Range<usize>| {
                !r.is_empty()
                    && r.clone()
                        .all(|j| !held(j) && reads_new(ctx, &ctx.chunks[j]))
            };
            let next = (ci + 1..plans.len()).find(|&j| held(j));
            let prev = (0..ci).rev().find(|&j| held(j));
            let floor = prev.and_then(held_span).map_or(0, |s| s.1);
            let ceiling = next.and_then(held_span).map_or(n, |s| s.0);
            let fits = |at: usize| (0..k).all(|i| self.same(c.start + i, at + i));
            // Blank lines of the file may stand between the chunk and its neighbour.
            let blank = |o: usize| is_blank(ctx.orig[o]);
            let before_next = next.filter(|&j| only_new(ci + 1..j)).and_then(|_| {
                let gap = (floor..ceiling).rev().take_while(|&o| blank(o)).count();
                (0..=gap)
                    .map(|b| ceiling - b)
                    .find(|&l| l >= floor + k && fits(l - k))
                    .map(|l| l - k)
            });
            let after_prev = prev.filter(|&j| only_new(j + 1..ci)).and_then(|_| {
                let gap = (floor..ceiling).take_while(|&o| blank(o)).count();
                (0..=gap)
                    .map(|b| floor + b)
                    .find(|&e| e + k <= ceiling && fits(e))
            });
            // The chunks between the closer and the neighbour it meets.
            let (at, between) = match (before_next, after_prev) {
                (Some(at), None) => (at, next.map_or(ci..ci, |j| ci + 1..j)),
                (None, Some(at)) => (at, prev.map_or(ci..ci, |j| j + 1..ci)),
                _ => continue,
            };
            let mut v = Vec::with_capacity(k);
            for i in 0..k {
                let p = self.pair(c.start + i, at + i);
                self.push(&mut v, p);
            }
            match self.finish(ci, v, (at, at + k)) {
                Ok(plan) => {
                    met.push((ci, plan.span));
                    plans[ci] = Some(plan);
                    for j in between.filter(|&j| weak[j]) {
                        if plans[j].take().is_some() {
                            let c = &ctx.chunks[j];
                            self.matched[c.start..c.end].fill(None);
                        }
                    }
                }
                Err(_) => self.matched[lines].fill(None),
            }
        }
        met
    }
}

/// A chunk between a closer and a held neighbour that reads as new code: none of its
/// lines with information is in the file, or (it has no place of its own) none of its
/// runs of them is.
fn reads_new(ctx: &Ctx, c: &Chunk) -> bool {
    new_only(ctx, c) || no_copied_run(ctx, c)
}
