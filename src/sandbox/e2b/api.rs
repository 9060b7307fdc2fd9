//! The E2B control plane (REST, `X-API-Key`): create, list, get, kill, set timeout,
//! logs. A 429 is retried after its `Retry-After` (a few times, within a cap); every
//! other failure becomes a [`SandboxError`] that says what to do.

use super::config::E2bConfig;
use crate::sandbox::SandboxError;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Attempts of one call when the API answers 429.
const ATTEMPTS: u32 = 4;
/// The longest `Retry-After` waited for; past it the error says when to retry.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// Error bodies are read for their message only.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// `POST /sandboxes` (the `NewSandbox` schema; only the fields codingit sets).
#[derive(Debug, Serialize)]
pub struct NewSandbox<'a> {
    #[serde(rename = "templateID")]
    pub template_id: &'a str,
    pub timeout: u32,
    /// envd then requires the `X-Access-Token` it answers with.
    pub secure: bool,
    pub allow_internet_access: bool,
    pub metadata: &'a BTreeMap<String, String>,
    #[serde(rename = "envVars")]
    pub env_vars: &'a BTreeMap<String, String>,
}

/// The `Sandbox` schema (the answer to a create).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    #[serde(rename = "sandboxID")]
    pub sandbox_id: String,
    #[serde(default)]
    pub envd_access_token: Option<String>,
    #[serde(default)]
    pub traffic_access_token: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
}

/// The `SandboxDetail` and `ListedSandbox` schemas (what codingit reads of them).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Detail {
    #[serde(rename = "sandboxID")]
    pub sandbox_id: String,
    #[serde(rename = "templateID")]
    pub template_id: String,
    pub started_at: String,
    pub end_at: String,
    pub state: String,
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub envd_access_token: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
    /// Whether the sandbox may reach the internet (null: not set, which is on).
    #[serde(default)]
    pub allow_internet_access: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct LogEntry {
    pub timestamp: String,
    pub level: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
struct Logs {
    #[serde(default)]
    logs: Vec<LogEntry>,
}

#[derive(Debug, Deserialize)]
struct ApiError {
    #[serde(default)]
    message: String,
}

#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    headers: HeaderMap,
}

impl Api {
    pub fn new(http: reqwest::Client, config: &E2bConfig) -> Result<Self, SandboxError> {
        let mut key = HeaderValue::from_str(config.api_key.expose()).map_err(|_| {
            SandboxError::Unavailable {
                message: "E2B_API_KEY holds characters that cannot go in an HTTP header".into(),
                hint: "copy the key again from the E2B dashboard".into(),
            }
        })?;
        key.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert("X-API-Key", key);
        Ok(Self {
            http,
            base: config.api_url.clone(),
            headers,
        })
    }

    pub async fn create(&self, new: &NewSandbox<'_>) -> Result<Created, SandboxError> {
        let body = serde_json::to_vec(new).map_err(|e| SandboxError::Backend(e.to_string()))?;
        let bytes = self
            .call(Method::POST, "/sandboxes", Some(body), None)
            .await?;
        parse(&bytes, "POST /sandboxes")
    }

    /// Running sandboxes whose metadata holds every pair of `filter`, page by page.
    pub async fn list(&self, filter: &[(&str, &str)]) -> Result<Vec<Detail>, SandboxError> {
        let metadata: Vec<String> = filter
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let mut found = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..100 {
            let mut path = format!(
                "/v2/sandboxes?metadata={}&limit=100",
                encode(&metadata.join("&"))
            );
            if let Some(token) = &next {
                path.push_str(&format!("&nextToken={}", encode(token)));
            }
            let (bytes, headers) = self
                .call_with_headers(Method::GET, &path, None, None)
                .await?;
            let page: Vec<Detail> = parse(&bytes, "GET /v2/sandboxes")?;
            found.extend(page);
            next = headers
                .get("X-Next-Token")
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
                .map(str::to_string);
            if next.is_none() {
                break;
            }
        }
        Ok(found)
    }

    pub async fn get(&self, id: &str) -> Result<Detail, SandboxError> {
        let path = format!("/sandboxes/{}", encode(id));
        let bytes = self.call(Method::GET, &path, None, Some(id)).await?;
        parse(&bytes, "GET /sandboxes/{id}")
    }

    pub async fn kill(&self, id: &str) -> Result<(), SandboxError> {
        let path = format!("/sandboxes/{}", encode(id));
        self.call(Method::DELETE, &path, None, Some(id)).await?;
        Ok(())
    }

    /// The sandbox now ends `seconds` from now (E2B replaces the timeout).
    pub async fn set_timeout(&self, id: &str, seconds: u32) -> Result<(), SandboxError> {
        let path = format!("/sandboxes/{}/timeout", encode(id));
        let body = serde_json::to_vec(&serde_json::json!({ "timeout": seconds }))
            .map_err(|e| SandboxError::Backend(e.to_string()))?;
        self.call(Method::POST, &path, Some(body), Some(id)).await?;
        Ok(())
    }

    /// The sandbox's own log (envd and system messages, not the app's output).
    pub async fn logs(&self, id: &str) -> Result<Vec<LogEntry>, SandboxError> {
        let path = format!("/v2/sandboxes/{}/logs?limit=1000", encode(id));
        let bytes = self.call(Method::GET, &path, None, Some(id)).await?;
        Ok(parse::<Logs>(&bytes, "GET /v2/sandboxes/{id}/logs")?.logs)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        id: Option<&str>,
    ) -> Result<Vec<u8>, SandboxError> {
        Ok(self.call_with_headers(method, path, body, id).await?.0)
    }

    /// One call, retried on 429; `id` turns a 404 into [`SandboxError::NotFound`].
    async fn call_with_headers(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        id: Option<&str>,
    ) -> Result<(Vec<u8>, HeaderMap), SandboxError> {
        let url = format!("{}{path}", self.base);
        let what = format!("{method} {}", path.split('?').next().unwrap_or(path));
        for attempt in 1..=ATTEMPTS {
            let mut request = self
                .http
                .request(method.clone(), &url)
                .headers(self.headers.clone())
                .timeout(Duration::from_secs(120));
            if let Some(body) = &body {
                request = request
                    .header("Content-Type", "application/json")
                    .body(body.clone());
            }
            let response = request
                .send()
                .await
                .map_err(|e| SandboxError::Unavailable {
                    message: format!(
                        "cannot reach the E2B API at {}: {}",
                        self.base,
                        super::error_chain(&e)
                    ),
                    hint: "check the network, or E2B_DOMAIN / E2B_API_URL for a self-hosted E2B"
                        .into(),
                })?;
            let status = response.status();
            let headers = response.headers().clone();
            if status.is_success() {
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| SandboxError::Backend(format!("{what}: {e}")))?;
                return Ok((bytes.to_vec(), headers));
            }
            let wait = retry_after(&headers);
            let message = error_message(response).await;
            match status {
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = wait.unwrap_or(Duration::from_secs(u64::from(attempt)));
                    if attempt < ATTEMPTS && wait <= MAX_RETRY_AFTER {
                        tracing::info!("E2B API rate limit on {what}; retrying in {wait:?}");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(SandboxError::Backend(format!(
                        "the E2B API kept answering 429 (rate limit) to {what}: {message}\n  \
                         how to fix: retry in {}s, or raise your E2B plan's limits",
                        wait.as_secs().max(1)
                    )));
                }
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                    return Err(SandboxError::Unavailable {
                        message: format!(
                            "the E2B API refused the key ({}): {message}",
                            status.as_u16()
                        ),
                        hint: "check E2B_API_KEY (and E2B_DOMAIN / E2B_API_URL for a \
                               self-hosted E2B)"
                            .into(),
                    });
                }
                StatusCode::NOT_FOUND => {
                    if let Some(id) = id {
                        return Err(SandboxError::NotFound(id.to_string()));
                    }
                }
                _ => {}
            }
            return Err(SandboxError::Backend(format!(
                "the E2B API answered {} to {what}: {message}",
                status.as_u16()
            )));
        }
        Err(SandboxError::Backend(format!("{what}: no attempt left")))
    }
}

/// `Retry-After` in seconds (the HTTP-date form is read as "soon").
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    Some(
        value
            .parse::<u64>()
            .map(Duration::from_secs)
            .unwrap_or(Duration::from_secs(1)),
    )
}

async fn error_message(response: reqwest::Response) -> String {
    let bytes = response.bytes().await.unwrap_or_default();
    let bytes = &bytes[..bytes.len().min(MAX_ERROR_BODY)];
    match serde_json::from_slice::<ApiError>(bytes) {
        Ok(e) if !e.message.is_empty() => e.message,
        _ => String::from_utf8_lossy(bytes).chars().take(300).collect(),
    }
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, SandboxError> {
    serde_json::from_slice(bytes).map_err(|e| {
        SandboxError::Backend(format!("the E2B API's answer to {what} is unreadable: {e}"))
    })
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
