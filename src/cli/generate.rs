//! One structured model call as the commands show it: a live status line on a terminal,
//! `--events` lines in a pipe, Ctrl-C as a clean cancel.

use super::exit::{CliError, CliResult, Exit};
use super::output::Output;
use super::safe_text::{escape, Keep};
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::events::Event;
use codingit::fragment::partial::partial_string_field;
use codingit::llm::{ChatRequest, LlmClient, LlmError, LlmEvent, StructuredOutput};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use std::time::{Duration, Instant};

/// How progress of a call is shown.
pub struct Progress<'a> {
    pub out: &'a Output,
    /// Print `--events` lines on stdout.
    pub events: bool,
    /// Event name prefix of deltas, e.g. `fragment`.
    pub subject: &'a str,
}

impl Progress<'_> {
    pub fn event(&self, event: Event) {
        if self.events {
            self.out.emit(&event);
        }
    }

    /// Lazy edits stream as `edit.*` events, whole fragments as `fragment.*`.
    fn edits(&self) -> bool {
        self.subject == "edit"
    }
}

/// Makes the structured call, with `check` as the semantic checks, and returns the
/// validated answer. Errors are already reported as events when `--events` is on.
pub fn structured_call(
    settings: &Settings,
    resolved: &ResolvedModel,
    request: &ChatRequest,
    repair_rounds: u32,
    check: &(dyn Fn(&Value) -> Vec<String> + Sync),
    progress: &Progress,
) -> CliResult<StructuredOutput> {
    let endpoint = settings.endpoint(resolved)?;
    let base_url = endpoint.base_url.clone();
    let client = LlmClient::new(endpoint, settings.client_options())?;
    let runtime = super::runtime()?;
    let bar = status_bar(progress.out);
    // Without a live status line (a CI log, a pipe), plain lines say what happens,
    // one each, so a long call is never silent (hidden by -q).
    let plain = !progress.out.show_progress();
    if plain {
        progress.out.info(format!(
            "asking {}{}…",
            resolved.model.full_id(),
            request
                .max_tokens
                .map(|m| format!(" (up to {m} output tokens)"))
                .unwrap_or_default()
        ));
    }
    let started = Instant::now();
    let mut stats = super::journal::CallStats::default();
    let model_label = resolved.model.full_id();
    let mut text = String::new();
    let mut on_event = |event: LlmEvent| match event {
        LlmEvent::Delta(delta) => {
            stats.first_token(started);
            text.push_str(&delta);
            progress.event(if progress.edits() {
                Event::EditDelta {
                    text: delta.clone(),
                }
            } else {
                Event::FragmentDelta {
                    text: delta.clone(),
                }
            });
            // The status line quotes the model's words: shown escaped, never obeyed.
            bar.set_message(
                escape(
                    &status_line(&model_label, started.elapsed(), &text),
                    Keep::Nothing,
                )
                .into_owned(),
            );
        }
        LlmEvent::Retrying {
            attempt,
            wait,
            reason,
        } => {
            stats.retries += 1;
            progress.event(Event::LlmRetry {
                attempt,
                wait_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                reason: reason.clone(),
            });
            let line = format!(
                "retrying in {:.1}s (attempt {attempt}): {reason}",
                wait.as_secs_f64()
            );
            if plain {
                progress.out.info(&line);
            }
            bar.println(escape(&line, Keep::Nothing));
        }
        LlmEvent::Repairing { round, errors } => {
            text.clear();
            progress.event(if progress.edits() {
                Event::EditRepair {
                    round,
                    errors: errors.clone(),
                }
            } else {
                Event::FragmentRepair {
                    round,
                    errors: errors.clone(),
                }
            });
            let line = format!(
                "answer invalid, asking for repair {round}: {}",
                errors.join("; ")
            );
            if plain {
                progress.out.info(&line);
            }
            bar.println(escape(&line, Keep::Nothing));
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            result = client.structured(request, repair_rounds, check, &mut on_event) => result,
            _ = tokio::signal::ctrl_c() => Err(LlmError::Cancelled),
        }
    });
    bar.finish_and_clear();
    if let (true, Ok(answer)) = (plain, &result) {
        progress.out.info(format!(
            "answered in {:.1}s · {} in / {} out tokens",
            started.elapsed().as_secs_f64(),
            answer.usage.input_tokens,
            answer.usage.output_tokens
        ));
    }
    super::journal::record_call(progress.out, resolved, request, &result, &stats, started);
    result.map_err(|e| {
        progress.event(Event::Error {
            kind: e.kind().to_string(),
            message: e.to_string(),
        });
        let reach = matches!(e.kind(), "connect" | "timeout" | "server");
        let mut error = CliError::from(e);
        if matches!(error.exit, Exit::Cancelled) {
            error.message = "cancelled; nothing was written".into();
        } else if reach {
            // Which server, and what to try: a bare "cannot connect" names neither.
            error.message = format!(
                "{} at {}: {}\n  how to fix: is the server running and the base URL right? \
                 `codingit models check {}` tests it; retry later for a server error",
                resolved.provider.id, base_url, error.message, resolved.provider.id
            );
        }
        error
    })
}

fn status_bar(out: &Output) -> ProgressBar {
    if !out.show_progress() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {wide_msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// `model · 3.2s · ~512 tokens · Title — commentary…`
fn status_line(model: &str, elapsed: Duration, text: &str) -> String {
    let mut line = format!(
        "{model} · {:.1}s · ~{} tokens",
        elapsed.as_secs_f64(),
        text.len() / 4
    );
    if let Some(title) = partial_string_field(text, "title").filter(|t| !t.is_empty()) {
        line.push_str(&format!(" · {title}"));
    }
    if let Some(commentary) = partial_string_field(text, "commentary").filter(|c| !c.is_empty()) {
        let flat: String = commentary.split_whitespace().collect::<Vec<_>>().join(" ");
        let tail: String = flat
            .chars()
            .rev()
            .take(60)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        line.push_str(&format!(" — {tail}"));
    }
    line
}

/// The validated answer as `T`; `what` names it in the error.
pub fn parse_answer<T: serde::de::DeserializeOwned>(
    answer: &StructuredOutput,
    what: &str,
) -> CliResult<T> {
    serde_json::from_value(answer.value.clone()).map_err(|e| {
        CliError::new(
            Exit::InvalidOutput,
            format!("the {what} does not deserialise: {e}"),
        )
    })
}

/// Cost in dollars when the catalog has prices.
pub fn cost(resolved: &ResolvedModel, usage: &codingit::llm::Usage) -> Option<f64> {
    resolved.model.cost(usage.input_tokens, usage.output_tokens)
}

/// The model for a generating command: resolved, not an apply-only model, and able to
/// see images when some are attached.
pub fn resolve_model(
    settings: &Settings,
    flag: Option<&str>,
    has_images: bool,
) -> CliResult<ResolvedModel> {
    let spec = settings.model_spec(flag)?;
    let resolved = settings.models.resolve(&spec)?;
    // An id the catalog does not know, for a local server that lists what it serves: a
    // typo is caught here, with the close names, not as the server's 404 later.
    if !resolved.in_catalog {
        if let Some(served) = settings.served_models(&resolved.provider) {
            if !served.contains(&resolved.model.id) {
                let close = codingit::catalog::models::closest(
                    &resolved.model.id,
                    served.iter().map(String::as_str),
                );
                let hint = match close.as_slice() {
                    [] => format!("it serves: {}", served.join(", ")),
                    close => format!("did you mean: {}?", close.join(", ")),
                };
                return Err(CliError::new(
                    Exit::Usage,
                    format!(
                        "`{}` does not serve `{}` ({hint})",
                        resolved.provider.id, resolved.model.id
                    ),
                ));
            }
        }
    }
    if resolved.provider.apply_only {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "{} only merges edits (edit --applier morph); choose a model that generates code",
                resolved.model.full_id()
            ),
        ));
    }
    if has_images && !resolved.model.multimodal {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "{} does not accept images\n  how to fix: choose a multimodal model (`codingit models --multimodal`) or drop --image",
                resolved.model.full_id()
            ),
        ));
    }
    Ok(resolved)
}
