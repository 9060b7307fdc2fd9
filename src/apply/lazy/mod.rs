//! Lazy snippets: code with `// ... existing code ...` markers standing for unchanged
//! spans. The snippet is cut at markers into chunks; each chunk is anchored on lines
//! that occur once in the file (in order), its boundaries are settled from structure,
//! and the chunk replaces the span of the file it covers. Markers keep what lies between.

mod anchor;
mod anchored;
mod balance;
mod boundary;
mod copied;
mod diffstyle;
mod echo;
mod edges;
mod emit;
mod fit;
mod kept_rewrite;
mod overlap;
mod readings;
mod span;
mod stolen;
mod strict;
mod units;
mod verify;

use super::markers::is_marker_shape;
use super::structure::Outline;
use super::text::{edit_lines, is_blank, key_fold, key_ws, uses_tabs, Doc, FastMap, OutLine};
use super::types::{MatchLevel, Refusal, RefusalCode};
use std::borrow::Cow;

/// A run of snippet lines between markers, blank edges trimmed off.
#[derive(Debug, Clone)]
pub(super) struct Chunk {
    pub start: usize,
    pub end: usize,
    pub lead_blank: usize,
    pub trail_blank: usize,
    pub marker_before: bool,
    pub marker_after: bool,
}

/// Everything the lazy passes read: file and snippet lines, their keys and outlines.
pub(super) struct Ctx<'k, 'a> {
    pub orig: &'k [&'a str],
    pub okeys: &'k [Cow<'a, str>],
    /// File positions of the keys the snippet uses (see `build_index`).
    pub oindex: &'k FastMap<&'k str, Vec<usize>>,
    pub oline: Outline<'k, 'a>,
    pub snip: &'k [&'a str],
    pub skeys: &'k [Cow<'a, str>],
    pub sline: Outline<'k, 'a>,
    pub chunks: &'k [Chunk],
    pub has_markers: bool,
    pub tabs: bool,
}

impl Ctx<'_, '_> {
    pub fn n(&self) -> usize {
        self.orig.len()
    }

    /// The snippet text of a chunk, for refusals.
    pub fn chunk_text(&self, c: &Chunk) -> String {
        self.snip[c.start..c.end].join("\n")
    }
}

/// A merged result before rendering.
pub(crate) struct LazyOutcome<'a> {
    pub out: Vec<OutLine<'a>>,
    pub levels: Vec<MatchLevel>,
    pub warnings: Vec<String>,
}

/// Positions of the file lines whose key is one the snippet can ask about: the key of
/// each snippet line, and of each line without its first character (diff prefixes).
fn build_index<'k>(keys: &'k [Cow<'_, str>], snippet: &[&str]) -> FastMap<&'k str, Vec<usize>> {
    let mut wanted: FastMap<Cow<'_, str>, ()> = FastMap::default();
    for l in snippet {
        wanted.insert(key_ws(l), ());
        if let Some(rest) = l.strip_prefix([' ', '+', '-']) {
            wanted.insert(key_ws(rest), ());
        }
    }
    let mut index: FastMap<&str, Vec<usize>> = FastMap::default();
    for (i, k) in keys.iter().enumerate() {
        if wanted.contains_key(k.as_ref()) {
            index.entry(k.as_ref()).or_default().push(i);
        }
    }
    index
}

fn segment(lines: &[&str], marker: &[bool]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if marker[i] {
            i += 1;
            continue;
        }
        let a = i;
        while i < lines.len() && !marker[i] {
            i += 1;
        }
        let b = i;
        let Some(s) = (a..b).find(|&k| !is_blank(lines[k])) else {
            continue;
        };
        let e = (a..b)
            .rev()
            .find(|&k| !is_blank(lines[k]))
            .map_or(s + 1, |k| k + 1);
        chunks.push(Chunk {
            start: s,
            end: e,
            lead_blank: s - a,
            trail_blank: b - e,
            marker_before: a > 0,
            marker_after: b < lines.len(),
        });
    }
    chunks
}

/// Merge a lazy snippet into `doc`.
pub(crate) fn apply<'a>(doc: &Doc<'a>, edit: &'a str) -> Result<LazyOutcome<'a>, Refusal> {
    let lines = edit_lines(edit);
    let okeys: Vec<Cow<'a, str>> = doc.lines.iter().map(|l| key_ws(l)).collect();
    let oindex = build_index(&okeys, &lines);

    if let Some(hunks) = diffstyle::detect(&lines, &doc.lines, &oindex) {
        return diffstyle::apply(doc, hunks);
    }

    let marker: Vec<bool> = lines
        .iter()
        .map(|l| is_marker_shape(l) && !oindex.contains_key(key_ws(l).as_ref()))
        .collect();
    let chunks = segment(&lines, &marker);
    if chunks.is_empty() {
        return Err(Refusal::new(
            RefusalCode::ParseError,
            "the edit holds no code, only markers or blank lines",
        ));
    }
    let has_markers = marker.iter().any(|m| *m);

    if doc.is_blank() {
        // Nothing to merge into: the snippet's code is the file.
        let mut out = Vec::new();
        for (k, c) in chunks.iter().enumerate() {
            if k > 0 {
                out.push(OutLine::New(Cow::Borrowed("")));
            }
            out.extend(
                lines[c.start..c.end]
                    .iter()
                    .map(|l| OutLine::New(Cow::Borrowed(*l))),
            );
        }
        let mut warnings = Vec::new();
        if has_markers {
            warnings.push("the file was empty; markers in the edit were dropped".to_string());
        }
        return Ok(LazyOutcome {
            out,
            levels: vec![MatchLevel::Exact; chunks.len()],
            warnings,
        });
    }

    let skeys: Vec<Cow<'a, str>> = lines.iter().map(|l| key_ws(l)).collect();
    let ctx = Ctx {
        orig: &doc.lines,
        okeys: &okeys,
        oindex: &oindex,
        oline: Outline::new(&doc.lines, None),
        snip: &lines,
        skeys: &skeys,
        sline: Outline::new(&lines, Some(&marker)),
        chunks: &chunks,
        has_markers,
        tabs: uses_tabs(&doc.lines),
    };
    // Two independent readings of the snippet: the structural one (anchors in snippet
    // order, boundaries from blocks and units) and the strict one (each chunk on its own
    // lines, edges only where the neighbouring lines leave one reading). A merge is
    // returned only when both produce the same file; where they differ, the snippet can
    // be read two ways and is refused rather than merged wrong.
    let anchors = anchor::find(&ctx);
    let structural = span::plan_all(&ctx, &anchors).map(|(p, _)| p);
    // Beside its plans, the strict reading tells whether each loose chunk was held
    // (pinned between neighbours that meet, or fitted at a file edge or line for
    // line), and which chunks its place holds with no line of their own.
    let (strict, loose_held, held_without_anchor, echo_deleted, closers_fitted) =
        match strict::plan_all(&ctx) {
            Ok(s) => (
                Ok(s.plans),
                s.loose_held,
                s.held_without_anchor,
                s.echo_deleted,
                s.closers_fitted,
            ),
            Err(r) => (Err(r), false, Vec::new(), false, false),
        };
    // The strict reading sets a last chunk of closers only where it first stands
    // unchanged: a place that changes nothing, so it counts only where both readings
    // write the same file with no suspect chunk edge; elsewhere that chunk has no place
    // of its own.
    let strict = match (&structural, strict) {
        (Ok(a), Ok(b)) if closers_fitted => {
            let agree = readings::Readings::new(doc, &ctx, a, &b, false).agree();
            if agree && suspect(&ctx, a).is_none() {
                Ok(b)
            } else {
                Err(strict::Refused::no_place(&ctx))
            }
        }
        (_, s) => s,
    };
    let plans = match (structural, strict) {
        // Where the two readings write the same file, or differ only in a way that shows
        // the structural one misread a chunk edge (`readings.rs`), the strict one stands.
        (Ok(a), Ok(b)) => match readings::Readings::new(doc, &ctx, &a, &b, echo_deleted).choose() {
            Some(readings::Reading::Strict) => b,
            Some(readings::Reading::Structural) => a,
            None => return Err(two_readings(&ctx, &a, &b)),
        },
        // Only the strict reading places chunks out of file order (habit 1), new code
        // pinned between neighbours that meet (habit 5), and new code fitted at a file
        // edge by the lines it shows there; elsewhere its guesses alone are not enough
        // (a method placed past its class's closing brace).
        (Err(r), Ok(_))
            if !(r.code == RefusalCode::OutOfOrder
                || (r.code == RefusalCode::NoAnchor && loose_held)) =>
        {
            return Err(r)
        }
        // Nor where the strict reading found a chunk's new edge lines standing together
        // a few lines out: they may be those lines, with the code between deleted.
        (Ok(_), Err(r)) if r.echoed => return Err(r.refusal),
        // The structural reading alone is not taken where the strict reading found a
        // chunk's anchors far apart (a block mostly deleted) or chunks out of order: on
        // real edits those merges were nearly always wrong (17 of 28). Where the strict
        // reading refused two chunks claiming the same lines, or a chunk's last lines
        // that could stand at several places, the structural merge goes on to the checks
        // below: on the real-edit corpus each one that passed them was the edit (15).
        (Ok(_), Err(r))
            if !(r.tail_edge || r.overlap)
                && matches!(
                    r.refusal.code,
                    RefusalCode::ValidationFailed | RefusalCode::OutOfOrder
                ) =>
        {
            return Err(r.refusal)
        }
        // One reading only: taken when no chunk edge shows the signs of a misplaced
        // boundary.
        (Ok(p), Err(strict::Refused { refusal: r, .. })) | (Err(r), Ok(p)) => {
            if let Some(line) = suspect(&ctx, &p) {
                return Err(suspect_refusal(&ctx, &p, line, r));
            }
            p
        }
        (Err(r), Err(_)) => return Err(r),
    };
    let held = |k: usize| {
        let p = &plans[k];
        let c = &ctx.chunks[p.chunk];
        // A chunk is also held by the file's ends when no marker stands past it, by
        // a place the strict reading found for it alone (`strict/meet.rs`, `fit.rs`),
        // and, when it starts with a closer, by the held block it closes.
        (!c.marker_after && p.span.1 == ctx.n())
            || (!c.marker_before && p.span.0 == 0)
            || anchored::anchored_once(&ctx, p)
            || held_without_anchor.contains(&(p.chunk, p.span))
            || anchored::closes_held_opener(&ctx, &plans, p)
    };
    // Or by two held neighbours around it, where a run of its kept lines stands once
    // between them: the neighbours fix the gap, the run its place in it.
    let between_held = |k: usize| {
        let (Some(prev), Some(next)) = (k.checked_sub(1), plans.get(k + 1).map(|_| k + 1)) else {
            return false;
        };
        let (lo, hi) = (plans[prev].span.1, plans[next].span.0);
        held(prev) && held(next) && anchored::anchored_within(&ctx, &plans[k], lo, hi)
    };
    if let Some(p) = (0..plans.len())
        .find(|&k| !held(k) && !between_held(k))
        .map(|k| &plans[k])
    {
        return Err(Refusal::new(
            RefusalCode::AmbiguousAnchor,
            "the unchanged lines of this chunk also stand together elsewhere in the file, so \
             nothing in it says where it goes; include an unchanged line that occurs once in \
             the file (a signature, a name) next to the change",
        )
        .with_chunk(ctx.chunk_text(&ctx.chunks[p.chunk]))
        .with_candidates(vec![p.span.0 + 1]));
    }
    let warnings = span::edge_warnings(&ctx, &plans);
    let emitted = emit::emit(&ctx, &plans);
    if let Some((from, to)) = emit::duplicated_run(&ctx, &emitted, &plans) {
        return Err(Refusal::new(
            RefusalCode::ValidationFailed,
            format!(
                "the merge would repeat lines {from}-{to} of the file, which stay where they are: \
                 either the chunk was placed next to code it already contains, or it moves those \
                 lines and their old place was read as kept. Include the unchanged lines around \
                 the change; to move code, also show its old place without it"
            ),
        ));
    }
    verify::check(&ctx, &emitted, &plans)?;
    Ok(LazyOutcome {
        out: emitted.out,
        levels: plans.iter().map(|p| p.level).collect(),
        warnings,
    })
}

fn suspect(ctx: &Ctx, plans: &[span::Plan]) -> Option<usize> {
    emit::edge_suspect(ctx, &emit::emit(ctx, plans), plans)
}

/// A merge whose chunk edge repeats or rewrites the line next to it: refused with the
/// other reading's refusal when it had one (it says why that reading failed).
fn suspect_refusal(ctx: &Ctx, plans: &[span::Plan], line: usize, other: Refusal) -> Refusal {
    let chunk = plans.first().map(|p| ctx.chunk_text(&ctx.chunks[p.chunk]));
    let mut r = Refusal::new(
        other.code,
        format!(
            "{}; a reading that places it anyway would put a new line next to the same or an \
             older version of it (result line {line}); include the unchanged lines just above \
             and below the change",
            other.message
        ),
    )
    .with_candidates(other.candidates);
    if let Some(c) = other.chunk.or(chunk) {
        r = r.with_chunk(c);
    }
    r
}

/// The refusal for a snippet the two readings merge differently: names the first chunk
/// whose place differs.
fn two_readings(ctx: &Ctx, a: &[span::Plan], b: &[span::Plan]) -> Refusal {
    let differs = |p: &span::Plan| !b.iter().any(|q| q.chunk == p.chunk && q.span == p.span);
    let bad = a.iter().find(|p| differs(p)).or(a.first());
    let mut r = Refusal::new(
        RefusalCode::AmbiguousAnchor,
        "this chunk can be placed in more than one way (its first or last lines could replace \
         the file's neighbouring lines or be new lines next to them); include the unchanged \
         lines just above and below the change",
    );
    if let Some(p) = bad {
        let mut cands = vec![p.span.0 + 1];
        if let Some(q) = b.iter().find(|q| q.chunk == p.chunk) {
            if q.span.0 != p.span.0 {
                cands.push(q.span.0 + 1);
            }
        }
        r = r
            .with_chunk(ctx.chunk_text(&ctx.chunks[p.chunk]))
            .with_candidates(cands);
    }
    r
}

/// Folded keys of a slice of lines.
pub(super) fn fold_keys(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| key_fold(l)).collect()
}
