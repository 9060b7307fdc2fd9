//! `codingit models check`: a minimal real request per provider or model, with latency.

use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::output::{table, Output, SCHEMA_VERSION};
use crate::cli::safe_text::{escape, Keep};
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::llm::{ChatRequest, LlmClient, Message};
use console::style;
use serde::Serialize;
use std::time::Instant;

#[derive(Serialize)]
struct CheckResult {
    schema_version: u32,
    provider: String,
    model: String,
    ok: bool,
    latency_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<CheckError>,
}

#[derive(Serialize)]
struct CheckError {
    kind: String,
    message: String,
}

pub fn run(target: Option<&str>, settings: &Settings, out: &Output) -> CliResult {
    let targets = targets(target, settings)?;
    if targets.is_empty() {
        return Err(CliError::new(
            Exit::Auth,
            "no provider is available to check\n  how to fix: set a key (see `codingit models providers`) or name a provider",
        ));
    }
    let runtime = crate::cli::runtime()?;
    let mut results = Vec::new();
    for resolved in targets {
        if out.show_progress() {
            out.status(&format!("checking {} ...", resolved.model.full_id()));
        }
        results.push(runtime.block_on(check_one(settings, &resolved)));
    }
    let failures = results.iter().filter(|r| !r.ok).count();
    if out.json {
        out.json_value(&results);
    } else {
        let mut rows = vec![["MODEL", "RESULT", "LATENCY", "DETAIL"]
            .iter()
            .map(|h| style(*h).bold().to_string())
            .collect::<Vec<_>>()];
        for r in &results {
            rows.push(vec![
                format!("{}/{}", r.provider, r.model),
                match &r.error {
                    None => style("ok").green().to_string(),
                    // The provider works; the model declined this request.
                    Some(e) if e.kind == "refused" => style("refused").yellow().to_string(),
                    Some(e) if e.kind == "truncated" => style("cut off").red().to_string(),
                    Some(_) => style("failed").red().to_string(),
                },
                format!("{} ms", r.latency_ms),
                // The model's words (a reply, a refusal) are shown, never obeyed: even
                // color codes are escaped, so a reply cannot dress up as a result.
                escape(
                    &match &r.error {
                        // The RESULT column already says "refused".
                        Some(e) if e.kind == "refused" => e.message.clone(),
                        Some(e) => format!("{}: {}", e.kind, e.message),
                        None => r.reply.clone().unwrap_or_default(),
                    },
                    Keep::Nothing,
                )
                .into_owned(),
            ]);
        }
        out.styled(&table(&rows));
    }
    match results.iter().find_map(|r| r.error.as_ref()) {
        None => Ok(()),
        Some(first) => Err(CliError::new(
            match first.kind.as_str() {
                "auth" | "missing_key" => Exit::Auth,
                "refused" => Exit::Refused,
                "truncated" => Exit::InvalidOutput,
                _ => Exit::Provider,
            },
            format!("{failures} of {} check(s) failed", results.len()),
        )),
    }
}

/// What to check: a model, the first model of a provider, or every available provider.
fn targets(target: Option<&str>, settings: &Settings) -> CliResult<Vec<ResolvedModel>> {
    let first_model_of = |provider: &str| -> CliResult<ResolvedModel> {
        // A local server that lists its models: a catalog model it serves, else the
        // first it serves (checked as an ad-hoc model of that provider).
        let served = settings
            .models
            .providers
            .get(provider)
            .and_then(|p| settings.served_models(p))
            .filter(|list| !list.is_empty());
        if let Some(served) = served {
            let pick = settings
                .models
                .models
                .iter()
                .find(|m| m.provider == provider && served.contains(&m.id))
                .map_or_else(|| served[0].clone(), |m| m.id.clone());
            return Ok(settings.models.resolve(&format!("{provider}/{pick}"))?);
        }
        let model = settings
            .models
            .models
            .iter()
            .find(|m| m.provider == provider)
            .ok_or_else(|| {
                CliError::new(
                    Exit::Config,
                    format!("provider `{provider}` has no model in the catalog; check it as {provider}/MODEL"),
                )
            })?;
        Ok(settings.models.resolve(&model.full_id())?)
    };
    match target {
        Some(t) if settings.models.providers.contains_key(t) => Ok(vec![first_model_of(t)?]),
        Some(t) => Ok(vec![settings.models.resolve(t)?]),
        None => settings
            .models
            .providers
            .values()
            .filter(|p| !p.apply_only && settings.availability(p).is_available())
            .map(|p| first_model_of(&p.id))
            .collect(),
    }
}

async fn check_one(settings: &Settings, resolved: &ResolvedModel) -> CheckResult {
    let started = Instant::now();
    let mut result = CheckResult {
        schema_version: SCHEMA_VERSION,
        provider: resolved.provider.id.clone(),
        model: resolved.model.id.clone(),
        ok: false,
        latency_ms: 0,
        reply: None,
        error: None,
    };
    let endpoint = match settings.endpoint(resolved) {
        Ok(e) => e,
        Err(e) => {
            result.error = Some(CheckError {
                kind: "missing_key".into(),
                message: first_line(&e.to_string()),
            });
            return result;
        }
    };
    let mut options = settings.client_options();
    // A check reports the first failure instead of waiting out retries.
    options.retry.max_attempts = 1;
    let outcome = match LlmClient::new(endpoint, options) {
        Ok(client) => {
            let mut request = ChatRequest::new(
                resolved.model.id.clone(),
                vec![Message::user("Reply with the single word: ok")],
            );
            // Room for a reasoning model to think before its one word: a smaller limit
            // cuts such models off and the check would fail a working model. Others
            // stop after the word, so the room costs nothing.
            request.max_tokens = Some(1024);
            request.temperature = Some(0.0);
            client.complete(&request, &mut |_| {}).await
        }
        Err(e) => Err(e),
    };
    result.latency_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(completion) if completion.text.trim().is_empty() => {
            // A model that "answers" nothing is not working, whatever the status said.
            result.error = Some(CheckError {
                kind: "empty_reply".into(),
                message: "the model's answer was empty".into(),
            });
        }
        Ok(completion) => {
            result.ok = true;
            result.reply = Some(completion.text.trim().chars().take(40).collect());
        }
        Err(e) => {
            result.error = Some(CheckError {
                kind: e.kind().into(),
                message: first_line(&e.to_string()),
            });
        }
    }
    result
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}
