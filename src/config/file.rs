//! The user's `config.toml`: its shape and how a broken file is reported.

use super::duration::serde_opt;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything `config.toml` may hold. Unknown keys are refused so a typo is noticed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub defaults: Defaults,
    #[serde(default)]
    pub llm: LlmSettings,
    #[serde(default)]
    pub sandbox: SandboxSettings,
    /// Provider settings by provider id; an id not in the catalog defines a new provider.
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderSettings>,
    #[serde(default)]
    pub logs: LogsSettings,
    #[serde(default)]
    pub check: CheckSettings,
}

/// Generate-until-it-works (docs/check.md); flags win over these.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    /// `true`: `new` and `chat` always check what they wrote (as `--check`).
    pub enabled: Option<bool>,
    pub fix_rounds: Option<u32>,
    pub max_cost: Option<f64>,
    pub max_tokens: Option<u64>,
    #[serde(default, deserialize_with = "serde_opt::deserialize")]
    pub max_time: Option<Duration>,
}

/// The run log (docs/logs.md).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogsSettings {
    /// `false` records nothing (as `--no-log` on every command).
    pub enabled: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Default model, as `provider/model` or a unique bare id.
    pub model: Option<String>,
    /// Default template id, or `auto`.
    pub template: Option<String>,
    /// Default sandbox backend: `auto`, `docker` or `local`.
    pub backend: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LlmSettings {
    #[serde(default, deserialize_with = "serde_opt::deserialize")]
    pub connect_timeout: Option<Duration>,
    #[serde(default, deserialize_with = "serde_opt::deserialize")]
    pub first_byte_timeout: Option<Duration>,
    #[serde(default, deserialize_with = "serde_opt::deserialize")]
    pub total_timeout: Option<Duration>,
    /// Attempts per request, the first one included.
    pub max_attempts: Option<u32>,
    #[serde(default, deserialize_with = "serde_opt::deserialize")]
    pub max_retry_time: Option<Duration>,
    /// Rounds in which an invalid answer is sent back to the model to be repaired.
    pub repair_rounds: Option<u32>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    /// Sampling seed, for providers that honour one (reproducible local runs).
    pub seed: Option<u64>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxSettings {
    /// Memory limit such as `"1g"` or `"512m"`.
    pub memory: Option<String>,
    pub cpus: Option<f64>,
    pub pids: Option<u32>,
    /// Default lifetime of a detached sandbox.
    #[serde(default, deserialize_with = "serde_opt::deserialize")]
    pub timeout: Option<Duration>,
    /// Wall-clock limit of one interpreter run.
    #[serde(default, deserialize_with = "serde_opt::deserialize")]
    pub exec_timeout: Option<Duration>,
    /// Extra CA certificate (PEM) trusted by template builds, for TLS-intercepting proxies.
    pub ca_cert: Option<PathBuf>,
    /// Base image for template builds (default: the public image of each template).
    pub base_image: Option<String>,
    /// Output cap in bytes per stream.
    pub output_limit: Option<u64>,
    /// Size of the sandbox home such as `"1g"` (Docker: held in memory).
    pub home_size: Option<String>,
    /// Ready sandboxes kept per interpreter template and settings on Docker (a warm
    /// pool shared by invocations); default 1, 0 turns it off.
    pub pool: Option<usize>,
    /// Names of codingit's environment variables passed into a local sandbox with
    /// `--network` (none by default: proxies, index URLs and tokens carry secrets).
    pub env_allow: Option<Vec<String>>,
    /// Our template id → the E2B template its sandboxes start from (default: the
    /// same name, which is the platform's own E2B template).
    pub e2b_templates: Option<BTreeMap<String, String>>,
}

/// Settings for one provider. For a catalog provider every field is optional and
/// overrides the built-in value; a new provider needs at least `base_url`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSettings {
    pub name: Option<String>,
    /// Wire protocol: `openai`, `anthropic` or `gemini`.
    pub protocol: Option<String>,
    pub base_url: Option<String>,
    /// The key itself (prefer an environment variable; this file should be private).
    pub api_key: Option<String>,
    /// Environment variable(s) holding the key.
    pub key_env: Option<Vec<String>>,
    /// `json_schema`, `json_object` or `prompt`: how the server takes structured output.
    pub structured_output: Option<String>,
    /// A local server: available when it answers, no key needed.
    pub local: Option<bool>,
    /// The server honours `maxLength`/`maxItems` in schemas (llama.cpp, vLLM).
    pub bounded_schema: Option<bool>,
    /// Extra HTTP headers sent with every request.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

/// A configuration file that could not be used, with where and how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("{path}{location}: {message}\n  how to fix: {hint}")]
pub struct ConfigFileError {
    pub path: PathBuf,
    /// `":LINE:COLUMN"` when known, else empty.
    pub location: String,
    pub message: String,
    pub hint: String,
}

impl ConfigFileError {
    pub fn new(path: &Path, location: String, message: String, hint: &str) -> Self {
        Self {
            path: path.to_path_buf(),
            location,
            message,
            hint: hint.to_string(),
        }
    }

    /// Builds the error for a TOML parse or shape failure, with line and column.
    pub fn from_toml(path: &Path, text: &str, err: &toml::de::Error) -> Self {
        let location = err
            .span()
            .map(|span| {
                let (line, column) = line_and_column(text, span.start);
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        let message = err.message().trim().to_string();
        Self::new(
            path,
            location,
            message,
            "correct that line (see docs/configuration.md for every key), or move the file aside to use the defaults",
        )
    }
}

/// 1-based line and column of a byte offset.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

impl ConfigFile {
    /// Reads `path`; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<Self, ConfigFileError> {
        let text = match read_config_text(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(ConfigFileError::new(
                    path,
                    String::new(),
                    format!("cannot read: {e}"),
                    "point CODINGIT_CONFIG at a regular text file under 1 MiB (not a pipe or device), or check its permissions",
                ))
            }
        };
        Self::parse(path, &text)
    }
}

/// Largest configuration file read.
pub const CONFIG_MAX_BYTES: u64 = 1 << 20;

/// Reads a configuration file: regular files only, at most [`CONFIG_MAX_BYTES`]. It is
/// opened without blocking and checked before any read, so a FIFO or `/dev/zero`
/// given as the path is refused at once instead of hanging or reading forever.
pub fn read_config_text(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > CONFIG_MAX_BYTES {
        return Err(std::io::Error::other("larger than 1 MiB"));
    }
    let mut bytes = Vec::new();
    file.take(CONFIG_MAX_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > CONFIG_MAX_BYTES {
        return Err(std::io::Error::other("larger than 1 MiB"));
    }
    String::from_utf8(bytes).map_err(|_| std::io::Error::other("not UTF-8 text"))
}

impl ConfigFile {
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigFileError> {
        toml::from_str(text).map_err(|e| ConfigFileError::from_toml(path, text, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_line_and_column_of_a_bad_value() {
        let text = "[defaults]\nmodel = \"a\"\n\n[llm]\nmax_attempts = \"many\"\n";
        let err = ConfigFile::parse(Path::new("config.toml"), text).err();
        let shown = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(shown.starts_with("config.toml:5:"), "{shown}");
        assert!(shown.contains("how to fix"), "{shown}");
    }

    #[test]
    fn refuses_unknown_keys() {
        let err = ConfigFile::parse(Path::new("c.toml"), "[defaults]\nmodle = \"x\"\n").err();
        let shown = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(shown.contains("c.toml:2:1"), "{shown}");
        assert!(shown.contains("modle"), "{shown}");
    }

    #[test]
    fn devices_pipes_and_folders_are_refused_without_blocking() {
        for path in ["/dev/zero", "/dev/null", "/"] {
            let err = ConfigFile::load(Path::new(path)).err();
            let shown = err.map(|e| e.to_string()).unwrap_or_default();
            assert!(shown.contains("not a regular file"), "{path}: {shown}");
        }
        let Some(dir) = tempfile::tempdir().ok() else {
            return;
        };
        let fifo = dir.path().join("config.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let shown = ConfigFile::load(&fifo).err().map(|e| e.to_string());
            assert!(shown.unwrap_or_default().contains("not a regular file"));
        }
        let big = dir.path().join("big.toml");
        let _ = std::fs::write(&big, vec![b'#'; (CONFIG_MAX_BYTES + 1) as usize]);
        let shown = ConfigFile::load(&big).err().map(|e| e.to_string());
        assert!(shown.unwrap_or_default().contains("1 MiB"));
    }

    #[test]
    fn durations_accept_text_and_seconds() {
        let text = "[llm]\nconnect_timeout = \"5s\"\ntotal_timeout = 90\n";
        let cfg = ConfigFile::parse(Path::new("c.toml"), text).ok();
        let llm = cfg.map(|c| c.llm).unwrap_or_default();
        assert_eq!(llm.connect_timeout, Some(Duration::from_secs(5)));
        assert_eq!(llm.total_timeout, Some(Duration::from_secs(90)));
    }
}
