//! Generate until it works, as the commands run it: the loop is the library's
//! (`codingit::check::fix_loop`); here its steps judge in the command's sandbox, ask
//! for a fix through the command's turn and budget meter, and show each round
//! (docs/check.md). `run --check` is the judgement alone.

pub mod args;
mod judge;
mod meter;
mod show;

pub use args::{FixArgs, JudgeArgs};
pub use judge::Judge;
pub use meter::Meter;

use super::exit::{CliError, CliResult, Exit};
use super::output::Output;
use codingit::check::feedback::feedback;
use codingit::check::fix_loop::{run_fix_loop, FixSteps, LoopEvent, Stop};
pub use codingit::check::fix_loop::{CheckOutcome, Spend, Termination, DEFAULT_FIX_ROUNDS};
use codingit::check::CheckReport;
use codingit::config::Settings;
use codingit::events::Event;
use std::path::Path;

/// The command's result for a checked generation: exit 0 when passed, else the
/// documented code.
pub fn check_result(outcome: CheckOutcome, dir: &Path) -> CliResult {
    let last = outcome.rounds.last().map(|r| r.round).unwrap_or(0);
    let folder = dir.display();
    match outcome.termination_reason {
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
                outcome.note.as_deref().unwrap_or("the budget is spent")
            ),
        )),
        Termination::Cancelled => Err(CliError::new(
            Exit::Cancelled,
            format!("stopped (Ctrl-C); {folder} is as after round {last}"),
        )),
    }
}

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
    /// asks `fix_turn` for fixes (`codingit::check::fix_loop`). `fix_turn` writes its
    /// round like any turn (undo snapshot, history) and returns its usage and cost.
    pub fn run(
        &self,
        dir: &Path,
        first: Spend,
        fix_turn: &mut dyn FnMut(&str) -> CliResult<Spend>,
    ) -> CliResult<CheckOutcome> {
        let mut steps = Steps {
            fix_loop: self,
            dir,
            fix_turn,
        };
        run_fix_loop(
            &mut steps,
            self.fix_rounds,
            first,
            self.meter.unpriced_note(),
        )
    }
}

/// The loop's steps in a command: its judge, its turns, its meter, its output.
struct Steps<'a, 'b> {
    fix_loop: &'a FixLoop<'b>,
    dir: &'a Path,
    fix_turn: &'a mut dyn FnMut(&str) -> CliResult<Spend>,
}

impl FixSteps for Steps<'_, '_> {
    type Error = CliError;

    fn judge(&mut self) -> CliResult<CheckReport> {
        let l = self.fix_loop;
        let left = l.meter.time_left()?;
        l.judge.judge_dir(self.dir, l.settings, l.out, left)
    }

    fn fix(&mut self, text: &str) -> CliResult<Spend> {
        (self.fix_turn)(text)
    }

    fn feedback(&self, report: &CheckReport) -> String {
        let l = self.fix_loop;
        feedback(
            report,
            &l.judge.fixed_files(),
            &super::journal::redactor(l.settings),
        )
    }

    fn stops(&self, error: &CliError) -> Option<Stop> {
        match error.exit {
            Exit::Budget => Some(Stop::Budget {
                by_time: self.fix_loop.meter.exhausted_by_time(),
            }),
            Exit::Cancelled => Some(Stop::Cancelled),
            Exit::InvalidOutput | Exit::EditRefused | Exit::Refused => Some(Stop::UnusableFix),
            _ => None,
        }
    }

    fn on_event(&mut self, event: LoopEvent<'_>) {
        let l = self.fix_loop;
        let emit = |event: Event| {
            if l.events {
                l.out.emit(&event);
            }
        };
        match event {
            LoopEvent::Judging { round } => emit(Event::CheckStarted { round }),
            LoopEvent::Judged { round, report } => {
                emit(Event::CheckResult {
                    round,
                    passed: report.passed(),
                    checks: report.checks.clone(),
                });
                show::round(l.out, l.events, round, report);
            }
            LoopEvent::Fixing { round } => emit(Event::FixRound { round }),
        }
    }
}

/// Prints the outcome for people (JSON callers get it inside their document).
pub fn show_outcome(out: &Output, events: bool, outcome: &CheckOutcome) {
    show::outcome(out, events, outcome);
}
