//! Strict placement: each chunk is placed on its own lines, never by guessing.
//!
//! A chunk's anchors are its informative lines that occur once in the chunk and once in
//! the file, kept where they increase together; chunks are placed independently, so a
//! chunk may come out of file order as long as no two claim the same lines. Between two
//! anchors the file's lines are replaced by the chunk's (a line-level diff pairs equal
//! and changed lines). Beyond the outermost anchors, the chunk's edge lines are compared
//! with the file lines right next to them: lines the file has there (a `}` or blank shown
//! again) are the file's, lines that read as older versions of them replace them, and
//! lines unlike anything there are new. When an edge could be read more than one way,
//! the chunk is refused instead of merged.

use super::super::closest::closest;
use super::super::structure::{decl_name, is_generic, same_line_strength};
use super::super::text::is_blank;
use super::super::types::{Refusal, RefusalCode};
use super::anchor::lis;
use super::span::{Pair, PairKind, Plan, Planner};
use super::{Chunk, Ctx};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::collections::HashMap;

/// Extra file lines beyond a chunk's own that an edge diff may look at.
const EDGE_SLACK: usize = 6;

/// How far out a chunk's generic edge lines are looked for again (a deletion reading).
const DELETION_REACH: usize = 20;

/// A line the edge could be an older version of.
const RESEMBLES: f32 = 0.6;

fn informative(ctx: &Ctx, s: usize) -> bool {
    ctx.sline.is_code(s) && !is_generic(ctx.snip[s])
}

/// Anchors of one chunk on its own: unique in the chunk and in `lo..hi` of the file.
fn own_anchors(ctx: &Ctx, c: &Chunk, lo: usize, hi: usize) -> Vec<(usize, usize)> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in c.start..c.end {
        if ctx.sline.is_code(s) {
            *count.entry(ctx.skeys[s].as_ref()).or_default() += 1;
        }
    }
    let mut cands = Vec::new();
    for s in c.start..c.end {
        let k = ctx.skeys[s].as_ref();
        if !informative(ctx, s) || count.get(k) != Some(&1) {
            continue;
        }
        let Some(pos) = ctx.oindex.get(k) else {
            continue;
        };
        let inside: Vec<usize> = pos.iter().copied().filter(|&o| o >= lo && o < hi).collect();
        let o = match inside.as_slice() {
            [o] => *o,
            _ => {
                let want = ctx.snip[s].trim_end();
                let mut exact = inside.iter().filter(|&&o| ctx.orig[o].trim_end() == want);
                match (exact.next(), exact.next()) {
                    (Some(&o), None) => o,
                    _ => continue,
                }
            }
        };
        cands.push((s, o));
    }
    let keep = lis(&cands.iter().map(|c| c.1).collect::<Vec<_>>());
    cands
        .into_iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect()
}

/// The chunk's first declaration (`fn name`, `def name`, `name(args) {`) whose name is
/// declared once in the chunk and once in `lo..hi` of the file.
fn named_anchor(ctx: &Ctx, c: &Chunk, lo: usize, hi: usize) -> Vec<(usize, usize)> {
    for s in c.start..c.end {
        let Some(name) = decl_name(ctx.snip[s]) else {
            continue;
        };
        if (c.start..c.end).any(|t| t != s && decl_name(ctx.snip[t]) == Some(name)) {
            continue;
        }
        let mut at = (lo..hi).filter(|&o| decl_name(ctx.orig[o]) == Some(name));
        if let (Some(o), None) = (at.next(), at.next()) {
            return vec![(s, o)];
        }
    }
    Vec::new()
}

/// File positions in `lo..hi` of the chunk's most specific line (for refusals).
fn candidates(ctx: &Ctx, c: &Chunk, lo: usize, hi: usize) -> Vec<usize> {
    (c.start..c.end)
        .filter(|&s| informative(ctx, s))
        .filter_map(|s| ctx.oindex.get(ctx.skeys[s].as_ref()))
        .map(|v| {
            v.iter()
                .copied()
                .filter(|&o| o >= lo && o < hi)
                .collect::<Vec<_>>()
        })
        .filter(|v| v.len() > 1)
        .min_by_key(|v| v.len())
        .unwrap_or_default()
}

fn ambiguous_edge(ctx: &Ctx, c: &Chunk, what: &str, near: usize) -> Refusal {
    Refusal::new(
        RefusalCode::AmbiguousAnchor,
        format!(
            "the {what} lines of this chunk could replace the file's lines near line {} or be \
             new lines next to them; include the unchanged line just {} them",
            near + 1,
            if what == "first" { "above" } else { "below" }
        ),
    )
    .with_chunk(ctx.chunk_text(c))
    .with_candidates(vec![near + 1])
}

/// Equal pairs of a diff of chunk lines `s` against file lines `o`.
fn equal_pairs(
    p: &Planner,
    s: std::ops::Range<usize>,
    o: std::ops::Range<usize>,
) -> Vec<(usize, usize)> {
    let a: Vec<&str> = s.clone().map(|i| p.ctx.skeys[i].as_ref()).collect();
    let b: Vec<&str> = o.clone().map(|i| p.ctx.okeys[i].as_ref()).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &a, &b) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            out.extend((0..len).map(|k| (s.start + old_index + k, o.start + new_index + k)));
        }
    }
    out
}

impl Planner<'_, '_, '_> {
    /// Pair the lines before an anchor while they equal the file's, line for line (a
    /// `}`, `)` or blank shown again is the file's), but not a closer whose block opens
    /// inside the chunk: that one ends new code written above the anchor.
    fn extend_back(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        (mut s, mut o): (usize, usize),
        lo: usize,
    ) -> (usize, usize) {
        while s > c.start && o > lo && self.same(s - 1, o - 1) {
            let own_block = is_generic(self.ctx.snip[s - 1])
                && self.ctx.sline.is_code(s - 1)
                && self
                    .ctx
                    .sline
                    .opener_of_closer(s - 1)
                    .is_some_and(|op| op >= c.start);
            if own_block {
                break;
            }
            s -= 1;
            o -= 1;
            let p = self.pair(s, o);
            self.push(v, p);
        }
        (s, o)
    }

    /// Pair the lines after an anchor while they equal the file's, line for line.
    fn extend_fwd(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        (mut s, mut o): (usize, usize),
        hi: usize,
    ) -> (usize, usize) {
        while s + 1 < c.end && o + 1 < hi && self.same(s + 1, o + 1) {
            s += 1;
            o += 1;
            let p = self.pair(s, o);
            self.push(v, p);
        }
        (s, o)
    }

    /// File lines in `o` that no chunk line in `s` equals or resembles: what a
    /// placement would delete without the chunk saying anything about it.
    fn unexplained(&self, s: std::ops::Range<usize>, o: std::ops::Range<usize>) -> usize {
        o.filter(|&f| !is_blank(self.ctx.orig[f]))
            .filter(|&f| !s.clone().any(|x| self.same(x, f) || self.resembles(x, f)))
            .count()
    }

    /// Of the edge placements `(file line, lines matched)`, those that delete the fewest
    /// unexplained file lines, then match the most lines. More than one left: ambiguous.
    fn most_plausible(
        &self,
        mut cands: Vec<(usize, usize)>,
        cost: impl Fn(&Self, &(usize, usize)) -> usize,
    ) -> Vec<(usize, usize)> {
        let costs: Vec<usize> = cands.iter().map(|c| cost(self, c)).collect();
        let Some(&low) = costs.iter().min() else {
            return cands;
        };
        let mut k = 0;
        cands.retain(|_| {
            k += 1;
            costs[k - 1] == low
        });
        let best = cands.iter().map(|c| c.1).max().unwrap_or(0);
        cands.retain(|c| c.1 == best);
        cands
    }

    fn resembles(&self, s: usize, o: usize) -> bool {
        let (x, y) = (self.ctx.snip[s], self.ctx.orig[o]);
        !is_blank(x) && same_line_strength(x, y).is_some_and(|v| v >= RESEMBLES)
    }

    /// Chunk lines `c.start..s1` before the anchor at file line `o1`, with file lines
    /// from `lo`. Returns where the chunk's span starts.
    fn head_edge(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        (s1, o1): (usize, usize),
        lo: usize,
    ) -> Result<usize, Refusal> {
        let (s1, o1) = self.extend_back(v, c, (s1, o1), lo);
        let h = s1 - c.start;
        if h == 0 {
            return Ok(o1);
        }
        // Line for line the file's neighbours, equal or older versions of them.
        if o1 >= lo + h
            && (0..h).all(|i| {
                self.same(c.start + i, o1 - h + i) || self.resembles(c.start + i, o1 - h + i)
            })
        {
            for i in 0..h {
                let p = self.pair(c.start + i, o1 - h + i);
                self.push(v, p);
            }
            return Ok(o1 - h);
        }
        let wlo = lo.max(o1.saturating_sub(h + EDGE_SLACK));
        // Where the chunk's first lines stand in the file, line for line; the lines
        // between there and the anchor are replaced. One place, or none is taken.
        let mut cands = Vec::new();
        for f0 in wlo..o1 {
            let m = (0..h.min(o1 - f0))
                .take_while(|&k| self.same(c.start + k, f0 + k))
                .count();
            if m > 0 && o1 - f0 - m <= h - m + 3 {
                cands.push((f0, m));
            }
        }
        let cands = self.most_plausible(cands, |p, &(f0, m)| {
            p.unexplained(c.start + m..s1, f0 + m..o1)
        });
        match cands.as_slice() {
            [(f0, m)] => {
                for k in 0..*m {
                    let p = self.pair(c.start + k, f0 + k);
                    self.push(v, p);
                }
                self.fill(v, c.start + m..s1, f0 + m..o1);
                return Ok(*f0);
            }
            [] => {}
            [.., (f, _)] => return Err(ambiguous_edge(self.ctx, c, "first", *f)),
        }
        let eq = equal_pairs(self, c.start..s1, wlo..o1);
        let informative_match = eq.iter().any(|&(s, _)| !is_generic(self.ctx.snip[s]));
        let near = lo.max(o1.saturating_sub(h + 2));
        let resembling = (c.start..s1).any(|s| (near..o1).any(|o| self.resembles(s, o)));
        if informative_match || resembling {
            return Err(ambiguous_edge(self.ctx, c, "first", o1.saturating_sub(1)));
        }
        Ok(o1)
    }

    /// Chunk lines after the anchor `(sk, ok)` up to the chunk's end, with file lines
    /// before `hi`. Returns where the chunk's span ends.
    fn tail_edge(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        (sk, ok): (usize, usize),
        hi: usize,
    ) -> Result<usize, Refusal> {
        let (sk, ok) = self.extend_fwd(v, c, (sk, ok), hi);
        let t = c.end - sk - 1;
        if t == 0 {
            return Ok(ok + 1);
        }
        if ok + 1 + t <= hi
            && (1..=t).all(|i| self.same(sk + i, ok + i) || self.resembles(sk + i, ok + i))
        {
            for i in 1..=t {
                let p = self.pair(sk + i, ok + i);
                self.push(v, p);
            }
            return Ok(ok + 1 + t);
        }
        let whi = hi.min(ok + 1 + t + EDGE_SLACK);
        // Where the chunk's last lines stand in the file, line for line.
        let mut cands = Vec::new();
        for fe in ok + 2..=whi {
            let m = (0..t.min(fe - ok - 1))
                .take_while(|&k| self.same(c.end - 1 - k, fe - 1 - k))
                .count();
            if m > 0 && fe - ok - 1 - m <= t - m + 3 {
                cands.push((fe, m));
            }
        }
        let cands = self.most_plausible(cands, |p, &(fe, m)| {
            p.unexplained(sk + 1..c.end - m, ok + 1..fe - m)
        });
        match cands.as_slice() {
            [(fe, m)] => {
                for k in 0..*m {
                    let p = self.pair(c.end - 1 - k, fe - 1 - k);
                    self.push(v, p);
                }
                self.fill(v, sk + 1..c.end - m, ok + 1..fe - m);
                return Ok(*fe);
            }
            [] => {}
            [(f, _), ..] => return Err(ambiguous_edge(self.ctx, c, "last", *f - 1)),
        }
        let eq = equal_pairs(self, sk + 1..c.end, ok + 1..whi);
        let informative_match = eq.iter().any(|&(s, _)| !is_generic(self.ctx.snip[s]));
        let far = hi.min(ok + 3 + t);
        let resembling = (sk + 1..c.end).any(|s| (ok + 1..far).any(|o| self.resembles(s, o)));
        if informative_match || resembling {
            return Err(ambiguous_edge(self.ctx, c, "last", ok + 1));
        }
        Ok(ok + 1)
    }

    /// Place a chunk on its anchors within file lines `lo..hi`.
    fn place(
        &mut self,
        ci: usize,
        anchors: &[(usize, usize)],
        lo: usize,
        hi: usize,
    ) -> Result<Plan, Refusal> {
        let ctx = self.ctx;
        let c = &ctx.chunks[ci];
        self.folded = false;
        let mut v: Vec<Pair> = Vec::new();
        for &(s, o) in anchors {
            let p = self.pair(s, o);
            self.push(&mut v, p);
        }
        for w in anchors.windows(2) {
            let (ds, dfile) = (w[1].0 - w[0].0 - 1, w[1].1 - w[0].1 - 1);
            // Far more file lines between two adjacent chunk lines than the chunk has:
            // a forgotten marker, not a deletion anyone would leave unwritten.
            if dfile > 3 * ds + 40 {
                return Err(Refusal::new(
                    RefusalCode::ValidationFailed,
                    format!(
                        "two nearby lines of this chunk are {dfile} lines apart in the file (lines {} \
                         and {}); put a `... existing code ...` marker between them to keep those \
                         lines, or spell the deletion out",
                        w[0].1 + 1,
                        w[1].1 + 1
                    ),
                )
                .with_chunk(ctx.chunk_text(c)));
            }
            self.fill(&mut v, w[0].0 + 1..w[1].0, w[0].1 + 1..w[1].1);
        }
        let (Some(&first), Some(&last)) = (anchors.first(), anchors.last()) else {
            return Err(
                Refusal::new(RefusalCode::NoAnchor, "no anchor").with_chunk(ctx.chunk_text(c))
            );
        };
        let start = self.head_edge(&mut v, c, first, lo)?;
        let end = self.tail_edge(&mut v, c, last, hi)?;
        self.finish(ci, v, (start, end))
    }

    /// A chunk of kept lines only that starts (ends) with lines saying nothing but `}`,
    /// `};` or blank could mean the same lines a little further out, with the code
    /// between deleted. When the file has them there too, refuse.
    fn generic_edges_unique(
        &self,
        c: &Chunk,
        v: &[Pair],
        (start, end): (usize, usize),
        lo: usize,
        hi: usize,
    ) -> Result<(), Refusal> {
        // Only a chunk that changes nothing where it stands: one with a visible change
        // uses such lines as framing, but a chunk of kept lines only means a deletion.
        let equal = v.iter().filter(|p| p.kind == PairKind::Equal).count();
        if equal != c.end - c.start || end - start != equal {
            return Ok(());
        }
        let paired: HashMap<usize, &Pair> = v.iter().map(|p| (p.s, p)).collect();
        let is_kept = |s: usize| paired.get(&s).is_some_and(|p| p.kind == PairKind::Equal);
        let lead = (c.start..c.end)
            .take_while(|&s| is_generic(self.ctx.snip[s]) && is_kept(s))
            .count();
        let trail = (c.start..c.end)
            .rev()
            .take_while(|&s| is_generic(self.ctx.snip[s]) && is_kept(s))
            .count();
        let run_at = |s0: usize, k: usize, p: usize| (0..k).all(|i| self.same(s0 + i, p + i));
        if lead > 0 && lead < c.end - c.start {
            let from = lo.max(start.saturating_sub(DELETION_REACH));
            if (from..start).any(|p| run_at(c.start, lead, p)) {
                return Err(ambiguous_edge(self.ctx, c, "first", start));
            }
        }
        if trail > 0 && trail < c.end - c.start {
            let to = hi.min(end + DELETION_REACH);
            if (end - trail + 1..=to.saturating_sub(trail)).any(|p| run_at(c.end - trail, trail, p))
            {
                return Err(ambiguous_edge(self.ctx, c, "last", end));
            }
        }
        Ok(())
    }

    fn finish(
        &mut self,
        ci: usize,
        mut v: Vec<Pair>,
        span: (usize, usize),
    ) -> Result<Plan, Refusal> {
        let c = &self.ctx.chunks[ci];
        v.sort_by_key(|p| (p.s, p.o));
        v.dedup_by_key(|p| p.s);
        if v.windows(2).any(|w| w[0].o >= w[1].o) {
            return Err(Refusal::new(
                RefusalCode::AmbiguousAnchor,
                "the chunk's lines match the file in an inconsistent order",
            )
            .with_chunk(self.ctx.chunk_text(c)));
        }
        let (shift, level) = self.shift_and_level(&mut v);
        let restyle = v.iter().any(|p| {
            let (x, y) = (self.ctx.snip[p.s], self.ctx.orig[p.o]);
            p.kind == PairKind::Equal
                && !is_blank(x)
                && (x.starts_with('\t') != y.starts_with('\t'))
                && (x.starts_with([' ', '\t']) || y.starts_with([' ', '\t']))
        });
        Ok(Plan {
            chunk: ci,
            span,
            pairs: v,
            level,
            shift,
            restyle,
        })
    }

    /// A chunk with no anchor of its own, between the spans of its snippet neighbours.
    fn place_loose(
        &mut self,
        ci: usize,
        lo: usize,
        hi: usize,
        pinned: bool,
    ) -> Result<Plan, Refusal> {
        let ctx = self.ctx;
        let c = &ctx.chunks[ci];
        let n = ctx.n();
        if lo < hi {
            let a = own_anchors(ctx, c, lo, hi);
            if !a.is_empty() {
                return self.place(ci, &a, lo, hi);
            }
            // A rewritten declaration: its name declared once in the window.
            let a = named_anchor(ctx, c, lo, hi);
            if !a.is_empty() {
                return self.place(ci, &a, lo, hi);
            }
        }
        let new_only = (c.start..c.end)
            .all(|s| !ctx.oindex.contains_key(ctx.skeys[s].as_ref()) || !informative(ctx, s));
        let edge_first = ci == 0 && !c.marker_before && lo == 0;
        let edge_last = ci + 1 == ctx.chunks.len() && !c.marker_after && hi == n;
        if pinned || (lo == hi && new_only) {
            // After the blank lines between the neighbours: the chunk's own trailing
            // blank line separates it from the next one.
            return self.finish(ci, Vec::new(), (hi, hi));
        }
        if new_only && (edge_first || edge_last) {
            // At a file edge no marker covers, the chunk's lines are the file's first
            // (last) lines again, older versions of them, or new lines beyond them.
            let k = c.end - c.start;
            let end = (0..n)
                .rev()
                .find(|&o| !is_blank(ctx.orig[o]))
                .map_or(0, |o| o + 1);
            let at = if edge_first { 0 } else { end.saturating_sub(k) };
            let fits = if edge_first { k <= n } else { end >= k };
            let same = |p: &Self, i: usize| {
                p.same(c.start + i, at + i) || p.resembles(c.start + i, at + i)
            };
            if fits && (0..k).all(|i| same(self, i)) {
                let mut v = Vec::new();
                for i in 0..k {
                    let p = self.pair(c.start + i, at + i);
                    self.push(&mut v, p);
                }
                return self.finish(ci, v, (at, at + k));
            }
            let near = if edge_first {
                0..n.min(k + 2)
            } else {
                end.saturating_sub(k + 2)..end
            };
            let resembling = (c.start..c.end).any(|s| near.clone().any(|o| self.resembles(s, o)));
            if !resembling && !(edge_last && (c.start..c.end).all(|s| is_generic(ctx.snip[s]))) {
                let at = if edge_first { 0 } else { n };
                return self.finish(ci, Vec::new(), (at, at));
            }
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

/// A strict placement: the plans in file order, and whether every chunk stood on its
/// own anchors or was pinned between neighbours that meet (no edge or window guess).
pub(super) struct Strict {
    pub plans: Vec<Plan>,
    pub pinned_only: bool,
}

/// Plan every chunk; plans come back in file order.
pub(super) fn plan_all(ctx: &Ctx) -> Result<Strict, Refusal> {
    let mut pinned_only = true;
    let n = ctx.n();
    let mut planner = Planner {
        ctx,
        matched: vec![None; ctx.snip.len()],
        folded: false,
        too_short: None,
    };
    let mut plans: Vec<Option<Plan>> = (0..ctx.chunks.len()).map(|_| None).collect();
    for (ci, c) in ctx.chunks.iter().enumerate() {
        let a = own_anchors(ctx, c, 0, n);
        if !a.is_empty() {
            plans[ci] = Some(planner.place(ci, &a, 0, n)?);
        }
    }
    for ci in 0..ctx.chunks.len() {
        if plans[ci].is_some() {
            continue;
        }
        let prev = plans[..ci].iter().rev().flatten().next().map(|p| p.span.1);
        let next = plans[ci + 1..].iter().flatten().next().map(|p| p.span.0);
        let (lo, hi) = (prev.unwrap_or(0), next.unwrap_or(n));
        if lo > hi {
            return Err(Refusal::new(
                RefusalCode::OutOfOrder,
                "this chunk stands between two chunks that are out of file order, so where it goes \
                 cannot be decided; send changes top to bottom",
            )
            .with_chunk(ctx.chunk_text(&ctx.chunks[ci])));
        }
        // Neighbours that meet in the file pin a chunk of new code between them.
        let pinned = prev.is_some() && next.is_some() && (lo..hi).all(|o| is_blank(ctx.orig[o]));
        pinned_only &= pinned;
        plans[ci] = Some(planner.place_loose(ci, lo, hi, pinned)?);
    }
    let mut plans: Vec<Plan> = plans.into_iter().flatten().collect();
    plans.sort_by_key(|p| (p.span.0, p.span.1, p.chunk));
    for w in plans.windows(2) {
        if w[0].span.1 > w[1].span.0 {
            return Err(Refusal::new(
                RefusalCode::OutOfOrder,
                format!(
                    "two chunks claim overlapping lines of the file (lines {}-{} and {}-{})",
                    w[0].span.0 + 1,
                    w[0].span.1,
                    w[1].span.0 + 1,
                    w[1].span.1
                ),
            )
            .with_chunk(ctx.chunk_text(&ctx.chunks[w[1].chunk])));
        }
    }
    // Checked once every chunk has its place: another chunk's lines are no deletion.
    for (k, p) in plans.iter().enumerate() {
        let lo = k.checked_sub(1).map_or(0, |j| plans[j].span.1);
        let hi = plans.get(k + 1).map_or(n, |q| q.span.0);
        let c = &ctx.chunks[p.chunk];
        planner.generic_edges_unique(c, &p.pairs, p.span, lo, hi)?;
    }
    Ok(Strict { plans, pinned_only })
}
