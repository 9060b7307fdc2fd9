//! OpenAI chat completions, streamed (also every OpenAI-compatible server).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::error::LlmError;
use super::error_body::error_from_stream_object;
use super::sse::SseEvent;
use super::structured::{safe_name, with_schema_instruction};
use super::think_tags::ThinkSplitter;
use super::types::{
    ChatRequest, Endpoint, Message, Part, Role, StreamEvent, StructuredMode, Usage,
};
use super::wire::{base, cut_short, get_str, get_u64, json_f32, parse_data, Decoder, WireRequest};

pub(crate) fn build(endpoint: &Endpoint, req: &ChatRequest) -> WireRequest {
    let messages = match (&req.schema, endpoint.structured) {
        (Some(schema), StructuredMode::JsonObject | StructuredMode::Prompt) => {
            with_schema_instruction(&req.messages, schema)
        }
        _ => req.messages.clone(),
    };
    let mut body = Map::new();
    body.insert("model".into(), json!(req.model));
    body.insert(
        "messages".into(),
        Value::Array(messages.iter().map(message).collect()),
    );
    body.insert("stream".into(), json!(true));
    body.insert("stream_options".into(), json!({ "include_usage": true }));
    if let Some(max_tokens) = req.max_tokens {
        // OpenAI's reasoning models refuse `max_tokens`; compatible servers know only it.
        let field = if endpoint.provider == "openai" {
            "max_completion_tokens"
        } else {
            "max_tokens"
        };
        body.insert(field.into(), json!(max_tokens));
    }
    if let Some(temperature) = req.temperature {
        body.insert("temperature".into(), json_f32(temperature));
    }
    if let Some(seed) = req.seed {
        body.insert("seed".into(), json!(seed));
    }
    if let Some(schema) = &req.schema {
        match endpoint.structured {
            StructuredMode::JsonSchema => {
                body.insert(
                    "response_format".into(),
                    json!({
                        "type": "json_schema",
                        "json_schema": {
                            "name": safe_name(&schema.name),
                            "schema": schema.schema,
                            "strict": true,
                        }
                    }),
                );
            }
            StructuredMode::JsonObject => {
                body.insert("response_format".into(), json!({ "type": "json_object" }));
            }
            StructuredMode::Prompt => {}
        }
    }
    let mut headers = Vec::new();
    if let Some(key) = &endpoint.api_key {
        headers.push(("authorization", format!("Bearer {}", key.expose())));
    }
    WireRequest {
        url: format!("{}/chat/completions", base(&endpoint.base_url)),
        body: Value::Object(body),
        headers,
    }
}

fn message(message: &Message) -> Value {
    let role = match message.role {
        Role::System => "system",
        Role::User => "user",
        Role::Assistant => "assistant",
    };
    let has_image = message
        .parts
        .iter()
        .any(|part| matches!(part, Part::Image { .. }));
    if !has_image {
        return json!({ "role": role, "content": message.text() });
    }
    let content: Vec<Value> = message
        .parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => json!({ "type": "text", "text": text }),
            Part::Image { media_type, data } => json!({
                "type": "image_url",
                "image_url": { "url": format!("data:{media_type};base64,{}", STANDARD.encode(data)) }
            }),
        })
        .collect();
    json!({ "role": role, "content": content })
}

#[derive(Debug, Default)]
pub(crate) struct OpenAiDecoder {
    think: ThinkSplitter,
    usage: Option<Usage>,
    finish_reason: Option<String>,
    done: bool,
}

impl Decoder for OpenAiDecoder {
    fn event(&mut self, event: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<bool, LlmError> {
        let data = event.data.trim();
        if data == "[DONE]" {
            self.done = true;
            return Ok(true);
        }
        if data.is_empty() {
            return Ok(false);
        }
        let chunk = parse_data(data)?;
        if let Some(error) = chunk.get("error").filter(|error| !error.is_null()) {
            return Err(error_from_stream_object(error));
        }
        if let Some(usage) = chunk.get("usage").filter(|usage| usage.is_object()) {
            self.usage = Some(Usage {
                input_tokens: get_u64(usage, "/prompt_tokens").unwrap_or(0),
                output_tokens: get_u64(usage, "/completion_tokens").unwrap_or(0),
                cached_tokens: get_u64(usage, "/prompt_tokens_details/cached_tokens"),
            });
        }
        // Only the first choice: we never ask for `n > 1`.
        if let Some(choice) = chunk.pointer("/choices/0") {
            if let Some(delta) = choice.get("delta") {
                let mut events = Vec::new();
                delta_events(delta, &mut events);
                for event in events {
                    match event {
                        StreamEvent::Delta(text) => self.think.push(&text, out),
                        other => out.push(other),
                    }
                }
            }
            if let Some(reason) = get_str(choice, "/finish_reason") {
                if reason == "content_filter" {
                    push(
                        out,
                        filtered_categories(choice).as_deref(),
                        StreamEvent::Refusal,
                    );
                }
                self.finish_reason = Some(reason.to_string());
            }
        }
        Ok(false)
    }

    fn end(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), LlmError> {
        // Some compatible servers stop after the finish reason without `[DONE]`.
        if !self.done && self.finish_reason.is_none() {
            return Err(cut_short("`data: [DONE]` or a finish reason"));
        }
        self.think.finish(out);
        if let Some(usage) = self.usage.take() {
            out.push(StreamEvent::Usage(usage));
        }
        out.push(StreamEvent::Finish {
            reason: self.finish_reason.take(),
        });
        Ok(())
    }
}

/// One `delta`: the answer, the reasoning and the refusal each go their own way, so
/// that thinking never leaks into the answer whatever field a server uses for it.
fn delta_events(delta: &Value, out: &mut Vec<StreamEvent>) {
    // DeepSeek, vLLM and llama.cpp say `reasoning_content`; OpenRouter and Ollama
    // `reasoning` (OpenRouter may send both, with the same text).
    let reasoning = get_str(delta, "/reasoning_content").or_else(|| get_str(delta, "/reasoning"));
    push(out, reasoning, StreamEvent::Reasoning);
    // With `json_schema` strict, OpenAI streams a refusal here and no content.
    push(out, get_str(delta, "/refusal"), StreamEvent::Refusal);
    match delta.get("content") {
        Some(Value::String(text)) => push(out, Some(text), StreamEvent::Delta),
        // Mistral's reasoning models send a list of typed pieces instead of a string,
        // and may switch between the two forms within one stream.
        Some(Value::Array(pieces)) => pieces.iter().for_each(|piece| content_piece(piece, out)),
        _ => {}
    }
}

fn content_piece(piece: &Value, out: &mut Vec<StreamEvent>) {
    match get_str(piece, "/type") {
        Some("text") => push(out, get_str(piece, "/text"), StreamEvent::Delta),
        Some("thinking") => match piece.get("thinking") {
            Some(Value::String(text)) => push(out, Some(text), StreamEvent::Reasoning),
            // Mistral nests the thinking as a list of text pieces.
            Some(Value::Array(parts)) => {
                for part in parts {
                    push(out, get_str(part, "/text"), StreamEvent::Reasoning);
                }
            }
            _ => {}
        },
        Some("reasoning") => push(out, get_str(piece, "/text"), StreamEvent::Reasoning),
        Some("refusal") => push(out, get_str(piece, "/refusal"), StreamEvent::Refusal),
        // Images, references and piece types added later are not answer text.
        _ => {}
    }
}

fn push(out: &mut Vec<StreamEvent>, text: Option<&str>, event: fn(String) -> StreamEvent) {
    if let Some(text) = text.filter(|text| !text.is_empty()) {
        out.push(event(text.to_string()));
    }
}

/// Azure's `content_filter_results`: which categories stopped the answer, and how severe.
fn filtered_categories(choice: &Value) -> Option<String> {
    let results = choice.get("content_filter_results")?.as_object()?;
    let filtered: Vec<String> = results
        .iter()
        .filter(|(_, result)| result.get("filtered").and_then(Value::as_bool) == Some(true))
        .map(|(category, result)| match get_str(result, "/severity") {
            Some(severity) => format!("{category} ({severity})"),
            None => category.clone(),
        })
        .collect();
    (!filtered.is_empty()).then(|| format!("filtered for {}", filtered.join(", ")))
}
