//! Where a repository's conversation lives. By default outside the repository, in
//! the state directory (`$XDG_STATE_HOME/codingit/repos/NAME-HASH/`, keyed by the
//! folder's real path), so the repository holds nothing of codingit's; with
//! `--history-in-repo` (or when a `.codingit/history.jsonl` is already there) in the
//! repository's `.codingit/`. Either way the undo snapshots sit beside the history.

use super::RepoError;
use crate::config::state_dir;
use crate::fragment::project::{
    fs_err, open_root, parse_history, HistoryEntry, TurnStore, HISTORY_FILE, HISTORY_MAX_BYTES,
    META_DIR,
};
use crate::safefs::{Kind, Root};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A repository's turn store and its conversation so far.
pub struct RepoStore {
    pub turns: TurnStore,
    pub history: Vec<HistoryEntry>,
    /// The history is kept in the repository's `.codingit/`.
    pub in_repo: bool,
    /// Files put back because the last turn was killed half-way.
    pub recovered: Vec<String>,
}

impl RepoStore {
    /// Opens (creating when needed) the store of the repository at `dir`.
    pub fn open(dir: &Path, history_in_repo: bool) -> Result<Self, RepoError> {
        let files = open_root(dir)?;
        let kept_in_repo = files
            .metadata(Path::new(META_DIR).join(HISTORY_FILE))
            .is_ok_and(|m| m.kind == Kind::File);
        let in_repo = history_in_repo || kept_in_repo;
        let meta = if in_repo {
            files.create_dir_all(META_DIR).map_err(fs_err(dir))?;
            files.subdir(META_DIR).map_err(fs_err(dir))?
        } else {
            outside_meta(dir)?
        };
        let turns = TurnStore {
            dir: dir.to_path_buf(),
            files,
            meta,
        };
        let recovered = turns.recover_interrupted()?;
        let meta = &turns.meta;
        let history = match meta.read(HISTORY_FILE, HISTORY_MAX_BYTES) {
            Ok(bytes) => parse_history(&bytes, &meta.path().join(HISTORY_FILE))?,
            Err(e) if e.is_not_found() => Vec::new(),
            Err(e) => return Err(fs_err(dir)(e).into()),
        };
        Ok(Self {
            turns,
            history,
            in_repo,
            recovered,
        })
    }
}

/// The state-directory folder of the repository at `dir` (its real path hashed).
pub fn outside_folder(dir: &Path) -> Result<PathBuf, RepoError> {
    let real = dir.canonicalize().map_err(|e| RepoError::Io {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    let state = state_dir().ok_or_else(|| RepoError::Io {
        path: dir.to_path_buf(),
        message: "no state directory: set XDG_STATE_HOME or HOME (or pass --history-in-repo)"
            .into(),
    })?;
    let digest = Sha256::digest(real.as_os_str().as_encoded_bytes());
    let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let name: String = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "root".into())
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    Ok(state.join("repos").join(format!("{name}-{hash}")))
}

fn outside_meta(dir: &Path) -> Result<Root, RepoError> {
    let folder = outside_folder(dir)?;
    let io = |e: std::io::Error| RepoError::Io {
        path: folder.clone(),
        message: e.to_string(),
    };
    create_private_dir(&folder).map_err(io)?;
    let meta = Root::open(&folder).map_err(|e| RepoError::Io {
        path: folder.clone(),
        message: e.to_string(),
    })?;
    // For a person looking in the state directory: which folder this is.
    if let Ok(real) = dir.canonicalize() {
        let _ = meta.write_atomic(
            "folder.txt",
            format!("{}\n", real.display()).as_bytes(),
            None,
        );
    }
    Ok(meta)
}

fn create_private_dir(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
}
