//! Reading the log back: lists with filters, one record in full, full-text search,
//! cost totals and pruning.

use super::{RunLog, RunLogError};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Row};
use serde::Serialize;
use serde_json::{json, Value};

/// Which records a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub model: Option<String>,
    pub project: Option<String>,
    /// Only records at or after this time (Unix ms).
    pub since_ms: Option<i64>,
    pub command: Option<String>,
    pub failed: bool,
    /// Latest N; 0 means all.
    pub limit: usize,
}

/// One line of `logs`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub id: i64,
    /// Unix ms.
    pub ts: i64,
    pub kind: String,
    pub command: String,
    pub project: Option<String>,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub outcome: String,
    pub error_kind: Option<String>,
    pub cost_usd: Option<f64>,
    pub duration_ms: Option<i64>,
}

const ENTRY_COLUMNS: &str =
    "r.id, r.ts, r.kind, r.command, r.project, r.provider, r.model, r.outcome, r.error_kind, r.cost_usd, r.duration_ms";

fn entry(row: &Row) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: row.get(0)?,
        ts: row.get(1)?,
        kind: row.get(2)?,
        command: row.get(3)?,
        project: row.get(4)?,
        provider: row.get(5)?,
        model: row.get(6)?,
        outcome: row.get(7)?,
        error_kind: row.get(8)?,
        cost_usd: row.get(9)?,
        duration_ms: row.get(10)?,
    })
}

/// How `logs cost` groups its totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Model,
    Day,
    Project,
}

/// One total of `logs cost`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CostRow {
    pub key: String,
    pub calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_usd: f64,
}

impl Filter {
    /// The WHERE clause and its parameters.
    fn clause(&self) -> (String, Vec<SqlValue>) {
        let mut parts = Vec::new();
        let mut values = Vec::new();
        if let Some(model) = &self.model {
            // `gpt-5-mini` matches `openai/gpt-5-mini` and the bare id.
            parts.push("(r.model = ? OR r.provider || '/' || r.model = ?)");
            values.push(SqlValue::Text(model.clone()));
            values.push(SqlValue::Text(model.clone()));
        }
        if let Some(project) = &self.project {
            parts.push("r.project = ?");
            values.push(SqlValue::Text(project.clone()));
        }
        if let Some(since) = self.since_ms {
            parts.push("r.ts >= ?");
            values.push(SqlValue::Integer(since));
        }
        if let Some(command) = &self.command {
            parts.push("r.command = ?");
            values.push(SqlValue::Text(command.clone()));
        }
        if self.failed {
            parts.push("r.outcome <> 'ok'");
        }
        let clause = if parts.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", parts.join(" AND "))
        };
        (clause, values)
    }

    fn limit_sql(&self) -> String {
        if self.limit == 0 {
            String::new()
        } else {
            format!("LIMIT {}", self.limit)
        }
    }
}

impl RunLog {
    /// The latest records matching `filter`, newest first.
    pub fn list(&self, filter: &Filter) -> Result<Vec<Entry>, RunLogError> {
        let (clause, values) = filter.clause();
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM records r {clause} ORDER BY r.id DESC {}",
            filter.limit_sql()
        );
        self.collect(&sql, values, entry)
    }

    /// Records whose prompt or answer matches the FTS5 query `text`, best first.
    pub fn search(&self, text: &str, filter: &Filter) -> Result<Vec<Entry>, RunLogError> {
        let (clause, mut values) = filter.clause();
        let clause = if clause.is_empty() {
            "WHERE search MATCH ?".to_string()
        } else {
            format!("{clause} AND search MATCH ?")
        };
        values.push(SqlValue::Text(fts_phrase(text)));
        // The prompt weighs more than the answer, as in `llm logs -q`.
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM search JOIN records r ON r.id = search.rowid \
             {clause} ORDER BY bm25(search, 2.0, 1.0), r.id DESC {}",
            filter.limit_sql()
        );
        self.collect(&sql, values, entry)
    }

    /// One record in full (its call, run and changes), or `None`.
    pub fn show(&self, id: i64) -> Result<Option<Value>, RunLogError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM records r WHERE r.id = ?");
        let Some(head) = self
            .collect(&sql, vec![SqlValue::Integer(id)], entry)?
            .pop()
        else {
            return Ok(None);
        };
        let mut doc = serde_json::to_value(&head).unwrap_or(Value::Null);
        let calls = self.collect(
            "SELECT s.text, c.messages, c.answer, c.structured, c.input_tokens, c.output_tokens,
                    c.cached_tokens, c.first_token_ms, c.retries, c.repair_rounds
             FROM calls c LEFT JOIN system_prompts s ON s.hash = c.system_hash WHERE c.record_id = ?",
            vec![SqlValue::Integer(id)],
            |row| {
                Ok(json!({
                    "system": row.get::<_, Option<String>>(0)?,
                    "messages": parse(row.get::<_, Option<String>>(1)?),
                    "answer": row.get::<_, Option<String>>(2)?,
                    "structured": parse(row.get::<_, Option<String>>(3)?),
                    "usage": {
                        "input_tokens": row.get::<_, Option<i64>>(4)?,
                        "output_tokens": row.get::<_, Option<i64>>(5)?,
                        "cached_tokens": row.get::<_, Option<i64>>(6)?,
                    },
                    "first_token_ms": row.get::<_, Option<i64>>(7)?,
                    "retries": row.get::<_, i64>(8)?,
                    "repair_rounds": row.get::<_, i64>(9)?,
                }))
            },
        )?;
        let runs = self.collect(
            "SELECT backend, template, sandbox_id, exit_code, checks, artifacts FROM runs WHERE record_id = ?",
            vec![SqlValue::Integer(id)],
            |row| {
                Ok(json!({
                    "backend": row.get::<_, Option<String>>(0)?,
                    "template": row.get::<_, Option<String>>(1)?,
                    "sandbox_id": row.get::<_, Option<String>>(2)?,
                    "exit_code": row.get::<_, Option<i64>>(3)?,
                    "checks": parse(row.get::<_, Option<String>>(4)?),
                    "artifacts": parse(row.get::<_, Option<String>>(5)?),
                }))
            },
        )?;
        let changes = self.collect(
            "SELECT path, status, diff FROM changes WHERE record_id = ? ORDER BY rowid",
            vec![SqlValue::Integer(id)],
            |row| {
                Ok(json!({
                    "path": row.get::<_, String>(0)?,
                    "status": row.get::<_, String>(1)?,
                    "diff": row.get::<_, String>(2)?,
                }))
            },
        )?;
        if let Value::Object(map) = &mut doc {
            map.insert(
                "call".into(),
                calls.into_iter().next().unwrap_or(Value::Null),
            );
            map.insert("run".into(), runs.into_iter().next().unwrap_or(Value::Null));
            map.insert("changes".into(), Value::Array(changes));
        }
        Ok(Some(doc))
    }

    /// Cost and token totals of model calls, grouped, largest cost first.
    pub fn cost(&self, group: GroupBy, filter: &Filter) -> Result<Vec<CostRow>, RunLogError> {
        let key = match group {
            GroupBy::Model => "coalesce(r.provider || '/' || r.model, '?')",
            GroupBy::Day => "date(r.ts / 1000, 'unixepoch')",
            GroupBy::Project => "coalesce(r.project, '-')",
        };
        let (clause, values) = filter.clause();
        let clause = if clause.is_empty() {
            "WHERE r.kind = 'call'".to_string()
        } else {
            format!("{clause} AND r.kind = 'call'")
        };
        let sql = format!(
            "SELECT {key} AS k, count(*), coalesce(sum(c.input_tokens), 0),
                    coalesce(sum(c.output_tokens), 0), coalesce(sum(r.cost_usd), 0.0)
             FROM records r JOIN calls c ON c.record_id = r.id {clause}
             GROUP BY k ORDER BY 5 DESC, k"
        );
        self.collect(&sql, values, |row| {
            Ok(CostRow {
                key: row.get(0)?,
                calls: row.get(1)?,
                input_tokens: row.get(2)?,
                output_tokens: row.get(3)?,
                cost_usd: row.get(4)?,
            })
        })
    }

    /// Deletes records older than `before_ms` (with their details and search rows);
    /// returns how many records went.
    pub fn prune(&mut self, before_ms: i64) -> Result<usize, RunLogError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "DELETE FROM search WHERE rowid IN (SELECT id FROM records WHERE ts < ?1)",
                [before_ms],
            )?;
            let n = tx.execute("DELETE FROM records WHERE ts < ?1", [before_ms])?;
            tx.execute(
                "DELETE FROM system_prompts WHERE hash NOT IN
                    (SELECT system_hash FROM calls WHERE system_hash IS NOT NULL)",
                [],
            )?;
            tx.commit()?;
            Ok(n)
        })();
        result.map_err(|e| self.err(e))
    }

    fn collect<T>(
        &self,
        sql: &str,
        values: Vec<SqlValue>,
        map: impl FnMut(&Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, RunLogError> {
        let result = (|| {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map(params_from_iter(values), map)?;
            rows.collect::<rusqlite::Result<Vec<T>>>()
        })();
        result.map_err(|e| self.err(e))
    }
}

fn parse(text: Option<String>) -> Value {
    text.map_or(Value::Null, |t| {
        serde_json::from_str(&t).unwrap_or(Value::String(t))
    })
}

/// The user's words as one FTS5 query of quoted terms (all must match), so
/// punctuation in the text is never read as FTS syntax.
fn fts_phrase(text: &str) -> String {
    text.split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}
