//! A chunk that writes, as a new line, a line the file holds exactly once and keeps
//! elsewhere: the chunk was placed away from the code it shows. Its unique line was
//! anchored somewhere else first (a chunk whose unique lines disagree on their order
//! keeps only one of them as an anchor), and written again here as new, so the merge
//! would leave two copies of code that had one.

use super::super::structure::is_generic;
use super::super::text::OutLine;
use super::emit::Emitted;
use super::span::Plan;
use super::Ctx;

/// The informative code lines a merge writes as new: (text, snippet line, plan index).
fn new_code_lines<'e>(
    ctx: &'e Ctx,
    em: &'e Emitted,
) -> impl Iterator<Item = (&'e str, usize, usize)> + 'e {
    em.out.iter().zip(&em.origin).filter_map(|(line, origin)| {
        let (OutLine::New(text), Some((s, pi))) = (line, origin) else {
            return None;
        };
        (ctx.sline.is_code(*s) && !is_generic(ctx.snip[*s])).then_some((text.as_ref(), *s, *pi))
    })
}

/// The first new line ahead of a chunk's matched lines that repeats a once-occurring,
/// informative file line the merge keeps after them: (plan index, that file line).
pub(super) fn copied_unique_line(
    ctx: &Ctx,
    em: &Emitted,
    plans: &[Plan],
) -> Option<(usize, usize)> {
    let kept = em.kept(ctx.n());
    new_code_lines(ctx, em).find_map(|(_, s, pi)| {
        let [o] = ctx.oindex.get(ctx.skeys[s].as_ref())?.as_slice() else {
            return None;
        };
        let plan = plans.get(pi)?;
        let first = plan.pairs.first()?;
        // The snippet puts the line ahead of the chunk's matched lines, the file after
        // them: the chunk's head was meant to stand there. (A line appended after the
        // matches that equals one above them is ordinary: `return self.items` in a new
        // method.)
        let crossed = s < first.s && *o >= plan.span.1;
        (kept[*o] && crossed).then_some((pi, *o))
    })
}

/// A chunk that drops a line of the span it replaces, writes the same line anew, and
/// drops with it other informative lines it does not restate: the chunk's lines were
/// matched against the wrong lines of that span (a new line equal to a line further on
/// taken as an anchor), so the merge deletes code the snippet never mentions. (A line
/// moved on its own, an import shown at its new place, is an ordinary edit.) Returns
/// (plan index, the file line dropped).
pub(super) fn dropped_and_restated(
    ctx: &Ctx,
    em: &Emitted,
    plans: &[Plan],
) -> Option<(usize, usize)> {
    let kept = em.kept(ctx.n());
    let restated = |pi: usize, text: &str| {
        em.out.iter().zip(&em.origin).any(|(line, origin)| {
            matches!((line, origin), (OutLine::New(t), Some((_, p))) if *p == pi && t.trim_end() == text)
        })
    };
    new_code_lines(ctx, em).find_map(|(text, s, pi)| {
        let plan = plans.get(pi)?;
        let (lo, hi) = plan.span;
        // Only the same bytes: a line re-indented (code wrapped in a new block) is
        // dropped and written anew by every such edit.
        let o = *ctx.oindex.get(ctx.skeys[s].as_ref())?.iter().find(|&&o| {
            o >= lo && o < hi && !kept[o] && ctx.orig[o].trim_end() == text.trim_end()
        })?;
        let start = (lo..o).rev().find(|&k| kept[k]).map_or(lo, |k| k + 1);
        let end = (o..hi).find(|&k| kept[k]).unwrap_or(hi);
        let unmentioned =
            (start..end).any(|k| !is_generic(ctx.orig[k]) && !restated(pi, ctx.orig[k].trim_end()));
        unmentioned.then_some((pi, o))
    })
}
