//! The sandbox home: a size-bounded, memory-backed volume, seeded with the image's
//! home.
//!
//! A plain anonymous volume lives on the engine's disk with no size limit (code
//! once wrote 3.8 GiB into it). Our engines use overlay2 on ext4, where
//! `storage-opt size` is refused (it needs xfs with project quotas), so the home is
//! an anonymous volume of the `local` driver mounted as tmpfs with `size=`: writes
//! past it fail with "No space left on device". It is still a volume, so the
//! engine's archive API (`files`, `write_files`) reaches it, locally and remotely
//! (it cannot see into a plain tmpfs mount, moby #22020).
//!
//! Pages written by the sandbox's code are charged to the container's memory
//! cgroup: what the code writes into the home counts against `memory` too (the
//! smaller bound wins; past `memory` the writer is OOM-killed instead). What the
//! engine writes through the archive API (the seed, uploads) is bounded by the size
//! only.
//!
//! The engine does not copy the image's files into such a volume (it mounts it
//! only for the copy, which a tmpfs forgets), so the backend seeds it: the image's
//! `/home/user` is read from a created, never started container of the image and
//! streamed into the sandbox's home through the archive API.

use super::connect::{engine_error, is_not_found};
use super::container::{new_id, LABEL_NAMESPACE, TOOL};
use crate::sandbox::{unix_now, SandboxError, LABEL_EXPIRES, LABEL_ID, LABEL_TOOL, SANDBOX_HOME};
use bollard::models::{
    ContainerCreateBody, HostConfig, Mount, MountType, MountVolumeOptions,
    MountVolumeOptionsDriverConfig,
};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, DownloadFromContainerOptionsBuilder,
    RemoveContainerOptionsBuilder, UploadToContainerOptionsBuilder,
};
use bollard::Docker;
use futures::{SinkExt, StreamExt};
use std::collections::HashMap;

/// Name prefix of the short-lived containers the seed is read from (hidden from
/// `sandbox ls`; removed at once, else reaped like any stopped sandbox).
pub const SEED_PREFIX: &str = "codingit-seed-";

/// The home mount: an anonymous `local` volume on tmpfs, `bytes` large, owned by
/// the sandbox user, mode 0700, no setuid files or devices.
pub fn mount(bytes: u64) -> Mount {
    let options = HashMap::from([
        ("type".to_string(), "tmpfs".to_string()),
        ("device".to_string(), "tmpfs".to_string()),
        (
            "o".to_string(),
            format!("size={bytes},uid=1000,gid=1000,mode=0700,nosuid,nodev"),
        ),
    ]);
    Mount {
        target: Some(SANDBOX_HOME.into()),
        typ: Some(MountType::VOLUME),
        volume_options: Some(MountVolumeOptions {
            driver_config: Some(MountVolumeOptionsDriverConfig {
                name: Some("local".into()),
                options: Some(options),
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Copies the image's home from `source` (made by [`create_source`]) into the home
/// of the running `container`, then removes `source`.
pub async fn seed(
    docker: &Docker,
    source: Result<String, SandboxError>,
    container: &str,
    home_bytes: u64,
) -> Result<(), SandboxError> {
    let source = source?;
    let copied = copy(docker, &source, container).await;
    remove(docker, &source).await;
    copied.map_err(|e| {
        if e.to_string().contains("no space left") {
            SandboxError::Limit(format!(
                "the template's files do not fit in the sandbox home ({})\n  how to fix: \
                 raise sandbox.home_size",
                crate::sandbox::select::format_size(home_bytes)
            ))
        } else {
            e
        }
    })
}

/// Removes a seed source that is no longer needed.
pub async fn discard(docker: &Docker, source: Result<String, SandboxError>) {
    if let Ok(source) = source {
        remove(docker, &source).await;
    }
}

/// On a seed's source container: the id of the sandbox it seeds (the reaper removes
/// a source whose sandbox has stopped or is gone).
pub const LABEL_SEED_FOR: &str = "dev.codingit.seed-for";

/// A created (never started) container of the image, to read its home from, for
/// sandbox `sandbox` (whose container must exist already).
pub async fn create_source(
    docker: &Docker,
    image: &str,
    sandbox: &str,
) -> Result<String, SandboxError> {
    let id = new_id();
    let mut labels = HashMap::from([
        (LABEL_TOOL.to_string(), TOOL.to_string()),
        (LABEL_ID.to_string(), id.clone()),
        (LABEL_EXPIRES.to_string(), unix_now().to_string()),
        (LABEL_SEED_FOR.to_string(), sandbox.to_string()),
    ]);
    if let Some(ns) = crate::config::non_empty_env("CODINGIT_SANDBOX_NAMESPACE") {
        labels.insert(LABEL_NAMESPACE.to_string(), ns);
    }
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["true".into()]),
        user: Some("1000:1000".into()),
        labels: Some(labels),
        network_disabled: Some(true),
        host_config: Some(HostConfig {
            network_mode: Some("none".into()),
            readonly_rootfs: Some(true),
            cap_drop: Some(vec!["ALL".into()]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let name = format!("{SEED_PREFIX}{id}");
    let options = CreateContainerOptionsBuilder::default().name(&name).build();
    let created = docker
        .create_container(Some(options), body)
        .await
        .map_err(|e| engine_error("reading the template's home", e))?;
    Ok(created.id)
}

async fn remove(docker: &Docker, container: &str) {
    let options = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    let _ = docker.remove_container(container, Some(options)).await;
}

/// Streams `/home/user/.` of `source` into the home of `target` (an image without
/// a home has nothing to copy).
async fn copy(docker: &Docker, source: &str, target: &str) -> Result<(), SandboxError> {
    let from = format!("{SANDBOX_HOME}/.");
    let options = DownloadFromContainerOptionsBuilder::default()
        .path(&from)
        .build();
    let mut stream = Box::pin(docker.download_from_container(source, Some(options)));
    let first = match stream.next().await {
        None => return Ok(()),
        Some(Err(e)) if is_not_found(&e) => return Ok(()),
        Some(Err(e)) => return Err(engine_error("reading the template's home", e)),
        Some(Ok(bytes)) => bytes,
    };
    let (mut tx, rx) = futures::channel::mpsc::channel(8);
    let pump = async move {
        if tx.send(Ok(first)).await.is_err() {
            return;
        }
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(std::io::Error::other);
            let failed = chunk.is_err();
            if tx.send(chunk).await.is_err() || failed {
                return;
            }
        }
    };
    let options = UploadToContainerOptionsBuilder::default()
        .path(SANDBOX_HOME)
        .build();
    let upload = docker.upload_to_container(target, Some(options), bollard::body_try_stream(rx));
    let ((), uploaded) = tokio::join!(pump, upload);
    uploaded.map_err(|e| engine_error("seeding the sandbox home", e))
}
