//! Plain data: endpoints, options, messages, requests and what comes back.

use std::fmt;
use std::ops::{Add, AddAssign};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The wire protocol an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// OpenAI chat completions (also every OpenAI-compatible server, Ollama's `/v1`).
    OpenAi,
    /// Anthropic messages.
    Anthropic,
    /// Google Gemini `streamGenerateContent`.
    Gemini,
}

impl Protocol {
    /// The name used in configuration files.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::OpenAi => "openai",
            Protocol::Anthropic => "anthropic",
            Protocol::Gemini => "gemini",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an OpenAI-protocol server takes structured output. Anthropic always uses a
/// forced tool call and Gemini always a response JSON schema, whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructuredMode {
    /// `response_format: {type: "json_schema", ...}` (OpenAI, llama.cpp, vLLM, Ollama).
    #[default]
    JsonSchema,
    /// `response_format: {type: "json_object"}` plus the schema in the system prompt.
    JsonObject,
    /// The schema in the system prompt only, for servers without a JSON mode.
    Prompt,
}

/// A provider credential. Never printed: `Debug` and `Display` show `***`, and it has
/// no `Serialize` so it cannot be written out by accident.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The secret itself, for building the one header that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey(key.to_string())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Where and how to reach one provider.
#[derive(Clone, PartialEq)]
pub struct Endpoint {
    /// Provider id from the catalog (`openai`, `groq`, `ollama`, ...).
    pub provider: String,
    pub protocol: Protocol,
    /// For example `https://api.openai.com/v1`, `https://api.anthropic.com/v1`,
    /// `https://generativelanguage.googleapis.com/v1beta`, `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    pub api_key: Option<ApiKey>,
    pub structured: StructuredMode,
    /// Extra headers sent with every request (for example OpenRouter's `HTTP-Referer`).
    pub headers: Vec<(String, String)>,
}

impl fmt::Debug for Endpoint {
    /// Extra header values may be credentials: only their names are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Endpoint")
            .field("provider", &self.provider)
            .field("protocol", &self.protocol)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("structured", &self.structured)
            .field("headers", &header_names)
            .finish()
    }
}

/// When and how often `complete` retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// No retry starts once this much time has gone by since the first attempt.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_total: Duration::from_secs(120),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    /// Until the response headers arrive, and also the longest silence between chunks.
    pub first_byte: Duration,
    /// One attempt from start to the end of its stream.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            first_byte: Duration::from_secs(60),
            total: Duration::from_secs(600),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientOptions {
    pub retry: RetryPolicy,
    pub timeouts: Timeouts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Text(String),
    /// Raw image bytes (serialized as base64) and their MIME type, e.g. `image/png`.
    Image {
        media_type: String,
        #[serde(with = "base64_bytes")]
        data: Vec<u8>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub parts: Vec<Part>,
}

impl Message {
    pub fn new(role: Role, text: impl Into<String>) -> Self {
        Message {
            role,
            parts: vec![Part::Text(text.into())],
        }
    }

    pub fn system(text: impl Into<String>) -> Self {
        Message::new(Role::System, text)
    }

    pub fn user(text: impl Into<String>) -> Self {
        Message::new(Role::User, text)
    }

    pub fn assistant(text: impl Into<String>) -> Self {
        Message::new(Role::Assistant, text)
    }

    /// The text parts joined, images left out.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self
            .parts
            .iter()
            .filter_map(|part| match part {
                Part::Text(text) => Some(text.as_str()),
                Part::Image { .. } => None,
            })
            .collect();
        texts.join("\n")
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f32>,
    pub seed: Option<u64>,
    /// Ask for a JSON answer matching this schema (used by `LlmClient::structured`).
    pub schema: Option<OutputSchema>,
    /// The model's context window in tokens, when known: the output limit and repair
    /// rounds are fitted into it (`llm::window`). Not sent.
    pub context_window: Option<u64>,
}

impl ChatRequest {
    pub fn new(model: impl Into<String>, messages: Vec<Message>) -> Self {
        ChatRequest {
            model: model.into(),
            messages,
            ..ChatRequest::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutputSchema {
    /// A short identifier (letters, digits, `_`, `-`); it names the tool or JSON schema.
    pub name: String,
    pub schema: serde_json::Value,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Of the input tokens, those the provider served from its prompt cache (OpenAI
    /// `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`,
    /// Gemini `cachedContentTokenCount`); `None` when it did not say, which is not
    /// the same as zero. Left out of JSON then, so outputs without it are unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_tokens: Option<u64>,
}

impl Add for Usage {
    type Output = Usage;

    fn add(self, other: Usage) -> Usage {
        let cached_tokens = match (self.cached_tokens, other.cached_tokens) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        Usage {
            input_tokens: self.input_tokens + other.input_tokens,
            output_tokens: self.output_tokens + other.output_tokens,
            cached_tokens,
        }
    }
}

impl AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        *self = *self + other;
    }
}

/// What the streaming primitive yields. A stream that ends normally yields at most one
/// `Usage` and then exactly one `Finish`, as its last two items.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// A piece of the answer.
    Delta(String),
    /// A piece of the model's reasoning ("thinking"): never part of the answer.
    Reasoning(String),
    /// A piece of the model's own words declining to answer (OpenAI's `delta.refusal`,
    /// Gemini's blocked categories). A stream with any ends as `LlmError::Refused`
    /// once collected by `complete`.
    Refusal(String),
    Usage(Usage),
    Finish {
        reason: Option<String>,
    },
}

impl StreamEvent {
    /// A text event (answer, reasoning or refusal) with nothing in it.
    pub(crate) fn is_empty_text(&self) -> bool {
        match self {
            StreamEvent::Delta(text)
            | StreamEvent::Reasoning(text)
            | StreamEvent::Refusal(text) => text.is_empty(),
            StreamEvent::Usage(_) | StreamEvent::Finish { .. } => false,
        }
    }
}

impl From<&str> for StreamEvent {
    /// A piece of the answer.
    fn from(text: &str) -> Self {
        StreamEvent::Delta(text.to_string())
    }
}

/// Progress reported to the caller of `complete` and `structured`.
#[derive(Debug, Clone, PartialEq)]
pub enum LlmEvent {
    Delta(String),
    /// Attempt number `attempt` starts after `wait`.
    Retrying {
        attempt: u32,
        wait: Duration,
        reason: String,
    },
    /// Repair round `round` starts: the previous answer had these errors.
    Repairing {
        round: u32,
        errors: Vec<String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    pub text: String,
    /// The model's reasoning, kept apart from `text` (empty for most models).
    pub reasoning: String,
    pub usage: Usage,
    pub finish_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructuredOutput {
    pub value: serde_json::Value,
    /// The raw text of the accepted answer.
    pub text: String,
    /// Summed over all rounds.
    pub usage: Usage,
    /// Repair rounds that were needed (0 when the first answer was valid).
    pub repair_rounds: u32,
}

mod base64_bytes {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(data: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(data))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
