//! Configuration: where files live, `config.toml`, and the layered settings every
//! command reads. Precedence is flag > environment > config file > built-in.

mod duration;
mod endpoint;
mod file;
mod paths;
mod probe;

pub use duration::parse_duration;
pub use endpoint::DEFAULT_REPAIR_ROUNDS;
pub use file::{line_and_column, ConfigFile, ConfigFileError, ProviderSettings, SandboxSettings};
pub use paths::{cache_dir, config_dir, non_empty_env, state_dir};
pub use probe::{host_port, http_answers, ollama_base_url, served_models};

use crate::catalog::{CatalogError, ModelCatalog, ProviderDef, TemplateCatalog, TemplateError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Models tried, in order, when no model is configured: the first whose provider
/// has a key wins.
const PREFERRED_DEFAULT_MODELS: &[&str] = &[
    "anthropic/claude-sonnet-4-5",
    "openai/gpt-5-mini",
    "google/gemini-2.5-flash",
    "xai/grok-code-fast-1",
    "mistral/codestral-latest",
    "deepseek/deepseek-chat",
    "openrouter/qwen/qwen3-coder",
    "groq/openai/gpt-oss-120b",
    "fireworks/accounts/fireworks/models/qwen3-coder-480b-a35b-instruct",
    "togetherai/Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    File(#[from] ConfigFileError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("{message}\n  how to fix: {hint}")]
    Invalid { message: String, hint: String },
    #[error("no API key for provider `{provider}`\n  how to fix: set {variables}, or api_key under [providers.{provider}] in config.toml")]
    MissingKey { provider: String, variables: String },
}

/// Whether a provider can be used now, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Availability {
    /// A key was found; `source` names the variable or `config.toml`, never the key.
    KeySet { source: String },
    /// No key in any of the provider's variables nor in the config file.
    KeyMissing { variables: Vec<String> },
    /// A local server answered at `url`.
    ServerUp { url: String },
    /// A local server did not answer at `url`.
    ServerDown { url: String },
}

impl Availability {
    pub fn is_available(&self) -> bool {
        matches!(self, Self::KeySet { .. } | Self::ServerUp { .. })
    }

    /// One line for people: what was found, or how to make it available.
    pub fn describe(&self) -> String {
        match self {
            Self::KeySet { source } => format!("key from {source}"),
            Self::KeyMissing { variables } if variables.is_empty() => {
                "no key: add api_key under its [providers] entry in config.toml".to_string()
            }
            Self::KeyMissing { variables } => {
                format!(
                    "no key: set {} (or api_key in config.toml)",
                    variables.join(" or ")
                )
            }
            Self::ServerUp { url } => format!("server answers at {url}"),
            Self::ServerDown { url } => format!("no server answers at {url}"),
        }
    }
}

/// The settings of one invocation: config file, catalogs, and the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config_dir: Option<PathBuf>,
    pub config_path: Option<PathBuf>,
    pub file: ConfigFile,
    pub models: ModelCatalog,
    pub templates: TemplateCatalog,
    /// Keys given in config.toml, by provider id. Never printed.
    api_keys: BTreeMap<String, String>,
}

impl Settings {
    /// Loads built-in catalogs, the user's catalogs from the config folder and the
    /// config file (`explicit` replaces `<config dir>/config.toml`).
    pub fn load(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        let config_dir = config_dir();
        let config_path = match explicit {
            Some(path) => {
                if !path.exists() {
                    return Err(ConfigError::Invalid {
                        message: format!("config file {} does not exist", path.display()),
                        hint: "check the --config path (or CODINGIT_CONFIG)".into(),
                    });
                }
                Some(path.to_path_buf())
            }
            None => config_dir.as_ref().map(|d| d.join("config.toml")),
        };
        let file = match &config_path {
            Some(path) => ConfigFile::load(path)?,
            None => ConfigFile::default(),
        };
        let mut models = ModelCatalog::builtin()?;
        let mut templates = TemplateCatalog::builtin()?;
        if let Some(dir) = &config_dir {
            merge_user_file(&dir.join("models.toml"), |name, text| {
                models.merge_toml(name, text).map_err(ConfigError::from)
            })?;
            merge_user_file(&dir.join("templates.toml"), |name, text| {
                templates.merge_toml(name, text).map_err(ConfigError::from)
            })?;
        }
        let mut api_keys = BTreeMap::new();
        let source = config_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.toml".into());
        for (id, settings) in &file.providers {
            if let Some(key) = settings.api_key.as_ref().filter(|k| !k.trim().is_empty()) {
                api_keys.insert(id.clone(), key.trim().to_string());
            }
            let table = provider_table(id, settings, models.providers.contains_key(id)).map_err(
                |message| ConfigError::Invalid {
                    message: format!("{source}: [providers.{id}]: {message}"),
                    hint: "see docs/configuration.md, section Providers".into(),
                },
            )?;
            models.merge_provider(&source, id, table)?;
        }
        models.validate("your models.toml")?;
        Ok(Self {
            config_dir,
            config_path,
            file,
            models,
            templates,
            api_keys,
        })
    }

    /// The key for a provider: its environment variables first, then config.toml.
    /// Returns the key and where it came from.
    pub fn api_key(&self, provider: &ProviderDef) -> Option<(String, String)> {
        for var in &provider.key_env {
            if let Some(value) = non_empty_env(var) {
                return Some((value.trim().to_string(), var.clone()));
            }
        }
        self.api_keys
            .get(&provider.id)
            .map(|key| (key.clone(), "config.toml".to_string()))
    }

    /// The base URL: `CODINGIT_<ID>_BASE_URL`, then the provider's standard variables
    /// (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`, `OLLAMA_HOST`), then config/catalog.
    pub fn base_url(&self, provider: &ProviderDef) -> String {
        if let Some(url) = non_empty_env(&base_url_variable(&provider.id)) {
            return url.trim_end_matches('/').to_string();
        }
        for var in &provider.base_url_env {
            if let Some(url) = non_empty_env(var) {
                return url.trim_end_matches('/').to_string();
            }
        }
        if provider.id == "ollama" {
            if let Some(host) = non_empty_env("OLLAMA_HOST") {
                return ollama_base_url(&host);
            }
        }
        provider.base_url.trim_end_matches('/').to_string()
    }

    /// Whether a provider is usable now. Local servers are probed (bounded, < 1 s).
    pub fn availability(&self, provider: &ProviderDef) -> Availability {
        if let Some((_, source)) = self.api_key(provider) {
            return Availability::KeySet { source };
        }
        if provider.local {
            let url = self.base_url(provider);
            return if http_answers(&url) {
                Availability::ServerUp { url }
            } else {
                Availability::ServerDown { url }
            };
        }
        Availability::KeyMissing {
            variables: provider.key_env.clone(),
        }
    }

    /// What a local (OpenAI-compatible) provider's server serves, when it says; None
    /// for cloud providers and servers that do not list their models.
    pub fn served_models(&self, provider: &ProviderDef) -> Option<Vec<String>> {
        provider
            .local
            .then(|| served_models(&self.base_url(provider)))
            .flatten()
    }

    /// The model to use: the flag, else `CODINGIT_MODEL`, else `defaults.model`, else
    /// the first preferred model whose provider has a key.
    pub fn model_spec(&self, flag: Option<&str>) -> Result<String, ConfigError> {
        if let Some(spec) = flag.filter(|s| !s.trim().is_empty()) {
            return Ok(spec.trim().to_string());
        }
        if let Some(spec) = non_empty_env("CODINGIT_MODEL") {
            return Ok(spec.trim().to_string());
        }
        if let Some(spec) = self
            .file
            .defaults
            .model
            .as_ref()
            .filter(|s| !s.trim().is_empty())
        {
            return Ok(spec.trim().to_string());
        }
        for spec in PREFERRED_DEFAULT_MODELS {
            if let Ok(resolved) = self.models.resolve(spec) {
                if self.api_key(&resolved.provider).is_some() {
                    return Ok((*spec).to_string());
                }
            }
        }
        Err(ConfigError::Invalid {
            message: "no model chosen and no provider key found".into(),
            hint: "pass -m provider/model, set CODINGIT_MODEL or defaults.model in config.toml, \
                   or set a key such as OPENAI_API_KEY or ANTHROPIC_API_KEY (`codingit models providers` lists them)"
                .into(),
        })
    }

    /// The template to use: flag, else `CODINGIT_TEMPLATE`, else `defaults.template`, else `auto`.
    pub fn template_spec(&self, flag: Option<&str>) -> String {
        flag.map(str::to_string)
            .or_else(|| non_empty_env("CODINGIT_TEMPLATE"))
            .or_else(|| self.file.defaults.template.clone())
            .unwrap_or_else(|| "auto".to_string())
    }
}

/// `CODINGIT_<ID>_BASE_URL`, the id upper-cased with other characters as `_`.
pub fn base_url_variable(provider_id: &str) -> String {
    let id: String = provider_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("CODINGIT_{id}_BASE_URL")
}

fn merge_user_file(
    path: &Path,
    merge: impl FnOnce(&str, &str) -> Result<(), ConfigError>,
) -> Result<(), ConfigError> {
    match file::read_config_text(path) {
        Ok(text) => merge(&path.display().to_string(), &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ConfigError::Invalid {
            message: format!("cannot read {}: {e}", path.display()),
            hint: "check the file's permissions".into(),
        }),
    }
}

/// The provider fields of a `[providers.ID]` config entry as a catalog table.
fn provider_table(id: &str, s: &ProviderSettings, known: bool) -> Result<toml::Table, String> {
    let mut table = toml::Table::new();
    let mut put = |key: &str, value: toml::Value| {
        table.insert(key.to_string(), value);
    };
    if let Some(v) = &s.name {
        put("name", v.clone().into());
    }
    if let Some(v) = &s.protocol {
        put("protocol", v.clone().into());
    }
    if let Some(v) = &s.base_url {
        put("base_url", v.clone().into());
    }
    if let Some(v) = &s.key_env {
        put(
            "key_env",
            toml::Value::Array(v.iter().cloned().map(Into::into).collect()),
        );
    }
    if let Some(v) = &s.structured_output {
        put("structured_output", v.clone().into());
    }
    if let Some(v) = s.local {
        put("local", v.into());
    }
    if let Some(v) = s.bounded_schema {
        put("bounded_schema", v.into());
    }
    if !s.headers.is_empty() {
        let headers: toml::Table = s
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into()))
            .collect();
        put("headers", toml::Value::Table(headers));
    }
    if !known {
        if s.base_url.is_none() {
            return Err(format!(
                "`{id}` is not a built-in provider, so it needs base_url"
            ));
        }
        table.entry("name").or_insert_with(|| id.to_string().into());
        table.entry("protocol").or_insert_with(|| "openai".into());
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_variable_names() {
        assert_eq!(base_url_variable("google"), "CODINGIT_GOOGLE_BASE_URL");
        assert_eq!(
            base_url_variable("lm-studio"),
            "CODINGIT_LM_STUDIO_BASE_URL"
        );
    }

    #[test]
    fn new_provider_needs_base_url() {
        let s = ProviderSettings::default();
        assert!(provider_table("lab", &s, false).is_err());
        let s = ProviderSettings {
            base_url: Some("http://127.0.0.1:8080/v1".into()),
            ..s
        };
        let table = provider_table("lab", &s, false).unwrap_or_default();
        assert_eq!(
            table.get("protocol").and_then(|v| v.as_str()),
            Some("openai")
        );
    }
}
