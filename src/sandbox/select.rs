//! Choosing a backend, and the sandbox settings every backend shares.

use super::docker::{DockerBackend, ImageOptions};
use super::{Backend, Limits, SandboxError};
use crate::config::Settings;

/// Which backend to use (`--backend`, `CODINGIT_BACKEND`, `defaults.backend`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendChoice {
    Auto,
    Docker,
    Local,
}

impl BackendChoice {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(Self::Auto),
            "docker" => Some(Self::Docker),
            "local" => Some(Self::Local),
            _ => None,
        }
    }
}

/// The image-build inputs from the settings.
pub fn image_options(settings: &Settings) -> ImageOptions {
    ImageOptions {
        base_image: settings.file.sandbox.base_image.clone(),
        ca_cert: settings.file.sandbox.ca_cert.clone(),
        user_templates: settings
            .config_dir
            .as_ref()
            .map(|d| d.join("sandbox-templates")),
    }
}

/// Resource limits from the settings (`sandbox.memory`, `cpus`, `pids`, `output_limit`).
pub fn limits(settings: &Settings) -> Result<Limits, SandboxError> {
    let s = &settings.file.sandbox;
    let mut limits = Limits::default();
    if let Some(memory) = &s.memory {
        limits.memory_bytes = parse_size(memory).ok_or_else(|| SandboxError::Backend(format!(
            "sandbox.memory = `{memory}` is not a size\n  how to fix: write it like \"512m\" or \"2g\""
        )))?;
    }
    if let Some(cpus) = s.cpus.filter(|c| *c > 0.0) {
        limits.cpus = cpus;
    }
    if let Some(pids) = s.pids.filter(|p| *p > 0) {
        limits.pids = pids;
    }
    if let Some(bytes) = s.output_limit.filter(|b| *b > 0) {
        limits.output_bytes = bytes;
    }
    Ok(limits)
}

/// `"512m"`, `"2g"`, `"1.5g"`, `"1048576"` → bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').unwrap_or(&t);
    let (number, factor) = match t.chars().last()? {
        'k' => (&t[..t.len() - 1], 1u64 << 10),
        'm' => (&t[..t.len() - 1], 1 << 20),
        'g' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    let value: f64 = number.trim().parse().ok()?;
    (value > 0.0).then_some((value * factor as f64) as u64)
}

/// Connects to the chosen backend. `auto` (the default) is Docker when an engine
/// answers; the local backend is not part of this build yet.
pub async fn connect(
    choice: Option<BackendChoice>,
    settings: &Settings,
) -> Result<Box<dyn Backend>, SandboxError> {
    let choice = choice
        .or_else(|| {
            settings
                .file
                .defaults
                .backend
                .as_deref()
                .and_then(BackendChoice::parse)
        })
        .unwrap_or(BackendChoice::Auto);
    match choice {
        BackendChoice::Docker | BackendChoice::Auto => {
            let backend = DockerBackend::connect(image_options(settings)).await?;
            Ok(Box::new(backend))
        }
        BackendChoice::Local => Err(SandboxError::Unavailable {
            message: "the local backend is not in this build".into(),
            hint: "use `--backend docker` (needs a Docker Engine)".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512m"), Some(512 << 20));
        assert_eq!(parse_size("2g"), Some(2 << 30));
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("lots"), None);
    }
}
