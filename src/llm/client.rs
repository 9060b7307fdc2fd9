//! The client: one streaming attempt per protocol, and `complete` with retries on top.

use std::sync::Once;
use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use tokio::time::Instant;

use super::anthropic::{self, AnthropicDecoder};
use super::error::{error_from_status, LlmError};
use super::error_body::truncate;
use super::events::{error_chain, event_stream};
use super::finish::{ending, Ending};
use super::gemini::{self, GeminiDecoder};
use super::openai::{self, OpenAiDecoder};
use super::retry;
use super::types::{
    ChatRequest, ClientOptions, Completion, Endpoint, LlmEvent, Protocol, StreamEvent,
};
use super::wire::{Decoder, WireRequest};

/// Error bodies longer than this are cut: they are read for their message only.
const MAX_ERROR_BODY: usize = 64 * 1024;

static CRYPTO_PROVIDER: Once = Once::new();

/// reqwest is built without a default TLS provider: every client of the library
/// installs this one first, once per process.
pub fn install_crypto_provider() {
    CRYPTO_PROVIDER.call_once(|| {
        // An Err only means another provider was installed first, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A client for one endpoint. Cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct LlmClient {
    endpoint: Endpoint,
    options: ClientOptions,
    http: reqwest::Client,
    extra_headers: HeaderMap,
}

impl LlmClient {
    pub fn new(endpoint: Endpoint, options: ClientOptions) -> Result<Self, LlmError> {
        install_crypto_provider();
        let base = endpoint.base_url.trim();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(LlmError::Config {
                message: format!(
                    "the base URL of provider `{}` must start with http:// or https:// (got `{base}`)",
                    endpoint.provider
                ),
            });
        }
        let mut extra_headers = HeaderMap::new();
        for (name, value) in &endpoint.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes());
            let header_value = HeaderValue::from_str(value);
            let (Ok(header_name), Ok(header_value)) = (header_name, header_value) else {
                return Err(LlmError::Config {
                    message: format!(
                        "provider `{}` has an invalid extra header `{name}`",
                        endpoint.provider
                    ),
                });
            };
            let mut header_value = header_value;
            // Users put credentials in custom headers too (Azure's `api-key`, proxies).
            header_value.set_sensitive(true);
            extra_headers.insert(header_name, header_value);
        }
        let http = reqwest::Client::builder()
            .connect_timeout(options.timeouts.connect)
            .user_agent(concat!("codingit/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| LlmError::Config {
                message: format!("cannot build the HTTP client: {}", error_chain(&err)),
            })?;
        Ok(LlmClient {
            endpoint,
            options,
            http,
            extra_headers,
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// One attempt, no retry: the streaming primitive for the endpoint's protocol.
    /// Errors before the first byte of the body (status, connection, timeouts) come
    /// back here; later ones as items of the stream.
    pub async fn stream(
        &self,
        req: &ChatRequest,
    ) -> Result<BoxStream<'static, Result<StreamEvent, LlmError>>, LlmError> {
        let key = self.endpoint.api_key.as_ref();
        self.open(req).await.map_err(|err| err.redact(key))
    }

    async fn open(
        &self,
        req: &ChatRequest,
    ) -> Result<BoxStream<'static, Result<StreamEvent, LlmError>>, LlmError> {
        let timeouts = &self.options.timeouts;
        let deadline = Instant::now() + timeouts.total;
        let (wire, decoder): (WireRequest, Box<dyn Decoder>) = match self.endpoint.protocol {
            Protocol::OpenAi => (
                openai::build(&self.endpoint, req),
                Box::<OpenAiDecoder>::default(),
            ),
            Protocol::Anthropic => (
                anthropic::build(&self.endpoint, req),
                Box::<AnthropicDecoder>::default(),
            ),
            Protocol::Gemini => (
                gemini::build(&self.endpoint, req),
                Box::<GeminiDecoder>::default(),
            ),
        };
        let headers = self.headers(&wire)?;
        let send = self
            .http
            .post(&wire.url)
            .headers(headers)
            .json(&wire.body)
            .send();
        let (limit, phase) = first_byte_limit(deadline, timeouts.first_byte);
        let response = match tokio::time::timeout_at(limit, send).await {
            Ok(Ok(response)) => response,
            Ok(Err(err)) => return Err(send_error(&err)),
            Err(_) => return Err(LlmError::Timeout { phase }),
        };
        let status = response.status();
        if !status.is_success() {
            let retry_after = retry::retry_after(response.headers());
            let (limit, _) = first_byte_limit(deadline, timeouts.first_byte);
            let body = read_error_body(response, limit).await;
            return Err(error_from_status(status.as_u16(), &body, retry_after));
        }
        Ok(event_stream(
            response,
            decoder,
            timeouts.first_byte,
            deadline,
            self.endpoint.api_key.clone(),
        ))
    }

    fn headers(&self, wire: &WireRequest) -> Result<HeaderMap, LlmError> {
        let mut headers = self.extra_headers.clone();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("text/event-stream"),
        );
        for (name, value) in &wire.headers {
            let Ok(mut value) = HeaderValue::from_str(value) else {
                return Err(LlmError::Config {
                    message: format!(
                        "the API key of provider `{}` has characters an HTTP header cannot carry",
                        self.endpoint.provider
                    ),
                });
            };
            // Keeps credentials out of any debug output of the request.
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static(name), value);
        }
        Ok(headers)
    }

    /// Collects a stream, retrying (exponential backoff with jitter, `Retry-After` and
    /// `retry-after-ms` honoured, bounded by attempts and total time) on retryable
    /// errors that happen before any content was delivered. An answer cut at a token
    /// limit is `LlmError::Truncated`, a declined one `LlmError::Refused`: neither is
    /// ever returned as a complete answer.
    pub async fn complete(
        &self,
        req: &ChatRequest,
        on_event: &mut (dyn FnMut(LlmEvent) + Send),
    ) -> Result<Completion, LlmError> {
        let completion = self.complete_or_cut(req, on_event).await?;
        match ending(completion.finish_reason.as_deref()) {
            Ending::Truncated => Err(self.truncated(req, completion)),
            _ => Ok(completion),
        }
    }

    /// `complete`, except that an answer cut at the token limit comes back as `Ok`
    /// with its finish reason, for the repair loop (which never parses it).
    pub(crate) async fn complete_or_cut(
        &self,
        req: &ChatRequest,
        on_event: &mut (dyn FnMut(LlmEvent) + Send),
    ) -> Result<Completion, LlmError> {
        let policy = &self.options.retry;
        let started = Instant::now();
        let mut attempt: u32 = 1;
        loop {
            let mut delivered = false;
            let error = match self.attempt(req, on_event, &mut delivered).await {
                Ok(completion) => return Ok(completion),
                Err(error) => error,
            };
            if delivered || !error.is_retryable() || attempt >= policy.max_attempts {
                return Err(error);
            }
            let wait = retry::delay(policy, attempt, error.retry_after());
            if started.elapsed() + wait > policy.max_total {
                return Err(error);
            }
            attempt += 1;
            on_event(LlmEvent::Retrying {
                attempt,
                wait,
                reason: error.to_string(),
            });
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        req: &ChatRequest,
        on_event: &mut (dyn FnMut(LlmEvent) + Send),
        delivered: &mut bool,
    ) -> Result<Completion, LlmError> {
        let mut events = self.stream(req).await?;
        let mut completion = Completion::default();
        let mut refusal = String::new();
        while let Some(event) = events.next().await {
            match event? {
                StreamEvent::Delta(text) => {
                    *delivered = true;
                    completion.text.push_str(&text);
                    on_event(LlmEvent::Delta(text));
                }
                // Not shown to the caller, so a retry after it repeats nothing.
                StreamEvent::Reasoning(text) => completion.reasoning.push_str(&text),
                StreamEvent::Refusal(text) => refusal.push_str(&text),
                StreamEvent::Usage(usage) => completion.usage = usage,
                StreamEvent::Finish { reason } => completion.finish_reason = reason,
            }
        }
        let reason = completion.finish_reason.as_deref();
        // A structured answer's text is (partial) JSON, not words worth quoting.
        let text = if req.schema.is_none() {
            completion.text.as_str()
        } else {
            ""
        };
        match ending(reason) {
            Ending::Refused => Err(refused(reason.unwrap_or("refusal"), &refusal, text)),
            _ if !refusal.trim().is_empty() => Err(refused("refusal", &refusal, "")),
            Ending::Failed => Err(LlmError::StreamError {
                error_type: "error".into(),
                message: "the provider ended the answer with finish reason `error`".into(),
                retryable: true,
            }),
            Ending::Complete | Ending::Truncated => Ok(completion),
        }
    }

    /// The error for an answer cut at the token limit, naming the limit when known.
    pub(crate) fn truncated(&self, req: &ChatRequest, completion: Completion) -> LlmError {
        let limit = match (req.max_tokens, self.endpoint.protocol) {
            (Some(limit), _) => Some(limit),
            // This protocol always sends a limit, the default when none was asked for.
            (None, Protocol::Anthropic) => Some(anthropic::DEFAULT_MAX_TOKENS),
            (None, _) => None,
        };
        let output_tokens = completion.usage.output_tokens;
        LlmError::Truncated {
            reason: completion.finish_reason.unwrap_or_default(),
            limit,
            output_tokens: (output_tokens > 0).then_some(output_tokens),
            text: completion.text,
        }
    }
}

/// The model's words: its refusal text, else what it wrote before the stop (`text`).
fn refused(reason: &str, refusal: &str, text: &str) -> LlmError {
    let words = if refusal.trim().is_empty() {
        text
    } else {
        refusal
    };
    LlmError::Refused {
        reason: reason.to_string(),
        message: truncate(words.trim()),
    }
}

/// Waiting for the headers is bounded by the first-byte timeout and the deadline.
fn first_byte_limit(deadline: Instant, first_byte: Duration) -> (Instant, &'static str) {
    let first_byte_at = Instant::now() + first_byte;
    if deadline <= first_byte_at {
        (deadline, "total")
    } else {
        (first_byte_at, "first_byte")
    }
}

fn send_error(err: &reqwest::Error) -> LlmError {
    if err.is_timeout() {
        let phase = if err.is_connect() {
            "connect"
        } else {
            "first_byte"
        };
        return LlmError::Timeout { phase };
    }
    let message = error_chain(err);
    if err.is_connect() || err.is_request() {
        LlmError::Connect { message }
    } else {
        LlmError::Stream { message }
    }
}

/// The start of an error body; a body that fails or stalls yields what came so far.
async fn read_error_body(mut response: reqwest::Response, limit: Instant) -> String {
    let mut body = Vec::new();
    while body.len() < MAX_ERROR_BODY {
        match tokio::time::timeout_at(limit, response.chunk()).await {
            Ok(Ok(Some(chunk))) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(MAX_ERROR_BODY);
    String::from_utf8_lossy(&body).into_owned()
}
