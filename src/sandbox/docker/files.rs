//! Files inside a sandbox over the engine's archive API, every path confined by
//! `paths::resolve` and, for symlinks, by the real path resolved inside the sandbox.

use super::connect::{engine_error, is_not_found};
use super::exec::{capture, Capture};
use crate::sandbox::paths::{check_real, relative, resolve};
use crate::sandbox::{FileEntry, FileKind, SandboxError, SANDBOX_HOME};
use bollard::query_parameters::{
    DownloadFromContainerOptionsBuilder, UploadToContainerOptionsBuilder,
};
use bollard::Docker;
use futures::StreamExt;
use std::collections::BTreeSet;
use std::io::Read;

fn io(doing: &str, e: impl std::fmt::Display) -> SandboxError {
    SandboxError::Io(format!("{doing}: {e}"))
}

fn argv(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// Real paths (symlinks resolved inside the sandbox) of resolved paths, each checked
/// to stay under the home.
pub async fn real_paths(
    docker: &Docker,
    container: &str,
    requested: &[(String, String)],
) -> Result<Vec<String>, SandboxError> {
    if requested.is_empty() {
        return Ok(Vec::new());
    }
    let mut cmd = argv(&["realpath", "-m", "--"]);
    cmd.extend(requested.iter().map(|(_, resolved)| resolved.clone()));
    let out = capture(docker, container, Capture::new(cmd)).await?;
    if out.exit_code != 0 {
        return Err(SandboxError::Backend(format!(
            "could not resolve paths inside the sandbox: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() != requested.len() {
        return Err(SandboxError::Backend(
            "could not resolve paths inside the sandbox: unexpected answer".into(),
        ));
    }
    let mut real = Vec::with_capacity(lines.len());
    for ((given, _), line) in requested.iter().zip(lines) {
        check_real(given, line)?;
        real.push(line.to_string());
    }
    Ok(real)
}

async fn real_path(docker: &Docker, container: &str, path: &str) -> Result<String, SandboxError> {
    let resolved = resolve(path)?;
    let mut real = real_paths(docker, container, &[(path.to_string(), resolved)]).await?;
    real.pop()
        .ok_or_else(|| SandboxError::Backend("could not resolve a path".into()))
}

/// Writes files (creating folders) owned by the sandbox user. `fresh`: nothing has
/// run in the sandbox yet, so its home holds only the image's files and no symlink
/// can have been planted; the in-sandbox `realpath` check (one exec) is skipped.
pub async fn write_files(
    docker: &Docker,
    container: &str,
    files: &[(String, Vec<u8>)],
    fresh: bool,
) -> Result<(), SandboxError> {
    let mut requested = Vec::with_capacity(files.len());
    for (path, _) in files {
        let resolved = resolve(path)?;
        if resolved == SANDBOX_HOME {
            return Err(SandboxError::Path {
                path: path.clone(),
                reason: "that is the home folder itself, not a file".into(),
            });
        }
        requested.push((path.clone(), resolved));
    }
    let real = if fresh {
        requested
            .into_iter()
            .map(|(_, resolved)| resolved)
            .collect()
    } else {
        real_paths(docker, container, &requested).await?
    };
    let mut builder = tar::Builder::new(Vec::new());
    let mut folders = BTreeSet::new();
    for (real, (_, data)) in real.iter().zip(files) {
        let rel = relative(real);
        let mut parent = String::new();
        for part in rel
            .split('/')
            .take(rel.split('/').count().saturating_sub(1))
        {
            if !parent.is_empty() {
                parent.push('/');
            }
            parent.push_str(part);
            if folders.insert(parent.clone()) {
                let mut header = header(tar::EntryType::Directory, 0o755, 0);
                builder
                    .append_data(&mut header, format!("{parent}/"), std::io::empty())
                    .map_err(|e| io("packing files", e))?;
            }
        }
        let mut header = header(tar::EntryType::Regular, 0o644, data.len() as u64);
        builder
            .append_data(&mut header, rel, data.as_slice())
            .map_err(|e| io("packing files", e))?;
    }
    let archive = builder.into_inner().map_err(|e| io("packing files", e))?;
    let options = UploadToContainerOptionsBuilder::default()
        .path(SANDBOX_HOME)
        .build();
    docker
        .upload_to_container(container, Some(options), bollard::body_full(archive.into()))
        .await
        .map_err(|e| engine_error("writing files", e))
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_uid(1000);
    header.set_gid(1000);
    header.set_size(size);
    header.set_mtime(crate::sandbox::unix_now());
    header
}

/// The tar archive of a path (file or folder), as the engine sends it.
pub async fn download_tar(
    docker: &Docker,
    container: &str,
    path: &str,
) -> Result<Vec<u8>, SandboxError> {
    let real = real_path(docker, container, path).await?;
    let options = DownloadFromContainerOptionsBuilder::default()
        .path(&real)
        .build();
    let mut stream = docker.download_from_container(container, Some(options));
    let mut archive = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => archive.extend_from_slice(&bytes),
            Err(e) if is_not_found(&e) => {
                return Err(SandboxError::Io(format!(
                    "no such file or folder: {}",
                    relative(&real)
                )))
            }
            Err(e) => return Err(engine_error("reading files", e)),
        }
    }
    Ok(archive)
}

/// The contents of one file.
pub async fn read_file(
    docker: &Docker,
    container: &str,
    path: &str,
) -> Result<Vec<u8>, SandboxError> {
    let archive = download_tar(docker, container, path).await?;
    let mut reader = tar::Archive::new(archive.as_slice());
    let mut entries = reader.entries().map_err(|e| io("reading files", e))?;
    let Some(entry) = entries.next() else {
        return Err(SandboxError::Io(format!("no such file: {path}")));
    };
    let mut entry = entry.map_err(|e| io("reading files", e))?;
    match entry.header().entry_type() {
        tar::EntryType::Regular | tar::EntryType::Continuous => {
            let mut data = Vec::new();
            entry
                .read_to_end(&mut data)
                .map_err(|e| io("reading files", e))?;
            Ok(data)
        }
        tar::EntryType::Directory => Err(SandboxError::Io(format!(
            "{path} is a folder (list it with `files ls`, copy it with `files download`)"
        ))),
        _ => Err(SandboxError::Io(format!("{path} is not a regular file"))),
    }
}

/// The contents of a regular file the sandbox user (uid 1000) owns, at an absolute
/// path already confined to the home, in one archive download (no `realpath` exec),
/// or `None`. For files codingit's own code wrote in the sandbox (the interpreter's
/// result): a symlink is refused, and a link planted in a parent folder can only
/// lead to another file of the sandbox user (the engine resolves it inside the
/// container), which that user could read anyway. At most `max` bytes.
pub async fn read_own_file(
    docker: &Docker,
    container: &str,
    path: &str,
    max: u64,
) -> Option<Vec<u8>> {
    let options = DownloadFromContainerOptionsBuilder::default()
        .path(path)
        .build();
    let mut stream = docker.download_from_container(container, Some(options));
    let mut archive = Vec::new();
    while let Some(chunk) = stream.next().await {
        archive.extend_from_slice(&chunk.ok()?);
        if archive.len() as u64 > max + (64 << 10) {
            return None;
        }
    }
    let mut reader = tar::Archive::new(archive.as_slice());
    let mut entry = reader.entries().ok()?.next()?.ok()?;
    let header = entry.header();
    let regular = matches!(
        header.entry_type(),
        tar::EntryType::Regular | tar::EntryType::Continuous
    );
    if !regular || header.uid().ok()? != 1000 || header.size().ok()? > max {
        return None;
    }
    let mut data = Vec::new();
    entry.read_to_end(&mut data).ok()?;
    Some(data)
}

/// Files under a path, with clean paths relative to the home and their types.
pub async fn list(
    docker: &Docker,
    container: &str,
    path: &str,
    recursive: bool,
) -> Result<Vec<FileEntry>, SandboxError> {
    let real = real_path(docker, container, path).await?;
    let mut cmd = argv(&["find", &real, "-mindepth", "0"]);
    if !recursive {
        cmd.extend(argv(&["-maxdepth", "1"]));
    }
    cmd.extend(argv(&["-printf", "%y\\t%s\\t%P\\0"]));
    let out = capture(docker, container, Capture::new(cmd)).await?;
    if out.exit_code != 0 && out.stdout.is_empty() {
        return Err(SandboxError::Io(format!(
            "no such file or folder: {path} ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let base = relative(&real);
    let mut entries = Vec::new();
    let mut root_is_dir = false;
    for record in out.stdout.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let text = String::from_utf8_lossy(record);
        let mut fields = text.splitn(3, '\t');
        let (Some(kind), Some(size), Some(name)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let kind = match kind {
            "f" => FileKind::File,
            "d" => FileKind::Dir,
            "l" => FileKind::Symlink,
            _ => FileKind::Other,
        };
        if name.is_empty() {
            // The path itself: list a folder's contents, or show a file alone.
            if kind == FileKind::Dir {
                root_is_dir = true;
                continue;
            }
        }
        let path = match (base.is_empty(), name.is_empty()) {
            (_, true) => base.to_string(),
            (true, false) => name.to_string(),
            (false, false) => format!("{base}/{name}"),
        };
        entries.push(FileEntry {
            path,
            kind,
            size: size.parse().unwrap_or(0),
        });
    }
    let _ = root_is_dir;
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// Removes a file or folder (a symlink itself, never its target).
pub async fn remove(docker: &Docker, container: &str, path: &str) -> Result<(), SandboxError> {
    let resolved = resolve(path)?;
    if resolved == SANDBOX_HOME {
        return Err(SandboxError::Path {
            path: path.to_string(),
            reason: "refusing to remove the home folder itself".into(),
        });
    }
    let (parent, name) = resolved
        .rsplit_once('/')
        .ok_or_else(|| SandboxError::Backend("could not split a path".into()))?;
    let real_parent = real_paths(docker, container, &[(path.to_string(), parent.to_string())])
        .await?
        .pop()
        .ok_or_else(|| SandboxError::Backend("could not resolve a path".into()))?;
    let target = format!("{real_parent}/{name}");
    let script = "[ -e \"$1\" ] || [ -L \"$1\" ] || exit 3; rm -rf -- \"$1\"";
    let out = capture(
        docker,
        container,
        Capture::new(argv(&["sh", "-c", script, "sh", &target])),
    )
    .await?;
    match out.exit_code {
        0 => Ok(()),
        3 => Err(SandboxError::Io(format!("no such file or folder: {path}"))),
        _ => Err(SandboxError::Io(format!(
            "could not remove {path}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))),
    }
}
