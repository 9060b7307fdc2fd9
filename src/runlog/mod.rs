//! The run log: one SQLite database recording every model call, sandbox run and turn's
//! file changes, so a script can ask afterwards what was asked, what it cost and how
//! it ended (docs/logs.md).
//!
//! Logging must never fail the user's command: every function returns a
//! [`RunLogError`], and the caller turns it into one warning and goes on.

mod query;
mod record;
mod redact;
mod schema;

pub use query::{CostRow, Entry, Filter, GroupBy};
pub use record::{CallRecord, ChangeRecord, Common, Outcome, RunRecord};
pub use redact::Redactor;
pub use schema::{SCHEMA_VERSION, V1_SCHEMA};

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a writer waits for another process's lock before giving up: long enough
/// for a CI matrix of 16 jobs, short enough that a stuck lock costs one warning.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the log could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RunLogError {
    #[error("run log {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("run log {path}: cannot create its folder: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "run log {path}: schema version {found} is newer than this codingit ({SCHEMA_VERSION})"
    )]
    TooNew { path: PathBuf, found: i64 },
    #[error("run log: no state folder (set CODINGIT_LOGS_DB or HOME)")]
    NoPath,
}

/// The database file: `CODINGIT_LOGS_DB`, else `<state dir>/logs.db`.
pub fn default_path() -> Result<PathBuf, RunLogError> {
    if let Some(path) = crate::config::non_empty_env("CODINGIT_LOGS_DB") {
        return Ok(PathBuf::from(path));
    }
    crate::config::state_dir()
        .map(|dir| dir.join("logs.db"))
        .ok_or(RunLogError::NoPath)
}

/// An open run log.
pub struct RunLog {
    conn: Connection,
    path: PathBuf,
}

impl RunLog {
    /// Opens (creating when missing) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, RunLogError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| RunLogError::Folder {
                path: path.to_path_buf(),
                source,
            })?;
        }
        let wrap = |source| RunLogError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(wrap)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(wrap)?;
        // WAL lets readers go on while one process writes; NORMAL sync is durable
        // across a process crash, which is what a log needs.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(wrap)?;
        // Each codingit process is usually the last connection to close, and closing
        // would then checkpoint (with an fsync) on every command; SQLite's automatic
        // checkpoints during writes keep the WAL bounded instead, and the size limit
        // trims it afterwards.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .map_err(wrap)?;
        conn.pragma_update(None, "journal_size_limit", 4 * 1024 * 1024)
            .map_err(wrap)?;
        match schema::migrate(&mut conn) {
            Ok(()) => {}
            Err(schema::MigrateError::TooNew(found)) => {
                return Err(RunLogError::TooNew {
                    path: path.to_path_buf(),
                    found,
                })
            }
            Err(schema::MigrateError::Sqlite(e)) => return Err(wrap(e)),
        }
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version the file is at.
    pub fn schema_version(&self) -> Result<i64, RunLogError> {
        schema::version(&self.conn).map_err(|e| self.err(e))
    }

    fn err(&self, source: rusqlite::Error) -> RunLogError {
        RunLogError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
