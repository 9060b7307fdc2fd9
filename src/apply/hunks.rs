//! Applying hunks (context, removed and added lines) with a forward-only cursor:
//! used by unified diffs, `*** Begin Patch` updates and diff-style lazy snippets.
//! Each hunk's old lines must match at one place, trying exact, then trailing
//! whitespace, then all whitespace (with a uniform indentation shift), then Unicode
//! punctuation folding.

use super::closest::closest;
use super::structure::Outline;
use super::text::{indent_width, is_blank, key_fold, key_ws, reindent, uses_tabs, Doc, OutLine};
use super::types::{MatchLevel, Refusal, RefusalCode};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    Ctx,
    Del,
    Add,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HunkLine<'a> {
    pub tag: Tag,
    pub text: &'a str,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Hunk<'a> {
    pub lines: Vec<HunkLine<'a>>,
    /// `@@ class Foo` lines of the patch format, located in turn before the hunk.
    pub headers: Vec<&'a str>,
    /// 1-based start line on the old side (unified diff), if given.
    pub hint: Option<usize>,
    /// The hunk must end at the end of the file.
    pub eof: bool,
    pub old_no_newline: bool,
    pub new_no_newline: bool,
}

impl<'a> Hunk<'a> {
    fn old(&self) -> Vec<&'a str> {
        self.lines
            .iter()
            .filter(|l| l.tag != Tag::Add)
            .map(|l| l.text)
            .collect()
    }

    /// The hunk as the edit wrote it, for refusals.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for h in &self.headers {
            s.push_str(&format!("@@ {h}\n"));
        }
        for l in &self.lines {
            let p = match l.tag {
                Tag::Ctx => ' ',
                Tag::Del => '-',
                Tag::Add => '+',
            };
            s.push(p);
            s.push_str(l.text);
            s.push('\n');
        }
        s
    }
}

/// Where a hunk with no old lines goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PureAdd {
    /// After its `@@` header line, else at the end of the file (patch format).
    AfterHeaderOrEof,
    /// After the hinted line (unified diff `@@ -l,0`); refused without a hint.
    AtHint,
    /// Refused: nothing says where it goes.
    Refuse,
}

pub(crate) struct HunkOutcome<'a> {
    pub out: Vec<OutLine<'a>>,
    pub levels: Vec<MatchLevel>,
    pub warnings: Vec<String>,
    /// Set when the hunks say so (`\ No newline at end of file`).
    pub final_newline: Option<bool>,
}

struct Keys<'k, 'a> {
    lines: &'k [&'a str],
    ws: Vec<Cow<'a, str>>,
    fold: Option<Vec<String>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rung {
    Exact,
    Rstrip,
    Ws,
    Fold,
}

impl Keys<'_, '_> {
    fn eq(&self, rung: Rung, needle: &Needle, i: usize, o: usize) -> bool {
        let (a, b) = (needle.lines[i], self.lines[o]);
        match rung {
            Rung::Exact => a == b,
            Rung::Rstrip => a.trim_end() == b.trim_end(),
            Rung::Ws => needle.ws[i] == self.ws[o],
            Rung::Fold => match &self.fold {
                Some(f) => needle.fold[i] == f[o],
                None => false,
            },
        }
    }

    /// All positions in `[from, to)` where `needle` matches at `rung`.
    fn find_all(&self, rung: Rung, needle: &Needle, from: usize, to: usize) -> Vec<usize> {
        let m = needle.lines.len();
        if m == 0 || to < from + m {
            return Vec::new();
        }
        (from..=to - m)
            .filter(|&p| (0..m).all(|i| self.eq(rung, needle, i, p + i)))
            .collect()
    }
}

struct Needle<'a> {
    lines: Vec<&'a str>,
    ws: Vec<Cow<'a, str>>,
    fold: Vec<String>,
}

impl<'a> Needle<'a> {
    fn new(lines: Vec<&'a str>) -> Self {
        let ws = lines.iter().map(|l| key_ws(l)).collect();
        let fold = lines.iter().map(|l| key_fold(l)).collect();
        Needle { lines, ws, fold }
    }
}

enum Found {
    At(usize, MatchLevel, isize),
    Many(Vec<usize>),
    None,
}

fn level_of(keys: &Keys, needle: &Needle, rung: Rung, p: usize) -> (MatchLevel, isize) {
    match rung {
        Rung::Exact => (MatchLevel::Exact, 0),
        Rung::Rstrip => (MatchLevel::WhitespaceTolerant, 0),
        Rung::Fold => (MatchLevel::UnicodeFolded, 0),
        Rung::Ws => {
            let mut deltas = needle
                .lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !is_blank(l))
                .map(|(i, l)| indent_width(keys.lines[p + i]) as isize - indent_width(l) as isize);
            let first = deltas.next().unwrap_or(0);
            if first != 0 && deltas.all(|d| d == first) {
                (MatchLevel::IndentShifted, first)
            } else {
                (MatchLevel::WhitespaceTolerant, 0)
            }
        }
    }
}

fn locate(keys: &mut Keys, needle: &Needle, from: usize, to: usize, hint: Option<usize>) -> Found {
    for rung in [Rung::Exact, Rung::Rstrip, Rung::Ws, Rung::Fold] {
        if rung == Rung::Fold && keys.fold.is_none() {
            keys.fold = Some(keys.lines.iter().map(|l| key_fold(l)).collect());
        }
        let all = keys.find_all(rung, needle, from, to);
        let pick = match all.len() {
            0 => continue,
            1 => Some(all[0]),
            _ => hint.and_then(|h| all.iter().copied().find(|&p| p + 1 == h)),
        };
        return match pick {
            Some(p) => {
                let (level, shift) = level_of(keys, needle, rung, p);
                Found::At(p, level, shift)
            }
            None => Found::Many(all),
        };
    }
    Found::None
}

fn refuse_many(h: &Hunk, all: &[usize], what: &str) -> Refusal {
    Refusal::new(
        RefusalCode::NotUnique,
        format!("{what} matches the file at {} places", all.len()),
    )
    .with_chunk(h.text())
    .with_candidates(all.iter().map(|p| p + 1).collect())
}

/// Apply `hunks` to `doc` in order.
pub(crate) fn apply<'a>(
    doc: &Doc<'a>,
    hunks: &[Hunk<'a>],
    pure_add: PureAdd,
) -> Result<HunkOutcome<'a>, Refusal> {
    let n = doc.len();
    let mut keys = Keys {
        lines: &doc.lines,
        ws: doc.lines.iter().map(|l| key_ws(l)).collect(),
        fold: None,
    };
    let outline = Outline::new(&doc.lines, None);
    let tabs = uses_tabs(&doc.lines);
    let mut out: Vec<OutLine<'a>> = Vec::with_capacity(n + 8);
    let mut levels = Vec::new();
    let mut final_newline = None;
    let mut cursor = 0usize;
    for h in hunks {
        let (mut from, mut to) = (cursor, n);
        for header in &h.headers {
            let needle = Needle::new(vec![*header]);
            match locate(&mut keys, &needle, from, n, None) {
                Found::At(p, _, _) => {
                    from = p + 1;
                    to = outline.block_end(p).max(from);
                }
                Found::Many(all) => return Err(refuse_many(h, &all, "the @@ context line")),
                Found::None => {
                    return Err(Refusal::new(
                        RefusalCode::NotFound,
                        format!("the @@ context line `{header}` was not found"),
                    )
                    .with_chunk(h.text()))
                }
            }
        }
        let old = h.old();
        let (pos, level, shift, eaten) = if old.iter().all(|l| is_blank(l)) && old.len() <= 1 {
            let at = match pure_add {
                PureAdd::AfterHeaderOrEof if !h.headers.is_empty() => from,
                PureAdd::AfterHeaderOrEof => n,
                PureAdd::AtHint if h.hint.is_some() || doc.is_blank() => h.hint.unwrap_or(0).min(n),
                _ if doc.is_blank() => n,
                _ => {
                    return Err(Refusal::new(
                        RefusalCode::NoAnchor,
                        "the hunk only adds lines and has no context line to say where",
                    )
                    .with_chunk(h.text()))
                }
            };
            if at < cursor {
                return Err(Refusal::new(
                    RefusalCode::OutOfOrder,
                    "the hunk comes before the previous one",
                )
                .with_chunk(h.text()));
            }
            (at, MatchLevel::Exact, 0, 0)
        } else {
            let mut needle = Needle::new(old.clone());
            let mut found = if h.eof {
                let start = n.saturating_sub(old.len()).max(from);
                locate(&mut keys, &needle, start, n, None)
            } else {
                match locate(&mut keys, &needle, from, to, h.hint) {
                    Found::None if to < n => locate(&mut keys, &needle, from, n, h.hint),
                    f => f,
                }
            };
            // A trailing blank old line is often an artefact; retry without it.
            if matches!(found, Found::None)
                && old.len() > 1
                && old.last().is_some_and(|l| is_blank(l))
            {
                needle = Needle::new(old[..old.len() - 1].to_vec());
                found = locate(&mut keys, &needle, from, n, h.hint);
            }
            match found {
                Found::At(p, level, shift) => (p, level, shift, needle.lines.len()),
                Found::Many(all) => return Err(refuse_many(h, &all, "the hunk's old text")),
                Found::None => {
                    let earlier =
                        matches!(locate(&mut keys, &needle, 0, cursor, None), Found::At(..));
                    let r = if earlier {
                        Refusal::new(
                            RefusalCode::OutOfOrder,
                            "the hunk's old text occurs only before the previous hunk",
                        )
                    } else {
                        Refusal::new(
                            RefusalCode::NotFound,
                            format!(
                                "the hunk's {} old line(s) were not found in the file",
                                old.len()
                            ),
                        )
                        .with_closest(closest(
                            &doc.lines,
                            &old,
                            cursor..n,
                            2,
                        ))
                    };
                    return Err(r.with_chunk(h.text()));
                }
            }
        };
        out.extend((cursor..pos).map(OutLine::Orig));
        let mut k = 0usize;
        for l in &h.lines {
            match l.tag {
                Tag::Ctx if k < eaten => {
                    out.push(OutLine::Orig(pos + k));
                    k += 1;
                }
                Tag::Ctx => out.push(OutLine::New(Cow::Borrowed(l.text))),
                Tag::Del => k += 1,
                Tag::Add => out.push(OutLine::New(reindent(l.text, shift, tabs))),
            }
        }
        cursor = (pos + eaten).min(n);
        levels.push(level);
        if cursor == n {
            if h.new_no_newline {
                final_newline = Some(false);
            } else if h.old_no_newline {
                final_newline = Some(true);
            }
        }
    }
    out.extend((cursor..n).map(OutLine::Orig));
    Ok(HunkOutcome {
        out,
        levels,
        warnings: Vec::new(),
        final_newline,
    })
}
