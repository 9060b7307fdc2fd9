//! The Docker backend: hardened containers on a local or remote engine (bollard).
//!
//! - `connect`: reaching the engine, with how-to-fix errors;
//! - `container`: create, find by label, expiry, removal;
//! - `exec`: commands with streamed output, limits and caps; app logs;
//! - `files`: the archive API, confined paths;
//! - `image`: template images tagged by a content hash;
//! - `tunnel`: previews relayed through the engine API.

mod connect;
mod container;
mod context;
mod exec;
mod files;
mod home;
mod image;
mod network;
pub mod pool;
mod tunnel;

pub use connect::engine_address;
pub use container::{container_name, EXPIRY_FILE};
pub use image::{BuildContext, ImageOptions};

use super::paths::resolve;
use super::{
    unix_now, Backend, BackendKind, BoxFut, BuildProgress, ExecOutcome, ExecRequest, FileEntry,
    OutputChunk, Preview, SandboxError, SandboxInfo, SandboxSpec,
};
use crate::catalog::{PackageManager, TemplateDef};
use bollard::Docker;
use container::Found;
use exec::Capture;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Time limit of a package install.
const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);
/// How long an unclaimed warm-pool container lives (it then stops by itself and is
/// reaped like any expired sandbox).
const POOL_LIFETIME: Duration = Duration::from_secs(600);
/// The largest interpreter result read back (the JSON the runner writes).
const RESULT_MAX: u64 = 64 << 20;

pub struct DockerBackend {
    docker: Docker,
    images: ImageOptions,
    /// Containers seen in this process, by sandbox id (saves a lookup per call).
    known: Mutex<HashMap<String, Found>>,
    /// Sandboxes this process created in which nothing has run yet.
    fresh: Mutex<HashSet<String>>,
    /// Warm-pool size per pool key (0: no pool).
    pool_size: AtomicUsize,
    /// Background refills of the warm pool.
    refills: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    /// Expiry writes of sandboxes just claimed from the pool, by sandbox id.
    expiring: Mutex<HashMap<String, tokio::task::JoinHandle<Result<(), SandboxError>>>>,
    /// Sandboxes claimed from the pool: their replacement is made when they are killed.
    refill_on_kill: Mutex<HashMap<String, (SandboxSpec, String)>>,
    /// The pool is kept across invocations (`use_warm_pool`): refills and removals
    /// at `release` go to a detached helper process instead of tasks of this one.
    detached: AtomicBool,
    /// Sandboxes this process claimed from the pool.
    claimed: Mutex<HashSet<String>>,
    /// Expiry writes of claimed sandboxes not started yet (pool across invocations):
    /// `run_cell` does it while the code runs, any other call first.
    deferred: Mutex<HashMap<String, (Found, u64)>>,
    /// Owner watches of the sandboxes this process made (`detached` only): a
    /// sandbox whose owner is killed is removed at once, not at its expiry.
    watches: Mutex<HashMap<String, pool::Watch>>,
    /// Sandboxes created from now on outlive this process (`run --detach`).
    outlive: AtomicBool,
}

/// A process that ends normally hands the sandboxes it still holds to their own
/// expiry (`run --detach` returns without removing its sandbox); only an owner
/// that dies without this (killed) has its sandboxes removed by their watches.
impl Drop for DockerBackend {
    fn drop(&mut self) {
        if let Ok(mut watches) = self.watches.lock() {
            for (_, watch) in watches.drain() {
                let _ = watch.finish(&pool::WatchMessage::Keep);
            }
        }
    }
}

impl DockerBackend {
    /// Connects to the engine (`DOCKER_HOST` or the local socket).
    pub async fn connect(images: ImageOptions) -> Result<Self, SandboxError> {
        Ok(Self {
            docker: connect::connect().await?,
            images,
            known: Mutex::new(HashMap::new()),
            fresh: Mutex::new(HashSet::new()),
            pool_size: AtomicUsize::new(0),
            refills: Mutex::new(Vec::new()),
            refill_on_kill: Mutex::new(HashMap::new()),
            expiring: Mutex::new(HashMap::new()),
            detached: AtomicBool::new(false),
            claimed: Mutex::new(HashSet::new()),
            deferred: Mutex::new(HashMap::new()),
            watches: Mutex::new(HashMap::new()),
            outlive: AtomicBool::new(false),
        })
    }

    /// Starts the owner watch of a sandbox about to be made, where one is wanted:
    /// only a binary that dispatches the helper (after `use_warm_pool`), and not
    /// for sandboxes that outlive this process.
    fn start_watch(&self) -> Option<pool::Watch> {
        if !self.detached.load(Ordering::Relaxed) || self.outlive.load(Ordering::Relaxed) {
            return None;
        }
        match pool::Watch::start() {
            Ok(watch) => Some(watch),
            Err(e) => {
                // The sandbox's own expiry still ends it.
                tracing::debug!("owner watch: {e}");
                None
            }
        }
    }

    /// Tells the watch which container it guards, and keeps it with the sandbox.
    fn own(&self, id: &str, watch: Option<pool::Watch>) {
        let Some(mut watch) = watch else { return };
        let message = pool::WatchMessage::Own(container_name(id));
        if watch.send(&message).is_ok() {
            if let Ok(mut watches) = self.watches.lock() {
                watches.insert(id.to_string(), watch);
            }
        }
    }

    /// The watch of `id`, no longer kept with the sandbox.
    fn take_watch(&self, id: &str) -> Option<pool::Watch> {
        self.watches.lock().ok().and_then(|mut w| w.remove(id))
    }

    /// Keeps `size` pre-created, hardened, running containers per template and
    /// settings (a warm pool): `create` then claims one instead of creating and
    /// starting a container, and tops the pool up in the background. Only sandboxes
    /// without a project label are served from the pool. Unclaimed containers stop
    /// by themselves after 10 minutes and are reaped like expired sandboxes.
    pub fn set_pool(&self, size: usize) {
        self.pool_size.store(size, Ordering::Relaxed);
    }

    /// Waits until background pool refills have finished.
    pub async fn pool_idle(&self) {
        loop {
            let pending: Vec<_> = match self.refills.lock() {
                Ok(mut r) => r.drain(..).collect(),
                Err(_) => return,
            };
            if pending.is_empty() {
                return;
            }
            for task in pending {
                let _ = task.await;
            }
        }
    }

    /// Fills the warm pool for `spec` up to the pool size now (and waits for it).
    pub async fn fill_pool(&self, spec: &SandboxSpec) -> Result<(), SandboxError> {
        let tag = self.image_tag(&spec.template)?;
        let size = self.pool_size.load(Ordering::Relaxed);
        refill(self.docker.clone(), spec.clone(), tag, size).await;
        Ok(())
    }

    /// Removes the unclaimed warm-pool containers of `spec`; returns how many.
    pub async fn drain_pool(&self, spec: &SandboxSpec) -> Result<usize, SandboxError> {
        self.pool_idle().await;
        let key = pool_key(spec, &self.image_tag(&spec.template)?);
        let mut removed = 0;
        for found in container::pooled(&self.docker, &key).await? {
            if container::remove_container(&self.docker, &found.container).await {
                removed += 1;
            }
        }
        Ok(removed)
    }

    fn spawn_refill(&self, spec: &SandboxSpec, tag: &str, size: usize) {
        let task = tokio::spawn(refill(
            self.docker.clone(),
            spec.clone(),
            tag.to_string(),
            size,
        ));
        if let Ok(mut refills) = self.refills.lock() {
            refills.retain(|t| !t.is_finished());
            refills.push(task);
        }
    }

    /// Waits for the expiry write of a sandbox just claimed from the pool; the
    /// sandbox is removed when it failed.
    async fn settle(&self, id: &str) -> Result<(), SandboxError> {
        let deferred = self.deferred.lock().ok().and_then(|mut d| d.remove(id));
        if let Some((found, at)) = deferred {
            let result = container::set_expiry(&self.docker, &found, at).await;
            return self.expiry_written(id, result).await;
        }
        let task = self.expiring.lock().ok().and_then(|mut e| e.remove(id));
        let Some(task) = task else {
            return Ok(());
        };
        let result = task
            .await
            .unwrap_or_else(|e| Err(SandboxError::Backend(format!("setting the expiry: {e}"))));
        self.expiry_written(id, result).await
    }

    /// The sandbox is removed when its expiry could not be written.
    async fn expiry_written(
        &self,
        id: &str,
        result: Result<(), SandboxError>,
    ) -> Result<(), SandboxError> {
        if result.is_err() {
            if let Some(found) = self.known.lock().ok().and_then(|k| k.get(id).cloned()) {
                container::remove_container(&self.docker, &found.container).await;
            }
            self.forget(id);
        }
        result
    }

    fn mark_used(&self, id: &str) {
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.remove(id);
        }
    }

    fn is_fresh(&self, id: &str) -> bool {
        self.fresh.lock().is_ok_and(|f| f.contains(id))
    }

    /// The engine client, for tests and tools.
    pub fn client(&self) -> &Docker {
        &self.docker
    }

    /// The image tag a template builds to with the current settings.
    pub fn image_tag(&self, template: &TemplateDef) -> Result<String, SandboxError> {
        Ok(BuildContext::new(template, &self.images)?.tag)
    }

    async fn found(&self, id: &str) -> Result<Found, SandboxError> {
        if let Some(found) = self.known.lock().ok().and_then(|k| k.get(id).cloned()) {
            return Ok(found);
        }
        let found = container::find(&self.docker, id).await?;
        if let Ok(mut known) = self.known.lock() {
            known.insert(id.to_string(), found.clone());
        }
        Ok(found)
    }

    fn forget(&self, id: &str) {
        if let Ok(mut known) = self.known.lock() {
            known.remove(id);
        }
    }

    async fn info(&self, found: &Found) -> SandboxInfo {
        let expires = container::expiry(&self.docker, found).await;
        found.info(expires)
    }

    async fn create_impl(&self, spec: &SandboxSpec) -> Result<SandboxInfo, SandboxError> {
        super::select::check_limits(&spec.limits)?;
        super::expiry_after(spec.lifetime)?;
        let tag = self.image_tag(&spec.template)?;
        if !image::exists(&self.docker, &tag).await? {
            return Err(SandboxError::Build {
                template: spec.template.id.clone(),
                message: format!(
                    "its image {tag} is not built\n  how to fix: run `codingit templates build {}`",
                    spec.template.id
                ),
            });
        }
        // Started first, so it is ready by the time the container is.
        let watch = self.start_watch();
        let size = self.pool_size.load(Ordering::Relaxed);
        let info = if size > 0 && spec.project.is_none() {
            let key = pool_key(spec, &tag);
            match container::claim(&self.docker, &key).await? {
                Some(found) => {
                    let now = unix_now();
                    let expires = super::expiry_after(spec.lifetime)?;
                    // The expiry is written (one archive upload) while the caller
                    // goes on; every call that runs code in the sandbox waits for it
                    // first, except `run_cell`, which writes it while the code runs
                    // (the engine serialises archive calls on a container: this way
                    // it does not hold up the code's upload).
                    let id = found.id().to_string();
                    if self.detached.load(Ordering::Relaxed) {
                        if let Ok(mut deferred) = self.deferred.lock() {
                            deferred.insert(id.clone(), (found.clone(), expires));
                        }
                    } else {
                        let docker = self.docker.clone();
                        let target = found.clone();
                        let task = tokio::spawn(async move {
                            container::set_expiry(&docker, &target, expires).await
                        });
                        if let Ok(mut expiring) = self.expiring.lock() {
                            expiring.insert(id.clone(), task);
                        }
                    }
                    if let Ok(mut pending) = self.refill_on_kill.lock() {
                        pending.insert(id.clone(), (spec.clone(), tag.clone()));
                    }
                    if let Ok(mut known) = self.known.lock() {
                        known.insert(id.clone(), found);
                    }
                    if let Ok(mut claimed) = self.claimed.lock() {
                        claimed.insert(id.clone());
                    }
                    SandboxInfo {
                        id,
                        backend: "docker".into(),
                        template: spec.template.id.clone(),
                        project: None,
                        created_at: now,
                        expires_at: expires,
                        state: "running".into(),
                    }
                }
                None if self.detached.load(Ordering::Relaxed) => {
                    // The helper started at `release` fills the pool for next time.
                    let info = container::create(&self.docker, spec, &tag).await?;
                    if let Ok(mut pending) = self.refill_on_kill.lock() {
                        pending.insert(info.id.clone(), (spec.clone(), tag.clone()));
                    }
                    info
                }
                None => {
                    self.spawn_refill(spec, &tag, size);
                    container::create(&self.docker, spec, &tag).await?
                }
            }
        } else {
            container::create(&self.docker, spec, &tag).await?
        };
        self.own(&info.id, watch);
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.insert(info.id.clone());
        }
        Ok(info)
    }

    async fn exec_impl(
        &self,
        id: &str,
        request: &ExecRequest,
        sink: &(dyn Fn(OutputChunk) + Send + Sync),
    ) -> Result<ExecOutcome, SandboxError> {
        if request.argv.is_empty() {
            return Err(SandboxError::Backend("no command to run".into()));
        }
        let found = self.found(id).await?;
        self.settle(id).await?;
        let mut capture = capture_of(&found, request)?;
        capture.oom_baseline = self.is_fresh(id).then_some(0);
        self.mark_used(id);
        exec::run(&self.docker, &found.container, &capture, sink).await
    }

    /// One upload (every file of the cell), the command, then the result file read
    /// in one download while the exit code is asked for.
    async fn run_cell_impl(
        &self,
        id: &str,
        files: &[(String, Vec<u8>)],
        request: &ExecRequest,
        result: &str,
        sink: &(dyn Fn(OutputChunk) + Send + Sync),
    ) -> Result<(ExecOutcome, Option<Vec<u8>>), SandboxError> {
        if request.argv.is_empty() {
            return Err(SandboxError::Backend("no command to run".into()));
        }
        let result = resolve(result)?;
        let found = self.found(id).await?;
        let mut capture = capture_of(&found, request)?;
        let fresh = self.is_fresh(id);
        // Nothing ran in a fresh sandbox: its cgroup has killed nothing yet.
        capture.oom_baseline = fresh.then_some(0);
        let deferred = self.deferred.lock().ok().and_then(|mut d| d.remove(id));
        let (settled, written) = tokio::join!(
            self.settle(id),
            files::write_files(&self.docker, &found.container, files, fresh)
        );
        settled.and(written)?;
        crate::sandbox::phase("files written");
        self.mark_used(id);
        // A claimed sandbox's expiry is written while the code runs. Until then the
        // pool container's own expiry (at most 10 minutes) bounds it, just as between
        // the claim and the write anywhere else; if the write fails, the sandbox is
        // removed and the run fails.
        let expiry = async {
            match &deferred {
                Some((target, at)) => container::set_expiry(&self.docker, target, *at).await,
                None => Ok(()),
            }
        };
        let read = files::read_own_file(&self.docker, &found.container, &result, RESULT_MAX);
        let (outcome, written, data) =
            exec::run_then(&self.docker, &found.container, &capture, sink, expiry, read).await?;
        if deferred.is_some() {
            let written = written.unwrap_or_else(|| {
                Err(SandboxError::Backend(
                    "the sandbox's expiry was not written".into(),
                ))
            });
            self.expiry_written(id, written).await?;
        }
        Ok((outcome, data.flatten()))
    }

    /// Removes a sandbox without waiting for the engine: a detached helper removes
    /// its container and, for a warm-pool spec, tops the pool up.
    async fn release_impl(&self, id: &str) -> Result<(), SandboxError> {
        let found = self.found(id).await?;
        if let Ok(mut deferred) = self.deferred.lock() {
            deferred.remove(id);
        }
        if let Some(task) = self.expiring.lock().ok().and_then(|mut e| e.remove(id)) {
            task.abort();
        }
        self.forget(id);
        self.mark_used(id);
        let size = self.pool_size.load(Ordering::Relaxed);
        let refill = self
            .refill_on_kill
            .lock()
            .ok()
            .and_then(|mut p| p.remove(id))
            .filter(|_| size > 0 && self.detached.load(Ordering::Relaxed))
            .map(|(spec, tag)| pool::PoolFill::new(&spec, &tag, size));
        let job = pool::PoolJob {
            remove: Some(found.container.clone()),
            refill,
        };
        // The sandbox's watch does the job once our end of its pipe closes; else
        // only a binary that dispatches the helper (`codingit`, after
        // `use_warm_pool`) may start one; anything else removes the container here.
        let watched = self
            .take_watch(id)
            .map(|watch| watch.finish(&pool::WatchMessage::Release(Box::new(job.clone()))));
        let spawned = if let Some(Ok(())) = watched {
            Ok(())
        } else if self.detached.load(Ordering::Relaxed) {
            pool::spawn(&job)
        } else {
            Err(std::io::Error::other("no warm pool across invocations"))
        };
        match spawned {
            Ok(()) => Ok(()),
            Err(e) => {
                tracing::debug!("pool helper: {e}; removing the sandbox here");
                if container::remove_container(&self.docker, &found.container).await {
                    Ok(())
                } else {
                    Err(SandboxError::Backend(format!(
                        "could not remove sandbox `{id}`; try again, or `docker rm -f {}`",
                        container_name(id)
                    )))
                }
            }
        }
    }

    /// Every container with our labels (of the namespace, when set), warm-pool ones
    /// included, removed by container id: a pool container renamed by a concurrent
    /// claim between our listing and its removal is removed all the same. The
    /// listing is repeated until it comes back empty (up to 10 rounds), so containers
    /// a refill was creating while we listed go too.
    async fn kill_all_impl(&self) -> Result<Vec<String>, SandboxError> {
        // Nothing of this process may top the pool up again meanwhile.
        self.pool_size.store(0, Ordering::Relaxed);
        if let Ok(mut refills) = self.refills.lock() {
            for task in refills.drain(..) {
                task.abort();
            }
        }
        let mut killed: Vec<String> = Vec::new();
        let mut failed = Vec::new();
        for round in 0..10 {
            if round > 0 {
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            let found = container::list_everything(&self.docker).await?;
            if found.is_empty() {
                failed.clear();
                break;
            }
            let removals = found
                .iter()
                .map(|f| container::remove_container(&self.docker, &f.container));
            let results = futures::future::join_all(removals).await;
            failed.clear();
            for (f, removed) in found.iter().zip(results) {
                if removed {
                    if !killed.iter().any(|k| k == f.id()) {
                        killed.push(f.id().to_string());
                    }
                } else {
                    failed.push(f.id().to_string());
                }
                self.forget(f.id());
                if let Some(watch) = self.take_watch(f.id()) {
                    let _ = watch.finish(&pool::WatchMessage::Keep);
                }
            }
        }
        if !failed.is_empty() {
            return Err(SandboxError::Backend(format!(
                "could not remove {}; try again, or `docker rm -f` them",
                failed.join(", ")
            )));
        }
        Ok(killed)
    }

    async fn install_impl(
        &self,
        id: &str,
        manager: PackageManager,
        packages: &[String],
        sink: &(dyn Fn(OutputChunk) + Send + Sync),
    ) -> Result<ExecOutcome, SandboxError> {
        if packages.is_empty() {
            return Ok(ExecOutcome::default());
        }
        for package in packages {
            check_package(package)?;
        }
        let found = self.found(id).await?;
        self.settle(id).await?;
        self.mark_used(id);
        if !found.network() {
            return Err(SandboxError::Network(format!(
                "installing {} needs network access, and this sandbox has none\n  how to fix: \
                 rerun with --network, or add the packages to the template image",
                packages.join(", ")
            )));
        }
        let mut argv: Vec<String> = [
            "sh",
            "-c",
            ". /usr/local/share/codingit/ca-env.sh 2>/dev/null; exec \"$@\"",
            "sh",
        ]
        .map(String::from)
        .to_vec();
        let tool: &[&str] = match manager {
            PackageManager::Pip => &[
                "python3",
                "-m",
                "pip",
                "install",
                "--user",
                "--no-input",
                "--disable-pip-version-check",
                "--",
            ],
            PackageManager::Npm => &["npm", "install", "--no-audit", "--no-fund", "--"],
        };
        argv.extend(tool.iter().map(|s| s.to_string()));
        argv.extend(packages.iter().cloned());
        let mut capture = Capture::new(argv);
        capture.timeout = Some(INSTALL_TIMEOUT);
        capture.limit = found.output_limit();
        exec::run(&self.docker, &found.container, &capture, sink).await
    }
}

/// The exec of `request` in a sandbox: environment, confined working folder, time
/// limit and the sandbox's output cap.
fn capture_of(found: &Found, request: &ExecRequest) -> Result<Capture, SandboxError> {
    let mut capture = Capture::new(request.argv.clone());
    capture.env = request
        .env
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    capture.cwd = resolve(request.cwd.as_deref().unwrap_or(""))?;
    capture.timeout = request.timeout;
    capture.limit = found.output_limit();
    Ok(capture)
}

/// The warm-pool key of a spec: everything a pooled container was created with.
fn pool_key(spec: &SandboxSpec, tag: &str) -> String {
    use sha2::{Digest, Sha256};
    let l = &spec.limits;
    let text = format!(
        "{tag}|{}|{}|{}|{}|{}|{}|{:?}|{:?}|{}",
        l.memory_bytes,
        l.home_bytes,
        l.cpus,
        l.pids,
        l.output_bytes,
        spec.network,
        spec.template.env,
        spec.env,
        spec.template.id
    );
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Tops the warm pool of `spec` up to `size` running containers.
async fn refill(docker: Docker, spec: SandboxSpec, tag: String, size: usize) {
    let key = pool_key(&spec, &tag);
    let have = container::pooled(&docker, &key)
        .await
        .map(|p| p.len())
        .unwrap_or(size);
    let mut pool_spec = spec;
    pool_spec.lifetime = POOL_LIFETIME;
    pool_spec.project = None;
    for _ in have..size {
        if let Err(e) = container::create_in(&docker, &pool_spec, &tag, Some(&key)).await {
            tracing::debug!("warm pool: {e}");
            return;
        }
    }
}

/// A package spec passed as one argument to pip or npm: no options, no spaces, no
/// shell or URL syntax.
fn check_package(package: &str) -> Result<(), SandboxError> {
    let ok = !package.is_empty()
        && package.len() <= 214
        && !package.starts_with('-')
        && !package.contains("://")
        && package.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '.' | '_'
                        | '-'
                        | '@'
                        | '/'
                        | '='
                        | '<'
                        | '>'
                        | '~'
                        | '^'
                        | '!'
                        | '['
                        | ']'
                        | ','
                )
        });
    if ok {
        Ok(())
    } else {
        Err(SandboxError::Backend(format!(
            "refused package `{}`: not a plain package name or version spec",
            package.escape_debug()
        )))
    }
}

impl Backend for DockerBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Docker
    }

    fn prepare<'a>(
        &'a self,
        template: &'a TemplateDef,
        progress: &'a (dyn Fn(BuildProgress) + Send + Sync),
    ) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let ctx = BuildContext::new(template, &self.images)?;
            image::ensure(&self.docker, &ctx, progress).await
        })
    }

    fn create<'a>(&'a self, spec: &'a SandboxSpec) -> BoxFut<'a, SandboxInfo> {
        Box::pin(self.create_impl(spec))
    }

    fn list(&self) -> BoxFut<'_, Vec<SandboxInfo>> {
        Box::pin(async move {
            let all = container::list_all(&self.docker).await?;
            let infos = futures::future::join_all(all.iter().map(|f| self.info(f))).await;
            Ok(infos)
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move {
            let found = container::find(&self.docker, id).await?;
            Ok(self.info(&found).await)
        })
    }

    fn write_files<'a>(&'a self, id: &'a str, files: &'a [(String, Vec<u8>)]) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let found = self.found(id).await?;
            let fresh = self.is_fresh(id);
            let (settled, written) = tokio::join!(
                self.settle(id),
                files::write_files(&self.docker, &found.container, files, fresh)
            );
            settled.and(written)
        })
    }

    fn read_file<'a>(&'a self, id: &'a str, path: &'a str) -> BoxFut<'a, Vec<u8>> {
        Box::pin(async move {
            let found = self.found(id).await?;
            files::read_file(&self.docker, &found.container, path).await
        })
    }

    fn list_files<'a>(
        &'a self,
        id: &'a str,
        path: &'a str,
        recursive: bool,
    ) -> BoxFut<'a, Vec<FileEntry>> {
        Box::pin(async move {
            let found = self.found(id).await?;
            files::list(&self.docker, &found.container, path, recursive).await
        })
    }

    fn remove_path<'a>(&'a self, id: &'a str, path: &'a str) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let found = self.found(id).await?;
            files::remove(&self.docker, &found.container, path).await
        })
    }

    fn install<'a>(
        &'a self,
        id: &'a str,
        manager: PackageManager,
        packages: &'a [String],
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ExecOutcome> {
        Box::pin(self.install_impl(id, manager, packages, sink))
    }

    fn exec<'a>(
        &'a self,
        id: &'a str,
        request: &'a ExecRequest,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ExecOutcome> {
        Box::pin(self.exec_impl(id, request, sink))
    }

    fn start_app<'a>(&'a self, id: &'a str, request: &'a ExecRequest) -> BoxFut<'a, ()> {
        Box::pin(async move {
            if request.argv.is_empty() {
                return Err(SandboxError::Backend("no app command to start".into()));
            }
            let found = self.found(id).await?;
            self.settle(id).await?;
            self.mark_used(id);
            let env = request
                .env
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let cwd = resolve(request.cwd.as_deref().unwrap_or(""))?;
            exec::start_detached(&self.docker, &found.container, &request.argv, env, cwd).await
        })
    }

    fn logs<'a>(
        &'a self,
        id: &'a str,
        follow: bool,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let found = self.found(id).await?;
            exec::logs(&self.docker, &found.container, follow, sink).await
        })
    }

    fn expose<'a>(&'a self, id: &'a str, port: u16) -> BoxFut<'a, Preview> {
        Box::pin(async move {
            let found = self.found(id).await?;
            self.settle(id).await?;
            self.mark_used(id);
            tunnel::expose(self.docker.clone(), found.container.clone(), port).await
        })
    }

    fn extend<'a>(&'a self, id: &'a str, by: Duration) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move {
            let at = super::expiry_after(by)?;
            self.settle(id).await?;
            let found = container::find(&self.docker, id).await?;
            container::set_expiry(&self.docker, &found, at).await?;
            Ok(found.info(at))
        })
    }

    fn kill<'a>(&'a self, id: &'a str) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let found = self.found(id).await?;
            if let Some(task) = self.expiring.lock().ok().and_then(|mut e| e.remove(id)) {
                task.abort();
            }
            if let Ok(mut deferred) = self.deferred.lock() {
                deferred.remove(id);
            }
            self.forget(id);
            self.mark_used(id);
            let removed = container::remove_container(&self.docker, &found.container).await;
            if let Some(watch) = self.take_watch(id) {
                let _ = watch.finish(&pool::WatchMessage::Keep);
            }
            let replace = self
                .refill_on_kill
                .lock()
                .ok()
                .and_then(|mut p| p.remove(id));
            if let Some((spec, tag)) = replace {
                let size = self.pool_size.load(Ordering::Relaxed);
                // Across invocations the pool is refilled by `release`'s helper only.
                if size > 0 && !self.detached.load(Ordering::Relaxed) {
                    self.spawn_refill(&spec, &tag, size);
                }
            }
            if removed {
                Ok(())
            } else {
                Err(SandboxError::Backend(format!(
                    "could not remove sandbox `{id}`; try again, or `docker rm -f {}`",
                    container_name(id)
                )))
            }
        })
    }

    fn reap_expired(&self) -> BoxFut<'_, usize> {
        Box::pin(container::reap(&self.docker))
    }

    fn kill_all(&self) -> BoxFut<'_, Vec<String>> {
        Box::pin(self.kill_all_impl())
    }

    fn use_warm_pool(&self, size: usize) {
        self.pool_size.store(size, Ordering::Relaxed);
        self.detached.store(true, Ordering::Relaxed);
    }

    fn outlive_process(&self, outlive: bool) {
        self.outlive.store(outlive, Ordering::Relaxed);
    }

    fn claimed_from_pool(&self, id: &str) -> bool {
        self.claimed.lock().is_ok_and(|c| c.contains(id))
    }

    fn run_cell<'a>(
        &'a self,
        id: &'a str,
        files: &'a [(String, Vec<u8>)],
        request: &'a ExecRequest,
        result: &'a str,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, (ExecOutcome, Option<Vec<u8>>)> {
        Box::pin(self.run_cell_impl(id, files, request, result, sink))
    }

    fn release<'a>(&'a self, id: &'a str) -> BoxFut<'a, ()> {
        Box::pin(self.release_impl(id))
    }
}

#[cfg(test)]
mod tests {
    use super::check_package;

    #[test]
    fn package_specs() {
        for ok in [
            "requests",
            "numpy==1.26.4",
            "@types/node@20",
            "scikit-learn>=1.4",
            "uvicorn[standard]",
        ] {
            assert!(check_package(ok).is_ok(), "{ok}");
        }
        for bad in [
            "-e",
            "--index-url=x",
            "a b",
            "x;rm",
            "git+https://x",
            "$(id)",
            "",
        ] {
            assert!(check_package(bad).is_err(), "{bad}");
        }
    }
}
