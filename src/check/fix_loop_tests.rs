//! The loop's rules against scripted steps: when it ends, what each round records, and
//! how a step's error ends it.

use super::*;
use std::collections::VecDeque;

/// Steps that judge from a script and answer fixes from another.
struct Script {
    verdicts: VecDeque<bool>,
    fixes: VecDeque<Result<Spend, &'static str>>,
    feedback_sent: Vec<String>,
    events: Vec<String>,
}

fn script(verdicts: &[bool], fixes: Vec<Result<Spend, &'static str>>) -> Script {
    Script {
        verdicts: verdicts.iter().copied().collect(),
        fixes: fixes.into(),
        feedback_sent: Vec::new(),
        events: Vec::new(),
    }
}

fn spend(tokens: u64) -> Spend {
    let usage = Usage {
        input_tokens: tokens,
        ..Usage::default()
    };
    (usage, Some(0.01))
}

impl FixSteps for Script {
    type Error = &'static str;
    fn judge(&mut self) -> Result<CheckReport, Self::Error> {
        let passed = self.verdicts.pop_front().ok_or("judged too often")?;
        let check = if passed {
            CheckResult::pass("run", Some(0), "exit 0")
        } else {
            CheckResult::fail("run", Some(1), "ZeroDivisionError", "traceback")
        };
        Ok(CheckReport {
            checks: vec![check],
            duration_ms: 1,
        })
    }
    fn fix(&mut self, feedback: &str) -> Result<Spend, Self::Error> {
        self.feedback_sent.push(feedback.to_string());
        self.fixes.pop_front().unwrap_or(Err("asked too often"))
    }
    fn feedback(&self, report: &CheckReport) -> String {
        report.checks.iter().map(|c| c.summary.clone()).collect()
    }
    fn stops(&self, error: &Self::Error) -> Option<Stop> {
        match *error {
            "over budget" => Some(Stop::Budget { by_time: false }),
            "out of time" => Some(Stop::Budget { by_time: true }),
            "cancelled" => Some(Stop::Cancelled),
            "refused edit" => Some(Stop::UnusableFix),
            _ => None,
        }
    }
    fn on_event(&mut self, event: LoopEvent<'_>) {
        self.events.push(match event {
            LoopEvent::Judging { round } => format!("judging {round}"),
            LoopEvent::Judged { round, report } => format!("judged {round} {}", report.passed()),
            LoopEvent::Fixing { round } => format!("fixing {round}"),
        });
    }
}

#[test]
fn a_failing_round_is_fixed_in_the_next() -> Result<(), &'static str> {
    let mut steps = script(&[false, true], vec![Ok(spend(7))]);
    let outcome = run_fix_loop(&mut steps, 3, spend(5), None)?;
    assert!(outcome.passed);
    assert_eq!(outcome.termination_reason, Termination::Passed);
    let tokens: Vec<u64> = outcome
        .rounds
        .iter()
        .map(|r| r.usage.input_tokens)
        .collect();
    assert_eq!(
        tokens,
        [5, 7],
        "each round records the call that wrote its code"
    );
    assert_eq!(steps.feedback_sent, ["ZeroDivisionError"]);
    assert_eq!(
        steps.events,
        [
            "judging 1",
            "judged 1 false",
            "fixing 2",
            "judging 2",
            "judged 2 true"
        ]
    );
    Ok(())
}

#[test]
fn the_rounds_run_out() -> Result<(), &'static str> {
    let mut steps = script(&[false, false, false], vec![Ok(spend(1)), Ok(spend(1))]);
    let outcome = run_fix_loop(&mut steps, 1, spend(1), None)?;
    assert!(!outcome.passed);
    assert_eq!(outcome.termination_reason, Termination::StillFailing);
    assert_eq!(outcome.rounds.len(), 2, "round 1 and one fix");
    Ok(())
}

#[test]
fn a_step_error_ends_the_loop_as_it_says() {
    for (error, reason, note) in [
        ("over budget", Termination::Budget, "over budget"),
        ("out of time", Termination::Timeout, "out of time"),
        ("cancelled", Termination::Cancelled, "cancelled"),
        (
            "refused edit",
            Termination::StillFailing,
            "round 2: the model's fix could not be used: refused edit",
        ),
    ] {
        let mut steps = script(&[false], vec![Err(error)]);
        let outcome = run_fix_loop(&mut steps, 3, spend(1), Some("unpriced".into()));
        let outcome = outcome.unwrap_or_else(|e| panic!("{error}: {e}"));
        assert_eq!(outcome.termination_reason, reason, "{error}");
        assert_eq!(outcome.note.as_deref(), Some(note), "{error}");
        assert_eq!(outcome.rounds.len(), 1);
    }
    let mut steps = script(&[false], vec![Err("provider down")]);
    assert_eq!(
        run_fix_loop(&mut steps, 3, spend(1), None).err(),
        Some("provider down")
    );
}
