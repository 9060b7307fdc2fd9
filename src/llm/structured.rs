//! Structured output: the schema in the prompt when a protocol needs it, JSON pulled
//! out of a chatty answer, local validation, and the repair loop.

use serde_json::Value;

use super::client::LlmClient;
use super::error::LlmError;
use super::finish::{ending, Ending};
use super::types::{ChatRequest, LlmEvent, Message, OutputSchema, Role, StructuredOutput, Usage};

impl LlmClient {
    /// Structured output: `req.schema` is sent with the protocol's strongest mechanism;
    /// the answer is parsed (tolerating code fences and leading prose) and validated
    /// locally against the schema, then with `check` (the caller's semantic checks,
    /// returning error strings). A failing answer goes back to the model with its errors
    /// as a new user turn, for at most `repair_rounds` rounds; then `InvalidOutput`.
    /// An answer cut at the token limit is never parsed: it is repaired the same way
    /// (asking for a shorter answer), then `Truncated`. A refusal ends the call at once
    /// as `Refused`, with no repair round.
    pub async fn structured(
        &self,
        req: &ChatRequest,
        repair_rounds: u32,
        check: &(dyn Fn(&Value) -> Vec<String> + Sync),
        on_event: &mut (dyn FnMut(LlmEvent) + Send),
    ) -> Result<StructuredOutput, LlmError> {
        let schema = req.schema.as_ref().ok_or_else(|| LlmError::Config {
            message: "structured output needs a schema in the request".into(),
        })?;
        let validator =
            jsonschema::validator_for(&schema.schema).map_err(|err| LlmError::Config {
                message: format!(
                    "the output schema `{}` is not a valid JSON Schema: {err}",
                    schema.name
                ),
            })?;
        let mut request = req.clone();
        let mut usage = Usage::default();
        let mut round = 0;
        loop {
            super::window::fit(&mut request)?;
            // A refusal comes back as an error here: asking again would pay for the same
            // refusal, so it ends the loop without a repair round.
            let completion = self.complete_or_cut(&request, on_event).await?;
            usage += completion.usage;
            let cut = ending(completion.finish_reason.as_deref()) == Ending::Truncated;
            let errors = if cut {
                // Never parsed: a cut answer may still hold a complete-looking value.
                if round >= repair_rounds {
                    return Err(self.truncated(&request, completion));
                }
                vec![format!(
                    "the answer was cut off at the token limit (finish reason `{}`) before it \
                     was complete; give a shorter answer that fits",
                    completion.finish_reason.as_deref().unwrap_or_default()
                )]
            } else {
                match extract_json(&completion.text) {
                    Ok(value) => {
                        let mut errors = schema_errors(&validator, &value);
                        if errors.is_empty() {
                            errors = check(&value);
                        }
                        if errors.is_empty() {
                            return Ok(StructuredOutput {
                                value,
                                text: completion.text,
                                usage,
                                repair_rounds: round,
                            });
                        }
                        errors
                    }
                    Err(error) => vec![error],
                }
            };
            let repair = repair_prompt(&errors);
            // A repair round that cannot fit in the window is never sent.
            let resent = super::window::answer_for_repair(&request, &completion.text, &repair);
            let Some(resent) = resent.filter(|_| round < repair_rounds) else {
                if cut {
                    return Err(self.truncated(&request, completion));
                }
                return Err(LlmError::InvalidOutput {
                    errors,
                    text: completion.text,
                    rounds: round,
                });
            };
            round += 1;
            on_event(LlmEvent::Repairing {
                round,
                errors: errors.clone(),
            });
            request.messages.push(Message::assistant(resent));
            request.messages.push(Message::user(repair));
        }
    }
}

fn schema_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|error| {
            let path = error.instance_path().to_string();
            let path = if path.is_empty() {
                "(root)".to_string()
            } else {
                path
            };
            format!("{path}: {error}")
        })
        .collect()
}

fn repair_prompt(errors: &[String]) -> String {
    let list: Vec<String> = errors.iter().map(|error| format!("- {error}")).collect();
    format!(
        "Your previous answer was rejected:\n{}\n\nReply again with only the corrected JSON \
         value, complete and conforming to the schema, with no other text.",
        list.join("\n")
    )
}

/// The JSON value in a model's answer: the whole text, else a fenced block, else the
/// first parseable value starting at a `{` or `[` (prose around it is ignored).
pub(crate) fn extract_json(text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    let whole_error = match serde_json::from_str::<Value>(trimmed) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    for block in fenced_blocks(trimmed) {
        if let Ok(value) = serde_json::from_str::<Value>(block.trim()) {
            return Ok(value);
        }
    }
    let starts = trimmed
        .char_indices()
        .filter(|(_, c)| *c == '{' || *c == '[')
        .take(32);
    for (start, _) in starts {
        let mut values = serde_json::Deserializer::from_str(&trimmed[start..]).into_iter::<Value>();
        match values.next() {
            Some(Ok(value)) if value.is_object() || value.is_array() => return Ok(value),
            // A value that runs to the end of the text was cut off: what starts inside
            // it is a fragment of it (an inner list, say), never the answer.
            Some(Err(err)) if err.is_eof() => break,
            _ => {}
        }
    }
    if trimmed.is_empty() {
        return Err("the answer is empty; a JSON value was expected".into());
    }
    Err(format!("the answer is not valid JSON: {whole_error}"))
}

/// The contents of each ``` fenced block (its info string, e.g. `json`, skipped).
fn fenced_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let Some(newline) = after.find('\n') else {
            break;
        };
        let body = &after[newline + 1..];
        let Some(close) = body.find("```") else {
            // An unclosed fence: the answer was probably cut, try what there is.
            blocks.push(body);
            break;
        };
        blocks.push(&body[..close]);
        rest = &body[close + 3..];
    }
    blocks
}

/// The instruction that carries the schema when the wire has no schema field.
pub(crate) fn schema_instruction(schema: &OutputSchema) -> String {
    let pretty =
        serde_json::to_string_pretty(&schema.schema).unwrap_or_else(|_| schema.schema.to_string());
    format!(
        "Answer with a single JSON value that conforms to the JSON Schema below, and \
         nothing else: no prose and no code fences.\n\nJSON Schema ({}):\n{pretty}",
        schema.name
    )
}

/// The messages with the schema instruction appended to the system message (one is
/// added at the front when there is none).
pub(crate) fn with_schema_instruction(messages: &[Message], schema: &OutputSchema) -> Vec<Message> {
    let instruction = schema_instruction(schema);
    let mut messages = messages.to_vec();
    match messages.iter_mut().find(|m| m.role == Role::System) {
        Some(system) => {
            let text = format!("{}\n\n{instruction}", system.text());
            *system = Message::system(text);
        }
        None => messages.insert(0, Message::system(instruction)),
    }
    messages
}

/// A name the APIs accept for a tool or schema: `[A-Za-z0-9_-]{1,64}`.
pub(crate) fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if cleaned.is_empty() {
        "answer".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::extract_json;

    #[test]
    fn finds_json_after_prose_and_in_fences() {
        let value = extract_json("Sure! {\"a\": [1, 2]} hope it helps");
        assert_eq!(value.ok(), Some(serde_json::json!({"a": [1, 2]})));
        let value = extract_json("```json\n{\"b\": true}\n```");
        assert_eq!(value.ok(), Some(serde_json::json!({"b": true})));
    }

    #[test]
    fn a_cut_off_object_is_not_replaced_by_a_list_inside_it() {
        let cut = "{\"title\": \"x\", \"deps\": [\"a\", \"b\"], \"code\": \"print(";
        let error = extract_json(cut).err().unwrap_or_default();
        assert!(error.contains("not valid JSON"), "{error}");
    }
}
