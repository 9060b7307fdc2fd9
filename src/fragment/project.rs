//! A project folder: the files, `.codingit/fragment.json` and `.codingit/history.jsonl`,
//! written all-or-nothing, with an undo snapshot per chat turn (see `undo`).
//!
//! A project folder is untrusted (it may be a clone of anyone's repository): every
//! read and write goes through a [`Root`] handle on it, so a symlink already in the
//! folder never leads a model's path outside, and a manifest read from disk obeys
//! the same path rules as model output.

use super::checks::{check_path_set, check_relative_path};
use super::Fragment;
use crate::safefs::{Kind, Root, SafeFsError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub use super::undo::{apply_turn, undo, TurnStore};

pub const META_DIR: &str = ".codingit";
pub(crate) const FRAGMENT_FILE: &str = "fragment.json";
pub const HISTORY_FILE: &str = "history.jsonl";
/// Largest `fragment.json` read (a cloned project must not exhaust memory).
pub const FRAGMENT_MAX_BYTES: u64 = 16 << 20;
/// Largest `history.jsonl` read.
pub const HISTORY_MAX_BYTES: u64 = 64 << 20;
/// Largest project file read to show the model or to snapshot.
pub const FILE_MAX_BYTES: u64 = 16 << 20;

/// One turn of the conversation, one line of history.jsonl.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub role: String,
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
    /// RFC 3339, UTC.
    pub time: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl HistoryEntry {
    pub fn now(role: &str, content: impl Into<String>) -> Self {
        Self {
            role: role.to_string(),
            content: content.into(),
            model: None,
            usage: None,
            time: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{0} is not empty\n  how to fix: pass --force to write into it, or choose another folder with -o")]
    NotEmpty(PathBuf),
    #[error("{0} is not a codingit project (no .codingit/fragment.json)\n  how to fix: run `codingit new` first, or point -C at a project folder")]
    NotAProject(PathBuf),
    #[error("nothing to undo in {0}")]
    NothingToUndo(PathBuf),
    /// A manifest (or undo snapshot) on disk names a path no model could: the
    /// project is refused rather than trusted.
    #[error("{dir}: refusing this project: {file} names `{path}`, which {reason}\n  how to fix: correct or remove that entry (a project from elsewhere may be hostile), or delete {file}")]
    Hostile {
        dir: PathBuf,
        file: String,
        path: String,
        reason: String,
    },
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ProjectError + '_ {
    move |e| ProjectError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// A safefs failure under `dir`.
pub(crate) fn fs_err(dir: &Path) -> impl Fn(SafeFsError) -> ProjectError + '_ {
    move |e| ProjectError::Io {
        path: dir.to_path_buf(),
        message: e.to_string(),
    }
}

/// The project folder as a handle. The user named it, so a symlink leading to it is
/// followed (once, here); nothing inside it is.
pub fn open_root(dir: &Path) -> Result<Root, ProjectError> {
    let real = dir.canonicalize().map_err(io_err(dir))?;
    Root::open(&real).map_err(fs_err(dir))
}

/// The paths of a manifest (or any set of paths to write) checked with the rules
/// model output obeys: the first problem, as (path, reason).
pub fn check_paths<'a>(paths: impl IntoIterator<Item = &'a str>) -> Result<(), (String, String)> {
    let paths: Vec<&str> = paths.into_iter().collect();
    for path in &paths {
        check_relative_path(path).map_err(|reason| (path.to_string(), reason))?;
    }
    match check_path_set(paths.iter().copied()).into_iter().next() {
        Some(problem) => Err((paths.join(", ").chars().take(200).collect(), problem)),
        None => Ok(()),
    }
}

fn hostile(dir: &Path, file: &str, (path, reason): (String, String)) -> ProjectError {
    ProjectError::Hostile {
        dir: dir.to_path_buf(),
        file: file.to_string(),
        path: path.escape_debug().to_string(),
        reason,
    }
}

/// A change to one file of a project: new content, or removal.
#[derive(Debug, Clone, PartialEq)]
pub struct FileChange {
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A folder name from a title: lowercase words joined by `-`.
pub fn folder_name(title: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "codingit-app".into()
    } else {
        slug
    }
}

/// `parent/name`, or `name-2`, `name-3`, … when taken.
pub fn unique_folder(parent: &Path, name: &str) -> PathBuf {
    let first = parent.join(name);
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| parent.join(format!("{name}-{n}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

fn is_empty_dir(dir: &Path) -> Result<bool, ProjectError> {
    Ok(std::fs::read_dir(dir)
        .map_err(io_err(dir))?
        .next()
        .is_none())
}

pub(crate) fn history_text(entries: &[HistoryEntry]) -> String {
    entries
        .iter()
        .filter_map(|e| serde_json::to_string(e).ok())
        .map(|line| line + "\n")
        .collect()
}

pub(crate) fn fragment_text(fragment: &Fragment) -> Result<String, ProjectError> {
    serde_json::to_string_pretty(fragment)
        .map(|t| t + "\n")
        .map_err(|e| ProjectError::Io {
            path: PathBuf::from(FRAGMENT_FILE),
            message: e.to_string(),
        })
}

/// Refuses a folder that exists and is not empty, unless `force`: checked before a
/// model is asked (so no call is wasted) and again when writing.
pub fn check_target(dir: &Path, force: bool) -> Result<(), ProjectError> {
    if dir.exists() && !force && !is_empty_dir(dir)? {
        return Err(ProjectError::NotEmpty(dir.to_path_buf()));
    }
    Ok(())
}

/// Writes a new project. A missing folder is built beside its final place (in a
/// staging folder named after this process, see `recover`) and renamed into it, so
/// it appears whole or not at all; an existing folder must be empty unless `force`,
/// and is then updated with rollback, through its handle.
pub fn write_new(
    dir: &Path,
    fragment: &Fragment,
    history: &[HistoryEntry],
    force: bool,
) -> Result<Vec<String>, ProjectError> {
    let all = fragment.all_files();
    let files: Vec<String> = all.iter().map(|(p, _)| p.to_string()).collect();
    check_paths(all.iter().map(|(p, _)| *p)).map_err(|bad| hostile(dir, "the fragment", bad))?;
    check_target(dir, force)?;
    if dir.exists() {
        let root = open_root(dir)?;
        let mut changes = Vec::new();
        for (path, code) in &all {
            changes.push(FileChange {
                path: path.to_string(),
                old: read_text(&root, path).map_err(fs_err(dir))?,
                new: Some(code.to_string()),
            });
        }
        apply_turn(dir, &changes, fragment, history)?;
        return Ok(files);
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let parent_root = open_root(&parent)?;
    super::recover::remove_stale_staging(&parent_root);
    let leaf = dir
        .file_name()
        .map(PathBuf::from)
        .ok_or_else(|| ProjectError::Io {
            path: dir.to_path_buf(),
            message: "names no folder".into(),
        })?;
    let staging = super::recover::staging_name(&leaf.to_string_lossy());
    let result = (|| -> Result<(), SafeFsError> {
        parent_root.create_dir_all(&staging)?;
        let stage = parent_root.subdir(&staging)?;
        for (path, code) in &all {
            stage.create_new(path, code.as_bytes())?;
        }
        let meta = Path::new(META_DIR);
        let fragment_json = fragment_text(fragment).map_err(|e| SafeFsError::Io {
            path: FRAGMENT_FILE.into(),
            source: std::io::Error::other(e.to_string()),
        })?;
        stage.write_atomic(meta.join(FRAGMENT_FILE), fragment_json.as_bytes(), None)?;
        stage.write_atomic(
            meta.join(HISTORY_FILE),
            history_text(history).as_bytes(),
            None,
        )?;
        parent_root.rename(&staging, &leaf)
    })();
    if let Err(e) = result {
        let _ = parent_root.remove_dir_all(&staging);
        return Err(fs_err(dir)(e));
    }
    Ok(files)
}

/// A project file as text: `None` when missing or not UTF-8; an error when it is a
/// symlink, a folder or anything but a regular file (never followed, never read).
pub(crate) fn read_text(root: &Root, path: &str) -> Result<Option<String>, SafeFsError> {
    match root.read(path, FILE_MAX_BYTES) {
        Ok(bytes) => Ok(String::from_utf8(bytes).ok()),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// A project file's path and its bytes on disk (`None`: missing).
pub type ProjectFile = (String, Option<Vec<u8>>);

/// The bytes of project files as they are on disk, `None` for a missing one, read
/// through the folder's handle: a path must pass the path rule, and a symlink, FIFO
/// or folder at (or on the way to) it is an error, never followed.
pub fn read_project_files(dir: &Path, paths: &[String]) -> Result<Vec<ProjectFile>, ProjectError> {
    check_paths(paths.iter().map(String::as_str))
        .map_err(|bad| hostile(dir, "the project", bad))?;
    let root = open_root(dir)?;
    paths
        .iter()
        .map(|path| match root.read(path, FILE_MAX_BYTES) {
            Ok(bytes) => Ok((path.clone(), Some(bytes))),
            Err(e) if e.is_not_found() => Ok((path.clone(), None)),
            Err(e) => Err(fs_err(dir)(e)),
        })
        .collect()
}

/// Whether `dir` is a project made by `new`: anything at `.codingit/fragment.json`,
/// or a `.codingit` that cannot be looked into without following a link, makes it
/// one (and [`Project::open`] then refuses what is not a regular manifest); only a
/// folder without that name is a repository.
pub fn is_project(dir: &Path) -> bool {
    open_root(dir).is_ok_and(|root| {
        !matches!(
            root.metadata(Path::new(META_DIR).join(FRAGMENT_FILE)),
            Err(e) if e.is_not_found()
        )
    })
}

/// The lines of a `history.jsonl` (read from `shown`, for messages).
pub fn parse_history(bytes: &[u8], shown: &Path) -> Result<Vec<HistoryEntry>, ProjectError> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).map_err(|e| ProjectError::Io {
                path: shown.to_path_buf(),
                message: format!("a history line is not valid: {e}"),
            })
        })
        .collect()
}

/// An existing project.
#[derive(Debug, Clone)]
pub struct Project {
    pub dir: PathBuf,
    pub fragment: Fragment,
    pub history: Vec<HistoryEntry>,
    /// Files put back because the last turn was killed half-way (see
    /// [`TurnStore::recover_interrupted`]).
    pub recovered: Vec<String>,
}

impl Project {
    /// Opens a project: its manifest and history read as untrusted (regular files
    /// only, size-capped, every listed path checked like model output), after
    /// putting back a turn killed half-way and removing what a killed run left
    /// (temporary files, unfinished snapshots).
    pub fn open(dir: &Path) -> Result<Self, ProjectError> {
        let root = match open_root(dir) {
            Err(ProjectError::Io { .. }) if !dir.is_dir() => {
                return Err(ProjectError::NotAProject(dir.to_path_buf()))
            }
            other => other?,
        };
        let meta = Path::new(META_DIR);
        let recovered = match root.metadata(meta).map(|m| m.kind) {
            Ok(Kind::Dir) => TurnStore::project(dir, false)?.recover_interrupted()?,
            _ => Vec::new(),
        };
        let manifest = meta.join(FRAGMENT_FILE);
        let shown = dir.join(&manifest);
        let text = match root.read(&manifest, FRAGMENT_MAX_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.is_not_found() => return Err(ProjectError::NotAProject(dir.to_path_buf())),
            Err(e) => return Err(fs_err(dir)(e)),
        };
        let fragment: Fragment = serde_json::from_slice(&text).map_err(|e| ProjectError::Io {
            path: shown.clone(),
            message: format!("not a valid fragment: {e}"),
        })?;
        check_paths(fragment.all_files().iter().map(|(p, _)| *p))
            .map_err(|bad| hostile(dir, ".codingit/fragment.json", bad))?;
        super::recover::remove_leftovers(&root, &fragment);
        let history_path = dir.join(META_DIR).join(HISTORY_FILE);
        let history_bytes = match root.read(meta.join(HISTORY_FILE), HISTORY_MAX_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.is_not_found() => Vec::new(),
            Err(e) => return Err(fs_err(dir)(e)),
        };
        let history = parse_history(&history_bytes, &history_path)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            fragment,
            history,
            recovered,
        })
    }

    /// The fragment's files as they are on disk now (the user may have edited them);
    /// a file that was deleted, is not UTF-8 text, or is not a regular file reached
    /// without a symlink is left out (never read, never shown to a model).
    pub fn current_files(&self) -> Vec<(String, String)> {
        let Ok(root) = open_root(&self.dir) else {
            return Vec::new();
        };
        self.fragment
            .all_files()
            .iter()
            .filter_map(|(path, _)| {
                read_text(&root, path)
                    .ok()
                    .flatten()
                    .map(|c| (path.to_string(), c))
            })
            .collect()
    }

    /// Problems, for the model, of writing these paths into this folder: a path
    /// through a symlink, a file where a folder is needed, a folder or link where the
    /// file goes. Checked in the repair loop; the write itself refuses them too.
    pub fn path_problems<'a>(&self, paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let Ok(root) = open_root(&self.dir) else {
            return Vec::new();
        };
        path_problems(&root, paths)
    }
}

/// See [`Project::path_problems`].
pub fn path_problems<'a>(root: &Root, paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut problems = Vec::new();
    for path in paths {
        if check_relative_path(path).is_err() {
            continue; // reported by the path rule itself
        }
        let segments: Vec<&str> = path.split('/').collect();
        for n in 1..=segments.len() {
            let prefix = segments[..n].join("/");
            let last = n == segments.len();
            let kind = match root.metadata(&prefix) {
                Ok(meta) => meta.kind,
                Err(_) => break, // missing: created on write
            };
            let problem = match kind {
                Kind::Symlink => Some(format!(
                    "file_path `{path}`: `{prefix}` is a symbolic link in the project folder; links are never followed, choose a path that does not pass through it"
                )),
                Kind::Dir if last => Some(format!(
                    "file_path `{path}` is a folder in the project; choose a file name"
                )),
                Kind::File if !last => Some(format!(
                    "file_path `{path}`: `{prefix}` is a file in the project, not a folder"
                )),
                Kind::Other => Some(format!(
                    "file_path `{path}`: `{prefix}` is not a regular file or folder"
                )),
                _ => None,
            };
            if let Some(problem) = problem {
                problems.push(problem);
                break;
            }
        }
    }
    problems
}

/// A unified diff of one change, labelled `a/PATH` and `b/PATH`.
pub fn unified_diff(change: &FileChange) -> String {
    let old = change.old.as_deref().unwrap_or("");
    let new = change.new.as_deref().unwrap_or("");
    let old_label = if change.old.is_some() {
        format!("a/{}", change.path)
    } else {
        "/dev/null".into()
    };
    let new_label = if change.new.is_some() {
        format!("b/{}", change.path)
    } else {
        "/dev/null".into()
    };
    crate::apply::unified_diff(old, new, &old_label, &new_label)
}

#[cfg(test)]
#[path = "project_tests.rs"]
mod tests;
