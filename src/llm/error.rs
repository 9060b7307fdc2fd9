//! The error type and the one HTTP status → error table (error bodies are read in
//! `error_body`).

use std::time::Duration;

use super::error_body::{body_retry_delay, fallback_message, is_invalid_key, provider_message};
use super::types::ApiKey;

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
    /// An error event inside a stream that had started well (HTTP 200): the provider's
    /// own error type and message. Retryable when the type says overloaded, rate
    /// limited or a server fault.
    #[error("the provider reported an error mid-stream ({error_type}): {message}")]
    StreamError {
        error_type: String,
        message: String,
        retryable: bool,
    },
    /// The model declined to answer: OpenAI's `refusal`, Anthropic's `stop_reason:
    /// "refusal"`, a Gemini safety stop or blocked prompt, a content filter. Asking
    /// again pays for the same refusal, so nothing retries or repairs it.
    #[error("the model refused to answer ({reason}){}", fmt_words(.message))]
    Refused { reason: String, message: String },
    /// The answer stopped at a token limit before it was complete; `text` is what came.
    #[error("the answer was cut off at the token limit{} before it was complete (finish reason `{reason}`)", fmt_limit(*.limit, *.output_tokens))]
    Truncated {
        reason: String,
        /// The `max_tokens` the request carried, when it carried one.
        limit: Option<u32>,
        output_tokens: Option<u64>,
        text: String,
    },
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

fn fmt_words(message: &str) -> String {
    let message = message.trim();
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

fn fmt_limit(limit: Option<u32>, output_tokens: Option<u64>) -> String {
    match (limit, output_tokens) {
        (Some(limit), Some(used)) => format!(" of {limit} tokens ({used} output tokens)"),
        (Some(limit), None) => format!(" of {limit} tokens"),
        (None, Some(used)) => format!(" after {used} output tokens"),
        (None, None) => String::new(),
    }
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
            LlmError::StreamError { .. } => "stream_error",
            LlmError::Refused { .. } => "refused",
            LlmError::Truncated { .. } => "truncated",
            LlmError::InvalidOutput { .. } => "invalid_output",
            LlmError::Cancelled => "cancelled",
            LlmError::Config { .. } => "config",
        }
    }

    /// Worth another attempt: rate limits, server errors, connection failures, timeouts,
    /// and error events in a stream whose type says one of those.
    pub fn is_retryable(&self) -> bool {
        match self {
            LlmError::StreamError { retryable, .. } => *retryable,
            _ => matches!(
                self,
                LlmError::RateLimited { .. }
                    | LlmError::Server { .. }
                    | LlmError::Timeout { .. }
                    | LlmError::Connect { .. }
            ),
        }
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
            LlmError::StreamError {
                error_type,
                message,
                retryable,
            } => LlmError::StreamError {
                error_type: clean(error_type),
                message: clean(message),
                retryable,
            },
            LlmError::Refused { reason, message } => LlmError::Refused {
                reason: clean(reason),
                message: clean(message),
            },
            LlmError::Truncated {
                reason,
                limit,
                output_tokens,
                text,
            } => LlmError::Truncated {
                reason: clean(reason),
                limit,
                output_tokens,
                text: clean(text),
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
