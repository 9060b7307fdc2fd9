//! The one all-or-nothing writer of file changes beneath a folder handle, used by
//! chat turns (behind their undo snapshot), `edit --patch` and `edit FILE...`: every
//! path's current state is read first (a link, FIFO or folder in the way refuses the
//! whole set before anything is written), then the changes are written atomically one
//! by one, and a failure puts back every file already written.

use super::project::{FileChange, FILE_MAX_BYTES};
use crate::safefs::{Root, SafeFsError};

/// Why a set of changes was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteFailure {
    /// A path cannot be written safely; nothing was written.
    #[error("{0}; nothing was changed")]
    Refused(SafeFsError),
    /// A write failed part-way; every file written before it was put back.
    #[error("{0}; every file was put back")]
    Failed(SafeFsError),
}

/// Writes `changes` (new content, or removal when `new` is `None`) beneath `root`,
/// all or nothing.
pub fn write_all_or_nothing(root: &Root, changes: &[FileChange]) -> Result<(), WriteFailure> {
    let mut before: Vec<(&str, Option<Vec<u8>>)> = Vec::new();
    for change in changes {
        if before.iter().any(|(p, _)| *p == change.path) {
            continue;
        }
        let state = match root.read(&change.path, FILE_MAX_BYTES) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(WriteFailure::Refused(e)),
        };
        before.push((&change.path, state));
    }
    for (done, change) in changes.iter().enumerate() {
        let step = match &change.new {
            Some(content) => root.write_atomic(&change.path, content.as_bytes(), None),
            None => match root.remove_file(&change.path) {
                Err(e) if !e.is_not_found() => Err(e),
                _ => Ok(()),
            },
        };
        if let Err(error) = step {
            put_back(root, &changes[..=done], &before);
            return Err(WriteFailure::Failed(error));
        }
    }
    Ok(())
}

/// Restores the paths of `written` to their states in `before` (best effort: a
/// failure here leaves the error of the write that failed to be reported).
fn put_back(root: &Root, written: &[FileChange], before: &[(&str, Option<Vec<u8>>)]) {
    for change in written.iter().rev() {
        let Some((_, state)) = before.iter().find(|(p, _)| *p == change.path) else {
            continue;
        };
        let _ = match state {
            Some(bytes) => root.write_atomic(&change.path, bytes, None),
            None => match root.remove_file(&change.path) {
                Err(e) if !e.is_not_found() => Err(e),
                _ => Ok(()),
            },
        };
    }
}

/// The writes of a patch's changes: a move is the removal of its source and the
/// writing of its target.
pub fn patch_writes(changes: &[crate::apply::PatchedFile]) -> Vec<FileChange> {
    let mut writes = Vec::new();
    for change in changes {
        match (&change.move_to, &change.new) {
            (Some(target), Some(content)) => {
                writes.push(FileChange {
                    path: change.path.clone(),
                    old: change.old.clone(),
                    new: None,
                });
                writes.push(FileChange {
                    path: target.clone(),
                    old: None,
                    new: Some(content.clone()),
                });
            }
            _ => writes.push(FileChange {
                path: change.path.clone(),
                old: change.old.clone(),
                new: change.new.clone(),
            }),
        }
    }
    writes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, new: Option<&str>) -> FileChange {
        FileChange {
            path: path.into(),
            old: None,
            new: new.map(str::to_string),
        }
    }

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn what_was_written_before_a_failure_is_put_back() -> TestResult {
        let tmp = tempfile::tempdir()?;
        std::fs::write(tmp.path().join("a.txt"), "old a")?;
        std::fs::write(tmp.path().join("gone.txt"), "keep me")?;
        let root = Root::open(tmp.path())?;
        let before = [
            ("a.txt", Some(b"old a".to_vec())),
            ("gone.txt", Some(b"keep me".to_vec())),
            ("new.txt", None),
        ];
        let written = [
            change("a.txt", Some("new a")),
            change("gone.txt", None),
            change("new.txt", Some("n")),
        ];
        std::fs::write(tmp.path().join("a.txt"), "new a")?;
        std::fs::remove_file(tmp.path().join("gone.txt"))?;
        std::fs::write(tmp.path().join("new.txt"), "n")?;
        put_back(&root, &written, &before);
        let read = |p: &str| std::fs::read_to_string(tmp.path().join(p)).ok();
        assert_eq!(read("a.txt").as_deref(), Some("old a"));
        assert_eq!(read("gone.txt").as_deref(), Some("keep me"));
        assert_eq!(read("new.txt"), None);
        Ok(())
    }

    /// A path through a file, or a link where a file goes: refused before anything is
    /// written, so the change to `a.txt` listed first is not made either.
    #[test]
    fn a_path_in_the_way_refuses_before_anything_is_written() -> TestResult {
        for blocked in ["blocker/x.txt", "link.txt"] {
            let tmp = tempfile::tempdir()?;
            std::fs::write(tmp.path().join("a.txt"), "old a")?;
            std::fs::write(tmp.path().join("blocker"), "")?;
            std::os::unix::fs::symlink("/etc/hostname", tmp.path().join("link.txt"))?;
            let root = Root::open(tmp.path())?;
            let changes = [change("a.txt", Some("new a")), change(blocked, Some("x"))];
            assert!(
                matches!(
                    write_all_or_nothing(&root, &changes),
                    Err(WriteFailure::Refused(_))
                ),
                "{blocked}"
            );
            assert_eq!(
                std::fs::read_to_string(tmp.path().join("a.txt"))?,
                "old a",
                "{blocked}"
            );
        }
        Ok(())
    }

    #[test]
    fn a_moved_file_is_its_removal_and_its_new_place() {
        use crate::apply::{ChangeKind, PatchedFile};
        let moved = PatchedFile {
            path: "old.rs".into(),
            kind: ChangeKind::Update,
            move_to: Some("new.rs".into()),
            old: Some("a".into()),
            new: Some("b".into()),
        };
        let updated = PatchedFile {
            move_to: None,
            path: "same.rs".into(),
            ..moved.clone()
        };
        let writes = patch_writes(&[moved, updated]);
        let shown: Vec<(&str, Option<&str>)> = writes
            .iter()
            .map(|w| (w.path.as_str(), w.new.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("old.rs", None),
                ("new.rs", Some("b")),
                ("same.rs", Some("b"))
            ]
        );
    }
}
