//! Keys and secrets never reach the database: every text is passed through
//! [`Redactor::redact`] before it is written.

use std::borrow::Cow;

const MARK: &str = "[REDACTED]";

/// Prefixes of common key shapes (OpenAI/Anthropic `sk-`, Groq `gsk_`, xAI `xai-`,
/// Google `AIza`, GitHub `ghp_`/`github_pat_`, Hugging Face `hf_`), each followed by a
/// long run of token characters.
const KEY_PREFIXES: &[&str] = &[
    "sk-",
    "sk_",
    "gsk_",
    "xai-",
    "AIza",
    "ghp_",
    "gho_",
    "github_pat_",
    "hf_",
    "pk_",
    "rk_",
];
/// Token characters after a prefix before it counts as a key.
const MIN_KEY_TAIL: usize = 16;
/// A bearer token shorter than this is left alone (e.g. prose "Bearer of news").
const MIN_BEARER: usize = 8;

/// Removes known secret values and key-shaped words from text.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Exact secret values (configured keys), longest first so a key containing
    /// another is replaced whole.
    secrets: Vec<String>,
}

impl Redactor {
    /// `secrets` are the values of every configured key; values under 8 characters
    /// are ignored, since replacing them would mangle ordinary text.
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| s.len() >= 8)
            .collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Self { secrets }
    }

    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), MARK));
            }
        }
        match scrub_shapes(&out) {
            Some(scrubbed) => Cow::Owned(scrubbed),
            None => out,
        }
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_bearer_char(c: char) -> bool {
    is_token_char(c) || matches!(c, '.' | '~' | '+' | '/' | '=')
}

/// Replaces key-shaped words; `None` when there was nothing to replace.
fn scrub_shapes(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let at_boundary = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !is_token_char(c));
        if at_boundary {
            if let Some(len) = key_len(rest) {
                out.push_str(MARK);
                i += len;
                changed = true;
                continue;
            }
            if let Some((keep, len)) = bearer_len(rest) {
                out.push_str(&rest[..keep]);
                out.push_str(MARK);
                i += len;
                changed = true;
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        i += c.len_utf8();
    }
    changed.then_some(out)
}

/// Length of a key-shaped word at the start of `rest`.
fn key_len(rest: &str) -> Option<usize> {
    KEY_PREFIXES.iter().find_map(|prefix| {
        let tail = rest.strip_prefix(prefix)?;
        let n = tail.find(|c: char| !is_token_char(c)).unwrap_or(tail.len());
        (n >= MIN_KEY_TAIL).then_some(prefix.len() + n)
    })
}

/// `Bearer TOKEN` (any case): how much to keep (`Bearer `) and the whole length.
fn bearer_len(rest: &str) -> Option<(usize, usize)> {
    let head = rest.get(..7)?;
    if !head.eq_ignore_ascii_case("bearer ") {
        return None;
    }
    let tail = &rest[7..];
    let n = tail
        .find(|c: char| !is_bearer_char(c))
        .unwrap_or(tail.len());
    (n >= MIN_BEARER).then_some((7, 7 + n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_values_and_key_shapes_are_removed() {
        let r = Redactor::new(["custom-secret-value-123".to_string(), "short".into()]);
        let text = "key custom-secret-value-123 and sk-proj-abcdefghijklmnopqrstuv, \
                    Authorization: Bearer eyJhbGciOi.abc/def+ghi= then AIzaSyA1234567890abcdefghijklmnop \
                    but not sk-short nor task-abcdefghijklmnopqrstuvwxyz nor a bearer of news";
        let got = r.redact(text);
        assert!(!got.contains("custom-secret"), "{got}");
        assert!(!got.contains("sk-proj"), "{got}");
        assert!(!got.contains("eyJhbG"), "{got}");
        assert!(!got.contains("AIzaSy"), "{got}");
        assert!(got.contains("sk-short"), "{got}");
        assert!(got.contains("task-abcdefghijklmnopqrstuvwxyz"), "{got}");
        assert!(got.contains("a bearer of news"), "{got}");
        assert!(
            got.contains("Authorization: Bearer [REDACTED] then"),
            "{got}"
        );
    }

    #[test]
    fn clean_text_is_borrowed_and_unicode_is_kept() {
        let r = Redactor::new(Vec::new());
        assert!(matches!(r.redact("héllo wörld ✓"), Cow::Borrowed(_)));
        assert_eq!(r.redact("é sk-aaaaaaaaaaaaaaaaaaaa é"), "é [REDACTED] é");
    }
}
