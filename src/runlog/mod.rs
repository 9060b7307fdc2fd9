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

/// The WAL size past which a write checkpoints it away ([`RunLog::settle_wal`]):
/// about 60 pages, a dozen commands' records. Every process reads the whole WAL when
/// it opens the log, so this bounds that read; checkpointing more often costs fsyncs.
const WAL_SETTLE_BYTES: u64 = 256 * 1024;

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
        // would then checkpoint (three fsyncs with the new WAL's header) on every
        // command; [`RunLog::settle_wal`] checkpoints only once the WAL has grown.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
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

    /// Empties the WAL once it holds more than [`WAL_SETTLE_BYTES`], after a write.
    ///
    /// Why by hand: the first connection of a process rebuilds the WAL's index by
    /// reading the whole WAL, and forgets what was already checkpointed, so with one
    /// write per process SQLite's automatic (passive) checkpoints never restart the
    /// WAL: it grew without bound and every command paid for reading it. A
    /// `TRUNCATE` checkpoint resets it to zero bytes; it is tried without waiting
    /// (another process reading or writing makes it a no-op, and a later write tries
    /// again), so a command never blocks on it. Errors are ignored: the record is
    /// already committed.
    fn settle_wal(&self) {
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        let grown = std::fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_SETTLE_BYTES);
        if !grown || self.conn.busy_timeout(Duration::ZERO).is_err() {
            return;
        }
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
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
