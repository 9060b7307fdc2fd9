//! The warm pool: ready, hardened, running containers that `create` claims instead
//! of creating one. [`WarmPool`] owns its state; sizes, refills, draining and the
//! expiry writes of claimed sandboxes are here.
//!
//! Two modes, one pool: a binary that dispatches the hidden helper roles (`codingit`,
//! after `use_warm_pool`) keeps the pool across invocations, refilling and removing
//! in a detached helper process; a program that embeds the library and does not
//! dispatch them (`set_pool`) refills with tasks of its own process.

use super::{container, image, pool, DockerBackend, Found, POOL_LIFETIME};
use crate::sandbox::{unix_now, SandboxError, SandboxInfo, SandboxSpec};
use bollard::Docker;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// The warm pool's state in this process.
#[derive(Default)]
pub(super) struct WarmPool {
    /// Ready containers kept per pool key (0: no pool).
    pub(super) size: AtomicUsize,
    /// Background refills (in-process mode).
    pub(super) refills: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    /// Expiry writes of sandboxes just claimed from the pool, by sandbox id.
    pub(super) expiring: Mutex<HashMap<String, tokio::task::JoinHandle<Result<(), SandboxError>>>>,
    /// Sandboxes claimed from the pool: their replacement is made when they are killed.
    pub(super) refill_on_kill: Mutex<HashMap<String, (SandboxSpec, String)>>,
    /// Helper mode: the pool is kept across invocations, and refills and removals at
    /// `release` go to a detached helper process instead of tasks of this one.
    pub(super) helper: AtomicBool,
    /// Sandboxes this process claimed from the pool.
    pub(super) claimed: Mutex<HashSet<String>>,
    /// Expiry writes of claimed sandboxes not started yet (helper mode): `run_cell`
    /// does it while the code runs, any other call first.
    pub(super) deferred: Mutex<HashMap<String, (Found, u64)>>,
    /// Owner watches of the sandboxes this process made (helper mode): a sandbox
    /// whose owner is killed is removed at once, not at its expiry.
    pub(super) watches: Mutex<HashMap<String, pool::Watch>>,
}

impl DockerBackend {
    pub(super) async fn create_impl(
        &self,
        spec: &SandboxSpec,
    ) -> Result<SandboxInfo, SandboxError> {
        crate::sandbox::select::check_limits(&spec.limits)?;
        crate::sandbox::expiry_after(spec.lifetime)?;
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
        let mut watch = self.start_watch();
        let size = self.pool.size.load(Ordering::Relaxed);
        let info = if size > 0 && spec.project.is_none() {
            let key = pool_key(spec, &tag);
            match container::claim(&self.docker, &key).await? {
                Some(found) => {
                    let now = unix_now();
                    let expires = crate::sandbox::expiry_after(spec.lifetime)?;
                    // The expiry is written (one archive upload) while the caller
                    // goes on; every call that runs code in the sandbox waits for it
                    // first, except `run_cell`, which writes it while the code runs
                    // (the engine serialises archive calls on a container: this way
                    // it does not hold up the code's upload).
                    let id = found.id().to_string();
                    if self.pool.helper.load(Ordering::Relaxed) {
                        if let Ok(mut deferred) = self.pool.deferred.lock() {
                            deferred.insert(id.clone(), (found.clone(), expires));
                        }
                    } else {
                        let docker = self.docker.clone();
                        let target = found.clone();
                        let task = tokio::spawn(async move {
                            container::set_expiry(&docker, &target, expires).await
                        });
                        if let Ok(mut expiring) = self.pool.expiring.lock() {
                            expiring.insert(id.clone(), task);
                        }
                    }
                    if let Ok(mut pending) = self.pool.refill_on_kill.lock() {
                        pending.insert(id.clone(), (spec.clone(), tag.clone()));
                    }
                    if let Ok(mut known) = self.known.lock() {
                        known.insert(id.clone(), found);
                    }
                    if let Ok(mut claimed) = self.pool.claimed.lock() {
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
                None if self.pool.helper.load(Ordering::Relaxed) => {
                    // The helper started at `release` fills the pool for next time.
                    let info = self.create_owned(spec, &tag, &mut watch).await?;
                    if let Ok(mut pending) = self.pool.refill_on_kill.lock() {
                        pending.insert(info.id.clone(), (spec.clone(), tag.clone()));
                    }
                    info
                }
                None => {
                    self.spawn_refill(spec, &tag, size);
                    self.create_owned(spec, &tag, &mut watch).await?
                }
            }
        } else {
            self.create_owned(spec, &tag, &mut watch).await?
        };
        self.own(&info.id, watch);
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.insert(info.id.clone());
        }
        Ok(info)
    }

    /// Creates a sandbox owned by `watch` from before its container exists, so a
    /// kill during the create leaves nothing behind either.
    async fn create_owned(
        &self,
        spec: &SandboxSpec,
        tag: &str,
        watch: &mut Option<pool::Watch>,
    ) -> Result<SandboxInfo, SandboxError> {
        let id = container::new_id();
        self.own(&id, watch.take());
        let created = container::create(&self.docker, spec, tag, id.clone()).await;
        if created.is_err() {
            if let Some(watch) = self.take_watch(&id) {
                let _ = watch.finish(&pool::WatchMessage::Keep);
            }
        }
        created
    }

    /// Keeps `size` pre-created, hardened, running containers per template and
    /// settings (a warm pool, in-process mode): `create` then claims one instead of
    /// creating and starting a container, and tops the pool up with a task of this
    /// process. Only sandboxes without a project label are served from the pool.
    /// Unclaimed containers stop by themselves after 10 minutes and are reaped like
    /// expired sandboxes. The `codingit` binary uses `use_warm_pool` (helper mode).
    pub fn set_pool(&self, size: usize) {
        self.pool.size.store(size, Ordering::Relaxed);
    }

    /// Waits until background pool refills have finished.
    pub async fn pool_idle(&self) {
        loop {
            let pending: Vec<_> = match self.pool.refills.lock() {
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
        let size = self.pool.size.load(Ordering::Relaxed);
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

    pub(super) fn spawn_refill(&self, spec: &SandboxSpec, tag: &str, size: usize) {
        let task = tokio::spawn(refill(
            self.docker.clone(),
            spec.clone(),
            tag.to_string(),
            size,
        ));
        if let Ok(mut refills) = self.pool.refills.lock() {
            refills.retain(|t| !t.is_finished());
            refills.push(task);
        }
    }

    /// Waits for the expiry write of a sandbox just claimed from the pool; the
    /// sandbox is removed when it failed.
    pub(super) async fn settle(&self, id: &str) -> Result<(), SandboxError> {
        let deferred = self
            .pool
            .deferred
            .lock()
            .ok()
            .and_then(|mut d| d.remove(id));
        if let Some((found, at)) = deferred {
            let result = container::set_expiry(&self.docker, &found, at).await;
            return self.expiry_written(id, result).await;
        }
        let task = self
            .pool
            .expiring
            .lock()
            .ok()
            .and_then(|mut e| e.remove(id));
        let Some(task) = task else {
            return Ok(());
        };
        let result = task
            .await
            .unwrap_or_else(|e| Err(SandboxError::Backend(format!("setting the expiry: {e}"))));
        self.expiry_written(id, result).await
    }

    /// The sandbox is removed when its expiry could not be written.
    pub(super) async fn expiry_written(
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
}

/// The warm-pool key of a spec: everything a pooled container was created with.
pub(super) fn pool_key(spec: &SandboxSpec, tag: &str) -> String {
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
pub(super) async fn refill(docker: Docker, spec: SandboxSpec, tag: String, size: usize) {
    let key = pool_key(&spec, &tag);
    let have = container::pooled(&docker, &key)
        .await
        .map(|p| p.len())
        .unwrap_or(size);
    let mut pool_spec = spec;
    pool_spec.lifetime = POOL_LIFETIME;
    pool_spec.project = None;
    for _ in have..size {
        if let Err(e) =
            container::create_in(&docker, &pool_spec, &tag, Some(&key), container::new_id()).await
        {
            tracing::debug!("warm pool: {e}");
            return;
        }
    }
}
