//! A project turn's answer turned into file changes: a whole new fragment, or lazy
//! edits merged by the local engine (whose refusals go back to the model); and the
//! earlier turns as the model sees them.

use super::checks::{check_path_set, check_relative_path};
use super::project::{FileChange, HistoryEntry, Project};
use super::{Fragment, FragmentFile, LazyAnswer};
use crate::llm::Message;
use serde_json::Value;

/// A whole new fragment: its files replace the old ones; files of the old fragment
/// that it no longer has are removed. Files the user added are never touched.
pub fn whole_fragment_changes(
    old: &Fragment,
    new: &Fragment,
    current: &[(String, String)],
) -> Vec<FileChange> {
    let on_disk = |path: &str| {
        current
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.clone())
    };
    let mut changes: Vec<FileChange> = new
        .all_files()
        .iter()
        .filter_map(|(path, code)| {
            let old_content = on_disk(path);
            (old_content.as_deref() != Some(*code)).then(|| FileChange {
                path: path.to_string(),
                old: old_content,
                new: Some(code.to_string()),
            })
        })
        .collect();
    let kept: Vec<&str> = new.all_files().iter().map(|(p, _)| *p).collect();
    for (path, _) in old.all_files() {
        if !kept.contains(&path) {
            if let Some(content) = on_disk(path) {
                changes.push(FileChange {
                    path: path.to_string(),
                    old: Some(content),
                    new: None,
                });
            }
        }
    }
    changes
}

/// Problems of a lazy answer: paths, and edits the merge engine refuses (its refusal
/// text goes back to the model).
pub fn lazy_problems(
    value: &Value,
    current: &[(String, String)],
    project: &Project,
) -> Vec<String> {
    let lazy: LazyAnswer = match serde_json::from_value(value.clone()) {
        Ok(l) => l,
        Err(e) => return vec![format!("the answer does not have the expected shape: {e}")],
    };
    let mut problems = Vec::new();
    if lazy.edits.is_empty() {
        problems.push("edits is empty; give at least one file edit".into());
    }
    let paths = || lazy.edits.iter().map(|e| e.file_path.as_str());
    if paths().all(|p| check_relative_path(p).is_ok()) {
        problems.extend(check_path_set(paths()));
        // The merged fragment gains these files: they must not collide with its own.
        let mut all: Vec<&str> = project
            .fragment
            .all_files()
            .iter()
            .map(|(p, _)| *p)
            .collect();
        for path in paths() {
            if !all.contains(&path) {
                all.push(path);
            }
        }
        for problem in check_path_set(all) {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        problems.extend(project.path_problems(paths()));
    }
    for edit in &lazy.edits {
        if let Err(reason) = check_relative_path(&edit.file_path) {
            problems.push(format!("file_path `{}`: {reason}", edit.file_path));
            continue;
        }
        if let Some((_, original)) = current.iter().find(|(p, _)| p == &edit.file_path) {
            if let Err(refusal) = merge_one(original, &edit.edit) {
                problems.push(format!(
                    "the edit of `{}` cannot be applied: {refusal}",
                    edit.file_path
                ));
            }
        }
    }
    problems
}

/// Merges one lazy edit into a file with the local engine.
fn merge_one(original: &str, edit: &str) -> Result<String, String> {
    crate::apply::apply_edit(original, edit, crate::apply::EditFormat::Auto)
        .map(|applied| applied.content)
        .map_err(|refusal| refusal.to_model_feedback())
}

/// Merges a lazy answer into the fragment; the refusal is the reason, in words.
pub fn merge_lazy(
    old: &Fragment,
    current: &[(String, String)],
    lazy: &LazyAnswer,
) -> Result<(Fragment, Vec<FileChange>), String> {
    let mut fragment = old.clone();
    fragment.commentary = lazy.commentary.clone();
    let mut changes = Vec::new();
    for edit in &lazy.edits {
        let original = current
            .iter()
            .find(|(p, _)| p == &edit.file_path)
            .map(|(_, c)| c.clone());
        let merged = match &original {
            Some(text) => merge_one(text, &edit.edit)
                .map_err(|e| format!("the edit of {} was refused: {e}", edit.file_path))?,
            None => edit.edit.clone(),
        };
        if original.as_deref() == Some(merged.as_str()) {
            continue;
        }
        if edit.file_path == fragment.file_path {
            fragment.code = merged.clone();
        } else if let Some(file) = fragment
            .files
            .iter_mut()
            .find(|f| f.file_path == edit.file_path)
        {
            file.code = merged.clone();
        } else {
            fragment.files.push(FragmentFile {
                file_path: edit.file_path.clone(),
                code: merged.clone(),
            });
        }
        changes.push(FileChange {
            path: edit.file_path.clone(),
            old: original,
            new: Some(merged),
        });
    }
    Ok((fragment, changes))
}

/// Earlier turns as the model sees them: the user's words, and the assistant's
/// commentary (the files themselves are shown as they are now).
pub fn history_messages(history: &[HistoryEntry]) -> Vec<Message> {
    history
        .iter()
        .map(|entry| match entry.role.as_str() {
            "assistant" => {
                let commentary = serde_json::from_str::<Value>(&entry.content)
                    .ok()
                    .and_then(|v| v["commentary"].as_str().map(str::to_string))
                    .unwrap_or_else(|| entry.content.chars().take(2000).collect());
                Message::assistant(commentary)
            }
            _ => Message::user(entry.content.clone()),
        })
        .collect()
}
