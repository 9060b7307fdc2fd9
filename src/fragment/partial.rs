//! Reading fields out of a JSON answer that is still streaming, for the live status line.

/// The value of a top-level string field in partial JSON text, as far as it has arrived
/// (unescaped). `None` until the field's opening quote is seen.
pub fn partial_string_field(text: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\"");
    let start = text.find(&key)? + key.len();
    let rest = text[start..].trim_start().strip_prefix(':')?.trim_start();
    let body = rest.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        value.push(c);
                    }
                }
                Some(other) => value.push(other),
                None => break,
            },
            other => value.push(other),
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_complete_and_partial_fields() {
        let text = r#"{"commentary": "Build a \"plot\"\nnow", "title": "Sine Wa"#;
        assert_eq!(
            partial_string_field(text, "commentary").as_deref(),
            Some("Build a \"plot\"\nnow")
        );
        assert_eq!(
            partial_string_field(text, "title").as_deref(),
            Some("Sine Wa")
        );
        assert_eq!(partial_string_field(text, "code"), None);
    }
}
