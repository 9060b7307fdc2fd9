//! The `*** Begin Patch` format: add, delete, update (with `@@` context and optional
//! `*** Move to:`) several files at once. Applied all or nothing: every operation is
//! computed against an in-memory view before any change is returned.

use super::hunks::{self, Hunk, HunkLine, PureAdd, Tag};
use super::text::{edit_lines, render, Doc};
use super::types::{ChangeKind, MatchLevel, PatchedFile, Refusal, RefusalCode};
use std::collections::HashMap;

pub(crate) enum Op<'a> {
    Add {
        path: &'a str,
        lines: Vec<&'a str>,
    },
    Delete {
        path: &'a str,
    },
    Update {
        path: &'a str,
        move_to: Option<&'a str>,
        hunks: Vec<Hunk<'a>>,
    },
}

/// Whether the text starts with `*** Begin Patch`.
pub(crate) fn looks_like(edit: &str) -> bool {
    edit_lines(edit)
        .iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim() == "*** Begin Patch")
}

fn perr(line: usize, msg: impl std::fmt::Display) -> Refusal {
    Refusal::new(RefusalCode::ParseError, format!("patch line {line}: {msg}"))
}

/// Parse the patch envelope and its operations.
pub(crate) fn parse(edit: &str) -> Result<Vec<Op<'_>>, Refusal> {
    let lines = edit_lines(edit);
    let Some(begin) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return Err(Refusal::new(RefusalCode::ParseError, "the patch is empty"));
    };
    if lines[begin].trim() != "*** Begin Patch" {
        return Err(perr(begin + 1, "expected `*** Begin Patch`"));
    }
    let Some(end) = lines.iter().rposition(|l| l.trim() == "*** End Patch") else {
        return Err(Refusal::new(
            RefusalCode::ParseError,
            "the patch has no `*** End Patch` line",
        ));
    };
    let mut ops: Vec<Op> = Vec::new();
    let mut hunk: Option<Hunk> = None;
    for (i, &raw) in lines.iter().enumerate().take(end).skip(begin + 1) {
        let t = raw.trim();
        let no = i + 1;
        let file_op = if let Some(p) = t.strip_prefix("*** Add File: ") {
            Some(Op::Add {
                path: p.trim(),
                lines: Vec::new(),
            })
        } else if let Some(p) = t.strip_prefix("*** Delete File: ") {
            Some(Op::Delete { path: p.trim() })
        } else {
            t.strip_prefix("*** Update File: ").map(|p| Op::Update {
                path: p.trim(),
                move_to: None,
                hunks: Vec::new(),
            })
        };
        if let Some(op) = file_op {
            finish_hunk(&mut ops, hunk.take());
            ops.push(op);
            continue;
        }
        let Some(op) = ops.last_mut() else {
            if t.is_empty() {
                continue;
            }
            return Err(perr(no, format!("expected a file operation, found `{t}`")));
        };
        match op {
            Op::Add { lines, .. } => match raw.strip_prefix('+') {
                Some(rest) => lines.push(rest),
                None if t.is_empty() => {}
                None => return Err(perr(no, "every line of an added file starts with `+`")),
            },
            Op::Delete { .. } => {
                if !t.is_empty() {
                    return Err(perr(no, format!("unexpected line after a delete: `{t}`")));
                }
            }
            Op::Update { move_to, hunks, .. } => {
                if let Some(dest) = t.strip_prefix("*** Move to: ") {
                    if move_to.is_some() || !hunks.is_empty() || hunk.is_some() {
                        return Err(perr(no, "`*** Move to:` must follow `*** Update File:`"));
                    }
                    *move_to = Some(dest.trim());
                    continue;
                }
                if t == "*** End of File" {
                    match hunk.as_mut() {
                        Some(h) => h.eof = true,
                        None => return Err(perr(no, "`*** End of File` outside a hunk")),
                    }
                    continue;
                }
                if t == "@@" || t.starts_with("@@ ") {
                    let header = t[2..].trim();
                    let h = match hunk.take() {
                        Some(h) if h.lines.is_empty() && !h.eof => h,
                        other => {
                            if let Some(done) = other.and_then(trimmed) {
                                hunks.push(done);
                            }
                            Hunk::default()
                        }
                    };
                    let mut h = h;
                    if !header.is_empty() {
                        h.headers.push(header);
                    }
                    hunk = Some(h);
                    continue;
                }
                if raw.starts_with("***") {
                    return Err(perr(no, format!("unknown patch line `{t}`")));
                }
                let (tag, text) = match raw.as_bytes().first() {
                    None => (Tag::Ctx, ""),
                    Some(b' ') => (Tag::Ctx, &raw[1..]),
                    Some(b'+') => (Tag::Add, &raw[1..]),
                    Some(b'-') => (Tag::Del, &raw[1..]),
                    _ => {
                        return Err(perr(
                            no,
                            format!("a hunk line must start with ` `, `+` or `-`: `{raw}`"),
                        ))
                    }
                };
                hunk.get_or_insert_with(Hunk::default)
                    .lines
                    .push(HunkLine { tag, text });
            }
        }
    }
    finish_hunk(&mut ops, hunk.take());
    if ops.is_empty() {
        return Err(Refusal::new(
            RefusalCode::ParseError,
            "the patch has no file operation",
        ));
    }
    for op in &ops {
        if let Op::Update { path, hunks, .. } = op {
            if !hunks
                .iter()
                .any(|h| h.lines.iter().any(|l| l.tag != Tag::Ctx))
            {
                return Err(Refusal::new(
                    RefusalCode::ParseError,
                    format!("the update of {path} has no change"),
                )
                .with_file(*path));
            }
        }
    }
    Ok(ops)
}

/// A hunk without its trailing blank context lines, unless nothing is left.
fn trimmed(mut h: Hunk<'_>) -> Option<Hunk<'_>> {
    while h
        .lines
        .last()
        .is_some_and(|l| l.tag == Tag::Ctx && l.text.is_empty())
    {
        h.lines.pop();
    }
    (!h.lines.is_empty()).then_some(h)
}

fn finish_hunk<'a>(ops: &mut [Op<'a>], h: Option<Hunk<'a>>) {
    if let (Some(Op::Update { hunks, .. }), Some(h)) = (ops.last_mut(), h.and_then(trimmed)) {
        hunks.push(h);
    }
}

fn added_content(lines: &[&str]) -> String {
    let mut s = lines.join("\n");
    if !lines.is_empty() {
        s.push('\n');
    }
    s
}

/// Apply an update's hunks to one file's content.
pub(crate) fn update(old: &str, hunks: &[Hunk]) -> Result<(String, Vec<MatchLevel>), Refusal> {
    let doc = Doc::parse(old);
    let r = hunks::apply(&doc, hunks, PureAdd::AfterHeaderOrEof)?;
    Ok((render(&doc, &r.out, r.final_newline), r.levels))
}

/// A single-file patch applied to `original` (for `apply_edit`).
pub(crate) fn apply_single(
    original: &str,
    edit: &str,
) -> Result<(String, Vec<MatchLevel>, Vec<String>), Refusal> {
    let ops = parse(edit)?;
    if ops.len() != 1 {
        return Err(Refusal::new(
            RefusalCode::ParseError,
            format!(
                "the patch touches {} files; apply it as a multi-file patch",
                ops.len()
            ),
        ));
    }
    match &ops[0] {
        Op::Update {
            path,
            move_to,
            hunks,
        } => {
            let (content, levels) = update(original, hunks).map_err(|r| r.with_file(*path))?;
            let mut warnings = Vec::new();
            if let Some(dest) = move_to {
                warnings.push(format!(
                    "the patch also moves the file to {dest}; only its content was changed"
                ));
            }
            Ok((content, levels, warnings))
        }
        Op::Add { lines, .. } => Ok((added_content(lines), vec![MatchLevel::Exact], Vec::new())),
        Op::Delete { path } => Err(Refusal::new(
            RefusalCode::ParseError,
            "the patch deletes the file; apply it as a multi-file patch",
        )
        .with_file(*path)),
    }
}

/// Every path a patch names (targets and moves) follows the project path rule: a
/// patch may come from a model, and a path out of the folder, through `.git/` or
/// into `.codingit/` refuses the whole patch before any file is read.
fn check_paths(ops: &[Op<'_>]) -> Result<(), Refusal> {
    for op in ops {
        let (path, move_to) = match op {
            Op::Add { path, .. } | Op::Delete { path } => (*path, None),
            Op::Update { path, move_to, .. } => (*path, *move_to),
        };
        for p in std::iter::once(path).chain(move_to) {
            if let Err(reason) = crate::fragment::checks::check_relative_path(p) {
                return Err(Refusal::new(
                    RefusalCode::ValidationFailed,
                    format!("patch path `{p}` {reason}; nothing was changed"),
                )
                .with_file(p));
            }
        }
    }
    Ok(())
}

/// Compute every change of a multi-file patch, all or nothing.
pub(crate) fn apply_all(
    patch: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<PatchedFile>, Refusal> {
    let ops = parse(patch)?;
    check_paths(&ops)?;
    let mut view: HashMap<String, Option<String>> = HashMap::new();
    let get = |view: &HashMap<String, Option<String>>, p: &str| match view.get(p) {
        Some(v) => v.clone(),
        None => read(p),
    };
    let mut changes = Vec::new();
    for op in &ops {
        match op {
            Op::Add { path, lines } => {
                let new = added_content(lines);
                let old = get(&view, path);
                view.insert(path.to_string(), Some(new.clone()));
                changes.push(PatchedFile {
                    path: path.to_string(),
                    kind: ChangeKind::Add,
                    move_to: None,
                    old,
                    new: Some(new),
                });
            }
            Op::Delete { path } => {
                let Some(old) = get(&view, path) else {
                    return Err(Refusal::new(
                        RefusalCode::NotFound,
                        format!("cannot delete {path}: no such file"),
                    )
                    .with_file(*path));
                };
                view.insert(path.to_string(), None);
                changes.push(PatchedFile {
                    path: path.to_string(),
                    kind: ChangeKind::Delete,
                    move_to: None,
                    old: Some(old),
                    new: None,
                });
            }
            Op::Update {
                path,
                move_to,
                hunks,
            } => {
                let Some(old) = get(&view, path) else {
                    return Err(Refusal::new(
                        RefusalCode::NotFound,
                        format!("cannot update {path}: no such file"),
                    )
                    .with_file(*path));
                };
                let (new, _) = update(&old, hunks).map_err(|r| r.with_file(*path))?;
                match move_to {
                    Some(dest) => {
                        view.insert(path.to_string(), None);
                        view.insert(dest.to_string(), Some(new.clone()));
                    }
                    None => {
                        view.insert(path.to_string(), Some(new.clone()));
                    }
                }
                changes.push(PatchedFile {
                    path: path.to_string(),
                    kind: ChangeKind::Update,
                    move_to: move_to.map(str::to_string),
                    old: Some(old),
                    new: Some(new),
                });
            }
        }
    }
    Ok(changes)
}
