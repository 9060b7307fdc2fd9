//! The binary's edge: parse arguments, load settings, dispatch, map errors to exit codes.

pub mod args;
mod chat;
pub mod check;
mod completions;
mod doctor;
mod edit;
pub mod exit;
mod files;
mod generate;
mod input;
mod interrupt;
mod journal;
mod logs;
mod models;
mod new;
pub mod output;
mod run;
mod safe_text;
mod sandbox_cmd;
mod sandbox_view;
mod templates;
mod turns;

use args::{Cli, Command};
use clap::Parser;
use exit::{CliError, CliResult, Exit};
use output::Output;

pub fn main() -> std::process::ExitCode {
    codingit::sandbox::phase_start();
    if let Some(code) = sandbox_helper() {
        return code;
    }
    let cli = Cli::parse();
    let out = Output::new(&cli.global);
    init_logging(out.verbosity, out.stderr_color);
    match dispatch(cli, &out) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            if !err.reported && !err.message.is_empty() {
                out.error(&err.message);
            }
            std::process::ExitCode::from(err.exit_code())
        }
    }
}

fn dispatch(cli: Cli, out: &Output) -> CliResult {
    if let Command::Completions(args) = cli.command {
        completions::run(args, out);
        return Ok(());
    }
    let settings = codingit::config::Settings::load(cli.global.config.as_deref())?;
    journal::init(&cli.global, &cli.command, &settings);
    match cli.command {
        Command::Models(args) => models::run(args, &settings, out),
        Command::Templates(args) => templates::run(args, &settings, out),
        Command::New(args) => new::run(args, &settings, out),
        Command::Chat(args) => chat::run(args, &settings, out),
        Command::Edit(args) => edit::run(args, &settings, out),
        Command::Run(args) => run::run(args, &settings, out),
        Command::Files(args) => files::run(args, &settings, out),
        Command::Sandbox(args) => sandbox_cmd::run(args, &settings, out),
        Command::Logs(args) => logs::run(args, out),
        Command::Doctor => doctor::run(&settings, out),
        Command::Completions(_) => Ok(()),
    }
}

/// The hidden helper roles of the sandbox backends (`codingit::sandbox::helpers`).
fn sandbox_helper() -> Option<std::process::ExitCode> {
    use codingit::sandbox::helpers::{run_if_helper, HelperOutcome};
    let args: Vec<String> = std::env::args().collect();
    let out = Output::new(&args::GlobalArgs {
        json: false,
        quiet: 0,
        verbose: 0,
        color: args::ColorChoice::Auto,
        config: None,
        no_log: true,
    });
    match run_if_helper(&args, &|w| out.warn(w))? {
        HelperOutcome::Done => Some(std::process::ExitCode::SUCCESS),
        HelperOutcome::Failed { message, code } => {
            if !message.is_empty() {
                out.error(&message);
            }
            Some(std::process::ExitCode::from(code))
        }
    }
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
