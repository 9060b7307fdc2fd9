//! Files of an E2B sandbox: confined by `paths` first, symlinks resolved inside the
//! sandbox (`realpath -m`, one process) and checked to stay in the home, then moved
//! through envd's `/files` and `filesystem.Filesystem`.

use super::envd::{Envd, EnvdError};
use super::process::{self, number, Command};
use crate::sandbox::paths::{check_real, relative, resolve};
use crate::sandbox::{FileEntry, FileKind, OutputChunk, SandboxError, SANDBOX_HOME};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Depth of a recursive listing (envd lists to a given depth).
const RECURSIVE_DEPTH: u32 = 64;

/// The real paths of `requested` (each `(as given, resolved)`), checked to stay in the
/// home; the resolved paths themselves when `fresh` (nothing ran in the sandbox yet,
/// so no link can have been planted).
pub async fn real_paths(
    envd: &Envd,
    requested: &[(String, String)],
    fresh: bool,
) -> Result<Vec<String>, EnvdOrPath> {
    if fresh || requested.is_empty() {
        return Ok(requested.iter().map(|(_, r)| r.clone()).collect());
    }
    let mut argv = vec!["realpath".to_string(), "-m".into(), "--".into()];
    argv.extend(requested.iter().map(|(_, resolved)| resolved.clone()));
    let out = Mutex::new(Vec::new());
    let sink = |c: OutputChunk| {
        if let (OutputChunk::Stdout(b), Ok(mut o)) = (c, out.lock()) {
            o.extend_from_slice(&b);
        }
    };
    let env = BTreeMap::new();
    let command = Command {
        argv: &argv,
        env: &env,
        cwd: SANDBOX_HOME,
        timeout: Some(Duration::from_secs(60)),
        output_bytes: 1 << 24,
        tag: None,
    };
    let outcome = process::run(envd, &command, &sink).await?;
    let text = out.lock().map(|o| o.clone()).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().collect();
    if outcome.exit_code != 0 || lines.len() != requested.len() {
        return Err(EnvdOrPath::Sandbox(SandboxError::Backend(
            "could not resolve paths inside the sandbox (realpath failed)".into(),
        )));
    }
    let mut real = Vec::with_capacity(lines.len());
    for ((given, _), line) in requested.iter().zip(lines) {
        check_real(given, line)?;
        real.push(line.to_string());
    }
    Ok(real)
}

/// A failure of a file operation: envd's (which the backend turns into a sandbox
/// error, checking whether the sandbox is gone), or already a sandbox error.
#[derive(Debug)]
pub enum EnvdOrPath {
    Envd(EnvdError),
    Sandbox(SandboxError),
}

impl From<EnvdError> for EnvdOrPath {
    fn from(e: EnvdError) -> Self {
        Self::Envd(e)
    }
}

impl From<SandboxError> for EnvdOrPath {
    fn from(e: SandboxError) -> Self {
        Self::Sandbox(e)
    }
}

pub async fn write(
    envd: &Envd,
    files: &[(String, Vec<u8>)],
    fresh: bool,
) -> Result<(), EnvdOrPath> {
    let mut requested = Vec::with_capacity(files.len());
    for (path, _) in files {
        let resolved = resolve(path)?;
        if resolved == SANDBOX_HOME {
            return Err(SandboxError::Path {
                path: path.clone(),
                reason: "that is the home folder itself, not a file".into(),
            }
            .into());
        }
        requested.push((path.clone(), resolved));
    }
    let real = real_paths(envd, &requested, fresh).await?;
    for (path, (_, bytes)) in real.iter().zip(files) {
        envd.upload(path, bytes.clone()).await?;
    }
    Ok(())
}

pub async fn read(envd: &Envd, path: &str, limit: u64) -> Result<Vec<u8>, EnvdOrPath> {
    let resolved = resolve(path)?;
    let real = real_paths(envd, &[(path.to_string(), resolved)], false).await?;
    let real = real.first().cloned().unwrap_or_default();
    Ok(envd.download(&real, limit).await?)
}

pub async fn list(envd: &Envd, path: &str, recursive: bool) -> Result<Vec<FileEntry>, EnvdOrPath> {
    let resolved = resolve(path)?;
    let real = real_paths(envd, &[(path.to_string(), resolved)], false).await?;
    let real = real.first().cloned().unwrap_or_default();
    let depth = if recursive { RECURSIVE_DEPTH } else { 1 };
    let answer: Value = match envd
        .unary(
            "filesystem.Filesystem/ListDir",
            &json!({ "path": real, "depth": depth }),
        )
        .await
    {
        Ok(answer) => answer,
        // envd lists folders only (a file is `invalid_argument`); the other backends
        // list a file as itself, which `files download FILE` relies on to tell a
        // file from a folder, so a file is asked about on its own.
        Err(EnvdError::Call(e)) if e.code() == "invalid_argument" => {
            return match file_entry(envd, &real).await? {
                Some(entry) => Ok(vec![entry]),
                None => Err(EnvdError::Call(e).into()),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let mut entries = Vec::new();
    for entry in answer["entries"].as_array().into_iter().flatten() {
        let full = entry["path"].as_str().unwrap_or_default();
        // Anything outside the home is not shown (envd lists what it is asked).
        if check_real(full, full).is_err() {
            continue;
        }
        entries.push(FileEntry {
            path: relative(full).to_string(),
            kind: kind(entry["type"].as_str().unwrap_or_default()),
            size: number(&entry["size"]),
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// The entry of `real` when it is not a folder (`None` for a folder).
async fn file_entry(envd: &Envd, real: &str) -> Result<Option<FileEntry>, EnvdError> {
    let answer: Value = envd
        .unary("filesystem.Filesystem/Stat", &json!({ "path": real }))
        .await?;
    let entry = &answer["entry"];
    let file_type = entry["type"].as_str().unwrap_or_default();
    if file_type == "FILE_TYPE_DIRECTORY" {
        return Ok(None);
    }
    Ok(Some(FileEntry {
        path: relative(real).to_string(),
        kind: kind(file_type),
        size: number(&entry["size"]),
    }))
}

pub async fn remove(envd: &Envd, path: &str) -> Result<(), EnvdOrPath> {
    let resolved = resolve(path)?;
    if resolved == SANDBOX_HOME {
        return Err(SandboxError::Path {
            path: path.to_string(),
            reason: "is the home folder itself".into(),
        }
        .into());
    }
    // The link itself is removed, never what it points to: resolve the parent only.
    let (parent, name) = resolved.rsplit_once('/').unwrap_or((SANDBOX_HOME, ""));
    let parent_real = real_paths(envd, &[(path.to_string(), parent.to_string())], false).await?;
    let target = format!("{}/{name}", parent_real.first().map_or(parent, |p| p));
    envd.unary::<Value>("filesystem.Filesystem/Remove", &json!({ "path": target }))
        .await?;
    Ok(())
}

fn kind(file_type: &str) -> FileKind {
    match file_type {
        "FILE_TYPE_FILE" => FileKind::File,
        "FILE_TYPE_DIRECTORY" => FileKind::Dir,
        "FILE_TYPE_SYMLINK" => FileKind::Symlink,
        _ => FileKind::Other,
    }
}
