//! Line model of a file that keeps its bytes (BOM, line endings, final newline),
//! the comparison keys of the matching ladder, and indentation helpers.

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

const BOM: char = '\u{feff}';

/// A file split into lines without their terminators; each line remembers its own.
pub(crate) struct Doc<'a> {
    pub bom: bool,
    pub lines: Vec<&'a str>,
    /// Terminator of each line: `"\n"`, `"\r\n"` or `""` (last line without newline).
    pub eols: Vec<&'a str>,
    /// The terminator most lines use; new lines get it.
    pub default_eol: &'static str,
}

impl<'a> Doc<'a> {
    pub fn parse(text: &'a str) -> Doc<'a> {
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut lines = Vec::new();
        let mut eols = Vec::new();
        let mut crlf = 0usize;
        let mut lf = 0usize;
        let mut rest = body;
        while !rest.is_empty() {
            match rest.find('\n') {
                Some(i) => {
                    let (line, eol) = if i > 0 && rest.as_bytes()[i - 1] == b'\r' {
                        crlf += 1;
                        (&rest[..i - 1], &rest[i - 1..=i])
                    } else {
                        lf += 1;
                        (&rest[..i], &rest[i..=i])
                    };
                    lines.push(line);
                    eols.push(eol);
                    rest = &rest[i + 1..];
                }
                None => {
                    lines.push(rest);
                    eols.push("");
                    rest = "";
                }
            }
        }
        let default_eol = if crlf > lf { "\r\n" } else { "\n" };
        Doc {
            bom,
            lines,
            eols,
            default_eol,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the file ends with a line terminator (an empty file counts as yes).
    pub fn final_newline(&self) -> bool {
        self.eols.last().is_none_or(|e| !e.is_empty())
    }

    pub fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }
}

/// One line of a merge result: an untouched original line or new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OutLine<'a> {
    Orig(usize),
    New(Cow<'a, str>),
}

/// Join result lines, giving untouched lines their own terminators and new lines the
/// file's usual one; `final_newline` decides the end (None keeps the original's state).
pub(crate) fn render(doc: &Doc, out: &[OutLine], final_newline: Option<bool>) -> String {
    let approx: usize = doc.lines.iter().map(|l| l.len() + 2).sum();
    let mut s = String::with_capacity(approx + 64 * (out.len().saturating_sub(doc.len()) + 1));
    if doc.bom {
        s.push(BOM);
    }
    let last_nl = final_newline.unwrap_or_else(|| doc.final_newline());
    let last_eol = match doc.eols.last() {
        Some(e) if !e.is_empty() => *e,
        _ => doc.default_eol,
    };
    for (i, line) in out.iter().enumerate() {
        let (text, eol) = match line {
            OutLine::Orig(k) => (
                doc.lines.get(*k).copied().unwrap_or(""),
                doc.eols.get(*k).copied().unwrap_or(""),
            ),
            OutLine::New(t) => (t.as_ref(), ""),
        };
        s.push_str(text);
        if i + 1 < out.len() {
            s.push_str(if eol.is_empty() { doc.default_eol } else { eol });
        } else if last_nl {
            s.push_str(if eol.is_empty() { last_eol } else { eol });
        }
    }
    s
}

/// A small multiplicative hasher for line keys (no untrusted-input flooding concern:
/// the engine hashes one file and one edit).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHash;

pub(crate) struct FastHasher(u64);

impl BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            self.0 =
                (self.0.rotate_left(5) ^ u64::from_le_bytes(v)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, FastHash>;

pub(crate) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn ascii_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Comparison key: trimmed, inner whitespace runs collapsed to one space.
pub(crate) fn key_ws(s: &str) -> Cow<'_, str> {
    let (t, needs) = if s.is_ascii() {
        let b = s.as_bytes();
        let start = b.iter().position(|&c| !ascii_ws(c)).unwrap_or(b.len());
        let end = b
            .iter()
            .rposition(|&c| !ascii_ws(c))
            .map_or(start, |i| i + 1);
        let mut prev = false;
        let needs = b[start..end].iter().any(|&c| {
            let ws = ascii_ws(c);
            let bad = ws && (prev || c != b' ');
            prev = ws;
            bad
        });
        (&s[start..end], needs)
    } else {
        let t = s.trim();
        let mut prev_space = false;
        let needs = t.chars().any(|c| {
            let bad = c.is_whitespace() && (prev_space || c != ' ');
            prev_space = c.is_whitespace();
            bad
        });
        (t, needs)
    };
    if !needs {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut in_space = false;
    for c in t.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    Cow::Owned(out)
}

/// Comparison key with Unicode punctuation and spaces folded to ASCII.
pub(crate) fn key_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' => {
                out.push('\'')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => out.push('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
                out.push('-')
            }
            '\u{2026}' => out.push_str("..."),
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(' ')
            }
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | BOM => {}
            _ => out.push(c),
        }
    }
    key_ws(&out).into_owned()
}

/// Indentation width, a tab counting four columns.
pub(crate) fn indent_width(s: &str) -> usize {
    let mut w = 0;
    for c in s.chars() {
        match c {
            ' ' => w += 1,
            '\t' => w += 4,
            c if c.is_whitespace() => w += 1,
            _ => break,
        }
    }
    w
}

/// Whether the file indents with tabs rather than spaces.
pub(crate) fn uses_tabs(lines: &[&str]) -> bool {
    let mut tabs = 0usize;
    let mut spaces = 0usize;
    for l in lines {
        if l.starts_with('\t') {
            tabs += 1;
        } else if l.starts_with(' ') {
            spaces += 1;
        }
    }
    tabs > spaces
}

/// Move a line's indentation by `shift` columns (negative removes).
pub(crate) fn reindent(line: &str, shift: isize, tabs: bool) -> Cow<'_, str> {
    if shift == 0 {
        return Cow::Borrowed(line);
    }
    if is_blank(line) {
        return Cow::Borrowed("");
    }
    if shift > 0 {
        let n = shift.unsigned_abs();
        let prefix = if tabs && n % 4 == 0 {
            "\t".repeat(n / 4)
        } else {
            " ".repeat(n)
        };
        return Cow::Owned(format!("{prefix}{line}"));
    }
    let mut remove = shift.unsigned_abs();
    let mut cut = 0usize;
    for (i, c) in line.char_indices() {
        if remove == 0 {
            break;
        }
        let w = match c {
            ' ' => 1,
            '\t' => 4,
            _ => break,
        };
        if w > remove {
            break;
        }
        remove -= w;
        cut = i + c.len_utf8();
    }
    Cow::Owned(line[cut..].to_string())
}

/// Rewrite a line's indentation in the file's style (tabs or spaces, a tab = 4 columns).
pub(crate) fn restyle(line: &str, tabs: bool) -> String {
    let ind = indent_str(line);
    let w = indent_width(ind);
    let lead = if tabs {
        format!("{}{}", "\t".repeat(w / 4), " ".repeat(w % 4))
    } else {
        " ".repeat(w)
    };
    format!("{lead}{}", &line[ind.len()..])
}

fn indent_str(s: &str) -> &str {
    &s[..s.len() - s.trim_start().len()]
}

/// Split an edit text into lines, dropping a BOM and carriage returns.
pub(crate) fn edit_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut v: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if text.ends_with('\n') {
        v.pop();
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_keeps_line_endings() {
        let d = Doc::parse("\u{feff}a\r\nb\nc");
        assert!(d.bom);
        assert_eq!(d.lines, vec!["a", "b", "c"]);
        assert_eq!(d.eols, vec!["\r\n", "\n", ""]);
        assert!(!d.final_newline());
        let out = vec![OutLine::Orig(0), OutLine::New("x".into()), OutLine::Orig(2)];
        assert_eq!(render(&d, &out, None), "\u{feff}a\r\nx\nc");
    }

    #[test]
    fn keys() {
        assert_eq!(key_ws("  a   b\t c  "), "a b c");
        assert_eq!(
            key_fold("say \u{201C}hi\u{201D} \u{2014} ok\u{2026}"),
            "say \"hi\" - ok..."
        );
        assert_eq!(reindent("    x", -2, false), "  x");
        assert_eq!(reindent("x", 4, true), "\tx");
        assert_eq!(restyle("        x", true), "\t\tx");
        assert_eq!(restyle("\t  x", false), "      x");
    }
}
