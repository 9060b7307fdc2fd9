//! A new declaration written inside an existing block takes the rest of that block as
//! its own body: `def delete(self, key):` placed above `self.save()` of `def set`, on
//! the strength of the one line the two share, leaves `set` without its last line.

use super::super::structure::{decl_name, ends_statement};
use super::super::text::{indent_width, is_blank, OutLine};
use super::emit::Emitted;
use super::span::Plan;
use super::Ctx;

/// A new declaration line in the merge, at the indentation of the block a kept file
/// line stands in, followed (past new and blank lines) by that kept line indented
/// under it: the kept line would change blocks, though the chunk never showed the
/// block's opening line. (A chunk that shows it and then a new declaration splits the
/// block on purpose: a method cut in two.) Returns (plan index, file line).
pub(super) fn stolen_body(ctx: &Ctx, em: &Emitted, plans: &[Plan]) -> Option<(usize, usize)> {
    let out = &em.out;
    let mut kept_at = vec![None; ctx.n()];
    for (i, line) in out.iter().enumerate() {
        if let OutLine::Orig(o) = line {
            if let Some(k) = kept_at.get_mut(*o) {
                *k = Some(i);
            }
        }
    }
    out.iter().enumerate().find_map(|(i, line)| {
        let OutLine::New(text) = line else {
            return None;
        };
        // A declaration that opens a block: `let x = f();` opens none.
        decl_name(text)?;
        if ends_statement(text) {
            return None;
        }
        let width = indent_width(text);
        let o = out[i + 1..].iter().find_map(|l| match l {
            OutLine::Orig(o) if !is_blank(ctx.orig[*o]) => Some(Some(*o)),
            OutLine::Orig(_) => None,
            OutLine::New(t) if is_blank(t) => None,
            OutLine::New(t) => (indent_width(t) <= width).then_some(None),
        })??;
        let block = ctx.oline.enclosing(o)?;
        let plan = em.origin.get(i).copied().flatten().map(|(_, p)| p)?;
        let stolen = ctx.oline.ind(o) > width
            && ctx.oline.ind(block) == width
            && kept_at[block].is_some_and(|b| b < i)
            && plans.get(plan).is_some_and(|p| p.span.0 > block);
        stolen.then_some((plan, o))
    })
}
