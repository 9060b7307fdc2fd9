//! Text from untrusted sources (sandboxed programs, model answers, project files) made
//! safe to show on a terminal.
//!
//! A terminal obeys escape sequences in whatever it is sent: OSC 52 writes the user's
//! clipboard, OSC 0/2 changes the window title, DCS/APC reach terminal extensions, a
//! bare carriage return or backspace overwrites what was printed before. So every
//! control character (C0 except newline and tab, DEL, C1) and the bidirectional
//! overrides that reorder what is shown ("Trojan Source") are written as visible
//! escapes (`\x1b`, `\u{202e}`) instead. `\r\n` stays a line end.

use std::borrow::Cow;

/// Which escape sequences survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// None: every control character is shown escaped.
    Nothing,
    /// Select Graphic Rendition only (`ESC [ digits;… m`: colors and bold), for text
    /// that codingit styled itself after escaping what came from outside.
    Colors,
}

/// Whether `c` must not reach a terminal as is.
fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidirectional embeddings, overrides and isolates, and the marks that steer them.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => true,
        _ => false,
    }
}

/// Length in bytes of an SGR sequence at the start of `rest` (which begins with ESC).
fn sgr_len(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// `text` with every unsafe character written as a visible escape.
pub fn escape(text: &str, keep: Keep) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' && keep == Keep::Colors {
            if let Some(len) = sgr_len(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if c == '\r' && rest[1..].starts_with('\n') {
            out.push('\r');
        } else if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write;
    let code = u32::from(c);
    let _ = if code <= 0xff {
        write!(out, "\\x{code:02x}")
    } else {
        write!(out, "\\u{{{code:04x}}}")
    };
}

/// `json` (serialised by serde_json, which leaves DEL, C1 and bidirectional characters
/// raw inside strings) with those characters written as JSON `\uXXXX` escapes: the
/// same document for a parser, harmless for a terminal.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) && c != '\r' {
            use std::fmt::Write;
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(escape("a\tb\nc", Keep::Nothing), Cow::Borrowed(_)));
    }

    #[test]
    fn osc_and_csi_are_shown_not_obeyed() {
        let clipboard = "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}";
        assert_eq!(
            escape(clipboard, Keep::Nothing),
            "\\x1b]52;c;ZWNobyBwd25lZA==\\x07"
        );
        assert_eq!(
            escape("\u{1b}[2J\u{9b}31m", Keep::Nothing),
            "\\x1b[2J\\x9b31m"
        );
        assert_eq!(escape("evil\rgood", Keep::Nothing), "evil\\x0dgood");
        assert_eq!(escape("line\r\n", Keep::Nothing), "line\r\n");
        assert_eq!(escape("a\u{202e}b", Keep::Nothing), "a\\u{202e}b");
        assert_eq!(escape("\u{8}\u{7f}", Keep::Nothing), "\\x08\\x7f");
    }

    #[test]
    fn colors_survive_only_when_asked_and_only_colors() {
        let styled = "\u{1b}[1;31mred\u{1b}[0m";
        assert_eq!(escape(styled, Keep::Colors), styled);
        assert_eq!(escape(styled, Keep::Nothing), "\\x1b[1;31mred\\x1b[0m");
        assert_eq!(
            escape("\u{1b}]0;title\u{7}\u{1b}[31m", Keep::Colors),
            "\\x1b]0;title\\x07\u{1b}[31m"
        );
        assert_eq!(escape("\u{1b}[31", Keep::Colors), "\\x1b[31");
    }

    #[test]
    fn json_stays_the_same_document() {
        let value = serde_json::json!({ "t": "a\u{9b}b\u{202e}c\u{1b}" });
        let text = serde_json::to_string(&value).unwrap_or_default();
        let safe = escape_json(&text);
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, value);
    }
}
