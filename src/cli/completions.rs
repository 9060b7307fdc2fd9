//! `codingit completions SHELL`: completion scripts generated from the clap surface.

use super::args::{Cli, CompletionsArgs};
use super::output::Output;
use clap::CommandFactory;

/// The completion script for `shell`, as committed in `completions/`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "codingit", &mut buffer);
    buffer
}

pub fn run(args: CompletionsArgs, out: &Output) {
    out.raw(&script(args.shell));
}
