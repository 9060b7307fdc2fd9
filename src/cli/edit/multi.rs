//! `codingit edit FILE... INSTRUCTION`: one instruction over several named files,
//! merged by the local engine all or nothing. Paths are relative to the current
//! folder and reached through its handle, like `edit --patch`.

use super::write_changes;
use crate::cli::args::EditArgs;
use crate::cli::check::Meter;
use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::generate::resolve_model;
use crate::cli::generate::Progress;
use crate::cli::output::{Output, SCHEMA_VERSION};
use crate::cli::turns::Ask;
use codingit::config::Settings;
use codingit::fragment::checks::check_relative_path;
use codingit::llm::Message;
use codingit::repo::check::mode_of;
use codingit::repo::listing::MAX_SENT_BYTES;
use codingit::repo::patch::sections;
use codingit::repo::prompt;
use codingit::repo::select::Selection;
use codingit::safefs::Root;
use serde_json::json;

/// Splits `FILE... INSTRUCTION`: the last word is the instruction. A last word that
/// names an existing file is refused rather than guessed to be an instruction.
pub(super) fn split(args: &EditArgs) -> Option<CliResult<(Vec<String>, String)>> {
    if args.more.is_empty() {
        return None;
    }
    let mut words: Vec<String> = args.file.iter().map(|f| f.display().to_string()).collect();
    words.extend(args.instruction.iter().cloned());
    words.extend(args.more.iter().cloned());
    let instruction = words.pop().unwrap_or_default();
    if std::path::Path::new(&instruction).is_file() {
        return Some(Err(CliError::new(
            Exit::Usage,
            format!("the last argument `{instruction}` is a file; with several files the instruction comes last: codingit edit a.py b.py \"what to change\""),
        )));
    }
    Some(Ok((words, instruction)))
}

pub(super) fn run(
    args: &EditArgs,
    files: Vec<String>,
    instruction: &str,
    settings: &Settings,
    out: &Output,
) -> CliResult {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::new(Exit::Failure, format!("cannot use the current folder: {e}")))?;
    let root = Root::open(&cwd)
        .map_err(|e| CliError::new(Exit::Failure, format!("cannot use the current folder: {e}")))?;
    let mut shown = Vec::new();
    for file in &files {
        let path = file.trim_start_matches("./").to_string();
        check_relative_path(&path).map_err(|reason| {
            CliError::new(
                Exit::Usage,
                format!("`{file}` {reason}; name files inside the current folder"),
            )
        })?;
        let bytes = root
            .read(&path, MAX_SENT_BYTES)
            .map_err(|e| CliError::new(Exit::Usage, format!("cannot read {path}: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::new(
                Exit::Usage,
                format!("{path} is not UTF-8 text; codingit edits text files only"),
            )
        })?;
        if !shown.iter().any(|(p, _): &(String, String)| p == &path) {
            shown.push((path, text));
        }
    }
    let allowed: Vec<String> = shown.iter().map(|(p, _)| p.clone()).collect();
    let selection = Selection {
        files: shown,
        ..Selection::default()
    };
    let resolved = resolve_model(settings, args.model.model.as_deref(), false)?;
    let progress = Progress {
        out,
        events: false,
        subject: "edit",
    };
    let meter = Meter::unlimited();
    let ask = Ask {
        settings,
        resolved: &resolved,
        temperature: args.model.temperature,
        repair_rounds: args.model.repair_rounds,
        progress: &progress,
        meter: &meter,
        root: &root,
        allowed: Some(&allowed),
    };
    let messages = vec![
        Message::system(prompt::system_prompt()),
        Message::user(prompt::user_message(&selection, instruction)),
    ];
    let (answer, set, _) = ask.ask(messages)?;
    let mode = |path: &str| mode_of(&root, path);
    let sections = sections(&set, &mode);
    let patch: String = sections.iter().map(|s| s.patch.clone()).collect();
    if !args.dry_run {
        write_changes(&root, &set.changes)?;
    }
    let logged = sections
        .iter()
        .map(|s| (s.path.as_str(), s.status, s.patch.as_str()));
    crate::cli::journal::record_changes(out, ".", args.dry_run, logged);
    if out.json {
        out.json_value(&json!({
            "schema_version": SCHEMA_VERSION,
            "status": if set.is_empty() { "unchanged" } else if args.dry_run { "dry_run" } else { "applied" },
            "commentary": answer.commentary,
            "changes": sections,
            "patch": patch,
            "log_id": crate::cli::journal::log_id(),
        }));
        return Ok(());
    }
    if args.dry_run || args.diff {
        out.diff(&patch);
    }
    out.info(answer.commentary.lines().next().unwrap_or_default());
    let verb = if args.dry_run {
        "would change"
    } else {
        "changed"
    };
    out.info(format!("{verb} {} file(s)", sections.len()));
    Ok(())
}
