//! Reading providers' error objects: the human message of an HTTP error body in each
//! dialect (with OpenRouter's upstream details), and error events inside a stream.

use std::time::Duration;

use serde_json::Value;

use super::error::LlmError;

/// Longest provider message kept in an error.
const MAX_MESSAGE_CHARS: usize = 1000;

/// Error types (Anthropic, OpenAI, Groq, OpenRouter, Gemini's `status`) that say the
/// provider was busy or failed, so the same request may well succeed later.
const RETRYABLE_TYPES: [&str; 14] = [
    "overloaded_error",
    "overloaded",
    "rate_limit_error",
    "rate_limit_exceeded",
    "rate_limited",
    "api_error",
    "server_error",
    "internal_server_error",
    "service_unavailable",
    "timeout",
    "RESOURCE_EXHAUSTED",
    "UNAVAILABLE",
    "INTERNAL",
    "DEADLINE_EXCEEDED",
];

/// An error object sent inside a 200 stream (OpenAI/Groq/OpenRouter `{"error": {...}}`,
/// Anthropic `{"type": "error", "error": {...}}`, Gemini `{"error": {"code", "status"}}`,
/// Ollama `{"error": "text"}`). It is reported as what it is, a stream error with the
/// provider's type, rather than dressed up as an HTTP status that never happened.
pub(crate) fn error_from_stream_object(error: &Value) -> LlmError {
    let message = match error {
        Value::String(text) => text.clone(),
        _ => error_message(error).unwrap_or_else(|| error.to_string()),
    };
    let error_type = ["type", "status", "code"]
        .iter()
        .find_map(|name| string_field(error, name).filter(|text| !text.is_empty()))
        .or_else(|| numeric_code(error).map(|code| code.to_string()))
        .unwrap_or_else(|| "error".to_string());
    let retryable = ["type", "status", "code"]
        .iter()
        .filter_map(|name| string_field(error, name))
        .any(|kind| RETRYABLE_TYPES.contains(&kind.as_str()))
        || numeric_code(error).is_some_and(|code| code == 408 || code == 429 || code >= 500);
    LlmError::StreamError {
        error_type,
        message: truncate(message.trim()),
        retryable,
    }
}

/// A body that held no event at all but parses as one JSON document: some servers
/// answer an error with status 200 this way even when a stream was asked for. `None`
/// when the body is not JSON (a stream cut before its first event, say).
pub(crate) fn json_instead_of_stream(body: &[u8]) -> Option<LlmError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    if let Some(error) = value.get("error").filter(|error| !error.is_null()) {
        return Some(error_from_stream_object(error));
    }
    let text = String::from_utf8_lossy(body);
    Some(LlmError::Stream {
        message: format!(
            "expected an event stream, got a JSON document: {}",
            truncate(text.trim())
        ),
    })
}

/// `code` (OpenAI, Gemini, OpenRouter) or `status_code` (Groq) when it is a number.
fn numeric_code(error: &Value) -> Option<u64> {
    ["code", "status_code"]
        .iter()
        .find_map(|name| error.get(name).and_then(Value::as_u64))
}

/// The human message from a provider's JSON error body, whatever its dialect.
pub(crate) fn provider_message(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body.trim()).ok()?;
    // Gemini sometimes wraps its error in a one-element array.
    let value = match value {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        other => other,
    };
    let message = match value.get("error") {
        Some(Value::String(text)) => Some(text.clone()),
        Some(error) => error_message(error),
        None => None,
    }
    .or_else(|| string_field(&value, "message"))
    .or_else(|| string_field(&value, "detail"))?;
    let message = message.trim();
    (!message.is_empty()).then(|| truncate(message))
}

/// An error object's `message`, followed by what OpenRouter puts in `metadata`: the
/// upstream provider's name and its raw answer, or the moderation reasons. Its own
/// message ("Provider returned error") says nothing without them.
fn error_message(error: &Value) -> Option<String> {
    let message = string_field(error, "message")?;
    let Some(metadata) = error.get("metadata").filter(|m| m.is_object()) else {
        return Some(message);
    };
    let mut details = Vec::new();
    if let Some(provider) = string_field(metadata, "provider_name") {
        details.push(format!("provider {provider}"));
    }
    if let Some(raw) = metadata.get("raw").and_then(raw_message) {
        details.push(raw);
    }
    if let Some(reasons) = metadata.get("reasons").and_then(Value::as_array) {
        let reasons: Vec<&str> = reasons.iter().filter_map(Value::as_str).collect();
        if !reasons.is_empty() {
            details.push(format!("flagged for {}", reasons.join(", ")));
        }
    }
    if details.is_empty() {
        return Some(message);
    }
    Some(format!("{message} ({})", details.join(": ")))
}

/// OpenRouter's `metadata.raw`: the upstream body, usually JSON in a string; its own
/// message when it has one, else the text itself.
fn raw_message(raw: &Value) -> Option<String> {
    let text = match raw {
        Value::String(text) => text.trim().to_string(),
        Value::Null => return None,
        other => other.to_string(),
    };
    if text.is_empty() {
        return None;
    }
    Some(provider_message(&text).unwrap_or_else(|| truncate(&text)))
}

fn string_field(value: &Value, name: &str) -> Option<String> {
    value.get(name)?.as_str().map(str::to_string)
}

pub(crate) fn fallback_message(status: u16, body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        format!("HTTP {status} with an empty body")
    } else {
        truncate(body)
    }
}

pub(crate) fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

pub(crate) fn is_invalid_key(body: &str) -> bool {
    body.contains("API_KEY_INVALID") || body.contains("API key not valid")
}

/// Gemini puts its wait in the body: `details: [{"@type": "...RetryInfo", "retryDelay": "21s"}]`.
pub(crate) fn body_retry_delay(body: &str) -> Option<Duration> {
    let value: Value = serde_json::from_str(body.trim()).ok()?;
    let details = value.get("error")?.get("details")?.as_array()?;
    details.iter().find_map(|detail| {
        let delay = detail.get("retryDelay")?.as_str()?;
        let seconds: f64 = delay.strip_suffix('s')?.parse().ok()?;
        Duration::try_from_secs_f64(seconds).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn openrouter_upstream_details_are_kept() {
        let body = json!({"error": {"code": 400, "message": "Provider returned error",
            "metadata": {"raw": "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\"}}",
                         "provider_name": "Groq"}}});
        assert_eq!(
            provider_message(&body.to_string()).as_deref(),
            Some("Provider returned error (provider Groq: max_tokens is too large)")
        );
        let plain_raw = json!({"error": {"code": 502, "message": "Provider returned error",
            "metadata": {"raw": "upstream connect error", "provider_name": "Fireworks"}}});
        assert_eq!(
            provider_message(&plain_raw.to_string()).as_deref(),
            Some("Provider returned error (provider Fireworks: upstream connect error)")
        );
        let moderation = json!({"error": {"code": 403, "message": "Input was flagged",
            "metadata": {"reasons": ["violence"], "flagged_input": "...", "provider_name": "OpenAI", "model_slug": "x"}}});
        assert_eq!(
            provider_message(&moderation.to_string()).as_deref(),
            Some("Input was flagged (provider OpenAI: flagged for violence)")
        );
    }

    #[test]
    fn stream_error_objects_keep_type_and_retryability() {
        let cases = [
            (
                json!({"type": "overloaded_error", "message": "Overloaded"}),
                "overloaded_error",
                true,
            ),
            (
                json!({"message": "x", "type": "invalid_request_error", "code": "tool_use_failed", "status_code": 400}),
                "invalid_request_error",
                false,
            ),
            (
                json!({"code": 503, "message": "busy", "status": "UNAVAILABLE"}),
                "UNAVAILABLE",
                true,
            ),
            (
                json!({"code": "server_error", "message": "Provider disconnected"}),
                "server_error",
                true,
            ),
            (
                json!({"code": 502, "message": "Provider returned error"}),
                "502",
                true,
            ),
            (json!("model crashed"), "error", false),
        ];
        for (object, kind, retry) in cases {
            let LlmError::StreamError {
                error_type,
                retryable,
                ..
            } = error_from_stream_object(&object)
            else {
                panic!("{object}");
            };
            assert_eq!((error_type.as_str(), retryable), (kind, retry), "{object}");
        }
    }
}
