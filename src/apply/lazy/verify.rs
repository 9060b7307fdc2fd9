//! Checks on a finished lazy merge, independent of how the chunks were placed.
//!
//! A chunk placed one line off at an edge shows up as a closer written twice (`}` new
//! next to the file's own `}`) or a closer lost with the lines a marker should have
//! kept. Either changes the file's bracket balance, which a real edit almost never
//! does: the lines a merge adds and the lines it drops must open and close as many
//! brackets as each other.

use super::super::text::OutLine;
use super::super::text::{indent_width, is_blank};
use super::emit::Emitted;
use super::span::Plan;
use super::Ctx;

/// Net count of `(`/`[`/`{` over `)`/`]`/`}` on one line, outside string literals.
/// Quotes are tracked within the line only: a line's count is then a fixed function of
/// its text, so a line kept by the merge cancels out whatever the count makes of it.
fn balance(line: &str) -> [i32; 3] {
    let mut b = [0i32; 3];
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for ch in line.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '"' | '`' => quote = Some(ch),
            '(' => b[0] += 1,
            ')' => b[0] -= 1,
            '[' => b[1] += 1,
            ']' => b[1] -= 1,
            '{' => b[2] += 1,
            '}' => b[2] -= 1,
            _ => {}
        }
    }
    b
}

/// The first chunk (plan index) whose added and dropped lines do not open and close as
/// many brackets as each other, with the kind of bracket that is off, when the merge as
/// a whole is off too (a change moving a brace from one chunk to another is not).
pub(super) fn unbalanced(ctx: &Ctx, em: &Emitted, plans: &[Plan]) -> Option<(&'static str, usize)> {
    let mut kept = vec![false; ctx.n()];
    let mut per_plan = vec![[0i32; 3]; plans.len()];
    let mut net = [0i32; 3];
    let add = |to: &mut [i32; 3], b: [i32; 3], sign: i32| {
        for (n, x) in to.iter_mut().zip(b) {
            *n += sign * x;
        }
    };
    for (l, origin) in em.out.iter().zip(&em.origin) {
        match l {
            OutLine::Orig(o) => {
                if let Some(k) = kept.get_mut(*o) {
                    *k = true;
                }
            }
            OutLine::New(t) => {
                let b = balance(t);
                add(&mut net, b, 1);
                if let Some(pp) = origin.and_then(|(_, pi)| per_plan.get_mut(pi)) {
                    add(pp, b, 1);
                }
            }
        }
    }
    for (o, k) in kept.iter().enumerate() {
        if !k {
            let b = balance(ctx.orig[o]);
            add(&mut net, b, -1);
            if let Some(pi) = plans.iter().position(|p| p.span.0 <= o && o < p.span.1) {
                add(&mut per_plan[pi], b, -1);
            }
        }
    }
    let names = ["parenthesis", "square bracket", "brace"];
    let kind = net.iter().position(|&n| n != 0)?;
    let pi = per_plan.iter().position(|b| b[kind] != 0).unwrap_or(0);
    Some((names[kind], pi))
}

/// Whether the snippet's indentation frame is unclear: none of its lines that equal a
/// file line stands at the file's indentation, and they disagree on the offset (one
/// group is the snippet's shift, the other a block the change re-indents, and nothing
/// says which is which).
pub(super) fn indent_frame_unclear(ctx: &Ctx, plans: &[Plan]) -> bool {
    let mut counts: Vec<(isize, usize)> = Vec::new();
    for p in plans.iter().flat_map(|p| p.pairs.iter()) {
        let (x, y) = (ctx.snip[p.s], ctx.orig[p.o]);
        if is_blank(x) || ctx.skeys[p.s] != ctx.okeys[p.o] {
            continue;
        }
        let d = indent_width(y) as isize - indent_width(x) as isize;
        match counts.iter_mut().find(|c| c.0 == d) {
            Some(c) => c.1 += 1,
            None => counts.push((d, 1)),
        }
    }
    if counts.iter().any(|c| c.0 == 0) || counts.len() < 2 {
        return false;
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1));
    counts[1].1 >= 2
}

#[cfg(test)]
mod tests {
    use super::balance;

    #[test]
    fn brackets_outside_strings() {
        assert_eq!(balance("fn f() {"), [0, 0, 1]);
        assert_eq!(balance("  }"), [0, 0, -1]);
        assert_eq!(balance(r#"let s = "({[\"";"#), [0, 0, 0]);
        assert_eq!(balance("x = [a(1), `)`]"), [0, 0, 0]);
    }
}
