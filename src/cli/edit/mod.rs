//! `codingit edit`: a lazy edit from the model (or a given snippet) merged locally.

use super::args::{Applier, EditArgs, EditFormatArg};
use super::exit::{CliError, CliResult, Exit};
use super::generate::resolve_model;
use super::generate::{structured_call, Progress};
use super::output::{Output, SCHEMA_VERSION};
use codingit::apply::{
    apply_edit, apply_patch, unified_diff, Applied, ChangeKind, EditFormat, Refusal, RefusalCode,
};
use codingit::config::Settings;

mod multi;
mod refusal;
use codingit::fragment::checks::check_relative_path;
use codingit::fragment::project::FileChange as ProjectChange;
use codingit::fragment::prompt::{edit_request, fast_apply_request, EDIT_SYSTEM_PROMPT};
use codingit::fragment::request::structured_request;
use codingit::fragment::schema::strict_schema_for;
use codingit::fragment::write::{patch_writes, write_all_or_nothing, WriteFailure};
use codingit::fragment::SingleEdit;
use codingit::fsutil::write_atomic;
use codingit::llm::{ChatRequest, LlmClient, LlmError, Message};
use codingit::safefs::Root;
use refusal::report_refusal;
use serde_json::{json, Value};
use std::io::Read;
use std::path::Path;

/// Largest file a patch reads or saves for rollback.
const PATCH_FILE_MAX: u64 = 16 << 20;

pub fn run(args: EditArgs, settings: &Settings, out: &Output) -> CliResult {
    if let Some(patch) = &args.patch {
        return run_patch(patch, &args, out);
    }
    if let Some(split) = multi::split(&args) {
        let (files, instruction) = split?;
        return multi::run(&args, files, &instruction, settings, out);
    }
    let file = args
        .file
        .clone()
        .ok_or_else(|| CliError::new(Exit::Usage, "name the file to edit (or use --patch)"))?;
    let original = read_text(&file)?;
    let format = format_of(args.format);
    let (edit, instruction, commentary) = match (&args.snippet, &args.instruction) {
        (Some(source), _) => (read_source(source)?, String::new(), None),
        (None, Some(instruction)) => {
            let answer = ask_model(settings, &args, &file, &original, instruction, out)?;
            (answer.edit, answer.instruction, Some(answer.commentary))
        }
        (None, None) => {
            return Err(CliError::new(
                Exit::Usage,
                "give an instruction (`codingit edit FILE \"what to change\"`) or an edit with --snippet PATH|-",
            ))
        }
    };
    let applied = match args.applier {
        Applier::Local => apply_edit(&original, &edit, format),
        Applier::Morph => {
            morph_merge(settings, &original, &edit, &instruction).map(|content| Applied {
                content,
                format: EditFormat::Lazy,
                levels: Vec::new(),
                warnings: vec!["merged remotely by morph-v3-large".into()],
            })
        }
    };
    let applied = match applied {
        Ok(applied) => applied,
        // The change is already there: nothing to do, and nothing wrong (the model
        // is told so in a repair round; a person gets `unchanged`).
        Err(refusal) if refusal.code == RefusalCode::AlreadyApplied => Applied {
            content: original.clone(),
            format,
            levels: Vec::new(),
            warnings: Vec::new(),
        },
        Err(refusal) => return Err(report_refusal(out, &file, &refusal)),
    };
    let label = file.display().to_string();
    let diff = unified_diff(
        &original,
        &applied.content,
        &format!("a/{label}"),
        &format!("b/{label}"),
    );
    let unchanged = applied.content == original;
    let target = if args.dry_run || unchanged {
        None
    } else {
        Some(write_result(&args, &file, &applied.content, &original)?)
    };
    super::journal::record_edit(out, &file, target.is_some(), &diff);
    if out.json {
        out.json_value(&json!({
            "schema_version": SCHEMA_VERSION,
            "status": if applied.content == original { "unchanged" } else if args.dry_run { "dry_run" } else { "applied" },
            "file": file,
            "written_to": target,
            "format": applied.format,
            "levels": applied.levels,
            "warnings": applied.warnings,
            "commentary": commentary,
            "diff": diff,
            "log_id": super::journal::log_id(),
        }));
        return Ok(());
    }
    for warning in &applied.warnings {
        out.warn(warning);
    }
    if args.dry_run || args.diff {
        out.raw(diff.as_bytes());
    }
    if let Some(commentary) = commentary {
        out.info(commentary);
    }
    if unchanged {
        out.info(format!(
            "{} already has this change; nothing written",
            file.display()
        ));
    }
    match target.as_deref() {
        Some("-") | None => {}
        Some(path) => out.info(format!("edited {path} ({} format)", applied.format)),
    }
    Ok(())
}

fn format_of(arg: EditFormatArg) -> EditFormat {
    match arg {
        EditFormatArg::Auto => EditFormat::Auto,
        EditFormatArg::Lazy => EditFormat::Lazy,
        EditFormatArg::SearchReplace => EditFormat::SearchReplace,
        EditFormatArg::Patch => EditFormat::Patch,
        EditFormatArg::Udiff => EditFormat::Udiff,
    }
}

fn read_text(path: &Path) -> CliResult<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::new(Exit::Usage, format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|_| {
        CliError::new(
            Exit::Usage,
            format!(
                "{} is not UTF-8 text; codingit edits text files only",
                path.display()
            ),
        )
    })
}

/// A file, or stdin for `-`.
fn read_source(source: &str) -> CliResult<String> {
    if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::new(Exit::Usage, format!("cannot read stdin: {e}")))?;
        return Ok(text);
    }
    read_text(Path::new(source))
}

/// Writes the merged text where asked: stdout, another file, or in place (atomically).
fn write_result(args: &EditArgs, file: &Path, merged: &str, original: &str) -> CliResult<String> {
    match args.output.as_deref() {
        Some("-") => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(merged.as_bytes());
            let _ = stdout.flush();
            Ok("-".into())
        }
        Some(path) => {
            write_atomic(Path::new(path), merged.as_bytes())
                .map_err(|e| CliError::new(Exit::Failure, format!("cannot write {path}: {e}")))?;
            Ok(path.to_string())
        }
        None => {
            if merged != original {
                write_atomic(file, merged.as_bytes()).map_err(|e| {
                    CliError::new(
                        Exit::Failure,
                        format!("cannot write {}: {e}", file.display()),
                    )
                })?;
            }
            Ok(file.display().to_string())
        }
    }
}

/// Asks the model for a lazy edit; an edit the engine refuses goes back for repair.
fn ask_model(
    settings: &Settings,
    args: &EditArgs,
    file: &Path,
    original: &str,
    instruction: &str,
    out: &Output,
) -> CliResult<SingleEdit> {
    let resolved = resolve_model(settings, args.model.model.as_deref(), false)?;
    let label = file.display().to_string();
    let user = edit_request(&label, original, instruction);
    let request = structured_request(
        settings,
        &resolved,
        vec![Message::system(EDIT_SYSTEM_PROMPT), Message::user(user)],
        args.model.temperature,
        "file_edit",
        strict_schema_for::<SingleEdit>(),
    );
    let format = format_of(args.format);
    let local = args.applier == Applier::Local;
    // Whether the last answer was refused by the merge engine (not cut off or malformed).
    let engine_refused = std::sync::atomic::AtomicBool::new(false);
    let check = |value: &Value| -> Vec<String> {
        let edit: SingleEdit = match serde_json::from_value(value.clone()) {
            Ok(e) => e,
            Err(e) => return vec![format!("the answer does not have the expected shape: {e}")],
        };
        if !local {
            return Vec::new();
        }
        match apply_edit(original, &edit.edit, format) {
            Ok(_) => {
                engine_refused.store(false, std::sync::atomic::Ordering::Relaxed);
                Vec::new()
            }
            Err(refusal) => {
                engine_refused.store(true, std::sync::atomic::Ordering::Relaxed);
                vec![refusal.to_model_feedback()]
            }
        }
    };
    let progress = Progress {
        out,
        events: false,
        subject: "edit",
    };
    let answer = structured_call(
        settings,
        &resolved,
        &request,
        settings.repair_rounds(args.model.repair_rounds),
        &check,
        &progress,
    )
    .map_err(|e| match e.exit {
        // The model kept proposing edits the engine refuses: say so with the edit code
        // (a cut-off or malformed answer keeps its own code).
        Exit::InvalidOutput
            if local && engine_refused.load(std::sync::atomic::Ordering::Relaxed) =>
        {
            CliError::new(Exit::EditRefused, e.message)
        }
        _ => e,
    })?;
    super::generate::parse_answer(&answer, "edit")
}

/// Sends the merge to Morph's fast-apply model (needs MORPH_API_KEY).
// The refusal is built once per command and shown at once; boxing buys nothing here.
#[allow(clippy::result_large_err)]
fn morph_merge(
    settings: &Settings,
    original: &str,
    edit: &str,
    instruction: &str,
) -> Result<String, Refusal> {
    let to_refusal =
        |message: String| Refusal::new(codingit::apply::RefusalCode::ValidationFailed, message);
    let resolved = settings
        .models
        .resolve("morph/morph-v3-large")
        .map_err(|e| to_refusal(e.to_string()))?;
    let endpoint = settings
        .endpoint(&resolved)
        .map_err(|e| to_refusal(e.to_string()))?;
    let client = LlmClient::new(endpoint, settings.client_options())
        .map_err(|e| to_refusal(e.to_string()))?;
    let content = fast_apply_request(instruction, original, edit);
    let request = ChatRequest::new(resolved.model.id, vec![Message::user(content)]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| to_refusal(e.to_string()))?;
    let result: Result<_, LlmError> = runtime.block_on(client.complete(&request, &mut |_| {}));
    result
        .map(|c| c.text)
        .map_err(|e| to_refusal(format!("morph: {e}")))
}

/// `edit --patch`: a `*** Begin Patch` over several files, applied all or none.
fn run_patch(source: &str, args: &EditArgs, out: &Output) -> CliResult {
    let patch = read_source(source)?;
    // Every patch path resolves beneath the current folder through its handle: a
    // symlink on the way is never followed, for reading or for writing.
    let root = Root::open(&std::env::current_dir().map_err(|e| {
        CliError::new(Exit::Failure, format!("cannot use the current folder: {e}"))
    })?)
    .map_err(|e| CliError::new(Exit::Failure, format!("cannot use the current folder: {e}")))?;
    let read = |path: &str| -> Option<String> {
        check_relative_path(path).ok()?;
        String::from_utf8(root.read(path, PATCH_FILE_MAX).ok()?).ok()
    };
    let changes = match apply_patch(&patch, &read) {
        Ok(changes) => changes,
        Err(refusal) => return Err(report_refusal(out, Path::new(source), &refusal)),
    };
    for change in &changes {
        for path in std::iter::once(&change.path).chain(change.move_to.iter()) {
            if let Err(reason) = check_relative_path(path) {
                return Err(CliError::new(
                    Exit::EditRefused,
                    format!("patch path `{path}` refused: {reason}; nothing was changed"),
                ));
            }
        }
    }
    let diffs: Vec<String> = changes
        .iter()
        .map(|c| {
            let new_path = c.move_to.as_deref().unwrap_or(&c.path);
            unified_diff(
                c.old.as_deref().unwrap_or(""),
                c.new.as_deref().unwrap_or(""),
                &format!("a/{}", c.path),
                &format!("b/{new_path}"),
            )
        })
        .collect();
    if !args.dry_run {
        write_patch(&root, &changes)?;
    }
    let statuses: Vec<&str> = changes
        .iter()
        .map(|c| match c.kind {
            ChangeKind::Add => "added",
            ChangeKind::Update => "modified",
            ChangeKind::Delete => "deleted",
        })
        .collect();
    let logged = changes
        .iter()
        .zip(&statuses)
        .zip(&diffs)
        .map(|((c, status), d)| (c.path.as_str(), *status, d.as_str()));
    super::journal::record_changes(out, ".", args.dry_run, logged);
    if out.json {
        out.json_value(&json!({
            "schema_version": SCHEMA_VERSION,
            "status": if args.dry_run { "dry_run" } else { "applied" },
            "changes": changes.iter().zip(&diffs).map(|(c, d)| json!({
                "path": c.path, "kind": c.kind, "move_to": c.move_to, "diff": d,
            })).collect::<Vec<_>>(),
            "log_id": super::journal::log_id(),
        }));
    } else if args.dry_run || args.diff {
        for diff in &diffs {
            out.raw(diff.as_bytes());
        }
    } else {
        for c in &changes {
            let verb = match c.kind {
                ChangeKind::Add => "added",
                ChangeKind::Update if c.move_to.is_some() => "moved",
                ChangeKind::Update => "updated",
                ChangeKind::Delete => "deleted",
            };
            out.info(format!(
                "{verb} {}",
                c.move_to.as_deref().unwrap_or(&c.path)
            ));
        }
    }
    Ok(())
}

/// Writes a patch's changes beneath `root` with the one all-or-nothing writer.
fn write_patch(root: &Root, changes: &[codingit::apply::PatchedFile]) -> CliResult {
    write_changes(root, &patch_writes(changes))
}

/// [`write_all_or_nothing`] with the exit codes of `edit`: a path that cannot be
/// written safely is a refused edit (nothing written), a failed write a failure.
pub(super) fn write_changes(root: &Root, changes: &[ProjectChange]) -> CliResult {
    write_all_or_nothing(root, changes).map_err(|e| match e {
        WriteFailure::Refused(_) => CliError::new(Exit::EditRefused, format!("refused: {e}")),
        WriteFailure::Failed(_) => CliError::new(Exit::Failure, format!("cannot write: {e}")),
    })
}
