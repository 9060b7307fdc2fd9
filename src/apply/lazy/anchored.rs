//! Whether a placed chunk is held at its place by what it keeps. A chunk whose kept
//! lines (`}`, a repeated `color: red;`) stand together at other places too was placed
//! by its neighbours' order alone. On the rendered real-edit corpus that guess made 3
//! silent wrong merges for every 10 right ones; a wrong merge costs far more than a
//! repair round, so such a chunk is refused, asking for a line that occurs once, unless
//! two neighbours that are held themselves close the gap around it and its run stands
//! once in that gap (`anchored_within`; no wrong merge on the corpus).

use super::super::structure::{identity, is_generic};
use super::super::text::{indent_width, is_blank};
use super::span::{Pair, PairKind, Plan};
use super::Ctx;

/// Whether a chunk that keeps file lines is tied to its place by them: some run of its
/// kept lines, holding a line that says something, stands at one place in the file only.
/// A chunk made only of new lines is placed by its neighbours and is not asked; one
/// whose only matches are rewrites is held by a rewritten declaration alone.
pub(super) fn anchored_once(ctx: &Ctx, plan: &Plan) -> bool {
    anchored_within(ctx, plan, 0, ctx.n())
}

/// [`anchored_once`] with the runs counted only in file lines `lo..hi`.
pub(super) fn anchored_within(ctx: &Ctx, plan: &Plan, lo: usize, hi: usize) -> bool {
    let kept: Vec<&Pair> = plan
        .pairs
        .iter()
        .filter(|q| q.kind == PairKind::Equal)
        .collect();
    if plan.pairs.is_empty() {
        return true;
    }
    let mut k = 0;
    while k < kept.len() {
        let mut e = k + 1;
        while e < kept.len() && kept[e].s == kept[e - 1].s + 1 && kept[e].o == kept[e - 1].o + 1 {
            e += 1;
        }
        let run = &kept[k..e];
        if run.iter().any(|q| !is_generic(ctx.orig[q.o])) {
            let keys: Vec<&str> = run.iter().map(|q| ctx.okeys[q.o].as_ref()).collect();
            let places = ctx.oindex.get(keys[0]).map_or(0, |starts| {
                starts
                    .iter()
                    .filter(|&&o| {
                        o >= lo
                            && o + keys.len() <= hi
                            && keys
                                .iter()
                                .enumerate()
                                .all(|(i, key)| ctx.okeys[o + i] == *key)
                    })
                    .count()
            });
            if places == 1 {
                return true;
            }
        }
        k = e;
    }
    // Else a rewritten declaration whose name the file declares once holds it too, unless
    // the rewrite's text stands in the file as it is (then that is its place).
    let declared_once = |name: &str| {
        ctx.orig
            .iter()
            .filter(|l| identity(l) == Some(name))
            .count()
            == 1
    };
    plan.pairs.iter().any(|q| {
        q.kind == PairKind::Modified
            && !ctx.oindex.contains_key(ctx.skeys[q.s].as_ref())
            && identity(ctx.snip[q.s])
                .is_some_and(|n| identity(ctx.orig[q.o]) == Some(n) && declared_once(n))
    })
}

/// Whether a chunk that starts with a closer (`}` after `// ... existing code ...`) is
/// held by the block it closes: in the snippet the closer ends a block whose opening
/// line another chunk matched with a line that occurs once in the file, and the
/// file line the chunk starts at is that opener's closer. (`impl Config {`, a rewritten
/// method, a marker inside the impl, then the `}` of the impl.)
pub(super) fn closes_held_opener(ctx: &Ctx, plans: &[Plan], plan: &Plan) -> bool {
    let c = &ctx.chunks[plan.chunk];
    if !is_generic(ctx.snip[c.start]) {
        return false;
    }
    // The marker before it must stand inside the block: one at the closer's own
    // indentation may stand for more blocks after this one, whose last `}` it is.
    let marker = (0..c.start).rev().find(|&i| !is_blank(ctx.snip[i]));
    if marker.is_none_or(|m| indent_width(ctx.snip[m]) <= indent_width(ctx.snip[c.start])) {
        return false;
    }
    let Some(opener) = ctx.sline.opener_of_closer(c.start) else {
        return false;
    };
    let matched = plans
        .iter()
        .flat_map(|p| &p.pairs)
        .find(|q| q.s == opener && q.kind == PairKind::Equal);
    matched.is_some_and(|q| {
        ctx.oindex
            .get(ctx.okeys[q.o].as_ref())
            .is_some_and(|at| at.len() == 1)
            && !is_generic(ctx.orig[q.o])
            && plan.pairs.first().is_some_and(|f| f.s == c.start)
            && ctx.oline.opener_of_closer(plan.span.0) == Some(q.o)
    })
}
