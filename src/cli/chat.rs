//! `codingit chat`: continue a project's conversation; the model updates its files.

use super::args::ChatArgs;
use super::exit::{CliError, CliResult, Exit};
use super::generate::{cost, structured_call, Progress};
use super::input::{read_image, read_prompt};
use super::new::{
    assistant_entry, fragment_problems, fragment_request, resolve_model, user_history_text,
};
use super::output::{Output, SCHEMA_VERSION};
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::fragment::checks::{check_path_set, check_relative_path};
use codingit::fragment::project::{
    apply_turn, undo, unified_diff, FileChange, HistoryEntry, Project,
};
use codingit::fragment::prompt::{chat_request, files_block, system_prompt};
use codingit::fragment::schema::strict_schema_for;
use codingit::fragment::{Fragment, FragmentFile, LazyAnswer};
use codingit::llm::{Message, OutputSchema};
use serde::Serialize;
use serde_json::{json, Value};
use std::io::{BufRead, IsTerminal, Write};

/// One turn's outcome.
#[derive(Debug, Serialize)]
struct TurnResult {
    schema_version: u32,
    folder: String,
    dry_run: bool,
    commentary: String,
    changes: Vec<ChangeView>,
    model: String,
    usage: codingit::llm::Usage,
    cost_usd: Option<f64>,
}

#[derive(Debug, Serialize)]
struct ChangeView {
    path: String,
    status: &'static str,
    diff: String,
}

pub fn run(args: ChatArgs, settings: &Settings, out: &Output) -> CliResult {
    if args.undo {
        return run_undo(&args, out);
    }
    if args.prompt.is_none() && std::io::stdin().is_terminal() {
        return interactive(args, settings, out);
    }
    let prompt = read_prompt(args.prompt.as_deref())?;
    let model = args.model.model.clone();
    let result = turn(&args, settings, out, &prompt, model.as_deref())?;
    show(out, &args, &result);
    Ok(())
}

fn run_undo(args: &ChatArgs, out: &Output) -> CliResult {
    let restored = undo(&args.dir)?;
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

/// Runs one turn: ask, merge, and (unless a dry run) write everything or nothing.
fn turn(
    args: &ChatArgs,
    settings: &Settings,
    out: &Output,
    prompt: &str,
    model: Option<&str>,
) -> CliResult<TurnResult> {
    let project = Project::open(&args.dir)?;
    let resolved = resolve_model(settings, model, !args.image.is_empty())?;
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
        let answer = structured_call(settings, &resolved, &request, rounds, &check, &progress)?;
        let lazy: LazyAnswer = serde_json::from_value(answer.value.clone()).map_err(|e| {
            CliError::new(
                Exit::InvalidOutput,
                format!("the edits do not deserialise: {e}"),
            )
        })?;
        let (fragment, changes) = merge_lazy(&project.fragment, &current, &lazy)?;
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
        let answer = structured_call(settings, &resolved, &request, rounds, &check, &progress)?;
        let fragment: Fragment = serde_json::from_value(answer.value.clone()).map_err(|e| {
            CliError::new(
                Exit::InvalidOutput,
                format!("the fragment does not deserialise: {e}"),
            )
        })?;
        let changes = whole_fragment_changes(&project.fragment, &fragment, &current);
        (fragment, changes, answer)
    };
    let result = TurnResult {
        schema_version: SCHEMA_VERSION,
        folder: args.dir.display().to_string(),
        dry_run: args.dry_run,
        commentary: fragment.commentary.clone(),
        changes: changes.iter().map(change_view).collect(),
        model: resolved.model.full_id(),
        usage: answer.usage,
        cost_usd: cost(&resolved, &answer.usage),
    };
    if !args.dry_run {
        let mut history = project.history.clone();
        history.push(history_user);
        history.push(assistant_entry(&answer, &resolved));
        apply_turn(&args.dir, &changes, &fragment, &history)?;
    }
    progress.event(
        "chat.applied",
        json!({ "dry_run": args.dry_run, "changes": result.changes }),
    );
    Ok(result)
}

/// Earlier turns as the model sees them: the user's words, and the assistant's
/// commentary (the files themselves are shown as they are now).
fn history_messages(history: &[HistoryEntry]) -> Vec<Message> {
    history
        .iter()
        .map(|entry| match entry.role.as_str() {
            "assistant" => {
                let commentary = serde_json::from_str::<Value>(&entry.content)
                    .ok()
                    .and_then(|v| v["commentary"].as_str().map(str::to_string))
                    .unwrap_or_else(|| entry.content.chars().take(2000).collect());
                Message::assistant(commentary)
            }
            _ => Message::user(entry.content.clone()),
        })
        .collect()
}

/// A whole new fragment: its files replace the old ones; files of the old fragment
/// that it no longer has are removed. Files the user added are never touched.
fn whole_fragment_changes(
    old: &Fragment,
    new: &Fragment,
    current: &[(String, String)],
) -> Vec<FileChange> {
    let on_disk = |path: &str| {
        current
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.clone())
    };
    let mut changes: Vec<FileChange> = new
        .all_files()
        .iter()
        .filter_map(|(path, code)| {
            let old_content = on_disk(path);
            (old_content.as_deref() != Some(*code)).then(|| FileChange {
                path: path.to_string(),
                old: old_content,
                new: Some(code.to_string()),
            })
        })
        .collect();
    let kept: Vec<&str> = new.all_files().iter().map(|(p, _)| *p).collect();
    for (path, _) in old.all_files() {
        if !kept.contains(&path) {
            if let Some(content) = on_disk(path) {
                changes.push(FileChange {
                    path: path.to_string(),
                    old: Some(content),
                    new: None,
                });
            }
        }
    }
    changes
}

/// Problems of a lazy answer: paths, and edits the merge engine refuses (its refusal
/// text goes back to the model).
fn lazy_problems(value: &Value, current: &[(String, String)], project: &Project) -> Vec<String> {
    let lazy: LazyAnswer = match serde_json::from_value(value.clone()) {
        Ok(l) => l,
        Err(e) => return vec![format!("the answer does not have the expected shape: {e}")],
    };
    let mut problems = Vec::new();
    if lazy.edits.is_empty() {
        problems.push("edits is empty; give at least one file edit".into());
    }
    let paths = || lazy.edits.iter().map(|e| e.file_path.as_str());
    if paths().all(|p| check_relative_path(p).is_ok()) {
        problems.extend(check_path_set(paths()));
        // The merged fragment gains these files: they must not collide with its own.
        let mut all: Vec<&str> = project
            .fragment
            .all_files()
            .iter()
            .map(|(p, _)| *p)
            .collect();
        for path in paths() {
            if !all.contains(&path) {
                all.push(path);
            }
        }
        for problem in check_path_set(all) {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        problems.extend(project.path_problems(paths()));
    }
    for edit in &lazy.edits {
        if let Err(reason) = check_relative_path(&edit.file_path) {
            problems.push(format!("file_path `{}`: {reason}", edit.file_path));
            continue;
        }
        if let Some((_, original)) = current.iter().find(|(p, _)| p == &edit.file_path) {
            if let Err(refusal) = merge_one(original, &edit.edit) {
                problems.push(format!(
                    "the edit of `{}` cannot be applied: {refusal}",
                    edit.file_path
                ));
            }
        }
    }
    problems
}

/// Merges one lazy edit into a file with the local engine.
fn merge_one(original: &str, edit: &str) -> Result<String, String> {
    codingit::apply::apply_edit(original, edit, codingit::apply::EditFormat::Auto)
        .map(|applied| applied.content)
        .map_err(|refusal| refusal.to_model_feedback())
}

fn merge_lazy(
    old: &Fragment,
    current: &[(String, String)],
    lazy: &LazyAnswer,
) -> CliResult<(Fragment, Vec<FileChange>)> {
    let mut fragment = old.clone();
    fragment.commentary = lazy.commentary.clone();
    let mut changes = Vec::new();
    for edit in &lazy.edits {
        let original = current
            .iter()
            .find(|(p, _)| p == &edit.file_path)
            .map(|(_, c)| c.clone());
        let merged = match &original {
            Some(text) => merge_one(text, &edit.edit).map_err(|e| {
                CliError::new(
                    Exit::EditRefused,
                    format!("the edit of {} was refused: {e}", edit.file_path),
                )
            })?,
            None => edit.edit.clone(),
        };
        if original.as_deref() == Some(merged.as_str()) {
            continue;
        }
        if edit.file_path == fragment.file_path {
            fragment.code = merged.clone();
        } else if let Some(file) = fragment
            .files
            .iter_mut()
            .find(|f| f.file_path == edit.file_path)
        {
            file.code = merged.clone();
        } else {
            fragment.files.push(FragmentFile {
                file_path: edit.file_path.clone(),
                code: merged.clone(),
            });
        }
        changes.push(FileChange {
            path: edit.file_path.clone(),
            old: original,
            new: Some(merged),
        });
    }
    Ok((fragment, changes))
}

fn change_view(change: &FileChange) -> ChangeView {
    let status = match (&change.old, &change.new) {
        (None, Some(_)) => "added",
        (Some(_), None) => "deleted",
        _ => "modified",
    };
    ChangeView {
        path: change.path.clone(),
        status,
        diff: unified_diff(change),
    }
}

fn show(out: &Output, args: &ChatArgs, result: &TurnResult) {
    let changes = result
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.status, c.diff.as_str()));
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
}

/// The interactive loop on a terminal: each line is a turn; `/undo`, `/diff`, `/run`,
/// `/model ID`, `/exit`.
fn interactive(args: ChatArgs, settings: &Settings, out: &Output) -> CliResult {
    Project::open(&args.dir)?;
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
                let run_args = super::args::RunArgs {
                    path: Some(args.dir.display().to_string()),
                    template: None,
                    artifacts: None,
                    detach: false,
                    timeout: None,
                    events: false,
                    // The backend, limits and opt-outs the user chose, not defaults.
                    sandbox: args.sandbox.clone(),
                };
                if let Err(e) = super::run::run(run_args, settings, out) {
                    if !e.message.is_empty() {
                        out.error(&e.message);
                    }
                }
            }
            (command, _) if command.starts_with('/') => {
                out.error(&format!("unknown command {command}"))
            }
            _ => match turn(&args, settings, out, line, model.as_deref()) {
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

fn describe(resolved: &ResolvedModel) -> String {
    format!("{} ({})", resolved.model.full_id(), resolved.model.name)
}
