//! Whether a merge opens and closes as many blocks as it should: brackets outside
//! string literals, and in languages that close blocks with `end` (Ruby, Lua, Elixir),
//! the keyword blocks too.

/// Net openers over closers on one line: `()`, `[]`, `{}`, and `… end` blocks.
pub(super) type Balance = [i32; 4];

/// What each count of a [`Balance`] counts, for refusals.
pub(super) const KINDS: [&str; 4] = ["parenthesis", "square bracket", "brace", "block `end`"];

/// Net count of `(`/`[`/`{` over `)`/`]`/`}` on one line, outside string literals.
/// Quotes are tracked within the line only: a line's count is then a fixed function of
/// its text, so a line kept by the merge cancels out whatever the count makes of it.
pub(super) fn balance(line: &str, keyword_blocks: bool) -> Balance {
    let mut b = [0i32; 4];
    if is_comment_line(line) {
        return b;
    }
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut prev = ' ';
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        let next = chars.peek().copied();
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == q {
                quote = None;
            }
            prev = ch;
            continue;
        }
        // A trailing comment's brackets are prose (`f(x) // see (1`, `x = 1  # (a`);
        // after a space only, so `'http://…'` and `a--` stay code.
        let comment = prev.is_whitespace()
            && match ch {
                '/' => next == Some('/'),
                '#' => next == Some(' '),
                '-' => next == Some('-'),
                _ => false,
            };
        if comment {
            break;
        }
        prev = ch;
        match ch {
            '"' | '`' => quote = Some(ch),
            '(' => b[0] += 1,
            ')' => b[0] -= 1,
            '[' => b[1] += 1,
            ']' => b[1] -= 1,
            '{' => b[2] += 1,
            '}' => b[2] -= 1,
            _ => {}
        }
    }
    if keyword_blocks {
        b[3] = keyword_balance(line);
    }
    b
}

/// Whether a whole line is a comment (`//`, `#`, `--`, `/*`, a `*` line inside a doc
/// comment, `<!--`): the brackets of prose (`// c.Get("user"`) open nothing.
fn is_comment_line(line: &str) -> bool {
    let t = line.trim_start();
    ["//", "# ", "--", "/*", "<!--", "* ", "*/"]
        .iter()
        .any(|c| t.starts_with(c))
        || t == "#"
        || t == "*"
}

/// Words that open a block closed by `end` when they start a line.
const BLOCK_OPENERS: [&str; 11] = [
    "def", "class", "module", "if", "unless", "case", "while", "until", "begin", "for", "function",
];

/// Net keyword blocks a line opens, outside comments and string literals: +1 for a
/// line that starts with an opener word (not a Ruby one-line `def … = value`), holds a
/// `function`, or ends with `do` (block arguments after it too); -1 for each `end`.
/// Modifier forms (`return x if y`) start with another word and count nothing.
fn keyword_balance(line: &str) -> i32 {
    let trimmed = line.trim();
    if ["#", "--", "//"].iter().any(|c| trimmed.starts_with(c)) {
        return 0;
    }
    let code = without_strings(trimmed);
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let Some(first) = words.first() else {
        return 0;
    };
    let after_args = code.rfind(')').map_or(code.as_str(), |i| &code[i..]);
    let one_line_def = *first == "def" && after_args.contains(" = ");
    let ends_with_do = words.last() == Some(&"do") && code.trim_end().ends_with("do")
        || code.trim_end().ends_with('|') && words.contains(&"do");
    let opens = (BLOCK_OPENERS.contains(first) && !one_line_def)
        || words.contains(&"function")
        || ends_with_do;
    let closes = words.iter().filter(|w| **w == "end").count();
    i32::from(opens) - i32::try_from(closes).unwrap_or(i32::MAX)
}

/// The line with the contents of its quoted strings removed.
fn without_strings(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for ch in line.chars() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if ch == '\\' => escaped = true,
            Some(q) if ch == q => {
                quote = None;
                out.push(ch);
            }
            Some(_) => {}
            None => {
                if ch == '"' || ch == '\'' {
                    quote = Some(ch);
                }
                out.push(ch);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{balance, keyword_balance};

    #[test]
    fn brackets_in_comments_count_nothing() {
        assert_eq!(balance("\t\t// c.Get(\"user\"", false), [0, 0, 0, 0]);
        assert_eq!(balance("f(x, { // see (1", false), [1, 0, 1, 0]);
        assert_eq!(balance("x = g(  # (a", false), [1, 0, 0, 0]);
        assert_eq!(balance("fetch('http://a', {", false), [1, 0, 1, 0]);
        assert_eq!(balance("   * @see f(", false), [0, 0, 0, 0]);
    }

    #[test]
    fn brackets_outside_strings() {
        assert_eq!(balance("fn f() {", false), [0, 0, 1, 0]);
        assert_eq!(balance("  }", false), [0, 0, -1, 0]);
        assert_eq!(balance(r#"let s = "({[\"";"#, false), [0, 0, 0, 0]);
        assert_eq!(balance("x = [a(1), `)`]", false), [0, 0, 0, 0]);
    }

    #[test]
    fn keyword_blocks_open_and_close() {
        for (line, net) in [
            ("    def param_string(value, prefix = nil)", 1),
            ("  class TestHarness", 1),
            ("      %w(get head).each do |verb|", 1),
            ("items.each do", 1),
            ("    end", -1),
            ("end)", -1),
            ("if x then y end", 0),
            ("def one; end", 0),
            ("def answer = 42", 0),
            ("    return x if y", 0),
            ("local function helper()", 1),
            ("  foo(function() return 1 end)", 0),
            ("module_function :x", 0),
            ("endpoint = 1", 0),
            ("    # the end", 0),
            ("  puts \"the end\"", 0),
            ("end.each do |x|", 0),
        ] {
            assert_eq!(keyword_balance(line), net, "{line}");
        }
    }
}
