//! File access in a local sandbox: every path is confined to the sandbox home.

use crate::sandbox::{FileEntry, FileKind, SandboxError, SANDBOX_HOME};
use std::path::{Component, Path, PathBuf};

fn refuse(path: &str, reason: &str) -> SandboxError {
    SandboxError::Path {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// The path relative to the home: relative paths as they are, absolute ones only
/// under `/home/user`; `..`, `//`, NUL bytes and empty names are refused.
pub fn relative(path: &str) -> Result<PathBuf, SandboxError> {
    if path.contains('\0') {
        return Err(refuse(path, "contains a NUL byte"));
    }
    if path.contains("//") {
        return Err(refuse(path, "contains `//`"));
    }
    let rest = if let Some(rest) = path.strip_prefix(SANDBOX_HOME) {
        if !(rest.is_empty() || rest.starts_with('/')) {
            return Err(refuse(path, "absolute paths must lie inside /home/user"));
        }
        rest.trim_start_matches('/')
    } else if path.starts_with('/') {
        return Err(refuse(path, "absolute paths must lie inside /home/user"));
    } else {
        path
    };
    let mut out = PathBuf::new();
    for component in Path::new(rest).components() {
        match component {
            Component::Normal(name) => out.push(name),
            Component::CurDir => {}
            _ => return Err(refuse(path, "`..` is not allowed")),
        }
    }
    Ok(out)
}

/// The host path of a sandbox path; no existing part of it may be a symlink that
/// leads outside the home.
pub fn resolve(home: &Path, path: &str) -> Result<PathBuf, SandboxError> {
    let rel = relative(path)?;
    let home_real = home
        .canonicalize()
        .map_err(|e| SandboxError::Io(format!("the sandbox home is gone: {e}")))?;
    let mut current = home_real.clone();
    for component in rel.components() {
        current.push(component);
        if let Ok(meta) = std::fs::symlink_metadata(&current) {
            if meta.file_type().is_symlink() {
                let target = current
                    .canonicalize()
                    .map_err(|_| refuse(path, "is a symlink whose target does not exist"))?;
                if !target.starts_with(&home_real) {
                    return Err(refuse(
                        path,
                        "is a symlink that leads outside the sandbox home",
                    ));
                }
                current = target;
            }
        }
    }
    Ok(current)
}

/// Lists a folder (recursively on request) with paths relative to the home.
pub fn list(home: &Path, path: &str, recursive: bool) -> Result<Vec<FileEntry>, SandboxError> {
    let root = resolve(home, path)?;
    let home_real = home
        .canonicalize()
        .map_err(|e| SandboxError::Io(format!("the sandbox home is gone: {e}")))?;
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    if root.is_file() {
        let meta = std::fs::metadata(&root).map_err(|e| SandboxError::Io(e.to_string()))?;
        out.push(entry(&home_real, &root, &meta));
        return Ok(out);
    }
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| SandboxError::Io(format!("cannot list `{path}`: {e}")))?;
        for item in entries.flatten() {
            let Ok(meta) = std::fs::symlink_metadata(item.path()) else {
                continue;
            };
            let e = entry(&home_real, &item.path(), &meta);
            if recursive && e.kind == FileKind::Dir {
                stack.push(item.path());
            }
            out.push(e);
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn entry(home: &Path, path: &Path, meta: &std::fs::Metadata) -> FileEntry {
    let rel = path.strip_prefix(home).unwrap_or(path);
    let kind = if meta.file_type().is_symlink() {
        FileKind::Symlink
    } else if meta.is_dir() {
        FileKind::Dir
    } else if meta.is_file() {
        FileKind::File
    } else {
        FileKind::Other
    };
    FileEntry {
        path: rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        kind,
        size: if meta.is_file() { meta.len() } else { 0 },
    }
}

pub fn write(home: &Path, path: &str, data: &[u8]) -> Result<(), SandboxError> {
    let target = resolve(home, path)?;
    if target == home.canonicalize().unwrap_or_default() {
        return Err(refuse(path, "is the home folder itself"));
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| SandboxError::Io(format!("cannot create the folder of `{path}`: {e}")))?;
        // The folders just created must not have raced into symlinks.
        resolve(home, path)?;
    }
    replace_file(&target, data).map_err(|e| SandboxError::Io(format!("cannot write `{path}`: {e}")))
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
    let target = resolve(home, path)?;
    std::fs::read(&target).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            SandboxError::Io(format!("no file `{path}` in the sandbox"))
        }
        _ => SandboxError::Io(format!("cannot read `{path}`: {e}")),
    })
}

pub fn remove(home: &Path, path: &str) -> Result<(), SandboxError> {
    let target = resolve(home, path)?;
    if target == home.canonicalize().unwrap_or_default() {
        return Err(refuse(path, "is the home folder itself"));
    }
    let meta = std::fs::symlink_metadata(&target)
        .map_err(|e| SandboxError::Io(format!("cannot remove `{path}`: {e}")))?;
    let result = if meta.is_dir() {
        std::fs::remove_dir_all(&target)
    } else {
        std::fs::remove_file(&target)
    };
    result.map_err(|e| SandboxError::Io(format!("cannot remove `{path}`: {e}")))
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
        assert!(resolve(&home, "out/passwd").is_err());
        assert!(write(&home, "ok/file.txt", b"x").is_ok());
        assert_eq!(read(&home, "ok/file.txt").ok(), Some(b"x".to_vec()));
    }
}
