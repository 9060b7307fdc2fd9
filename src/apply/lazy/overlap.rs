//! Two chunks of the strict reading that claim the same file lines: resolved where
//! one of them plainly stands elsewhere, refused otherwise.

use super::super::types::{Refusal, RefusalCode};
use super::span::{Plan, Planner};
use super::strict::{own_anchors, STRONG_ANCHOR};
use super::Ctx;

/// Two chunks claiming the same file lines. Where exactly one of them still stands
/// without its anchors inside the other's span (two anchors or more, one with
/// substance, now clear of the other), those lines of it are new code equal to code
/// the other chunk rewrites (a method extracted from lines replaced by its call), and
/// it is placed on the rest. Otherwise the overlap is refused.
pub(super) fn resolve(ctx: &Ctx, planner: &mut Planner, plans: &mut [Plan]) -> Result<(), Refusal> {
    let n = ctx.n();
    for _ in 0..plans.len() {
        let Some(k) = plans.windows(2).position(|w| w[0].span.1 > w[1].span.0) else {
            return Ok(());
        };
        let before = planner.matched.clone();
        let mut options = Vec::new();
        for (victim, other) in [(k + 1, k), (k, k + 1)] {
            let (ci, (lo, hi)) = (plans[victim].chunk, plans[other].span);
            let c = &ctx.chunks[ci];
            let all = own_anchors(ctx, c, 0, n);
            let kept: Vec<(usize, usize)> = all
                .iter()
                .copied()
                .filter(|&(_, o)| o < lo || o >= hi)
                .collect();
            let strong = kept
                .iter()
                .any(|&(s, _)| ctx.snip[s].trim().len() >= STRONG_ANCHOR);
            if kept.len() == all.len() || kept.len() < 2 || !strong {
                continue;
            }
            planner.matched[c.start..c.end].fill(None);
            let placed = planner.place(ci, &kept, 0, n);
            planner.matched.clone_from(&before);
            if let Ok(plan) = placed {
                let clear = |q: &Plan| q.span.1 <= plan.span.0 || q.span.0 >= plan.span.1;
                if plans
                    .iter()
                    .enumerate()
                    .all(|(j, q)| j == victim || clear(q))
                {
                    options.push((victim, kept));
                }
            }
        }
        let [(victim, kept)] = options.as_slice() else {
            return Err(overlap(ctx, &plans[k], &plans[k + 1]));
        };
        let c = &ctx.chunks[plans[*victim].chunk];
        planner.matched[c.start..c.end].fill(None);
        plans[*victim] = planner.place(plans[*victim].chunk, kept, 0, n)?;
        plans.sort_by_key(|p| (p.span.0, p.span.1, p.chunk));
    }
    match plans.windows(2).find(|w| w[0].span.1 > w[1].span.0) {
        Some(w) => Err(overlap(ctx, &w[0], &w[1])),
        None => Ok(()),
    }
}

fn overlap(ctx: &Ctx, p: &Plan, q: &Plan) -> Refusal {
    Refusal::new(
        RefusalCode::OutOfOrder,
        format!(
            "two chunks claim overlapping lines of the file (lines {}-{} and {}-{})",
            p.span.0 + 1,
            p.span.1,
            q.span.0 + 1,
            q.span.1
        ),
    )
    .with_chunk(ctx.chunk_text(&ctx.chunks[q.chunk]))
}
