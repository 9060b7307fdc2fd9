//! Settling a chunk's boundaries beyond its anchors, by structure, never by searching:
//! the blocks enclosing the first anchor, closers whose opener is matched, the rest of
//! a block the snippet ends in, and finally an alignment of neighbouring units that only
//! pairs lines that are recognisably the same (equal, same declared name or assignment
//! target, or an extension of the old line).

use super::super::structure::{is_generic, openers_correspond, same_line_strength};
use super::super::text::{is_blank, key_fold};
use super::span::{Pair, PairKind, Planner};
use super::units::{align_from_end, split, Unit};
use super::Chunk;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::ops::Range;

/// Edit units may reach this many file lines beyond a match (plus a margin per line).
const WINDOW_LINES: usize = 200;

impl Planner<'_, '_, '_> {
    /// Pair the lines of a closed region (both ends matched): equal lines, and changed
    /// runs of the same length line by line.
    pub(super) fn fill(&mut self, v: &mut Vec<Pair>, s: Range<usize>, o: Range<usize>) {
        if s.is_empty() || o.is_empty() {
            return;
        }
        let (a, b): (Vec<String>, Vec<String>) = if self.folded {
            (
                s.clone().map(|i| key_fold(self.ctx.snip[i])).collect(),
                o.clone().map(|i| key_fold(self.ctx.orig[i])).collect(),
            )
        } else {
            (
                s.clone().map(|i| self.ctx.skeys[i].to_string()).collect(),
                o.clone().map(|i| self.ctx.okeys[i].to_string()).collect(),
            )
        };
        for op in capture_diff_slices(Algorithm::Patience, &a, &b) {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        let p = Pair {
                            s: s.start + old_index + k,
                            o: o.start + new_index + k,
                            kind: PairKind::Equal,
                        };
                        self.push(v, p);
                    }
                }
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } if old_len == new_len => {
                    for k in 0..old_len {
                        let p = Pair {
                            s: s.start + old_index + k,
                            o: o.start + new_index + k,
                            kind: PairKind::Modified,
                        };
                        self.push(v, p);
                    }
                }
                _ => {}
            }
        }
    }

    pub(super) fn unit_score(&self, a: Unit, b: Unit) -> Option<f32> {
        let (x, y) = (self.ctx.snip[a.start], self.ctx.orig[b.start]);
        match (is_blank(x), is_blank(y)) {
            (true, true) => Some(0.1),
            (true, false) | (false, true) => None,
            _ if self.folded && key_fold(x) == key_fold(y) => Some(1.0),
            _ => same_line_strength(x, y),
        }
    }

    pub(super) fn pair_units(&mut self, v: &mut Vec<Pair>, a: Unit, b: Unit) {
        let p = self.pair(a.start, b.start);
        self.push(v, p);
        self.fill(v, a.start + 1..a.end, b.start + 1..b.end);
    }

    /// Align chunk lines `s` with the file lines `o` that end where a match begins.
    pub(super) fn align_back(&mut self, v: &mut Vec<Pair>, s: Range<usize>, o: Range<usize>) {
        if s.is_empty() || o.is_empty() {
            return;
        }
        let lo = o
            .start
            .max(o.end.saturating_sub(WINDOW_LINES + 20 * s.len()));
        let h = split(&self.ctx.sline, s);
        let wall = split(&self.ctx.oline, lo..o.end);
        let keep = (3 * h.len() + 8).min(wall.len());
        let w = &wall[wall.len() - keep..];
        let mut up = align_from_end(&h, w, |a, b| self.unit_score(a, b));
        while up
            .last()
            .is_some_and(|&(a, _)| is_blank(self.ctx.snip[h[a].start]))
        {
            up.pop();
        }
        for (a, b) in up {
            self.pair_units(v, h[a], w[b]);
        }
    }

    /// Align chunk lines `s` with the file lines `o` that start where a match ends.
    pub(super) fn align_fwd(&mut self, v: &mut Vec<Pair>, s: Range<usize>, o: Range<usize>) {
        if s.is_empty() || o.is_empty() {
            return;
        }
        let hi = o.end.min(o.start + WINDOW_LINES + 20 * s.len());
        let mut h = split(&self.ctx.sline, s);
        let mut wall = split(&self.ctx.oline, o.start..hi);
        let keep = (3 * h.len() + 8).min(wall.len());
        wall.truncate(keep);
        h.reverse();
        wall.reverse();
        let mut up = align_from_end(&h, &wall, |a, b| self.unit_score(a, b));
        while up
            .last()
            .is_some_and(|&(a, _)| is_blank(self.ctx.snip[h[a].start]))
        {
            up.pop();
        }
        for (a, b) in up {
            self.pair_units(v, h[a], wall[b]);
        }
    }

    /// Closers (`}`, `end`, `</div>`) whose opener is matched anchor on the file's closer.
    /// The lines between `from`/`lo` and the first such closer form a closed region only
    /// when a match precedes them (`v` is not empty).
    pub(super) fn closers(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        from: usize,
        lo: usize,
        hi: usize,
    ) {
        let mut joined = !v.is_empty();
        let (mut sl, mut ol) = (from, lo);
        for s in from..c.end {
            if !self.ctx.sline.is_code(s) || !is_generic(self.ctx.snip[s]) {
                continue;
            }
            let Some(op) = self.ctx.sline.opener_of_closer(s) else {
                continue;
            };
            let Some(oo) = self.matched[op] else {
                continue;
            };
            let Some(oc) = self.ctx.oline.closer_of(oo) else {
                continue;
            };
            if oc < ol || oc >= hi || !self.same(s, oc) {
                continue;
            }
            if v.iter().any(|p| p.s <= s && p.o >= oc) {
                continue;
            }
            if joined {
                self.fill(v, sl..s, ol..oc);
            }
            joined = true;
            self.push(
                v,
                Pair {
                    s,
                    o: oc,
                    kind: PairKind::Equal,
                },
            );
            sl = s + 1;
            ol = oc + 1;
        }
    }

    /// Extend a match line by line while the chunk's and the file's neighbouring lines
    /// are the same (a boundary line such as `}` or a blank shown again at the chunk's
    /// edge). Taken only when the run reaches the chunk's edge.
    /// `back`: towards the start. Returns the new outermost pair.
    fn extend_same(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        from: (usize, usize),
        limit: usize,
        back: bool,
    ) -> (usize, usize) {
        let mut run: Vec<(usize, usize)> = Vec::new();
        let (mut s, mut o) = from;
        loop {
            let next = if back {
                (s > c.start && o > limit).then(|| (s - 1, o - 1))
            } else {
                (s + 1 < c.end && o + 1 < limit).then_some((s + 1, o + 1))
            };
            let Some((ns, no)) = next else {
                break;
            };
            if self.matched[ns].is_some() || !self.same(ns, no) {
                break;
            }
            run.push((ns, no));
            (s, o) = (ns, no);
        }
        // Only a run that reaches the chunk's edge: a partial one (`return this;` and
        // `}` of a method next to a new method) may belong to new code.
        let reached = if back { s == c.start } else { s + 1 == c.end };
        let keep = if reached { run.len() } else { 0 };
        for &(x, y) in &run[..keep] {
            let p = self.pair(x, y);
            self.push(v, p);
        }
        run[..keep].last().copied().unwrap_or(from)
    }

    /// Lines before the first match: repeated boundary lines, enclosing openers, then
    /// unit alignment.
    pub(super) fn head(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        first: (usize, usize),
        cursor: usize,
    ) {
        let (mut s0, mut o0) = self.extend_same(v, c, first, cursor, true);
        while let Some(cs) = self.ctx.sline.enclosing(s0).filter(|&x| x >= c.start) {
            let Some(co) = self.ctx.oline.enclosing(o0).filter(|&x| x >= cursor) else {
                break;
            };
            if !openers_correspond(self.ctx.snip[cs], self.ctx.orig[co]) {
                break;
            }
            let p = self.pair(cs, co);
            self.push(v, p);
            self.fill(v, cs + 1..s0, co + 1..o0);
            s0 = cs;
            o0 = co;
        }
        self.align_back(v, c.start..s0, cursor..o0);
    }

    /// Lines after the last match. Returns an explicit span end when the chunk's
    /// unfinished block replaces the rest of the file's block.
    pub(super) fn tail(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        last: (usize, usize),
        hi: usize,
    ) -> Option<usize> {
        self.closers(v, c, last.0 + 1, last.1 + 1, hi);
        let end = v.iter().map(|p| (p.s, p.o)).max().unwrap_or(last);
        let (sl, ol) = self.extend_same(v, c, end, hi, false);
        let rest: Vec<usize> = (sl + 1..c.end)
            .filter(|&s| self.ctx.sline.is_code(s))
            .collect();
        let first_rest = *rest.first()?;
        if !c.marker_after && self.ctx.has_markers {
            let mut e = self.ctx.sline.enclosing(first_rest);
            while let Some(ei) = e {
                if let Some(oe) = self.matched[ei] {
                    let inside = rest
                        .iter()
                        .all(|&t| self.ctx.sline.ind(t) > self.ctx.sline.ind(ei));
                    if inside && oe <= ol {
                        let mut be = self.ctx.oline.block_end(oe).min(hi);
                        while be > ol + 1 && is_blank(self.ctx.orig[be - 1]) {
                            be -= 1;
                        }
                        if be > ol + 1 {
                            let before = v.len();
                            self.fill(v, sl + 1..c.end, ol + 1..be);
                            let paired = v.len() - before;
                            let code = |r: Range<usize>, text: &[&str]| {
                                r.filter(|&i| !is_blank(text[i])).count()
                            };
                            let lost = code(ol + 1..be, self.ctx.orig).saturating_sub(paired);
                            let added = code(sl + 1..c.end, self.ctx.snip).saturating_sub(paired);
                            if lost > added + 1 {
                                self.too_short = Some((ei, lost, added));
                            }
                            return Some(be);
                        }
                    }
                    break;
                }
                e = self.ctx.sline.enclosing(ei);
            }
        }
        if ol + 1 < hi {
            self.align_fwd(v, sl + 1..c.end, ol + 1..hi);
        }
        None
    }
}
