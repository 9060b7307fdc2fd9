//! From anchors to spans: which lines of the file each chunk replaces.
//!
//! Between two matched lines of one chunk everything is replaced (no marker there).
//! Beyond a chunk's outermost match the boundary is settled by structure, never by
//! searching: the blocks enclosing the first anchor, closers whose opener is matched,
//! the rest of a block the snippet ends in, and finally an alignment of neighbouring
//! units that only pairs lines that are recognisably the same (equal, same declared
//! name or assignment target, or an extension of the old line).

use super::anchor::{Anchors, Diag};
use super::units::{align_from_end, split, Unit};
use super::{Chunk, Ctx};
use crate::apply::closest::closest;
use crate::apply::structure::{is_generic, openers_correspond, same_line_strength};
use crate::apply::text::{indent_width, is_blank, key_fold};
use crate::apply::types::{MatchLevel, Refusal, RefusalCode};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PairKind {
    /// Same line: the file's bytes are kept.
    Equal,
    /// The chunk's line replaces this file line.
    Modified,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Pair {
    pub s: usize,
    pub o: usize,
    pub kind: PairKind,
}

/// Where one chunk goes.
pub(super) struct Plan {
    pub chunk: usize,
    /// File lines `[start, end)` the chunk replaces.
    pub span: (usize, usize),
    /// Matched lines, increasing in `s` and `o`.
    pub pairs: Vec<Pair>,
    pub level: MatchLevel,
    /// Columns to add to the chunk's new lines.
    pub shift: isize,
}

/// Edit units may reach this many file lines beyond a match (plus a margin per line).
const WINDOW_LINES: usize = 200;

struct Planner<'c, 'k, 'a> {
    ctx: &'c Ctx<'k, 'a>,
    matched: Vec<Option<usize>>,
    folded: bool,
}

impl Planner<'_, '_, '_> {
    fn same(&self, s: usize, o: usize) -> bool {
        if self.folded {
            key_fold(self.ctx.snip[s]) == key_fold(self.ctx.orig[o])
        } else {
            self.ctx.skeys[s] == self.ctx.okeys[o]
        }
    }

    fn pair(&self, s: usize, o: usize) -> Pair {
        let kind = if self.same(s, o) {
            PairKind::Equal
        } else {
            PairKind::Modified
        };
        Pair { s, o, kind }
    }

    fn push(&mut self, v: &mut Vec<Pair>, p: Pair) {
        self.matched[p.s] = Some(p.o);
        v.push(p);
    }

    /// Pair the lines of a closed region (both ends matched): equal lines, and changed
    /// runs of the same length line by line.
    fn fill(&mut self, v: &mut Vec<Pair>, s: Range<usize>, o: Range<usize>) {
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

    fn unit_score(&self, a: Unit, b: Unit) -> Option<f32> {
        let (x, y) = (self.ctx.snip[a.start], self.ctx.orig[b.start]);
        match (is_blank(x), is_blank(y)) {
            (true, true) => Some(0.1),
            (true, false) | (false, true) => None,
            _ if self.folded && key_fold(x) == key_fold(y) => Some(1.0),
            _ => same_line_strength(x, y),
        }
    }

    fn pair_units(&mut self, v: &mut Vec<Pair>, a: Unit, b: Unit) {
        let p = self.pair(a.start, b.start);
        self.push(v, p);
        self.fill(v, a.start + 1..a.end, b.start + 1..b.end);
    }

    /// Align chunk lines `s` with the file lines `o` that end where a match begins.
    fn align_back(&mut self, v: &mut Vec<Pair>, s: Range<usize>, o: Range<usize>) {
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
    fn align_fwd(&mut self, v: &mut Vec<Pair>, s: Range<usize>, o: Range<usize>) {
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
    /// `joined` tells whether `from`/`lo` follow a match (then the lines up to the first
    /// closer form a closed region).
    fn closers(&mut self, v: &mut Vec<Pair>, c: &Chunk, from: usize, lo: usize, hi: usize) {
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

    /// Lines before the first match: enclosing openers, then unit alignment.
    fn head(&mut self, v: &mut Vec<Pair>, c: &Chunk, first: (usize, usize), cursor: usize) {
        let (mut s0, mut o0) = first;
        loop {
            let Some(cs) = self.ctx.sline.enclosing(s0).filter(|&x| x >= c.start) else {
                break;
            };
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
    fn tail(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        last: (usize, usize),
        hi: usize,
    ) -> Option<usize> {
        self.closers(v, c, last.0 + 1, last.1 + 1, hi);
        let (sl, ol) = v.iter().map(|p| (p.s, p.o)).max().unwrap_or(last);
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
                            self.fill(v, sl + 1..c.end, ol + 1..be);
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

    fn refuse(&self, c: &Chunk, diag: &Diag, lo: usize, hi: usize) -> Refusal {
        let text = self.ctx.chunk_text(c);
        if diag.out_of_order {
            return Refusal::new(
                RefusalCode::OutOfOrder,
                "this chunk's lines occur in the file before the previous chunk's lines",
            )
            .with_chunk(text);
        }
        if !diag.ambiguous.is_empty() {
            return Refusal::new(
                RefusalCode::AmbiguousAnchor,
                format!(
                    "this chunk's lines occur at {} places and nothing in the edit tells which",
                    diag.ambiguous.len()
                ),
            )
            .with_chunk(text)
            .with_candidates(diag.ambiguous.iter().map(|o| o + 1).collect());
        }
        let needle: Vec<&str> = self.ctx.snip[c.start..c.end].to_vec();
        Refusal::new(
            RefusalCode::NoAnchor,
            format!(
                "no line of this chunk occurs in the file between line {} and line {}, so \
                 where it goes cannot be decided",
                lo + 1,
                hi.max(lo + 1)
            ),
        )
        .with_chunk(text)
        .with_closest(closest(self.ctx.orig, &needle, lo..hi, 2))
    }

    fn plan_chunk(
        &mut self,
        ci: usize,
        anchors: &Anchors,
        cursor: usize,
        hi: usize,
    ) -> Result<Plan, Refusal> {
        let ctx = self.ctx;
        let n = ctx.n();
        let c = &ctx.chunks[ci];
        self.folded = anchors.folded[ci];
        let mut v: Vec<Pair> = Vec::new();
        for &(s, o) in &anchors.per_chunk[ci] {
            if o >= cursor && o < hi {
                let p = self.pair(s, o);
                self.push(&mut v, p);
            }
        }
        let mut span_lo = None;
        let span_hi;
        if v.is_empty() {
            self.closers(&mut v, c, c.start, cursor, hi);
        }
        if v.is_empty() {
            let last = ci + 1 == ctx.chunks.len();
            if ci == 0 && !c.marker_before && c.marker_after {
                self.align_fwd(&mut v, c.start..c.end, cursor..hi);
                span_lo = Some(cursor);
                span_hi = Some(cursor);
            } else if last && !c.marker_after && c.marker_before {
                self.align_back(&mut v, c.start..c.end, cursor..n);
                span_lo = Some(n);
                span_hi = Some(n);
            } else {
                return Err(self.refuse(c, &anchors.diag[ci], cursor, hi));
            }
        } else {
            let mut anchored: Vec<(usize, usize)> = v.iter().map(|p| (p.s, p.o)).collect();
            anchored.sort_unstable();
            for w in anchored.windows(2) {
                self.fill(&mut v, w[0].0 + 1..w[1].0, w[0].1 + 1..w[1].1);
            }
            let first = anchored[0];
            let last = anchored[anchored.len() - 1];
            self.head(&mut v, c, first, cursor);
            span_hi = self.tail(&mut v, c, last, hi);
        }
        v.sort_by_key(|p| (p.s, p.o));
        v.dedup_by_key(|p| p.s);
        if v.windows(2).any(|w| w[0].o >= w[1].o) {
            return Err(Refusal::new(
                RefusalCode::AmbiguousAnchor,
                "the chunk's lines match the file in an inconsistent order",
            )
            .with_chunk(ctx.chunk_text(c)));
        }
        let start = v
            .first()
            .map(|p| p.o)
            .into_iter()
            .chain(span_lo)
            .min()
            .unwrap_or(cursor);
        let end = v
            .last()
            .map(|p| p.o + 1)
            .into_iter()
            .chain(span_hi)
            .max()
            .unwrap_or(start);
        let (shift, level) = self.shift_and_level(&mut v);
        Ok(Plan {
            chunk: ci,
            span: (start.max(cursor), end.max(start)),
            pairs: v,
            level,
            shift,
        })
    }

    /// The chunk's indentation offset (the most common one among equal lines) and
    /// the level it matched at. Equal lines off that offset were re-indented on purpose.
    fn shift_and_level(&self, v: &mut [Pair]) -> (isize, MatchLevel) {
        let mut counts: HashMap<isize, (usize, usize)> = HashMap::new();
        for (k, p) in v.iter().enumerate() {
            if p.kind == PairKind::Equal && !is_blank(self.ctx.snip[p.s]) {
                let d = indent_width(self.ctx.orig[p.o]) as isize
                    - indent_width(self.ctx.snip[p.s]) as isize;
                let e = counts.entry(d).or_insert((0, k));
                e.0 += 1;
            }
        }
        let shift = counts
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
            .map_or(0, |(d, _)| *d);
        let mut loose = false;
        let mut folded = self.folded;
        for p in v.iter_mut() {
            let (x, y) = (self.ctx.snip[p.s], self.ctx.orig[p.o]);
            if p.kind == PairKind::Modified
                && (!x.is_ascii() || !y.is_ascii())
                && key_fold(x) == key_fold(y)
            {
                // Same line up to Unicode punctuation: keep the file's bytes.
                p.kind = PairKind::Equal;
                folded = true;
            }
            if p.kind != PairKind::Equal || is_blank(self.ctx.snip[p.s]) {
                continue;
            }
            let d = indent_width(self.ctx.orig[p.o]) as isize
                - indent_width(self.ctx.snip[p.s]) as isize;
            if d != shift {
                p.kind = PairKind::Modified;
            } else if self.ctx.orig[p.o] != self.ctx.snip[p.s] {
                loose = true;
            }
        }
        let level = if folded {
            MatchLevel::UnicodeFolded
        } else if shift != 0 {
            MatchLevel::IndentShifted
        } else if loose {
            MatchLevel::WhitespaceTolerant
        } else {
            MatchLevel::Exact
        };
        (shift, level)
    }
}

/// "line 3" or "lines 3-7" for 0-based `[a, b)`.
fn line_range(a: usize, b: usize) -> String {
    if b == a + 1 {
        format!("line {b}")
    } else {
        format!("lines {}-{}", a + 1, b)
    }
}

/// Plan every chunk in order; chunks never overlap and never go backwards.
pub(super) fn plan_all(ctx: &Ctx, anchors: &Anchors) -> Result<(Vec<Plan>, Vec<String>), Refusal> {
    let mut planner = Planner {
        ctx,
        matched: vec![None; ctx.snip.len()],
        folded: false,
    };
    let mut plans: Vec<Plan> = Vec::new();
    let mut cursor = 0;
    for ci in 0..ctx.chunks.len() {
        let hi = anchors.per_chunk[ci + 1..]
            .iter()
            .find_map(|v| v.first().map(|a| a.1))
            .unwrap_or(ctx.n())
            .max(cursor);
        let plan = planner.plan_chunk(ci, anchors, cursor, hi)?;
        cursor = plan.span.1;
        plans.push(plan);
    }
    let mut warnings = Vec::new();
    let has_code = |r: Range<usize>| r.into_iter().any(|i| !is_blank(ctx.orig[i]));
    if let (Some(first), Some(c)) = (plans.first(), ctx.chunks.first()) {
        if !c.marker_before && first.span.0 > 0 && has_code(0..first.span.0) {
            warnings.push(format!(
                "the edit does not start with a marker; kept {} above its first chunk",
                line_range(0, first.span.0)
            ));
        }
    }
    if let (Some(last), Some(c)) = (plans.last(), ctx.chunks.last()) {
        if !c.marker_after && last.span.1 < ctx.n() && has_code(last.span.1..ctx.n()) {
            warnings.push(format!(
                "the edit does not end with a marker; kept {} below its last chunk",
                line_range(last.span.1, ctx.n())
            ));
        }
    }
    Ok((plans, warnings))
}
