//! Creating, finding, extending and removing sandbox containers.
//!
//! Sandboxes are found again by their labels, never by a local state file. The
//! container's main process is a small shell loop that ends the container when its
//! expiry passes, so the lifetime holds even when codingit is killed; `extend`
//! rewrites a root-owned expiry file the loop reads, and every invocation removes
//! stopped or expired sandboxes by label.

use super::connect::{engine_error, is_conflict, is_not_found};
use crate::sandbox::{
    unix_now, SandboxError, SandboxInfo, SandboxSpec, LABEL_EXPIRES, LABEL_ID, LABEL_PROJECT,
    LABEL_TEMPLATE, LABEL_TOOL, SANDBOX_HOME,
};
use bollard::models::{ContainerCreateBody, ContainerSummary, HostConfig, Mount, MountType};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, DownloadFromContainerOptionsBuilder,
    ListContainersOptionsBuilder, RemoveContainerOptionsBuilder, RenameContainerOptionsBuilder,
    StartContainerOptions, UploadToContainerOptionsBuilder,
};
use bollard::Docker;
use std::collections::HashMap;

/// Value of [`LABEL_TOOL`] on everything we create.
pub const TOOL: &str = "codingit";
/// Output cap per stream, kept with the container so every later exec honours it.
pub const LABEL_OUTPUT_LIMIT: &str = "dev.codingit.output-limit";
/// Set from `CODINGIT_SANDBOX_NAMESPACE`: invocations with a namespace see only
/// their namespace's sandboxes (tests and CI jobs sharing one engine).
pub const LABEL_NAMESPACE: &str = "dev.codingit.namespace";

fn namespace() -> Option<String> {
    crate::config::non_empty_env("CODINGIT_SANDBOX_NAMESPACE")
}

/// On warm-pool containers: the key of the settings they were made for (image,
/// limits, network, environment). They are named `codingit-pool-<id>` until claimed.
pub const LABEL_POOL: &str = "dev.codingit.pool";
const POOL_PREFIX: &str = "codingit-pool-";

/// Whether the sandbox was given network access.
pub const LABEL_NETWORK: &str = "dev.codingit.network";

/// A root-owned anonymous volume (uid 1000 cannot write it; its parent is on the
/// read-only root filesystem) holding the expiry `extend` and pool claims write.
pub const EXPIRY_DIR: &str = "/run/codingit";
/// Written as root through the archive API (no exec); the lifetime loop trusts it
/// only when root owns it.
pub const EXPIRY_FILE: &str = "/run/codingit/expires";

/// One of our containers as the engine lists it.
#[derive(Debug, Clone)]
pub struct Found {
    pub container: String,
    pub labels: HashMap<String, String>,
    pub state: String,
    pub created: u64,
    /// A warm-pool container nobody has claimed yet, or a home seed's source: not
    /// a sandbox anyone can use (hidden from `ls` and `find`, never claimed
    /// without the pool label).
    pub pooled: bool,
    /// On a home seed's source: the sandbox id it seeds.
    pub seed_for: Option<String>,
}

impl Found {
    fn from_summary(s: ContainerSummary) -> Option<Self> {
        let labels = s.labels.unwrap_or_default();
        labels.get(LABEL_ID)?;
        let pooled = s.names.unwrap_or_default().iter().any(|n| {
            let n = n.trim_start_matches('/');
            n.starts_with(POOL_PREFIX) || n.starts_with(super::home::SEED_PREFIX)
        });
        Some(Self {
            pooled,
            seed_for: labels.get(super::home::LABEL_SEED_FOR).cloned(),
            container: s.id?,
            state: s
                .state
                .map(|st| st.to_string())
                .filter(|st| !st.is_empty())
                .unwrap_or_else(|| "unknown".into()),
            created: u64::try_from(s.created.unwrap_or(0)).unwrap_or(0),
            labels,
        })
    }

    pub fn id(&self) -> &str {
        self.labels.get(LABEL_ID).map(String::as_str).unwrap_or("")
    }

    pub fn label_expiry(&self) -> u64 {
        self.labels
            .get(LABEL_EXPIRES)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    pub fn output_limit(&self) -> u64 {
        self.labels
            .get(LABEL_OUTPUT_LIMIT)
            .and_then(|v| v.parse().ok())
            .unwrap_or(1 << 20)
    }

    pub fn network(&self) -> bool {
        self.labels.get(LABEL_NETWORK).is_some_and(|v| v == "true")
    }

    pub fn running(&self) -> bool {
        self.state == "running"
    }

    pub fn info(&self, expires_at: u64) -> SandboxInfo {
        SandboxInfo {
            id: self.id().to_string(),
            backend: "docker".into(),
            template: self.labels.get(LABEL_TEMPLATE).cloned().unwrap_or_default(),
            project: self.labels.get(LABEL_PROJECT).cloned(),
            created_at: self.created,
            expires_at,
            state: self.state.clone(),
        }
    }
}

/// A fresh sandbox id: short, random, safe in names and labels.
pub fn new_id() -> String {
    format!("sbx-{:010x}", fastrand::u64(..) & 0xff_ffff_ffff)
}

/// Container name of a sandbox id.
pub fn container_name(id: &str) -> String {
    format!("codingit-{id}")
}

/// Creates and starts a hardened container for `spec` from `image`.
/// `id` comes from [`new_id`] (the caller may need it before the container exists).
pub async fn create(
    docker: &Docker,
    spec: &SandboxSpec,
    image: &str,
    id: String,
) -> Result<SandboxInfo, SandboxError> {
    create_in(docker, spec, image, None, id).await
}

/// Creates and starts a container; with `pool`, a warm-pool container (same
/// hardening) named `codingit-pool-<id>` and labelled with the pool key.
pub async fn create_in(
    docker: &Docker,
    spec: &SandboxSpec,
    image: &str,
    pool: Option<&str>,
    id: String,
) -> Result<SandboxInfo, SandboxError> {
    crate::sandbox::select::check_limits(&spec.limits)?;
    if spec.network {
        super::network::check_usable(docker).await?;
    }
    let now = unix_now();
    let expires = crate::sandbox::expiry_after(spec.lifetime)?;
    let mut labels = HashMap::from([
        (LABEL_TOOL.to_string(), TOOL.to_string()),
        (LABEL_ID.to_string(), id.clone()),
        (LABEL_TEMPLATE.to_string(), spec.template.id.clone()),
        (LABEL_EXPIRES.to_string(), expires.to_string()),
        (
            LABEL_OUTPUT_LIMIT.to_string(),
            spec.limits.output_bytes.to_string(),
        ),
        (LABEL_NETWORK.to_string(), spec.network.to_string()),
    ]);
    if let Some(project) = &spec.project {
        labels.insert(LABEL_PROJECT.to_string(), project.clone());
    }
    if let Some(ns) = namespace() {
        labels.insert(LABEL_NAMESPACE.to_string(), ns);
    }
    if let Some(key) = pool {
        labels.insert(LABEL_POOL.to_string(), key.to_string());
    }
    let mut env: Vec<String> = spec
        .template
        .env
        .iter()
        .chain(spec.env.iter())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    env.push(format!("HOME={SANDBOX_HOME}"));
    env.push(format!("CODINGIT_EXPIRES={expires}"));
    env.push(format!("CODINGIT_KEEPER={}", super::keeper::KEEPER_BASH));
    env.push(format!("CODINGIT_SANDBOX_ID={id}"));
    let memory = i64::try_from(spec.limits.memory_bytes).unwrap_or(i64::MAX);
    let host = HostConfig {
        memory: Some(memory),
        memory_swap: Some(memory),
        nano_cpus: Some((spec.limits.cpus * 1e9) as i64),
        pids_limit: Some(i64::from(spec.limits.pids)),
        network_mode: Some(
            if spec.network {
                super::network::NETWORK
            } else {
                "none"
            }
            .into(),
        ),
        readonly_rootfs: Some(true),
        cap_drop: Some(vec!["ALL".into()]),
        security_opt: Some(vec!["no-new-privileges:true".into()]),
        privileged: Some(false),
        init: Some(true),
        auto_remove: Some(false),
        tmpfs: Some(HashMap::from([(
            "/tmp".to_string(),
            "rw,nosuid,nodev,size=512m".to_string(),
        )])),
        // Anonymous volumes, removed with the container. The home is memory-backed
        // and bounded (`home.rs`), and reachable by the archive API (a plain tmpfs
        // mount is not).
        mounts: Some(vec![
            super::home::mount(spec.limits.home_bytes),
            Mount {
                target: Some(EXPIRY_DIR.into()),
                typ: Some(MountType::VOLUME),
                ..Default::default()
            },
        ]),
        ..Default::default()
    };
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            super::keeper::LIFETIME_LOOP.into(),
        ]),
        user: Some("1000:1000".into()),
        working_dir: Some(SANDBOX_HOME.into()),
        env: Some(env),
        labels: Some(labels),
        host_config: Some(host),
        ..Default::default()
    };
    let name = match pool {
        Some(_) => format!("{POOL_PREFIX}{id}"),
        None => container_name(&id),
    };
    let options = CreateContainerOptionsBuilder::default().name(&name).build();
    let created = docker
        .create_container(Some(options), body)
        .await
        .map_err(|e| engine_error("creating the sandbox container", e))?;
    let start = async {
        if let Err(e) = docker
            .start_container(&created.id, None::<StartContainerOptions>)
            .await
        {
            remove_container(docker, &created.id).await;
            return Err(engine_error("starting the sandbox container", e));
        }
        if spec.network {
            if let Err(e) = super::network::check_attached(docker, &created.id).await {
                remove_container(docker, &created.id).await;
                return Err(e);
            }
        }
        Ok(created.id)
    };
    // The home's seed is read from a container of the image made alongside the
    // start (after the sandbox's container exists: see `reap`).
    let source = super::home::create_source(docker, image, &id);
    let (started, source) = tokio::join!(start, source);
    let container = match started {
        Ok(container) => container,
        Err(e) => {
            super::home::discard(docker, source).await;
            return Err(e);
        }
    };
    crate::sandbox::phase("container started");
    let bytes = spec.limits.home_bytes;
    if let Err(e) = super::home::seed(docker, source, &container, bytes).await {
        remove_container(docker, &container).await;
        return Err(e);
    }
    Ok(SandboxInfo {
        id,
        backend: "docker".into(),
        template: spec.template.id.clone(),
        project: spec.project.clone(),
        created_at: now,
        expires_at: expires,
        state: "running".into(),
    })
}

/// Every sandbox we created (running or not), warm-pool containers not included.
pub async fn list_all(docker: &Docker) -> Result<Vec<Found>, SandboxError> {
    Ok(list_everything(docker)
        .await?
        .into_iter()
        .filter(|f| !f.pooled)
        .collect())
}

/// Every container we created, unclaimed warm-pool containers included.
pub async fn list_everything(docker: &Docker) -> Result<Vec<Found>, SandboxError> {
    list_filtered(docker, &format!("{LABEL_TOOL}={TOOL}")).await
}

/// Running, unclaimed warm-pool containers of `key` with more than a minute to live,
/// oldest first.
pub async fn pooled(docker: &Docker, key: &str) -> Result<Vec<Found>, SandboxError> {
    let now = unix_now();
    let mut found: Vec<Found> = list_filtered(docker, &format!("{LABEL_POOL}={key}"))
        .await?
        .into_iter()
        .filter(|f| f.pooled && f.running() && f.label_expiry() > now + 60)
        .collect();
    found.sort_by_key(|f| f.created);
    Ok(found)
}

/// Claims a warm-pool container of `key`: renaming it to its sandbox name is atomic
/// on the engine (a second claimer's rename fails). The caller then sets its expiry.
/// `None` when the pool is empty.
pub async fn claim(docker: &Docker, key: &str) -> Result<Option<Found>, SandboxError> {
    for mut found in pooled(docker, key).await? {
        let options = RenameContainerOptionsBuilder::default()
            .name(&container_name(found.id()))
            .build();
        if docker
            .rename_container(&found.container, options)
            .await
            .is_ok()
        {
            found.pooled = false;
            return Ok(Some(found));
        }
        // Someone else claimed it: try the next one.
    }
    Ok(None)
}

async fn list_filtered(docker: &Docker, label: &str) -> Result<Vec<Found>, SandboxError> {
    let mut wanted = vec![label.to_string()];
    if let Some(ns) = namespace() {
        wanted.push(format!("{LABEL_NAMESPACE}={ns}"));
    }
    let filters = HashMap::from([("label", wanted)]);
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let summaries = docker
        .list_containers(Some(options))
        .await
        .map_err(|e| engine_error("listing sandboxes", e))?;
    Ok(summaries
        .into_iter()
        .filter_map(Found::from_summary)
        .collect())
}

/// The container of sandbox `id`.
pub async fn find(docker: &Docker, id: &str) -> Result<Found, SandboxError> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(SandboxError::NotFound(id.to_string()));
    }
    let found = list_filtered(docker, &format!("{LABEL_ID}={id}")).await?;
    found
        .into_iter()
        .find(|f| !f.pooled && f.labels.get(LABEL_TOOL).is_some_and(|t| t == TOOL))
        .ok_or_else(|| SandboxError::NotFound(id.to_string()))
}

/// The current expiry: the root-owned file `extend` wrote, else the label.
pub async fn expiry(docker: &Docker, found: &Found) -> u64 {
    if !found.running() {
        return found.label_expiry();
    }
    read_expiry_file(docker, &found.container)
        .await
        .unwrap_or_else(|| found.label_expiry())
}

async fn read_expiry_file(docker: &Docker, container: &str) -> Option<u64> {
    use futures::StreamExt;
    use std::io::Read;
    let options = DownloadFromContainerOptionsBuilder::default()
        .path(EXPIRY_FILE)
        .build();
    let mut stream = docker.download_from_container(container, Some(options));
    let mut archive = Vec::new();
    while let Some(chunk) = stream.next().await {
        archive.extend_from_slice(&chunk.ok()?);
    }
    let mut reader = tar::Archive::new(archive.as_slice());
    let mut entry = reader.entries().ok()?.next()?.ok()?;
    if entry.header().uid().ok()? != 0 {
        return None;
    }
    let mut text = String::new();
    entry.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

/// Sets the expiry to `at` (Unix seconds): a root-owned file written through the
/// archive API, which the sandbox user cannot change.
pub async fn set_expiry(docker: &Docker, found: &Found, at: u64) -> Result<(), SandboxError> {
    if !found.running() {
        return Err(SandboxError::Backend(format!(
            "sandbox `{}` is {}, it cannot be extended\n  how to fix: start a new one with `codingit run`",
            found.id(),
            found.state
        )));
    }
    let data = format!("{at}\n");
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_mode(0o644);
    header.set_uid(0);
    header.set_gid(0);
    header.set_size(data.len() as u64);
    header.set_mtime(unix_now());
    let mut builder = tar::Builder::new(Vec::new());
    builder
        .append_data(&mut header, "expires", data.as_bytes())
        .and_then(|()| builder.finish())
        .map_err(|e| SandboxError::Io(format!("packing the expiry: {e}")))?;
    let archive = builder
        .into_inner()
        .map_err(|e| SandboxError::Io(format!("packing the expiry: {e}")))?;
    let options = UploadToContainerOptionsBuilder::default()
        .path(EXPIRY_DIR)
        .build();
    docker
        .upload_to_container(
            &found.container,
            Some(options),
            bollard::body_full(archive.into()),
        )
        .await
        .map_err(|e| engine_error(&format!("could not extend sandbox `{}`", found.id()), e))
}

/// Stops and removes a container with its home volume; a missing one is fine.
pub async fn remove_container(docker: &Docker, container: &str) -> bool {
    let options = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    match docker.remove_container(container, Some(options)).await {
        Ok(()) => true,
        Err(e) => is_not_found(&e) || is_conflict(&e),
    }
}

/// Removes stopped sandboxes and running ones past their expiry.
pub async fn reap(docker: &Docker) -> Result<usize, SandboxError> {
    let now = unix_now();
    let mut removed = 0;
    let all = list_everything(docker).await?;
    // A seed source is made after its sandbox's container exists, so a listing
    // that shows the source shows its sandbox too unless it is gone.
    let states: HashMap<&str, &str> = all
        .iter()
        .filter(|f| f.seed_for.is_none())
        .map(|f| (f.id(), f.state.as_str()))
        .collect();
    for found in &all {
        let expired = if let Some(sandbox) = &found.seed_for {
            // Left behind by a codingit killed while it seeded the home.
            let alive = states
                .get(sandbox.as_str())
                .is_some_and(|s| matches!(*s, "created" | "running" | "restarting"));
            !alive || found.created + 60 < now
        } else if found.running() {
            found.label_expiry() <= now && expiry(docker, found).await <= now
        } else {
            // Stopped means its lifetime loop ended (or it was never started).
            found.state != "created" || found.created + 60 < now
        };
        if expired && remove_container(docker, &found.container).await {
            removed += 1;
        }
    }
    Ok(removed)
}
