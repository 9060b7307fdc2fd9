//! `codingit new`: from a sentence to a project folder.

use super::args::{ChatArgs, NewArgs};
use super::check::{show_outcome, CheckOutcome, FixLoop, Judge, Meter, DEFAULT_FIX_ROUNDS};
use super::exit::{CliError, CliResult, Exit};
use super::generate::{cost, parse_answer, resolve_model, Progress};
use super::input::{read_image, read_prompt};
use super::output::{Output, SCHEMA_VERSION};
use super::turns;
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::events::Event;
use codingit::fragment::checks::offered_templates;
use codingit::fragment::project::{
    check_target, folder_name, open_root, path_problems, unique_folder, write_new, HistoryEntry,
};
use codingit::fragment::prompt::system_prompt;
use codingit::fragment::request::{
    assistant_entry, fragment_problems, fragment_request, user_history_text,
};
use codingit::fragment::Fragment;
use codingit::llm::{Message, StructuredOutput};
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
    progress.event(Event::FragmentCompleted {
        fragment: Box::new(fragment.clone()),
        usage: answer.usage,
        repair_rounds: answer.repair_rounds,
    });

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
            "log_id": super::journal::log_id(),
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
    progress.event(Event::ProjectWritten {
        folder: dir.display().to_string(),
        files: files.clone(),
    });
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
        super::check::check_result(outcome, &dir)?;
    }
    if args.run {
        return super::sandbox_view::run_folder(&dir, &args.sandbox, args.events, settings, out);
    }
    Ok(())
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
            turns::project_turn(&chat_args, settings, out, feedback, model.as_deref(), meter)?;
        if !out.json {
            turns::show(out, &chat_args, &fixed);
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
            "log_id": super::journal::log_id(),
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
