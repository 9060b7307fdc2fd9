//! Checks on a finished lazy merge, independent of how the chunks were placed.
//!
//! A chunk placed one line off at an edge shows up as a closer written twice (`}` new
//! next to the file's own `}`) or a closer lost with the lines a marker should have
//! kept. Either changes the file's bracket balance, which a real edit almost never
//! does: the lines a merge adds and the lines it drops must open and close as many
//! brackets as each other.

use super::super::structure::{ends_statement, is_generic, same_line_strength};
use super::super::text::OutLine;
use super::super::text::{indent_width, is_blank, key_ws};
use super::super::types::{Refusal, RefusalCode};
use super::balance::{balance, Balance, KINDS};
use super::emit::Emitted;
use super::span::{Pair, PairKind, Plan};
use super::Ctx;

/// The checks on a finished merge, each a sign of a chunk placed where the snippet
/// does not say: refused with the chunk and where it was placed.
pub(super) fn check(ctx: &Ctx, em: &Emitted, plans: &[Plan]) -> Result<(), Refusal> {
    let refuse = |pi: usize, message: String| {
        let mut r = Refusal::new(RefusalCode::AmbiguousAnchor, message);
        if let Some(p) = plans.get(pi) {
            r = r
                .with_chunk(ctx.chunk_text(&ctx.chunks[p.chunk]))
                .with_candidates(vec![p.span.0 + 1]);
        }
        r
    };
    if let Some(pi) = leaked_diff_prefix(ctx, em) {
        return Err(Refusal::new(
            RefusalCode::ValidationFailed,
            "the edit mixes `-`/`+` diff lines into lazy code, and not every line could be \
             read as part of a diff, so a `-`/`+` line would be written into the file as code; \
             send either a lazy snippet (the code as it should read, with markers) or a diff \
             whose unchanged lines start with a space",
        )
        .with_chunk(
            plans
                .get(pi)
                .map_or_else(String::new, |p| ctx.chunk_text(&ctx.chunks[p.chunk])),
        ));
    }
    if let Some((pi, a, b)) = joined_blocks(ctx, plans) {
        return Err(Refusal::new(
            RefusalCode::ValidationFailed,
            format!(
                "two neighbouring lines of this chunk stand in different blocks of the file \
                 (lines {} and {}); merging would delete the code between them and join the \
                 blocks. If the chunk moves code, show its old place too; otherwise put a \
                 `... existing code ...` marker between them",
                a + 1,
                b + 1
            ),
        )
        .with_chunk(ctx.chunk_text(&ctx.chunks[plans[pi].chunk]))
        .with_candidates(vec![a + 1, b + 1]));
    }
    if let Some((pi, o)) = super::copied::copied_unique_line(ctx, em, plans) {
        return Err(refuse(
            pi,
            format!(
                "placed where its other lines match, this chunk would write line {} of the \
                 file a second time, as new, while the file keeps it where it is; the chunk \
                 more likely belongs there. Include unchanged lines that place it",
                o + 1
            ),
        ));
    }
    if let Some((pi, o)) = super::copied::dropped_and_restated(ctx, em, plans) {
        return Err(refuse(
            pi,
            format!(
                "placed where its other lines match, this chunk would delete line {} of the \
                 file and write the same line again as new: its lines were matched against \
                 the wrong lines there. Include unchanged lines that place it",
                o + 1
            ),
        ));
    }
    if indent_frame_unclear(ctx, plans) {
        return Err(refuse(
            0,
            "the snippet is indented differently from the file and its unchanged lines \
             disagree on by how much, so which lines the change re-indents cannot be told; \
             send the snippet in the file's own indentation"
                .to_string(),
        ));
    }
    if let Some((pi, o)) = unclaimed_drop(ctx, em, plans) {
        return Err(refuse(
            pi,
            format!(
                "placed on its lines such as `}}` or blank lines, this chunk would delete line \
                 {} and the lines around it, which it does not show; those lines could as well \
                 be other occurrences. Include the unchanged lines just above and below the \
                 change, and put a `... existing code ...` marker where code is kept",
                o + 1
            ),
        ));
    }
    if let Some((pi, o)) = rewritten_edge(ctx, em, plans) {
        return Err(refuse(
            pi,
            format!(
                "the edit has no marker before (after) this chunk, so line {} of the file, \
                 next to it, is kept; but the chunk's new lines restate all of that line, as a \
                 rewrite of it would. Start (end) the edit with a `... existing code ...` \
                 marker if the line stays, or include it as it should read",
                o + 1
            ),
        ));
    }
    if let Some(pi) = empty_marker(ctx, plans) {
        return Err(refuse(
            pi,
            "a `... existing code ...` marker stands before this chunk, but placed where its \
             unchanged lines match, the chunk would follow the previous one with no file line \
             between them, and its first lines would be written again as new. Include the \
             unchanged lines just above the change"
                .to_string(),
        ));
    }
    if let Some((pi, o)) = super::kept_rewrite::kept_rewrite(ctx, plans) {
        return Err(refuse(
            pi,
            format!(
                "a new line at the edge of this chunk reads like a rewrite of line {} of the \
                 file, which stays beside it; if the chunk changes that line, include the \
                 unchanged line past it, otherwise make the new line's place clear",
                o + 1
            ),
        ));
    }
    if let Some((pi, o)) = super::stolen::stolen_body(ctx, em, plans) {
        return Err(refuse(
            pi,
            format!(
                "placed where its lines match, this chunk's new declaration would take line {} \
                 of the file, and the lines after it, from the block they stand in as its own \
                 body. If the new code goes after that block, include the block's last lines \
                 or end the edit at the block's end",
                o + 1
            ),
        ));
    }
    if let Some((pi, o)) = orphaned_opener(ctx, em) {
        return Err(refuse(
            pi,
            format!(
                "placed this way the chunk's new lines would come between line {} of the \
                 file and the indented lines under it, which it opens; if the chunk rewrites \
                 that line, include the unchanged lines just above it",
                o + 1
            ),
        ));
    }
    if let Some((kind, pi)) = unbalanced(ctx, em, plans) {
        return Err(refuse(
            pi,
            format!(
                "placed this way the chunk would leave a {kind} unmatched: its first or last \
                 lines were taken as new next to the same lines in the file, or lines a marker \
                 keeps were dropped; include the unchanged lines just above and below the change"
            ),
        ));
    }
    Ok(())
}

/// A new line that is a `-`/`+` diff line of a file line (`-    old();`, `----@param`
/// for a Lua `---@param`): the snippet is in diff notation that was not recognised as
/// such, and writing the line would leave the prefix in the code. Returns the plan index.
fn leaked_diff_prefix(ctx: &Ctx, em: &Emitted) -> Option<usize> {
    em.origin.iter().flatten().find_map(|&(s, pi)| {
        let line = ctx.snip[s];
        let rest = line.strip_prefix(['-', '+'])?;
        let diff_line = !ctx.oindex.contains_key(ctx.skeys[s].as_ref())
            && !is_generic(rest)
            && ctx.oindex.contains_key(key_ws(rest).as_ref());
        diff_line.then_some(pi)
    })
}

/// Code dropped by omission that spans blocks: two lines of a chunk with nothing between
/// them are siblings under a block opener the snippet shows, but in the file the second
/// one stands in another block whose opener (`fn get() {`, `def f():`) lies between them.
/// Deleting that stretch would join the end of one block to the body of the next: a
/// moved line, a new line equal to a line of another block, or a forgotten marker — not
/// a deletion anyone leaves unwritten. Returns (plan, file lines).
fn joined_blocks(ctx: &Ctx, plans: &[Plan]) -> Option<(usize, usize, usize)> {
    plans.iter().enumerate().find_map(|(pi, p)| {
        p.pairs.windows(2).find_map(|w| {
            let (x, y) = (w[0], w[1]);
            (y.s == x.s + 1 && joins_blocks(ctx, (x.s, x.o), (y.s, y.o))).then_some((pi, x.o, y.o))
        })
    })
}

/// Whether pairing chunk line `x.0` with file line `x.1`, and the next chunk line `y.0`
/// with file line `y.1`, deletes the file's lines between them across a block boundary.
pub(super) fn joins_blocks(ctx: &Ctx, x: (usize, usize), y: (usize, usize)) -> bool {
    if y.1 <= x.1 + 1 {
        return false;
    }
    let siblings = ctx.sline.ind(x.0) == ctx.sline.ind(y.0)
        && ctx.sline.enclosing(x.0).is_some()
        && ctx.sline.enclosing(x.0) == ctx.sline.enclosing(y.0);
    // Or the first line opens the block the second stands in (a function's header,
    // then its first statement), while in the file the second stands in another block
    // opened between them: its body would be replaced by that block's, the other
    // block's header deleted. (A `/**` opening a doc comment says nothing: the comment
    // of a whole deleted function ends where the next one's begins.)
    let first_of_body = ctx.sline.enclosing(y.0) == Some(x.0) && !is_generic(ctx.orig[x.1]);
    let other_block = ctx.oline.enclosing(y.1).filter(|&e| e > x.1 && e < y.1);
    // There, a line at the first line's indentation that ends no statement opens the
    // other block whatever its syntax; the first line's own body, the lines between,
    // would be lost.
    other_block.is_some_and(|e| {
        (siblings && opens_visibly(ctx.orig[e]))
            || (first_of_body
                && e > x.1 + 1
                && ctx.oline.ind(e) == ctx.oline.ind(x.1)
                && !ends_statement(ctx.orig[e]))
    })
}

/// A line that ends the way block openers do in most languages.
fn opens_visibly(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(['{', ':', '(', '['])
        || t.ends_with(" do")
        || t.ends_with(" then")
        || t.ends_with("=>")
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// A snippet without a marker at its start (end) keeps the file's lines above its first
/// (below its last) chunk. When the nearest such line has information and every word of
/// it stands in the chunk's new lines, the chunk reads as a rewrite of it (a one-line
/// import spread over several), and keeping it would leave both. Returns (plan index,
/// file line).
pub(super) fn rewritten_edge(ctx: &Ctx, em: &Emitted, plans: &[Plan]) -> Option<(usize, usize)> {
    let new_words = |pi: usize| -> Vec<&str> {
        em.origin
            .iter()
            .flatten()
            .filter(|(_, p)| *p == pi)
            .flat_map(|(s, _)| words(ctx.snip[*s]))
            .collect()
    };
    let restated = |pi: usize, o: usize| {
        let line = ctx.orig[o];
        if is_generic(line) {
            return false;
        }
        let have = new_words(pi);
        let mut own: Vec<&str> = words(line).collect();
        own.sort_unstable();
        own.dedup();
        // Five distinct words at least: a short line's words turn up in any new code.
        own.len() >= 5 && own.iter().all(|w| have.contains(w))
    };
    let first = plans.first()?;
    if !ctx.chunks[first.chunk].marker_before {
        let above = (0..first.span.0).rev().find(|&o| !is_blank(ctx.orig[o]));
        if let Some(o) = above.filter(|&o| restated(0, o)) {
            return Some((0, o));
        }
    }
    let li = plans.len() - 1;
    let last = &plans[li];
    if !ctx.chunks[last.chunk].marker_after {
        let below = (last.span.1..ctx.n()).find(|&o| !is_blank(ctx.orig[o]));
        if let Some(o) = below.filter(|&o| restated(li, o)) {
            return Some((li, o));
        }
    }
    None
}

/// A kept file line that opens an indented block (`def f(x) =`, `if x:`) followed in
/// the merge by a new line that is not indented under it and ends the same way: the
/// chunk's lines were put between the line and its body, which happens when a
/// rewritten opener (a renamed `def`) is taken for a new line above the body. Returns
/// (plan index, file line).
pub(super) fn orphaned_opener(ctx: &Ctx, em: &Emitted) -> Option<(usize, usize)> {
    for (i, l) in em.out.iter().enumerate() {
        let OutLine::Orig(o) = l else {
            continue;
        };
        if !ctx.oline.opens_block(*o) {
            continue;
        }
        let next = (i + 1..em.out.len()).find(|&k| match &em.out[k] {
            OutLine::Orig(q) => !is_blank(ctx.orig[*q]),
            OutLine::New(t) => !is_blank(t),
        })?;
        if let (OutLine::New(t), Some(Some((s, pi)))) = (&em.out[next], em.origin.get(next)) {
            let under = indent_width(t) > indent_width(ctx.orig[*o]);
            // Both end the way an opener does (`=`, `:`, `{`, `(`, `[`): the new line
            // reads as the opener rewritten, not as a statement next to it.
            let opens = |l: &str| l.trim_end().ends_with(['=', ':', '{', '(', '[']);
            let twin = opens(ctx.orig[*o])
                && opens(t)
                && t.trim_end().chars().last() == ctx.orig[*o].trim_end().chars().last();
            if !under && twin && !is_generic(ctx.snip[*s]) {
                return Some((*pi, *o));
            }
        }
    }
    None
}

/// The first plan that follows the previous chunk of the snippet with no file line
/// between them although a marker stands between the two, and whose first lines are new
/// ahead of its first kept line: the marker was read as keeping nothing and the chunk's
/// opening lines (a `}`, a blank) as new, which moves the code the marker keeps.
fn empty_marker(ctx: &Ctx, plans: &[Plan]) -> Option<usize> {
    plans
        .windows(2)
        .position(|w| {
            let c = &ctx.chunks[w[1].chunk];
            w[0].span.1 == w[1].span.0
                && w[1].chunk == w[0].chunk + 1
                && c.marker_before
                && w[1]
                    .pairs
                    .first()
                    .is_some_and(|p| p.s > c.start && p.kind == PairKind::Equal)
        })
        .map(|k| k + 1)
}

/// The first chunk (plan index) whose added and dropped lines do not open and close as
/// many brackets as each other, with the kind of bracket that is off, when the merge as
/// a whole is off too (a change moving a brace from one chunk to another is not).
pub(super) fn unbalanced(ctx: &Ctx, em: &Emitted, plans: &[Plan]) -> Option<(&'static str, usize)> {
    let mut kept = vec![false; ctx.n()];
    // Keyword blocks (`def … end`) count only in a file that closes blocks with `end`.
    let ends = ctx.orig.iter().any(|l| l.trim() == "end");
    let balance = |line: &str| balance(line, ends);
    let mut per_plan = vec![Balance::default(); plans.len()];
    let mut net = Balance::default();
    let add = |to: &mut Balance, b: Balance, sign: i32| {
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
    let kind = net.iter().position(|&n| n != 0)?;
    let pi = per_plan.iter().position(|b| b[kind] != 0).unwrap_or(0);
    Some((KINDS[kind], pi))
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
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts[1].1 >= 2
}

/// A run of file lines with information that the merge drops between two lines of a
/// chunk (or at its edge), outside the chunk's own informative matches, and that the
/// chunk replaces with fewer lines: a deletion reached only through lines such as `}`,
/// `end` or blank, which could as well be other occurrences (the lines deleted would
/// then be others, or none). Returns (plan index, first file line dropped).
pub(super) fn unclaimed_drop(ctx: &Ctx, em: &Emitted, plans: &[Plan]) -> Option<(usize, usize)> {
    let kept = em.kept(ctx.n());
    let mut at: Vec<Option<usize>> = vec![None; ctx.snip.len()];
    for p in plans.iter().flat_map(|p| p.pairs.iter()) {
        if p.kind == PairKind::Equal {
            at[p.s] = Some(p.o);
        }
    }
    // A closer whose opener is matched and closes that opener's block in the file is
    // placed by structure, not by its text.
    let closes_its_opener = |p: &Pair| {
        ctx.sline
            .opener_of_closer(p.s)
            .and_then(|op| at[op])
            .is_some_and(|oo| ctx.oline.closer_of(oo) == Some(p.o))
    };
    for (pi, plan) in plans.iter().enumerate() {
        let c = &ctx.chunks[plan.chunk];
        let informative = |p: &&Pair| {
            p.kind == PairKind::Equal && (!is_generic(ctx.snip[p.s]) || closes_its_opener(p))
        };
        let first = plan.pairs.iter().find(informative).map(|p| p.o);
        let last = plan.pairs.iter().rev().find(informative).map(|p| p.o);
        // Gaps between consecutive pairs, and before the first and after the last one.
        let mut bounds: Vec<(usize, usize)> = vec![(c.start, plan.span.0)];
        bounds.extend(plan.pairs.iter().map(|p| (p.s, p.o)));
        bounds.push((c.end, plan.span.1));
        for (k, w) in bounds.windows(2).enumerate() {
            let (s0, o0) = if k == 0 {
                w[0]
            } else {
                (w[0].0 + 1, w[0].1 + 1)
            };
            let (s1, o1) = w[1];
            if o0 >= o1 {
                continue;
            }
            let outside = match (first, last) {
                (Some(a), Some(b)) => o1 <= a || o0 > b,
                _ => true,
            };
            let dropped = (o0..o1)
                .filter(|&o| !kept[o] && !is_generic(ctx.orig[o]))
                .collect::<Vec<_>>();
            let inserted = (s0..s1.max(s0)).filter(|&s| !is_blank(ctx.snip[s])).count();
            // A gap next to an informative match is pinned on that side, and the match
            // on the other side is the nearest one: no reading deletes less.
            let pinned = |i: usize| {
                (1..bounds.len() - 1).contains(&i)
                    && plan.pairs.get(i - 1).is_some_and(|p| informative(&p))
            };
            if pinned(k) || pinned(k + 1) {
                continue;
            }
            // A shorter rewrite of the lines (a new line reads as an older one's new
            // version) is the chunk's claim on them.
            let rewrites = (s0..s1.max(s0)).any(|s| {
                !is_blank(ctx.snip[s])
                    && dropped
                        .iter()
                        .any(|&o| same_line_strength(ctx.snip[s], ctx.orig[o]).is_some())
            });
            if outside && dropped.len() >= 2 && !rewrites && dropped.len() > inserted {
                return Some((pi, dropped[0]));
            }
        }
    }
    None
}
