//! The end of a sandbox: the owner watch that removes it when its codingit is
//! killed, `release` (removal and pool refill in a detached helper), `kill --all`.

use super::{container, container_name, pool, DockerBackend};
use crate::sandbox::SandboxError;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A process that ends normally hands the sandboxes it still holds to their own
/// expiry (`run --detach` returns without removing its sandbox); only an owner
/// that dies without this (killed) has its sandboxes removed by their watches.
impl Drop for DockerBackend {
    fn drop(&mut self) {
        if let Ok(mut watches) = self.pool.watches.lock() {
            for (_, watch) in watches.drain() {
                let _ = watch.finish(&pool::WatchMessage::Keep);
            }
        }
    }
}

impl DockerBackend {
    /// Starts the owner watch of a sandbox about to be made, where one is wanted:
    /// only a binary that dispatches the helper (after `use_warm_pool`), and not
    /// for sandboxes that outlive this process.
    pub(super) fn start_watch(&self) -> Option<pool::Watch> {
        if !self.pool.helper.load(Ordering::Relaxed) || self.outlive.load(Ordering::Relaxed) {
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
    pub(super) fn own(&self, id: &str, watch: Option<pool::Watch>) {
        let Some(mut watch) = watch else { return };
        let message = pool::WatchMessage::Own(container_name(id));
        if watch.send(&message).is_ok() {
            if let Ok(mut watches) = self.pool.watches.lock() {
                watches.insert(id.to_string(), watch);
            }
        }
    }

    /// The watch of `id`, no longer kept with the sandbox.
    pub(super) fn take_watch(&self, id: &str) -> Option<pool::Watch> {
        self.pool.watches.lock().ok().and_then(|mut w| w.remove(id))
    }

    /// Removes a sandbox without waiting for the engine: a detached helper removes
    /// its container and, for a warm-pool spec, tops the pool up.
    pub(super) async fn release_impl(&self, id: &str) -> Result<(), SandboxError> {
        let found = self.found(id).await?;
        if let Ok(mut deferred) = self.pool.deferred.lock() {
            deferred.remove(id);
        }
        if let Some(task) = self
            .pool
            .expiring
            .lock()
            .ok()
            .and_then(|mut e| e.remove(id))
        {
            task.abort();
        }
        self.forget(id);
        self.mark_used(id);
        let size = self.pool.size.load(Ordering::Relaxed);
        let refill = self
            .pool
            .refill_on_kill
            .lock()
            .ok()
            .and_then(|mut p| p.remove(id))
            .filter(|_| size > 0 && self.pool.helper.load(Ordering::Relaxed))
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
        } else if self.pool.helper.load(Ordering::Relaxed) {
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
    pub(super) async fn kill_all_impl(&self) -> Result<Vec<String>, SandboxError> {
        // Nothing of this process may top the pool up again meanwhile.
        self.pool.size.store(0, Ordering::Relaxed);
        if let Ok(mut refills) = self.pool.refills.lock() {
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
}
