//! The schema, its version (`PRAGMA user_version`) and the migrations between versions.
//!
//! Each migration runs in one `BEGIN IMMEDIATE` transaction that re-reads the version
//! first, so two processes opening a fresh file at once migrate it exactly once.

use rusqlite::{Connection, TransactionBehavior};

/// The version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

/// The first schema, kept verbatim so the migration from it stays tested.
pub const V1_SCHEMA: &str = "
CREATE TABLE records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    command TEXT NOT NULL,
    project TEXT,
    provider TEXT,
    model TEXT,
    outcome TEXT NOT NULL,
    error_kind TEXT,
    cost_usd REAL,
    duration_ms INTEGER
);
CREATE INDEX records_ts ON records(ts);
CREATE TABLE calls (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    system TEXT,
    messages TEXT NOT NULL,
    answer TEXT,
    structured TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    first_token_ms INTEGER,
    retries INTEGER NOT NULL DEFAULT 0,
    repair_rounds INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE runs (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    backend TEXT,
    template TEXT,
    sandbox_id TEXT,
    exit_code INTEGER,
    checks TEXT,
    artifacts TEXT
);
";

/// Version 2: system prompts stored once by hash, cached tokens, a turn's file changes,
/// and full-text search over prompts and answers.
const V2_MIGRATION: &str = "
CREATE TABLE system_prompts (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
INSERT OR IGNORE INTO system_prompts(hash, text)
    SELECT 'v1:' || record_id, system FROM calls WHERE system IS NOT NULL;
ALTER TABLE calls ADD COLUMN system_hash TEXT REFERENCES system_prompts(hash);
UPDATE calls SET system_hash = 'v1:' || record_id WHERE system IS NOT NULL;
ALTER TABLE calls DROP COLUMN system;
ALTER TABLE calls ADD COLUMN cached_tokens INTEGER;
CREATE TABLE changes (
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    status TEXT NOT NULL,
    diff TEXT NOT NULL
);
CREATE INDEX changes_record ON changes(record_id);
CREATE INDEX records_model ON records(model);
CREATE VIRTUAL TABLE search USING fts5(prompt, answer, tokenize = 'unicode61');
INSERT INTO search(rowid, prompt, answer)
    SELECT record_id, messages, coalesce(answer, '') FROM calls;
";

#[derive(Debug)]
pub(super) enum MigrateError {
    TooNew(i64),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

pub(super) fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the database to [`SCHEMA_VERSION`].
pub(super) fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    // The common case (already current) costs one read and no write lock.
    let current = version(conn)?;
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    if current > SCHEMA_VERSION {
        return Err(MigrateError::TooNew(current));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut found = version(&tx)?;
    if found > SCHEMA_VERSION {
        return Err(MigrateError::TooNew(found));
    }
    if found == 0 {
        tx.execute_batch(V1_SCHEMA)?;
        found = 1;
    }
    if found == 1 {
        tx.execute_batch(V2_MIGRATION)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}
