//! Recognising "unchanged code" marker lines such as `// ... existing code ...`.
//!
//! Grammar: optional indentation, a comment opener (`//`, `#`, `--`, `;`, `%`, `/*`,
//! `<!--`, `{/*`), then either `...`/`…` with optional words, or a short phrase from a
//! fixed vocabulary (`existing code`, `rest of code`, `unchanged`), an optional closer
//! (`*/`, `-->`, `*/}`, `#}`), nothing else. A bare `...` line counts too when the file
//! does not already contain one. Whether a candidate line is really code (it exists in
//! the file) is decided by the caller.

const OPENERS: [&str; 8] = ["{/*", "<!--", "/*", "//", "--", "#", ";", "%"];
const CLOSERS: [&str; 5] = ["*/}", "*/", "-->", "#}", "}"];

const VOCAB: [&str; 18] = [
    "existing",
    "rest",
    "unchanged",
    "same",
    "remaining",
    "omitted",
    "previous",
    "other",
    "original",
    "keep",
    "code",
    "imports",
    "methods",
    "functions",
    "etc",
    "remains",
    "before",
    "content",
];

const PHRASES: [&str; 14] = [
    "existing code",
    "existing imports",
    "existing methods",
    "existing functions",
    "existing content",
    "existing implementation",
    "rest of code",
    "rest of the code",
    "rest of file",
    "rest of the file",
    "rest of the existing code",
    "unchanged",
    "keep existing",
    "remaining code",
];

/// The marker body (text between opener and closer), if the line has a comment shape.
fn comment_body(t: &str) -> Option<&str> {
    let opener = OPENERS.iter().find(|o| t.starts_with(**o))?;
    let mut body = &t[opener.len()..];
    for c in CLOSERS {
        if let Some(b) = body.trim_end().strip_suffix(c) {
            body = b;
            break;
        }
    }
    Some(body.trim_matches(|c: char| c.is_whitespace() || matches!(c, '/' | '#' | '-' | ';' | '*')))
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn starts_with_dots(s: &str) -> bool {
    s.starts_with("...") || s.starts_with('…')
}

fn ends_with_dots(s: &str) -> bool {
    s.ends_with("...") || s.ends_with('…')
}

/// A comment-shaped marker (never a bare `...`).
pub(crate) fn is_comment_marker(line: &str) -> bool {
    let t = line.trim();
    let Some(body) = comment_body(t) else {
        return false;
    };
    if body.is_empty() {
        return false;
    }
    let body = body.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '{' | '}'));
    if starts_with_dots(body) {
        return true;
    }
    let w = words(body);
    if ends_with_dots(body) {
        return !w.is_empty() && w.len() <= 8 && w.iter().any(|x| VOCAB.contains(&x.as_str()));
    }
    if w.is_empty() || w.len() > 8 {
        return false;
    }
    let joined = w.join(" ");
    PHRASES
        .iter()
        .any(|p| joined == *p || joined.starts_with(&format!("{p} ")))
}

/// A marker by shape: a comment marker or a bare `...` line.
pub(crate) fn is_marker_shape(line: &str) -> bool {
    let t = line.trim();
    t == "..." || t == "…" || is_comment_marker(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_dialects() {
        for m in [
            "// ... existing code ...",
            "  # ... same ...",
            "-- ... existing code ...",
            "{/* ... existing code ... */}",
            "<!-- ... existing code ... -->",
            "/* ... */",
            "// ...",
            "; ... rest of code ...",
            "// rest of the code remains the same",
            "// existing code...",
            "// ... rest of the existing code ...",
            "...",
            "// UNCHANGED CODE",
        ] {
            assert!(is_marker_shape(m), "{m}");
        }
        for c in [
            "...args,",
            "// Loading...",
            "# comment",
            "foo(...)",
            "// existing users are migrated below",
            "#include <stdio.h>",
            "x = y...",
        ] {
            assert!(!is_marker_shape(c), "{c}");
        }
    }
}
