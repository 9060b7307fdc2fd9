//! `codingit logs`: read the run log (latest records, one in full, search, cost
//! totals, prune), and the hooks the other commands record through.

mod hooks;
mod view;

pub use hooks::{
    begin_run, init, log_id, record_call, record_changes, record_check, record_edit, record_run,
    redactor, run_artifacts, with_log_id, CallStats, RunFacts,
};

use super::args::Command;
use super::exit::{CliError, CliResult, Exit};
use super::output::{Output, SCHEMA_VERSION};
use clap::{Args, Subcommand, ValueEnum};
use codingit::runlog::{self, Filter, GroupBy, RunLog};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Args)]
pub struct LogsArgs {
    #[command(subcommand)]
    pub action: Option<LogsAction>,
    #[command(flatten)]
    pub filter: LogsFilter,
}

/// Which records to show; shared by the list, `search` and `cost`.
#[derive(Debug, Args, Clone, Default)]
pub struct LogsFilter {
    /// How many of the latest records (0: all).
    #[arg(
        short = 'n',
        long = "count",
        value_name = "N",
        default_value_t = 20,
        global = true
    )]
    pub count: usize,
    /// Only this model (`provider/model` or the bare id).
    #[arg(long, value_name = "MODEL", global = true)]
    pub model: Option<String>,
    /// Only this project folder.
    #[arg(long, value_name = "DIR", global = true)]
    pub project: Option<String>,
    /// Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`).
    #[arg(long, value_name = "WHEN", global = true)]
    pub since: Option<String>,
    /// Only records of this command (`new`, `chat`, `edit`, `run`).
    #[arg(long, value_name = "COMMAND", global = true)]
    pub command: Option<String>,
    /// Only failures.
    #[arg(long, global = true)]
    pub failed: bool,
}

#[derive(Debug, Subcommand)]
pub enum LogsAction {
    /// The latest records (the default).
    List,
    /// One record in full: conversation, answer, usage, run, changed files.
    Show { id: i64 },
    /// Full-text search over prompts and answers (all words must match).
    Search {
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// Token and cost totals.
    Cost {
        #[arg(long, value_enum, default_value_t = CostGroup::Model)]
        by: CostGroup,
    },
    /// Print the database's path.
    Path,
    /// Delete records older than a duration.
    Prune {
        #[arg(long, value_name = "DURATION", required = true)]
        older_than: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CostGroup {
    Model,
    Day,
    Project,
}

/// The name a command's records carry.
pub fn command_name(command: &Command) -> &'static str {
    match command {
        Command::New(_) => "new",
        Command::Chat(_) => "chat",
        Command::Edit(_) => "edit",
        Command::Run(_) => "run",
        Command::Files(_) => "files",
        Command::Sandbox(_) => "sandbox",
        Command::Models(_) => "models",
        Command::Templates(_) => "templates",
        Command::Completions(_) => "completions",
        Command::Logs(_) => "logs",
        Command::Doctor => "doctor",
    }
}

pub fn run(args: LogsArgs, out: &Output) -> CliResult {
    let path = runlog::default_path().map_err(failure)?;
    let action = args.action.unwrap_or(LogsAction::List);
    if let LogsAction::Path = action {
        if out.json {
            out.json_value(&json!({ "schema_version": SCHEMA_VERSION, "path": path }));
        } else {
            out.line(path.display().to_string());
        }
        return Ok(());
    }
    let mut log = RunLog::open(&path).map_err(failure)?;
    let filter = filter(&args.filter)?;
    match action {
        LogsAction::List | LogsAction::Path => {
            view::entries(out, &log.list(&filter).map_err(failure)?);
        }
        LogsAction::Search { text } => {
            view::entries(out, &log.search(&text.join(" "), &filter).map_err(failure)?);
        }
        LogsAction::Show { id } => match log.show(id).map_err(failure)? {
            Some(doc) => view::record(out, doc),
            None => return Err(CliError::new(Exit::Usage, format!("no log record {id}"))),
        },
        LogsAction::Cost { by } => {
            let group = match by {
                CostGroup::Model => GroupBy::Model,
                CostGroup::Day => GroupBy::Day,
                CostGroup::Project => GroupBy::Project,
            };
            let mut all = filter;
            all.limit = 0;
            view::cost(out, &log.cost(group, &all).map_err(failure)?);
        }
        LogsAction::Prune { older_than } => {
            let age = parse_age(&older_than)?;
            let pruned = log.prune(ms_ago(age)).map_err(failure)?;
            if out.json {
                out.json_value(&json!({ "schema_version": SCHEMA_VERSION, "pruned": pruned }));
            } else {
                out.line(format!("pruned {pruned} record(s)"));
            }
        }
    }
    Ok(())
}

fn failure(e: runlog::RunLogError) -> CliError {
    CliError::new(Exit::Failure, e.to_string())
}

fn filter(args: &LogsFilter) -> CliResult<Filter> {
    let since_ms = match &args.since {
        Some(text) => Some(since(text)?),
        None => None,
    };
    Ok(Filter {
        model: args.model.clone(),
        project: args.project.as_deref().map(|p| {
            std::fs::canonicalize(p)
                .or_else(|_| std::path::absolute(p))
                .map_or_else(|_| p.to_string(), |p| p.display().to_string())
        }),
        since_ms,
        command: args.command.clone(),
        failed: args.failed,
        limit: args.count,
    })
}

/// `1d` ago, or a date/time (`2026-11-30`, `2026-11-30T12:00:00Z`).
fn since(text: &str) -> CliResult<i64> {
    if let Ok(age) = codingit::config::parse_duration(text) {
        return Ok(ms_ago(age));
    }
    let stamp = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_string()
    };
    humantime::parse_rfc3339_weak(&stamp)
        .map(|t| {
            t.duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64)
        })
        .map_err(|_| {
            CliError::new(
                Exit::Usage,
                format!("--since `{text}`: write a duration (`1d`, `2h`) or a date (`2026-11-30`)"),
            )
        })
}

fn parse_age(text: &str) -> CliResult<Duration> {
    codingit::config::parse_duration(text).map_err(|e| CliError::new(Exit::Usage, e))
}

fn ms_ago(age: Duration) -> i64 {
    let now = SystemTime::now()
        .checked_sub(age)
        .unwrap_or(UNIX_EPOCH)
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    now.as_millis() as i64
}
