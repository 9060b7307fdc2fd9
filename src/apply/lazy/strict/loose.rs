//! A chunk with no anchor of its own, placed between the spans of its snippet
//! neighbours: on lines of its own within that window, at the one place it fits line
//! for line, pinned between neighbours that meet, or at a file edge; otherwise refused
//! with the candidates its lines name.

use super::super::super::closest::closest;
use super::super::super::types::{Refusal, RefusalCode};
use super::super::span::{Plan, Planner};
use super::{candidates, named_anchor, new_only, own_anchors};

/// How a chunk with no anchor of its own was placed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Hold {
    /// Set down where nothing contradicts it: a guess.
    Guessed,
    /// Pinned between neighbours that meet, or fitted at a file edge.
    Pinned,
    /// At the one place in its window where its lines fit line for line (`fit.rs`).
    Fitted,
}

impl Hold {
    pub(super) fn pinned_if(held: bool) -> Self {
        if held {
            Hold::Pinned
        } else {
            Hold::Guessed
        }
    }
}

impl Planner<'_, '_, '_> {
    /// Chunk `ci` line for line on the file from line `at`, held by that fit.
    fn place_fitted(&mut self, ci: usize, at: usize) -> Result<(Plan, Hold), Refusal> {
        let c = &self.ctx.chunks[ci];
        let k = c.end - c.start;
        let mut v = Vec::new();
        self.pair_run(&mut v, c.start, at, k);
        self.finish(ci, v, (at, at + k)).map(|p| (p, Hold::Fitted))
    }

    /// A chunk with no anchor of its own, between the spans of its snippet neighbours,
    /// and how its place is held.
    pub(super) fn place_loose(
        &mut self,
        ci: usize,
        lo: usize,
        hi: usize,
        pinned: bool,
    ) -> Result<(Plan, Hold), Refusal> {
        let ctx = self.ctx;
        let c = &ctx.chunks[ci];
        let n = ctx.n();
        if lo < hi {
            let a = own_anchors(ctx, c, lo, hi);
            if !a.is_empty() {
                return self
                    .place(ci, &a, lo, hi)
                    .map(|p| (p, Hold::pinned_if(pinned)));
            }
            // A rewritten declaration: its name declared once in the window.
            let a = named_anchor(ctx, c, lo, hi);
            if !a.is_empty() {
                return self
                    .place(ci, &a, lo, hi)
                    .map(|p| (p, Hold::pinned_if(pinned)));
            }
            if let Some(at) = self.fit_line_for_line(ci, lo, hi) {
                return self.place_fitted(ci, at);
            }
        }
        let new_only = new_only(ctx, c);
        let edge_first = ci == 0 && !c.marker_before && lo == 0;
        let edge_last = ci + 1 == ctx.chunks.len() && !c.marker_after && hi == n;
        if pinned || (lo == hi && new_only) {
            // After the blank lines between the neighbours: the chunk's own trailing
            // blank line separates it from the next one.
            return self
                .finish(ci, Vec::new(), (hi, hi))
                .map(|p| (p, Hold::pinned_if(pinned)));
        }
        if new_only && (edge_first || edge_last) {
            if let Some(placed) = self.place_at_file_edge(ci, lo, edge_first) {
                return placed;
            }
        }
        if let Some(at) = self.fit_unchanged_closers(ci, lo, hi) {
            self.closers_fitted = true;
            return self.place_fitted(ci, at);
        }
        let cands = candidates(ctx, c, lo, hi);
        if !cands.is_empty() {
            return Err(Refusal::new(
                RefusalCode::AmbiguousAnchor,
                format!(
                    "this chunk's lines occur at {} places and nothing in the edit tells which",
                    cands.len()
                ),
            )
            .with_chunk(ctx.chunk_text(c))
            .with_candidates(cands.iter().map(|o| o + 1).collect()));
        }
        let needle: Vec<&str> = ctx.snip[c.start..c.end].to_vec();
        Err(Refusal::new(
            RefusalCode::NoAnchor,
            format!(
                "no line of this chunk occurs in the file between line {} and line {}, so where \
                 it goes cannot be decided; include an unchanged line just above or below it",
                lo + 1,
                hi.max(lo + 1)
            ),
        )
        .with_chunk(ctx.chunk_text(c))
        .with_closest(closest(ctx.orig, &needle, lo..hi.max(lo), 2)))
    }
}
