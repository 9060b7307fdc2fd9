//! Leaving root, inside the confinement helper.
//!
//! When codingit runs as root, the sandboxed command runs as [`SANDBOX_UID`] with no
//! supplementary groups, no capabilities (bounding and ambient sets cleared) and
//! no-new-privileges, so it cannot read other processes' memory or environment,
//! change their limits, read kernel logs or make device nodes. Without bubblewrap
//! the helper first gives itself a private mount namespace in which the host's
//! `/home`, `/root`, `/tmp` and `/run` are empty and only the folders the sandbox
//! needs are bound back (read-only, except its home and tmp): the unprivileged uid
//! could not traverse a root-only folder such as `/root` to reach its environment,
//! and must not see host sockets under `/run` or `/tmp`.

use rustix::fs::{Gid, Uid};
use rustix::mount::{MountFlags, MountPropagationFlags};
use rustix::thread::CapabilitySet;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

/// The uid and gid sandboxed code runs as when codingit is root: the traditional
/// `nobody`/`nogroup`, which owns no files on a normal system.
pub const SANDBOX_UID: u32 = 65534;
pub const SANDBOX_GID: u32 = 65534;

/// Host folders that hold other users' files and host sockets; the sandbox sees them
/// empty, with only its own folders bound back.
pub const HIDDEN_ROOTS: [&str; 5] = ["/home", "/root", "/tmp", "/run", "/var/run"];

/// Drops every privilege for good: bounding set (which needs CAP_SETPCAP, so first),
/// groups, gid, uid, ambient set; then checks that nothing is left.
pub fn drop_root(uid: u32, gid: u32) -> Result<(), String> {
    let fail = |what: &str, e: rustix::io::Errno| format!("cannot {what}: {e}");
    for cap in CapabilitySet::all().iter() {
        match rustix::thread::remove_capability_from_bounding_set(cap) {
            // A capability newer than this kernel.
            Ok(()) | Err(rustix::io::Errno::INVAL) => {}
            Err(e) => return Err(fail("clear the capability bounding set", e)),
        }
    }
    rustix::thread::set_thread_groups(&[]).map_err(|e| fail("drop supplementary groups", e))?;
    // Per-thread calls: the helper is single-threaded, so they cover the process.
    let (uid, gid) = (Uid::from_raw(uid), Gid::from_raw(gid));
    rustix::thread::set_thread_res_gid(gid, gid, gid).map_err(|e| fail("set the gid", e))?;
    rustix::thread::set_thread_res_uid(uid, uid, uid).map_err(|e| fail("set the uid", e))?;
    match rustix::thread::clear_ambient_capability_set() {
        Ok(()) | Err(rustix::io::Errno::INVAL) => {}
        Err(e) => return Err(fail("clear the ambient capabilities", e)),
    }
    rustix::thread::set_no_new_privs(true).map_err(|e| fail("set no-new-privileges", e))?;
    let caps = rustix::thread::capabilities(None).map_err(|e| fail("read capabilities", e))?;
    let bounded = CapabilitySet::all()
        .iter()
        .any(|c| rustix::thread::capability_is_in_bounding_set(c).unwrap_or(false));
    if !caps.effective.is_empty() || !caps.permitted.is_empty() || bounded {
        return Err("capabilities are left after leaving root".into());
    }
    if rustix::process::getuid() != uid || rustix::process::geteuid() != uid {
        return Err("the uid did not change".into());
    }
    Ok(())
}

/// Without bubblewrap, as root: a private mount namespace in which the hidden roots
/// are empty tmpfs (nosuid, nodev) and `read` (read-only) and `write` folders under
/// them are bound back at their own paths.
pub fn hide_host_folders(read: &[PathBuf], write: &[PathBuf]) -> Result<(), String> {
    super::sys::unshare_mount_namespace().map_err(|e| format!("cannot unshare mounts: {e}"))?;
    rustix::mount::mount_change(
        "/",
        MountPropagationFlags::PRIVATE | MountPropagationFlags::REC,
    )
    .map_err(|e| format!("cannot make mounts private: {e}"))?;
    for root in HIDDEN_ROOTS {
        let root = Path::new(root);
        // `/var/run` is usually a link to `/run`, hidden with it.
        let real_dir = std::fs::symlink_metadata(root).is_ok_and(|m| m.is_dir());
        if !real_dir {
            continue;
        }
        let keep = kept_under(root, read, write)?;
        rustix::mount::mount(
            "tmpfs",
            root,
            "tmpfs",
            MountFlags::NOSUID | MountFlags::NODEV,
            c"mode=0755,size=1m",
        )
        .map_err(|e| format!("cannot hide {}: {e}", root.display()))?;
        for (path, writable, fd) in keep {
            bind_back(&path, writable, &fd)?;
        }
    }
    Ok(())
}

/// The existing folders and files under `root` to bind back, outermost first, each
/// opened before `root` is hidden (a path inside another kept one comes with it).
fn kept_under(
    root: &Path,
    read: &[PathBuf],
    write: &[PathBuf],
) -> Result<Vec<(PathBuf, bool, OwnedFd)>, String> {
    let mut wanted: Vec<(PathBuf, bool)> = read
        .iter()
        .map(|p| (p.clone(), false))
        .chain(write.iter().map(|p| (p.clone(), true)))
        .filter(|(p, _)| p.starts_with(root) && p != root)
        .collect();
    wanted.sort_by_key(|(p, _)| p.components().count());
    let mut keep: Vec<(PathBuf, bool, OwnedFd)> = Vec::new();
    for (path, writable) in wanted {
        if keep.iter().any(|(k, _, _)| path.starts_with(k)) {
            continue;
        }
        let flags = rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC;
        let Ok(fd) = rustix::fs::open(&path, flags, rustix::fs::Mode::empty()) else {
            continue;
        };
        keep.push((path, writable, fd));
    }
    Ok(keep)
}

fn bind_back(path: &Path, writable: bool, fd: &OwnedFd) -> Result<(), String> {
    let err = |what: &str, e: &dyn std::fmt::Display| {
        format!("cannot {what} {} in the sandbox: {e}", path.display())
    };
    let is_dir = rustix::fs::fstat(fd)
        .map(|s| rustix::fs::FileType::from_raw_mode(s.st_mode) == rustix::fs::FileType::Directory)
        .unwrap_or(false);
    if is_dir {
        std::fs::create_dir_all(path).map_err(|e| err("create", &e))?;
    } else {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| err("create", &e))?;
        }
        std::fs::write(path, b"").map_err(|e| err("create", &e))?;
    }
    let source = format!("/proc/self/fd/{}", fd.as_raw_fd());
    rustix::mount::mount_bind(source.as_str(), path).map_err(|e| err("bind", &e))?;
    let mut flags = MountFlags::BIND | MountFlags::NOSUID | MountFlags::NODEV;
    if !writable {
        flags |= MountFlags::RDONLY;
    }
    rustix::mount::mount_remount(path, flags, c"").map_err(|e| err("protect", &e))
}
