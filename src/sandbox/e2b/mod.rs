//! The E2B backend: sandboxes on E2B cloud, self-hosted E2B, or a Kubernetes
//! operator that speaks the same protocol (docs/sandbox-e2b.md).
//!
//! The control plane (`api`) creates, finds, extends and kills sandboxes, labelled
//! with our metadata; the data plane (`envd`, Connect over HTTP/1.1) runs commands
//! (`process`) and moves files (`files`). Paths are confined by `paths` like on every
//! backend. Nothing is built: the templates are E2B's (`templates build` is for
//! Docker and local).

pub mod api;
pub mod config;
pub mod connect;
pub mod envd;
mod files;
pub mod process;
mod relay;

use self::api::{Api, Detail, NewSandbox};
use self::config::E2bConfig;
use self::envd::{Envd, EnvdError};
use self::files::EnvdOrPath;
use super::{
    cancel, ExecOutcome, ExecRequest, Limits, OutputChunk, SandboxError, SandboxInfo,
    LABEL_EXPIRES, LABEL_PROJECT, LABEL_TEMPLATE, LABEL_TOOL,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

/// The value of [`LABEL_TOOL`] on every sandbox codingit creates.
const TOOL: &str = "codingit";
/// The app's output, inside the sandbox home.
const APP_LOG: &str = ".codingit/app.log";
/// Largest file read through `read_file`.
const READ_LIMIT: u64 = 1 << 30;
/// The longest timeout the E2B API takes (24 hours, its Pro plan's maximum).
const MAX_TIMEOUT: u64 = 24 * 3600;

/// What this process knows of a sandbox beyond the control plane's answer.
#[derive(Clone)]
struct Known {
    envd: Envd,
    limits: Limits,
    network: bool,
    /// Nothing ran in it yet: no link can have been planted in its home.
    fresh: bool,
    domain: Option<String>,
    traffic_token: Option<String>,
}

pub struct E2bBackend {
    config: E2bConfig,
    http: reqwest::Client,
    api: Api,
    known: Mutex<HashMap<String, Known>>,
}

/// An error and its causes on one line.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

impl E2bBackend {
    pub fn new(config: E2bConfig) -> Result<Self, SandboxError> {
        Self::with_http(config, Self::http_client().build())
    }

    /// The HTTP client settings the backend expects (HTTP/1.1, no redirects); a
    /// caller may add its own (a proxy, a resolver) before [`with_http`](Self::with_http).
    pub fn http_client() -> reqwest::ClientBuilder {
        crate::llm::install_crypto_provider();
        reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(15))
            .user_agent(concat!("codingit/", env!("CARGO_PKG_VERSION")))
            .http1_only()
            // An answer is taken as it is; nothing from a sandbox steers our requests.
            .redirect(reqwest::redirect::Policy::none())
    }

    /// The backend with a client built from [`http_client`](Self::http_client).
    pub fn with_http(
        config: E2bConfig,
        http: Result<reqwest::Client, reqwest::Error>,
    ) -> Result<Self, SandboxError> {
        let http =
            http.map_err(|e| SandboxError::Backend(format!("cannot build the HTTP client: {e}")))?;
        let api = Api::new(http.clone(), &config)?;
        Ok(Self {
            config,
            http,
            api,
            known: Mutex::new(HashMap::new()),
        })
    }

    /// The backend from the environment (`E2B_API_KEY`, …) and the template names.
    pub fn from_env(templates: BTreeMap<String, String>) -> Result<Self, SandboxError> {
        Self::new(E2bConfig::from_env(templates)?)
    }

    /// What this process knows of sandbox `id`, asking the control plane (and
    /// refusing sandboxes codingit did not create) the first time.
    async fn known(&self, id: &str) -> Result<Known, SandboxError> {
        if let Some(k) = self.known.lock().ok().and_then(|m| m.get(id).cloned()) {
            return Ok(k);
        }
        let detail = self.ours(id).await?;
        let known = Known {
            envd: self.envd(
                id,
                detail.domain.as_deref(),
                detail.envd_access_token.as_deref(),
            )?,
            limits: Limits::default(),
            network: detail.allow_internet_access.unwrap_or(true),
            fresh: false,
            domain: detail.domain.clone(),
            traffic_token: None,
        };
        self.remember(id, known.clone());
        Ok(known)
    }

    fn remember(&self, id: &str, known: Known) {
        if let Ok(mut map) = self.known.lock() {
            map.insert(id.to_string(), known);
        }
    }

    /// Something ran in `id`: from now on paths are resolved inside it.
    fn touched(&self, id: &str) {
        if let Ok(mut map) = self.known.lock() {
            if let Some(k) = map.get_mut(id) {
                k.fresh = false;
            }
        }
    }

    fn envd(
        &self,
        id: &str,
        domain: Option<&str>,
        token: Option<&str>,
    ) -> Result<Envd, SandboxError> {
        Envd::new(self.http.clone(), &self.config, id, domain, token)
            .map_err(|e| SandboxError::Backend(e.to_string()))
    }

    /// The sandbox's detail, if codingit created it (others are not ours to touch).
    async fn ours(&self, id: &str) -> Result<Detail, SandboxError> {
        let detail = self.api.get(id).await?;
        let tool = detail.metadata.as_ref().and_then(|m| m.get(LABEL_TOOL));
        if tool.map(String::as_str) != Some(TOOL) {
            return Err(SandboxError::NotFound(id.to_string()));
        }
        Ok(detail)
    }

    /// A sandbox error for an envd failure: when envd did not answer, or answered
    /// "not found", the control plane says whether the sandbox is still there.
    async fn failure(&self, id: &str, e: EnvdOrPath) -> SandboxError {
        let e = match e {
            EnvdOrPath::Sandbox(e) => return e,
            EnvdOrPath::Envd(e) => e,
        };
        let maybe_gone = match &e {
            EnvdError::Unreachable(_) => true,
            EnvdError::Files { status, .. } => *status == 404 || *status == 502,
            EnvdError::Call(c) => c.code() == "not_found" || c.code() == "unavailable",
        };
        if maybe_gone {
            if let Err(SandboxError::NotFound(_)) = self.api.get(id).await {
                if let Ok(mut map) = self.known.lock() {
                    map.remove(id);
                }
                return SandboxError::Ended { id: id.to_string() };
            }
        }
        match e {
            // The sandbox is there: "not found" is about the path.
            EnvdError::Files {
                status: 404,
                message,
            } => SandboxError::Io(format!("no such file or folder in the sandbox: {message}")),
            EnvdError::Call(connect::ConnectError::Call { code, message })
                if code == "not_found" =>
            {
                SandboxError::Io(format!("no such file or folder in the sandbox: {message}"))
            }
            EnvdError::Call(c) if c.code() == "unauthenticated" => SandboxError::Unavailable {
                message: format!("envd of sandbox {id} refused the access token: {c}"),
                hint: "the sandbox may have been recreated; run again".into(),
            },
            e => SandboxError::Backend(format!("envd of E2B sandbox {id}: {e}")),
        }
    }

    fn info(&self, detail: &Detail) -> SandboxInfo {
        let meta = detail.metadata.clone().unwrap_or_default();
        let expires = meta.get(LABEL_EXPIRES).and_then(|v| v.parse().ok());
        SandboxInfo {
            id: detail.sandbox_id.clone(),
            backend: "e2b".into(),
            template: meta
                .get(LABEL_TEMPLATE)
                .cloned()
                .unwrap_or_else(|| detail.template_id.clone()),
            project: meta.get(LABEL_PROJECT).cloned(),
            created_at: unix_time(&detail.started_at).unwrap_or(0),
            // The control plane's end is the truth; our label is the fallback.
            expires_at: unix_time(&detail.end_at).or(expires).unwrap_or(0),
            state: detail.state.clone(),
        }
    }

    async fn exec_in(
        &self,
        id: &str,
        request: &ExecRequest,
        sink: &(dyn Fn(OutputChunk) + Send + Sync),
    ) -> Result<ExecOutcome, SandboxError> {
        let known = self.known(id).await?;
        let cwd = super::paths::resolve(request.cwd.as_deref().unwrap_or(""))?;
        self.touched(id);
        // A cancellable command is tagged, so it can be killed even before envd has
        // said which process it started.
        let tag = request.cancel.as_ref().map(|_| cancel::command_mark());
        let command = process::Command {
            argv: &request.argv,
            env: &request.env,
            cwd: &cwd,
            timeout: request.timeout,
            output_bytes: known.limits.output_bytes,
            tag: tag.as_deref(),
        };
        let run = async {
            match process::run(&known.envd, &command, sink).await {
                Ok(outcome) => Ok(outcome),
                Err(e) => Err(self.failure(id, e.into()).await),
            }
        };
        let kill = || async {
            match &tag {
                Some(tag) => process::kill_tagged(&known.envd, tag)
                    .await
                    .map_err(|e| SandboxError::Backend(e.to_string())),
                None => Ok(()),
            }
        };
        cancel::until_cancelled(request.cancel.as_ref(), run, kill).await
    }
}

/// Unix seconds of an RFC 3339 time in UTC (`2026-01-02T03:04:05.678Z`).
fn unix_time(text: &str) -> Option<u64> {
    let text = text.trim();
    let text = text.strip_suffix("+00:00").unwrap_or(text);
    humantime::parse_rfc3339_weak(text.trim_end_matches('Z'))
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

mod backend;
