//! The [`Backend`] trait on E2B.

use super::config::Addressing;
use super::{
    files, process, relay, unix_time, E2bBackend, Known, NewSandbox, APP_LOG, MAX_TIMEOUT,
    READ_LIMIT, TOOL,
};
use crate::catalog::{PackageManager, TemplateDef};
use crate::sandbox::{
    expiry_after, extended_expiry, package_args, select::check_limits, unix_now, Backend,
    BackendKind, BoxFut, BuildProgress, ExecOutcome, ExecRequest, FileEntry, OutputChunk, Preview,
    SandboxError, SandboxInfo, SandboxSpec, LABEL_EXPIRES, LABEL_ID, LABEL_PROJECT, LABEL_TEMPLATE,
    LABEL_TOOL, SANDBOX_HOME,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::collections::BTreeMap;
use std::time::Duration;

/// The tag of the app process (`start_app`), to find it again.
const APP_TAG: &str = "codingit-app";
/// The host names (Vite's `allowedHosts` form, comma-separated) a web app is served
/// at besides localhost; our Nuxt template reads it.
const PREVIEW_HOSTS_VAR: &str = "CODINGIT_PREVIEW_HOSTS";

fn timeout_secs(lifetime: Duration) -> Result<u32, SandboxError> {
    let secs = lifetime.as_secs().max(1);
    if secs > MAX_TIMEOUT {
        return Err(SandboxError::Limit(format!(
            "an E2B sandbox lives at most 24 hours at a time; {} is refused\n  how to fix: \
             give a duration up to \"24h\", and extend it later if needed",
            humantime::format_duration(Duration::from_secs(secs))
        )));
    }
    u32::try_from(secs).map_err(|_| SandboxError::Limit("the timeout is too large".into()))
}

impl Backend for E2bBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::E2b
    }

    /// Nothing to build: the sandbox starts from the E2B template of that name.
    fn prepare<'a>(
        &'a self,
        template: &'a TemplateDef,
        _progress: &'a (dyn Fn(BuildProgress) + Send + Sync),
    ) -> BoxFut<'a, ()> {
        Box::pin(async move {
            tracing::debug!(
                "template {} is E2B template {}",
                template.id,
                self.config.template_for(&template.id)
            );
            Ok(())
        })
    }

    fn create<'a>(&'a self, spec: &'a SandboxSpec) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move {
            check_limits(&spec.limits)?;
            let timeout = timeout_secs(spec.lifetime)?;
            let expires = expiry_after(spec.lifetime)?;
            let template = self.config.template_for(&spec.template.id);
            let mut metadata = BTreeMap::new();
            metadata.insert(LABEL_TOOL.to_string(), TOOL.to_string());
            metadata.insert(LABEL_ID.to_string(), format!("{:016x}", fastrand::u64(..)));
            metadata.insert(LABEL_TEMPLATE.to_string(), spec.template.id.clone());
            metadata.insert(LABEL_EXPIRES.to_string(), expires.to_string());
            if let Some(project) = &spec.project {
                metadata.insert(LABEL_PROJECT.to_string(), project.clone());
            }
            let created = self
                .api
                .create(&NewSandbox {
                    template_id: &template,
                    timeout,
                    secure: true,
                    allow_internet_access: spec.network,
                    metadata: &metadata,
                    env_vars: &spec.env,
                })
                .await?;
            let id = created.sandbox_id.clone();
            let known = Known {
                envd: self.envd(
                    &id,
                    created.domain.as_deref(),
                    created.envd_access_token.as_deref(),
                )?,
                limits: spec.limits.clone(),
                network: spec.network,
                fresh: true,
                domain: created.domain.clone(),
                traffic_token: created.traffic_access_token.clone(),
            };
            self.remember(&id, known);
            let now = unix_now();
            Ok(SandboxInfo {
                id,
                backend: "e2b".into(),
                template: spec.template.id.clone(),
                project: spec.project.clone(),
                created_at: now,
                expires_at: expires,
                state: "running".into(),
            })
        })
    }

    fn list(&self) -> BoxFut<'_, Vec<SandboxInfo>> {
        Box::pin(async move {
            let found = self.api.list(&[(LABEL_TOOL, TOOL)]).await?;
            Ok(found.iter().map(|d| self.info(d)).collect())
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move { Ok(self.info(&self.ours(id).await?)) })
    }

    fn write_files<'a>(&'a self, id: &'a str, files: &'a [(String, Vec<u8>)]) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let known = self.known(id).await?;
            match files::write(&known.envd, files, known.fresh).await {
                Ok(()) => Ok(()),
                Err(e) => Err(self.failure(id, e).await),
            }
        })
    }

    fn read_file<'a>(&'a self, id: &'a str, path: &'a str) -> BoxFut<'a, Vec<u8>> {
        Box::pin(async move {
            let known = self.known(id).await?;
            match files::read(&known.envd, path, READ_LIMIT).await {
                Ok(bytes) => Ok(bytes),
                Err(e) => Err(self.failure(id, e).await),
            }
        })
    }

    fn list_files<'a>(
        &'a self,
        id: &'a str,
        path: &'a str,
        recursive: bool,
    ) -> BoxFut<'a, Vec<FileEntry>> {
        Box::pin(async move {
            let known = self.known(id).await?;
            match files::list(&known.envd, path, recursive).await {
                Ok(entries) => Ok(entries),
                Err(e) => Err(self.failure(id, e).await),
            }
        })
    }

    fn remove_path<'a>(&'a self, id: &'a str, path: &'a str) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let known = self.known(id).await?;
            match files::remove(&known.envd, path).await {
                Ok(()) => Ok(()),
                Err(e) => Err(self.failure(id, e).await),
            }
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
            if packages.is_empty() {
                return Ok(ExecOutcome::default());
            }
            let args = package_args(manager, packages)?;
            let known = self.known(id).await?;
            if !known.network {
                return Err(SandboxError::InstallNeedsNetwork {
                    packages: packages.to_vec(),
                });
            }
            let mut argv: Vec<String> = match manager {
                PackageManager::Pip => ["python3", "-m", "pip", "install", "--"],
                PackageManager::Npm => ["npm", "install", "--no-audit", "--no-fund", "--"],
            }
            .iter()
            .map(|s| s.to_string())
            .collect();
            argv.extend(args);
            let request = ExecRequest {
                argv,
                timeout: Some(Duration::from_secs(600)),
                ..ExecRequest::default()
            };
            self.exec_in(id, &request, sink).await
        })
    }

    fn exec<'a>(
        &'a self,
        id: &'a str,
        request: &'a ExecRequest,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ExecOutcome> {
        Box::pin(async move { self.exec_in(id, request, sink).await })
    }

    /// The app runs on in the sandbox after this call; its output goes to
    /// `.codingit/app.log`, which `logs` reads.
    fn start_app<'a>(&'a self, id: &'a str, request: &'a ExecRequest) -> BoxFut<'a, ()> {
        Box::pin(async move {
            let known = self.known(id).await?;
            let cwd = crate::sandbox::paths::resolve(request.cwd.as_deref().unwrap_or(""))?;
            self.touched(id);
            // The argv goes to the shell as positional parameters, never as text.
            let mut argv: Vec<String> = vec![
                "/bin/sh".into(),
                "-c".into(),
                format!("mkdir -p .codingit && exec \"$@\" >>{APP_LOG} 2>&1"),
                "sh".into(),
            ];
            argv.extend(request.argv.iter().cloned());
            // The app's preview host is `PORT-ID.DOMAIN`, not localhost: dev servers
            // that check the Host (Vite under Nuxt) read the allowed ones from here.
            let mut env = request.env.clone();
            env.insert(
                PREVIEW_HOSTS_VAR.into(),
                format!(
                    ".{}",
                    known.domain.as_deref().unwrap_or(&self.config.domain)
                ),
            );
            let command = process::Command {
                argv: &argv,
                env: &env,
                cwd: &cwd,
                timeout: None,
                output_bytes: known.limits.output_bytes,
                tag: Some(APP_TAG),
            };
            match process::spawn(&known.envd, &command).await {
                Ok(_) => Ok(()),
                Err(e) => Err(self.failure(id, e.into()).await),
            }
        })
    }

    fn logs<'a>(
        &'a self,
        id: &'a str,
        follow: bool,
        sink: &'a (dyn Fn(OutputChunk) + Send + Sync),
    ) -> BoxFut<'a, ()> {
        Box::pin(async move {
            if follow {
                let request = ExecRequest {
                    argv: ["tail", "-n", "+1", "-F", APP_LOG]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    ..ExecRequest::default()
                };
                // Following ends when the sandbox does.
                return match self.exec_in(id, &request, sink).await {
                    Ok(_) => Ok(()),
                    Err(SandboxError::NotFound(_)) => Ok(()),
                    Err(SandboxError::Ended { .. }) => Ok(()),
                    Err(e) => Err(e),
                };
            }
            for entry in self.api.logs(id).await? {
                sink(OutputChunk::Stderr(
                    format!(
                        "[e2b {} {}] {}\n",
                        entry.timestamp, entry.level, entry.message
                    )
                    .into_bytes(),
                ));
            }
            let known = self.known(id).await?;
            let path = format!("{SANDBOX_HOME}/{APP_LOG}");
            match known.envd.download(&path, READ_LIMIT).await {
                Ok(bytes) => sink(OutputChunk::Stdout(bytes)),
                Err(super::envd::EnvdError::Files { status: 404, .. }) => {}
                Err(e) => return Err(self.failure(id, e.into()).await),
            }
            Ok(())
        })
    }

    /// E2B serves every port of a sandbox at `https://PORT-ID.DOMAIN` (the preview
    /// URL printed); a relay on 127.0.0.1 carries the probe and the checks there
    /// (with the traffic token, for a sandbox whose public traffic is off).
    fn expose<'a>(&'a self, id: &'a str, port: u16) -> BoxFut<'a, Preview> {
        Box::pin(async move {
            let known = self.known(id).await?;
            let url = self.config.port_url(id, known.domain.as_deref(), port);
            let mut headers = HeaderMap::new();
            let base = match &self.config.addressing {
                Addressing::Proxy(url) => {
                    let id_value = HeaderValue::from_str(id).map_err(|_| {
                        SandboxError::Backend("a sandbox id that is no header".into())
                    })?;
                    headers.insert(HeaderName::from_static("e2b-sandbox-id"), id_value);
                    headers.insert(
                        HeaderName::from_static("e2b-sandbox-port"),
                        HeaderValue::from(port),
                    );
                    url.clone()
                }
                Addressing::PerSandboxHost => url.clone(),
            };
            if let Some(token) = &known.traffic_token {
                if let Ok(mut value) = HeaderValue::from_str(token) {
                    value.set_sensitive(true);
                    headers.insert(HeaderName::from_static("e2b-traffic-access-token"), value);
                }
            }
            let target = relay::Target { base, headers };
            let (local_port, task) = relay::start(self.http.clone(), target)
                .await
                .map_err(|e| SandboxError::Io(format!("cannot open a local relay: {e}")))?;
            Ok(Preview {
                url,
                local_port,
                guard: Box::new(relay::Guard(task)),
            })
        })
    }

    fn extend<'a>(&'a self, id: &'a str, by: Duration) -> BoxFut<'a, SandboxInfo> {
        Box::pin(async move {
            let detail = self.ours(id).await?;
            let current = unix_time(&detail.end_at).unwrap_or(0);
            let target = extended_expiry(current, by)?;
            let seconds = timeout_secs(Duration::from_secs(target.saturating_sub(unix_now())))?;
            self.api.set_timeout(id, seconds).await?;
            self.get(id).await
        })
    }

    fn kill<'a>(&'a self, id: &'a str) -> BoxFut<'a, ()> {
        Box::pin(async move {
            self.ours(id).await?;
            self.api.kill(id).await?;
            if let Ok(mut map) = self.known.lock() {
                map.remove(id);
            }
            Ok(())
        })
    }

    /// E2B ends a sandbox at its timeout by itself.
    fn reap_expired(&self) -> BoxFut<'_, usize> {
        Box::pin(async { Ok(0) })
    }
}
