//! Choosing a backend, and the sandbox settings every backend shares.
//!
//! `auto` is Docker when an engine answers, else the local backend. Commands on an
//! existing sandbox look for its id in every usable backend.

use super::docker::{DockerBackend, ImageOptions};
#[cfg(target_os = "linux")]
use super::local::LocalBackend;
use super::{Backend, Limits, SandboxError};
use crate::config::Settings;

/// Which backend to use (`--backend`, `CODINGIT_BACKEND`, `defaults.backend`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Auto,
    Docker,
    Local,
}

/// The name the Docker-side code uses.
pub type BackendChoice = Choice;

impl Choice {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(Self::Auto),
            "docker" => Some(Self::Docker),
            "local" => Some(Self::Local),
            _ => None,
        }
    }
}

/// Options of the local backend that the command line sets.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConnectOptions {
    /// Run even when the kernel cannot enforce every confinement rule.
    pub unsafe_no_confinement: bool,
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

fn local(options: ConnectOptions, settings: &Settings) -> Result<Box<dyn Backend>, SandboxError> {
    #[cfg(target_os = "linux")]
    {
        let env_allow = settings.file.sandbox.env_allow.clone().unwrap_or_default();
        Ok(Box::new(
            LocalBackend::new(options.unsafe_no_confinement)?.with_env_allow(env_allow),
        ))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (options, settings);
        Err(SandboxError::Unavailable {
            message: "the local backend needs Linux (Landlock, seccomp)".into(),
            hint: "use `--backend docker`".into(),
        })
    }
}

/// The choice from the flag, else `defaults.backend`, else auto.
pub fn resolve_choice(choice: Option<Choice>, settings: &Settings) -> Choice {
    choice
        .or_else(|| {
            settings
                .file
                .defaults
                .backend
                .as_deref()
                .and_then(Choice::parse)
        })
        .unwrap_or(Choice::Auto)
}

/// Connects to the chosen backend. With `auto`, Docker when an engine answers, else
/// local.
pub async fn connect(
    choice: Option<Choice>,
    settings: &Settings,
    options: ConnectOptions,
) -> Result<Box<dyn Backend>, SandboxError> {
    match resolve_choice(choice, settings) {
        Choice::Docker => Ok(Box::new(
            DockerBackend::connect(image_options(settings)).await?,
        )),
        Choice::Local => local(options, settings),
        Choice::Auto => match DockerBackend::connect(image_options(settings)).await {
            Ok(docker) => Ok(Box::new(docker)),
            Err(_) => local(options, settings),
        },
    }
}

/// Every backend usable now (Docker when an engine answers, local when the kernel
/// can confine), for listing sandboxes and finding one by id.
pub async fn connect_all(settings: &Settings) -> Vec<Box<dyn Backend>> {
    let mut backends: Vec<Box<dyn Backend>> = Vec::new();
    if let Ok(docker) = DockerBackend::connect(image_options(settings)).await {
        backends.push(Box::new(docker));
    }
    if let Ok(local) = local(ConnectOptions::default(), settings) {
        backends.push(local);
    }
    backends
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
