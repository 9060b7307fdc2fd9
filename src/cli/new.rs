//! `codingit new`: from a sentence to a project folder.

use super::args::{ChatArgs, NewArgs};
use super::chat;
use super::check::{show_outcome, CheckOutcome, FixLoop, Judge, Meter, DEFAULT_FIX_ROUNDS};
use super::exit::{CliError, CliResult, Exit};
use super::generate::{cost, parse_answer, Progress};
use super::input::{read_image, read_prompt};
use super::output::{Output, SCHEMA_VERSION};
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::fragment::checks::{check_fragment, offered_templates};
use codingit::fragment::project::{
    check_target, folder_name, open_root, path_problems, unique_folder, write_new, HistoryEntry,
    TokenUsage,
};
use codingit::fragment::prompt::system_prompt;
use codingit::fragment::schema::strict_schema_for;
use codingit::fragment::Fragment;
use codingit::llm::{ChatRequest, Message, OutputSchema, StructuredOutput};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

pub fn run(args: NewArgs, settings: &Settings, out: &Output) -> CliResult {
    let prompt = read_prompt(args.prompt.as_deref())?;
    let template_choice = settings.template_spec(args.template.as_deref());
    let offered = offered_templates(&settings.templates, &template_choice)?;
    let resolved = resolve_model(
        settings,
        args.model.model.as_deref(),
        !args.image.is_empty(),
    )?;
    if let Some(dir) = &args.out {
        check_target(dir, args.force)?;
    }
    let images = args
        .image
        .iter()
        .map(|p| read_image(p))
        .collect::<CliResult<Vec<_>>>()?;
    let extra = match &args.system {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            CliError::new(
                Exit::Usage,
                format!("cannot read --system {}: {e}", path.display()),
            )
        })?),
        None => None,
    };
    let meter = Meter::new(&args.fix, settings)?;
    let judge = match args.dry_run {
        true => None,
        false => Judge::from_args(&args.judge, &args.sandbox, settings, true, None)?,
    };
    let history_user = user_history_text(&prompt, args.image.len());
    let asked = match judge.as_ref().and_then(Judge::acceptance_text) {
        Some(text) => format!("{prompt}{text}"),
        None => prompt,
    };
    let mut user = Message::user(asked);
    user.parts.extend(images);
    let mut request = fragment_request(
        settings,
        &resolved,
        vec![
            Message::system(system_prompt(
                &settings.templates,
                &offered,
                extra.as_deref(),
            )),
            user,
        ],
        args.model.temperature,
        &offered,
    );
    // `new --force` into an existing folder: a model path through a symlink already
    // there (or onto a folder) goes back to the model like any invalid path.
    let existing = args
        .out
        .as_ref()
        .filter(|dir| args.force && dir.is_dir())
        .and_then(|dir| open_root(dir).ok());
    let check = |value: &Value| {
        let mut problems = fragment_problems(value, settings, &offered);
        if let (true, Some(root)) = (problems.is_empty(), &existing) {
            if let Ok(fragment) = serde_json::from_value::<Fragment>(value.clone()) {
                problems.extend(path_problems(
                    root,
                    fragment.all_files().iter().map(|(p, _)| *p),
                ));
            }
        }
        problems
    };
    let progress = Progress {
        out,
        events: args.events,
        subject: "fragment",
    };
    let rounds = settings.repair_rounds(args.model.repair_rounds);
    let answer = meter.call(settings, &resolved, &mut request, rounds, &check, &progress)?;
    let fragment: Fragment = parse_answer(&answer, "fragment")?;
    progress.event("fragment.completed", json!({ "fragment": fragment, "usage": answer.usage, "repair_rounds": answer.repair_rounds }));

    if args.dry_run {
        if args.events {
            return Ok(());
        }
        out.json_value(&json!({
            "schema_version": SCHEMA_VERSION,
            "dry_run": true,
            "fragment": fragment,
            "model": resolved.model.full_id(),
            "usage": answer.usage,
            "log_id": super::logs::log_id(),
        }));
        return Ok(());
    }
    let dir = match &args.out {
        Some(dir) => dir.clone(),
        None => unique_folder(Path::new(""), &folder_name(&fragment.title)),
    };
    let history = vec![
        HistoryEntry::now("user", history_user),
        assistant_entry(&answer, &resolved),
    ];
    let files = write_new(&dir, &fragment, &history, args.force)?;
    progress.event("project.written", json!({ "folder": dir, "files": files }));
    let written = Written {
        dir: &dir,
        files: &files,
        fragment: &fragment,
    };
    let checked = match &judge {
        Some(judge) => {
            if !out.json {
                report(out, &args, &written, &resolved, &answer, None);
            }
            let outcome = fix_rounds(
                &args, settings, out, judge, &meter, &dir, &answer, &resolved,
            )?;
            report(out, &args, &written, &resolved, &answer, Some(&outcome));
            Some(outcome)
        }
        None => {
            report(out, &args, &written, &resolved, &answer, None);
            None
        }
    };
    if let Some(outcome) = checked {
        outcome.into_result(&dir)?;
    }
    if args.run {
        let run_args = super::args::RunArgs {
            path: Some(dir.display().to_string()),
            template: None,
            artifacts: None,
            detach: false,
            timeout: None,
            events: args.events,
            judge: Default::default(),
            sandbox: args.sandbox.clone(),
        };
        return super::run::run(run_args, settings, out);
    }
    Ok(())
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

/// A fragment request: the strict schema, temperature and token limit from settings.
pub fn fragment_request(
    settings: &Settings,
    resolved: &ResolvedModel,
    messages: Vec<Message>,
    temperature: Option<f32>,
    offered: &[String],
) -> ChatRequest {
    let mut request = ChatRequest::new(resolved.model.id.clone(), messages);
    request.schema = Some(OutputSchema {
        name: "fragment".into(),
        schema: fragment_schema(settings, offered),
    });
    if resolved.provider.bounded_schema {
        if let Some(schema) = request.schema.as_mut() {
            add_length_bounds(&mut schema.schema);
        }
    }
    request.temperature = temperature.or(settings.file.llm.temperature);
    request.max_tokens = settings.file.llm.max_tokens;
    request.context_window = Some(resolved.model.context_window).filter(|w| *w > 0);
    request.seed = settings.file.llm.seed;
    request
}

/// The fragment schema narrowed to the offered templates: `template` is one of their
/// ids, `file_path` one of their main files (`run` starts the main file by that name)
/// and, with a single template, `port` is its port. Constrained decoders then cannot
/// pick anything else.
pub fn fragment_schema(settings: &Settings, offered: &[String]) -> Value {
    let templates: Vec<&codingit::catalog::TemplateDef> = offered
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

/// What `new` wrote.
struct Written<'a> {
    dir: &'a PathBuf,
    files: &'a [String],
    fragment: &'a Fragment,
}

/// The checks and fix rounds of `new --check`: each fix is a chat turn on the new
/// project (undo snapshot, history), so `chat --undo` steps back a round.
#[allow(clippy::too_many_arguments)]
fn fix_rounds(
    args: &NewArgs,
    settings: &Settings,
    out: &Output,
    judge: &Judge,
    meter: &Meter,
    dir: &Path,
    answer: &StructuredOutput,
    resolved: &ResolvedModel,
) -> CliResult<CheckOutcome> {
    let chat_args = ChatArgs {
        prompt: None,
        dir: dir.to_path_buf(),
        model: args.model.clone(),
        lazy: false,
        dry_run: false,
        undo: false,
        image: Vec::new(),
        events: args.events,
        judge: args.judge.clone(),
        fix: args.fix.clone(),
        sandbox: args.sandbox.clone(),
        repo: Default::default(),
    };
    let fix_loop = FixLoop {
        settings,
        out,
        events: args.events,
        judge,
        meter,
        fix_rounds: args
            .fix
            .fix_rounds
            .or(settings.file.check.fix_rounds)
            .unwrap_or(DEFAULT_FIX_ROUNDS),
    };
    let model = args.model.model.clone();
    let mut fix_turn = |feedback: &str| {
        let fixed =
            chat::project_turn(&chat_args, settings, out, feedback, model.as_deref(), meter)?;
        if !out.json {
            chat::show(out, &chat_args, &fixed);
        }
        Ok((fixed.usage, fixed.cost_usd))
    };
    let first = (answer.usage, cost(resolved, &answer.usage));
    let outcome = fix_loop.run(dir, first, &mut fix_turn)?;
    show_outcome(out, args.events, &outcome);
    Ok(outcome)
}

fn report(
    out: &Output,
    args: &NewArgs,
    written: &Written,
    resolved: &ResolvedModel,
    answer: &StructuredOutput,
    check: Option<&CheckOutcome>,
) {
    let Written {
        dir,
        files,
        fragment,
    } = written;
    if args.events {
        return;
    }
    if check.is_some() && !out.json {
        return;
    }
    if out.json {
        let mut document = json!({
            "schema_version": SCHEMA_VERSION,
            "folder": dir,
            "files": files,
            "fragment": fragment,
            "model": resolved.model.full_id(),
            "usage": answer.usage,
            "cost_usd": cost(resolved, &answer.usage),
            "repair_rounds": answer.repair_rounds,
            "log_id": super::logs::log_id(),
        });
        if let Some(check) = check {
            document["check"] = json!(check);
        }
        out.json_value(&document);
        return;
    }
    out.line(format!("{} ({})", fragment.title, fragment.template));
    out.line(format!("  folder: {}", dir.display()));
    for file in files.iter() {
        out.line(format!("  wrote:  {file}"));
    }
    if !fragment.additional_dependencies.is_empty() {
        out.line(format!(
            "  needs:  {}",
            fragment.additional_dependencies.join(", ")
        ));
    }
    out.line(format!(
        "  run it: codingit run {}",
        shell_word(&dir.display().to_string())
    ));
    out.info(format!(
        "{} · {} in / {} out tokens{}",
        resolved.model.full_id(),
        answer.usage.input_tokens,
        answer.usage.output_tokens,
        cost(resolved, &answer.usage)
            .map(|c| format!(" · ${c:.4}"))
            .unwrap_or_default()
    ));
}

fn shell_word(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
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
