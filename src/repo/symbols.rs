//! The top-level names of a source file, for the repository map: a model that sees
//! `src/auth.py: class Session, def login(user, password)` knows where to look
//! without the file's text. A line-based reading, language by keyword: good enough
//! for a map, and never a parser that can fail on odd input.

/// At most this many names per file.
pub const MAX_SYMBOLS: usize = 24;
/// A shown declaration is cut to this many characters.
const MAX_SYMBOL_CHARS: usize = 80;

/// Words that open a declaration once modifiers are dropped.
const DECLARATION_WORDS: &[&str] = &[
    "def",
    "class",
    "fn",
    "struct",
    "enum",
    "trait",
    "impl",
    "mod",
    "type",
    "interface",
    "function",
    "func",
    "object",
    "module",
    "macro_rules!",
    "record",
    "union",
];
/// Modifiers before a declaration word.
const MODIFIERS: &[&str] = &[
    "pub",
    "pub(crate)",
    "pub(super)",
    "export",
    "default",
    "async",
    "public",
    "private",
    "protected",
    "static",
    "abstract",
    "final",
    "sealed",
    "case",
    "unsafe",
    "extern",
    "declare",
    "local",
    "open",
    "data",
    "inline",
];

/// The declarations that start at column 0 of `text`, in order, each on one line.
pub fn top_level_symbols(text: &str) -> Vec<String> {
    let mut symbols = Vec::new();
    for line in text.lines() {
        if symbols.len() == MAX_SYMBOLS {
            break;
        }
        if line.starts_with(char::is_whitespace) || line.is_empty() {
            continue;
        }
        if let Some(shown) = declaration(line) {
            symbols.push(shown);
        }
    }
    symbols
}

fn declaration(line: &str) -> Option<String> {
    let mut words = line.split_whitespace().peekable();
    while words.peek().is_some_and(|w| MODIFIERS.contains(w)) {
        words.next();
    }
    let first = words.next()?;
    let is_declaration = DECLARATION_WORDS.contains(&first)
        || matches!(first, "const" | "let" | "var" | "val")
            && line.contains('=')
            && (line.contains("=>") || line.contains("function") || line.contains("= ("));
    if !is_declaration {
        return None;
    }
    let head = line
        .split(['{', ';'])
        .next()
        .unwrap_or(line)
        .trim_end()
        .trim_end_matches(':')
        .trim_end();
    let mut shown: String = head.chars().take(MAX_SYMBOL_CHARS).collect();
    if head.chars().count() > MAX_SYMBOL_CHARS {
        shown.push('…');
    }
    Some(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_of_several_languages_are_named() {
        let python = "import os\n\nclass Session:\n    def inner(self):\n        pass\n\nasync def login(user, password):\n    pass\n";
        assert_eq!(
            top_level_symbols(python),
            ["class Session", "async def login(user, password)"]
        );
        let rust = "use std::io;\n\npub struct Config {\n}\n\nimpl Config {\n    fn x() {}\n}\n\npub(crate) fn load(path: &Path) -> Config {\n}\n";
        assert_eq!(
            top_level_symbols(rust),
            [
                "pub struct Config",
                "impl Config",
                "pub(crate) fn load(path: &Path) -> Config"
            ]
        );
        let ts = "import x from 'y';\nexport default function App() {\n}\nexport const add = (a: number) => a;\nconst n = 3;\n";
        assert_eq!(
            top_level_symbols(ts),
            [
                "export default function App()",
                "export const add = (a: number) => a"
            ]
        );
    }
}
