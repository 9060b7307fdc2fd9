//! Where the E2B control plane and the sandboxes' envd are, and with which key.
//!
//! The variables are the ones E2B's own SDKs read, so a shell set up for them works
//! here unchanged. The key is held as [`ApiKey`], whose `Debug` never shows it.

use crate::sandbox::SandboxError;
use std::collections::BTreeMap;

/// The public E2B cloud.
pub const DEFAULT_DOMAIN: &str = "e2b.app";
/// The port envd listens on inside every E2B sandbox.
pub const ENVD_PORT: u16 = 49983;

/// An E2B API key; printed nowhere (`Debug` shows a placeholder).
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> Self {
        Self(key)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<hidden>)")
    }
}

/// How envd of a sandbox is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addressing {
    /// `https://49983-ID.DOMAIN`: one host name per sandbox (E2B cloud, self-hosted
    /// E2B with wildcard DNS).
    PerSandboxHost,
    /// One URL for every sandbox; the `E2b-Sandbox-Id`/`E2b-Sandbox-Port` headers
    /// pick the sandbox (`E2B_SANDBOX_URL`: a proxy, an operator's gateway).
    Proxy(String),
}

#[derive(Debug, Clone)]
pub struct E2bConfig {
    pub api_key: ApiKey,
    pub domain: String,
    /// The control plane (REST), without a trailing slash.
    pub api_url: String,
    pub addressing: Addressing,
    /// Our template id → the E2B template to create the sandbox from.
    pub templates: BTreeMap<String, String>,
}

impl E2bConfig {
    /// The settings from the environment (`lookup` is `std::env::var` outside tests)
    /// and the `[sandbox.e2b_templates]` table. A missing key is an error that names
    /// the variable.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        templates: BTreeMap<String, String>,
    ) -> Result<Self, SandboxError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let api_key = get("E2B_API_KEY").ok_or_else(|| SandboxError::Unavailable {
            message: "the e2b backend needs an E2B API key, and E2B_API_KEY is not set".into(),
            hint: "export E2B_API_KEY=… (from the E2B dashboard, or your self-hosted E2B); \
                   see docs/sandbox-e2b.md"
                .into(),
        })?;
        let domain = get("E2B_DOMAIN").unwrap_or_else(|| DEFAULT_DOMAIN.to_string());
        let domain = domain.trim().trim_end_matches('/').to_string();
        let api_url = get("E2B_API_URL").unwrap_or_else(|| format!("https://api.{domain}"));
        let api_url = checked_url("E2B_API_URL", &api_url)?;
        let addressing = match get("E2B_SANDBOX_URL") {
            Some(url) => Addressing::Proxy(checked_url("E2B_SANDBOX_URL", &url)?),
            None => Addressing::PerSandboxHost,
        };
        Ok(Self {
            api_key: ApiKey::new(api_key.trim().to_string()),
            domain,
            api_url,
            addressing,
            templates,
        })
    }

    pub fn from_env(templates: BTreeMap<String, String>) -> Result<Self, SandboxError> {
        Self::from_lookup(|name| std::env::var(name).ok(), templates)
    }

    /// The E2B template for one of ours: the configured name, else the same id (our
    /// template ids are the platform's own E2B template names).
    pub fn template_for(&self, ours: &str) -> String {
        self.templates
            .get(ours)
            .cloned()
            .unwrap_or_else(|| ours.to_string())
    }

    /// The base URL of envd in sandbox `id` (its own `domain`, when the control plane
    /// gave one).
    pub fn envd_url(&self, id: &str, domain: Option<&str>) -> String {
        match &self.addressing {
            Addressing::Proxy(url) => url.clone(),
            Addressing::PerSandboxHost => self.port_url(id, domain, ENVD_PORT),
        }
    }

    /// `https://PORT-ID.DOMAIN`; plain `http://` only when the control plane itself is
    /// plain HTTP (a development deployment, where the edge has no certificate either).
    pub fn port_url(&self, id: &str, domain: Option<&str>, port: u16) -> String {
        let scheme = if self.api_url.starts_with("http://") {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{}", self.host(id, domain, port))
    }

    /// `PORT-ID.DOMAIN`: the host name of a port of a sandbox.
    pub fn host(&self, id: &str, domain: Option<&str>, port: u16) -> String {
        format!("{port}-{id}.{}", domain.unwrap_or(&self.domain))
    }
}

fn checked_url(name: &str, url: &str) -> Result<String, SandboxError> {
    let url = url.trim().trim_end_matches('/');
    if url.starts_with("https://") || url.starts_with("http://") {
        return Ok(url.to_string());
    }
    Err(SandboxError::Unavailable {
        message: format!("{name} must be an http:// or https:// URL"),
        hint: format!("set {name} to a URL like https://api.e2b.app, or unset it"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<E2bConfig, SandboxError> {
        let vars: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        E2bConfig::from_lookup(|name| vars.get(name).cloned(), BTreeMap::new())
    }

    #[test]
    fn a_missing_key_names_the_variable() {
        let err = config(&[]).unwrap_err().to_string();
        assert!(err.contains("E2B_API_KEY"), "{err}");
    }

    #[test]
    fn defaults_are_the_public_cloud_with_per_sandbox_hosts() {
        let c = config(&[("E2B_API_KEY", "e2b_secret")]).unwrap();
        assert_eq!(c.api_url, "https://api.e2b.app");
        assert_eq!(c.envd_url("abc", None), "https://49983-abc.e2b.app");
        assert_eq!(c.port_url("abc", None, 3000), "https://3000-abc.e2b.app");
        assert_eq!(c.host("abc", Some("my.host"), 3000), "3000-abc.my.host");
        assert!(!format!("{c:?}").contains("e2b_secret"));
    }

    #[test]
    fn self_hosted_and_proxy_endpoints() {
        let c = config(&[
            ("E2B_API_KEY", "k"),
            ("E2B_DOMAIN", "sandbox.example.org"),
            ("E2B_SANDBOX_URL", "http://gateway:8080/"),
        ])
        .unwrap();
        assert_eq!(c.api_url, "https://api.sandbox.example.org");
        assert_eq!(c.envd_url("abc", None), "http://gateway:8080");
        assert!(config(&[("E2B_API_KEY", "k"), ("E2B_API_URL", "ftp://x")]).is_err());
    }
}
