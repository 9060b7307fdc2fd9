//! Generate until it works: `--check` judges what `new` and `chat` wrote in a
//! sandbox, and failed checks go back to the model as a fix turn, within the rounds
//! and the budget (docs/check.md). `run --check` is the judgement alone.

pub mod args;
mod judge;
mod meter;
mod show;

pub use args::{FixArgs, JudgeArgs};
pub use judge::Judge;
pub use meter::Meter;

use super::exit::{CliError, CliResult, Exit};
use super::output::Output;
use codingit::check::{feedback::feedback, CheckReport, CheckResult};
use codingit::config::Settings;
use codingit::events::Event;
use codingit::llm::Usage;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

/// Fix rounds when neither the flag nor the config says.
pub const DEFAULT_FIX_ROUNDS: u32 = 3;

/// How a checked generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    Passed,
    StillFailing,
    Budget,
    Timeout,
    Cancelled,
}

/// One round: the code as written in that round, judged.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    pub round: u32,
    pub checks: Vec<CheckResult>,
    /// Tokens of the model call that wrote this round's code.
    pub usage: Usage,
    pub cost_usd: Option<f64>,
    pub duration_ms: u64,
}

/// The `check` object of `--json` (docs/json-formats.md).
#[derive(Debug, Clone, Serialize)]
pub struct CheckOutcome {
    pub passed: bool,
    pub rounds: Vec<Round>,
    pub termination_reason: Termination,
    /// Why the loop stopped early, or what could not be enforced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CheckOutcome {
    /// The command's result: exit 0 when passed, else the documented code.
    pub fn into_result(self, dir: &Path) -> CliResult {
        let last = self.rounds.last().map(|r| r.round).unwrap_or(0);
        let folder = dir.display();
        match self.termination_reason {
            Termination::Passed => Ok(()),
            Termination::StillFailing => Err(CliError::new(
                Exit::ChecksFailed,
                format!(
                    "checks still failing after round {last}; the last attempt is in {folder} \
                     (`codingit chat -C {folder} --undo` steps back a round)"
                ),
            )),
            Termination::Budget | Termination::Timeout => Err(CliError::new(
                Exit::Budget,
                format!(
                    "stopped after round {last}: {}; the last attempt is in {folder}",
                    self.note.as_deref().unwrap_or("the budget is spent")
                ),
            )),
            Termination::Cancelled => Err(CliError::new(
                Exit::Cancelled,
                format!("stopped (Ctrl-C); {folder} is as after round {last}"),
            )),
        }
    }
}

/// What one model call spent: its tokens, and its cost when the model has a price.
pub type Spend = (Usage, Option<f64>);

/// What the loop needs from the command that owns the conversation.
pub struct FixLoop<'a> {
    pub settings: &'a Settings,
    pub out: &'a Output,
    pub events: bool,
    pub judge: &'a Judge,
    pub meter: &'a Meter,
    pub fix_rounds: u32,
}

impl FixLoop<'_> {
    /// Judges `dir` as round 1 left it (written by a call that used `first`), then
    /// asks `fix_turn` for a fix with the feedback until the checks pass, the rounds
    /// are used up, or the budget or time runs out. `fix_turn` writes its round like
    /// any turn (undo snapshot, history) and returns its usage and cost.
    pub fn run(
        &self,
        dir: &Path,
        first: Spend,
        fix_turn: &mut dyn FnMut(&str) -> CliResult<Spend>,
    ) -> CliResult<CheckOutcome> {
        let mut outcome = CheckOutcome {
            passed: false,
            rounds: Vec::new(),
            termination_reason: Termination::StillFailing,
            note: self.meter.unpriced_note(),
        };
        let mut made = first;
        for round in 1.. {
            let started = Instant::now();
            self.event(Event::CheckStarted { round });
            let report = match self.judge_round(dir) {
                Ok(report) => report,
                Err(e) => return self.stop_on(e, outcome),
            };
            outcome.rounds.push(Round {
                round,
                checks: report.checks.clone(),
                usage: made.0,
                cost_usd: made.1,
                duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            });
            self.event(Event::CheckResult {
                round,
                passed: report.passed(),
                checks: report.checks.clone(),
            });
            show::round(self.out, self.events, round, &report);
            if report.passed() {
                outcome.passed = true;
                outcome.termination_reason = Termination::Passed;
                return Ok(outcome);
            }
            if round > self.fix_rounds {
                return Ok(outcome);
            }
            let text = feedback(
                &report,
                &self.judge.fixed_files(),
                &super::journal::redactor(self.settings),
            );
            self.event(Event::FixRound { round: round + 1 });
            made = match fix_turn(&text) {
                Ok(made) => made,
                Err(e) => return self.stop_on(e, outcome),
            };
        }
        Ok(outcome)
    }

    fn judge_round(&self, dir: &Path) -> CliResult<CheckReport> {
        let left = self.meter.time_left()?;
        self.judge.judge_dir(dir, self.settings, self.out, left)
    }

    /// A budget, time or Ctrl-C stop ends the loop with what was done; other errors
    /// (a provider down, a sandbox failure) are the command's error.
    fn stop_on(&self, error: CliError, mut outcome: CheckOutcome) -> CliResult<CheckOutcome> {
        let round = outcome.rounds.len() + 1;
        let (reason, note) = match (error.exit, self.meter.exhausted_by_time()) {
            (Exit::Budget, true) => (Termination::Timeout, error.message),
            (Exit::Budget, false) => (Termination::Budget, error.message),
            (Exit::Cancelled, _) => (Termination::Cancelled, error.message),
            // The fix answer was unusable: the code stays as the last round left it.
            (Exit::InvalidOutput | Exit::EditRefused | Exit::Refused, _) => (
                Termination::StillFailing,
                format!(
                    "round {round}: the model's fix could not be used: {}",
                    error.message
                ),
            ),
            _ => return Err(error),
        };
        outcome.termination_reason = reason;
        outcome.note = Some(note);
        Ok(outcome)
    }

    fn event(&self, event: Event) {
        if self.events {
            self.out.emit(&event);
        }
    }
}

/// Prints the outcome for people (JSON callers get it inside their document).
pub fn show_outcome(out: &Output, events: bool, outcome: &CheckOutcome) {
    show::outcome(out, events, outcome);
}
