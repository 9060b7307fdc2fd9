//! Opening a path beneath a directory handle without following any symlink: the
//! kernel's `openat2` where it has one, else one `openat(O_NOFOLLOW)` per name.

use super::path::{name_os, Rel};
use super::{Resolution, SafeFsError};
use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{openat, openat2, statat, AtFlags, FileType, Mode, OFlags, ResolveFlags};
use rustix::io::Errno;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once `openat2` answered ENOSYS (kernel before 5.6, or a seccomp filter that
/// hides it): later calls go straight to the walk.
static OPENAT2_MISSING: AtomicBool = AtomicBool::new(false);

/// How a folder on the way is opened: a handle good only for lookups, so a folder
/// that may be searched but not listed still works.
pub(crate) const SEARCH: OFlags = OFlags::PATH
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// Opens `rel` beneath `dir`. No name on the way, the last one included, may be a
/// symlink; `flags` always gets `O_NOFOLLOW|O_CLOEXEC`. The root itself (`""`) is
/// reopened as `.`.
pub(crate) fn open_beneath(
    dir: BorrowedFd<'_>,
    rel: &Rel,
    flags: OFlags,
    mode: Mode,
    how: Resolution,
) -> Result<OwnedFd, SafeFsError> {
    let flags = flags | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    if rel.is_root() {
        return openat(dir, c".", flags, mode).map_err(|e| io_error(&rel.shown, e));
    }
    if how != Resolution::Walk && !OPENAT2_MISSING.load(Ordering::Relaxed) {
        let joined = CString::new(
            rel.names
                .iter()
                .map(|n| n.as_bytes())
                .collect::<Vec<_>>()
                .join(&b'/'),
        )
        .map_err(|_| SafeFsError::BadPath {
            path: rel.shown.clone(),
            reason: "it contains a NUL byte",
        })?;
        let resolve =
            ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
        // EAGAIN: a rename elsewhere raced the lookup; the kernel asks for a retry.
        for _ in 0..32 {
            match openat2(dir, joined.as_c_str(), flags, mode, resolve) {
                Ok(fd) => return Ok(fd),
                Err(Errno::AGAIN) => continue,
                Err(Errno::NOSYS) if how == Resolution::Auto => {
                    OPENAT2_MISSING.store(true, Ordering::Relaxed);
                    break;
                }
                Err(e) => return Err(explain(dir, rel, e)),
            }
        }
        if !OPENAT2_MISSING.load(Ordering::Relaxed) {
            return Err(io_error(&rel.shown, Errno::AGAIN));
        }
    }
    walk_open(dir, rel, flags, mode)
}

/// The fallback: each folder on the way opened with `O_NOFOLLOW|O_DIRECTORY` relative
/// to the previous handle, so a symlink swapped in at any moment is met as an error,
/// never followed.
fn walk_open(
    dir: BorrowedFd<'_>,
    rel: &Rel,
    flags: OFlags,
    mode: Mode,
) -> Result<OwnedFd, SafeFsError> {
    let Some((parents, last)) = rel.split_last() else {
        return openat(dir, c".", flags, mode).map_err(|e| io_error(&rel.shown, e));
    };
    let mut held: Option<OwnedFd> = None;
    for (i, name) in parents.iter().enumerate() {
        let at = held.as_ref().map(|f| f.as_fd()).unwrap_or(dir);
        let next = openat(at, name.as_c_str(), SEARCH, Mode::empty())
            .map_err(|e| explain_step(at, name, &rel.prefix_shown(i + 1), e))?;
        held = Some(next);
    }
    let at = held.as_ref().map(|f| f.as_fd()).unwrap_or(dir);
    openat(at, last.as_c_str(), flags, mode).map_err(|e| explain_step(at, last, &rel.shown, e))
}

/// Turns an `openat2` refusal into a message that names the link when there is one.
fn explain(dir: BorrowedFd<'_>, rel: &Rel, e: Errno) -> SafeFsError {
    match e {
        Errno::LOOP | Errno::XDEV | Errno::NOTDIR => {
            // Find the name that is a link, for a message that says which.
            let mut at: Option<OwnedFd> = None;
            for (i, name) in rel.names.iter().enumerate() {
                let here = at.as_ref().map(|f| f.as_fd()).unwrap_or(dir);
                if is_symlink(here, name) {
                    return SafeFsError::Symlink {
                        path: rel.prefix_shown(i + 1),
                    };
                }
                match openat(here, name.as_c_str(), SEARCH, Mode::empty()) {
                    Ok(fd) => at = Some(fd),
                    Err(_) => break,
                }
            }
            if e == Errno::NOTDIR {
                io_error(&rel.shown, e)
            } else {
                SafeFsError::Symlink {
                    path: rel.shown.clone(),
                }
            }
        }
        _ => io_error(&rel.shown, e),
    }
}

fn explain_step(at: BorrowedFd<'_>, name: &CString, shown: &str, e: Errno) -> SafeFsError {
    match e {
        Errno::LOOP | Errno::NOTDIR | Errno::XDEV if is_symlink(at, name) || e == Errno::LOOP => {
            SafeFsError::Symlink {
                path: shown.to_string(),
            }
        }
        _ => io_error(shown, e),
    }
}

pub(crate) fn is_symlink(at: BorrowedFd<'_>, name: &CString) -> bool {
    statat(at, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW)
        .map(|st| FileType::from_raw_mode(st.st_mode) == FileType::Symlink)
        .unwrap_or(false)
}

pub(crate) fn io_error(path: &str, e: Errno) -> SafeFsError {
    SafeFsError::Io {
        path: path.to_string(),
        source: std::io::Error::from_raw_os_error(e.raw_os_error()),
    }
}

/// The display form of one name.
pub(crate) fn shown_name(name: &CString) -> String {
    name_os(name).to_string_lossy().into_owned()
}
