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

use super::super::structure::{decl_name, is_generic, same_line_strength};
use super::super::text::is_blank;
use super::super::types::{Refusal, RefusalCode};
use super::anchor::lis;
use super::edges::ambiguous_edge;
use super::span::{Pair, PairKind, Plan, Planner};
use super::{Chunk, Ctx};
use std::collections::HashMap;

mod carried;
mod file_edge;
mod loose;
mod meet;

use carried::carried;
use loose::Hold;

/// How far out a chunk's generic edge lines are looked for again (a deletion reading).
const DELETION_REACH: usize = 20;

/// File lines between two anchors of a chunk beyond three per chunk line between them
/// that are refused rather than deleted unseen. More than this is a forgotten marker, or
/// a new line that happens to equal a line further on (a false anchor); on real edits
/// a margin of 40 let 7 such wrong merges through (of 1,249) against 4 real deletions.
const SILENT_DELETION: usize = 15;

/// Characters of a line (trimmed) that make it an anchor with substance: a signature
/// or a statement, not a `display: flex;` that a stylesheet repeats in every rule.
pub(super) const STRONG_ANCHOR: usize = 25;

fn informative(ctx: &Ctx, s: usize) -> bool {
    ctx.sline.is_code(s) && !is_generic(ctx.snip[s])
}

/// Whether every line of a chunk is new code: not in the file, or saying nothing there.
fn new_only(ctx: &Ctx, c: &Chunk) -> bool {
    (c.start..c.end)
        .all(|s| !ctx.oindex.contains_key(ctx.skeys[s].as_ref()) || !informative(ctx, s))
}

/// Whether a chunk reads as new code though some of its lines occur in the file: no two
/// of its informative lines in a row stand in a row anywhere in the file. A new method
/// repeats single statements of its neighbours (`case r @ Right(_) => …`); a rewrite of
/// existing code carries runs of the old code along.
fn no_copied_run(ctx: &Ctx, c: &Chunk) -> bool {
    !(c.start..c.end.saturating_sub(1)).any(|s| {
        informative(ctx, s)
            && informative(ctx, s + 1)
            && ctx.oindex.get(ctx.skeys[s].as_ref()).is_some_and(|at| {
                at.iter()
                    .any(|&o| o + 1 < ctx.n() && ctx.okeys[o + 1] == ctx.skeys[s + 1])
            })
    })
}

/// Whether a chunk declares a name (`def leftFlatMap`, `fn parse`) the file declares
/// nowhere: new code, whatever single lines of it the file has elsewhere.
fn declares_new_name(ctx: &Ctx, c: &Chunk) -> bool {
    (c.start..c.end).any(|s| {
        decl_name(ctx.snip[s])
            .is_some_and(|name| !ctx.orig.iter().any(|o| decl_name(o) == Some(name)))
    })
}

/// Anchors of one chunk on its own: unique in the chunk and in `lo..hi` of the file.
pub(super) fn own_anchors(ctx: &Ctx, c: &Chunk, lo: usize, hi: usize) -> Vec<(usize, usize)> {
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

impl Planner<'_, '_, '_> {
    /// Place a chunk on its anchors within file lines `lo..hi`.
    pub(super) fn place(
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
        for (k, w) in anchors.windows(2).enumerate() {
            let (ds, dfile) = (w[1].0 - w[0].0 - 1, w[1].1 - w[0].1 - 1);
            // Far more file lines between two nearby chunk lines than the chunk has:
            // a forgotten marker or a false anchor, not a deletion anyone would leave
            // unwritten. So is a deletion of any size that joins two blocks.
            let joins = dfile > 0 && super::verify::joins_blocks(ctx, w[0], w[1]);
            if joins || dfile > 3 * ds + SILENT_DELETION {
                // Unless one side's anchors clearly hold the chunk (twice as many, two
                // of them lines with substance): the other side's are then new lines
                // equal to code further away (a rewritten method ending like the next
                // one). The structural reading must still write the same file.
                let (left, right) = anchors.split_at(k + 1);
                let strong = |group: &[(usize, usize)]| {
                    group
                        .iter()
                        .filter(|&&(s, _)| ctx.snip[s].trim().len() >= STRONG_ANCHOR)
                        .count()
                        >= 2
                };
                // A lone short line on one side (`return index !== -1`) against two
                // lines with substance on the other is a new line too.
                let lone_short = |group: &[(usize, usize)]| matches!(group, [(s, _)] if ctx.snip[*s].trim().len() < STRONG_ANCHOR);
                // The first line past the gap on one side is a new version of the file
                // line right next to the other side's anchor (`local results = …(`
                // split over three lines): the chunk rewrites that line there, and the
                // lines past the gap are new ones equal to code further away.
                let rewrites = |s: usize, o: usize| {
                    o < ctx.n()
                        && ctx.skeys[s] != ctx.okeys[o]
                        && same_line_strength(ctx.snip[s], ctx.orig[o]).is_some_and(|v| v >= 0.9)
                };
                let substance = |group: &[(usize, usize)]| {
                    group
                        .iter()
                        .any(|&(s, _)| ctx.snip[s].trim().len() >= STRONG_ANCHOR)
                };
                let next_rewritten = [
                    (left, rewrites(w[1].0, w[0].1 + 1)),
                    (right, w[1].1 > 0 && rewrites(w[0].0, w[1].1 - 1)),
                ];
                for (kept, rewritten) in next_rewritten {
                    // Where the gap joins two blocks, a declaration is substance enough
                    // (`def commits(cwd):` with its first statement split over lines).
                    let declares = kept.iter().any(|&(s, _)| decl_name(ctx.snip[s]).is_some());
                    if rewritten && (substance(kept) || (joins && declares)) {
                        self.matched[c.start..c.end].fill(None);
                        return self.place(ci, kept, lo, hi);
                    }
                }
                // The chunk lines each side's anchors carry along with them: the chunk's
                // lines around an anchor that equal the file's lines around it. A true
                // place brings its context; a new line equal to code elsewhere does not.
                // A side carrying at least 4 such lines wins over one carrying at most one
                // (a lone line, not a run of context of its own): on real edits, letting a
                // side win over a run of 2 merged 3 snippets wrong.
                let (cl, cr) = (carried(ctx, c, left), carried(ctx, c, right));
                for (kept, other, (ck, co)) in [(left, right, (cl, cr)), (right, left, (cr, cl))] {
                    let outweighs = kept.len() >= 2 * other.len() && kept.len() >= 3;
                    let carries = ck >= 4 && co <= 1;
                    if carries || ((outweighs || lone_short(other)) && strong(kept)) {
                        // This attempt's matches are forgotten; the retry makes its own.
                        self.matched[c.start..c.end].fill(None);
                        return self.place(ci, kept, lo, hi);
                    }
                }
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
        &mut self,
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
                return Err(self.ambiguous_tail(c, end));
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
        let restyle = self.restyles(&v);
        Ok(Plan {
            chunk: ci,
            span,
            pairs: v,
            level,
            shift,
            restyle,
        })
    }
}

/// A strict placement: the plans in file order, and whether every chunk stood on its
/// own anchors or a place that holds it (pinned between neighbours that meet, fitted
/// at a file edge or line for line), with no window guess.
pub(super) struct Strict {
    pub plans: Vec<Plan>,
    pub loose_held: bool,
    /// Chunks held by their place, not by a line of their own, with their spans:
    /// closers placed where they meet a held neighbour (`meet.rs`), and chunks fitted
    /// line for line at the one place that fits (`fit.rs`).
    pub held_without_anchor: Vec<(usize, (usize, usize))>,
    /// A chunk's edge lines were taken as the file's further out, the code between
    /// deleted (`echo.rs`): the merge drops more than it writes on purpose.
    pub echo_deleted: bool,
    /// The last chunk, closers only, was set where it first stands unchanged
    /// (`fit.rs`): a place that changes nothing, taken only where both readings
    /// write the same file.
    pub closers_fitted: bool,
}

/// A strict refusal, whether it was for a chunk's last lines that could stand at more
/// than one place, and whether it was for two chunks claiming the same lines.
pub(super) struct Refused {
    pub refusal: Refusal,
    pub tail_edge: bool,
    pub overlap: bool,
    /// Refused for edge lines that stand again a few lines out (`echo.rs`).
    pub echoed: bool,
}

impl Refused {
    /// The snippet's last chunk, closers only, has no place of its own.
    pub fn no_place(ctx: &Ctx) -> Self {
        let chunk = ctx
            .chunks
            .last()
            .map(|c| ctx.chunk_text(c))
            .unwrap_or_default();
        Self {
            refusal: Refusal::new(
                RefusalCode::AmbiguousAnchor,
                "this chunk's lines close blocks and stand at more than one place; include \
                 an unchanged line that occurs once in the file next to it",
            )
            .with_chunk(chunk),
            tail_edge: false,
            overlap: false,
            echoed: false,
        }
    }
}

/// Plan every chunk; plans come back in file order.
pub(super) fn plan_all(ctx: &Ctx) -> Result<Strict, Refused> {
    let mut planner = Planner {
        ctx,
        matched: vec![None; ctx.snip.len()],
        folded: false,
        too_short: None,
        tail_ambiguous: false,
        overlapping: false,
        edge_echoed: false,
        echo_deleted: false,
        closers_fitted: false,
    };
    plan_with(ctx, &mut planner).map_err(|refusal| Refused {
        refusal,
        tail_edge: planner.tail_ambiguous,
        overlap: planner.overlapping,
        echoed: planner.edge_echoed,
    })
}

fn plan_with(ctx: &Ctx, planner: &mut Planner) -> Result<Strict, Refusal> {
    let mut loose_held = true;
    let n = ctx.n();
    let mut plans: Vec<Option<Plan>> = (0..ctx.chunks.len()).map(|_| None).collect();
    // Chunks declaring something new whose one own anchor is a statement that the new
    // code shares with other code (habit 5): their place may yet come from neighbours
    // that meet around them (`meet.rs`).
    let mut weak = vec![false; ctx.chunks.len()];
    for (ci, c) in ctx.chunks.iter().enumerate() {
        let a = own_anchors(ctx, c, 0, n);
        if a.len() == 1 && declares_new_name(ctx, c) && no_copied_run(ctx, c) {
            weak[ci] = true;
            plans[ci] = planner.place(ci, &a, 0, n).ok();
            if plans[ci].is_none() {
                planner.matched[c.start..c.end].fill(None);
            }
        } else if !a.is_empty() {
            plans[ci] = Some(planner.place(ci, &a, 0, n)?);
        }
    }
    let mut held_without_anchor = planner.place_meeting(&mut plans, &weak);
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
        let (plan, hold) = planner.place_loose(ci, lo, hi, pinned)?;
        loose_held &= hold != Hold::Guessed;
        if hold == Hold::Fitted {
            held_without_anchor.push((ci, plan.span));
        }
        plans[ci] = Some(plan);
    }
    let mut plans: Vec<Plan> = plans.into_iter().flatten().collect();
    plans.sort_by_key(|p| (p.span.0, p.span.1, p.chunk));
    // Chunks out of file order are placed on their own lines alone; where one of them
    // matches the file only at another indentation than the rest of the snippet
    // (`else if …` at the file's outer level, shown inside a block), its match is
    // a look-alike, not its place.
    let out_of_order = plans.windows(2).any(|w| w[0].chunk > w[1].chunk);
    if let (true, Some(first)) = (out_of_order, plans.first()) {
        if let Some(p) = plans.iter().find(|p| p.shift != first.shift) {
            return Err(Refusal::new(
                RefusalCode::OutOfOrder,
                "this chunk stands out of file order and matches the file only at another \
                 indentation than the other chunks, so its place is a guess; send changes top \
                 to bottom with the unchanged lines around each",
            )
            .with_chunk(ctx.chunk_text(&ctx.chunks[p.chunk]))
            .with_candidates(vec![p.span.0 + 1]));
        }
    }
    if let Err(r) = super::overlap::resolve(ctx, planner, &mut plans) {
        planner.overlapping = true;
        return Err(r);
    }
    // Checked once every chunk has its place: another chunk's lines are no deletion.
    for (k, p) in plans.iter().enumerate() {
        let lo = k.checked_sub(1).map_or(0, |j| plans[j].span.1);
        let hi = plans.get(k + 1).map_or(n, |q| q.span.0);
        let c = &ctx.chunks[p.chunk];
        planner.generic_edges_unique(c, &p.pairs, p.span, lo, hi)?;
    }
    Ok(Strict {
        plans,
        loose_held,
        held_without_anchor,
        echo_deleted: planner.echo_deleted,
        closers_fitted: planner.closers_fitted,
    })
}
