//! Sandboxes: one lifecycle, several backends.
//!
//! The `run`, `files` and `sandbox` commands speak only to [`Backend`]; the Docker
//! backend (engine API through bollard), the local backend (a confined child
//! process) and the E2B backend (E2B's REST API and envd) implement it. Every path a caller passes is confined to the sandbox
//! home by `paths` before a backend sees it.

pub mod artifacts;
pub mod cancel;
pub mod docker;
pub mod e2b;
pub mod helpers;
pub mod job;
#[cfg(target_os = "linux")]
pub mod local;
pub mod paths;
pub mod select;

use crate::catalog::{PackageManager, TemplateDef};
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The interpreter runner, run inside every interpreter sandbox (see its docstring).
pub const RUNNER_PY: &str = include_str!("runner.py");

/// The home folder of every sandbox; all file paths resolve under it.
pub const SANDBOX_HOME: &str = "/home/user";

/// Labels (Docker) or state fields (local) that find our sandboxes again.
pub const LABEL_TOOL: &str = "dev.codingit.tool";
pub const LABEL_ID: &str = "dev.codingit.id";
pub const LABEL_TEMPLATE: &str = "dev.codingit.template";
pub const LABEL_PROJECT: &str = "dev.codingit.project";
pub const LABEL_EXPIRES: &str = "dev.codingit.expires";

pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = Result<T, SandboxError>> + Send + 'a>>;

/// Resource limits of one sandbox.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Limits {
    pub memory_bytes: u64,
    pub cpus: f64,
    pub pids: u32,
    /// Bytes kept per output stream; beyond it output is dropped and `truncated` set.
    pub output_bytes: u64,
    /// Size of the sandbox home (Docker: a memory-backed volume; what the code
    /// writes there also counts against `memory_bytes`).
    #[serde(default = "default_home_bytes")]
    pub home_bytes: u64,
}

fn default_home_bytes() -> u64 {
    1 << 30
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_bytes: 1 << 30,
            cpus: 1.0,
            pids: 256,
            output_bytes: 1 << 20,
            home_bytes: default_home_bytes(),
        }
    }
}

/// What to create.
#[derive(Debug, Clone)]
pub struct SandboxSpec {
    pub template: TemplateDef,
    /// The project folder it came from, for labels and `sandbox ls`.
    pub project: Option<String>,
    /// When the sandbox ends by itself, even if codingit is killed.
    pub lifetime: Duration,
    /// Network access (off unless asked for).
    pub network: bool,
    pub limits: Limits,
    pub env: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SandboxInfo {
    pub id: String,
    pub backend: String,
    pub template: String,
    pub project: Option<String>,
    /// Unix seconds.
    pub created_at: u64,
    /// Unix seconds.
    pub expires_at: u64,
    /// `running`, `exited`, …
    pub state: String,
}

/// A command to run inside a sandbox.
#[derive(Debug, Clone, Default)]
pub struct ExecRequest {
    pub argv: Vec<String>,
    pub env: BTreeMap<String, String>,
    /// Working folder relative to the home (default: the home).
    pub cwd: Option<String>,
    /// Wall-clock limit; past it the process is killed and `timed_out` set.
    pub timeout: Option<Duration>,
    /// When set, cancelling it kills the command (and only it) and the exec
    /// returns with `cancelled` set (see [`cancel`]). `exec` only.
    pub cancel: Option<tokio_util::sync::CancellationToken>,
}

/// Output of a command as it happens.
#[derive(Debug, Clone)]
pub enum OutputChunk {
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ExecOutcome {
    /// The process's exit code (128+signal when killed by a signal).
    pub exit_code: i64,
    pub timed_out: bool,
    /// Output went past the limit and was cut.
    pub truncated: bool,
    /// Killed for using too much memory.
    pub oom_killed: bool,
    /// Killed because the request's `cancel` fired.
    pub cancelled: bool,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    File,
    Dir,
    Symlink,
    Other,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Relative to the sandbox home, `/`-separated, no leading slash.
    pub path: String,
    pub kind: FileKind,
    pub size: u64,
}

/// A port of a sandbox made reachable on 127.0.0.1. The tunnel lives as long as this
/// value (or, for a detached sandbox, as long as the process serving it).
pub struct Preview {
    pub url: String,
    pub local_port: u16,
    /// Keeps the relay alive; dropping it closes the listener.
    pub guard: Box<dyn Send + Sync>,
}

/// What confines one sandbox on this machine: what is enforced, what could not be
/// (and why), and as which uid its code runs. `run -v` and `run --json` show it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, Default)]
pub struct Confinement {
    pub backend: String,
    /// The uid and gid sandboxed code runs as (host ids).
    pub uid: u32,
    pub gid: u32,
    /// Capabilities left to the code: `"none"`, or what is kept.
    pub capabilities: String,
    pub no_new_privileges: bool,
    pub bubblewrap: bool,
    /// The Landlock ABI whose rules are enforced (None: Landlock is off).
    pub landlock_abi: Option<u32>,
    pub seccomp: bool,
    pub pid_namespace: bool,
    pub mount_namespace: bool,
    /// The code has its own network namespace (loopback only; a web app is reached
    /// through a relay on the host's 127.0.0.1).
    pub net_namespace: bool,
    pub network: bool,
    /// `"denied"`: no AF_UNIX socket can be created (socketpair still works).
    pub unix_sockets: String,
    /// Host folders the code does not see (empty in its view).
    pub hidden_host_folders: Vec<String>,
    pub memory_cgroup: bool,
    pub pids_cgroup: bool,
    pub cpu_cgroup: bool,
    /// Total bytes the home (and tmp) can hold; None: not bounded in total.
    pub home_limit_bytes: Option<u64>,
    pub tmp_limit_bytes: Option<u64>,
    /// Protections that could not be put in place here, each with why.
    pub refused: Vec<String>,
    pub notes: Vec<String>,
}

/// Progress of building a template image or environment.
#[derive(Debug, Clone)]
pub enum BuildProgress {
    Step(String),
    Log(String),
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The backend cannot be used at all (no engine, kernel feature missing).
    #[error("{message}\n  how to fix: {hint}")]
    Unavailable { message: String, hint: String },
    #[error("no sandbox `{0}` (see `codingit sandbox ls`)")]
    NotFound(String),
    /// A path that would leave the sandbox home, or is malformed.
    #[error("refused path `{path}`: {reason}")]
    Path { path: String, reason: String },
    #[error("building template `{template}` failed: {message}")]
    Build { template: String, message: String },
    /// Installing packages needs the network, which is off for this sandbox.
    #[error(
        "installing {} needs the network, which is off for this sandbox\n  how to fix: run again with --network, or add the packages to the template",
        .packages.join(", ")
    )]
    InstallNeedsNetwork { packages: Vec<String> },
    /// `--network` was asked for, and the engine cannot give a network.
    #[error(
        "--network needs a usable network on the Docker engine, and {why}\n  how to fix: give the engine a bridge network with IPv4 forwarding (start dockerd without --bridge=none and with ip-forward on), or run without --network; codingit never falls back to the host network"
    )]
    NetworkUnusable { why: String },
    /// A package spec outside the one grammar (`catalog::PackageSpec`).
    #[error("refused package `{spec}`: {reason}")]
    Package { spec: String, reason: String },
    /// The sandbox is gone (its lifetime passed, or it was killed) while in use.
    #[error("sandbox {id} has ended (its timeout passed, or it was killed)\n  how to fix: run again, with a longer --timeout if it ran out of time")]
    Ended { id: String },
    /// An exec or app start with an empty command line.
    #[error("no command to run")]
    NoCommand,
    #[error("{0}")]
    Io(String),
    /// A resource limit or lifetime that is refused (it would remove a bound, or
    /// is past the maximum); the text says what to write instead.
    #[error("{0}")]
    Limit(String),
    #[error("{0}")]
    Backend(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Docker,
    Local,
    E2b,
}

/// The sandbox lifecycle. Implementations must confine paths with `paths::resolve`,
/// label what they create, and remove expired sandboxes in `reap_expired`.
pub trait Backend: Send + Sync {
    fn kind(&self) -> BackendKind;

    /// Builds the template's image or environment when it is missing or stale.
    fn prepare<'a>(
        &'a self,
        template: &'a TemplateDef,
        progress: &'a (dyn Fn(BuildProgress) + Send + Sync),
    ) -> BoxFut<'a, ()>;

    fn create<'a>(&'a self, spec: &'a SandboxSpec) -> BoxFut<'a, SandboxInfo>;
    fn list(&self) -> BoxFut<'_, Vec<SandboxInfo>>;
    fn get<'a>(&'a self, id: &'a str) -> BoxFut<'a, SandboxInfo>;

    fn write_files<'a>(&'a self, id: &'a str, files: &'a [(String, Vec<u8>)]) -> BoxFut<'a, ()>;
    fn read_file<'a>(&'a self, id: &'a str, path: &'a str) -> BoxFut<'a, Vec<u8>>;
    fn list_files<'a>(
        &'a self,
        id: &'a str,
        path: &'a str,
        recursive: bool,
    ) -> BoxFut<'a, Vec<FileEntry>>;
    fn remove_path<'a>(&'a self, id: &'a str, path: &'a str) -> BoxFut<'a, ()>;

    /// Installs validated package names with the template's package manager.
    fn install<'a>(
        &'a self,
        id: &'a str,
        manager: PackageManager,
        packages: &'a [String],
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ExecOutcome>;

    /// Runs a command to completion, streaming its output.
    fn exec<'a>(
        &'a self,
        id: &'a str,
        request: &'a ExecRequest,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ExecOutcome>;

    /// Starts a long-running app in the background; its output goes to the logs.
    fn start_app<'a>(&'a self, id: &'a str, request: &'a ExecRequest) -> BoxFut<'a, ()>;

    /// The sandbox's app logs; with `follow`, until the sandbox ends.
    fn logs<'a>(
        &'a self,
        id: &'a str,
        follow: bool,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ()>;

    /// Makes `port` inside the sandbox reachable on 127.0.0.1.
    fn expose<'a>(&'a self, id: &'a str, port: u16) -> BoxFut<'a, Preview>;

    /// Moves the expiry to now + `by`.
    fn extend<'a>(&'a self, id: &'a str, by: Duration) -> BoxFut<'a, SandboxInfo>;
    fn kill<'a>(&'a self, id: &'a str) -> BoxFut<'a, ()>;
    /// Removes every sandbox of this backend (of the namespace, when one is set),
    /// whatever its state, warm-pool ones included; returns the ids removed.
    /// Default: [`list`](Backend::list), then [`kill`](Backend::kill) each.
    fn kill_all(&self) -> BoxFut<'_, Vec<String>> {
        Box::pin(async move {
            let mut killed = Vec::new();
            for info in self.list().await? {
                self.kill(&info.id).await?;
                killed.push(info.id);
            }
            Ok(killed)
        })
    }

    /// Removes sandboxes past their expiry; returns how many.
    fn reap_expired(&self) -> BoxFut<'_, usize>;

    /// Serves `create` from a warm pool of `size` ready sandboxes kept across
    /// invocations (0: off), where the backend has one; the pool is topped up when
    /// a sandbox is [`release`](Backend::release)d (on Docker by a detached helper
    /// process, the running binary started as `__pool-refill`: only binaries that
    /// dispatch it, like `codingit`, may call this). Default: no pool.
    fn use_warm_pool(&self, size: usize) {
        let _ = size;
    }

    /// Whether sandboxes created from now on outlive this process (`run --detach`):
    /// their expiry alone ends them. By default a sandbox belongs to the process
    /// that made it: when that process is killed before it removes the sandbox, the
    /// backend removes it within seconds (Docker: the owner watch in
    /// `docker/pool.rs`); a process that ends normally leaves what it still holds
    /// to its expiry. Default: nothing to do.
    fn outlive_process(&self, outlive: bool) {
        let _ = outlive;
    }

    /// Whether sandbox `id` was claimed from a warm pool by this process.
    fn claimed_from_pool(&self, id: &str) -> bool {
        let _ = id;
        false
    }

    /// Runs one interpreter cell: writes `files`, runs `request` and returns its
    /// outcome with the contents of the file `result` the command wrote (`None` when
    /// there is none). Backends may do this in fewer round trips than the three calls.
    fn run_cell<'a>(
        &'a self,
        id: &'a str,
        files: &'a [(String, Vec<u8>)],
        request: &'a ExecRequest,
        result: &'a str,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, (ExecOutcome, Option<Vec<u8>>)> {
        Box::pin(async move {
            self.write_files(id, files).await?;
            let outcome = self.exec(id, request, sink).await?;
            let data = self.read_file(id, result).await.ok();
            Ok((outcome, data))
        })
    }

    /// What confines sandbox `id` (see [`Confinement`]); None when the backend does
    /// not report it (Docker: the container's own settings).
    fn confinement(&self, id: &str) -> Option<Confinement> {
        let _ = id;
        None
    }

    /// Removes a sandbox at the end of a command. A backend may send the removal
    /// off and finish it in the background (its sandboxes expire and are reaped in
    /// any case). Default: [`kill`](Backend::kill).
    fn release<'a>(&'a self, id: &'a str) -> BoxFut<'a, ()> {
        self.kill(id)
    }
}

/// The package specs of an install as package-manager arguments, by the one grammar
/// the fragment checks use ([`PackageSpec`](crate::catalog::PackageSpec)); any other
/// spec is refused before anything runs.
pub fn package_args(
    manager: PackageManager,
    packages: &[String],
) -> Result<Vec<String>, SandboxError> {
    packages
        .iter()
        .map(|p| {
            crate::catalog::PackageSpec::parse(manager, p)
                .map(|spec| spec.arg().to_string())
                .map_err(|reason| SandboxError::Package {
                    spec: p.escape_debug().to_string(),
                    reason,
                })
        })
        .collect()
}

/// Marks the start of the process for [`phase`] (call it first thing in `main`).
pub fn phase_start() {
    let _ = PHASE_START.get_or_init(std::time::Instant::now);
}

static PHASE_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Logs (at debug level, `-vv`) how long after the start of the process a phase of
/// a command ended: `codingit run - -vv` shows where its time goes.
pub fn phase(what: &str) {
    let start = PHASE_START.get_or_init(std::time::Instant::now);
    tracing::debug!(
        "phase {what}: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
}

/// The longest a sandbox may live from now (at creation and after `extend`): 7 days.
pub const MAX_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

/// The expiry (Unix seconds) of a sandbox that lives `lifetime` from now: at least
/// one second, at most [`MAX_LIFETIME`], computed without overflow (a huge duration
/// used to wrap round to the past and end the sandbox at once).
pub fn expiry_after(lifetime: Duration) -> Result<u64, SandboxError> {
    if lifetime > MAX_LIFETIME {
        return Err(SandboxError::Limit(format!(
            "a sandbox lives at most 7 days from now; {} is refused\n  how to fix: give a \
             duration up to \"7d\", and extend again later if needed",
            humantime::format_duration(Duration::from_secs(lifetime.as_secs()))
        )));
    }
    unix_now()
        .checked_add(lifetime.as_secs().max(1))
        .ok_or_else(|| SandboxError::Limit("the expiry is past the clock's range".into()))
}

/// The expiry after `sandbox extend` by `by`: `by` from now, but never earlier than the
/// current expiry (extending never shortens a sandbox's life); checked like
/// [`expiry_after`].
pub fn extended_expiry(current: u64, by: Duration) -> Result<u64, SandboxError> {
    Ok(expiry_after(by)?.max(current))
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
