//! `codingit files`: files inside a live sandbox, confined to its home folder.

use super::args::{FilesAction, FilesArgs};
use super::exit::{CliError, CliResult, Exit};
use super::output::{Output, SCHEMA_VERSION};
use super::sandbox_cmd::{connect_many, find, sandbox_error};
use codingit::config::Settings;
use codingit::sandbox::paths::{relative, resolve};
use codingit::sandbox::{Backend, FileKind};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

fn local_error(doing: &str, path: &Path, e: impl std::fmt::Display) -> CliError {
    CliError::new(Exit::Failure, format!("{doing} {}: {e}", path.display()))
}

pub fn run(args: FilesArgs, settings: &Settings, out: &Output) -> CliResult {
    let runtime = super::runtime()?;
    runtime.block_on(async move {
        let backends = connect_many(args.backend, settings, out).await?;
        let id = args.sandbox.as_str();
        let b = find(&backends, id).await?;
        match args.action {
            FilesAction::Ls { path, recursive } => {
                ls(b, id, path.as_deref().unwrap_or(""), recursive, out).await
            }
            FilesAction::Cat { path } => {
                let data = b.read_file(id, &path).await.map_err(sandbox_error)?;
                out.raw(&data);
                Ok(())
            }
            FilesAction::Write { path, from } => {
                let data = read_input(from.as_deref())?;
                let size = data.len();
                b.write_files(id, &[(path.clone(), data)])
                    .await
                    .map_err(sandbox_error)?;
                report(out, "written", &[(path, size)]);
                Ok(())
            }
            FilesAction::Rm { path } => {
                b.remove_path(id, &path).await.map_err(sandbox_error)?;
                report(out, "removed", &[(path, 0)]);
                Ok(())
            }
            FilesAction::Upload { local, dest } => upload(b, id, &local, dest, out).await,
            FilesAction::Download { path, local } => download(b, id, &path, local, out).await,
        }
    })
}

fn report(out: &Output, verb: &str, files: &[(String, usize)]) {
    if out.json {
        let files: Vec<_> = files
            .iter()
            .map(|(p, size)| serde_json::json!({"path": p, "size": size}))
            .collect();
        out.json_value(&serde_json::json!({
            "schema_version": SCHEMA_VERSION, "action": verb, "files": files,
        }));
    } else {
        for (path, _) in files {
            out.info(format!("{verb} {path}"));
        }
    }
}

fn read_input(from: Option<&str>) -> CliResult<Vec<u8>> {
    match from {
        None | Some("-") => {
            let mut data = Vec::new();
            std::io::stdin()
                .read_to_end(&mut data)
                .map_err(|e| CliError::new(Exit::Failure, format!("cannot read stdin: {e}")))?;
            Ok(data)
        }
        Some(file) => {
            std::fs::read(file).map_err(|e| local_error("cannot read", Path::new(file), e))
        }
    }
}

async fn ls(b: &dyn Backend, id: &str, path: &str, recursive: bool, out: &Output) -> CliResult {
    let entries = b
        .list_files(id, path, recursive)
        .await
        .map_err(sandbox_error)?;
    if out.json {
        out.json_value(&serde_json::json!({
            "schema_version": SCHEMA_VERSION, "sandbox": id, "entries": entries,
        }));
        return Ok(());
    }
    let mut text = String::new();
    for e in entries {
        let (kind, suffix) = match e.kind {
            FileKind::Dir => ("dir", "/"),
            FileKind::File => ("file", ""),
            FileKind::Symlink => ("link", "@"),
            FileKind::Other => ("other", ""),
        };
        text.push_str(&format!("{kind:<5} {:>10}  {}{suffix}\n", e.size, e.path));
    }
    out.raw(text.as_bytes());
    Ok(())
}

/// Files of a local file or folder, as `(path inside the sandbox, bytes)`.
fn collect_local(local: &Path, dest: &str, files: &mut Vec<(String, Vec<u8>)>) -> CliResult {
    let meta = std::fs::metadata(local).map_err(|e| local_error("cannot read", local, e))?;
    if meta.is_file() {
        let data = std::fs::read(local).map_err(|e| local_error("cannot read", local, e))?;
        files.push((dest.to_string(), data));
        return Ok(());
    }
    let entries = std::fs::read_dir(local).map_err(|e| local_error("cannot read", local, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| local_error("cannot read", local, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let child = if dest.is_empty() {
            name
        } else {
            format!("{}/{name}", dest.trim_end_matches('/'))
        };
        let kind = entry
            .file_type()
            .map_err(|e| local_error("cannot read", &entry.path(), e))?;
        if kind.is_dir() || kind.is_file() {
            collect_local(&entry.path(), &child, files)?;
        }
    }
    Ok(())
}

async fn upload(
    b: &dyn Backend,
    id: &str,
    local: &Path,
    dest: Option<String>,
    out: &Output,
) -> CliResult {
    let dest = match dest {
        Some(d) => d,
        None => local
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .ok_or_else(|| CliError::new(Exit::Usage, "give a destination path"))?,
    };
    let mut files = Vec::new();
    collect_local(local, &dest, &mut files)?;
    let sizes: Vec<(String, usize)> = files.iter().map(|(p, d)| (p.clone(), d.len())).collect();
    b.write_files(id, &files).await.map_err(sandbox_error)?;
    report(out, "uploaded", &sizes);
    Ok(())
}

async fn download(
    b: &dyn Backend,
    id: &str,
    path: &str,
    local: Option<PathBuf>,
    out: &Output,
) -> CliResult {
    let resolved = resolve(path).map_err(sandbox_error)?;
    let base = relative(&resolved).to_string();
    let default_name = base
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("home");
    let local = local.unwrap_or_else(|| PathBuf::from(default_name));
    let entries = b.list_files(id, path, true).await.map_err(sandbox_error)?;
    let single_file =
        entries.len() == 1 && entries[0].kind == FileKind::File && entries[0].path == base;
    let mut written = Vec::new();
    if single_file {
        let data = b.read_file(id, path).await.map_err(sandbox_error)?;
        write_local(&local, &data)?;
        written.push((local.display().to_string(), data.len()));
    } else {
        std::fs::create_dir_all(&local).map_err(|e| local_error("cannot create", &local, e))?;
        for entry in entries.iter().filter(|e| e.kind == FileKind::File) {
            let below = entry
                .path
                .strip_prefix(&base)
                .unwrap_or(&entry.path)
                .trim_start_matches('/');
            let target = local.join(below);
            // The sandbox names the files: never let one land outside `local`.
            if Path::new(below)
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
            {
                return Err(CliError::new(
                    Exit::Sandbox,
                    format!("refused a file name from the sandbox: {below}"),
                ));
            }
            let data = b.read_file(id, &entry.path).await.map_err(sandbox_error)?;
            write_local(&target, &data)?;
            written.push((target.display().to_string(), data.len()));
        }
    }
    report(out, "downloaded", &written);
    Ok(())
}

fn write_local(path: &Path, data: &[u8]) -> CliResult {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| local_error("cannot create", parent, e))?;
    }
    std::fs::write(path, data).map_err(|e| local_error("cannot write", path, e))
}
