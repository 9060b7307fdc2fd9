//! The binary's edge: parse arguments, load settings, dispatch, map errors to exit codes.

pub mod args;
mod completions;
pub mod exit;
mod files;
mod models;
mod models_check;
pub mod output;
mod sandbox_cmd;
mod templates;

use args::{Cli, Command};
use clap::Parser;
use exit::{CliError, CliResult, Exit};
use output::Output;

pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let out = Output::new(&cli.global);
    init_logging(out.verbosity, out.stderr_color);
    match dispatch(cli, &out) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            if !err.reported && !err.message.is_empty() {
                out.error(&err.message);
            }
            std::process::ExitCode::from(err.exit as u8)
        }
    }
}

fn dispatch(cli: Cli, out: &Output) -> CliResult {
    if let Command::Completions(args) = cli.command {
        completions::run(args, out);
        return Ok(());
    }
    let settings = codingit::config::Settings::load(cli.global.config.as_deref())?;
    match cli.command {
        Command::Models(args) => models::run(args, &settings, out),
        Command::Templates(args) => templates::run(args, &settings, out),
        Command::New(_) => Err(not_built("new")),
        Command::Chat(_) => Err(not_built("chat")),
        Command::Edit(_) => Err(not_built("edit")),
        Command::Run(_) => Err(not_built("run")),
        Command::Files(args) => files::run(args, &settings, out),
        Command::Sandbox(args) => sandbox_cmd::run(args, &settings, out),
        Command::Completions(_) => Ok(()),
    }
}

/// The one-line refusal of a command that this build does not have yet.
pub fn not_built(command: &str) -> CliError {
    CliError::new(
        Exit::NotBuilt,
        format!("`codingit {command}` is not built yet in this version"),
    )
}

/// Logs go to stderr; -v raises the level, -q lowers it.
fn init_logging(verbosity: i8, color: bool) {
    let level = match verbosity {
        i8::MIN..=-2 => None,
        -1 => Some(tracing::Level::ERROR),
        0 => Some(tracing::Level::WARN),
        1 => Some(tracing::Level::INFO),
        2 => Some(tracing::Level::DEBUG),
        _ => Some(tracing::Level::TRACE),
    };
    if let Some(level) = level {
        let _ = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_writer(std::io::stderr)
            .with_ansi(color)
            .with_target(false)
            .without_time()
            .try_init();
    }
}

/// A multi-threaded runtime for the commands that talk to the network.
pub fn runtime() -> CliResult<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            CliError::new(
                Exit::Failure,
                format!("cannot start the async runtime: {e}"),
            )
        })
}
