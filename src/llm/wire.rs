//! What the three protocol modules share: the request they build, the decoder they
//! implement, and small helpers for message layout and JSON.

use serde_json::Value;

use super::error::LlmError;
use super::sse::SseEvent;
use super::types::{Message, Part, Role, StreamEvent};

/// An HTTP request ready to send: always a POST of a JSON body expecting SSE back.
#[derive(Debug)]
pub(crate) struct WireRequest {
    pub url: String,
    pub body: Value,
    /// Protocol headers, the credential included.
    pub headers: Vec<(&'static str, String)>,
}

/// Turns one protocol's SSE events into `StreamEvent`s.
pub(crate) trait Decoder: Send {
    /// Handles one event; returns `true` when the protocol says the response is complete.
    fn event(&mut self, event: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<bool, LlmError>;

    /// The response is over (complete, or the body simply ended). Fails when the
    /// response was cut short; otherwise pushes the `Usage` and the `Finish`.
    fn end(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), LlmError>;
}

pub(crate) fn base(url: &str) -> &str {
    url.trim_end_matches('/')
}

pub(crate) fn parse_data(data: &str) -> Result<Value, LlmError> {
    serde_json::from_str(data).map_err(|err| {
        let snippet: String = data.chars().take(200).collect();
        LlmError::Stream {
            message: format!("malformed JSON in a data line ({err}): {snippet}"),
        }
    })
}

pub(crate) fn cut_short(what: &str) -> LlmError {
    LlmError::Stream {
        message: format!("the response ended before {what}"),
    }
}

pub(crate) fn get_u64(value: &Value, pointer: &str) -> Option<u64> {
    value.pointer(pointer).and_then(Value::as_u64)
}

pub(crate) fn get_str<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// An `f32` as the JSON number a person would write (0.2, not 0.20000000298023224).
pub(crate) fn json_f32(value: f32) -> Value {
    format!("{value}")
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// The system text (all system messages joined) and the other turns with consecutive
/// turns of the same role merged, as Anthropic and Gemini want strict alternation.
pub(crate) fn split_system(messages: &[Message]) -> (Option<String>, Vec<(Role, Vec<&Part>)>) {
    let mut system = Vec::new();
    let mut turns: Vec<(Role, Vec<&Part>)> = Vec::new();
    for message in messages {
        if message.role == Role::System {
            system.push(message.text());
            continue;
        }
        match turns.last_mut() {
            Some((role, parts)) if *role == message.role => parts.extend(message.parts.iter()),
            _ => turns.push((message.role, message.parts.iter().collect())),
        }
    }
    let system = system.join("\n\n");
    ((!system.trim().is_empty()).then_some(system), turns)
}
