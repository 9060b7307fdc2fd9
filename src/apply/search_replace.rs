//! Search/replace edits: a JSON list of `{old_string, new_string, replace_all?}` or
//! `<<<<<<< SEARCH` / `=======` / `>>>>>>> REPLACE` blocks. Edits apply in order to the
//! evolving text; each old text must occur exactly once unless `replace_all` is set.

use super::closest::closest;
use super::text::{indent_width, is_blank, key_fold, key_ws, reindent, uses_tabs};
use super::types::{MatchLevel, Refusal, RefusalCode};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SrEdit {
    pub old: String,
    pub new: String,
    pub replace_all: bool,
    /// From a SEARCH block: old and new are whole lines, never part of a line.
    pub whole_lines: bool,
}

const OLD_KEYS: [&str; 5] = ["old_string", "old_str", "old_text", "search", "old"];
const NEW_KEYS: [&str; 5] = ["new_string", "new_str", "new_text", "replace", "new"];

fn str_field(obj: &serde_json::Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        obj.get(*k)
            .and_then(Value::as_str)
            .map(|s| s.replace("\r\n", "\n"))
    })
}

/// Edits from JSON, or None when the text is not a JSON edit list.
pub(crate) fn parse_json(edit: &str) -> Option<Result<Vec<SrEdit>, Refusal>> {
    let t = edit.trim();
    if !(t.starts_with('[') || t.starts_with('{')) {
        return None;
    }
    let v: Value = serde_json::from_str(t).ok()?;
    let items: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("edits") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => vec![&v],
        },
        _ => return None,
    };
    let objects: Vec<&serde_json::Map<String, Value>> =
        items.iter().filter_map(|i| i.as_object()).collect();
    if objects.is_empty()
        || !objects
            .iter()
            .any(|o| OLD_KEYS.iter().any(|k| o.contains_key(*k)))
    {
        return None;
    }
    let mut edits = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        let (Some(old), Some(new)) = (str_field(o, &OLD_KEYS), str_field(o, &NEW_KEYS)) else {
            return Some(Err(Refusal::new(
                RefusalCode::ParseError,
                format!(
                    "edit {} needs string fields old_string and new_string",
                    i + 1
                ),
            )));
        };
        let replace_all = o
            .get("replace_all")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        edits.push(SrEdit {
            old,
            new,
            replace_all,
            whole_lines: false,
        });
    }
    Some(Ok(edits))
}

fn fence(line: &str, ch: char, word: &str) -> bool {
    let t = line.trim_end();
    let n = t.chars().take_while(|c| *c == ch).count();
    (5..=9).contains(&n) && t[n..].trim() == word
}

/// Whether the text holds a SEARCH block.
pub(crate) fn has_blocks(edit: &str) -> bool {
    edit.lines().any(|l| fence(l, '<', "SEARCH"))
}

/// Edits from `<<<<<<< SEARCH` blocks; text outside blocks (file names, fences) is ignored.
pub(crate) fn parse_blocks(edit: &str) -> Result<Vec<SrEdit>, Refusal> {
    enum St {
        Out,
        Search,
        Replace,
    }
    let mut st = St::Out;
    let mut old: Vec<&str> = Vec::new();
    let mut new: Vec<&str> = Vec::new();
    let mut edits = Vec::new();
    let err = |n: usize, what: &str| {
        Refusal::new(
            RefusalCode::ParseError,
            format!("line {n} of the edit: {what}"),
        )
    };
    for (i, raw) in edit.split('\n').enumerate() {
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        match st {
            St::Out => {
                if fence(l, '<', "SEARCH") {
                    st = St::Search;
                } else if fence(l, '=', "") || fence(l, '>', "REPLACE") {
                    return Err(err(
                        i + 1,
                        "a divider or REPLACE line outside a SEARCH block",
                    ));
                }
            }
            St::Search => {
                if fence(l, '=', "") {
                    st = St::Replace;
                } else if fence(l, '<', "SEARCH") || fence(l, '>', "REPLACE") {
                    return Err(err(i + 1, "expected `=======` before this line"));
                } else {
                    old.push(l);
                }
            }
            St::Replace => {
                if fence(l, '>', "REPLACE") {
                    edits.push(SrEdit {
                        old: old.join("\n"),
                        new: new.join("\n"),
                        replace_all: false,
                        whole_lines: true,
                    });
                    old.clear();
                    new.clear();
                    st = St::Out;
                } else if fence(l, '<', "SEARCH") || fence(l, '=', "") {
                    return Err(err(i + 1, "expected `>>>>>>> REPLACE` before this line"));
                } else {
                    new.push(l);
                }
            }
        }
    }
    if !matches!(st, St::Out) {
        return Err(Refusal::new(
            RefusalCode::ParseError,
            "the last SEARCH block is not closed with `>>>>>>> REPLACE`",
        ));
    }
    if edits.is_empty() {
        return Err(Refusal::new(
            RefusalCode::ParseError,
            "no SEARCH/REPLACE block found",
        ));
    }
    Ok(edits)
}

/// The file as LF-joined segments; each segment remembers whether it ended in CRLF.
struct Buf {
    bom: bool,
    segs: Vec<String>,
    cr: Vec<bool>,
    crlf: bool,
}

impl Buf {
    fn new(text: &str) -> Buf {
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let mut segs = Vec::new();
        let mut cr = Vec::new();
        let parts: Vec<&str> = body.split('\n').collect();
        let last = parts.len() - 1;
        for (i, p) in parts.iter().enumerate() {
            match p.strip_suffix('\r') {
                Some(s) if i < last => {
                    segs.push(s.to_string());
                    cr.push(true);
                }
                _ => {
                    segs.push(p.to_string());
                    cr.push(false);
                }
            }
        }
        let ncr = cr.iter().filter(|c| **c).count();
        let crlf = ncr * 2 > last;
        Buf {
            bom,
            segs,
            cr,
            crlf,
        }
    }

    fn text(&self) -> String {
        self.segs.join("\n")
    }

    fn render(&self) -> String {
        let mut s = String::new();
        if self.bom {
            s.push('\u{feff}');
        }
        for (i, seg) in self.segs.iter().enumerate() {
            s.push_str(seg);
            if i + 1 < self.segs.len() {
                s.push_str(if self.cr[i] { "\r\n" } else { "\n" });
            }
        }
        s
    }

    /// Number of lines (a final newline does not start another line).
    fn nlines(&self) -> usize {
        match self.segs.last() {
            Some(l) if l.is_empty() => self.segs.len() - 1,
            _ => self.segs.len(),
        }
    }

    fn offset_to_pos(&self, off: usize) -> (usize, usize) {
        let mut acc = 0;
        for (i, s) in self.segs.iter().enumerate() {
            if off <= acc + s.len() {
                return (i, off - acc);
            }
            acc += s.len() + 1;
        }
        let last = self.segs.len() - 1;
        (last, self.segs[last].len())
    }

    fn line_offset(&self, line: usize) -> usize {
        self.segs[..line].iter().map(|s| s.len() + 1).sum()
    }

    /// Replace LF-text bytes `[a, b)` with `new` (LF-separated).
    fn splice(&mut self, a: usize, b: usize, new: &str) {
        let (sa, ca) = self.offset_to_pos(a);
        let (sb, cb) = self.offset_to_pos(b);
        let head = self.segs[sa][..ca].to_string();
        let tail = self.segs[sb][cb..].to_string();
        let tail_cr = self.cr[sb];
        let parts: Vec<&str> = new.split('\n').collect();
        let k = parts.len();
        let mut segs = Vec::with_capacity(k);
        let mut cr = Vec::with_capacity(k);
        for (i, p) in parts.iter().enumerate() {
            let mut s = String::new();
            if i == 0 {
                s.push_str(&head);
            }
            s.push_str(p);
            if i + 1 == k {
                s.push_str(&tail);
                cr.push(tail_cr);
            } else {
                cr.push(self.crlf);
            }
            segs.push(s);
        }
        self.segs.splice(sa..=sb, segs);
        self.cr.splice(sa..=sb, cr);
    }

    /// Replace whole lines `[a, b)` (`b > a`) with `new` lines.
    fn replace_lines(&mut self, a: usize, b: usize, new: &[String]) {
        let mut start = self.line_offset(a);
        let terminated = b < self.segs.len();
        if terminated {
            let end = self.line_offset(b);
            let text = if new.is_empty() {
                String::new()
            } else {
                new.join("\n") + "\n"
            };
            self.splice(start, end, &text);
        } else {
            let end = self.line_offset(b - 1) + self.segs[b - 1].len();
            if new.is_empty() && a > 0 {
                // Removing the last lines: also drop the newline that led to them.
                start -= 1;
            }
            self.splice(start, end, &new.join("\n"));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rung {
    Rstrip,
    Ws,
    Fold,
}

fn line_eq(rung: Rung, a: &str, b: &str) -> bool {
    match rung {
        Rung::Rstrip => a.trim_end() == b.trim_end(),
        Rung::Ws => key_ws(a) == key_ws(b),
        Rung::Fold => key_fold(a) == key_fold(b),
    }
}

/// Non-overlapping positions where `needle` matches `hay` line by line.
fn find_lines(rung: Rung, hay: &[&str], needle: &[&str]) -> Vec<usize> {
    let m = needle.len();
    let mut v = Vec::new();
    let mut p = 0;
    while m > 0 && p + m <= hay.len() {
        if (0..m).all(|i| line_eq(rung, needle[i], hay[p + i])) {
            v.push(p);
            p += m;
        } else {
            p += 1;
        }
    }
    v
}

fn shift_of(hay: &[&str], needle: &[&str], p: usize) -> isize {
    let mut d = needle
        .iter()
        .enumerate()
        .filter(|(_, l)| !is_blank(l))
        .map(|(i, l)| indent_width(hay[p + i]) as isize - indent_width(l) as isize);
    let first = d.next().unwrap_or(0);
    if d.all(|x| x == first) {
        first
    } else {
        0
    }
}

fn split_lines(s: &str) -> Vec<&str> {
    let s = s.strip_suffix('\n').unwrap_or(s);
    s.split('\n').collect()
}

pub(crate) struct SrOutcome {
    pub content: String,
    pub levels: Vec<MatchLevel>,
    pub warnings: Vec<String>,
}

/// Apply `edits` in order to `original`.
pub(crate) fn apply(original: &str, edits: &[SrEdit]) -> Result<SrOutcome, Refusal> {
    let mut buf = Buf::new(original);
    let mut levels = Vec::new();
    let mut warnings = Vec::new();
    let mut skipped = 0usize;
    for (ei, e) in edits.iter().enumerate() {
        let label = if edits.len() > 1 {
            format!("edit {} of {}", ei + 1, edits.len())
        } else {
            "the edit".to_string()
        };
        let text = buf.text();
        if e.old.trim().is_empty() {
            if text.trim().is_empty() {
                buf = Buf::new(&e.new);
                levels.push(MatchLevel::Exact);
                continue;
            }
            return Err(Refusal::new(
                RefusalCode::ParseError,
                format!("{label}: the text to replace is empty; quote the lines to change"),
            ));
        }
        if !e.whole_lines {
            let occ: Vec<usize> = text.match_indices(e.old.as_str()).map(|(i, _)| i).collect();
            if occ.len() == 1 || (e.replace_all && !occ.is_empty()) {
                for &i in occ.iter().rev() {
                    buf.splice(i, i + e.old.len(), &e.new);
                }
                levels.push(MatchLevel::Exact);
                continue;
            }
            if occ.len() > 1 {
                let lines = occ
                    .iter()
                    .map(|&i| text[..i].matches('\n').count() + 1)
                    .collect();
                return Err(Refusal::new(
                    RefusalCode::NotUnique,
                    format!("{label}: the text to replace occurs {} times", occ.len()),
                )
                .with_chunk(e.old.clone())
                .with_candidates(lines));
            }
        }
        let hay_owned: Vec<String> = buf.segs[..buf.nlines()].to_vec();
        let hay: Vec<&str> = hay_owned.iter().map(String::as_str).collect();
        let needle = split_lines(&e.old);
        let mut done = false;
        for rung in [Rung::Rstrip, Rung::Ws, Rung::Fold] {
            let pos = find_lines(rung, &hay, &needle);
            if pos.is_empty() {
                continue;
            }
            if pos.len() > 1 && !e.replace_all {
                return Err(Refusal::new(
                    RefusalCode::NotUnique,
                    format!("{label}: the text to replace occurs {} times", pos.len()),
                )
                .with_chunk(e.old.clone())
                .with_candidates(pos.iter().map(|p| p + 1).collect()));
            }
            let tabs = uses_tabs(&hay);
            let exact = rung == Rung::Rstrip
                && pos
                    .iter()
                    .all(|&p| needle.iter().enumerate().all(|(i, l)| hay[p + i] == *l));
            let mut level = match rung {
                Rung::Rstrip if exact => MatchLevel::Exact,
                Rung::Rstrip => MatchLevel::WhitespaceTolerant,
                Rung::Ws => MatchLevel::WhitespaceTolerant,
                Rung::Fold => MatchLevel::UnicodeFolded,
            };
            for &p in pos.iter().rev() {
                let shift = if rung == Rung::Rstrip {
                    0
                } else {
                    shift_of(&hay, &needle, p)
                };
                if shift != 0 && rung == Rung::Ws {
                    level = MatchLevel::IndentShifted;
                }
                let new: Vec<String> = if e.new.is_empty() {
                    Vec::new()
                } else {
                    split_lines(&e.new)
                        .iter()
                        .map(|l| reindent(l, shift, tabs).into_owned())
                        .collect()
                };
                buf.replace_lines(p, p + needle.len(), &new);
            }
            levels.push(level);
            done = true;
            break;
        }
        if done {
            continue;
        }
        let new_lines = split_lines(&e.new);
        let present = !e.new.trim().is_empty()
            && (text.contains(e.new.as_str())
                || !find_lines(Rung::Ws, &hay, &new_lines).is_empty());
        if present {
            skipped += 1;
            warnings.push(format!(
                "{label} was already applied (its new text is present); skipped"
            ));
            continue;
        }
        return Err(Refusal::new(
            RefusalCode::NotFound,
            format!("{label}: the text to replace does not occur in the file"),
        )
        .with_chunk(e.old.clone())
        .with_closest(closest(&hay, &needle, 0..hay.len(), 2)));
    }
    if skipped == edits.len() {
        return Err(Refusal::new(
            RefusalCode::AlreadyApplied,
            "every edit's new text is already in the file and its old text is not",
        ));
    }
    Ok(SrOutcome {
        content: buf.render(),
        levels,
        warnings,
    })
}
