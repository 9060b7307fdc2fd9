//! The size of a sandbox. On E2B a sandbox is a microVM: everything in it together
//! has the template's memory (this server answers `memoryMB: 512`) and a bounded
//! number of processes, so a fork or memory bomb ends inside it. Here each sandbox
//! gets a pids and a memory cgroup of its own, as the local backend makes them, when
//! the server can (as root); elsewhere its processes are unbounded, which
//! [`E2bServer::bounds_sandboxes`](super::E2bServer::bounds_sandboxes) tells.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Processes of one sandbox, all together (the local backend's default too).
pub const PIDS: u32 = 256;
/// Memory of one sandbox, all its processes together (the answered `memoryMB`).
pub const MEMORY_BYTES: u64 = 512 << 20;

/// The cgroups (v1 or v2) of one sandbox; every process of it joins each.
pub struct Cgroups {
    dirs: Vec<PathBuf>,
}

impl Cgroups {
    /// Both cgroups of sandbox `id`, or None when either cannot be made here.
    pub fn make(id: &str) -> Option<Self> {
        let name = format!("codingit-e2b-test/{}-{id}", std::process::id());
        let pids = [
            ("pids", "pids.max", PIDS.to_string()),
            ("", "pids.max", PIDS.to_string()),
        ];
        let memory = [
            ("memory", "memory.limit_in_bytes", MEMORY_BYTES.to_string()),
            ("", "memory.max", MEMORY_BYTES.to_string()),
        ];
        let mut made = Self { dirs: Vec::new() };
        for candidates in [pids, memory] {
            let dir = candidates.iter().find_map(|(controller, file, value)| {
                let dir = PathBuf::from("/sys/fs/cgroup").join(controller).join(&name);
                if std::fs::create_dir_all(&dir).is_ok()
                    && std::fs::write(dir.join(file), value).is_ok()
                {
                    return Some(dir);
                }
                let _ = std::fs::remove_dir(&dir);
                None
            });
            match dir {
                // A cgroup v2 folder holds both limits: it is made once.
                Some(dir) if made.dirs.contains(&dir) => {}
                Some(dir) => made.dirs.push(dir),
                None => {
                    made.remove();
                    return None;
                }
            }
        }
        // Swap would let memory grow past the limit (where it is accounted).
        for dir in &made.dirs {
            let _ = std::fs::write(
                dir.join("memory.memsw.limit_in_bytes"),
                MEMORY_BYTES.to_string(),
            );
            let _ = std::fs::write(dir.join("memory.swap.max"), "0");
        }
        Some(made)
    }

    /// `cgroup.procs` of each: a process writes its pid there before it execs.
    pub fn procs_files(&self) -> Vec<PathBuf> {
        self.dirs.iter().map(|d| d.join("cgroup.procs")).collect()
    }

    /// Kills what is left in them (the sandbox ended) and removes them, waiting up to
    /// ten seconds for the processes to go.
    pub fn remove(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        for dir in &self.dirs {
            while std::fs::remove_dir(dir).is_err() && dir.exists() && Instant::now() < deadline {
                let procs = std::fs::read_to_string(dir.join("cgroup.procs")).unwrap_or_default();
                for pid in procs.lines().filter_map(|l| l.trim().parse::<i32>().ok()) {
                    if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                    }
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // The shared parent goes with the last sandbox (a busy one stays: another
            // server's sandboxes are in it).
            if let Some(parent) = dir.parent() {
                let _ = std::fs::remove_dir(parent);
            }
        }
    }
}

/// Whether this server can bound its sandboxes (one probe cgroup, made and removed).
pub fn available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| Cgroups::make("probe").map(|probe| probe.remove()).is_some())
}
