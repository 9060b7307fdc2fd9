//! What the model is told when checks fail: which check, its exit, the error's
//! name, value and traceback, and the end of the output and server log. Bounded
//! (the model's context is not a log store) and redacted (sandboxed output may
//! print a key it found).

use super::CheckReport;
use crate::runlog::Redactor;

/// Characters of detail per failed check.
const DETAIL_CHARS: usize = 3_000;

/// The fix request for a failed judgement. `fixed_files` are the user's test files,
/// which the model must not change.
pub fn feedback(report: &CheckReport, fixed_files: &[String], redactor: &Redactor) -> String {
    let mut text = String::from(
        "The code was run in its sandbox and failed these checks. Fix the code so that every \
         check passes; keep what already works.\n",
    );
    for check in &report.checks {
        let verdict = if check.passed { "passed" } else { "FAILED" };
        let exit = check
            .exit_code
            .map(|c| format!(", exit code {c}"))
            .unwrap_or_default();
        text.push_str(&format!(
            "\n## {}: {verdict}{exit}\n{}\n",
            check.name, check.summary
        ));
        if !check.passed && !check.detail.trim().is_empty() {
            text.push_str(&format!(
                "```\n{}\n```\n",
                last_chars(check.detail.trim(), DETAIL_CHARS)
            ));
        }
    }
    if !fixed_files.is_empty() {
        text.push_str(&format!(
            "\nThese test files are fixed and are not yours to change: {}. Change the code \
             they test.\n",
            fixed_files.join(", ")
        ));
    }
    redactor.redact(&text).into_owned()
}

/// The last `max` characters, marked when cut (the error is at the end).
fn last_chars(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let tail: String = text.chars().skip(count - max).collect();
    format!("[… {} earlier characters cut]\n{tail}", count - max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckResult;

    #[test]
    fn failed_checks_carry_their_detail_bounded_and_redacted() {
        let report = CheckReport {
            checks: vec![
                CheckResult::fail(
                    "run",
                    Some(1),
                    "ZeroDivisionError: division by zero",
                    format!(
                        "{}Traceback: key sk-abcdefghijklmnopqrstuvwxyz0123",
                        "x".repeat(5000)
                    ),
                ),
                CheckResult::pass("test: pytest -q", Some(0), "exit 0"),
            ],
            duration_ms: 5,
        };
        let text = feedback(&report, &["test_app.py".into()], &Redactor::new(Vec::new()));
        assert!(text.contains("## run: FAILED, exit code 1\nZeroDivisionError: division by zero"));
        assert!(text.contains("## test: pytest -q: passed"));
        assert!(text.contains("earlier characters cut"));
        assert!(!text.contains("sk-abcdefghijklmnopqrstuvwxyz0123"));
        assert!(text.contains("test_app.py"));
        assert!(text.len() < 4_000);
    }
}
