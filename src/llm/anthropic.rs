//! Anthropic messages, streamed. Structured output is a forced tool call whose
//! input JSON is streamed as the answer's text.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::error::LlmError;
use super::error_body::error_from_stream_object;
use super::sse::SseEvent;
use super::structured::safe_name;
use super::types::{ChatRequest, Endpoint, Part, Role, StreamEvent, Usage};
use super::wire::{
    base, cut_short, get_str, get_u64, json_f32, parse_data, split_system, Decoder, WireRequest,
};

pub(crate) const API_VERSION: &str = "2023-06-01";
/// `max_tokens` is mandatory in this protocol.
pub(crate) const DEFAULT_MAX_TOKENS: u32 = 8192;

pub(crate) fn build(endpoint: &Endpoint, req: &ChatRequest) -> WireRequest {
    let (system, turns) = split_system(&req.messages);
    let messages: Vec<Value> = turns
        .into_iter()
        .filter_map(|(role, parts)| {
            let blocks: Vec<Value> = parts.into_iter().filter_map(block).collect();
            let role = if role == Role::Assistant {
                "assistant"
            } else {
                "user"
            };
            // The API refuses empty content, so a turn with nothing to say is left out.
            (!blocks.is_empty()).then(|| json!({ "role": role, "content": blocks }))
        })
        .collect();
    let mut body = Map::new();
    body.insert("model".into(), json!(req.model));
    body.insert(
        "max_tokens".into(),
        json!(req.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS)),
    );
    if let Some(system) = system {
        body.insert("system".into(), json!(system));
    }
    body.insert("messages".into(), Value::Array(messages));
    body.insert("stream".into(), json!(true));
    if let Some(temperature) = req.temperature {
        body.insert("temperature".into(), json_f32(temperature));
    }
    if let Some(schema) = &req.schema {
        let name = safe_name(&schema.name);
        body.insert(
            "tools".into(),
            json!([{
                "name": name,
                "description": "Give your answer as the input of this tool; it is the only way to answer.",
                "input_schema": schema.schema,
            }]),
        );
        body.insert(
            "tool_choice".into(),
            json!({ "type": "tool", "name": name }),
        );
    }
    let mut headers = vec![("anthropic-version", API_VERSION.to_string())];
    if let Some(key) = &endpoint.api_key {
        headers.push(("x-api-key", key.expose().to_string()));
    }
    WireRequest {
        url: format!("{}/messages", base(&endpoint.base_url)),
        body: Value::Object(body),
        headers,
    }
}

fn block(part: &Part) -> Option<Value> {
    match part {
        Part::Text(text) if text.trim().is_empty() => None,
        Part::Text(text) => Some(json!({ "type": "text", "text": text })),
        Part::Image { media_type, data } => Some(json!({
            "type": "image",
            "source": { "type": "base64", "media_type": media_type, "data": STANDARD.encode(data) }
        })),
    }
}

#[derive(Debug, Default)]
pub(crate) struct AnthropicDecoder {
    usage: Usage,
    stop_reason: Option<String>,
    stopped: bool,
}

impl Decoder for AnthropicDecoder {
    fn event(&mut self, event: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<bool, LlmError> {
        if event.data.trim().is_empty() {
            return Ok(false);
        }
        let value = parse_data(&event.data)?;
        let kind = get_str(&value, "/type")
            .or(event.event.as_deref())
            .unwrap_or_default();
        match kind {
            "message_start" => {
                if let Some(usage) = value.pointer("/message/usage") {
                    self.usage.input_tokens = input_tokens(usage);
                    self.usage.output_tokens = get_u64(usage, "/output_tokens").unwrap_or(0);
                    self.usage.cached_tokens = get_u64(usage, "/cache_read_input_tokens");
                }
            }
            "content_block_start" => {
                if let Some(text) = get_str(&value, "/content_block/text").filter(|t| !t.is_empty())
                {
                    out.push(StreamEvent::Delta(text.to_string()));
                }
            }
            "content_block_delta" => {
                let event = match get_str(&value, "/delta/type") {
                    Some("text_delta") => get_str(&value, "/delta/text").map(StreamEvent::from),
                    // The forced tool's input: callers see the JSON answer grow.
                    Some("input_json_delta") => {
                        get_str(&value, "/delta/partial_json").map(StreamEvent::from)
                    }
                    // Extended thinking: kept apart from the answer.
                    Some("thinking_delta") => get_str(&value, "/delta/thinking")
                        .map(|text| StreamEvent::Reasoning(text.to_string())),
                    // `signature_delta` and types added later carry no text.
                    _ => None,
                };
                if let Some(event) = event.filter(|event| !event.is_empty_text()) {
                    out.push(event);
                }
            }
            "message_delta" => {
                if let Some(reason) = get_str(&value, "/delta/stop_reason") {
                    self.stop_reason = Some(reason.to_string());
                }
                if let Some(usage) = value.get("usage") {
                    if let Some(output) = get_u64(usage, "/output_tokens") {
                        self.usage.output_tokens = output;
                    }
                    if usage.get("input_tokens").is_some() {
                        self.usage.input_tokens = input_tokens(usage);
                    }
                    if let Some(cached) = get_u64(usage, "/cache_read_input_tokens") {
                        self.usage.cached_tokens = Some(cached);
                    }
                }
            }
            "message_stop" => {
                self.stopped = true;
                return Ok(true);
            }
            "error" => {
                let error = value.get("error").unwrap_or(&value);
                return Err(error_from_stream_object(error));
            }
            // `ping`, `content_block_stop` and event types added later carry nothing we use.
            _ => {}
        }
        Ok(false)
    }

    fn end(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), LlmError> {
        if !self.stopped {
            return Err(cut_short("`message_stop`"));
        }
        out.push(StreamEvent::Usage(self.usage));
        out.push(StreamEvent::Finish {
            reason: self.stop_reason.take(),
        });
        Ok(())
    }
}

/// Cached prompt tokens are reported apart from the rest; they are input all the same.
fn input_tokens(usage: &Value) -> u64 {
    [
        "/input_tokens",
        "/cache_creation_input_tokens",
        "/cache_read_input_tokens",
    ]
    .iter()
    .filter_map(|pointer| get_u64(usage, pointer))
    .sum()
}
