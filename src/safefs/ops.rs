//! Writing, creating, renaming and removing single files beneath a root.

use super::path::Rel;
use super::resolve::{io_error, is_symlink};
use super::{Kind, Metadata, Result, Root, SafeFsError};
use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{fchmod, fsync, openat, renameat, statat, unlinkat, AtFlags, Mode, OFlags};
use std::ffi::CString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The suffix of codingit's temporary files, so that leftovers of a killed run can
/// be recognised and removed (see [`is_temp_name`]).
pub const TEMP_SUFFIX: &str = ".codingit-tmp";

/// Whether a file name is one of our temporary files (`.NAME.XXXXXXXX.codingit-tmp`).
pub fn is_temp_name(name: &std::ffi::OsStr) -> bool {
    let bytes = name.as_bytes();
    bytes.starts_with(b".") && bytes.ends_with(TEMP_SUFFIX.as_bytes())
}

fn temp_name(last: &CString) -> Result<CString> {
    // Keep the temporary name within NAME_MAX whatever the target's length.
    let stem: Vec<u8> = last.as_bytes().iter().take(200).copied().collect();
    let mut name = Vec::with_capacity(stem.len() + 32);
    name.push(b'.');
    name.extend_from_slice(&stem);
    name.extend_from_slice(format!(".{:08x}{TEMP_SUFFIX}", fastrand::u32(..)).as_bytes());
    CString::new(name).map_err(|_| SafeFsError::BadPath {
        path: String::from_utf8_lossy(last.as_bytes()).into_owned(),
        reason: "it contains a NUL byte",
    })
}

impl Root {
    /// Replaces (or creates) the regular file `rel` with `bytes`, all or nothing: a
    /// temporary file in the same folder, fsync, then `renameat` over the name. Missing
    /// folders are created beneath the root. `mode` sets the permission bits; `None`
    /// keeps those of the file replaced (or the default for a new one). A symlink at
    /// `rel` is replaced by the file, never written through; a folder there is an error.
    pub fn write_atomic(
        &self,
        rel: impl AsRef<Path>,
        bytes: &[u8],
        mode: Option<u32>,
    ) -> Result<()> {
        self.replace(rel.as_ref(), bytes, mode, true)
    }

    /// [`Root::write_atomic`] without the fsync, for scratch data that lives no longer
    /// than the processes using it (a sandbox home): still never half-written.
    pub fn write_atomic_unsynced(
        &self,
        rel: impl AsRef<Path>,
        bytes: &[u8],
        mode: Option<u32>,
    ) -> Result<()> {
        self.replace(rel.as_ref(), bytes, mode, false)
    }

    fn replace(&self, rel: &Path, bytes: &[u8], mode: Option<u32>, sync: bool) -> Result<()> {
        let rel = Rel::parse(rel)?;
        let Some((_, last)) = rel.split_last() else {
            return Err(root_itself(&rel));
        };
        let dir = self.parent_of(&rel, true)?;
        let existing = statat(&dir, last.as_c_str(), AtFlags::SYMLINK_NOFOLLOW)
            .ok()
            .map(|st| Metadata::from_stat(&st));
        if existing.is_some_and(|m| m.kind == Kind::Dir) {
            return Err(io_error(&rel.shown, rustix::io::Errno::ISDIR));
        }
        let keep_mode = existing.filter(|m| m.kind == Kind::File).map(|m| m.mode);
        let (temp, fd) = create_temp(dir.as_fd(), last, &rel.shown)?;
        let result = (|| -> Result<()> {
            write_all(&fd, bytes, &rel.shown)?;
            if let Some(bits) = mode.or(keep_mode) {
                fchmod(&fd, Mode::from_raw_mode(bits & 0o7777))
                    .map_err(|e| io_error(&rel.shown, e))?;
            }
            if sync {
                fsync(&fd).map_err(|e| io_error(&rel.shown, e))?;
            }
            renameat(&dir, temp.as_c_str(), &dir, last.as_c_str())
                .map_err(|e| io_error(&rel.shown, e))?;
            if sync {
                // The rename itself is durable only once the folder is synced (through a
                // readable handle: the lookup handle cannot be synced).
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                if let Ok(readable) = openat(&dir, c".", flags, Mode::empty()) {
                    let _ = fsync(&readable);
                }
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = unlinkat(&dir, temp.as_c_str(), AtFlags::empty());
        }
        result
    }

    /// Creates the regular file `rel` (folders beneath the root as needed); fails if
    /// any name already exists there, a symlink included. A failed write removes it.
    pub fn create_new(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
        let rel = Rel::parse(rel.as_ref())?;
        let Some((_, last)) = rel.split_last() else {
            return Err(root_itself(&rel));
        };
        let dir = self.parent_of(&rel, true)?;
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = openat(&dir, last.as_c_str(), flags, Mode::from_raw_mode(0o666))
            .map_err(|e| io_error(&rel.shown, e))?;
        let result = write_all(&fd, bytes, &rel.shown);
        if result.is_err() {
            let _ = unlinkat(&dir, last.as_c_str(), AtFlags::empty());
        }
        result
    }

    /// Removes the file (or symlink, itself) `rel`; a folder is an error.
    pub fn remove_file(&self, rel: impl AsRef<Path>) -> Result<()> {
        let rel = Rel::parse(rel.as_ref())?;
        let Some((_, last)) = rel.split_last() else {
            return Err(root_itself(&rel));
        };
        let dir = self.parent_of(&rel, false)?;
        unlinkat(&dir, last.as_c_str(), AtFlags::empty()).map_err(|e| {
            // unlink of a folder answers EISDIR (or EPERM on some kernels).
            if e == rustix::io::Errno::PERM && !is_symlink(dir.as_fd(), last) {
                io_error(&rel.shown, rustix::io::Errno::ISDIR)
            } else {
                io_error(&rel.shown, e)
            }
        })
    }

    /// Renames `from` to `to`, both beneath the root (the folders of `to` are created).
    /// Like `rename(2)`, replaces a file at `to`.
    pub fn rename(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<()> {
        let from = Rel::parse(from.as_ref())?;
        let to = Rel::parse(to.as_ref())?;
        let (Some((_, from_last)), Some((_, to_last))) = (from.split_last(), to.split_last())
        else {
            return Err(root_itself(&from));
        };
        let from_dir = self.parent_of(&from, false)?;
        let to_dir = self.parent_of(&to, true)?;
        renameat(&from_dir, from_last.as_c_str(), &to_dir, to_last.as_c_str())
            .map_err(|e| io_error(&from.shown, e))
    }

    /// Creates `rel` and the folders leading to it; existing folders are fine, a
    /// symlink anywhere on the way is an error.
    pub fn create_dir_all(&self, rel: impl AsRef<Path>) -> Result<()> {
        let rel = Rel::parse(rel.as_ref())?;
        super::tree::create_dirs(self.fd.as_fd(), &rel).map(drop)
    }
}

fn create_temp(dir: BorrowedFd<'_>, last: &CString, shown: &str) -> Result<(CString, OwnedFd)> {
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut attempts = 0;
    loop {
        let temp = temp_name(last)?;
        match openat(dir, temp.as_c_str(), flags, Mode::from_raw_mode(0o666)) {
            Ok(fd) => return Ok((temp, fd)),
            Err(rustix::io::Errno::EXIST) if attempts < 16 => attempts += 1,
            Err(e) => return Err(io_error(shown, e)),
        }
    }
}

fn write_all(fd: &OwnedFd, bytes: &[u8], shown: &str) -> Result<()> {
    let file = fd.try_clone().map_err(|e| SafeFsError::Io {
        path: shown.to_string(),
        source: e,
    })?;
    std::fs::File::from(file)
        .write_all(bytes)
        .map_err(|e| SafeFsError::Io {
            path: shown.to_string(),
            source: e,
        })
}

fn root_itself(rel: &Rel) -> SafeFsError {
    SafeFsError::BadPath {
        path: rel.shown.clone(),
        reason: "it names the folder itself, not a file in it",
    }
}
