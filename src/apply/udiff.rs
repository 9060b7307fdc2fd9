//! Unified diffs: `---`/`+++` headers and `@@ -l,c +l,c @@` hunks (line numbers are
//! optional, as some models write `@@ ... @@`). Only single-file diffs apply to one file.

use super::hunks::{Hunk, HunkLine, Tag};
use super::text::edit_lines;
use super::types::{Refusal, RefusalCode};

/// Whether the text looks like a unified diff.
pub(crate) fn looks_like(edit: &str) -> bool {
    let lines = edit_lines(edit);
    let headers = lines
        .windows(2)
        .any(|w| w[0].starts_with("--- ") && w[1].starts_with("+++ "));
    let numbered = lines.iter().any(|l| is_numbered_header(l));
    headers || numbered || lines.first().is_some_and(|l| l.starts_with("diff --git "))
}

fn is_numbered_header(l: &str) -> bool {
    l.starts_with("@@ -") && l[4..].starts_with(|c: char| c.is_ascii_digit())
}

/// The old-side start line of an `@@ -l,c +l,c @@` header.
fn hint(header: &str) -> Option<usize> {
    let rest = header.strip_prefix("@@ -")?;
    let num: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    num.parse().ok()
}

pub(crate) struct FileDiff<'a> {
    pub old_path: Option<&'a str>,
    pub new_path: Option<&'a str>,
    pub hunks: Vec<Hunk<'a>>,
}

fn path_of(l: &str) -> Option<&str> {
    let p = l.get(4..)?.split('\t').next()?.trim();
    (p != "/dev/null").then_some(p)
}

fn push_hunk<'a>(files: &mut Vec<FileDiff<'a>>, h: Option<Hunk<'a>>) {
    let Some(h) = h.filter(|h| !h.lines.is_empty()) else {
        return;
    };
    if files.is_empty() {
        files.push(FileDiff {
            old_path: None,
            new_path: None,
            hunks: Vec::new(),
        });
    }
    if let Some(f) = files.last_mut() {
        f.hunks.push(h);
    }
}

/// Parse a unified diff into per-file hunk lists.
pub(crate) fn parse(edit: &str) -> Result<Vec<FileDiff<'_>>, Refusal> {
    let lines = edit_lines(edit);
    let mut files: Vec<FileDiff> = Vec::new();
    let mut cur: Option<Hunk> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with("--- ") && lines.get(i + 1).is_some_and(|n| n.starts_with("+++ ")) {
            push_hunk(&mut files, cur.take());
            files.push(FileDiff {
                old_path: path_of(l),
                new_path: path_of(lines[i + 1]),
                hunks: Vec::new(),
            });
            i += 2;
            continue;
        }
        if l.starts_with("@@") {
            push_hunk(&mut files, cur.take());
            cur = Some(Hunk {
                hint: hint(l),
                ..Hunk::default()
            });
            i += 1;
            continue;
        }
        let Some(h) = cur.as_mut() else {
            // Preamble: `diff --git`, `index`, mode lines, prose.
            i += 1;
            continue;
        };
        if let Some(rest) = l.strip_prefix('\\') {
            if rest.contains("No newline") {
                match h.lines.last().map(|x| x.tag) {
                    Some(Tag::Del) => h.old_no_newline = true,
                    Some(Tag::Add) => h.new_no_newline = true,
                    Some(Tag::Ctx) => {
                        h.old_no_newline = true;
                        h.new_no_newline = true;
                    }
                    None => {}
                }
            }
            i += 1;
            continue;
        }
        let (tag, text) = match l.as_bytes().first() {
            None => (Tag::Ctx, ""),
            Some(b' ') => (Tag::Ctx, &l[1..]),
            Some(b'+') => (Tag::Add, &l[1..]),
            Some(b'-') => (Tag::Del, &l[1..]),
            _ if l.starts_with("diff ") || l.starts_with("index ") => {
                push_hunk(&mut files, cur.take());
                i += 1;
                continue;
            }
            _ => {
                return Err(Refusal::new(
                    RefusalCode::ParseError,
                    format!(
                        "line {} of the diff is not a context (` `), removed (`-`) or added \
                         (`+`) line: `{l}`",
                        i + 1
                    ),
                ))
            }
        };
        h.lines.push(HunkLine { tag, text });
        i += 1;
    }
    push_hunk(&mut files, cur.take());
    // Blank context lines at a hunk's end are usually separators, not file lines.
    for f in &mut files {
        for h in &mut f.hunks {
            while h
                .lines
                .last()
                .is_some_and(|x| x.tag == Tag::Ctx && x.text.is_empty())
            {
                h.lines.pop();
            }
        }
        f.hunks.retain(|h| !h.lines.is_empty());
    }
    files.retain(|f| !f.hunks.is_empty());
    if files.is_empty() {
        return Err(Refusal::new(
            RefusalCode::ParseError,
            "the diff has no hunks",
        ));
    }
    Ok(files)
}
