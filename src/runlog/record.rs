//! Writing one record: a model call, a sandbox run, or a turn's file changes.
//!
//! Every text goes through the [`Redactor`] first, and every record is one
//! `BEGIN IMMEDIATE` transaction so concurrent processes queue on the lock (up to the
//! busy timeout) instead of failing half-way.

use super::{now_ms, Redactor, RunLog, RunLogError};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

/// How a call or run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Failed,
    /// A run recorded when its sandbox started, so its id can be printed before it
    /// ends (a served app); stays so when the process was killed before the end.
    Running,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Running => "running",
        }
    }
}

/// What the record is about, shared by every kind.
#[derive(Debug, Clone, Default)]
pub struct Common {
    /// The codingit command: `new`, `chat`, `edit`, `run`.
    pub command: String,
    /// The project folder (absolute when known).
    pub project: Option<String>,
    pub outcome: Option<Outcome>,
    /// The error kind when it failed (`auth`, `timeout`, `invalid_output`, …).
    pub error_kind: Option<String>,
    pub duration_ms: Option<u64>,
}

/// One model call.
#[derive(Debug, Clone, Default)]
pub struct CallRecord {
    pub common: Common,
    pub provider: String,
    pub model: String,
    /// The system prompt, stored once by its hash.
    pub system: Option<String>,
    /// The conversation sent (without the system prompt), as JSON.
    pub messages: serde_json::Value,
    /// The accepted answer's raw text (or the error message).
    pub answer: Option<String>,
    pub structured: Option<serde_json::Value>,
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub cached_tokens: Option<u64>,
    pub cost_usd: Option<f64>,
    pub first_token_ms: Option<u64>,
    pub retries: u32,
    pub repair_rounds: u32,
}

/// One sandbox run.
#[derive(Debug, Clone, Default)]
pub struct RunRecord {
    pub common: Common,
    pub backend: Option<String>,
    pub template: Option<String>,
    pub sandbox_id: Option<String>,
    pub exit_code: Option<i64>,
    pub checks: Option<serde_json::Value>,
    pub artifacts: Vec<String>,
}

/// One file changed by a turn (`chat`, `edit`).
#[derive(Debug, Clone, Default)]
pub struct ChangeRecord {
    pub path: String,
    /// `added`, `modified`, `deleted`.
    pub status: String,
    pub diff: String,
}

fn opt_i64(v: Option<u64>) -> Option<i64> {
    v.map(|n| i64::try_from(n).unwrap_or(i64::MAX))
}

impl RunLog {
    /// Records a model call; returns its log id.
    pub fn record_call(
        &mut self,
        call: &CallRecord,
        redactor: &Redactor,
    ) -> Result<i64, RunLogError> {
        let r = |s: &str| redactor.redact(s).into_owned();
        let messages = r(&call.messages.to_string());
        let answer = call.answer.as_deref().map(r);
        let structured = call.structured.as_ref().map(|v| r(&v.to_string()));
        let system = call.system.as_deref().map(r);
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = insert_record(
                &tx,
                "call",
                &call.common,
                Some(&call.provider),
                Some(&call.model),
                call.cost_usd,
            )?;
            let system_hash = match &system {
                Some(text) => {
                    let hash = format!("{:x}", Sha256::digest(text.as_bytes()));
                    tx.execute(
                        "INSERT OR IGNORE INTO system_prompts(hash, text) VALUES (?1, ?2)",
                        params![hash, text],
                    )?;
                    Some(hash)
                }
                None => None,
            };
            tx.execute(
                "INSERT INTO calls(record_id, system_hash, messages, answer, structured,
                    input_tokens, output_tokens, cached_tokens, first_token_ms, retries, repair_rounds)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    id,
                    system_hash,
                    messages,
                    answer,
                    structured,
                    opt_i64(call.input_tokens),
                    opt_i64(call.output_tokens),
                    opt_i64(call.cached_tokens),
                    opt_i64(call.first_token_ms),
                    call.retries,
                    call.repair_rounds
                ],
            )?;
            tx.execute(
                "INSERT INTO search(rowid, prompt, answer) VALUES (?1, ?2, ?3)",
                params![id, messages, answer.as_deref().unwrap_or_default()],
            )?;
            tx.commit()?;
            Ok(id)
        })();
        self.settle_wal();
        result.map_err(|e| self.err(e))
    }

    /// Records a sandbox run; returns its log id.
    pub fn record_run(&mut self, run: &RunRecord, redactor: &Redactor) -> Result<i64, RunLogError> {
        let checks = run
            .checks
            .as_ref()
            .map(|v| redactor.redact(&v.to_string()).into_owned());
        let artifacts = serde_json::Value::from(run.artifacts.clone()).to_string();
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = insert_record(&tx, "run", &run.common, None, None, None)?;
            tx.execute(
                "INSERT INTO runs(record_id, backend, template, sandbox_id, exit_code, checks, artifacts)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, run.backend, run.template, run.sandbox_id, run.exit_code, checks, artifacts],
            )?;
            tx.commit()?;
            Ok(id)
        })();
        self.settle_wal();
        result.map_err(|e| self.err(e))
    }

    /// Completes the run record `id` made when the run started (outcome `running`)
    /// with how it ended; records it anew when that row is gone (pruned meanwhile).
    pub fn finish_run(
        &mut self,
        id: i64,
        run: &RunRecord,
        redactor: &Redactor,
    ) -> Result<i64, RunLogError> {
        let checks = run
            .checks
            .as_ref()
            .map(|v| redactor.redact(&v.to_string()).into_owned());
        let artifacts = serde_json::Value::from(run.artifacts.clone()).to_string();
        let common = &run.common;
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let updated = tx.execute(
                "UPDATE records SET project = coalesce(?2, project), outcome = ?3,
                    error_kind = ?4, duration_ms = ?5 WHERE id = ?1 AND kind = 'run'",
                params![
                    id,
                    common.project,
                    common.outcome.unwrap_or(Outcome::Ok).as_str(),
                    common.error_kind,
                    opt_i64(common.duration_ms)
                ],
            )?;
            if updated == 1 {
                tx.execute(
                    "UPDATE runs SET exit_code = ?2, checks = ?3, artifacts = ?4 WHERE record_id = ?1",
                    params![id, run.exit_code, checks, artifacts],
                )?;
            }
            tx.commit()?;
            Ok(updated == 1)
        })();
        match result {
            Ok(true) => {
                self.settle_wal();
                Ok(id)
            }
            Ok(false) => self.record_run(run, redactor),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Attaches a turn's file changes to the latest call record of this process's
    /// `command` in `project` (`call_id`), or makes a `turn` record of its own when
    /// there was no model call (`edit --snippet`). Returns the record id.
    pub fn record_changes(
        &mut self,
        common: &Common,
        call_id: Option<i64>,
        changes: &[ChangeRecord],
        redactor: &Redactor,
    ) -> Result<i64, RunLogError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let existing = match call_id {
                Some(id) => tx
                    .query_row("SELECT id FROM records WHERE id = ?1", [id], |row| {
                        row.get::<_, i64>(0)
                    })
                    .optional()?,
                None => None,
            };
            let id = match existing {
                // The call ran from the current folder; the turn says which project
                // it changed.
                Some(id) => {
                    if common.project.is_some() {
                        tx.execute(
                            "UPDATE records SET project = ?1 WHERE id = ?2",
                            params![common.project, id],
                        )?;
                    }
                    id
                }
                None => insert_record(&tx, "turn", common, None, None, None)?,
            };
            for change in changes {
                tx.execute(
                    "INSERT INTO changes(record_id, path, status, diff) VALUES (?1, ?2, ?3, ?4)",
                    params![
                        id,
                        redactor.redact(&change.path),
                        change.status,
                        redactor.redact(&change.diff)
                    ],
                )?;
            }
            tx.commit()?;
            Ok(id)
        })();
        self.settle_wal();
        result.map_err(|e| self.err(e))
    }
}

impl RunLog {
    /// Files a call under the project it produced (`new -o DIR --run`): the call was
    /// recorded before the folder existed.
    pub fn set_project(&mut self, id: i64, project: &str) -> Result<(), RunLogError> {
        self.conn
            .execute(
                "UPDATE records SET project = ?1 WHERE id = ?2",
                params![project, id],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}

fn insert_record(
    tx: &rusqlite::Transaction,
    kind: &str,
    common: &Common,
    provider: Option<&str>,
    model: Option<&str>,
    cost: Option<f64>,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO records(ts, kind, command, project, provider, model, outcome, error_kind, cost_usd, duration_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            now_ms(),
            kind,
            common.command,
            common.project,
            provider,
            model,
            common.outcome.unwrap_or(Outcome::Ok).as_str(),
            common.error_kind,
            cost,
            opt_i64(common.duration_ms)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}
