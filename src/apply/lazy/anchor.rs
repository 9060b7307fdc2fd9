//! Finding anchors: chunk lines that identify one line of the file.
//!
//! First pass: informative lines that occur once in the whole snippet and once in the
//! whole file (patience-diff style), kept only where they form one increasing sequence
//! across all chunks. Second pass, for chunks still without an anchor: lines that occur
//! once in the window between the neighbouring chunks' anchors, whose enclosing block
//! agrees. Third pass: the same with Unicode punctuation folded. Last pass: a
//! declaration (`fn name`, `def name`, `name(args) {`) whose name is declared once in
//! that window, for chunks that rewrite every line of a function.

use super::super::structure::{decl_name, is_generic, openers_correspond};
use super::{fold_keys, Chunk, Ctx};
use std::collections::HashMap;

/// Why a chunk may have ended without an anchor.
#[derive(Debug, Clone, Default)]
pub(super) struct Diag {
    /// Some of its lines matched, but before an earlier chunk.
    pub out_of_order: bool,
    /// File lines (0-based) where its most specific line matched more than once.
    pub ambiguous: Vec<usize>,
}

pub(super) struct Anchors {
    /// Per chunk: (snippet line, file line) pairs, increasing in both.
    pub per_chunk: Vec<Vec<(usize, usize)>>,
    /// Per chunk: anchored only after Unicode folding.
    pub folded: Vec<bool>,
    pub diag: Vec<Diag>,
}

fn informative(ctx: &Ctx, s: usize) -> bool {
    ctx.sline.is_code(s) && !is_generic(ctx.snip[s])
}

/// Flags of one longest strictly increasing subsequence.
pub(super) fn lis(v: &[usize]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; v.len()];
    for i in 0..v.len() {
        let pos = tails.partition_point(|&t| v[t] < v[i]);
        if pos > 0 {
            prev[i] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut keep = vec![false; v.len()];
    let mut k = tails.last().copied();
    while let Some(i) = k {
        keep[i] = true;
        k = (prev[i] != usize::MAX).then_some(prev[i]);
    }
    keep
}

/// A window match must sit in a block that corresponds to the chunk's own block.
fn consistent(ctx: &Ctx, c: &Chunk, s: usize, o: usize) -> bool {
    match ctx.sline.enclosing(s) {
        Some(cs) if cs >= c.start => match ctx.oline.enclosing(o) {
            Some(co) => openers_correspond(ctx.snip[cs], ctx.orig[co]),
            None => false,
        },
        _ => true,
    }
}

fn global_pass(ctx: &Ctx, per_chunk: &mut [Vec<(usize, usize)>], diag: &mut [Diag]) {
    let mut scount: HashMap<&str, usize> = HashMap::new();
    for c in ctx.chunks {
        for s in c.start..c.end {
            if ctx.sline.is_code(s) {
                *scount.entry(ctx.skeys[s].as_ref()).or_default() += 1;
            }
        }
    }
    let mut cands: Vec<(usize, usize, usize)> = Vec::new();
    for (ci, c) in ctx.chunks.iter().enumerate() {
        for s in c.start..c.end {
            if !informative(ctx, s) {
                continue;
            }
            let k = ctx.skeys[s].as_ref();
            if scount.get(k) != Some(&1) {
                continue;
            }
            let Some(pos) = ctx.oindex.get(k) else {
                continue;
            };
            let o = if pos.len() == 1 {
                pos[0]
            } else {
                let want = ctx.snip[s].trim_end();
                let mut exact = pos.iter().filter(|&&o| ctx.orig[o].trim_end() == want);
                match (exact.next(), exact.next()) {
                    (Some(&o), None) => o,
                    _ => continue,
                }
            };
            cands.push((ci, s, o));
        }
    }
    let keep = lis(&cands.iter().map(|c| c.2).collect::<Vec<_>>());
    for (k, &(ci, s, o)) in cands.iter().enumerate() {
        if keep[k] {
            per_chunk[ci].push((s, o));
        } else {
            diag[ci].out_of_order = true;
        }
    }
}

fn window_pass(
    ctx: &Ctx,
    per_chunk: &mut [Vec<(usize, usize)>],
    diag: &mut [Diag],
    folded: Option<(&[String], &[String])>,
) {
    for ci in 0..ctx.chunks.len() {
        if !per_chunk[ci].is_empty() {
            continue;
        }
        let (lo, hi) = window(ctx, per_chunk, ci);
        if lo >= hi {
            continue;
        }
        let c = &ctx.chunks[ci];
        let mut cands: Vec<(usize, usize)> = Vec::new();
        for s in c.start..c.end {
            if !informative(ctx, s) {
                continue;
            }
            let positions: Vec<usize> = match folded {
                None => ctx
                    .oindex
                    .get(ctx.skeys[s].as_ref())
                    .map(|v| v.iter().copied().filter(|&o| o >= lo && o < hi).collect())
                    .unwrap_or_default(),
                Some((of, sf)) => (lo..hi).filter(|&o| of[o] == sf[s]).collect(),
            };
            match positions.len() {
                0 => {}
                1 => {
                    if consistent(ctx, c, s, positions[0]) {
                        cands.push((s, positions[0]));
                    }
                }
                _ => {
                    let d = &mut diag[ci].ambiguous;
                    if d.is_empty() || positions.len() < d.len() {
                        *d = positions;
                    }
                }
            }
        }
        let keep = lis(&cands.iter().map(|c| c.1).collect::<Vec<_>>());
        per_chunk[ci] = cands
            .into_iter()
            .zip(keep)
            .filter_map(|(c, k)| k.then_some(c))
            .collect();
    }
}

/// The window between the anchors of the chunks around `ci`.
fn window(ctx: &Ctx, per_chunk: &[Vec<(usize, usize)>], ci: usize) -> (usize, usize) {
    let lo = per_chunk[..ci]
        .iter()
        .rev()
        .find_map(|v| v.last().map(|a| a.1 + 1))
        .unwrap_or(0);
    let hi = per_chunk[ci + 1..]
        .iter()
        .find_map(|v| v.first().map(|a| a.1))
        .unwrap_or(ctx.n());
    (lo, hi)
}

fn identity_pass(ctx: &Ctx, per_chunk: &mut [Vec<(usize, usize)>]) {
    for ci in 0..ctx.chunks.len() {
        if !per_chunk[ci].is_empty() {
            continue;
        }
        let (lo, hi) = window(ctx, per_chunk, ci);
        if lo >= hi {
            continue;
        }
        let c = &ctx.chunks[ci];
        let names: Vec<Option<&str>> = (lo..hi).map(|o| decl_name(ctx.orig[o])).collect();
        let mut cands: Vec<(usize, usize)> = Vec::new();
        for s in c.start..c.end {
            if !informative(ctx, s) {
                continue;
            }
            let Some(name) = decl_name(ctx.snip[s]) else {
                continue;
            };
            let twice = (c.start..c.end).any(|t| t != s && decl_name(ctx.snip[t]) == Some(name));
            let mut at = names.iter().enumerate().filter(|(_, n)| **n == Some(name));
            if let (Some((k, _)), None, false) = (at.next(), at.next(), twice) {
                if consistent(ctx, c, s, lo + k) {
                    cands.push((s, lo + k));
                }
            }
        }
        let keep = lis(&cands.iter().map(|c| c.1).collect::<Vec<_>>());
        per_chunk[ci] = cands
            .into_iter()
            .zip(keep)
            .filter_map(|(c, k)| k.then_some(c))
            .collect();
    }
}

pub(super) fn find(ctx: &Ctx) -> Anchors {
    let nch = ctx.chunks.len();
    let mut per_chunk = vec![Vec::new(); nch];
    let mut diag = vec![Diag::default(); nch];
    let mut folded = vec![false; nch];
    global_pass(ctx, &mut per_chunk, &mut diag);
    window_pass(ctx, &mut per_chunk, &mut diag, None);
    if per_chunk.iter().any(|v| v.is_empty()) {
        let empty: Vec<bool> = per_chunk.iter().map(|v| v.is_empty()).collect();
        let of = fold_keys(ctx.orig);
        let sf = fold_keys(ctx.snip);
        window_pass(ctx, &mut per_chunk, &mut diag, Some((&of, &sf)));
        for ci in 0..nch {
            folded[ci] = empty[ci] && !per_chunk[ci].is_empty();
        }
    }
    if per_chunk.iter().any(|v| v.is_empty()) {
        identity_pass(ctx, &mut per_chunk);
    }
    Anchors {
        per_chunk,
        folded,
        diag,
    }
}

#[cfg(test)]
mod tests {
    use super::lis;

    #[test]
    fn longest_increasing() {
        assert_eq!(
            lis(&[1, 5, 2, 3, 0, 4]),
            vec![true, false, true, true, false, true]
        );
        assert!(lis(&[]).is_empty());
    }
}
