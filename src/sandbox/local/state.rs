//! The state of local sandboxes: one JSON file per sandbox under
//! `<state dir>/sandboxes/<id>.json`, its folders under `<state dir>/sandboxes/<id>/`.

use super::sys;
use crate::catalog::TemplateDef;
use crate::sandbox::{unix_now, SandboxError, SandboxInfo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub id: String,
    pub template: TemplateDef,
    pub project: Option<String>,
    pub created_at: u64,
    pub expires_at: u64,
    /// The template environment in the cache.
    pub env_dir: PathBuf,
    /// Extra read-only folders the environment needs (the base interpreter).
    pub env_read: Vec<PathBuf>,
    pub network: bool,
    pub memory_bytes: u64,
    pub pids: u32,
    pub output_bytes: u64,
    pub env: BTreeMap<String, String>,
    /// Process groups started in this sandbox.
    pub groups: Vec<i32>,
    /// The lifetime keeper's pid: started with the first background app (or the
    /// first command when nothing else kills a tree left behind by a killed owner).
    pub keeper: Option<i32>,
    /// The codingit process that created the sandbox: while no keeper runs, the
    /// sandbox lives only as long as its owner.
    #[serde(default)]
    pub owner: Option<Owner>,
    /// A background app was started (it must outlive its owner until expiry).
    #[serde(default)]
    pub app: bool,
    /// Run inside bubblewrap namespaces.
    pub bwrap: bool,
    /// The pids cgroup (when running as root), else empty.
    pub cgroup: Option<PathBuf>,
    /// The cgroup whose CPU quota enforces `--cpus` (when one could be made).
    #[serde(default)]
    pub cpu_cgroup: Option<PathBuf>,
    /// The cgroup whose memory limit bounds all processes together (as root).
    #[serde(default)]
    pub memory_cgroup: Option<PathBuf>,
    /// The uid sandboxed code runs as (codingit is root), else None (codingit's own).
    #[serde(default)]
    pub uid: Option<u32>,
    /// Host mounts made for the sandbox (its size-limited home and tmp, as root).
    #[serde(default)]
    pub mounts: Vec<PathBuf>,
    #[serde(default)]
    pub home_limit: Option<u64>,
    #[serde(default)]
    pub tmp_limit: Option<u64>,
    /// Variables of codingit's environment passed in with network on
    /// (`sandbox.env_allow`).
    #[serde(default)]
    pub env_allow: Vec<String>,
    pub unsafe_no_confinement: bool,
}

/// A process identified by its pid and start time (pids are reused).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Owner {
    pub pid: i32,
    pub start: u64,
}

impl Owner {
    pub fn current() -> Option<Self> {
        let pid = std::process::id() as i32;
        Some(Self {
            pid,
            start: process_start(pid)?,
        })
    }

    pub fn alive(&self) -> bool {
        process_start(self.pid) == Some(self.start)
    }
}

/// The start time (clock ticks since boot) of a live, non-zombie process.
fn process_start(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields follow the last `)`.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?;
    if state == "Z" || state == "X" {
        return None;
    }
    // `starttime` is field 22 of the whole line, 20 after the state.
    fields.nth(18)?.parse().ok()
}

impl State {
    /// Commands get a network namespace of their own (loopback only): network off,
    /// and bubblewrap or root (which can make one) to make it.
    pub fn own_network(&self) -> bool {
        !self.network && (self.bwrap || self.uid.is_some())
    }

    pub fn info(&self) -> SandboxInfo {
        let alive = self.groups.iter().any(|g| sys::group_alive(*g));
        SandboxInfo {
            id: self.id.clone(),
            backend: "local".into(),
            template: self.template.id.clone(),
            project: self.project.clone(),
            created_at: self.created_at,
            expires_at: self.expires_at,
            state: if alive { "running" } else { "idle" }.into(),
        }
    }
}

/// Where the sandboxes' state lives.
#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
}

fn io(context: &str, e: std::io::Error) -> SandboxError {
    SandboxError::Io(format!("{context}: {e}"))
}

impl Store {
    pub fn new(state_dir: &Path) -> Self {
        Self {
            root: state_dir.join("sandboxes"),
        }
    }

    pub fn file(&self, id: &str) -> PathBuf {
        self.root.join(format!("{id}.json"))
    }

    pub fn dir(&self, id: &str) -> PathBuf {
        self.root.join(id)
    }

    pub fn home(&self, id: &str) -> PathBuf {
        self.dir(id).join("home")
    }

    pub fn tmp(&self, id: &str) -> PathBuf {
        self.dir(id).join("tmp")
    }

    pub fn app_log(&self, id: &str) -> PathBuf {
        self.dir(id).join("app.log")
    }

    pub fn save(&self, state: &State) -> Result<(), SandboxError> {
        std::fs::create_dir_all(&self.root).map_err(|e| io("cannot create the state folder", e))?;
        let text = serde_json::to_vec_pretty(state)
            .map_err(|e| SandboxError::Backend(format!("cannot encode the sandbox state: {e}")))?;
        super::files::replace_file(&self.file(&state.id), &text)
            .map_err(|e| io("cannot write the sandbox state", e))
    }

    pub fn load(&self, id: &str) -> Result<State, SandboxError> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(SandboxError::NotFound(id.to_string()));
        }
        let text = match std::fs::read(self.file(id)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SandboxError::NotFound(id.to_string()))
            }
            Err(e) => return Err(io("cannot read the sandbox state", e)),
        };
        serde_json::from_slice(&text).map_err(|e| {
            SandboxError::Backend(format!(
                "the state of sandbox `{id}` is unreadable ({e}); remove {} to forget it",
                self.file(id).display()
            ))
        })
    }

    /// Every readable state file.
    pub fn all(&self) -> Vec<State> {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut states: Vec<State> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let id = name.strip_suffix(".json")?;
                self.load(id).ok()
            })
            .collect();
        states.sort_by_key(|s| s.created_at);
        states
    }

    /// Adds a process group to the sandbox's state.
    pub fn add_group(&self, id: &str, pgid: i32) -> Result<(), SandboxError> {
        let mut state = self.load(id)?;
        state.groups.retain(|g| sys::group_alive(*g));
        state.groups.push(pgid);
        self.save(&state)
    }

    /// Whether a sandbox should be removed: expired, or neither its keeper nor (for a
    /// sandbox without a keeper) its owner is alive.
    pub fn is_dead(state: &State) -> bool {
        if unix_now() >= state.expires_at {
            return true;
        }
        match state.keeper {
            Some(keeper) => !sys::process_alive(keeper),
            None => !state.owner.is_some_and(|o| o.alive()),
        }
    }

    /// Kills everything of a sandbox and removes its files. Idempotent.
    pub fn destroy(&self, state: &State, kill_keeper: bool) {
        stop_processes(state);
        if kill_keeper {
            if let Some(keeper) = state.keeper {
                if keeper != std::process::id() as i32 {
                    sys::kill_process(keeper);
                }
            }
        }
        let _ = std::fs::remove_file(self.file(&state.id));
        super::setup::unmount(&state.mounts);
        let _ = std::fs::remove_dir_all(self.dir(&state.id));
        let cgroups = state.cgroup.iter().chain(&state.cpu_cgroup);
        for cgroup in cgroups.chain(&state.memory_cgroup) {
            // Killed processes leave the cgroup as soon as they are reaped; do not
            // wait for that: a cgroup still busy is removed by a later sweep.
            if std::fs::remove_dir(cgroup).is_err() && cgroup.exists() {
                let _ = std::fs::create_dir_all(&self.root);
                let name = cgroup
                    .parent()
                    .and_then(Path::parent)
                    .and_then(Path::file_name)
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let _ = std::fs::write(
                    self.root.join(format!(".cgroup-{}-{name}", state.id)),
                    cgroup.as_os_str().as_encoded_bytes(),
                );
            }
        }
    }

    /// Removes the cgroups that were still busy when their sandbox was destroyed.
    pub fn sweep_cgroups(&self) {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(".cgroup-") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let cgroup = PathBuf::from(text);
            let ours = cgroup.starts_with("/sys/fs/cgroup")
                && cgroup
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("local-"));
            if !ours {
                let _ = std::fs::remove_file(entry.path());
                continue;
            }
            kill_cgroup_once(&cgroup);
            if std::fs::remove_dir(&cgroup).is_ok() || !cgroup.exists() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Kills the sandbox's process groups and, with a cgroup, every process in it.
pub fn stop_processes(state: &State) {
    for pgid in &state.groups {
        sys::kill_group(*pgid);
    }
    if let Some(cgroup) = &state.cgroup {
        kill_cgroup(cgroup);
    }
}

/// Sends SIGKILL to every process of a pids cgroup once.
fn kill_cgroup_once(cgroup: &Path) {
    let procs = std::fs::read_to_string(cgroup.join("cgroup.procs")).unwrap_or_default();
    for pid in procs.lines().filter_map(|l| l.trim().parse().ok()) {
        sys::kill_process(pid);
    }
}

/// Kills every process of a pids cgroup until it is empty (or a bounded time passed).
pub fn kill_cgroup(cgroup: &Path) {
    for _ in 0..50 {
        let procs = std::fs::read_to_string(cgroup.join("cgroup.procs")).unwrap_or_default();
        let pids: Vec<i32> = procs
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        if pids.is_empty() {
            return;
        }
        for pid in pids {
            sys::kill_process(pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
