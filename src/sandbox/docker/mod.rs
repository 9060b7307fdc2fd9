//! The Docker backend: hardened containers on a local or remote engine (bollard).
//!
//! - `connect`: reaching the engine, with how-to-fix errors;
//! - `container`: create, find by label, expiry, removal;
//! - `exec`: commands with streamed output, limits and caps, OOM kills; app logs;
//! - `files`: the archive API, confined paths;
//! - `home`: the size-bounded home volume and its seed;
//! - `image`: template images tagged by a content hash;
//! - `install`: package installs;
//! - `keeper`: the container's main process, which ends it at its expiry;
//! - `lifecycle`: the owner watch, release, `kill --all`;
//! - `network`: whether `--network` can be honoured;
//! - `pool`: the detached helper (pool refill, owner watch);
//! - `tunnel`: previews relayed through the engine API;
//! - `warm`: creating a sandbox, from the warm pool when there is one.

mod connect;
mod container;
mod context;
mod detached;
mod exec;
mod files;
mod home;
mod image;
mod install;
mod keeper;
mod lifecycle;
mod network;
pub mod pool;
mod tunnel;
mod warm;

pub use connect::{engine_address, host_is_named};
pub use container::{container_name, EXPIRY_FILE};
pub use image::{BuildContext, ImageOptions};

use super::cancel;
use super::paths::resolve;
use super::{
    Backend, BackendKind, BoxFut, BuildProgress, ExecOutcome, ExecRequest, FileEntry, OutputChunk,
    Preview, SandboxError, SandboxInfo, SandboxSpec,
};
use crate::catalog::{PackageManager, TemplateDef};
use bollard::Docker;
use container::Found;
use exec::Capture;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use warm::WarmPool;

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
    /// The warm pool of ready sandboxes (`warm.rs`).
    pool: WarmPool,
    /// Sandboxes created from now on outlive this process (`run --detach`).
    outlive: AtomicBool,
}

impl DockerBackend {
    /// Connects to the engine (`DOCKER_HOST` or the local socket).
    pub async fn connect(images: ImageOptions) -> Result<Self, SandboxError> {
        Ok(Self {
            docker: connect::connect().await?,
            images,
            known: Mutex::new(HashMap::new()),
            fresh: Mutex::new(HashSet::new()),
            pool: WarmPool::default(),
            outlive: AtomicBool::new(false),
        })
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

    async fn exec_impl(
        &self,
        id: &str,
        request: &ExecRequest,
        sink: &(dyn Fn(OutputChunk) + Send + Sync),
    ) -> Result<ExecOutcome, SandboxError> {
        if request.argv.is_empty() {
            return Err(SandboxError::NoCommand);
        }
        let found = self.found(id).await?;
        self.settle(id).await?;
        let mut capture = capture_of(&found, request)?;
        capture.oom_baseline = self.is_fresh(id).then_some(0);
        self.mark_used(id);
        let mark = request.cancel.as_ref().map(|_| cancel::command_mark());
        if let Some(mark) = &mark {
            capture
                .env
                .push(format!("{}={mark}", exec::COMMAND_MARK_VAR));
        }
        let kill = || async {
            match &mark {
                Some(mark) => {
                    exec::kill_marked(&self.docker, &found.container, mark, capture.user.clone())
                        .await
                }
                None => Ok(()),
            }
        };
        let run = exec::run(&self.docker, &found.container, &capture, sink);
        cancel::until_cancelled(request.cancel.as_ref(), run, kill).await
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
            return Err(SandboxError::NoCommand);
        }
        let result = resolve(result)?;
        let found = self.found(id).await?;
        let mut capture = capture_of(&found, request)?;
        let fresh = self.is_fresh(id);
        // Nothing ran in a fresh sandbox: its cgroup has killed nothing yet.
        capture.oom_baseline = fresh.then_some(0);
        let deferred = self
            .pool
            .deferred
            .lock()
            .ok()
            .and_then(|mut d| d.remove(id));
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
            // A detached app's preview must outlive this process: a relay helper.
            if self.outlive.load(Ordering::Relaxed) {
                return detached::expose(&found.container, port).await;
            }
            tunnel::expose(self.docker.clone(), found.container.clone(), port).await
        })
    }

    fn extend<'a>(&'a self, id: &'a str, by: Duration) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move {
            self.settle(id).await?;
            let found = container::find(&self.docker, id).await?;
            let current = container::expiry(&self.docker, &found).await;
            let at = super::extended_expiry(current, by)?;
            container::set_expiry(&self.docker, &found, at).await?;
            Ok(found.info(at))
        })
    }

    fn kill<'a>(&'a self, id: &'a str) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let found = self.found(id).await?;
            if let Some(task) = self
                .pool
                .expiring
                .lock()
                .ok()
                .and_then(|mut e| e.remove(id))
            {
                task.abort();
            }
            if let Ok(mut deferred) = self.pool.deferred.lock() {
                deferred.remove(id);
            }
            self.forget(id);
            self.mark_used(id);
            let removed = container::remove_container(&self.docker, &found.container).await;
            if let Some(watch) = self.take_watch(id) {
                let _ = watch.finish(&pool::WatchMessage::Keep);
            }
            let replace = self
                .pool
                .refill_on_kill
                .lock()
                .ok()
                .and_then(|mut p| p.remove(id));
            if let Some((spec, tag)) = replace {
                let size = self.pool.size.load(Ordering::Relaxed);
                // Across invocations the pool is refilled by `release`'s helper only.
                if size > 0 && !self.pool.helper.load(Ordering::Relaxed) {
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
        self.pool.size.store(size, Ordering::Relaxed);
        self.pool.helper.store(true, Ordering::Relaxed);
    }

    fn outlive_process(&self, outlive: bool) {
        self.outlive.store(outlive, Ordering::Relaxed);
    }

    fn claimed_from_pool(&self, id: &str) -> bool {
        self.pool.claimed.lock().is_ok_and(|c| c.contains(id))
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
