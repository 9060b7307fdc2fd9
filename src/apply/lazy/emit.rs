//! Building the merged line list from the plans, and the duplication check.

use super::super::structure::{is_generic, same_line_strength};
use super::super::text::{indent_width, is_blank, reindent, restyle, OutLine};
use super::span::{PairKind, Plan};
use super::Ctx;
use std::borrow::Cow;

pub(super) struct Emitted<'a> {
    pub out: Vec<OutLine<'a>>,
    /// For each output line written from the edit: (snippet line, plan index).
    pub origin: Vec<Option<(usize, usize)>>,
}

impl Emitted<'_> {
    /// Which of the file's `n` lines the merge keeps.
    pub fn kept(&self, n: usize) -> Vec<bool> {
        let mut kept = vec![false; n];
        for line in &self.out {
            if let OutLine::Orig(o) = line {
                if let Some(k) = kept.get_mut(*o) {
                    *k = true;
                }
            }
        }
        kept
    }
}

pub(super) fn emit<'a>(ctx: &Ctx<'_, 'a>, plans: &[Plan]) -> Emitted<'a> {
    let n = ctx.n();
    let mut out: Vec<OutLine<'a>> = Vec::with_capacity(n + 16);
    let mut origin: Vec<Option<(usize, usize)>> = Vec::with_capacity(n + 16);
    // Trailing whitespace a model left on a new line is noise when the file has none.
    let trim_new = !ctx.orig.iter().any(|l| l.ends_with([' ', '\t']));
    let mut cursor = 0;
    for (pi, plan) in plans.iter().enumerate() {
        let c = &ctx.chunks[plan.chunk];
        for o in cursor..plan.span.0 {
            out.push(OutLine::Orig(o));
            origin.push(None);
        }
        let mut paired = vec![None; c.end - c.start];
        for p in &plan.pairs {
            if let Some(slot) = p.s.checked_sub(c.start).and_then(|k| paired.get_mut(k)) {
                *slot = Some(*p);
            }
        }
        let prev_text = |out: &[OutLine]| match out.last() {
            Some(OutLine::Orig(o)) => Some(ctx.orig[*o].to_string()),
            Some(OutLine::New(t)) => Some(t.to_string()),
            None => None,
        };
        if c.lead_blank > 0 && paired.first().is_some_and(|p| p.is_none()) {
            if let Some(t) = prev_text(&out) {
                if !is_blank(&t) {
                    for _ in 0..c.lead_blank.min(2) {
                        out.push(OutLine::New(Cow::Borrowed("")));
                        origin.push(None);
                    }
                }
            }
        }
        for s in c.start..c.end {
            match paired[s - c.start] {
                Some(p) if p.kind == PairKind::Equal => {
                    let line = ctx.snip[s];
                    // A blank line whose whitespace differs from the file's (`  ` for
                    // ``, or the reverse): the snippet's bytes are the change, unless
                    // the whole chunk is in another indentation.
                    let respaced =
                        is_blank(line) && line != ctx.orig[p.o] && plan.shift == 0 && !plan.restyle;
                    if respaced {
                        out.push(OutLine::New(Cow::Borrowed(line)));
                    } else {
                        out.push(OutLine::Orig(p.o));
                    }
                    origin.push(None);
                }
                _ => {
                    // A line copied from elsewhere in the file carries that line's
                    // (absent) trailing whitespace, not the model's.
                    let copied = || {
                        ctx.oindex.get(ctx.skeys[s].as_ref()).is_some_and(|os| {
                            os.iter().any(|&o| !ctx.orig[o].ends_with([' ', '\t']))
                        })
                    };
                    let line = if !is_blank(ctx.snip[s]) && (trim_new || copied()) {
                        ctx.snip[s].trim_end()
                    } else {
                        ctx.snip[s]
                    };
                    let text = reindent(line, plan.shift, ctx.tabs);
                    let text = if plan.restyle && !is_blank(&text) {
                        Cow::Owned(restyle(&text, ctx.tabs))
                    } else {
                        text
                    };
                    out.push(OutLine::New(text));
                    origin.push(Some((s, pi)));
                }
            }
        }
        let last_new = paired.last().is_some_and(|p| p.is_none());
        if c.trail_blank > 0 && last_new && plan.span.1 < n {
            let next = ctx.orig[plan.span.1];
            let last_ind = prev_text(&out).map_or(0, |t| indent_width(&t));
            // Not before a closing line (`}`, `end`): a blank there is the snippet's
            // framing, not the file's. A dedented line that opens something (`def`)
            // is kept apart as the snippet shows.
            if !is_blank(next) && (indent_width(next) >= last_ind || !is_generic(next)) {
                for _ in 0..c.trail_blank.min(2) {
                    out.push(OutLine::New(Cow::Borrowed("")));
                    origin.push(None);
                }
            }
        }
        cursor = plan.span.1;
    }
    for o in cursor..n {
        out.push(OutLine::Orig(o));
        origin.push(None);
    }
    Emitted { out, origin }
}

/// How far from a chunk's span a kept copy of its new lines is looked for. Beyond the
/// lines right next to it (a boundary misjudged as an insertion), a kept copy a little
/// further away is a block the snippet moved while its old place was read as kept; on
/// real edits a reach of 20 refused 4 such merges and no right one.
const REPEAT_REACH: usize = 20;

/// A run of three or more new lines that repeats file lines kept near the chunk: the
/// sign of a boundary misjudged as an insertion, or of a moved block whose old place a
/// marker or a repeated boundary line seemed to keep. Returns 1-based lines.
pub(super) fn duplicated_run(ctx: &Ctx, em: &Emitted, plans: &[Plan]) -> Option<(usize, usize)> {
    let n = ctx.n();
    let kept = em.kept(ctx.n());
    let mut i = 0;
    while i < em.origin.len() {
        let Some((s0, pi)) = em.origin[i] else {
            i += 1;
            continue;
        };
        let mut run = Vec::new();
        let mut j = i;
        while let Some(Some((s, pj))) = em.origin.get(j) {
            if *pj != pi
                || is_generic(ctx.snip[*s])
                || !ctx.oindex.contains_key(ctx.skeys[*s].as_ref())
            {
                break;
            }
            run.push(*s);
            j += 1;
        }
        if run.len() >= 3 {
            let span = plans[pi].span;
            let lo = span.0.saturating_sub(run.len() + REPEAT_REACH);
            let hi = (span.1 + REPEAT_REACH).min(n);
            if let Some(starts) = ctx.oindex.get(ctx.skeys[s0].as_ref()) {
                for &p in starts {
                    if p < lo || p + run.len() > hi {
                        continue;
                    }
                    let same = run
                        .iter()
                        .enumerate()
                        .all(|(k, &s)| ctx.okeys[p + k] == ctx.skeys[s] && kept[p + k]);
                    if same {
                        return Some((p + 1, p + run.len()));
                    }
                }
            }
        }
        i = j.max(i + 1);
    }
    None
}

/// A new line at a chunk's edge standing next to a kept file line that is the same line
/// (a boundary shown again and taken for new code) or an older version of it (a changed
/// line inserted beside the line it changes). Returns the 1-based output line.
pub(super) fn edge_suspect(ctx: &Ctx, em: &Emitted, plans: &[Plan]) -> Option<usize> {
    let outside = |k: usize, pi: usize| match em.out.get(k) {
        Some(OutLine::Orig(o)) => {
            let span = plans[pi].span;
            (*o < span.0 || *o >= span.1).then_some(*o)
        }
        _ => None,
    };
    for (i, origin) in em.origin.iter().enumerate() {
        let Some((s, pi)) = *origin else {
            continue;
        };
        let new = ctx.snip[s];
        if is_blank(new) {
            continue;
        }
        // The nearest non-blank line on each side: a blank line between a new line and
        // the old version of it does not make them two different lines.
        let nonblank = |k: &usize| match em.out.get(*k) {
            Some(OutLine::Orig(o)) => !is_blank(ctx.orig[*o]),
            Some(OutLine::New(t)) => !is_blank(t),
            None => false,
        };
        let around = [
            (0..i).rev().find(nonblank),
            (i + 1..em.out.len()).find(nonblank),
        ];
        for o in around.into_iter().flatten().filter_map(|k| outside(k, pi)) {
            let old = ctx.orig[o];
            let same = ctx.skeys[s] == ctx.okeys[o];
            let older = !is_generic(new)
                && !is_generic(old)
                && same_line_strength(new, old).is_some_and(|v| v >= 0.7);
            if same || older {
                return Some(i + 1);
            }
        }
    }
    None
}
