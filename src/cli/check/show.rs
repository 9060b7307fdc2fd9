//! How checks look to a person: one line per check on stderr as rounds go, the
//! verdict on stdout.

use super::{CheckOutcome, Termination};
use crate::cli::output::Output;
use codingit::check::CheckReport;

pub(super) fn round(out: &Output, events: bool, round: u32, report: &CheckReport) {
    if events || out.json {
        return;
    }
    for check in &report.checks {
        let verdict = if check.passed { "passed" } else { "FAILED" };
        out.info(format!(
            "check round {round}: {} {verdict} ({})",
            check.name, check.summary
        ));
    }
}

pub(super) fn outcome(out: &Output, events: bool, outcome: &CheckOutcome) {
    if events || out.json {
        return;
    }
    let last = outcome.rounds.last().map(|r| r.round).unwrap_or(0);
    let text = match outcome.termination_reason {
        Termination::Passed => format!("checks: passed in round {last}"),
        Termination::StillFailing => format!("checks: still failing after round {last}"),
        Termination::Budget => format!("checks: stopped by the budget after round {last}"),
        Termination::Timeout => format!("checks: stopped by --max-time after round {last}"),
        Termination::Cancelled => format!("checks: cancelled after round {last}"),
    };
    out.line(text);
    if let Some(note) = &outcome.note {
        out.info(note);
    }
}
