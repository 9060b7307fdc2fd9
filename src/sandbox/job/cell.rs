//! An interpreter cell: the runner protocol. The runner (`runner.py`) runs the main
//! file and writes `result.json`; the host reads it back as [`CellResult`] and brings
//! the artifacts folder's charts home.

use super::{artifacts_root, CellOutcome, RunError, RunProgress, Running};
use crate::check::{ARTIFACTS_DIR, RESULT_FILE};
use crate::sandbox::{artifacts, phase, OutputChunk};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the runner reports in `result.json`. The file is written inside the sandbox,
/// where the program could overwrite it: anything that does not parse is no result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CellResult {
    /// The value of the cell's last expression (a JSON value; `null` when none).
    #[serde(default)]
    pub value: Value,
    /// The exception that ended the cell, if one did.
    #[serde(default)]
    pub error: Option<CellError>,
}

/// The exception that ended a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    /// Its class name, e.g. `ZeroDivisionError`.
    pub name: String,
    /// Its message.
    pub value: String,
    #[serde(default)]
    pub traceback: String,
}

impl CellResult {
    /// The result from the bytes of `result.json` (no file, or one that does not
    /// parse as the runner writes it: no value, no error).
    pub fn parse(bytes: Option<&[u8]>) -> Self {
        bytes
            .and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or_default()
    }
}

impl Running<'_> {
    pub(super) async fn cell(&self) -> Result<CellOutcome, RunError> {
        let job = self.job;
        let (files, request) =
            crate::check::cell(&job.files, &job.main_file, self.plan.exec_timeout());
        let sink = |c: OutputChunk| (self.on_progress)(RunProgress::Output(c));
        let (outcome, result) = self
            .backend
            .run_cell(self.id(), &files, &request, RESULT_FILE, &sink)
            .await?;
        let result = CellResult::parse(result.as_deref());
        phase("code ran, result read");
        let dest = artifacts_root(self.request.artifacts.as_deref(), job)?;
        let collected = artifacts::collect(self.backend, self.id(), ARTIFACTS_DIR, &dest).await?;
        for why in collected.skipped {
            (self.on_progress)(RunProgress::ArtifactSkipped(why));
        }
        Ok(CellOutcome {
            sandbox_id: self.info.id.clone(),
            template: job.template.id.clone(),
            result,
            artifacts: collected.saved,
            exit_code: outcome.exit_code,
            timed_out: outcome.timed_out,
            truncated: outcome.truncated,
            oom_killed: outcome.oom_killed,
            pooled: self.pooled,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_json_as_the_runner_writes_it() {
        let ok = CellResult::parse(Some(
            br#"{"ok": true, "value": "42", "error": null, "artifacts": ["a.png"]}"#,
        ));
        assert_eq!(ok.value, Value::String("42".into()));
        assert_eq!(ok.error, None);
        let failed = CellResult::parse(Some(
            br#"{"ok": false, "value": null, "error": {"name": "ZeroDivisionError", "value": "division by zero", "traceback": "Traceback ..."}, "artifacts": []}"#,
        ));
        assert_eq!(
            failed.error.map(|e| (e.name, e.value)),
            Some(("ZeroDivisionError".into(), "division by zero".into()))
        );
    }

    #[test]
    fn a_missing_or_forged_result_is_no_result() {
        for bytes in [None, Some(&b"not json"[..]), Some(br#"{"error": 7}"#)] {
            assert_eq!(CellResult::parse(bytes), CellResult::default());
        }
    }
}
