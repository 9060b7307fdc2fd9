//! What a sandbox gets before anything runs in it: its cgroups (pids, cpu, memory:
//! made when codingit may, that is as root) and its folders (0700; as root a
//! size-limited tmpfs each, nosuid and nodev, owned by the sandbox uid).

use super::privs::{SANDBOX_GID, SANDBOX_UID};
use super::sys;
use crate::sandbox::SandboxError;
use rustix::fs::{AtFlags, Gid, Mode, OFlags, Uid};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

/// Size of the sandbox home's tmpfs (as root): room for a private copy of a Node
/// template's `node_modules` after an install.
pub const HOME_LIMIT: u64 = 2 << 30;
/// Size of the sandbox tmp's tmpfs (as root, or bubblewrap's `/tmp` otherwise).
pub const TMP_LIMIT: u64 = 512 << 20;

fn unavailable(message: &str, hint: &str) -> SandboxError {
    SandboxError::Unavailable {
        message: message.into(),
        hint: hint.into(),
    }
}

/// As root, RLIMIT_NPROC does not apply: a pids cgroup (v1 or v2) bounds forks.
pub fn pids_cgroup(id: &str, pids: u32, unsafe_ok: bool) -> Result<Option<PathBuf>, SandboxError> {
    if sys::effective_uid() != 0 {
        return Ok(None);
    }
    let candidates = [
        PathBuf::from("/sys/fs/cgroup/pids/codingit"),
        PathBuf::from("/sys/fs/cgroup/codingit"),
    ];
    for base in candidates {
        let dir = base.join(id);
        if std::fs::create_dir_all(&dir).is_ok()
            && std::fs::write(dir.join("pids.max"), pids.to_string()).is_ok()
        {
            return Ok(Some(dir));
        }
        let _ = std::fs::remove_dir(&dir);
    }
    if unsafe_ok {
        return Ok(None);
    }
    Err(unavailable(
        "running as root, process limits need a pids cgroup, and none could be created \
         under /sys/fs/cgroup",
        "mount the pids cgroup controller, run codingit as an ordinary user, or pass \
         --unsafe-no-confinement",
    ))
}

/// `--cpus` as a CPU bandwidth quota: a cgroup v1 `cpu` controller
/// (`cpu.cfs_quota_us`) or a cgroup v2 `cpu.max`, when this process may create one
/// (root). Elsewhere the share is not enforced (RLIMIT_CPU bounds CPU time, not
/// share); see docs/sandbox-local.md.
pub fn cpu_cgroup(id: &str, cpus: f64) -> Option<PathBuf> {
    if sys::effective_uid() != 0 || cpus.is_nan() || cpus <= 0.0 {
        return None;
    }
    let period: u64 = 100_000;
    let quota = ((cpus * period as f64) as u64).max(1000);
    let v1 = PathBuf::from("/sys/fs/cgroup/cpu/codingit").join(id);
    if std::fs::create_dir_all(&v1).is_ok() {
        let ok = std::fs::write(v1.join("cpu.cfs_period_us"), period.to_string()).is_ok()
            && std::fs::write(v1.join("cpu.cfs_quota_us"), quota.to_string()).is_ok();
        if ok {
            return Some(v1);
        }
        let _ = std::fs::remove_dir(&v1);
    }
    let v2 = PathBuf::from("/sys/fs/cgroup/codingit").join(id);
    if v2.join("cpu.max").exists()
        && std::fs::write(v2.join("cpu.max"), format!("{quota} {period}")).is_ok()
    {
        return Some(v2);
    }
    tracing::info!("--cpus is not enforced: no cpu cgroup could be made");
    None
}

/// `memory` for all the sandbox's processes together: a cgroup v1 `memory`
/// controller (`memory.limit_in_bytes`, and the swap limit where accounted) or a
/// cgroup v2 `memory.max`, when this process may create one (root). Elsewhere only
/// the per-process rlimits hold; the confinement report says so.
pub fn memory_cgroup(id: &str, bytes: u64) -> Option<PathBuf> {
    if sys::effective_uid() != 0 || bytes == 0 {
        return None;
    }
    let v1 = PathBuf::from("/sys/fs/cgroup/memory/codingit").join(id);
    if std::fs::create_dir_all(&v1).is_ok() {
        if std::fs::write(v1.join("memory.limit_in_bytes"), bytes.to_string()).is_ok() {
            // Present only with swap accounting; without it swap is not counted.
            let _ = std::fs::write(v1.join("memory.memsw.limit_in_bytes"), bytes.to_string());
            return Some(v1);
        }
        let _ = std::fs::remove_dir(&v1);
    }
    let v2 = PathBuf::from("/sys/fs/cgroup/codingit").join(id);
    if v2.join("memory.max").exists()
        && std::fs::write(v2.join("memory.max"), bytes.to_string()).is_ok()
    {
        let _ = std::fs::write(v2.join("memory.swap.max"), "0");
        return Some(v2);
    }
    tracing::info!("the total memory of the sandbox is not bounded: no memory cgroup");
    None
}

/// How many processes of the memory cgroup the kernel has killed for memory so far.
pub fn oom_kills(cgroup: &Path) -> u64 {
    for file in ["memory.oom_control", "memory.events"] {
        if let Ok(text) = std::fs::read_to_string(cgroup.join(file)) {
            if let Some(n) = text
                .lines()
                .find_map(|l| l.strip_prefix("oom_kill "))
                .and_then(|n| n.trim().parse().ok())
            {
                return n;
            }
        }
    }
    0
}

/// The sandbox's folders as made by [`make_folders`].
pub struct Folders {
    /// The uid sandboxed code runs as, when codingit is root.
    pub uid: Option<u32>,
    /// Host mounts to remove with the sandbox.
    pub mounts: Vec<PathBuf>,
    pub home_limit: Option<u64>,
    pub tmp_limit: Option<u64>,
}

/// Makes `dir` (0700, or 0711 as root so the sandbox uid can reach its folders
/// without bubblewrap) with `home` and `tmp` inside (0700). As root each is a
/// size-limited tmpfs owned by the sandbox uid, mounted nosuid and nodev (a
/// planted setuid file has no effect, a device node cannot be opened).
pub fn make_folders(dir: &Path, home: &Path, tmp: &Path) -> Result<Folders, SandboxError> {
    let root = sys::effective_uid() == 0;
    let io = |p: &Path, e: std::io::Error| {
        SandboxError::Io(format!("cannot create {}: {e}", p.display()))
    };
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    std::fs::DirBuilder::new()
        .mode(if root { 0o711 } else { 0o700 })
        .create(dir)
        .map_err(|e| io(dir, e))?;
    let mut folders = Folders {
        uid: root.then_some(SANDBOX_UID),
        mounts: Vec::new(),
        home_limit: None,
        tmp_limit: None,
    };
    for (path, limit) in [(home, HOME_LIMIT), (tmp, TMP_LIMIT)] {
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(path)
            .map_err(|e| io(path, e))?;
        if !root {
            continue;
        }
        let options = format!("mode=0700,uid={SANDBOX_UID},gid={SANDBOX_GID},size={limit}");
        let options =
            std::ffi::CString::new(options).map_err(|e| SandboxError::Backend(e.to_string()))?;
        let flags = rustix::mount::MountFlags::NOSUID | rustix::mount::MountFlags::NODEV;
        match rustix::mount::mount("tmpfs", path, "tmpfs", flags, options.as_c_str()) {
            Ok(()) => {
                folders.mounts.push(path.to_path_buf());
                if path == home {
                    folders.home_limit = Some(limit);
                } else {
                    folders.tmp_limit = Some(limit);
                }
            }
            Err(e) => {
                tracing::info!("no size-limited tmpfs at {}: {e}", path.display());
                rustix::fs::chown(
                    path,
                    Some(Uid::from_raw(SANDBOX_UID)),
                    Some(Gid::from_raw(SANDBOX_GID)),
                )
                .map_err(|e| io(path, e.into()))?;
            }
        }
    }
    Ok(folders)
}

/// Removes the host mounts of a sandbox (lazily: a process still inside keeps its
/// view until it is killed).
pub fn unmount(mounts: &[PathBuf]) {
    for path in mounts.iter().rev() {
        let _ = rustix::mount::unmount(path, rustix::mount::UnmountFlags::DETACH);
    }
}

/// Gives the sandbox uid what codingit wrote into its home (the scaffold, files
/// written with `files`, a private `node_modules` copy), so sandboxed code can
/// change them. Walks by directory handles without following links, so a folder
/// swapped for a link meanwhile cannot redirect a chown; descends only into
/// folders codingit made (not yet owned by the uid); never changes a file with
/// other hard links.
pub fn give_home(home: &Path, uid: u32) {
    let flags = OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::RDONLY;
    if let Ok(fd) = rustix::fs::open(home, flags, Mode::empty()) {
        give_dir(&fd, uid, 0);
    }
}

fn give_dir(dir: &OwnedFd, uid: u32, depth: usize) {
    if depth > 64 {
        return;
    }
    let (owner, group) = (Some(Uid::from_raw(uid)), Some(Gid::from_raw(SANDBOX_GID)));
    let Ok(entries) = rustix::fs::Dir::read_from(dir.as_fd()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        let Ok(stat) = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) else {
            continue;
        };
        if stat.st_uid == uid {
            continue;
        }
        let kind = rustix::fs::FileType::from_raw_mode(stat.st_mode);
        if kind == rustix::fs::FileType::RegularFile && stat.st_nlink > 1 {
            continue;
        }
        let _ = rustix::fs::chownat(dir, name, owner, group, AtFlags::SYMLINK_NOFOLLOW);
        if kind == rustix::fs::FileType::Directory {
            let flags = OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::RDONLY;
            if let Ok(child) = rustix::fs::openat(dir, name, flags, Mode::empty()) {
                give_dir(&child, uid, depth + 1);
            }
        }
    }
}
