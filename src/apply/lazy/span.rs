//! From anchors to spans: which lines of the file each chunk replaces. Between two
//! matched lines of one chunk everything is replaced (no marker there); the chunk's
//! outer boundaries are settled in `boundary`. Chunks go in order and never overlap.

use super::super::closest::closest;
use super::super::text::{indent_width, is_blank, key_fold, key_ws};
use super::super::types::{MatchLevel, Refusal, RefusalCode};
use super::anchor::{Anchors, Diag};
use super::{Chunk, Ctx};
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PairKind {
    /// Same line: the file's bytes are kept.
    Equal,
    /// The chunk's line replaces this file line.
    Modified,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Pair {
    pub s: usize,
    pub o: usize,
    pub kind: PairKind,
}

/// Where one chunk goes.
pub(super) struct Plan {
    pub chunk: usize,
    /// File lines `[start, end)` the chunk replaces.
    pub span: (usize, usize),
    /// Matched lines, increasing in `s` and `o`.
    pub pairs: Vec<Pair>,
    pub level: MatchLevel,
    /// Columns to add to the chunk's new lines.
    pub shift: isize,
    /// The chunk indents with tabs where the file uses spaces, or the reverse.
    pub restyle: bool,
}

pub(super) struct Planner<'c, 'k, 'a> {
    pub ctx: &'c Ctx<'k, 'a>,
    pub matched: Vec<Option<usize>>,
    pub folded: bool,
    /// A chunk ended inside a block (snippet line) whose remaining lines (count) it
    /// would replace with far fewer (count).
    pub too_short: Option<(usize, usize, usize)>,
    /// The strict reading refused a chunk because its last lines could stand at more
    /// than one place (see `strict::Refused`).
    pub tail_ambiguous: bool,
    /// The strict reading refused two chunks that claim the same file lines.
    pub overlapping: bool,
    /// The strict reading refused a chunk whose new edge lines stand together a few
    /// lines further out (`echo.rs`): the other reading's guess there is not taken.
    pub edge_echoed: bool,
    /// The strict reading took a chunk's edge lines as the file's, further out, with
    /// the code between deleted (`echo.rs`).
    pub echo_deleted: bool,
    /// The strict reading set the snippet's last chunk, closers only, at the first
    /// place it stands unchanged (`fit.rs`).
    pub closers_fitted: bool,
}

impl Planner<'_, '_, '_> {
    pub(super) fn same(&self, s: usize, o: usize) -> bool {
        if self.folded {
            key_fold(self.ctx.snip[s]) == key_fold(self.ctx.orig[o])
        } else {
            self.ctx.skeys[s] == self.ctx.okeys[o]
        }
    }

    pub(super) fn pair(&self, s: usize, o: usize) -> Pair {
        let kind = if self.same(s, o) {
            PairKind::Equal
        } else {
            PairKind::Modified
        };
        Pair { s, o, kind }
    }

    pub(super) fn push(&mut self, v: &mut Vec<Pair>, p: Pair) {
        self.matched[p.s] = Some(p.o);
        v.push(p);
    }

    /// Pair `len` chunk lines from `s` with the file lines from `o`, line for line.
    pub(super) fn pair_run(&mut self, v: &mut Vec<Pair>, s: usize, o: usize, len: usize) {
        for i in 0..len {
            let p = self.pair(s + i, o + i);
            self.push(v, p);
        }
    }

    fn refuse(&self, c: &Chunk, diag: &Diag, lo: usize, hi: usize) -> Refusal {
        let text = self.ctx.chunk_text(c);
        if diag.out_of_order {
            return Refusal::new(
                RefusalCode::OutOfOrder,
                "this chunk's lines occur in the file before the previous chunk's lines",
            )
            .with_chunk(text);
        }
        if !diag.ambiguous.is_empty() {
            return Refusal::new(
                RefusalCode::AmbiguousAnchor,
                format!(
                    "this chunk's lines occur at {} places and nothing in the edit tells which",
                    diag.ambiguous.len()
                ),
            )
            .with_chunk(text)
            .with_candidates(diag.ambiguous.iter().map(|o| o + 1).collect());
        }
        let needle: Vec<&str> = self.ctx.snip[c.start..c.end].to_vec();
        Refusal::new(
            RefusalCode::NoAnchor,
            format!(
                "no line of this chunk occurs in the file between line {} and line {}, so \
                 where it goes cannot be decided",
                lo + 1,
                hi.max(lo + 1)
            ),
        )
        .with_chunk(text)
        .with_closest(closest(self.ctx.orig, &needle, lo..hi, 2))
    }

    fn plan_chunk(
        &mut self,
        ci: usize,
        anchors: &Anchors,
        cursor: usize,
        hi: usize,
    ) -> Result<Plan, Refusal> {
        let ctx = self.ctx;
        let n = ctx.n();
        let c = &ctx.chunks[ci];
        self.folded = anchors.folded[ci];
        let mut v: Vec<Pair> = Vec::new();
        for &(s, o) in &anchors.per_chunk[ci] {
            if o >= cursor && o < hi {
                let p = self.pair(s, o);
                self.push(&mut v, p);
            }
        }
        let mut span_lo = None;
        let span_hi;
        if v.is_empty() {
            self.closers(&mut v, c, c.start, cursor, hi);
        }
        if v.is_empty() {
            // Repeated context around a changed line: the one place it fits (`fit.rs`).
            if let Some(at) = self.fit_line_for_line(ci, cursor, hi) {
                self.pair_run(&mut v, c.start, at, c.end - c.start);
            }
        }
        if v.is_empty() {
            let last = ci + 1 == ctx.chunks.len();
            // Without an anchor a chunk can only sit at a file edge no marker covers,
            // and only at an indentation that does not fall outside the edge's block.
            let own = ctx.sline.ind(c.start);
            let fits = |o: Option<usize>| o.is_none_or(|o| own <= ctx.oline.ind(o));
            let first_code = (0..n).find(|&o| ctx.oline.is_code(o));
            let last_code = (0..n).rev().find(|&o| ctx.oline.is_code(o));
            if ci == 0 && !c.marker_before && c.marker_after && fits(first_code) {
                self.align_fwd(&mut v, c.start..c.end, cursor..hi);
                span_lo = Some(cursor);
                span_hi = Some(cursor);
            } else if last && !c.marker_after && c.marker_before && fits(last_code) {
                self.align_back(&mut v, c.start..c.end, cursor..n);
                span_lo = Some(n);
                span_hi = Some(n);
            } else {
                return Err(self.refuse(c, &anchors.diag[ci], cursor, hi));
            }
        } else {
            let mut anchored: Vec<(usize, usize)> = v.iter().map(|p| (p.s, p.o)).collect();
            anchored.sort_unstable();
            for w in anchored.windows(2) {
                self.fill(&mut v, w[0].0 + 1..w[1].0, w[0].1 + 1..w[1].1);
            }
            let first = anchored[0];
            let last = anchored[anchored.len() - 1];
            self.head(&mut v, c, first, cursor);
            span_hi = self.tail(&mut v, c, last, hi);
            if let Some((opener, lost, added)) = self.too_short.take() {
                return Err(Refusal::new(
                    RefusalCode::ValidationFailed,
                    format!(
                        "the edit ends inside `{}` without a marker, which would replace the \
                         remaining {lost} lines of that block with {added}; end the chunk with a \
                         `... existing code ...` marker to keep them, or write the block out in full",
                        ctx.snip[opener].trim()
                    ),
                )
                .with_chunk(ctx.chunk_text(c)));
            }
        }
        v.sort_by_key(|p| (p.s, p.o));
        v.dedup_by_key(|p| p.s);
        if v.windows(2).any(|w| w[0].o >= w[1].o) {
            return Err(Refusal::new(
                RefusalCode::AmbiguousAnchor,
                "the chunk's lines match the file in an inconsistent order",
            )
            .with_chunk(ctx.chunk_text(c)));
        }
        let start = v
            .first()
            .map(|p| p.o)
            .into_iter()
            .chain(span_lo)
            .min()
            .unwrap_or(cursor);
        let end = v
            .last()
            .map(|p| p.o + 1)
            .into_iter()
            .chain(span_hi)
            .max()
            .unwrap_or(start);
        let (start, end) =
            self.repeated_edges(&mut v, c, (start.max(cursor), end.max(start)), cursor, hi);
        let (shift, level) = self.shift_and_level(&mut v);
        let restyle = self.restyles(&v);
        Ok(Plan {
            chunk: ci,
            span: (start, end),
            pairs: v,
            level,
            shift,
            restyle,
        })
    }

    /// A chunk whose first (last) lines are new but repeat, line for line, the file
    /// lines just before (after) its span shows those lines again as framing: a `}`,
    /// `)` or blank past the marker. They are the file's lines, not new ones.
    fn repeated_edges(
        &mut self,
        v: &mut Vec<Pair>,
        c: &Chunk,
        (mut start, mut end): (usize, usize),
        cursor: usize,
        hi: usize,
    ) -> (usize, usize) {
        let first = v.first().map_or(c.end, |p| p.s);
        let k = first - c.start;
        if k > 0 && start >= cursor + k && (0..k).all(|i| self.same(c.start + i, start - k + i)) {
            for i in 0..k {
                let p = self.pair(c.start + i, start - k + i);
                v.insert(i, p);
            }
            start -= k;
        }
        let last = v.last().map_or(c.start, |p| p.s + 1).max(c.start);
        let k = c.end - last;
        if k > 0 && !v.is_empty() && end + k <= hi && (0..k).all(|i| self.same(last + i, end + i)) {
            for i in 0..k {
                let p = self.pair(last + i, end + i);
                v.push(p);
            }
            end += k;
        }
        (start, end)
    }

    /// Whether the chunk indents with tabs where the file uses spaces, or the reverse,
    /// read from every matched line: an unchanged one, or one the chunk rewrites (a
    /// realigned line in a tab-indented file is still written in the snippet's spaces).
    pub(super) fn restyles(&self, v: &[Pair]) -> bool {
        other_style_throughout(self.ctx)
            || v.iter().any(|p| {
                let (x, y) = (self.ctx.snip[p.s], self.ctx.orig[p.o]);
                !is_blank(x)
                    && (x.starts_with('\t') != y.starts_with('\t'))
                    && (x.starts_with([' ', '\t']) || y.starts_with([' ', '\t']))
            })
    }

    /// The offset both edges of a chunk agree on, when it is not zero: the first and last
    /// lines of a chunk framed by markers are unchanged lines next to kept code, so they
    /// stand in the snippet's frame. Lines at offset zero inside it are then lines the
    /// change re-indents (a block moved out of a wrapper), not the frame.
    fn edge_frame(&self, v: &[Pair]) -> Option<isize> {
        let kept = |p: &&Pair| p.kind == PairKind::Equal && !is_blank(self.ctx.snip[p.s]);
        let (first, last) = (v.iter().find(kept)?, v.iter().rev().find(kept)?);
        let c = self
            .ctx
            .chunks
            .iter()
            .find(|c| c.start <= first.s && first.s < c.end)?;
        let framed = c.marker_before && c.marker_after && first.s == c.start && last.s + 1 == c.end;
        let d = self.offset(first);
        (framed && d != 0 && self.offset(last) == d && first.s != last.s).then_some(d)
    }

    /// Columns the file line of a pair stands to the right of its snippet line.
    fn offset(&self, p: &Pair) -> isize {
        indent_width(self.ctx.orig[p.o]) as isize - indent_width(self.ctx.snip[p.s]) as isize
    }

    /// The chunk's indentation offset (the most common one among equal lines) and
    /// the level it matched at. Equal lines off that offset were re-indented on purpose.
    pub(super) fn shift_and_level(&self, v: &mut [Pair]) -> (isize, MatchLevel) {
        let mut counts: HashMap<isize, (usize, usize)> = HashMap::new();
        for (k, p) in v.iter().enumerate() {
            if p.kind == PairKind::Equal && !is_blank(self.ctx.snip[p.s]) {
                let e = counts.entry(self.offset(p)).or_insert((0, k));
                e.0 += 1;
            }
        }
        // Lines at their exact place mean the snippet is written in the file's own
        // indentation; other offsets are lines the change re-indents (a block moved in
        // or out), not a shift of the whole snippet.
        let shift = if let Some(d) = self.edge_frame(v) {
            d
        } else if counts.contains_key(&0) {
            0
        } else {
            counts
                .iter()
                .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
                .map_or(0, |(d, _)| *d)
        };
        let mut loose = false;
        let mut folded = self.folded;
        for p in v.iter_mut() {
            let (x, y) = (self.ctx.snip[p.s], self.ctx.orig[p.o]);
            if p.kind == PairKind::Modified
                && (!x.is_ascii() || !y.is_ascii())
                && key_fold(x) == key_fold(y)
            {
                // Same line up to Unicode punctuation: keep the file's bytes.
                p.kind = PairKind::Equal;
                folded = true;
            }
            if p.kind != PairKind::Equal || is_blank(self.ctx.snip[p.s]) {
                continue;
            }
            if self.offset(p) != shift || inner_ws_differs(x, y) {
                // Re-indented on purpose, or realigned inside (`a  = 1` -> `a = 1`):
                // the chunk's text is the new line.
                p.kind = PairKind::Modified;
            } else if self.ctx.orig[p.o] != self.ctx.snip[p.s] {
                loose = true;
            }
        }
        let level = if folded {
            MatchLevel::UnicodeFolded
        } else if shift != 0 {
            MatchLevel::IndentShifted
        } else if loose {
            MatchLevel::WhitespaceTolerant
        } else {
            MatchLevel::Exact
        };
        (shift, level)
    }
}

/// The snippet indents only with spaces where the file indents with tabs (or only with
/// tabs where the file never does): its new lines take the file's style even when no
/// indented line of it matched (a changed body line between unindented context).
fn other_style_throughout(ctx: &Ctx) -> bool {
    let starting = |c: char| {
        ctx.snip
            .iter()
            .filter(|l| !is_blank(l) && l.starts_with(c))
            .count()
    };
    let (tab_lines, space_lines) = (starting('\t'), starting(' '));
    if ctx.tabs {
        tab_lines == 0 && space_lines > 0
    } else {
        space_lines == 0 && tab_lines > 0 && !ctx.orig.iter().any(|l| l.starts_with('\t'))
    }
}

/// Two lines equal up to whitespace differ inside, not only in indentation or at the end.
fn inner_ws_differs(a: &str, b: &str) -> bool {
    a.trim() != b.trim() && key_ws(a) == key_ws(b)
}

/// "line 3" or "lines 3-7" for 0-based `[a, b)`.
fn line_range(a: usize, b: usize) -> String {
    if b == a + 1 {
        format!("line {b}")
    } else {
        format!("lines {}-{}", a + 1, b)
    }
}

/// Plan every chunk in order; chunks never overlap and never go backwards.
pub(super) fn plan_all(ctx: &Ctx, anchors: &Anchors) -> Result<(Vec<Plan>, Vec<String>), Refusal> {
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
    let mut plans: Vec<Plan> = Vec::new();
    let mut cursor = 0;
    for ci in 0..ctx.chunks.len() {
        let hi = anchors.per_chunk[ci + 1..]
            .iter()
            .find_map(|v| v.first().map(|a| a.1))
            .unwrap_or(ctx.n())
            .max(cursor);
        let plan = planner.plan_chunk(ci, anchors, cursor, hi)?;
        cursor = plan.span.1;
        plans.push(plan);
    }
    let warnings = edge_warnings(ctx, &plans);
    Ok((plans, warnings))
}

/// Warnings for a snippet that does not start (end) with a marker: the file's lines
/// above its first (below its last) chunk were kept.
pub(super) fn edge_warnings(ctx: &Ctx, plans: &[Plan]) -> Vec<String> {
    let mut warnings = Vec::new();
    let has_code = |r: Range<usize>| r.into_iter().any(|i| !is_blank(ctx.orig[i]));
    if let Some(first) = plans.first() {
        let c = &ctx.chunks[first.chunk];
        if !c.marker_before && first.span.0 > 0 && has_code(0..first.span.0) {
            warnings.push(format!(
                "the edit does not start with a marker; kept {} above its first chunk",
                line_range(0, first.span.0)
            ));
        }
    }
    if let Some(last) = plans.last() {
        let c = &ctx.chunks[last.chunk];
        if !c.marker_after && last.span.1 < ctx.n() && has_code(last.span.1..ctx.n()) {
            warnings.push(format!(
                "the edit does not end with a marker; kept {} below its last chunk",
                line_range(last.span.1, ctx.n())
            ));
        }
    }
    warnings
}
