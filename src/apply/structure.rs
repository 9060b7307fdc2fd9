//! Language-agnostic structure read from indentation: which lines carry information,
//! which line opens or closes a block, what a declaration is called, and how similar
//! two lines are. Used to place chunk boundaries, never to locate a chunk.

use super::text::{indent_width, is_blank, key_ws};
use std::collections::HashSet;

const GENERIC_WORDS: [&str; 24] = [
    "end", "fi", "done", "esac", "else", "elif", "try", "finally", "pass", "break", "continue",
    "return", "then", "do", "begin", "default", "endif", "endfor", "endwhile", "loop", "wend",
    "next", "until", "in",
];

const CONTROL: [&str; 28] = [
    "if", "for", "while", "switch", "catch", "with", "return", "else", "elif", "match", "foreach",
    "do", "try", "until", "unless", "new", "await", "yield", "throw", "raise", "assert", "sizeof",
    "typeof", "super", "this", "self", "when", "loop",
];

const MODIFIERS: [&str; 18] = [
    "pub",
    "export",
    "default",
    "async",
    "static",
    "public",
    "private",
    "protected",
    "internal",
    "final",
    "abstract",
    "override",
    "virtual",
    "readonly",
    "unsafe",
    "extern",
    "open",
    "sealed",
];

const DECL: [&str; 23] = [
    "fn",
    "def",
    "function",
    "func",
    "class",
    "struct",
    "enum",
    "trait",
    "impl",
    "interface",
    "type",
    "mod",
    "module",
    "namespace",
    "const",
    "let",
    "var",
    "local",
    "union",
    "record",
    "object",
    "sub",
    "macro_rules!",
];

/// A line that says too little to locate anything: blank, punctuation, closers, `end`.
pub(crate) fn is_generic(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return true;
    }
    if t.starts_with("</") && t.ends_with('>') && !t.contains(' ') {
        return true;
    }
    let mut alnum = 0usize;
    let mut all_generic = true;
    for w in t.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if w.is_empty() {
            continue;
        }
        alnum += w.chars().count();
        if !GENERIC_WORDS.contains(&w.to_ascii_lowercase().as_str()) {
            all_generic = false;
        }
    }
    alnum <= 1 || all_generic
}

fn ident_prefix(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '$' | '.' | '!')))
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Skip a balanced `(...)` or `<...>` group at the start of `s`.
fn skip_group(s: &str, open: char, close: char) -> &str {
    if !s.starts_with(open) {
        return s;
    }
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return s[i + c.len_utf8()..].trim_start();
            }
        }
    }
    s
}

/// Whether a line ends a statement or a list item (`let x = f();`, `a,`), so that it
/// opens no block whatever follows it.
pub(crate) fn ends_statement(s: &str) -> bool {
    s.trim_end().ends_with([';', ','])
}

/// The name a line declares (`fn foo`, `def foo`, `class Foo`, `foo(a) {`), if any.
pub(crate) fn decl_name(s: &str) -> Option<&str> {
    let mut t = s.trim_start();
    loop {
        let w = ident_prefix(t);
        if w.is_empty() {
            break;
        }
        if MODIFIERS.contains(&w) {
            t = t[w.len()..].trim_start();
            t = skip_group(t, '(', ')');
            continue;
        }
        if DECL.contains(&w) {
            t = t[w.len()..].trim_start();
            for extra in ["function ", "mut ", "fn "] {
                if let Some(r) = t.strip_prefix(extra) {
                    t = r.trim_start();
                }
            }
            t = skip_group(t, '(', ')');
            t = skip_group(t, '<', '>');
            let name = ident_prefix(t).trim_end_matches('.');
            return (!name.is_empty()).then_some(name);
        }
        break;
    }
    // `name(args) {` or `Type name(args) {`: a definition, not a call.
    let line = t.trim_end();
    if !line.ends_with('{') || line.contains("=>") || line.contains('"') || line.contains('\'') {
        return None;
    }
    let paren = line.find('(')?;
    let head = &line[..paren];
    if head.contains('=') || head.contains('.') {
        return None;
    }
    let args = &line[paren + 1..];
    if args.split(')').next().is_some_and(|a| a.contains('(')) {
        return None;
    }
    let name = head.split_whitespace().last()?;
    let name = name.trim_start_matches(['*', '&']);
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !CONTROL.contains(&name);
    ok.then_some(name)
}

/// The target of a plain assignment (`x = 1`, `self.x = 1`, `x: int = 1`), if any.
pub(crate) fn assign_target(s: &str) -> Option<&str> {
    let t = s.trim_start();
    let w = ident_prefix(t);
    if w.is_empty() || CONTROL.contains(&w) {
        return None;
    }
    let rest = t[w.len()..].trim_start();
    let eq = rest.find('=')?;
    let before = rest[..eq].trim();
    let after = &rest[eq + 1..];
    let typed = before.starts_with(':') && !before.contains('(');
    let ok = (before.is_empty() || typed) && !after.starts_with('=') && !after.starts_with('>');
    ok.then_some(w)
}

/// The name by which two versions of one line can be recognised as the same thing.
pub(crate) fn identity(s: &str) -> Option<&str> {
    decl_name(s).or_else(|| assign_target(s))
}

/// Similarity in [0, 1] of two lines' trimmed text.
pub(crate) fn similarity(a: &str, b: &str) -> f32 {
    let (a, b) = (a.trim(), b.trim());
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    similar::TextDiff::from_chars(a, b).ratio()
}

fn word_set(s: &str) -> HashSet<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// One line's words are all among the other's (an extension or a trimming of it).
pub(crate) fn word_subset(a: &str, b: &str) -> bool {
    let (wa, wb) = (word_set(a), word_set(b));
    !wa.is_empty() && !wb.is_empty() && (wa.is_subset(&wb) || wb.is_subset(&wa))
}

/// Whether line `b` (file) is plausibly an older version of line `a` (edit), when their
/// positions already say they stand in the same place. Returns a strength.
pub(crate) fn same_line_strength(a: &str, b: &str) -> Option<f32> {
    if key_ws(a) == key_ws(b) {
        return Some(if is_generic(a) { 0.3 } else { 1.0 });
    }
    if is_generic(a) || is_generic(b) {
        return None;
    }
    if let (Some(x), Some(y)) = (identity(a), identity(b)) {
        if x == y {
            return Some(0.9);
        }
    }
    // Two adjacent `return` (or `export default`) statements are never both meant.
    for kw in ["return ", "export default "] {
        if a.trim_start().starts_with(kw) && b.trim_start().starts_with(kw) {
            return Some(0.7);
        }
    }
    if word_subset(a, b) {
        let sim = similarity(a, b);
        if sim >= 0.5 {
            return Some(0.8 * sim);
        }
    }
    None
}

/// Looser test for two block openers that enclose the same matched line.
pub(crate) fn openers_correspond(a: &str, b: &str) -> bool {
    if key_ws(a) == key_ws(b) {
        return true;
    }
    if let (Some(x), Some(y)) = (decl_name(a), decl_name(b)) {
        return x == y;
    }
    let first = |s: &str| s.split_whitespace().next().map(str::to_string);
    first(a) == first(b) && similarity(a, b) >= 0.6
}

/// Lines with per-line "skip" flags (markers), answering indentation-structure questions.
pub(crate) struct Outline<'s, 'a> {
    pub text: &'s [&'a str],
    pub skip: Option<&'s [bool]>,
    indent: Vec<usize>,
}

impl<'s, 'a> Outline<'s, 'a> {
    pub fn new(text: &'s [&'a str], skip: Option<&'s [bool]>) -> Self {
        let indent = text.iter().map(|l| indent_width(l)).collect();
        Outline { text, skip, indent }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// A non-blank, non-marker line.
    pub fn is_code(&self, i: usize) -> bool {
        i < self.text.len()
            && !is_blank(self.text[i])
            && !self
                .skip
                .is_some_and(|s| s.get(i).copied().unwrap_or(false))
    }

    pub fn ind(&self, i: usize) -> usize {
        self.indent.get(i).copied().unwrap_or(0)
    }

    fn next_code(&self, i: usize) -> Option<usize> {
        (i + 1..self.len()).find(|&j| self.is_code(j))
    }

    /// The nearest line above `i` that is less indented (its enclosing opener).
    pub fn enclosing(&self, i: usize) -> Option<usize> {
        let w = self.ind(i);
        (0..i).rev().find(|&j| self.is_code(j) && self.ind(j) < w)
    }

    /// Whether the next code line is more indented than `i`.
    pub fn opens_block(&self, i: usize) -> bool {
        self.next_code(i).is_some_and(|j| self.ind(j) > self.ind(i))
    }

    /// For a closing line `i` (`}`, `end`, `</div>`), the line that opened its block.
    pub fn opener_of_closer(&self, i: usize) -> Option<usize> {
        let w = self.ind(i);
        let j = (0..i)
            .rev()
            .find(|&j| self.is_code(j) && self.ind(j) <= w)?;
        (self.ind(j) == w && self.opens_block(j)).then_some(j)
    }

    /// Index of the first code line after `o` that is not inside `o`'s block.
    pub fn block_end(&self, o: usize) -> usize {
        let w = self.ind(o);
        (o + 1..self.len())
            .find(|&j| self.is_code(j) && self.ind(j) <= w)
            .unwrap_or(self.len())
    }

    /// The line closing `o`'s block, if there is one.
    pub fn closer_of(&self, o: usize) -> Option<usize> {
        let e = self.block_end(o);
        (e < self.len() && self.ind(e) == self.ind(o)).then_some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_lines() {
        for g in [
            "}", "  });", "end", "</div>", "", ")", "} else {", "return;", ".",
        ] {
            assert!(is_generic(g), "{g}");
        }
        for i in ["return this;", "x = 1", "Discord", "fn main() {"] {
            assert!(!is_generic(i), "{i}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(decl_name("  static add(a, b) {"), Some("add"));
        assert_eq!(decl_name("  add(number) {"), Some("add"));
        assert_eq!(decl_name("pub(crate) fn foo<T>(x: T) {"), Some("foo"));
        assert_eq!(decl_name("def read_root():"), Some("read_root"));
        assert_eq!(decl_name("func (s *Server) Start() error {"), Some("Start"));
        assert_eq!(decl_name("local function M.setup(opts)"), Some("M.setup"));
        assert_eq!(decl_name("public static int count(int a) {"), Some("count"));
        assert_eq!(decl_name("if (x) {"), None);
        assert_eq!(decl_name("app.get(\"/\", (req, res) => {"), None);
        assert_eq!(decl_name("setTimeout(function() {"), None);
        assert_eq!(assign_target("    this.result = 0;"), Some("this.result"));
        assert_eq!(assign_target("x == 1"), None);
        assert_eq!(assign_target("x += 1"), None);
    }

    #[test]
    fn outline() {
        let lines = ["class A {", "  f() {", "    x;", "  }", "}"];
        let o = Outline::new(&lines, None);
        assert_eq!(o.opener_of_closer(3), Some(1));
        assert_eq!(o.opener_of_closer(4), Some(0));
        assert_eq!(o.closer_of(1), Some(3));
        assert_eq!(o.enclosing(2), Some(1));
        assert_eq!(o.block_end(0), 4);
    }
}
