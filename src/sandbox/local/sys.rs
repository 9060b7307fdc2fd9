//! The few raw system calls of the local backend.
//!
//! The crate denies `unsafe_code`; this module is the one exception, because setting
//! resource limits and a new session in the child between fork and exec can only be
//! done through `pre_exec` and libc. The closure runs in a forked copy of a
//! multi-threaded process, so it only makes async-signal-safe calls: no allocation,
//! no locks (everything it needs is prepared by the parent).
#![allow(unsafe_code)]

use std::os::fd::{AsRawFd, OwnedFd};

/// Resource limits applied to the child (0 = leave unchanged).
#[derive(Debug, Clone, Copy, Default)]
pub struct RLimits {
    pub cpu_seconds: u64,
    pub address_space: u64,
    pub data: u64,
    pub processes: u64,
    pub file_size: u64,
    pub open_files: u64,
}

/// Arranges for the child to start a new session (its own process group, killed
/// whole later), take the resource limits, join the given cgroups (pids, cpu),
/// and set no-new-privileges. With `die_with_parent` the child is killed when the
/// thread that started it ends (codingit killed), like bubblewrap's own option.
pub fn confine_child(
    command: &mut tokio::process::Command,
    limits: RLimits,
    cgroup_procs: Vec<OwnedFd>,
    die_with_parent: bool,
) {
    let parent = std::process::id() as libc::pid_t;
    let pairs: [(libc::__rlimit_resource_t, u64); 6] = [
        (libc::RLIMIT_CPU, limits.cpu_seconds),
        (libc::RLIMIT_AS, limits.address_space),
        (libc::RLIMIT_DATA, limits.data),
        (libc::RLIMIT_NPROC, limits.processes),
        (libc::RLIMIT_FSIZE, limits.file_size),
        (libc::RLIMIT_NOFILE, limits.open_files),
    ];
    // SAFETY: the closure only calls async-signal-safe functions on values prepared
    // before the fork; see the module comment.
    unsafe {
        command.pre_exec(move || {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if die_with_parent {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The parent may have died before the line above took effect.
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
            }
            for fd in &cgroup_procs {
                let pid = b"0";
                if libc::write(fd.as_raw_fd(), pid.as_ptr().cast(), pid.len()) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            for (resource, value) in pairs {
                if value == 0 {
                    continue;
                }
                let limit = libc::rlimit {
                    rlim_cur: value,
                    rlim_max: value,
                };
                if libc::setrlimit(resource, &limit) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            let core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &core);
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Starts the child in a new session without other limits (the lifetime keeper).
pub fn detach_child(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Sends SIGKILL to a whole process group; false when it no longer exists.
pub fn kill_group(pgid: i32) -> bool {
    if pgid <= 1 {
        return false;
    }
    // SAFETY: a plain system call on integers.
    unsafe { libc::killpg(pgid, libc::SIGKILL) == 0 }
}

/// Sends SIGKILL to one process.
pub fn kill_process(pid: i32) -> bool {
    if pid <= 1 {
        return false;
    }
    // SAFETY: a plain system call on integers.
    unsafe { libc::kill(pid, libc::SIGKILL) == 0 }
}

/// Whether a process group still has members.
pub fn group_alive(pgid: i32) -> bool {
    if pgid <= 1 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence.
    unsafe { libc::killpg(pgid, 0) == 0 }
}

/// Whether a process exists (zombies included).
pub fn process_alive(pid: i32) -> bool {
    if pid <= 1 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence.
    unsafe { libc::kill(pid, 0) == 0 }
}

/// Gives the calling (single-threaded) process a private mount namespace.
pub fn unshare_mount_namespace() -> std::io::Result<()> {
    // SAFETY: CLONE_NEWNS shares no memory or file table state between threads; the
    // helper that calls it is single-threaded.
    unsafe { rustix::thread::unshare_unsafe(rustix::thread::UnshareFlags::NEWNS) }
        .map_err(std::io::Error::from)
}

/// Gives the calling (single-threaded) process a network namespace of its own, with
/// its loopback up (a new namespace starts with it down).
pub fn unshare_network_namespace() -> std::io::Result<()> {
    // SAFETY: CLONE_NEWNET changes no memory or file table state; the helper that
    // calls it is single-threaded.
    unsafe { rustix::thread::unshare_unsafe(rustix::thread::UnshareFlags::NEWNET) }
        .map_err(std::io::Error::from)?;
    // SAFETY: a plain socket, and ioctls on a zeroed `ifreq` naming `lo`, which the
    // kernel reads and writes within the struct's size.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut request: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo".iter().enumerate() {
            request.ifr_name[i] = *b as libc::c_char;
        }
        let mut result = libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut request);
        if result == 0 {
            request.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            result = libc::ioctl(fd, libc::SIOCSIFFLAGS, &request);
        }
        let error = std::io::Error::last_os_error();
        libc::close(fd);
        if result < 0 {
            return Err(error);
        }
    }
    Ok(())
}

pub fn effective_uid() -> u32 {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() }
}
