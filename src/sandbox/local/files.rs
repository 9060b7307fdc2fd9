//! File access in a local sandbox: every path is confined to the sandbox home.

use crate::safefs::{Kind, Root, SafeFsError};
use crate::sandbox::{FileEntry, FileKind, SandboxError, SANDBOX_HOME};
use std::path::{Path, PathBuf};

fn refuse(path: &str, reason: &str) -> SandboxError {
    SandboxError::Path {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// The path relative to the home, by the one rule every backend uses
/// ([`paths::resolve`](crate::sandbox::paths::resolve): no `..`, no `//`, no control
/// characters, backslashes or percent-encoded separators, absolute paths only under
/// `/home/user`). Links are then judged where the path is used, beneath the home's handle.
pub fn relative(path: &str) -> Result<PathBuf, SandboxError> {
    let absolute = crate::sandbox::paths::resolve(path)?;
    let inside = absolute
        .strip_prefix(SANDBOX_HOME)
        .unwrap_or_default()
        .trim_start_matches('/');
    Ok(PathBuf::from(inside))
}

/// Largest file `read` returns (the caller holds it in memory).
const READ_LIMIT: u64 = 1 << 30;
/// Most names a recursive listing returns.
const LIST_LIMIT: usize = 1_000_000;

/// The home as a directory handle: every operation below resolves beneath it with no
/// symlink followed at any name, so sandboxed code that swaps a folder for a link
/// between a check and its use gets an error, never a host path.
fn open_home(home: &Path) -> Result<Root, SandboxError> {
    Root::open(home).map_err(|e| SandboxError::Io(format!("the sandbox home is gone: {e}")))
}

fn fs_error(path: &str, e: SafeFsError) -> SandboxError {
    match e {
        SafeFsError::BadPath { reason, .. } => refuse(path, reason),
        SafeFsError::Symlink { path: link } => refuse(
            path,
            &format!("`{link}` is a symbolic link; links in a sandbox are not followed"),
        ),
        SafeFsError::NotRegular { .. } => refuse(path, "is not a regular file"),
        e if e.is_not_found() => {
            SandboxError::Io(format!("no file or folder `{path}` in the sandbox"))
        }
        e => SandboxError::Io(format!("`{path}`: {e}")),
    }
}

fn joined(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn file_kind(kind: Kind) -> FileKind {
    match kind {
        Kind::File => FileKind::File,
        Kind::Dir => FileKind::Dir,
        Kind::Symlink => FileKind::Symlink,
        Kind::Other => FileKind::Other,
    }
}

/// Lists a folder (recursively on request) with paths relative to the home; a file
/// is listed as itself. A symlink at `path` is refused (never followed).
pub fn list(home: &Path, path: &str, recursive: bool) -> Result<Vec<FileEntry>, SandboxError> {
    let rel = relative(path)?;
    let root = open_home(home)?;
    let meta = root.metadata(&rel).map_err(|e| fs_error(path, e))?;
    match meta.kind {
        Kind::Dir => {}
        Kind::Symlink => {
            return Err(refuse(
                path,
                "is a symbolic link; links in a sandbox are not followed",
            ))
        }
        kind => {
            return Ok(vec![FileEntry {
                path: joined(&rel),
                kind: file_kind(kind),
                size: if kind == Kind::File { meta.len } else { 0 },
            }])
        }
    }
    let mut out = if recursive {
        root.walk(&rel, LIST_LIMIT)
            .map_err(|e| fs_error(path, e))?
            .into_iter()
            .map(|e| FileEntry {
                path: joined(&e.path),
                kind: file_kind(e.kind),
                size: e.len,
            })
            .collect::<Vec<_>>()
    } else {
        let mut entries = Vec::new();
        for item in root.read_dir(&rel).map_err(|e| fs_error(path, e))? {
            let child = rel.join(&item.name);
            let size = match item.kind {
                Kind::File => root.metadata(&child).map(|m| m.len).unwrap_or(0),
                _ => 0,
            };
            entries.push(FileEntry {
                path: joined(&child),
                kind: file_kind(item.kind),
                size,
            });
        }
        entries
    };
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Writes a file, creating its folders; a symlink or folder at `path` is refused.
pub fn write(home: &Path, path: &str, data: &[u8]) -> Result<(), SandboxError> {
    let rel = relative(path)?;
    if rel.as_os_str().is_empty() {
        return Err(refuse(path, "is the home folder itself"));
    }
    let root = open_home(home)?;
    match root.metadata(&rel) {
        Ok(meta) if meta.kind == Kind::Symlink => {
            return Err(refuse(
                path,
                "is a symbolic link; links in a sandbox are not followed",
            ))
        }
        Ok(meta) if meta.kind == Kind::Dir => return Err(refuse(path, "is a folder")),
        Ok(_) => {}
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(fs_error(path, e)),
    }
    // Sandbox files live no longer than the processes that use them: no fsync.
    root.write_atomic_unsynced(&rel, data, None)
        .map_err(|e| fs_error(path, e))
}

/// Replaces a file atomically (a fresh temporary file renamed over it) without
/// syncing it to disk: sandbox files and state live no longer than the processes
/// that use them, so a crash loses nothing that still matters, and each fsync costs
/// milliseconds on every run.
pub fn replace_file(target: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = target.parent().unwrap_or(Path::new("."));
    let stem = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let mut attempt = 0;
    let (temp, mut file) = loop {
        let candidate = dir.join(format!(".{stem}.{:08x}.tmp", fastrand::u32(..)));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => break (candidate, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 16 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let result = file
        .write_all(data)
        .and_then(|()| std::fs::rename(&temp, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

pub fn read(home: &Path, path: &str) -> Result<Vec<u8>, SandboxError> {
    let rel = relative(path)?;
    open_home(home)?
        .read(&rel, READ_LIMIT)
        .map_err(|e| fs_error(path, e))
}

/// Removes a file, a link (itself) or a folder with everything in it, never
/// following a link.
pub fn remove(home: &Path, path: &str) -> Result<(), SandboxError> {
    let rel = relative(path)?;
    if rel.as_os_str().is_empty() {
        return Err(refuse(path, "is the home folder itself"));
    }
    let root = open_home(home)?;
    let meta = root.metadata(&rel).map_err(|e| fs_error(path, e))?;
    let result = if meta.kind == Kind::Dir {
        root.remove_dir_all(&rel)
    } else {
        root.remove_file(&rel)
    };
    result.map_err(|e| fs_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_paths_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "//home/user/x",
            "/home/userx",
            "a\0b",
        ] {
            assert!(relative(bad).is_err(), "{bad}");
        }
        assert_eq!(relative("/home/user/a/b").ok(), Some(PathBuf::from("a/b")));
        assert_eq!(relative("./a").ok(), Some(PathBuf::from("a")));
    }

    #[test]
    fn symlinks_out_of_home_are_refused() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        let home = dir.path().join("home");
        let _ = std::fs::create_dir_all(&home);
        let _ = std::os::unix::fs::symlink("/etc", home.join("out"));
        assert!(read(&home, "out/passwd").is_err());
        assert!(write(&home, "out/x", b"x").is_err());
        assert!(remove(&home, "out/passwd").is_err());
        assert!(list(&home, "out", true).is_err());
        assert!(write(&home, "ok/file.txt", b"x").is_ok());
        assert_eq!(read(&home, "ok/file.txt").ok(), Some(b"x".to_vec()));
    }
}
