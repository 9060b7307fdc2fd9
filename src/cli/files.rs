//! `codingit files`: files inside a live sandbox, confined to its home folder.

use super::args::{FilesAction, FilesArgs};
use super::exit::{CliError, CliResult, Exit};
use super::output::{Output, SCHEMA_VERSION};
use super::sandbox_view::{connect_many, find, sandbox_error};
use codingit::config::Settings;
use codingit::fragment::checks::{check_relative_path, is_vcs_name};
use codingit::safefs::{Kind, Root};
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
            FilesAction::Download { path, local, force } => {
                download(b, id, &path, local, force, out).await
            }
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

/// Largest local file uploaded, and most names in an uploaded folder.
const UPLOAD_FILE_MAX: u64 = 1 << 30;
const UPLOAD_MAX_ENTRIES: usize = 100_000;

/// Files of a local file or folder, as `(path inside the sandbox, bytes)`. The folder
/// the user named is opened once; inside it, regular files only are taken and no
/// symlink is followed (a link to `~/.ssh` in a project never uploads its target).
fn collect_local(local: &Path, dest: &str, files: &mut Vec<(String, Vec<u8>)>) -> CliResult {
    let meta = std::fs::metadata(local).map_err(|e| local_error("cannot read", local, e))?;
    if meta.is_file() {
        let data = std::fs::read(local).map_err(|e| local_error("cannot read", local, e))?;
        files.push((dest.to_string(), data));
        return Ok(());
    }
    let real = local
        .canonicalize()
        .map_err(|e| local_error("cannot read", local, e))?;
    let root = Root::open(&real).map_err(|e| local_error("cannot read", local, e))?;
    let entries = root
        .walk("", UPLOAD_MAX_ENTRIES)
        .map_err(|e| local_error("cannot read", local, e))?;
    for entry in entries.into_iter().filter(|e| e.kind == Kind::File) {
        let below = entry.path.to_string_lossy().into_owned();
        let data = root
            .read(&entry.path, UPLOAD_FILE_MAX)
            .map_err(|e| local_error("cannot read", &local.join(&entry.path), e))?;
        let child = if dest.is_empty() {
            below
        } else {
            format!("{}/{below}", dest.trim_end_matches('/'))
        };
        files.push((child, data));
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
    force: bool,
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
    let (parent, leaf) = local_target(&local)?;
    let entries = b.list_files(id, path, true).await.map_err(sandbox_error)?;
    let single_file =
        entries.len() == 1 && entries[0].kind == FileKind::File && entries[0].path == base;
    let existing = match parent.metadata(&leaf) {
        Ok(meta) => Some(meta.kind),
        Err(e) if e.is_not_found() => None,
        Err(e) => return Err(local_error("cannot use", &local, e)),
    };
    if existing.is_some() && !force {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "{} exists\n  how to fix: pass --force to replace it, or name another local path",
                local.display()
            ),
        ));
    }
    if single_file {
        if existing == Some(Kind::Dir) {
            return Err(local_error("cannot write", &local, "it is a folder"));
        }
        let data = b.read_file(id, path).await.map_err(sandbox_error)?;
        // Atomic, and a symlink at the target is replaced, never written through.
        parent
            .write_atomic(&leaf, &data, None)
            .map_err(|e| local_error("cannot write", &local, e))?;
        report(
            out,
            "downloaded",
            &[(local.display().to_string(), data.len())],
        );
        return Ok(());
    }
    // The sandbox names the files: every name is checked before anything is written.
    let mut files = Vec::new();
    for entry in entries.iter().filter(|e| e.kind == FileKind::File) {
        let below = entry
            .path
            .strip_prefix(&base)
            .unwrap_or(&entry.path)
            .trim_start_matches('/')
            .to_string();
        if let Err(reason) = check_relative_path(&below) {
            return Err(CliError::new(
                Exit::Sandbox,
                format!("refused a file name from the sandbox: {below}: {reason}; nothing was downloaded"),
            ));
        }
        files.push((entry.path.clone(), below));
    }
    let mut fetched = Vec::with_capacity(files.len());
    for (inside, below) in files {
        let data = b.read_file(id, &inside).await.map_err(sandbox_error)?;
        fetched.push((below, data));
    }
    let written = match existing {
        None => download_new_folder(&parent, &leaf, &local, &fetched)?,
        Some(Kind::Dir) => download_into(&parent, &leaf, &local, &fetched)?,
        Some(_) => {
            return Err(local_error(
                "cannot download a folder to",
                &local,
                "it is not a folder",
            ))
        }
    };
    report(out, "downloaded", &written);
    Ok(())
}

/// The folder holding a local target (the user named it: followed as usual) as a
/// handle, and the target's name in it. A target with a `.git`, `.hg` or `.svn`
/// name anywhere is refused.
fn local_target(local: &Path) -> CliResult<(Root, PathBuf)> {
    for part in local.components() {
        if let Component::Normal(name) = part {
            if is_vcs_name(&name.to_string_lossy()) {
                return Err(CliError::new(
                    Exit::Usage,
                    format!(
                        "refused {}: files are never downloaded into a version-control folder",
                        local.display()
                    ),
                ));
            }
        }
    }
    let leaf = match local.components().next_back() {
        Some(Component::Normal(name)) => PathBuf::from(name),
        _ => {
            return Err(CliError::new(
                Exit::Usage,
                format!(
                    "name a file or folder to download to, not {}",
                    local.display()
                ),
            ))
        }
    };
    let parent = match local.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let root = Root::open(
        &parent
            .canonicalize()
            .map_err(|e| local_error("cannot use", &parent, e))?,
    )
    .map_err(|e| local_error("cannot use", &parent, e))?;
    Ok((root, leaf))
}

/// A folder that did not exist: built beside its place and renamed into it, so it
/// appears whole or not at all.
fn download_new_folder(
    parent: &Root,
    leaf: &Path,
    local: &Path,
    files: &[(String, Vec<u8>)],
) -> CliResult<Vec<(String, usize)>> {
    let staging = PathBuf::from(format!(
        ".{}.codingit-{:08x}",
        leaf.display(),
        fastrand::u32(..)
    ));
    let result = (|| -> Result<(), codingit::safefs::SafeFsError> {
        parent.create_dir_all(&staging)?;
        let stage = parent.subdir(&staging)?;
        for (below, data) in files {
            stage.create_new(below, data)?;
        }
        parent.rename(&staging, leaf)
    })();
    if let Err(e) = result {
        let _ = parent.remove_dir_all(&staging);
        return Err(local_error("cannot write", local, e));
    }
    Ok(files
        .iter()
        .map(|(below, data)| (local.join(below).display().to_string(), data.len()))
        .collect())
}

/// An existing folder (with --force): every target is checked first (no symlink on
/// the way, no folder in the place of a file), then each file replaced atomically.
fn download_into(
    parent: &Root,
    leaf: &Path,
    local: &Path,
    files: &[(String, Vec<u8>)],
) -> CliResult<Vec<(String, usize)>> {
    let dir = parent
        .subdir(leaf)
        .map_err(|e| local_error("cannot use", local, e))?;
    for (below, _) in files {
        match dir.metadata(below) {
            Ok(meta) if meta.kind == Kind::File => {}
            Err(e) if e.is_not_found() => {}
            Ok(_) => {
                return Err(local_error(
                    "refused",
                    &local.join(below),
                    "it exists and is not a regular file; nothing was downloaded",
                ))
            }
            Err(e) => {
                return Err(local_error(
                    "refused",
                    &local.join(below),
                    format!("{e}; nothing was downloaded"),
                ))
            }
        }
    }
    let mut written = Vec::new();
    for (below, data) in files {
        let target = local.join(below);
        dir.write_atomic(below, data, None)
            .map_err(|e| local_error("cannot write", &target, e))?;
        written.push((target.display().to_string(), data.len()));
    }
    Ok(written)
}
