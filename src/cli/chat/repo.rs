//! A turn of `chat` on a repository: the context selected, the model's multi-file
//! edits merged all or nothing, the patch shown (or written), and git used when asked.

use super::{ChangeView, TurnResult};
use crate::cli::args::ChatArgs;
use crate::cli::check::Meter;
use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::generate::resolve_model;
use crate::cli::generate::{cost, parse_answer, Progress};
use crate::cli::input::read_image;
use crate::cli::output::{Output, SCHEMA_VERSION};
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::events::Event;
use codingit::fragment::project::{path_problems, HistoryEntry};
use codingit::fragment::request::{assistant_entry, structured_request, user_history_text};
use codingit::fragment::schema::strict_schema_for;
use codingit::fragment::turn::history_messages;
use codingit::llm::{Message, StructuredOutput};
use codingit::repo::answer::{plan, ChangeSet, RepoAnswer};
use codingit::repo::git::{commit_message, Git};
use codingit::repo::patch::sections;
use codingit::repo::prompt;
use codingit::repo::select::{select, SelectRequest, Selection};
use codingit::repo::store::RepoStore;
use codingit::safefs::{Kind, Root};
use serde::Serialize;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};

/// Context budget when the model's window is unknown.
const DEFAULT_CONTEXT_TOKENS: u64 = 24_000;

/// What was sent, for `--json` and `-v`.
#[derive(Debug, Serialize)]
pub(super) struct ContextView {
    files: Vec<String>,
    listed: usize,
    tokens: u64,
    budget: u64,
    left_out: Vec<(String, &'static str)>,
    not_fitted: Vec<String>,
}

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
    super::tell_recovered(out, &store.recovered);
    let model = model
        .map(str::to_string)
        .or_else(|| super::recorded_model(&store.history, settings));
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
            .map(|s| ChangeView {
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

/// A request for multi-file edits and the checks its answer must pass.
pub(crate) struct Ask<'a> {
    pub settings: &'a Settings,
    pub resolved: &'a ResolvedModel,
    pub temperature: Option<f32>,
    pub repair_rounds: Option<u32>,
    pub progress: &'a Progress<'a>,
    pub meter: &'a Meter,
    /// The folder the paths are relative to.
    pub root: &'a Root,
    /// When given, the only files the answer may touch.
    pub allowed: Option<&'a [String]>,
}

impl Ask<'_> {
    /// Asks; every answer whose edits do not all merge goes back for repair (the
    /// engine's refusals, path problems). Returns the answer, its change set and the
    /// raw output (for the history).
    pub(crate) fn ask(
        &self,
        messages: Vec<Message>,
    ) -> CliResult<(RepoAnswer, ChangeSet, StructuredOutput)> {
        let (settings, resolved, root) = (self.settings, self.resolved, self.root);
        let mut request = structured_request(
            settings,
            resolved,
            messages,
            self.temperature,
            "repository_edits",
            strict_schema_for::<RepoAnswer>(),
        );
        let read = |path: &str| read_current(root, path);
        let engine_refused = AtomicBool::new(false);
        let check = |value: &Value| -> Vec<String> {
            let answer: RepoAnswer = match serde_json::from_value(value.clone()) {
                Ok(a) => a,
                Err(e) => return vec![format!("the answer does not have the expected shape: {e}")],
            };
            let mut problems = match plan(&answer, &read, self.allowed) {
                Ok(set) => {
                    engine_refused.store(false, Ordering::Relaxed);
                    path_problems(root, set.changes.iter().map(|c| c.path.as_str()))
                }
                Err(problems) => {
                    engine_refused.store(true, Ordering::Relaxed);
                    problems
                }
            };
            problems.dedup();
            problems
        };
        let rounds = settings.repair_rounds(self.repair_rounds);
        let answer = self
            .meter
            .call(
                settings,
                resolved,
                &mut request,
                rounds,
                &check,
                self.progress,
            )
            .map_err(|e| match e.exit {
                // The model kept proposing edits the engine refuses: say so with the
                // edit code (a cut-off or malformed answer keeps its own code).
                Exit::InvalidOutput if engine_refused.load(Ordering::Relaxed) => {
                    CliError::new(Exit::EditRefused, e.message)
                }
                _ => e,
            })?;
        let parsed: RepoAnswer = parse_answer(&answer, "edits")?;
        let set = plan(&parsed, &read, self.allowed)
            .map_err(|problems| CliError::new(Exit::EditRefused, problems.join("\n")))?;
        Ok((parsed, set, answer))
    }
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

/// A file's text as an edit sees it: missing is `None`; a link, folder, FIFO or
/// binary file cannot be edited (said in words the model can act on).
pub(crate) fn read_current(root: &Root, path: &str) -> Result<Option<String>, String> {
    match root.metadata(path) {
        Err(e) if e.is_not_found() => return Ok(None),
        Err(_) => return Err(
            "cannot be reached from the repository without following a link; choose another path"
                .into(),
        ),
        Ok(meta) if meta.kind != Kind::File => {
            return Err("is not a regular file (a link, folder or device); leave it alone".into())
        }
        Ok(_) => {}
    }
    let bytes = root
        .read(path, codingit::fragment::project::FILE_MAX_BYTES)
        .map_err(|e| format!("cannot be read: {e}"))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "is a binary file; it cannot be edited as text".into())
}

pub(crate) fn mode_of(root: &Root, path: &str) -> Option<u32> {
    root.metadata(path).ok().map(|m| m.mode)
}

fn context_view(selection: &Selection, budget: u64) -> ContextView {
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
