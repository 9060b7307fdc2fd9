//! `codingit logs`: read the run log (latest records, one in full, search, cost
//! totals, prune). What the commands record is `journal`'s.

mod view;

use super::args::{CostGroup, LogsAction, LogsArgs, LogsFilter};
use super::exit::{CliError, CliResult, Exit};
use super::output::{Output, SCHEMA_VERSION};
use codingit::runlog::{self, Filter, GroupBy, RunLog};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
