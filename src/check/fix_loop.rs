//! Generate until it works: judge what a round wrote, and while checks fail, send the
//! failures back to the model as a fix turn, within the rounds and the budget
//! (docs/check.md). The loop's rules live here; the caller supplies its steps (how to
//! judge, how to ask for a fix, how its errors end the loop) through [`FixSteps`].

use super::CheckReport;
use super::CheckResult;
use crate::llm::Usage;
use serde::Serialize;
use std::time::Instant;

/// Fix rounds when neither the flag nor the config says.
pub const DEFAULT_FIX_ROUNDS: u32 = 3;

/// What one model call spent: its tokens, and its cost when the model has a price.
pub type Spend = (Usage, Option<f64>);

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

/// What happens in the loop, as it happens.
#[derive(Debug)]
pub enum LoopEvent<'a> {
    /// Round `round`'s code is being judged.
    Judging {
        round: u32,
    },
    Judged {
        round: u32,
        report: &'a CheckReport,
    },
    /// Failed checks go back to the model for this round.
    Fixing {
        round: u32,
    },
}

/// How an error of a step ends the loop early (anything else is the caller's error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The budget is spent (`by_time`: the time limit).
    Budget {
        by_time: bool,
    },
    Cancelled,
    /// The model's fix could not be used: the code stays as the last round left it.
    UnusableFix,
}

/// The caller's side of the loop.
pub trait FixSteps {
    type Error: std::fmt::Display;
    /// Judges the code as it is now.
    fn judge(&mut self) -> Result<CheckReport, Self::Error>;
    /// The model's fix for `feedback`, written like any turn; what its call spent.
    fn fix(&mut self, feedback: &str) -> Result<Spend, Self::Error>;
    /// The text that goes back to the model for a failed report.
    fn feedback(&self, report: &CheckReport) -> String;
    /// Whether an error ends the loop with what was done, and how.
    fn stops(&self, error: &Self::Error) -> Option<Stop>;
    fn on_event(&mut self, event: LoopEvent<'_>);
}

/// Judges the code round 1 wrote (its call spent `first`), then asks for fixes until
/// the checks pass, `fix_rounds` fixes were made, or a step stops the loop. `note` is
/// what the outcome says from the start (a limit that cannot be enforced).
pub fn run_fix_loop<S: FixSteps>(
    steps: &mut S,
    fix_rounds: u32,
    first: Spend,
    note: Option<String>,
) -> Result<CheckOutcome, S::Error> {
    let mut outcome = CheckOutcome {
        passed: false,
        rounds: Vec::new(),
        termination_reason: Termination::StillFailing,
        note,
    };
    let mut made = first;
    for round in 1.. {
        let started = Instant::now();
        steps.on_event(LoopEvent::Judging { round });
        let report = match steps.judge() {
            Ok(report) => report,
            Err(e) => return stop_on(steps, e, outcome),
        };
        outcome.rounds.push(Round {
            round,
            checks: report.checks.clone(),
            usage: made.0,
            cost_usd: made.1,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
        steps.on_event(LoopEvent::Judged {
            round,
            report: &report,
        });
        if report.passed() {
            outcome.passed = true;
            outcome.termination_reason = Termination::Passed;
            return Ok(outcome);
        }
        if round > fix_rounds {
            return Ok(outcome);
        }
        let text = steps.feedback(&report);
        steps.on_event(LoopEvent::Fixing { round: round + 1 });
        made = match steps.fix(&text) {
            Ok(made) => made,
            Err(e) => return stop_on(steps, e, outcome),
        };
    }
    Ok(outcome)
}

/// A budget, time or Ctrl-C stop, or an unusable fix, ends the loop with what was
/// done; other errors (a provider down, a sandbox failure) are the caller's.
fn stop_on<S: FixSteps>(
    steps: &S,
    error: S::Error,
    mut outcome: CheckOutcome,
) -> Result<CheckOutcome, S::Error> {
    let round = outcome.rounds.len() + 1;
    let (reason, note) = match steps.stops(&error) {
        Some(Stop::Budget { by_time: true }) => (Termination::Timeout, error.to_string()),
        Some(Stop::Budget { by_time: false }) => (Termination::Budget, error.to_string()),
        Some(Stop::Cancelled) => (Termination::Cancelled, error.to_string()),
        Some(Stop::UnusableFix) => (
            Termination::StillFailing,
            format!("round {round}: the model's fix could not be used: {error}"),
        ),
        None => return Err(error),
    };
    outcome.termination_reason = reason;
    outcome.note = Some(note);
    Ok(outcome)
}

#[cfg(test)]
#[path = "fix_loop_tests.rs"]
mod tests;
