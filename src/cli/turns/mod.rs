//! A turn as the commands that make one (`chat`, `new`'s fix rounds, `edit FILE...`)
//! ask for it and show it. The turn's rules are the library's (`fragment::turn`,
//! `repo::check`); this module hands settings over and renders.

mod ask;

pub use ask::Ask;

use crate::cli::args::ChatArgs;
use crate::cli::check::CheckOutcome;
use crate::cli::check::Meter;
use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::generate::{cost, parse_answer, resolve_model, Progress};
use crate::cli::input::read_image;
use crate::cli::output::{Output, SCHEMA_VERSION};
use codingit::config::Settings;
use codingit::events::{ChangeEvent, Event};
use codingit::fragment::project::{apply_turn, unified_diff, FileChange, HistoryEntry, Project};
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
use codingit::repo::select::Selection;
use serde::Serialize;
use serde_json::Value;

/// What was sent, for `--json` and `-v`.
#[derive(Debug, Serialize)]
pub struct ContextView {
    pub files: Vec<String>,
    pub listed: usize,
    pub tokens: u64,
    pub budget: u64,
    pub left_out: Vec<(String, &'static str)>,
    pub not_fitted: Vec<String>,
}

pub fn context_view(selection: &Selection, budget: u64) -> ContextView {
    ContextView {
        files: selection.files.iter().map(|(p, _)| p.clone()).collect(),
        listed: selection.listed,
        tokens: selection.tokens,
        budget,
        left_out: selection
            .left_out
            .iter()
            .map(|(p, why)| (p.clone(), why.as_str()))
            .collect(),
        not_fitted: selection.not_fitted.clone(),
    }
}

/// One turn's outcome.
#[derive(Debug, Serialize)]
pub struct TurnResult {
    pub schema_version: u32,
    pub folder: String,
    /// `project` (made by `new`) or `repository` (any other folder).
    pub kind: &'static str,
    pub dry_run: bool,
    pub commentary: String,
    pub changes: Vec<ChangeEvent>,
    pub model: String,
    pub usage: codingit::llm::Usage,
    pub cost_usd: Option<f64>,
    /// `--check`: how the rounds went (docs/check.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckOutcome>,
    /// A repository turn: every change as one patch in git's format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
    /// `--commit`: the new commit's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// `--branch`: the branch created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// A repository turn: what the model was shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextView>,
}

/// Runs one project turn: ask, merge, and (unless a dry run) write everything or nothing.
pub fn project_turn(
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
pub fn recorded_model(history: &[HistoryEntry], settings: &Settings) -> Option<String> {
    let recorded = history.iter().rev().find_map(|e| e.model.clone())?;
    let spec = settings.model_spec(Some(&recorded)).ok()?;
    let resolved = settings.models.resolve(&spec).ok()?;
    settings.endpoint(&resolved).ok()?;
    Some(recorded)
}

fn change_view(change: &FileChange) -> ChangeEvent {
    let status = match (&change.old, &change.new) {
        (None, Some(_)) => "added",
        (Some(_), None) => "deleted",
        _ => "modified",
    };
    ChangeEvent {
        path: change.path.clone(),
        status: status.to_string(),
        from: None,
        diff: unified_diff(change),
    }
}

pub fn show(out: &Output, args: &ChatArgs, result: &TurnResult) {
    let changes = result
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.status.as_str(), c.diff.as_str()));
    crate::cli::journal::record_changes(out, &result.folder, result.dry_run, changes);
    if args.events {
        return;
    }
    if out.json {
        out.json_value(&crate::cli::journal::with_log_id(result));
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

/// A turn killed half-way was put back when the folder was opened: say so.
pub fn tell_recovered(out: &Output, files: &[String]) {
    if !files.is_empty() {
        out.warn(format!(
            "the last turn was interrupted before it finished; put back {} file(s) as they were before it: {}",
            files.len(),
            files.join(", ")
        ));
    }
}
