//! The flags of checking (`new`, `chat`, `run`) and of fixing (`new`, `chat`).

use clap::Args;
use std::path::PathBuf;

/// How generated code is judged (docs/check.md).
#[derive(Debug, Args, Clone, Default)]
pub struct JudgeArgs {
    /// Run the program in its sandbox after writing and judge it: the cell ends
    /// without an error, or the web app answers with a 2xx (also `check = true`).
    #[arg(long)]
    pub check: bool,
    /// A command run in the sandbox after the files are in place; exit 0 passes
    /// (repeatable; implies checking), e.g. --test "pytest -q".
    #[arg(long = "test", value_name = "CMD")]
    pub tests: Vec<String>,
    /// A test file of yours copied into the sandbox, never editable by the model
    /// (repeatable; kept at its relative path, else by its name).
    #[arg(long = "test-file", value_name = "PATH")]
    pub test_files: Vec<PathBuf>,
    /// The path a web app must answer with a 2xx.
    #[arg(long, value_name = "PATH", default_value = "/")]
    pub check_path: String,
}

/// How many fix rounds, and what they may spend (docs/check.md).
#[derive(Debug, Args, Clone, Default)]
pub struct FixArgs {
    /// Rounds in which failed checks go back to the model for a fix (default 3;
    /// 0 = check only).
    #[arg(long, value_name = "N")]
    pub fix_rounds: Option<u32>,
    /// Stop before a model call that could take the run past this cost in USD.
    #[arg(long, value_name = "USD")]
    pub max_cost: Option<f64>,
    /// Stop before a model call that could take the run past this many tokens.
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u64>,
    /// Stop once this much time has passed, sandbox time included (e.g. 5m).
    #[arg(long, value_name = "DURATION")]
    pub max_time: Option<String>,
}
