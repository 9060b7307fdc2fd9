//! Files beneath a folder, reached through a directory handle and never through a
//! symlink.
//!
//! Every folder whose contents someone else controls (a project folder cloned from
//! anywhere, a sandbox home written by untrusted code) is opened once as a [`Root`];
//! every later operation names a path *relative* to it. Each name on the way is
//! resolved by the kernel without following symlinks (`openat2` with
//! `RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS`, or, on kernels before
//! 5.6, one `openat(O_NOFOLLOW)` per name), so swapping a folder for a symlink between
//! a check and its use gets an error, never a host path. Symlinks are not followed
//! even when they point inside the root: they are reported as such and callers refuse
//! or skip them.
//!
//! Paths are checked before use: absolute paths, `..`, `.`, empty names, NUL bytes,
//! names over 255 bytes and paths over 4096 bytes are refused. `""` is the root itself
//! where that makes sense (listing, metadata).
//!
//! For tests, `CODINGIT_SAFEFS_RESOLVE=walk` makes [`Root::open`] use the per-name walk
//! even where `openat2` exists (`openat2` makes it refuse to work without it).

mod ops;
mod path;
mod resolve;
mod tree;

pub use ops::{is_temp_name, TEMP_SUFFIX};
pub use path::{MAX_NAME, MAX_PATH};

use path::Rel;
use resolve::{io_error, open_beneath};
use rustix::fd::{AsFd, OwnedFd};
use rustix::fs::{fstat, openat, FileType, Mode, OFlags, Stat, CWD};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Why an operation was refused or failed; the path shown is relative to the root.
#[derive(Debug, thiserror::Error)]
pub enum SafeFsError {
    #[error("`{path}` is refused: {reason}")]
    BadPath { path: String, reason: &'static str },
    #[error("`{path}` is a symbolic link; links are not followed here")]
    Symlink { path: String },
    #[error("`{path}` is not a regular file")]
    NotRegular { path: String },
    #[error("`{path}` is larger than {limit} bytes")]
    TooLarge { path: String, limit: u64 },
    #[error("`{path}` holds more than {limit} names")]
    TooMany { path: String, limit: usize },
    #[error("`{path}`: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl SafeFsError {
    /// The path (or a name on the way) does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }

    /// The operating-system error behind it, if any.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            Self::Io { source, .. } => Some(source.kind()),
            _ => None,
        }
    }
}

pub type Result<T, E = SafeFsError> = std::result::Result<T, E>;

/// How names are resolved. `Auto` uses `openat2` and falls back to the walk when the
/// kernel lacks it; the other two force one way (tests cover both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Auto,
    Openat2,
    Walk,
}

/// What a name is, without following it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    /// FIFO, socket, device.
    Other,
}

impl Kind {
    fn of(file_type: FileType) -> Self {
        match file_type {
            FileType::RegularFile => Self::File,
            FileType::Directory => Self::Dir,
            FileType::Symlink => Self::Symlink,
            _ => Self::Other,
        }
    }
}

/// `lstat`-like facts about one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    pub kind: Kind,
    /// Size in bytes (of the link itself for a symlink).
    pub len: u64,
    /// Permission bits (`0o7777`).
    pub mode: u32,
    pub modified: SystemTime,
}

impl Metadata {
    fn from_stat(st: &Stat) -> Self {
        let secs = u64::try_from(st.st_mtime).unwrap_or(0);
        let nanos = u32::try_from(st.st_mtime_nsec).unwrap_or(0);
        Self {
            kind: Kind::of(FileType::from_raw_mode(st.st_mode)),
            len: u64::try_from(st.st_size).unwrap_or(0),
            mode: st.st_mode & 0o7777,
            modified: SystemTime::UNIX_EPOCH + Duration::new(secs, nanos),
        }
    }
}

/// One name in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: std::ffi::OsString,
    pub kind: Kind,
}

/// One name found by [`Root::walk`], relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkEntry {
    pub path: PathBuf,
    pub kind: Kind,
    /// Size in bytes for a regular file, 0 otherwise.
    pub len: u64,
}

/// A folder opened once; every operation stays beneath it.
#[derive(Debug)]
pub struct Root {
    fd: OwnedFd,
    path: PathBuf,
    how: Resolution,
}

fn resolution_from_env() -> Resolution {
    match std::env::var("CODINGIT_SAFEFS_RESOLVE").as_deref() {
        Ok("walk") => Resolution::Walk,
        Ok("openat2") => Resolution::Openat2,
        _ => Resolution::Auto,
    }
}

impl Root {
    /// Opens the folder `path` (which the caller trusts: the folders leading to it are
    /// followed as usual, but `path` itself must not be a symlink).
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, resolution_from_env())
    }

    /// [`Root::open`] with a chosen resolution.
    pub fn open_with(path: &Path, how: Resolution) -> Result<Self> {
        let shown = path.display().to_string();
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = openat(CWD, path, flags, Mode::empty()).map_err(|e| {
            let is_link = std::fs::symlink_metadata(path)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(false);
            if e == rustix::io::Errno::LOOP || is_link {
                SafeFsError::Symlink {
                    path: shown.clone(),
                }
            } else {
                io_error(&shown, e)
            }
        })?;
        Ok(Self {
            fd,
            path: path.to_path_buf(),
            how,
        })
    }

    /// The path the root was opened with (for messages; never used to reach files).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An existing folder beneath this one, as a root of its own.
    pub fn subdir(&self, rel: impl AsRef<Path>) -> Result<Self> {
        let rel = Rel::parse(rel.as_ref())?;
        let fd = self.open_rel(&rel, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())?;
        Ok(Self {
            fd,
            path: self.path.join(&rel.shown),
            how: self.how,
        })
    }

    fn open_rel(&self, rel: &Rel, flags: OFlags, mode: Mode) -> Result<OwnedFd> {
        open_beneath(self.fd.as_fd(), rel, flags, mode, self.how)
    }

    /// Reads a regular file of at most `max_bytes`. FIFOs, devices, sockets and
    /// symlinks are refused without blocking (opened non-blocking, checked with
    /// `fstat` before any read).
    pub fn read(&self, rel: impl AsRef<Path>, max_bytes: u64) -> Result<Vec<u8>> {
        let rel = Rel::parse(rel.as_ref())?;
        if rel.is_root() {
            return Err(not_regular(&rel));
        }
        let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY;
        let fd = self.open_rel(&rel, flags, Mode::empty())?;
        let st = fstat(&fd).map_err(|e| io_error(&rel.shown, e))?;
        if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
            return Err(not_regular(&rel));
        }
        let too_large = || SafeFsError::TooLarge {
            path: rel.shown.clone(),
            limit: max_bytes,
        };
        if u64::try_from(st.st_size).unwrap_or(u64::MAX) > max_bytes {
            return Err(too_large());
        }
        let mut data = Vec::new();
        // One byte more than allowed tells a file that grew since `fstat`.
        std::fs::File::from(fd)
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| SafeFsError::Io {
                path: rel.shown.clone(),
                source: e,
            })?;
        if data.len() as u64 > max_bytes {
            return Err(too_large());
        }
        Ok(data)
    }

    /// Facts about `rel` without following it (`""`: the root).
    pub fn metadata(&self, rel: impl AsRef<Path>) -> Result<Metadata> {
        let rel = Rel::parse(rel.as_ref())?;
        let st = match rel.split_last() {
            None => fstat(&self.fd).map_err(|e| io_error(&rel.shown, e))?,
            Some((_, last)) => {
                let parent = self.parent_of(&rel, false)?;
                rustix::fs::statat(
                    &parent,
                    last.as_c_str(),
                    rustix::fs::AtFlags::SYMLINK_NOFOLLOW,
                )
                .map_err(|e| io_error(&rel.shown, e))?
            }
        };
        Ok(Metadata::from_stat(&st))
    }

    /// The folder holding the last name of `rel` (created with its parents when
    /// `create`), as a handle.
    fn parent_of(&self, rel: &Rel, create: bool) -> Result<OwnedFd> {
        let names = rel.split_last().map(|(p, _)| p).unwrap_or(&[]);
        let parent = Rel {
            shown: rel.prefix_shown(names.len()),
            names: names.to_vec(),
        };
        if create {
            tree::create_dirs(self.fd.as_fd(), &parent)
        } else {
            self.open_rel(&parent, resolve::SEARCH, Mode::empty())
        }
    }
}

fn not_regular(rel: &Rel) -> SafeFsError {
    SafeFsError::NotRegular {
        path: rel.shown.clone(),
    }
}

#[cfg(test)]
mod tests;
