//! Checking a model's multi-file edits before anything is written: the answer must have
//! the expected shape, every edit must merge, and every path must be one a turn may
//! write. The problems go back to the model as repair requests.

use super::answer::{plan, ChangeSet, RepoAnswer};
use crate::fragment::project::{path_problems, FILE_MAX_BYTES};
use crate::safefs::{Kind, Root};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};

/// Checks answers against the files beneath `root`.
pub struct EditCheck<'a> {
    root: &'a Root,
    /// When given, the only files the answer may touch.
    allowed: Option<&'a [String]>,
    /// The last answer checked was refused by the edit engine (not by its shape or
    /// its paths).
    engine_refused: AtomicBool,
}

impl<'a> EditCheck<'a> {
    pub fn new(root: &'a Root, allowed: Option<&'a [String]>) -> Self {
        Self {
            root,
            allowed,
            engine_refused: AtomicBool::new(false),
        }
    }

    /// What is wrong with an answer, in words the model can act on (empty: usable).
    pub fn problems(&self, value: &Value) -> Vec<String> {
        let answer: RepoAnswer = match serde_json::from_value(value.clone()) {
            Ok(a) => a,
            Err(e) => return vec![format!("the answer does not have the expected shape: {e}")],
        };
        let read = |path: &str| read_current(self.root, path);
        let mut problems = match plan(&answer, &read, self.allowed) {
            Ok(set) => {
                self.engine_refused.store(false, Ordering::Relaxed);
                path_problems(self.root, set.changes.iter().map(|c| c.path.as_str()))
            }
            Err(problems) => {
                self.engine_refused.store(true, Ordering::Relaxed);
                problems
            }
        };
        problems.dedup();
        problems
    }

    /// The last answer checked was refused by the edit engine.
    pub fn engine_refused(&self) -> bool {
        self.engine_refused.load(Ordering::Relaxed)
    }

    /// The changes of an accepted answer, merged again against the files as they are now.
    pub fn changes(&self, answer: &RepoAnswer) -> Result<ChangeSet, Vec<String>> {
        let read = |path: &str| read_current(self.root, path);
        plan(answer, &read, self.allowed)
    }
}

/// A file's text as an edit sees it: missing is `None`; a link, folder, FIFO or
/// binary file cannot be edited (said in words the model can act on).
pub fn read_current(root: &Root, path: &str) -> Result<Option<String>, String> {
    match root.metadata(path) {
        Err(e) if e.is_not_found() => return Ok(None),
        Err(_) => return Err(
            "cannot be reached from the repository without following a link; choose another path"
                .into(),
        ),
        Ok(meta) if meta.kind != Kind::File => {
            return Err("is not a regular file (a link, folder or device); leave it alone".into())
        }
        Ok(_) => {}
    }
    let bytes = root
        .read(path, FILE_MAX_BYTES)
        .map_err(|e| format!("cannot be read: {e}"))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "is a binary file; it cannot be edited as text".into())
}

/// A file's permission bits, when it exists (a patch shows them).
pub fn mode_of(root: &Root, path: &str) -> Option<u32> {
    root.metadata(path).ok().map(|m| m.mode)
}
