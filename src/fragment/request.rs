//! What a generation or a turn sends and records: the request with its strict
//! schema (narrowed to the offered templates), the checks an answer must pass beyond
//! the schema, and the history entries of a turn.

use super::checks::check_fragment;
use super::project::{HistoryEntry, TokenUsage};
use super::schema::strict_schema_for;
use super::Fragment;
use crate::catalog::ResolvedModel;
use crate::config::Settings;
use crate::llm::{ChatRequest, Message, OutputSchema, StructuredOutput};
use serde_json::{json, Value};

/// A request for a structured answer named `name` with `schema`, with the
/// temperature (a flag's, else the configuration's), token limit, seed and context
/// window every generation uses.
pub fn structured_request(
    settings: &Settings,
    resolved: &ResolvedModel,
    messages: Vec<Message>,
    temperature: Option<f32>,
    name: &str,
    schema: Value,
) -> ChatRequest {
    let mut request = ChatRequest::new(resolved.model.id.clone(), messages);
    request.schema = Some(OutputSchema {
        name: name.into(),
        schema,
    });
    request.temperature = temperature.or(settings.file.llm.temperature);
    request.max_tokens = settings.file.llm.max_tokens;
    request.context_window = Some(resolved.model.context_window).filter(|w| *w > 0);
    request.seed = settings.file.llm.seed;
    request
}

/// A fragment request: the strict schema, temperature and token limit from settings.
pub fn fragment_request(
    settings: &Settings,
    resolved: &ResolvedModel,
    messages: Vec<Message>,
    temperature: Option<f32>,
    offered: &[String],
) -> ChatRequest {
    let mut schema = fragment_schema(settings, offered);
    if resolved.provider.bounded_schema {
        add_length_bounds(&mut schema);
    }
    structured_request(
        settings,
        resolved,
        messages,
        temperature,
        "fragment",
        schema,
    )
}

/// The fragment schema narrowed to the offered templates: `template` is one of their
/// ids, `file_path` one of their main files (`run` starts the main file by that name)
/// and, with a single template, `port` is its port. Constrained decoders then cannot
/// pick anything else.
pub fn fragment_schema(settings: &Settings, offered: &[String]) -> Value {
    let templates: Vec<&crate::catalog::TemplateDef> = offered
        .iter()
        .filter_map(|id| settings.templates.templates.get(id))
        .collect();
    let mut main_files: Vec<&str> = templates.iter().map(|t| t.file.as_str()).collect();
    main_files.sort_unstable();
    main_files.dedup();
    let mut schema = strict_schema_for::<Fragment>();
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        let narrow =
            |properties: &mut serde_json::Map<String, Value>, key: &str, mut narrowed: Value| {
                if let Some(description) = properties
                    .get(key)
                    .and_then(|p| p.get("description"))
                    .cloned()
                {
                    narrowed["description"] = description;
                }
                properties.insert(key.into(), narrowed);
            };
        narrow(
            properties,
            "template",
            json!({ "type": "string", "enum": offered }),
        );
        narrow(
            properties,
            "file_path",
            json!({ "type": "string", "enum": main_files }),
        );
        if let [only] = templates.as_slice() {
            let port = match only.port {
                Some(port) => json!({ "type": "integer", "enum": [port] }),
                None => json!({ "type": "null" }),
            };
            narrow(properties, "port", port);
        }
    }
    schema
}

/// Length bounds for servers that honour them: the fragment's short fields stay short
/// (a title of three words, one sentence of description) and lists stay small.
fn add_length_bounds(schema: &mut Value) {
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (key, max) in [
        ("title", 60),
        ("description", 240),
        ("commentary", 800),
        ("install_dependencies_command", 240),
    ] {
        if let Some(p) = properties.get_mut(key) {
            p["maxLength"] = json!(max);
        }
    }
    for (key, max) in [("additional_dependencies", 12), ("files", 30)] {
        if let Some(p) = properties.get_mut(key) {
            p["maxItems"] = json!(max);
        }
    }
    if let Some(items) = properties
        .get_mut("additional_dependencies")
        .and_then(|p| p.get_mut("items"))
    {
        items["maxLength"] = json!(60);
    }
}

/// Problems of an answer that passed the schema: shape, then the fragment checks.
pub fn fragment_problems(value: &Value, settings: &Settings, offered: &[String]) -> Vec<String> {
    match serde_json::from_value::<Fragment>(value.clone()) {
        Ok(fragment) => check_fragment(&fragment, &settings.templates, offered),
        Err(e) => vec![format!(
            "the answer does not have the fragment's shape: {e}"
        )],
    }
}

pub fn assistant_entry(answer: &StructuredOutput, resolved: &ResolvedModel) -> HistoryEntry {
    HistoryEntry {
        model: Some(resolved.model.full_id()),
        usage: Some(TokenUsage {
            input_tokens: answer.usage.input_tokens,
            output_tokens: answer.usage.output_tokens,
        }),
        ..HistoryEntry::now("assistant", answer.text.clone())
    }
}

/// The user's turn as the history keeps it: the prompt, with attached images counted
/// (their bytes are not stored).
pub fn user_history_text(prompt: &str, images: usize) -> String {
    match images {
        0 => prompt.to_string(),
        n => format!("{prompt}\n[{n} image(s) attached]"),
    }
}
