//! Gemini `streamGenerateContent` with `alt=sse`. The key travels in a header,
//! never in the URL, so it cannot leak through logged URLs.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::error::LlmError;
use super::error_body::error_from_stream_object;
use super::finish::{ending, Ending, PROMPT_BLOCKED};
use super::sse::SseEvent;
use super::types::{ChatRequest, Endpoint, Part, Role, StreamEvent, Usage};
use super::wire::{
    base, cut_short, get_str, get_u64, json_f32, parse_data, split_system, Decoder, WireRequest,
};

pub(crate) fn build(endpoint: &Endpoint, req: &ChatRequest) -> WireRequest {
    let (system, turns) = split_system(&req.messages);
    let contents: Vec<Value> = turns
        .into_iter()
        .map(|(role, parts)| {
            let role = if role == Role::Assistant {
                "model"
            } else {
                "user"
            };
            let parts: Vec<Value> = parts.into_iter().map(part).collect();
            json!({ "role": role, "parts": parts })
        })
        .collect();
    let mut body = Map::new();
    body.insert("contents".into(), Value::Array(contents));
    if let Some(system) = system {
        body.insert(
            "systemInstruction".into(),
            json!({ "parts": [{ "text": system }] }),
        );
    }
    let mut config = Map::new();
    if let Some(max_tokens) = req.max_tokens {
        config.insert("maxOutputTokens".into(), json!(max_tokens));
    }
    if let Some(temperature) = req.temperature {
        config.insert("temperature".into(), json_f32(temperature));
    }
    if let Some(seed) = req.seed {
        // The field is an int32.
        config.insert("seed".into(), json!(seed & 0x7fff_ffff));
    }
    if let Some(schema) = &req.schema {
        config.insert("responseMimeType".into(), json!("application/json"));
        config.insert("responseJsonSchema".into(), schema.schema.clone());
    }
    if !config.is_empty() {
        body.insert("generationConfig".into(), Value::Object(config));
    }
    let model = req.model.strip_prefix("models/").unwrap_or(&req.model);
    let mut headers = Vec::new();
    if let Some(key) = &endpoint.api_key {
        headers.push(("x-goog-api-key", key.expose().to_string()));
    }
    WireRequest {
        url: format!(
            "{}/models/{model}:streamGenerateContent?alt=sse",
            base(&endpoint.base_url)
        ),
        body: Value::Object(body),
        headers,
    }
}

fn part(part: &Part) -> Value {
    match part {
        Part::Text(text) => json!({ "text": text }),
        Part::Image { media_type, data } => json!({
            "inlineData": { "mimeType": media_type, "data": STANDARD.encode(data) }
        }),
    }
}

#[derive(Debug, Default)]
pub(crate) struct GeminiDecoder {
    usage: Option<Usage>,
    finish_reason: Option<String>,
}

impl Decoder for GeminiDecoder {
    fn event(&mut self, event: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<bool, LlmError> {
        if event.data.trim().is_empty() {
            return Ok(false);
        }
        let chunk = parse_data(&event.data)?;
        if let Some(error) = chunk.get("error") {
            return Err(error_from_stream_object(error));
        }
        if let Some(usage) = chunk.get("usageMetadata") {
            // Counts are cumulative: the last chunk's are the totals.
            self.usage = Some(Usage {
                input_tokens: get_u64(usage, "/promptTokenCount").unwrap_or(0),
                output_tokens: get_u64(usage, "/candidatesTokenCount").unwrap_or(0)
                    + get_u64(usage, "/thoughtsTokenCount").unwrap_or(0),
                cached_tokens: get_u64(usage, "/cachedContentTokenCount"),
            });
        }
        if let Some(candidate) = chunk.pointer("/candidates/0") {
            let parts = candidate
                .pointer("/content/parts")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for part in parts {
                let Some(text) = get_str(part, "/text") else {
                    continue;
                };
                // Thought summaries (`thought: true`) are reasoning, never the answer.
                if part.get("thought").and_then(Value::as_bool) == Some(true) {
                    push(out, text, StreamEvent::Reasoning);
                } else {
                    push(out, text, StreamEvent::Delta);
                }
            }
            if let Some(reason) = get_str(candidate, "/finishReason") {
                if ending(Some(reason)) == Ending::Refused {
                    push(
                        out,
                        &block_detail(candidate, "finishMessage"),
                        StreamEvent::Refusal,
                    );
                }
                self.finish_reason = Some(reason.to_string());
            }
        } else if let Some(feedback) = chunk.get("promptFeedback") {
            // A refused prompt has no candidate at all.
            if let Some(reason) = get_str(feedback, "/blockReason") {
                push(
                    out,
                    &block_detail(feedback, "blockReasonMessage"),
                    StreamEvent::Refusal,
                );
                self.finish_reason = Some(format!("{PROMPT_BLOCKED}{reason}"));
            }
        }
        // There is no end marker: the body ends after the chunk with the finish reason.
        Ok(false)
    }

    fn end(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), LlmError> {
        if self.finish_reason.is_none() {
            return Err(cut_short("a chunk with `finishReason`"));
        }
        if let Some(usage) = self.usage.take() {
            out.push(StreamEvent::Usage(usage));
        }
        out.push(StreamEvent::Finish {
            reason: self.finish_reason.take(),
        });
        Ok(())
    }
}

/// Why Gemini blocked: its own message when it gave one, and the safety categories it
/// marked as blocked (or rated high).
fn block_detail(object: &Value, message_field: &str) -> String {
    let mut detail: Vec<String> = get_str(object, &format!("/{message_field}"))
        .map(|message| vec![message.trim().to_string()])
        .unwrap_or_default();
    let ratings = object
        .get("safetyRatings")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let blocked: Vec<String> = ratings
        .iter()
        .filter(|rating| {
            rating.get("blocked").and_then(Value::as_bool) == Some(true)
                || get_str(rating, "/probability") == Some("HIGH")
        })
        .filter_map(|rating| {
            let category = get_str(rating, "/category")?;
            let probability = get_str(rating, "/probability").unwrap_or("blocked");
            Some(format!("{category} ({probability})"))
        })
        .collect();
    if !blocked.is_empty() {
        detail.push(format!("blocked for {}", blocked.join(", ")));
    }
    detail.retain(|part| !part.is_empty());
    detail.join("; ")
}

fn push(out: &mut Vec<StreamEvent>, text: &str, event: fn(String) -> StreamEvent) {
    if !text.is_empty() {
        out.push(event(text.to_string()));
    }
}
