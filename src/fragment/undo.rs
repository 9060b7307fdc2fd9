//! A chat turn applied with an undo snapshot: `.codingit/undo/N/` holds the files the
//! turn touched, the manifest and the history as they were; `manifest.json` is
//! written last and is the snapshot's commit point (a folder without it is what a
//! killed run left, and is ignored and removed).

use super::project::{
    check_paths, fragment_text, fs_err, history_text, open_root, FileChange, HistoryEntry,
    ProjectError, FILE_MAX_BYTES, FRAGMENT_FILE, HISTORY_FILE, META_DIR,
};
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
}

fn undo_root() -> PathBuf {
    Path::new(META_DIR).join(UNDO_DIR)
}

/// Snapshot folders by number: `(number, committed)`, a symlink or file never counted.
pub(crate) fn snapshots(root: &Root) -> Vec<(u64, bool)> {
    let Ok(entries) = root.read_dir(undo_root()) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter(|e| e.kind == Kind::Dir)
        .filter_map(|e| e.name.to_str()?.parse::<u64>().ok())
        .map(|n| {
            let manifest = undo_root().join(n.to_string()).join(MANIFEST);
            let committed = root.metadata(&manifest).is_ok_and(|m| m.kind == Kind::File);
            (n, committed)
        })
        .collect()
}

/// Removes snapshot folders without a manifest (a run killed while writing one) once
/// they are older than a minute; younger ones are only ignored (another run may be
/// writing one).
pub(crate) fn remove_uncommitted(root: &Root) {
    for (n, committed) in snapshots(root) {
        let folder = undo_root().join(n.to_string());
        let old = root.metadata(&folder).is_ok_and(|m| {
            std::time::SystemTime::now()
                .duration_since(m.modified)
                .is_ok_and(|age| age > std::time::Duration::from_secs(60))
        });
        if !committed && old {
            let _ = root.remove_dir_all(folder);
        }
    }
}

fn latest(root: &Root) -> Option<u64> {
    snapshots(root)
        .into_iter()
        .filter(|(_, committed)| *committed)
        .map(|(n, _)| n)
        .max()
}

/// Applies a turn: snapshot what it touches, write the files, the manifest and the
/// history; on any failure, put everything back. Every path goes through the project
/// folder's handle: a symlink in the folder fails the turn, it is never followed.
pub fn apply_turn(
    dir: &Path,
    changes: &[FileChange],
    fragment: &Fragment,
    history: &[HistoryEntry],
) -> Result<(), ProjectError> {
    let root = open_root(dir)?;
    check_paths(changes.iter().map(|c| c.path.as_str())).map_err(|(path, reason)| {
        ProjectError::Hostile {
            dir: dir.to_path_buf(),
            file: "the turn".into(),
            path,
            reason,
        }
    })?;
    remove_uncommitted(&root);
    let snap = snapshot(&root, changes).map_err(fs_err(dir))?;
    let result = (|| -> Result<(), SafeFsError> {
        for change in changes {
            match &change.new {
                Some(content) => root.write_atomic(&change.path, content.as_bytes(), None)?,
                None => match root.remove_file(&change.path) {
                    Err(e) if !e.is_not_found() => return Err(e),
                    _ => {}
                },
            }
        }
        let meta = Path::new(META_DIR);
        let text = fragment_text(fragment).map_err(|e| SafeFsError::Io {
            path: FRAGMENT_FILE.into(),
            source: std::io::Error::other(e.to_string()),
        })?;
        root.write_atomic(meta.join(FRAGMENT_FILE), text.as_bytes(), None)?;
        root.write_atomic(
            meta.join(HISTORY_FILE),
            history_text(history).as_bytes(),
            None,
        )
    })();
    if let Err(error) = result {
        let _ = restore(&root, dir, &snap);
        let _ = root.remove_dir_all(&snap);
        return Err(fs_err(dir)(error));
    }
    Ok(())
}

fn snapshot(root: &Root, changes: &[FileChange]) -> Result<PathBuf, SafeFsError> {
    let next = snapshots(root)
        .into_iter()
        .map(|(n, _)| n + 1)
        .max()
        .unwrap_or(1);
    let snap = undo_root().join(next.to_string());
    let result = (|| -> Result<(), SafeFsError> {
        let files_dir = snap.join("files");
        root.create_dir_all(&files_dir)?;
        let mut files = Vec::new();
        for change in changes {
            let existed = match root.read(&change.path, FILE_MAX_BYTES) {
                Ok(bytes) => {
                    root.write_atomic(files_dir.join(&change.path), &bytes, None)?;
                    true
                }
                Err(e) if e.is_not_found() => false,
                Err(e) => return Err(e),
            };
            files.push((change.path.clone(), existed));
        }
        let meta = Path::new(META_DIR);
        let mut had_fragment = false;
        let mut history_len = 0;
        for name in [FRAGMENT_FILE, HISTORY_FILE] {
            let limit = super::project::HISTORY_MAX_BYTES;
            match root.read(meta.join(name), limit) {
                Ok(bytes) => {
                    if name == FRAGMENT_FILE {
                        had_fragment = true;
                    } else {
                        history_len = bytes.iter().filter(|b| **b == b'\n').count();
                    }
                    root.write_atomic(snap.join(name), &bytes, None)?;
                }
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
        }
        let manifest = UndoManifest {
            files,
            history_len,
            had_fragment,
        };
        let text = serde_json::to_vec_pretty(&manifest).map_err(|e| SafeFsError::Io {
            path: MANIFEST.into(),
            source: std::io::Error::other(e),
        })?;
        // The commit point: written last, atomically.
        root.write_atomic(snap.join(MANIFEST), &text, None)
    })();
    if let Err(e) = result {
        let _ = root.remove_dir_all(&snap);
        return Err(e);
    }
    Ok(snap)
}

/// Reads a snapshot's manifest as untrusted: size-capped, every path checked.
fn read_manifest(root: &Root, dir: &Path, snap: &Path) -> Result<UndoManifest, ProjectError> {
    let shown = dir.join(snap).join(MANIFEST);
    let text = root
        .read(snap.join(MANIFEST), MANIFEST_MAX_BYTES)
        .map_err(fs_err(dir))?;
    let manifest: UndoManifest = serde_json::from_slice(&text).map_err(|e| ProjectError::Io {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    check_paths(manifest.files.iter().map(|(p, _)| p.as_str())).map_err(|(path, reason)| {
        ProjectError::Hostile {
            dir: dir.to_path_buf(),
            file: shown.display().to_string(),
            path,
            reason,
        }
    })?;
    Ok(manifest)
}

fn restore(root: &Root, dir: &Path, snap: &Path) -> Result<Vec<String>, ProjectError> {
    let manifest = read_manifest(root, dir, snap)?;
    let mut restored = Vec::new();
    for (path, existed) in &manifest.files {
        if *existed {
            let bytes = root
                .read(snap.join("files").join(path), FILE_MAX_BYTES)
                .map_err(fs_err(dir))?;
            root.write_atomic(path, &bytes, None).map_err(fs_err(dir))?;
        } else {
            match root.remove_file(path) {
                Err(e) if !e.is_not_found() => return Err(fs_err(dir)(e)),
                _ => {}
            }
        }
        restored.push(path.clone());
    }
    let meta = Path::new(META_DIR);
    for name in [FRAGMENT_FILE, HISTORY_FILE] {
        match root.read(snap.join(name), super::project::HISTORY_MAX_BYTES) {
            Ok(bytes) => root
                .write_atomic(meta.join(name), &bytes, None)
                .map_err(fs_err(dir))?,
            Err(e) if e.is_not_found() && name == FRAGMENT_FILE && !manifest.had_fragment => {
                let _ = root.remove_file(meta.join(name));
            }
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(fs_err(dir)(e)),
        }
    }
    Ok(restored)
}

/// Restores the project as it was before the last turn; returns the files put back.
/// Unfinished snapshots (no manifest) are removed first, never restored.
pub fn undo(dir: &Path) -> Result<Vec<String>, ProjectError> {
    let root = open_root(dir)?;
    remove_uncommitted(&root);
    let n = latest(&root).ok_or_else(|| ProjectError::NothingToUndo(dir.to_path_buf()))?;
    let snap = undo_root().join(n.to_string());
    let restored = restore(&root, dir, &snap)?;
    root.remove_dir_all(&snap).map_err(fs_err(dir))?;
    Ok(restored)
}
