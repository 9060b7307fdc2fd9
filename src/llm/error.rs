//! The error type, the one HTTP status → error table, and provider error bodies.

use std::time::Duration;

use serde_json::Value;

use super::types::ApiKey;

/// Longest provider message kept in an error.
const MAX_MESSAGE_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    #[error("authentication failed (HTTP {status}): {message}")]
    Auth { status: u16, message: String },
    #[error("rate limited: {message}{}", fmt_retry_after(*.retry_after))]
    RateLimited {
        message: String,
        retry_after: Option<Duration>,
    },
    #[error("request rejected (HTTP {status}): {message}")]
    BadRequest { status: u16, message: String },
    #[error("not found (HTTP {status}): {message}")]
    NotFound { status: u16, message: String },
    #[error("server error (HTTP {status}): {message}")]
    Server { status: u16, message: String },
    #[error("timed out ({phase})")]
    Timeout { phase: &'static str },
    #[error("cannot connect: {message}")]
    Connect { message: String },
    /// The response stream was cut mid-way or carried malformed SSE or JSON.
    #[error("broken response stream: {message}")]
    Stream { message: String },
    #[error("the model's answer is still invalid after {rounds} repair round(s): {}", .errors.join("; "))]
    InvalidOutput {
        errors: Vec<String>,
        text: String,
        rounds: u32,
    },
    #[error("cancelled")]
    Cancelled,
    #[error("configuration error: {message}")]
    Config { message: String },
}

fn fmt_retry_after(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(" (retry after {:.1} s)", wait.as_secs_f64()),
        None => String::new(),
    }
}

impl LlmError {
    /// A stable short name, for `--json` output and events.
    pub fn kind(&self) -> &'static str {
        match self {
            LlmError::Auth { .. } => "auth",
            LlmError::RateLimited { .. } => "rate_limited",
            LlmError::BadRequest { .. } => "bad_request",
            LlmError::NotFound { .. } => "not_found",
            LlmError::Server { .. } => "server",
            LlmError::Timeout { .. } => "timeout",
            LlmError::Connect { .. } => "connect",
            LlmError::Stream { .. } => "stream",
            LlmError::InvalidOutput { .. } => "invalid_output",
            LlmError::Cancelled => "cancelled",
            LlmError::Config { .. } => "config",
        }
    }

    /// Worth another attempt: rate limits, server errors, connection failures, timeouts.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            LlmError::RateLimited { .. }
                | LlmError::Server { .. }
                | LlmError::Timeout { .. }
                | LlmError::Connect { .. }
        )
    }

    /// The wait the provider asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            LlmError::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Replaces every occurrence of the key in the messages with `***`.
    pub(crate) fn redact(self, key: Option<&ApiKey>) -> LlmError {
        let Some(secret) = key.map(ApiKey::expose).filter(|s| !s.is_empty()) else {
            return self;
        };
        let clean = |text: String| {
            if text.contains(secret) {
                text.replace(secret, "***")
            } else {
                text
            }
        };
        match self {
            LlmError::Auth { status, message } => LlmError::Auth {
                status,
                message: clean(message),
            },
            LlmError::RateLimited {
                message,
                retry_after,
            } => LlmError::RateLimited {
                message: clean(message),
                retry_after,
            },
            LlmError::BadRequest { status, message } => LlmError::BadRequest {
                status,
                message: clean(message),
            },
            LlmError::NotFound { status, message } => LlmError::NotFound {
                status,
                message: clean(message),
            },
            LlmError::Server { status, message } => LlmError::Server {
                status,
                message: clean(message),
            },
            LlmError::Connect { message } => LlmError::Connect {
                message: clean(message),
            },
            LlmError::Stream { message } => LlmError::Stream {
                message: clean(message),
            },
            LlmError::Config { message } => LlmError::Config {
                message: clean(message),
            },
            LlmError::InvalidOutput {
                errors,
                text,
                rounds,
            } => LlmError::InvalidOutput {
                errors: errors.into_iter().map(clean).collect(),
                text: clean(text),
                rounds,
            },
            other @ (LlmError::Timeout { .. } | LlmError::Cancelled) => other,
        }
    }
}

/// The one table from an HTTP error status (plus its body and `Retry-After`) to an error.
pub fn error_from_status(status: u16, body: &str, retry_after: Option<Duration>) -> LlmError {
    let message = provider_message(body).unwrap_or_else(|| fallback_message(status, body));
    match status {
        // Gemini answers a bad key with 400 INVALID_ARGUMENT.
        400 if is_invalid_key(body) => LlmError::Auth { status, message },
        401 | 403 => LlmError::Auth { status, message },
        404 => LlmError::NotFound { status, message },
        429 => LlmError::RateLimited {
            message,
            retry_after: retry_after.or_else(|| body_retry_delay(body)),
        },
        // Request timeout and "too early" are transient on the server side.
        408 | 425 | 500..=599 => LlmError::Server { status, message },
        _ => LlmError::BadRequest { status, message },
    }
}

/// An error object sent inside a stream (OpenAI `{"error": {...}}`, Anthropic
/// `{"type": "error", "error": {...}}`, Gemini `{"error": {"code": ...}}`).
pub(crate) fn error_from_stream_object(error: &Value) -> LlmError {
    let message = match error {
        Value::String(text) => text.clone(),
        _ => string_field(error, "message").unwrap_or_else(|| error.to_string()),
    };
    let status = error
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|code| u16::try_from(code).ok())
        .filter(|code| (400..600).contains(code))
        .or_else(|| {
            let kind = string_field(error, "type").or_else(|| string_field(error, "status"))?;
            status_for_error_type(&kind)
        });
    match status {
        Some(status) => {
            let body = serde_json::json!({ "error": error }).to_string();
            error_from_status(status, &body, None)
        }
        None => LlmError::Stream {
            message: format!("the provider reported an error: {}", truncate(&message)),
        },
    }
}

fn status_for_error_type(kind: &str) -> Option<u16> {
    let status = match kind {
        "authentication_error" | "invalid_api_key" | "UNAUTHENTICATED" => 401,
        "permission_error" | "PERMISSION_DENIED" => 403,
        "not_found_error" | "model_not_found" | "NOT_FOUND" => 404,
        "rate_limit_error" | "rate_limit_exceeded" | "RESOURCE_EXHAUSTED" => 429,
        "invalid_request_error" | "INVALID_ARGUMENT" | "FAILED_PRECONDITION" => 400,
        "overloaded_error" => 529,
        "api_error" | "server_error" | "INTERNAL" => 500,
        "UNAVAILABLE" => 503,
        "DEADLINE_EXCEEDED" => 504,
        _ => return None,
    };
    Some(status)
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
        Some(error) => string_field(error, "message"),
        None => None,
    }
    .or_else(|| string_field(&value, "message"))
    .or_else(|| string_field(&value, "detail"))?;
    let message = message.trim();
    (!message.is_empty()).then(|| truncate(message))
}

fn string_field(value: &Value, name: &str) -> Option<String> {
    value.get(name)?.as_str().map(str::to_string)
}

fn fallback_message(status: u16, body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        format!("HTTP {status} with an empty body")
    } else {
        truncate(body)
    }
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn is_invalid_key(body: &str) -> bool {
    body.contains("API_KEY_INVALID") || body.contains("API key not valid")
}

/// Gemini puts its wait in the body: `details: [{"@type": "...RetryInfo", "retryDelay": "21s"}]`.
fn body_retry_delay(body: &str) -> Option<Duration> {
    let value: Value = serde_json::from_str(body.trim()).ok()?;
    let details = value.get("error")?.get("details")?.as_array()?;
    details.iter().find_map(|detail| {
        let delay = detail.get("retryDelay")?.as_str()?;
        let seconds: f64 = delay.strip_suffix('s')?.parse().ok()?;
        Duration::try_from_secs_f64(seconds).ok()
    })
}
