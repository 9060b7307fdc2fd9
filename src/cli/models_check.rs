//! `codingit models check`: a minimal real request per provider or model.

use super::exit::CliResult;
use super::output::Output;
use codingit::config::Settings;

pub fn run(_target: Option<&str>, _settings: &Settings, _out: &Output) -> CliResult {
    Err(super::not_built("models check"))
}
