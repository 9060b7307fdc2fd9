//! Edges of a strictly placed chunk: the lines beyond its outermost anchors, compared
//! with the file lines right next to them. Lines the file has there (a `}` or blank shown
//! again) are the file's, lines that read as older versions of them replace them, lines
//! unlike anything there are new; an edge that could stand at several places is refused.

use super::super::structure::{is_generic, same_line_strength};
use super::super::text::is_blank;
use super::super::types::{Refusal, RefusalCode};
use super::span::{Pair, Planner};
use super::{Chunk, Ctx};
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// Extra file lines beyond a chunk's own that an edge diff may look at.
const EDGE_SLACK: usize = 6;

/// A line the edge could be an older version of.
const RESEMBLES: f32 = 0.6;

pub(super) fn ambiguous_edge(ctx: &Ctx, c: &Chunk, what: &str, near: usize) -> Refusal {
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
    /// The refusal for a chunk whose last lines could stand at several places; noted,
    /// since on its own the other reading's guess there is not to be taken.
    pub(super) fn ambiguous_tail(&mut self, c: &Chunk, near: usize) -> Refusal {
        self.tail_ambiguous = true;
        ambiguous_edge(self.ctx, c, "last", near)
    }

    /// Pair the lines before an anchor while they equal the file's, line for line (a
    /// `}`, `)` or blank shown again is the file's), but not a closer whose block opens
    /// inside the chunk: that one ends new code written above the anchor.
    pub(super) fn extend_back(
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
    pub(super) fn extend_fwd(
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
    pub(super) fn unexplained(
        &self,
        s: std::ops::Range<usize>,
        o: std::ops::Range<usize>,
    ) -> usize {
        o.filter(|&f| !is_blank(self.ctx.orig[f]))
            .filter(|&f| !s.clone().any(|x| self.same(x, f) || self.resembles(x, f)))
            .count()
    }

    /// Of the edge placements `(file line, lines matched)`, those that delete the fewest
    /// unexplained file lines, then match the most lines. More than one left: ambiguous.
    pub(super) fn most_plausible(
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

    /// Line for line at the same place: equal, or recognisably the same line.
    fn beside(&self, s: usize, o: usize) -> bool {
        self.same(s, o)
            || (!is_blank(self.ctx.snip[s])
                && same_line_strength(self.ctx.snip[s], self.ctx.orig[o]).is_some())
    }

    pub(super) fn resembles(&self, s: usize, o: usize) -> bool {
        let (x, y) = (self.ctx.snip[s], self.ctx.orig[o]);
        !is_blank(x) && same_line_strength(x, y).is_some_and(|v| v >= RESEMBLES)
    }

    /// Chunk lines `c.start..s1` before the anchor at file line `o1`, with file lines
    /// from `lo`. Returns where the chunk's span starts.
    pub(super) fn head_edge(
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
        if o1 >= lo + h && (0..h).all(|i| self.beside(c.start + i, o1 - h + i)) {
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
        if let Some(f) = self.head_echo_deletion(c, s1, o1, lo) {
            self.echo_deleted = true;
            self.pair_run(v, c.start, f, h);
            return Ok(f);
        }
        let eq = equal_pairs(self, c.start..s1, wlo..o1);
        let informative_match = eq.iter().any(|&(s, _)| !is_generic(self.ctx.snip[s]));
        let near = lo.max(o1.saturating_sub(h + 2));
        let resembling = (c.start..s1).any(|s| (near..o1).any(|o| self.resembles(s, o)));
        if informative_match || resembling || self.head_echoed(c, s1, o1, lo) {
            return Err(ambiguous_edge(self.ctx, c, "first", o1.saturating_sub(1)));
        }
        Ok(o1)
    }

    /// Chunk lines after the anchor `(sk, ok)` up to the chunk's end, with file lines
    /// before `hi`. Returns where the chunk's span ends.
    pub(super) fn tail_edge(
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
        if ok + 1 + t <= hi && (1..=t).all(|i| self.beside(sk + i, ok + i)) {
            for i in 1..=t {
                let p = self.pair(sk + i, ok + i);
                self.push(v, p);
            }
            return Ok(ok + 1 + t);
        }
        // The snippet ends without a marker inside the block its last anchor opens: the
        // chunk's lines are that block's rest (a rewritten body), unless far fewer.
        let opener_ind = self.ctx.sline.ind(sk);
        let inside = (sk + 1..c.end)
            .all(|s| !self.ctx.sline.is_code(s) || self.ctx.sline.ind(s) > opener_ind);
        if !c.marker_after && self.ctx.has_markers && inside && self.ctx.oline.opens_block(ok) {
            let mut be = self.ctx.oline.block_end(ok).min(hi);
            while be > ok + 1 && is_blank(self.ctx.orig[be - 1]) {
                be -= 1;
            }
            let code = |r: std::ops::Range<usize>, text: &[&str]| {
                r.filter(|&i| !is_blank(text[i])).count()
            };
            if code(ok + 1..be, self.ctx.orig) <= code(sk + 1..c.end, self.ctx.snip) + 1 {
                self.fill(v, sk + 1..c.end, ok + 1..be);
                return Ok(be);
            }
            return Err(self.ambiguous_tail(c, ok + 1));
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
            [(f, _), ..] => return Err(self.ambiguous_tail(c, *f - 1)),
        }
        let eq = equal_pairs(self, sk + 1..c.end, ok + 1..whi);
        let informative_match = eq.iter().any(|&(s, _)| !is_generic(self.ctx.snip[s]));
        let far = hi.min(ok + 3 + t);
        let resembling = (sk + 1..c.end).any(|s| (ok + 1..far).any(|o| self.resembles(s, o)));
        if informative_match || resembling || self.tail_echoed(c, sk, ok, hi) {
            return Err(self.ambiguous_tail(c, ok + 1));
        }
        Ok(ok + 1)
    }
}
