//! The local backend: no daemon. Each sandbox is a private folder (its home and tmp)
//! under the state folder; its processes run confined by Landlock, seccomp,
//! no-new-privileges and resource limits, in their own process group, inside
//! bubblewrap's namespaces when `bwrap` is installed. See docs/sandbox-local.md.

mod confine;
mod env;
mod exec;
mod files;
pub mod helper;
mod install;
mod isolation;
mod privs;
mod relay;
mod report;
mod seccomp;
mod setup;
mod spawn;
mod state;
mod sys;

use crate::catalog::{PackageManager, TemplateDef};
use crate::sandbox::{
    unix_now, Backend, BackendKind, BoxFut, BuildProgress, ExecOutcome, ExecRequest, FileEntry,
    OutputChunk, Preview, SandboxError, SandboxInfo, SandboxSpec,
};
use state::{State, Store};
use std::path::PathBuf;
use std::time::Duration;

pub use env::env_dir;

/// Whether bubblewrap's namespaces are used on top of Landlock and seccomp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bubblewrap {
    Used,
    /// `CODINGIT_LOCAL_BWRAP=0`.
    TurnedOff,
    /// No `bwrap` on PATH.
    NotFound,
}

/// The one rule for using bubblewrap (the backend and `doctor` both ask it).
pub fn bubblewrap() -> Bubblewrap {
    if std::env::var("CODINGIT_LOCAL_BWRAP").is_ok_and(|v| v == "0") {
        Bubblewrap::TurnedOff
    } else if env::which("bwrap").is_some() {
        Bubblewrap::Used
    } else {
        Bubblewrap::NotFound
    }
}

/// The local (daemonless) sandbox backend.
pub struct LocalBackend {
    cache: PathBuf,
    state_dir: PathBuf,
    store: Store,
    bwrap: bool,
    unsafe_no_confinement: bool,
    env_allow: Vec<String>,
    /// Landlock's rules can be enforced here (else only with the unsafe opt-out).
    landlock: bool,
}

fn unavailable(message: impl Into<String>, hint: impl Into<String>) -> SandboxError {
    SandboxError::Unavailable {
        message: message.into(),
        hint: hint.into(),
    }
}

impl LocalBackend {
    /// Checks that the kernel can confine a sandbox (fail-closed unless
    /// `unsafe_no_confinement`) and finds the cache and state folders.
    pub fn new(unsafe_no_confinement: bool) -> Result<Self, SandboxError> {
        let cache = crate::config::cache_dir().ok_or_else(|| {
            unavailable(
                "no cache folder for template environments",
                "set HOME, XDG_CACHE_HOME or CODINGIT_CACHE_DIR",
            )
        })?;
        let state_dir = crate::config::state_dir().ok_or_else(|| {
            unavailable(
                "no state folder for local sandboxes",
                "set HOME, XDG_STATE_HOME or CODINGIT_STATE_DIR",
            )
        })?;
        Self::at(cache, state_dir, unsafe_no_confinement)
    }

    /// The backend with explicit cache and state folders (for embedding and tests).
    pub fn at(
        cache: PathBuf,
        state_dir: PathBuf,
        unsafe_no_confinement: bool,
    ) -> Result<Self, SandboxError> {
        let landlock = confine::probe();
        if let Err(e) = &landlock {
            if !unsafe_no_confinement {
                return Err(unavailable(
                    format!("the local backend cannot confine code here: {e}"),
                    confine::ConfineError::hint(),
                ));
            }
        }
        let bwrap = bubblewrap() == Bubblewrap::Used;
        Ok(Self {
            store: Store::new(&state_dir),
            cache,
            state_dir,
            bwrap,
            unsafe_no_confinement,
            env_allow: Vec::new(),
            landlock: landlock.is_ok(),
        })
    }

    /// Names of codingit's environment variables passed into sandboxes that have
    /// network access (`sandbox.env_allow`); none by default.
    pub fn with_env_allow(mut self, names: Vec<String>) -> Self {
        self.env_allow = names;
        self
    }

    /// Whether bubblewrap's namespaces are used on top of Landlock and seccomp.
    pub fn uses_bubblewrap(&self) -> bool {
        self.bwrap
    }

    /// Whether the template's environment is built (no build is started).
    pub fn is_prepared(&self, template: &TemplateDef) -> bool {
        env::find(&self.cache, template).is_some()
    }

    fn create_sync(&self, spec: &SandboxSpec) -> Result<SandboxInfo, SandboxError> {
        let template = &spec.template;
        crate::sandbox::select::check_limits(&spec.limits)?;
        let root = sys::effective_uid() == 0;
        isolation::check_app(spec, self.bwrap || root, self.unsafe_no_confinement)?;
        let env = env::find(&self.cache, template).ok_or_else(|| {
            unavailable(
                format!("the local environment of `{}` is not built", template.id),
                format!(
                    "run `codingit templates build {} --backend local`",
                    template.id
                ),
            )
        })?;
        let id = format!("local-{:08x}", fastrand::u32(..));
        let home = self.store.home(&id);
        let tmp = self.store.tmp(&id);
        let folders = setup::make_folders(&self.store.dir(&id), &home, &tmp)?;
        let forget = |e: SandboxError| {
            setup::unmount(&folders.mounts);
            let _ = std::fs::remove_dir_all(self.store.dir(&id));
            e
        };
        if let Some(app) = &env.app {
            install::seed_node_home(&home, app, template).map_err(forget)?;
        }
        if let Some(uid) = folders.uid {
            setup::give_home(&home, uid);
        }
        let cgroup = setup::pids_cgroup(&id, spec.limits.pids, self.unsafe_no_confinement)
            .map_err(forget)?;
        let cpu_cgroup = setup::cpu_cgroup(&id, spec.limits.cpus);
        let memory_cgroup = setup::memory_cgroup(&id, spec.limits.memory_bytes);
        let pids = if sys::effective_uid() == 0 {
            0 // root ignores RLIMIT_NPROC; the cgroup counts instead
        } else {
            u64::from(spec.limits.pids) + own_process_count()
        };
        let now = unix_now();
        let state = State {
            id: id.clone(),
            template: template.clone(),
            project: spec.project.clone(),
            created_at: now,
            expires_at: now + spec.lifetime.as_secs().max(1),
            env_dir: env.dir.clone(),
            env_read: env.read.clone(),
            network: spec.network,
            memory_bytes: spec.limits.memory_bytes,
            pids: u32::try_from(pids).unwrap_or(u32::MAX),
            output_bytes: spec.limits.output_bytes,
            env: spec.env.clone(),
            groups: Vec::new(),
            keeper: None,
            owner: state::Owner::current(),
            app: false,
            bwrap: self.bwrap,
            cgroup,
            cpu_cgroup,
            memory_cgroup,
            uid: folders.uid,
            mounts: folders.mounts.clone(),
            home_limit: folders.home_limit,
            tmp_limit: folders.tmp_limit.or(self.bwrap.then_some(setup::TMP_LIMIT)),
            env_allow: self.env_allow.clone(),
            unsafe_no_confinement: self.unsafe_no_confinement,
        };
        // No lifetime keeper yet: a sandbox that only runs commands under its owner's
        // supervision lives as long as the owner (see `Store::is_dead`); the keeper is
        // started with the first process that must be able to outlive it.
        if let Err(e) = self.store.save(&state) {
            self.store.destroy(&state, false);
            return Err(e);
        }
        Ok(state.info())
    }

    /// Starts the lifetime keeper unless one runs; `app` marks a background app,
    /// which outlives its owner until the sandbox expires.
    fn ensure_keeper(&self, state: &mut State, app: bool) -> Result<(), SandboxError> {
        let running = state.keeper.is_some_and(sys::process_alive);
        if running && (state.app || !app) {
            return Ok(());
        }
        state.app |= app;
        if !running {
            state.keeper = Some(self.spawn_keeper(&state.id)?);
        }
        self.store.save(state)
    }

    fn spawn_keeper(&self, id: &str) -> Result<i32, SandboxError> {
        let exe = std::env::current_exe()
            .map_err(|e| SandboxError::Backend(format!("cannot find the codingit binary: {e}")))?;
        let mut command = std::process::Command::new(exe);
        command
            .arg(spawn::KEEPER_ARG)
            .arg(&self.state_dir)
            .arg(id)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        sys::detach_child(&mut command);
        let child = command.spawn().map_err(|e| {
            SandboxError::Backend(format!("cannot start the sandbox's lifetime keeper: {e}"))
        })?;
        Ok(child.id() as i32)
    }
}

/// Processes of the current user, so RLIMIT_NPROC (which counts all of them) leaves
/// the sandbox its own allowance.
fn own_process_count() -> u64 {
    let uid = sys::effective_uid();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut count = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let real = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|u| u.parse::<u32>().ok());
        if real == Some(uid) {
            // Threads count too.
            let threads = status
                .lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|t| t.trim().parse::<u64>().ok())
                .unwrap_or(1);
            count += threads;
        }
    }
    count
}

impl Backend for LocalBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Local
    }

    fn prepare<'a>(
        &'a self,
        template: &'a TemplateDef,
        progress: &'a (dyn Fn(BuildProgress) + Send + Sync),
    ) -> BoxFut<'a, ()> {
        Box::pin(async move {
            env::ensure(&self.cache, template, progress)
                .await
                .map(|_| ())
        })
    }

    fn create<'a>(&'a self, spec: &'a SandboxSpec) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move { self.create_sync(spec) })
    }

    fn list(&self) -> BoxFut<'_, Vec<SandboxInfo>> {
        Box::pin(async move {
            self.store.sweep_cgroups();
            let mut out = Vec::new();
            for state in self.store.all() {
                if Store::is_dead(&state) {
                    self.store.destroy(&state, true);
                } else {
                    out.push(state.info());
                }
            }
            Ok(out)
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move {
            let state = self.store.load(id)?;
            if Store::is_dead(&state) {
                self.store.destroy(&state, true);
                return Err(SandboxError::NotFound(id.to_string()));
            }
            Ok(state.info())
        })
    }

    fn write_files<'a>(&'a self, id: &'a str, items: &'a [(String, Vec<u8>)]) -> BoxFut<'a, ()> {
        Box::pin(async move {
            self.store.load(id)?;
            let home = self.store.home(id);
            for (path, data) in items {
                files::write(&home, path, data)?;
            }
            Ok(())
        })
    }

    fn read_file<'a>(&'a self, id: &'a str, path: &'a str) -> BoxFut<'a, Vec<u8>> {
        Box::pin(async move {
            self.store.load(id)?;
            files::read(&self.store.home(id), path)
        })
    }

    fn list_files<'a>(
        &'a self,
        id: &'a str,
        path: &'a str,
        recursive: bool,
    ) -> BoxFut<'a, Vec<FileEntry>> {
        Box::pin(async move {
            self.store.load(id)?;
            files::list(&self.store.home(id), path, recursive)
        })
    }

    fn remove_path<'a>(&'a self, id: &'a str, path: &'a str) -> BoxFut<'a, ()> {
        Box::pin(async move {
            self.store.load(id)?;
            files::remove(&self.store.home(id), path)
        })
    }

    fn install<'a>(
        &'a self,
        id: &'a str,
        manager: PackageManager,
        packages: &'a [String],
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ExecOutcome> {
        Box::pin(async move {
            let state = self.store.load(id)?;
            if packages.is_empty() {
                return Ok(ExecOutcome::default());
            }
            if !state.network {
                return Err(SandboxError::InstallNeedsNetwork {
                    packages: packages.to_vec(),
                });
            }
            let mut state = state;
            if !state.bwrap {
                self.ensure_keeper(&mut state, false)?;
            }
            let argv = install::argv(&self.store, &state, manager, packages)?;
            let request = ExecRequest {
                argv,
                timeout: Some(Duration::from_secs(600)),
                ..ExecRequest::default()
            };
            exec::run(&self.store, &state, &request, sink).await
        })
    }

    fn exec<'a>(
        &'a self,
        id: &'a str,
        request: &'a ExecRequest,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ExecOutcome> {
        Box::pin(async move {
            let mut state = self.store.load(id)?;
            if !state.bwrap {
                // Without bubblewrap nothing kills the program's children if codingit
                // is killed: the keeper does (it watches the owner).
                self.ensure_keeper(&mut state, false)?;
            }
            exec::run(&self.store, &state, request, sink).await
        })
    }

    fn start_app<'a>(&'a self, id: &'a str, request: &'a ExecRequest) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let mut state = self.store.load(id)?;
            self.ensure_keeper(&mut state, true)?;
            exec::start(&self.store, &state, request).await
        })
    }

    fn logs<'a>(
        &'a self,
        id: &'a str,
        follow: bool,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ()> {
        Box::pin(async move {
            self.store.load(id)?;
            exec::logs(&self.store, id, follow, sink).await
        })
    }

    fn expose<'a>(&'a self, id: &'a str, port: u16) -> BoxFut<'a, Preview> {
        Box::pin(async move {
            let state = self.store.load(id)?;
            if state.template.port != Some(port) && !state.network {
                return Err(SandboxError::Backend(format!(
                    "sandbox `{id}` may only serve port {}",
                    state
                        .template
                        .port
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "none".into())
                )));
            }
            // The app binds 127.0.0.1:<port> in the host's network namespace (Landlock
            // allows that one port), so the preview is the port itself.
            Ok(Preview {
                url: format!("http://127.0.0.1:{port}/"),
                local_port: port,
                guard: Box::new(()),
            })
        })
    }

    fn extend<'a>(&'a self, id: &'a str, by: Duration) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move {
            // Added to the current expiry, checked against the maximum lifetime: a
            // huge duration used to wrap round to the past, and the keeper then ended
            // the sandbox at once.
            let mut state = self.store.load(id)?;
            state.expires_at = crate::sandbox::extended_expiry(state.expires_at, by)?;
            self.store.save(&state)?;
            Ok(state.info())
        })
    }

    fn kill<'a>(&'a self, id: &'a str) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let state = self.store.load(id)?;
            self.store.destroy(&state, true);
            Ok(())
        })
    }

    fn confinement(&self, id: &str) -> Option<crate::sandbox::Confinement> {
        let state = self.store.load(id).ok()?;
        Some(report::confinement(&state, self.landlock))
    }

    fn reap_expired(&self) -> BoxFut<'_, usize> {
        Box::pin(async move {
            self.store.sweep_cgroups();
            let mut count = 0;
            for state in self.store.all() {
                if Store::is_dead(&state) {
                    self.store.destroy(&state, true);
                    count += 1;
                }
            }
            Ok(count)
        })
    }
}
