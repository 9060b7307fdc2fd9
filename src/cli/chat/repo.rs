//! A turn of `chat` on a repository: the context selected, the model's multi-file
//! edits merged all or nothing, the patch shown (or written), and git used when asked.

use crate::cli::args::ChatArgs;
use crate::cli::check::Meter;
use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::generate::resolve_model;
use crate::cli::generate::{cost, Progress};
use crate::cli::input::read_image;
use crate::cli::output::{Output, SCHEMA_VERSION};
use crate::cli::turns::{context_view, tell_recovered, Ask, ContextView, TurnResult};
use codingit::config::Settings;
use codingit::events::ChangeEvent;
use codingit::events::Event;
use codingit::fragment::project::HistoryEntry;
use codingit::fragment::request::{assistant_entry, user_history_text};
use codingit::fragment::turn::history_messages;
use codingit::llm::Message;
use codingit::repo::check::mode_of;
use codingit::repo::git::{commit_message, Git};
use codingit::repo::patch::sections;
use codingit::repo::prompt;
use codingit::repo::select::{select, SelectRequest};
use codingit::repo::store::RepoStore;

/// Context budget when the model's window is unknown.
const DEFAULT_CONTEXT_TOKENS: u64 = 24_000;

/// Checks git's preconditions (`--commit`, `--branch`) before any model is asked.
pub(super) fn git_for(args: &ChatArgs) -> CliResult<Option<Git>> {
    if !args.repo.commit {
        return Ok(None);
    }
    let git = Git::discover(&args.dir).ok_or_else(|| {
        CliError::new(
            Exit::Usage,
            format!(
                "--commit: {} is not in a git work tree (or git is not installed)\n  how to fix: run `git init` there, or leave out --commit",
                args.dir.display()
            ),
        )
    })?;
    if !args.repo.allow_dirty {
        let dirty = git.dirty_paths()?;
        if !dirty.is_empty() {
            let shown: Vec<&str> = dirty.iter().take(5).map(String::as_str).collect();
            return Err(CliError::new(
                Exit::Usage,
                format!(
                    "--commit: the work tree has uncommitted changes ({}{})\n  how to fix: commit or stash them first, or pass --allow-dirty (the commit still holds only the files this turn changes)",
                    shown.join(", "),
                    if dirty.len() > 5 { ", …" } else { "" }
                ),
            ));
        }
    }
    if let Some(branch) = &args.repo.branch {
        git.check_new_branch(branch)?;
    }
    Ok(Some(git))
}

/// One repository turn, on the files `--file` names (`folder.explicit`) or a selection.
pub(super) fn turn(
    args: &ChatArgs,
    settings: &Settings,
    out: &Output,
    prompt_text: &str,
    model: Option<&str>,
    meter: &Meter,
    folder: &super::Folder,
) -> CliResult<TurnResult> {
    let explicit = folder.explicit.as_slice();
    let git = folder.git.as_ref();
    let store = RepoStore::open(&args.dir, args.repo.history_in_repo && !args.dry_run)?;
    tell_recovered(out, &store.recovered);
    let model = model
        .map(str::to_string)
        .or_else(|| crate::cli::turns::recorded_model(&store.history, settings));
    let resolved = resolve_model(settings, model.as_deref(), !args.image.is_empty())?;
    let window = resolved.model.context_window;
    let budget = args.repo.context_tokens.unwrap_or(if window > 0 {
        (window / 2).clamp(2_000, 100_000)
    } else {
        DEFAULT_CONTEXT_TOKENS
    });
    let root = &store.turns.files;
    let selection = select(
        &args.dir,
        root,
        &SelectRequest {
            instruction: prompt_text,
            budget_tokens: budget,
            explicit,
        },
    )?;
    let context = context_view(&selection, budget);
    tell_context(out, &context);
    let mut messages = vec![Message::system(prompt::system_prompt())];
    messages.extend(history_messages(&store.history));
    let mut user = Message::user(prompt::user_message(&selection, prompt_text));
    for image in &args.image {
        user.parts.push(read_image(image)?);
    }
    messages.push(user);
    let progress = Progress {
        out,
        events: args.events,
        subject: "edit",
    };
    progress.event(Event::ChatContext {
        files: context.files.clone(),
        listed: context.listed,
        tokens: context.tokens,
        budget,
    });
    let allowed = (!explicit.is_empty()).then(|| {
        selection
            .files
            .iter()
            .map(|(p, _)| p.clone())
            .collect::<Vec<_>>()
    });
    let asked = Ask {
        settings,
        resolved: &resolved,
        temperature: args.model.temperature,
        repair_rounds: args.model.repair_rounds,
        progress: &progress,
        meter,
        root,
        allowed: allowed.as_deref(),
    };
    let (parsed, set, answer) = asked.ask(messages)?;
    let mode_of = |path: &str| mode_of(root, path);
    let sections = sections(&set, &mode_of);
    let patch: String = sections.iter().map(|s| s.patch.clone()).collect();
    let mut result = TurnResult {
        schema_version: SCHEMA_VERSION,
        folder: args.dir.display().to_string(),
        kind: "repository",
        dry_run: args.dry_run,
        commentary: parsed.commentary.clone(),
        changes: sections
            .into_iter()
            .map(|s| ChangeEvent {
                path: s.path,
                status: s.status.to_string(),
                from: s.from,
                diff: s.patch,
            })
            .collect(),
        model: resolved.model.full_id(),
        usage: answer.usage,
        cost_usd: cost(&resolved, &answer.usage),
        check: None,
        patch: Some(patch.clone()),
        commit: None,
        branch: None,
        context: Some(context),
    };
    if let Some(path) = &args.repo.patch_out {
        codingit::fsutil::write_atomic(path, patch.as_bytes()).map_err(|e| {
            CliError::new(
                Exit::Failure,
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
    }
    if args.dry_run {
        return Ok(result);
    }
    if let (Some(git), Some(branch)) = (git, &args.repo.branch) {
        if !folder.branch_made.replace(true) {
            git.create_branch(branch)?;
        }
        result.branch = Some(branch.clone());
    }
    let mut history = store.history.clone();
    history.push(HistoryEntry::now(
        "user",
        user_history_text(prompt_text, args.image.len()),
    ));
    history.push(assistant_entry(&answer, &resolved));
    store.turns.apply(&set.changes, None, &history)?;
    {
        let mut changed = folder.changed.borrow_mut();
        for path in set.paths() {
            if !changed.0.contains(&path) {
                changed.0.push(path);
            }
        }
        changed.1.get_or_insert_with(|| parsed.commentary.clone());
    }
    if !folder.defer_commit {
        result.commit = commit_turns(folder)?;
    }
    Ok(result)
}

/// `--commit`: commits every file this command's turns changed, with the first
/// turn's commentary as the message. `None` without `--commit`.
pub(super) fn commit_turns(folder: &super::Folder) -> CliResult<Option<String>> {
    let Some(git) = &folder.git else {
        return Ok(None);
    };
    let (paths, commentary) = folder.changed.borrow().clone();
    if paths.is_empty() {
        return Err(CliError::new(
            Exit::Failure,
            "--commit: the turn changed no file, so nothing was committed",
        ));
    }
    let message = commit_message(commentary.as_deref().unwrap_or_default());
    git.commit(&paths, &message).map(Some).map_err(|e| {
        CliError::new(
            Exit::Failure,
            format!("{e}\n  the files were changed but not committed; `codingit chat --undo` puts back the last turn"),
        )
    })
}

/// `-v`: what the model is shown, and what was left out and why.
fn tell_context(out: &Output, context: &ContextView) {
    if out.verbosity < 1 {
        return;
    }
    out.info(format!(
        "context: {} of {} files in full, about {} of {} tokens",
        context.files.len(),
        context.listed,
        context.tokens,
        context.budget
    ));
    for file in &context.files {
        out.info(format!("  sent: {file}"));
    }
    for (file, why) in &context.left_out {
        out.info(format!("  left out ({why}): {file}"));
    }
    for file in &context.not_fitted {
        out.info(format!("  relevant, did not fit: {file}"));
    }
}
