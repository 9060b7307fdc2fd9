//! A project folder: the files, `.codingit/fragment.json` and `.codingit/history.jsonl`,
//! written all-or-nothing, with an undo snapshot per chat turn.

use super::Fragment;
use crate::fsutil::write_atomic;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const META_DIR: &str = ".codingit";
const FRAGMENT_FILE: &str = "fragment.json";
const HISTORY_FILE: &str = "history.jsonl";
const UNDO_DIR: &str = "undo";

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
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ProjectError + '_ {
    move |e| ProjectError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
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

fn history_text(entries: &[HistoryEntry]) -> String {
    entries
        .iter()
        .filter_map(|e| serde_json::to_string(e).ok())
        .map(|line| line + "\n")
        .collect()
}

fn fragment_text(fragment: &Fragment) -> Result<String, ProjectError> {
    serde_json::to_string_pretty(fragment)
        .map(|t| t + "\n")
        .map_err(|e| ProjectError::Io {
            path: PathBuf::from(FRAGMENT_FILE),
            message: e.to_string(),
        })
}

/// Removes a staging folder unless the write completed.
struct Staging {
    path: PathBuf,
    keep: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Refuses a folder that exists and is not empty, unless `force`: checked before a
/// model is asked (so no call is wasted) and again when writing.
pub fn check_target(dir: &Path, force: bool) -> Result<(), ProjectError> {
    if dir.exists() && !force && !is_empty_dir(dir)? {
        return Err(ProjectError::NotEmpty(dir.to_path_buf()));
    }
    Ok(())
}

/// Writes a new project. A missing folder is built beside its final place and renamed
/// into it, so it appears whole or not at all; an existing folder must be empty unless
/// `force`, and is then updated with rollback.
pub fn write_new(
    dir: &Path,
    fragment: &Fragment,
    history: &[HistoryEntry],
    force: bool,
) -> Result<Vec<String>, ProjectError> {
    let files: Vec<String> = fragment
        .all_files()
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    check_target(dir, force)?;
    if dir.exists() {
        let changes = fragment
            .all_files()
            .iter()
            .map(|(path, code)| FileChange {
                path: path.to_string(),
                old: std::fs::read_to_string(dir.join(path)).ok(),
                new: Some(code.to_string()),
            })
            .collect::<Vec<_>>();
        apply_turn(dir, &changes, fragment, history)?;
        return Ok(files);
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let leaf = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut staging = Staging {
        path: parent.join(format!(".{leaf}.codingit-{:08x}", fastrand::u32(..))),
        keep: false,
    };
    std::fs::create_dir(&staging.path).map_err(io_err(&staging.path))?;
    for (path, code) in fragment.all_files() {
        write_file(&staging.path.join(path), code.as_bytes())?;
    }
    let meta = staging.path.join(META_DIR);
    write_file(
        &meta.join(FRAGMENT_FILE),
        fragment_text(fragment)?.as_bytes(),
    )?;
    write_file(&meta.join(HISTORY_FILE), history_text(history).as_bytes())?;
    std::fs::rename(&staging.path, dir).map_err(io_err(dir))?;
    staging.keep = true;
    Ok(files)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ProjectError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    write_atomic(path, bytes).map_err(io_err(path))
}

/// An existing project.
#[derive(Debug, Clone)]
pub struct Project {
    pub dir: PathBuf,
    pub fragment: Fragment,
    pub history: Vec<HistoryEntry>,
}

impl Project {
    pub fn open(dir: &Path) -> Result<Self, ProjectError> {
        let path = dir.join(META_DIR).join(FRAGMENT_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ProjectError::NotAProject(dir.to_path_buf()))
            }
            Err(e) => return Err(io_err(&path)(e)),
        };
        let fragment: Fragment = serde_json::from_str(&text).map_err(|e| ProjectError::Io {
            path: path.clone(),
            message: format!("not a valid fragment: {e}"),
        })?;
        let history_path = dir.join(META_DIR).join(HISTORY_FILE);
        let history = std::fs::read_to_string(&history_path)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l).map_err(|e| ProjectError::Io {
                    path: history_path.clone(),
                    message: format!("a history line is not valid: {e}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            dir: dir.to_path_buf(),
            fragment,
            history,
        })
    }

    /// The fragment's files as they are on disk now (the user may have edited them);
    /// a file that was deleted is left out.
    pub fn current_files(&self) -> Vec<(String, String)> {
        self.fragment
            .all_files()
            .iter()
            .filter_map(|(path, _)| {
                std::fs::read_to_string(self.dir.join(path))
                    .ok()
                    .map(|c| (path.to_string(), c))
            })
            .collect()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct UndoManifest {
    /// Files touched by the turn and whether each existed before it.
    files: Vec<(String, bool)>,
    history_len: usize,
    had_fragment: bool,
}

fn undo_root(dir: &Path) -> PathBuf {
    dir.join(META_DIR).join(UNDO_DIR)
}

fn latest_snapshot(dir: &Path) -> Option<(u64, PathBuf)> {
    std::fs::read_dir(undo_root(dir))
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.parse::<u64>().ok()?, e.path())))
        .max_by_key(|(n, _)| *n)
}

/// Applies a turn: snapshot what it touches, write the files, the manifest and the
/// history; on any failure, put everything back.
pub fn apply_turn(
    dir: &Path,
    changes: &[FileChange],
    fragment: &Fragment,
    history: &[HistoryEntry],
) -> Result<(), ProjectError> {
    let snapshot = snapshot(dir, changes)?;
    let result = (|| {
        for change in changes {
            let path = dir.join(&change.path);
            match &change.new {
                Some(content) => write_file(&path, content.as_bytes())?,
                None => match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(io_err(&path)(e))
                    }
                    _ => {}
                },
            }
        }
        let meta = dir.join(META_DIR);
        write_file(
            &meta.join(FRAGMENT_FILE),
            fragment_text(fragment)?.as_bytes(),
        )?;
        write_file(&meta.join(HISTORY_FILE), history_text(history).as_bytes())
    })();
    if let Err(error) = result {
        let _ = restore(dir, &snapshot);
        let _ = std::fs::remove_dir_all(&snapshot);
        return Err(error);
    }
    Ok(())
}

fn snapshot(dir: &Path, changes: &[FileChange]) -> Result<PathBuf, ProjectError> {
    let next = latest_snapshot(dir).map(|(n, _)| n + 1).unwrap_or(1);
    let snap = undo_root(dir).join(next.to_string());
    let files_dir = snap.join("files");
    std::fs::create_dir_all(&files_dir).map_err(io_err(&files_dir))?;
    let mut files = Vec::new();
    for change in changes {
        let source = dir.join(&change.path);
        let existed = source.is_file();
        if existed {
            let bytes = std::fs::read(&source).map_err(io_err(&source))?;
            write_file(&files_dir.join(&change.path), &bytes)?;
        }
        files.push((change.path.clone(), existed));
    }
    let meta = dir.join(META_DIR);
    let had_fragment = meta.join(FRAGMENT_FILE).is_file();
    for name in [FRAGMENT_FILE, HISTORY_FILE] {
        if let Ok(bytes) = std::fs::read(meta.join(name)) {
            write_file(&snap.join(name), &bytes)?;
        }
    }
    let history_len = std::fs::read_to_string(meta.join(HISTORY_FILE))
        .map(|t| t.lines().count())
        .unwrap_or(0);
    let manifest = UndoManifest {
        files,
        history_len,
        had_fragment,
    };
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| ProjectError::Io {
        path: snap.clone(),
        message: e.to_string(),
    })?;
    write_file(&snap.join("manifest.json"), &text)?;
    Ok(snap)
}

fn restore(dir: &Path, snap: &Path) -> Result<Vec<String>, ProjectError> {
    let manifest_path = snap.join("manifest.json");
    let text = std::fs::read(&manifest_path).map_err(io_err(&manifest_path))?;
    let manifest: UndoManifest = serde_json::from_slice(&text).map_err(|e| ProjectError::Io {
        path: manifest_path.clone(),
        message: e.to_string(),
    })?;
    let mut restored = Vec::new();
    for (path, existed) in &manifest.files {
        let target = dir.join(path);
        if *existed {
            let saved = snap.join("files").join(path);
            let bytes = std::fs::read(&saved).map_err(io_err(&saved))?;
            write_file(&target, &bytes)?;
        } else {
            let _ = std::fs::remove_file(&target);
        }
        restored.push(path.clone());
    }
    let meta = dir.join(META_DIR);
    for name in [FRAGMENT_FILE, HISTORY_FILE] {
        match std::fs::read(snap.join(name)) {
            Ok(bytes) => write_file(&meta.join(name), &bytes)?,
            Err(_) if name == FRAGMENT_FILE && !manifest.had_fragment => {
                let _ = std::fs::remove_file(meta.join(name));
            }
            Err(_) => {}
        }
    }
    Ok(restored)
}

/// Restores the project as it was before the last turn; returns the files put back.
pub fn undo(dir: &Path) -> Result<Vec<String>, ProjectError> {
    let (_, snap) =
        latest_snapshot(dir).ok_or_else(|| ProjectError::NothingToUndo(dir.to_path_buf()))?;
    let restored = restore(dir, &snap)?;
    std::fs::remove_dir_all(&snap).map_err(io_err(&snap))?;
    Ok(restored)
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
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_label, &new_label)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment(code: &str) -> Fragment {
        Fragment {
            commentary: "c".into(),
            template: "code-interpreter-v1".into(),
            title: "Hello There".into(),
            description: "d".into(),
            additional_dependencies: vec![],
            has_additional_dependencies: false,
            install_dependencies_command: String::new(),
            port: None,
            file_path: "script.py".into(),
            code: code.into(),
            files: vec![super::super::FragmentFile {
                file_path: "lib/util.py".into(),
                code: "X = 1\n".into(),
            }],
        }
    }

    #[test]
    fn names_folders_from_titles() {
        assert_eq!(folder_name("Hello, World App!"), "hello-world-app");
        assert_eq!(folder_name("!!!"), "codingit-app");
    }

    #[test]
    fn writes_new_project_whole_and_refuses_non_empty() {
        let tmp = tempfile::tempdir().ok();
        let Some(tmp) = tmp else { return };
        let dir = tmp.path().join("app");
        let f = fragment("print(1)\n");
        let history = vec![HistoryEntry::now("user", "hi")];
        assert!(write_new(&dir, &f, &history, false).is_ok());
        assert_eq!(
            std::fs::read_to_string(dir.join("lib/util.py"))
                .ok()
                .as_deref(),
            Some("X = 1\n")
        );
        let project = Project::open(&dir).ok();
        assert_eq!(project.map(|p| p.history.len()), Some(1));
        assert!(matches!(
            write_new(&dir, &f, &history, false),
            Err(ProjectError::NotEmpty(_))
        ));
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left behind");
    }

    #[test]
    fn a_turn_and_its_undo_are_byte_exact() {
        let Some(tmp) = tempfile::tempdir().ok() else {
            return;
        };
        let dir = tmp.path().join("app");
        let f = fragment("print(1)\r\n");
        assert!(write_new(&dir, &f, &[HistoryEntry::now("user", "hi")], false).is_ok());
        let before_script = std::fs::read(dir.join("script.py")).ok();
        let before_history = std::fs::read(dir.join(".codingit/history.jsonl")).ok();
        let changes = vec![
            FileChange {
                path: "script.py".into(),
                old: Some("print(1)\r\n".into()),
                new: Some("print(2)\n".into()),
            },
            FileChange {
                path: "new.txt".into(),
                old: None,
                new: Some("n".into()),
            },
            FileChange {
                path: "lib/util.py".into(),
                old: Some("X = 1\n".into()),
                new: None,
            },
        ];
        let history = vec![
            HistoryEntry::now("user", "hi"),
            HistoryEntry::now("user", "more"),
        ];
        assert!(apply_turn(&dir, &changes, &fragment("print(2)\n"), &history).is_ok());
        assert!(dir.join("new.txt").exists() && !dir.join("lib/util.py").exists());
        assert!(undo(&dir).is_ok());
        assert_eq!(std::fs::read(dir.join("script.py")).ok(), before_script);
        assert_eq!(
            std::fs::read(dir.join(".codingit/history.jsonl")).ok(),
            before_history
        );
        assert!(!dir.join("new.txt").exists());
        assert!(dir.join("lib/util.py").exists());
        assert!(matches!(undo(&dir), Err(ProjectError::NothingToUndo(_))));
    }
}
