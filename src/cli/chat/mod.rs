//! `codingit chat`: continue a project's conversation; the model updates its files.

use super::args::ChatArgs;
use super::check::{show_outcome, CheckOutcome, FixLoop, Judge, Meter, DEFAULT_FIX_ROUNDS};
use super::exit::{CliError, CliResult, Exit};
use super::generate::resolve_model;
use super::generate::{cost, parse_answer, Progress};
use super::input::{read_image, read_prompt};
use super::output::{Output, SCHEMA_VERSION};
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::events::Event;
use codingit::fragment::project::{
    apply_turn, undo, unified_diff, FileChange, HistoryEntry, Project,
};
use codingit::fragment::prompt::{chat_request, files_block, system_prompt};
use codingit::fragment::request::{
    assistant_entry, fragment_problems, fragment_request, user_history_text,
};
use codingit::fragment::schema::strict_schema_for;
use codingit::fragment::turn::{
    history_messages, lazy_problems, merge_lazy, whole_fragment_changes,
};
use codingit::fragment::{Fragment, LazyAnswer};
use codingit::llm::{Message, OutputSchema};
use serde::Serialize;
use serde_json::{json, Value};
use std::io::{BufRead, IsTerminal, Write};

mod folder;
pub(super) mod repo;
use folder::Folder;
pub use folder::RepoArgs;

/// One turn's outcome.
#[derive(Debug, Serialize)]
pub(super) struct TurnResult {
    schema_version: u32,
    folder: String,
    /// `project` (made by `new`) or `repository` (any other folder).
    kind: &'static str,
    dry_run: bool,
    commentary: String,
    changes: Vec<ChangeView>,
    model: String,
    pub(super) usage: codingit::llm::Usage,
    pub(super) cost_usd: Option<f64>,
    /// `--check`: how the rounds went (docs/check.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<CheckOutcome>,
    /// A repository turn: every change as one patch in git's format.
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<String>,
    /// `--commit`: the new commit's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    /// `--branch`: the branch created.
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<String>,
    /// A repository turn: what the model was shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<repo::ContextView>,
}

use codingit::events::ChangeEvent as ChangeView;

pub fn run(args: ChatArgs, settings: &Settings, out: &Output) -> CliResult {
    if args.undo {
        return run_undo(&args, out);
    }
    let mut folder = Folder::of(&args)?;
    if args.prompt.is_none()
        && args.repo.files.iter().all(|f| f != "-")
        && std::io::stdin().is_terminal()
    {
        return interactive(args, settings, out, &folder);
    }
    let prompt = read_prompt(args.prompt.as_deref())?;
    let model = args.model.model.clone();
    let meter = Meter::new(&args.fix, settings)?;
    let judge = match args.dry_run {
        true => None,
        false => Judge::from_args(&args.judge, &args.sandbox, settings, true, Some(&args.dir))?
            .map(|judge| judge.with_template(args.repo.template.clone())),
    };
    folder.defer_commit = judge.is_some();
    let asked = match judge.as_ref().and_then(Judge::acceptance_text) {
        Some(text) => format!("{prompt}{text}"),
        None => prompt,
    };
    let mut result = turn(
        &args,
        settings,
        out,
        &asked,
        model.as_deref(),
        &meter,
        &folder,
    )?;
    let Some(judge) = judge else {
        show(out, &args, &result);
        return Ok(());
    };
    if !out.json {
        show(out, &args, &result);
    }
    let fix_loop = FixLoop {
        settings,
        out,
        events: args.events,
        judge: &judge,
        meter: &meter,
        fix_rounds: args
            .fix
            .fix_rounds
            .or(settings.file.check.fix_rounds)
            .unwrap_or(DEFAULT_FIX_ROUNDS),
    };
    let mut fix_turn = |feedback: &str| {
        let fixed = turn(
            &args,
            settings,
            out,
            feedback,
            model.as_deref(),
            &meter,
            &folder,
        )?;
        if !out.json {
            show(out, &args, &fixed);
        }
        Ok((fixed.usage, fixed.cost_usd))
    };
    let outcome = fix_loop.run(&args.dir, (result.usage, result.cost_usd), &mut fix_turn)?;
    show_outcome(out, args.events, &outcome);
    result.check = Some(outcome.clone());
    if folder.git.is_some() {
        if outcome.passed {
            result.commit = repo::commit_turns(&folder)?;
            if let (Some(commit), false) = (&result.commit, out.json) {
                out.info(format!(
                    "checks passed; committed {}",
                    &commit[..commit.len().min(12)]
                ));
            }
        } else {
            out.warn("the checks did not pass, so nothing was committed (the files are written; `codingit chat --undo` puts back the last turn)");
        }
    }
    if out.json {
        show(out, &args, &result);
    }
    outcome.into_result(&args.dir)
}

fn run_undo(args: &ChatArgs, out: &Output) -> CliResult {
    let restored = if codingit::fragment::project::is_project(&args.dir) {
        undo(&args.dir)?
    } else {
        codingit::repo::store::RepoStore::open(&args.dir, false)?
            .turns
            .undo()?
    };
    if out.json {
        out.json_value(
            &json!({ "schema_version": SCHEMA_VERSION, "folder": args.dir, "restored": restored }),
        );
    } else {
        out.line(format!(
            "restored {} file(s) in {} to before the last turn",
            restored.len(),
            args.dir.display()
        ));
        for path in restored {
            out.line(format!("  {path}"));
        }
    }
    Ok(())
}

/// Runs one turn on a project or a repository.
fn turn(
    args: &ChatArgs,
    settings: &Settings,
    out: &Output,
    prompt: &str,
    model: Option<&str>,
    meter: &Meter,
    folder: &Folder,
) -> CliResult<TurnResult> {
    if folder.repository {
        return repo::turn(args, settings, out, prompt, model, meter, folder);
    }
    project_turn(args, settings, out, prompt, model, meter)
}

/// Runs one project turn: ask, merge, and (unless a dry run) write everything or nothing.
pub(super) fn project_turn(
    args: &ChatArgs,
    settings: &Settings,
    out: &Output,
    prompt: &str,
    model: Option<&str>,
    meter: &Meter,
) -> CliResult<TurnResult> {
    let project = Project::open(&args.dir)?;
    tell_recovered(out, &project.recovered);
    let model = model
        .map(str::to_string)
        .or_else(|| recorded_model(&project.history, settings));
    let resolved = resolve_model(settings, model.as_deref(), !args.image.is_empty())?;
    let offered = vec![project.fragment.template.clone()];
    let current = project.current_files();
    let mut messages = vec![Message::system(system_prompt(
        &settings.templates,
        &offered,
        None,
    ))];
    messages.extend(history_messages(&project.history));
    let mut user = Message::user(format!(
        "{}\n{}",
        files_block(&current),
        chat_request(prompt, args.lazy)
    ));
    for image in &args.image {
        user.parts.push(read_image(image)?);
    }
    let history_user = HistoryEntry::now("user", user_history_text(prompt, args.image.len()));
    messages.push(user);
    let mut request = fragment_request(
        settings,
        &resolved,
        messages,
        args.model.temperature,
        &offered,
    );
    let progress = Progress {
        out,
        events: args.events,
        subject: if args.lazy { "edit" } else { "fragment" },
    };
    let rounds = settings.repair_rounds(args.model.repair_rounds);
    let (fragment, changes, answer) = if args.lazy {
        request.schema = Some(OutputSchema {
            name: "lazy_edits".into(),
            schema: strict_schema_for::<LazyAnswer>(),
        });
        let check = |value: &Value| lazy_problems(value, &current, &project);
        let answer = meter.call(settings, &resolved, &mut request, rounds, &check, &progress)?;
        let lazy: LazyAnswer = parse_answer(&answer, "edits")?;
        let (fragment, changes) = merge_lazy(&project.fragment, &current, &lazy)
            .map_err(|e| CliError::new(Exit::EditRefused, e))?;
        (fragment, changes, answer)
    } else {
        let check = |value: &Value| {
            let mut problems = fragment_problems(value, settings, &offered);
            if problems.is_empty() {
                if let Ok(fragment) = serde_json::from_value::<Fragment>(value.clone()) {
                    problems.extend(
                        project.path_problems(fragment.all_files().iter().map(|(p, _)| *p)),
                    );
                }
            }
            problems
        };
        let answer = meter.call(settings, &resolved, &mut request, rounds, &check, &progress)?;
        let fragment: Fragment = parse_answer(&answer, "fragment")?;
        let changes = whole_fragment_changes(&project.fragment, &fragment, &current);
        (fragment, changes, answer)
    };
    let result = TurnResult {
        schema_version: SCHEMA_VERSION,
        folder: args.dir.display().to_string(),
        kind: "project",
        dry_run: args.dry_run,
        commentary: fragment.commentary.clone(),
        changes: changes.iter().map(change_view).collect(),
        model: resolved.model.full_id(),
        usage: answer.usage,
        cost_usd: cost(&resolved, &answer.usage),
        check: None,
        patch: None,
        commit: None,
        branch: None,
        context: None,
    };
    if !args.dry_run {
        let mut history = project.history.clone();
        history.push(history_user);
        history.push(assistant_entry(&answer, &resolved));
        apply_turn(&args.dir, &changes, &fragment, &history)?;
    }
    progress.event(Event::ChatApplied {
        dry_run: args.dry_run,
        changes: result.changes.clone(),
    });
    Ok(result)
}

/// The model that wrote the conversation's last turn, when none is named and it can
/// still be used here (in the catalog, with its key): a conversation keeps its model.
fn recorded_model(history: &[HistoryEntry], settings: &Settings) -> Option<String> {
    let recorded = history.iter().rev().find_map(|e| e.model.clone())?;
    let spec = settings.model_spec(Some(&recorded)).ok()?;
    let resolved = settings.models.resolve(&spec).ok()?;
    settings.endpoint(&resolved).ok()?;
    Some(recorded)
}

fn change_view(change: &FileChange) -> ChangeView {
    let status = match (&change.old, &change.new) {
        (None, Some(_)) => "added",
        (Some(_), None) => "deleted",
        _ => "modified",
    };
    ChangeView {
        path: change.path.clone(),
        status: status.to_string(),
        from: None,
        diff: unified_diff(change),
    }
}

pub(super) fn show(out: &Output, args: &ChatArgs, result: &TurnResult) {
    let changes = result
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.status.as_str(), c.diff.as_str()));
    super::logs::record_changes(out, &result.folder, result.dry_run, changes);
    if args.events {
        return;
    }
    if out.json {
        out.json_value(&super::logs::with_log_id(result));
        return;
    }
    for change in &result.changes {
        out.diff(&change.diff);
    }
    let verb = if result.dry_run {
        "would change"
    } else {
        "changed"
    };
    out.info(format!(
        "{} · {verb} {} file(s) · {}",
        result.model,
        result.changes.len(),
        result.commentary.lines().next().unwrap_or_default()
    ));
    if let Some(commit) = &result.commit {
        let on = result
            .branch
            .as_deref()
            .map(|b| format!(" on new branch {b}"))
            .unwrap_or_default();
        out.info(format!("committed {}{on}", &commit[..commit.len().min(12)]));
    }
}

/// The interactive loop on a terminal: each line is a turn; `/undo`, `/diff`, `/run`,
/// `/model ID`, `/exit`.
fn interactive(args: ChatArgs, settings: &Settings, out: &Output, folder: &Folder) -> CliResult {
    if !folder.repository {
        Project::open(&args.dir)?;
    }
    let mut model = args.model.model.clone();
    let mut last_diff = String::new();
    out.info("chat: type a request; /undo, /diff, /run, /model ID, /exit");
    let stdin = std::io::stdin();
    loop {
        out.stderr_raw("> ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        if stdin.lock().read_line(&mut line).unwrap_or(0) == 0 {
            return Ok(());
        }
        let line = line.trim();
        match line
            .split_once(' ')
            .map(|(c, rest)| (c, rest.trim()))
            .unwrap_or((line, ""))
        {
            ("", _) => continue,
            ("/exit" | "/quit", _) => return Ok(()),
            ("/undo", _) => {
                if let Err(e) = run_undo(&args, out) {
                    out.error(&e.message);
                }
            }
            ("/diff", _) => out.diff(&last_diff),
            ("/model", id) if !id.is_empty() => match resolve_model(settings, Some(id), false) {
                Ok(resolved) => {
                    out.info(format!("model: {}", describe(&resolved)));
                    model = Some(id.to_string());
                }
                Err(e) => out.error(&e.message),
            },
            ("/run", _) => {
                // The backend, limits and opt-outs the user chose, not defaults.
                let ran =
                    super::sandbox_view::run_folder(&args.dir, &args.sandbox, false, settings, out);
                if let Err(e) = ran {
                    if !e.message.is_empty() {
                        out.error(&e.message);
                    }
                }
            }
            (command, _) if command.starts_with('/') => {
                out.error(&format!("unknown command {command}"))
            }
            _ => match turn(
                &args,
                settings,
                out,
                line,
                model.as_deref(),
                &Meter::unlimited(),
                folder,
            ) {
                Ok(result) => {
                    last_diff = result.changes.iter().map(|c| c.diff.clone()).collect();
                    show(out, &args, &result);
                }
                Err(e) if e.exit == Exit::Cancelled => out.info("cancelled"),
                Err(e) => out.error(&e.message),
            },
        }
    }
}

/// A turn killed half-way was put back when the folder was opened: say so.
pub(super) fn tell_recovered(out: &Output, files: &[String]) {
    if !files.is_empty() {
        out.warn(format!(
            "the last turn was interrupted before it finished; put back {} file(s) as they were before it: {}",
            files.len(),
            files.join(", ")
        ));
    }
}

fn describe(resolved: &ResolvedModel) -> String {
    format!("{} ({})", resolved.model.full_id(), resolved.model.name)
}
