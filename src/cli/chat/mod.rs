//! `codingit chat`: continue a project's conversation; the model updates its files.

use super::args::ChatArgs;
use super::check::{show_outcome, FixLoop, Judge, Meter, DEFAULT_FIX_ROUNDS};
use super::exit::{CliResult, Exit};
use super::generate::resolve_model;
use super::input::read_prompt;
use super::output::{Output, SCHEMA_VERSION};
use codingit::catalog::ResolvedModel;
use codingit::config::Settings;
use codingit::fragment::project::{undo, Project};
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};

mod folder;
pub(super) mod repo;
use crate::cli::turns::{project_turn, show, TurnResult};
use folder::Folder;

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
    super::check::check_result(outcome, &args.dir)
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

fn describe(resolved: &ResolvedModel) -> String {
    format!("{} ({})", resolved.model.full_id(), resolved.model.name)
}
