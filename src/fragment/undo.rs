//! A turn applied with an undo snapshot. A turn's bookkeeping lives in a meta folder:
//! `.codingit/` in a project, or a folder in the state directory for a repository
//! (see `crate::repo::store`). `undo/N/` in it holds the files the turn touched, the
//! manifest and the history as they were; `manifest.json` is written last and is the
//! snapshot's commit point (a folder without it is what a killed run left, and is
//! ignored and removed).

use super::project::{
    check_paths, fragment_text, fs_err, history_text, open_root, FileChange, HistoryEntry,
    ProjectError, FILE_MAX_BYTES, FRAGMENT_FILE, HISTORY_FILE, META_DIR,
};
use super::recover::{older_than_grace, process_alive};
use super::Fragment;
use crate::safefs::{Kind, Root, SafeFsError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const UNDO_DIR: &str = "undo";
const MANIFEST: &str = "manifest.json";
/// Largest snapshot manifest read.
const MANIFEST_MAX_BYTES: u64 = 16 << 20;

#[derive(Debug, Serialize, Deserialize)]
struct UndoManifest {
    /// Files touched by the turn and whether each existed before it.
    files: Vec<(String, bool)>,
    history_len: usize,
    had_fragment: bool,
    /// The process that took the snapshot (to tell a killed turn from a running one).
    #[serde(default)]
    owner_pid: Option<u32>,
}

/// Where a turn writes: the working files, and the meta folder that keeps the
/// history, the fragment (projects only) and the undo snapshots. Both are handles:
/// nothing in either is followed through a symlink.
pub struct TurnStore {
    /// The folder as the user named it, for messages.
    pub dir: PathBuf,
    pub files: Root,
    pub meta: Root,
}

impl TurnStore {
    /// A project's store: its files and its `.codingit/` (created when missing and
    /// `create`).
    pub fn project(dir: &Path, create: bool) -> Result<Self, ProjectError> {
        let files = open_root(dir)?;
        if create {
            files.create_dir_all(META_DIR).map_err(fs_err(dir))?;
        }
        let meta = files.subdir(META_DIR).map_err(fs_err(dir))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            files,
            meta,
        })
    }

    /// Snapshot folders by number: `(number, committed)`, a symlink or file never counted.
    fn snapshots(&self) -> Vec<(u64, bool)> {
        snapshots(&self.meta)
    }

    fn latest(&self) -> Option<u64> {
        self.snapshots()
            .into_iter()
            .filter(|(_, committed)| *committed)
            .map(|(n, _)| n)
            .max()
    }

    /// Applies a turn: snapshot what it touches, write the files, the manifest, the
    /// fragment (when there is one) and the history; on any failure, put everything
    /// back. Every path goes through the folder's handle: a symlink in the folder
    /// fails the turn, it is never followed.
    pub fn apply(
        &self,
        changes: &[FileChange],
        fragment: Option<&Fragment>,
        history: &[HistoryEntry],
    ) -> Result<(), ProjectError> {
        let dir = &self.dir;
        check_paths(changes.iter().map(|c| c.path.as_str())).map_err(|(path, reason)| {
            ProjectError::Hostile {
                dir: dir.clone(),
                file: "the turn".into(),
                path,
                reason,
            }
        })?;
        remove_uncommitted(&self.meta);
        let snap = self.snapshot(changes).map_err(fs_err(dir))?;
        let result = (|| -> Result<(), SafeFsError> {
            super::write::write_all_or_nothing(&self.files, changes).map_err(|e| match e {
                super::write::WriteFailure::Refused(e) | super::write::WriteFailure::Failed(e) => e,
            })?;
            if let Some(fragment) = fragment {
                let text = fragment_text(fragment).map_err(|e| SafeFsError::Io {
                    path: FRAGMENT_FILE.into(),
                    source: std::io::Error::other(e.to_string()),
                })?;
                self.meta
                    .write_atomic(FRAGMENT_FILE, text.as_bytes(), None)?;
            }
            self.meta
                .write_atomic(HISTORY_FILE, history_text(history).as_bytes(), None)
        })();
        if let Err(error) = result {
            let _ = self.restore(&snap);
            let _ = self.meta.remove_dir_all(&snap);
            return Err(fs_err(dir)(error));
        }
        Ok(())
    }

    fn snapshot(&self, changes: &[FileChange]) -> Result<PathBuf, SafeFsError> {
        let next = self
            .snapshots()
            .into_iter()
            .map(|(n, _)| n + 1)
            .max()
            .unwrap_or(1);
        let snap = Path::new(UNDO_DIR).join(next.to_string());
        let result = (|| -> Result<(), SafeFsError> {
            let files_dir = snap.join("files");
            self.meta.create_dir_all(&files_dir)?;
            let mut files = Vec::new();
            for change in changes {
                let existed = match self.files.read(&change.path, FILE_MAX_BYTES) {
                    Ok(bytes) => {
                        self.meta
                            .write_atomic(files_dir.join(&change.path), &bytes, None)?;
                        true
                    }
                    Err(e) if e.is_not_found() => false,
                    Err(e) => return Err(e),
                };
                files.push((change.path.clone(), existed));
            }
            let mut had_fragment = false;
            let mut history_len = 0;
            for name in [FRAGMENT_FILE, HISTORY_FILE] {
                let limit = super::project::HISTORY_MAX_BYTES;
                match self.meta.read(name, limit) {
                    Ok(bytes) => {
                        if name == FRAGMENT_FILE {
                            had_fragment = true;
                        } else {
                            history_len = bytes.iter().filter(|b| **b == b'\n').count();
                        }
                        self.meta.write_atomic(snap.join(name), &bytes, None)?;
                    }
                    Err(e) if e.is_not_found() => {}
                    Err(e) => return Err(e),
                }
            }
            let manifest = UndoManifest {
                files,
                history_len,
                had_fragment,
                owner_pid: Some(std::process::id()),
            };
            let text = serde_json::to_vec_pretty(&manifest).map_err(|e| SafeFsError::Io {
                path: MANIFEST.into(),
                source: std::io::Error::other(e),
            })?;
            // The commit point: written last, atomically.
            self.meta.write_atomic(snap.join(MANIFEST), &text, None)
        })();
        if let Err(e) = result {
            let _ = self.meta.remove_dir_all(&snap);
            return Err(e);
        }
        Ok(snap)
    }

    /// Reads a snapshot's manifest as untrusted: size-capped, every path checked.
    fn read_manifest(&self, snap: &Path) -> Result<UndoManifest, ProjectError> {
        let dir = &self.dir;
        let shown = self.meta.path().join(snap).join(MANIFEST);
        let text = self
            .meta
            .read(snap.join(MANIFEST), MANIFEST_MAX_BYTES)
            .map_err(fs_err(dir))?;
        let manifest: UndoManifest =
            serde_json::from_slice(&text).map_err(|e| ProjectError::Io {
                path: shown.clone(),
                message: e.to_string(),
            })?;
        check_paths(manifest.files.iter().map(|(p, _)| p.as_str())).map_err(|(path, reason)| {
            ProjectError::Hostile {
                dir: dir.clone(),
                file: shown.display().to_string(),
                path,
                reason,
            }
        })?;
        Ok(manifest)
    }

    fn restore(&self, snap: &Path) -> Result<Vec<String>, ProjectError> {
        let dir = &self.dir;
        let manifest = self.read_manifest(snap)?;
        let mut restored = Vec::new();
        for (path, existed) in &manifest.files {
            if *existed {
                let bytes = self
                    .meta
                    .read(snap.join("files").join(path), FILE_MAX_BYTES)
                    .map_err(fs_err(dir))?;
                self.files
                    .write_atomic(path, &bytes, None)
                    .map_err(fs_err(dir))?;
            } else {
                match self.files.remove_file(path) {
                    Err(e) if !e.is_not_found() => return Err(fs_err(dir)(e)),
                    _ => {}
                }
            }
            restored.push(path.clone());
        }
        for name in [FRAGMENT_FILE, HISTORY_FILE] {
            match self
                .meta
                .read(snap.join(name), super::project::HISTORY_MAX_BYTES)
            {
                Ok(bytes) => self
                    .meta
                    .write_atomic(name, &bytes, None)
                    .map_err(fs_err(dir))?,
                Err(e) if e.is_not_found() && name == FRAGMENT_FILE && !manifest.had_fragment => {
                    let _ = self.meta.remove_file(name);
                }
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(fs_err(dir)(e)),
            }
        }
        Ok(restored)
    }

    /// A turn killed after its snapshot and before its history was written left the
    /// folder half changed: its snapshot is the latest, the history has not grown since
    /// it was taken, and its process is gone (or it is older than a minute, for a reused
    /// pid). Puts those files back and removes the snapshot; returns the files.
    pub fn recover_interrupted(&self) -> Result<Vec<String>, ProjectError> {
        let Some(n) = self.latest() else {
            return Ok(Vec::new());
        };
        let snap = Path::new(UNDO_DIR).join(n.to_string());
        // A manifest that cannot be trusted is never acted on here (`undo` says why).
        let Ok(manifest) = self.read_manifest(&snap) else {
            return Ok(Vec::new());
        };
        let history_now = match self
            .meta
            .read(HISTORY_FILE, super::project::HISTORY_MAX_BYTES)
        {
            Ok(bytes) => bytes.iter().filter(|b| **b == b'\n').count(),
            Err(e) if e.is_not_found() => 0,
            Err(e) => return Err(fs_err(&self.dir)(e)),
        };
        let owner_gone = manifest.owner_pid.is_none_or(|pid| !process_alive(pid));
        let old = self
            .meta
            .metadata(snap.join(MANIFEST))
            .is_ok_and(|m| older_than_grace(m.modified));
        if history_now != manifest.history_len || !(owner_gone || old) {
            return Ok(Vec::new());
        }
        let restored = self.restore(&snap)?;
        self.meta.remove_dir_all(&snap).map_err(fs_err(&self.dir))?;
        Ok(restored)
    }

    /// Restores the folder as it was before the last turn; returns the files put
    /// back. Unfinished snapshots (no manifest) are removed first, never restored.
    pub fn undo(&self) -> Result<Vec<String>, ProjectError> {
        remove_uncommitted(&self.meta);
        let n = self
            .latest()
            .ok_or_else(|| ProjectError::NothingToUndo(self.dir.clone()))?;
        let snap = Path::new(UNDO_DIR).join(n.to_string());
        let restored = self.restore(&snap)?;
        self.meta.remove_dir_all(&snap).map_err(fs_err(&self.dir))?;
        Ok(restored)
    }
}

/// Snapshot folders in a meta folder by number: `(number, committed)`.
fn snapshots(meta: &Root) -> Vec<(u64, bool)> {
    let Ok(entries) = meta.read_dir(UNDO_DIR) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter(|e| e.kind == Kind::Dir)
        .filter_map(|e| e.name.to_str()?.parse::<u64>().ok())
        .map(|n| {
            let manifest = Path::new(UNDO_DIR).join(n.to_string()).join(MANIFEST);
            let committed = meta.metadata(&manifest).is_ok_and(|m| m.kind == Kind::File);
            (n, committed)
        })
        .collect()
}

/// Removes snapshot folders without a manifest (a run killed while writing one) once
/// they are older than a minute; younger ones are only ignored (another run may be
/// writing one).
pub(crate) fn remove_uncommitted(meta: &Root) {
    for (n, committed) in snapshots(meta) {
        let folder = Path::new(UNDO_DIR).join(n.to_string());
        let old = meta
            .metadata(&folder)
            .is_ok_and(|m| older_than_grace(m.modified));
        if !committed && old {
            let _ = meta.remove_dir_all(folder);
        }
    }
}

/// Applies a turn to a project (see [`TurnStore::apply`]).
pub fn apply_turn(
    dir: &Path,
    changes: &[FileChange],
    fragment: &Fragment,
    history: &[HistoryEntry],
) -> Result<(), ProjectError> {
    TurnStore::project(dir, true)?.apply(changes, Some(fragment), history)
}

/// Restores a project as it was before the last turn (see [`TurnStore::undo`]).
pub fn undo(dir: &Path) -> Result<Vec<String>, ProjectError> {
    TurnStore::project(dir, false)?.undo()
}
