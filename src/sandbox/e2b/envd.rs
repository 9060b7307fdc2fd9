//! The data plane: envd inside one sandbox, reached on its own host name or through
//! a proxy that picks the sandbox by header. Connect calls (`/process.Process/…`,
//! `/filesystem.Filesystem/…`) and the `/files` upload/download.

use super::config::{E2bConfig, ENVD_PORT};
use super::connect::{envelope, ConnectError, Deframer, Frame, WireError};
use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;

/// The user code runs as in E2B templates (its home is `/home/user`).
pub const USER: &str = "user";
const MAX_ERROR_BODY: usize = 16 * 1024;
/// How long envd may take to start answering a download. It opens the file first,
/// and opening a FIFO the sandbox's code planted (say as `result.json`) blocks until
/// something writes to it: without this bound a read would wait the whole download
/// limit.
const DOWNLOAD_ANSWER_WITHIN: Duration = Duration::from_secs(20);

/// A failure talking to envd.
#[derive(Debug, thiserror::Error)]
pub enum EnvdError {
    /// No answer from envd itself (connection refused, a proxy's 404/502, a stream
    /// cut before its end): the sandbox may be gone, which the caller checks.
    #[error("{0}")]
    Unreachable(String),
    /// envd answered with a Connect error.
    #[error("{0}")]
    Call(#[from] ConnectError),
    /// `/files` answered with an error status.
    #[error("{message} (HTTP {status})")]
    Files { status: u16, message: String },
}

#[derive(Clone)]
pub struct Envd {
    http: reqwest::Client,
    base: String,
    headers: HeaderMap,
}

impl Envd {
    /// envd of sandbox `id`; `domain` is the sandbox's own (from the control plane),
    /// `token` its envd access token (sandboxes created `secure`).
    pub fn new(
        http: reqwest::Client,
        config: &E2bConfig,
        id: &str,
        domain: Option<&str>,
        token: Option<&str>,
    ) -> Result<Self, EnvdError> {
        let mut headers = HeaderMap::new();
        let bad = |what: &str| EnvdError::Unreachable(format!("{what} cannot go in a header"));
        // The proxy routes on these; envd on its own host ignores them.
        headers.insert(
            HeaderName::from_static("e2b-sandbox-id"),
            HeaderValue::from_str(id).map_err(|_| bad("the sandbox id"))?,
        );
        headers.insert(
            HeaderName::from_static("e2b-sandbox-port"),
            HeaderValue::from(ENVD_PORT),
        );
        if let Some(token) = token {
            let mut value =
                HeaderValue::from_str(token).map_err(|_| bad("the envd access token"))?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static("x-access-token"), value);
        }
        // envd reads the user to act as from Basic auth with an empty password.
        let user = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:"));
        headers.insert(
            reqwest::header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {user}")).map_err(|_| bad("the user"))?,
        );
        Ok(Self {
            http,
            base: config.envd_url(id, domain),
            headers,
        })
    }

    /// A unary Connect call with a JSON body.
    pub async fn unary<T: DeserializeOwned>(
        &self,
        method: &str,
        body: &Value,
    ) -> Result<T, EnvdError> {
        let response = self
            .http
            .post(format!("{}/{method}", self.base))
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/json")
            .header("Connect-Protocol-Version", "1")
            .timeout(Duration::from_secs(120))
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| unreachable(&e))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| unreachable(&e))?;
        if !status.is_success() {
            return Err(connect_error(status, &bytes));
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            EnvdError::Call(ConnectError::Protocol(format!(
                "envd's answer to {method} is unreadable: {e}"
            )))
        })
    }

    /// A server-streaming Connect call; `deadline` is sent as `Connect-Timeout-Ms`
    /// so envd ends the call (and its process) even if codingit is gone.
    pub async fn stream(
        &self,
        method: &str,
        body: &Value,
        deadline: Option<Duration>,
    ) -> Result<EnvdStream, EnvdError> {
        let mut request = self
            .http
            .post(format!("{}/{method}", self.base))
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/connect+json")
            .header("Connect-Protocol-Version", "1")
            .header("Connect-Accept-Encoding", "gzip")
            .body(envelope(0, body.to_string().as_bytes()));
        if let Some(deadline) = deadline {
            request = request.header("Connect-Timeout-Ms", deadline.as_millis().to_string());
        }
        let response = request.send().await.map_err(|e| unreachable(&e))?;
        let status = response.status();
        if !status.is_success() {
            let bytes = response.bytes().await.unwrap_or_default();
            return Err(connect_error(status, &bytes));
        }
        let content_type = header(response.headers(), "content-type");
        if !content_type.starts_with("application/connect+json") {
            return Err(EnvdError::Call(ConnectError::Protocol(format!(
                "envd answered {method} with `{}`, not a Connect JSON stream",
                content_type.escape_debug()
            ))));
        }
        let encoding = header(response.headers(), "connect-content-encoding");
        let deframer = Deframer::new(
            Some(&encoding)
                .filter(|e| !e.is_empty())
                .map(|e| e.as_str()),
        )?;
        Ok(EnvdStream { response, deframer })
    }

    /// Writes a file (envd creates the parent folders and replaces the file).
    pub async fn upload(&self, path: &str, bytes: Vec<u8>) -> Result<(), EnvdError> {
        let response = self
            .http
            .post(self.files_url(path))
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/octet-stream")
            .timeout(Duration::from_secs(300))
            .body(bytes)
            .send()
            .await
            .map_err(|e| unreachable(&e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let bytes = response.bytes().await.unwrap_or_default();
        Err(files_error(status, &bytes))
    }

    /// Reads a file, refusing one larger than `limit` bytes.
    pub async fn download(&self, path: &str, limit: u64) -> Result<Vec<u8>, EnvdError> {
        let request = self
            .http
            .get(self.files_url(path))
            .headers(self.headers.clone())
            .timeout(Duration::from_secs(300))
            .send();
        let mut response = tokio::time::timeout(DOWNLOAD_ANSWER_WITHIN, request)
            .await
            .map_err(|_| EnvdError::Files {
                status: 504,
                message: format!(
                    "`{path}` did not start downloading within {}s (not a regular file?)",
                    DOWNLOAD_ANSWER_WITHIN.as_secs()
                ),
            })?
            .map_err(|e| unreachable(&e))?;
        let status = response.status();
        if !status.is_success() {
            let bytes = response.bytes().await.unwrap_or_default();
            return Err(files_error(status, &bytes));
        }
        let mut out = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| unreachable(&e))? {
            out.extend_from_slice(&chunk);
            if out.len() as u64 > limit {
                return Err(EnvdError::Files {
                    status: 413,
                    message: format!("`{path}` is larger than {limit} bytes"),
                });
            }
        }
        Ok(out)
    }

    fn files_url(&self, path: &str) -> String {
        format!(
            "{}/files?path={}&username={USER}",
            self.base,
            super::api::encode(path)
        )
    }
}

/// The messages of a server stream, in order.
pub struct EnvdStream {
    response: reqwest::Response,
    deframer: Deframer,
}

impl EnvdStream {
    /// The next message; None once the stream ended cleanly. A stream cut before its
    /// end-of-stream frame is [`EnvdError::Unreachable`].
    pub async fn next(&mut self) -> Result<Option<Value>, EnvdError> {
        loop {
            match self.deframer.next_frame()? {
                Some(Frame::Message(bytes)) => {
                    return serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                        EnvdError::Call(ConnectError::Protocol(format!(
                            "an unreadable stream message: {e}"
                        )))
                    })
                }
                Some(Frame::End) => return Ok(None),
                None => {}
            }
            match self.response.chunk().await {
                Ok(Some(chunk)) => self.deframer.push(&chunk),
                Ok(None) => {
                    return Err(EnvdError::Unreachable(format!(
                        "the stream from envd was cut before its end ({} bytes of a frame left)",
                        self.deframer.pending()
                    )))
                }
                Err(e) => return Err(unreachable(&e)),
            }
        }
    }
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn unreachable(e: &reqwest::Error) -> EnvdError {
    EnvdError::Unreachable(format!("envd did not answer: {}", super::error_chain(e)))
}

/// A failed unary call: a Connect error body when envd sent one, else the proxy
/// (or a dead sandbox) answered.
fn connect_error(status: StatusCode, bytes: &[u8]) -> EnvdError {
    let bytes = &bytes[..bytes.len().min(MAX_ERROR_BODY)];
    match serde_json::from_slice::<WireError>(bytes) {
        Ok(e) if !e.code.is_empty() => EnvdError::Call(e.into()),
        _ => EnvdError::Unreachable(format!(
            "envd's address answered {}: {}",
            status.as_u16(),
            String::from_utf8_lossy(bytes)
                .chars()
                .take(300)
                .collect::<String>()
        )),
    }
}

fn files_error(status: StatusCode, bytes: &[u8]) -> EnvdError {
    let bytes = &bytes[..bytes.len().min(MAX_ERROR_BODY)];
    let body: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    // envd's own errors are `{"message", "code"}` with the status as code; anything
    // else came from in front of it.
    match (body["message"].as_str(), body["code"].as_u64()) {
        (Some(message), Some(code)) if code == u64::from(status.as_u16()) => EnvdError::Files {
            status: status.as_u16(),
            message: message.to_string(),
        },
        _ => EnvdError::Unreachable(format!(
            "envd's address answered {}: {}",
            status.as_u16(),
            String::from_utf8_lossy(bytes)
                .chars()
                .take(300)
                .collect::<String>()
        )),
    }
}
