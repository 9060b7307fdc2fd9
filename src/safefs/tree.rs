//! Folders beneath a root: creating, listing, walking and removing them, one handle
//! at a time and never through a symlink.

use super::path::Rel;
use super::resolve::{io_error, shown_name, SEARCH};
use super::{DirEntry, Kind, Result, Root, SafeFsError, WalkEntry};
use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{mkdirat, openat, statat, unlinkat, AtFlags, Dir, FileType, Mode, OFlags};
use rustix::io::Errno;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Deepest folder `remove_dir_all` descends into (one open handle per level).
const MAX_DEPTH: usize = 256;

/// Creates every folder of `rel` beneath `root`, each opened with `O_NOFOLLOW` from
/// the one before; returns a handle on the last.
pub(crate) fn create_dirs(root: BorrowedFd<'_>, rel: &Rel) -> Result<OwnedFd> {
    let mut held: Option<OwnedFd> = None;
    for (i, name) in rel.names.iter().enumerate() {
        let at = held.as_ref().map(|f| f.as_fd()).unwrap_or(root);
        let shown = rel.prefix_shown(i + 1);
        match mkdirat(at, name.as_c_str(), Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(io_error(&shown, e)),
        }
        let next = openat(at, name.as_c_str(), SEARCH, Mode::empty()).map_err(|e| {
            if super::resolve::is_symlink(at, name) || e == Errno::LOOP {
                SafeFsError::Symlink {
                    path: shown.clone(),
                }
            } else {
                io_error(&shown, e)
            }
        })?;
        held = Some(next);
    }
    match held {
        Some(fd) => Ok(fd),
        None => openat(root, c".", SEARCH, Mode::empty()).map_err(|e| io_error(&rel.shown, e)),
    }
}

/// The names in the folder `dir` (without `.` and `..`), with their kinds.
fn entries(dir: BorrowedFd<'_>, shown: &str) -> Result<Vec<(CString, Kind)>> {
    let mut out = Vec::new();
    let listing = Dir::read_from(dir).map_err(|e| io_error(shown, e))?;
    for entry in listing {
        let entry = entry.map_err(|e| io_error(shown, e))?;
        let name = entry.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        let kind = match entry.file_type() {
            FileType::Unknown => statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
                .map(|st| Kind::of(FileType::from_raw_mode(st.st_mode)))
                .unwrap_or(Kind::Other),
            t => Kind::of(t),
        };
        out.push((name.to_owned(), kind));
    }
    Ok(out)
}

fn child_rel(parent: &Rel, name: &CString) -> Rel {
    let mut names = parent.names.clone();
    names.push(name.clone());
    let shown = if parent.shown.is_empty() {
        shown_name(name)
    } else {
        format!("{}/{}", parent.shown, shown_name(name))
    };
    Rel { shown, names }
}

impl Root {
    /// The names in the folder `rel` (`""`: the root), sorted, kinds not followed.
    pub fn read_dir(&self, rel: impl AsRef<Path>) -> Result<Vec<DirEntry>> {
        let rel = Rel::parse(rel.as_ref())?;
        let fd = self.open_rel(&rel, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())?;
        let mut out: Vec<DirEntry> = entries(fd.as_fd(), &rel.shown)?
            .into_iter()
            .map(|(name, kind)| DirEntry {
                name: std::ffi::OsStr::from_bytes(name.as_bytes()).to_os_string(),
                kind,
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Every name beneath the folder `rel` (`""`: the root), folders included, paths
    /// relative to the root, sorted. Symlinks are listed as [`Kind::Symlink`] and never
    /// entered; more than `max_entries` names is an error (a folder someone else
    /// fills must not exhaust memory).
    pub fn walk(&self, rel: impl AsRef<Path>, max_entries: usize) -> Result<Vec<WalkEntry>> {
        let start = Rel::parse(rel.as_ref())?;
        let mut out = Vec::new();
        let mut pending = vec![start.clone()];
        while let Some(dir) = pending.pop() {
            let fd = self.open_rel(&dir, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())?;
            for (name, kind) in entries(fd.as_fd(), &dir.shown)? {
                if out.len() >= max_entries {
                    return Err(SafeFsError::TooMany {
                        path: start.shown.clone(),
                        limit: max_entries,
                    });
                }
                let child = child_rel(&dir, &name);
                let len = match kind {
                    Kind::File => statat(&fd, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW)
                        .map(|st| u64::try_from(st.st_size).unwrap_or(0))
                        .unwrap_or(0),
                    _ => 0,
                };
                let path: PathBuf = child
                    .names
                    .iter()
                    .map(|n| std::ffi::OsStr::from_bytes(n.as_bytes()))
                    .collect();
                out.push(WalkEntry { path, kind, len });
                if kind == Kind::Dir {
                    pending.push(child);
                }
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Removes the folder `rel` and everything in it without following links (a link
    /// inside is removed itself; its target is untouched). A file or link at `rel` is
    /// removed too.
    pub fn remove_dir_all(&self, rel: impl AsRef<Path>) -> Result<()> {
        let rel = Rel::parse(rel.as_ref())?;
        let Some((_, last)) = rel.split_last() else {
            return Err(SafeFsError::BadPath {
                path: rel.shown.clone(),
                reason: "it names the folder itself",
            });
        };
        let parent = self.parent_of(&rel, false)?;
        remove_tree(parent.as_fd(), last, &rel.shown)
    }
}

struct Frame {
    fd: OwnedFd,
    name: CString,
}

fn open_subdir(at: BorrowedFd<'_>, name: &CString) -> rustix::io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    openat(at, name.as_c_str(), flags, Mode::empty())
}

/// Depth-first removal with a handle per level: each folder is entered with
/// `O_NOFOLLOW|O_DIRECTORY` from its parent's handle, so a folder swapped for a link
/// mid-way is unlinked as a link, never entered.
fn remove_tree(parent: BorrowedFd<'_>, name: &CString, shown: &str) -> Result<()> {
    let top = match open_subdir(parent, name) {
        Ok(fd) => fd,
        Err(Errno::NOTDIR | Errno::LOOP) => {
            return unlinkat(parent, name.as_c_str(), AtFlags::empty())
                .map_err(|e| io_error(shown, e))
        }
        Err(e) => return Err(io_error(shown, e)),
    };
    let mut stack = vec![Frame {
        fd: top,
        name: name.clone(),
    }];
    // Bounds a folder refilled as fast as it is emptied.
    let mut rounds = 0usize;
    while let Some(frame) = stack.last() {
        rounds += 1;
        if rounds > 1_000_000 {
            return Err(io_error(shown, Errno::NOTEMPTY));
        }
        let mut descend = None;
        for (child, kind) in entries(frame.fd.as_fd(), shown)? {
            if kind == Kind::Dir {
                descend = Some(child);
                break;
            }
            match unlinkat(&frame.fd, child.as_c_str(), AtFlags::empty()) {
                Ok(()) | Err(Errno::NOENT) => {}
                // Became a folder since the listing: the next listing sees it.
                Err(Errno::ISDIR | Errno::PERM) => {}
                Err(e) => return Err(io_error(shown, e)),
            }
        }
        if let Some(child) = descend {
            match open_subdir(frame.fd.as_fd(), &child) {
                Ok(fd) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(SafeFsError::BadPath {
                            path: shown.to_string(),
                            reason: "it is nested more than 256 folders deep",
                        });
                    }
                    stack.push(Frame { fd, name: child });
                }
                Err(Errno::NOTDIR | Errno::LOOP) => {
                    let _ = unlinkat(&frame.fd, child.as_c_str(), AtFlags::empty());
                }
                Err(Errno::NOENT) => {}
                Err(e) => return Err(io_error(shown, e)),
            }
            continue;
        }
        let Some(done) = stack.pop() else { break };
        let holder = stack.last().map(|f| f.fd.as_fd()).unwrap_or(parent);
        match unlinkat(holder, done.name.as_c_str(), AtFlags::REMOVEDIR) {
            Ok(()) | Err(Errno::NOENT) => {}
            // Refilled meanwhile: go round again.
            Err(Errno::NOTEMPTY) => stack.push(Frame {
                fd: done.fd,
                name: done.name,
            }),
            Err(e) => return Err(io_error(shown, e)),
        }
    }
    Ok(())
}
