//! The options of `chat` on a repository and of `logs`.

use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args, Clone, Default)]
pub struct RepoArgs {
    /// In a repository: a file or glob the model sees in full (repeatable; `-` reads a
    /// list from stdin, one per line). Default: chosen by relevance within the budget.
    #[arg(long = "file", value_name = "PATH|GLOB|-")]
    pub files: Vec<String>,
    /// In a repository: tokens of context (map and files) sent (default: from the
    /// model's window).
    #[arg(long, value_name = "N")]
    pub context_tokens: Option<u64>,
    /// Also write the turn's patch (git format) to this file.
    #[arg(long, value_name = "FILE")]
    pub patch_out: Option<PathBuf>,
    /// Commit exactly the changed files, with the turn's commentary as the message.
    #[arg(long, conflicts_with = "dry_run")]
    pub commit: bool,
    /// Create this branch and switch to it before writing (with --commit).
    #[arg(long, value_name = "NAME", requires = "commit")]
    pub branch: Option<String>,
    /// Allow --commit on a work tree with uncommitted changes.
    #[arg(long, requires = "commit")]
    pub allow_dirty: bool,
    /// Keep a repository's conversation in its `.codingit/` instead of the state folder.
    #[arg(long)]
    pub history_in_repo: bool,
    /// In a repository: the template its code runs on for --check/--test (default:
    /// detected from package.json and imports, else the Python interpreter).
    #[arg(short = 't', long, value_name = "ID")]
    pub template: Option<String>,
}

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
