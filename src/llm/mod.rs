//! The LLM layer: one streaming primitive per wire protocol (OpenAI chat completions,
//! Anthropic messages, Gemini), `complete` with retries on top, and validated
//! structured output with a repair loop. See `docs/llm.md`.
//!
//! The library never prints: progress is reported through `LlmEvent` callbacks.

mod anthropic;
mod client;
mod error;
mod error_body;
mod events;
mod finish;
mod gemini;
mod openai;
mod retry;
mod sse;
mod structured;
mod think_tags;
mod types;
pub mod window;
mod wire;

pub use client::{install_crypto_provider, LlmClient};
pub use error::{error_from_status, LlmError};
pub use sse::{SseEvent, SseParser};
pub use types::{
    ApiKey, ChatRequest, ClientOptions, Completion, Endpoint, LlmEvent, Message, OutputSchema,
    Part, Protocol, RetryPolicy, Role, StreamEvent, StructuredMode, StructuredOutput, Timeouts,
    Usage,
};
