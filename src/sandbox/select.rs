//! Choosing a backend, and the sandbox settings every backend shares.
//!
//! `auto` is Docker when an engine answers (the one `DOCKER_HOST` names, if any), else
//! local. Commands on an existing sandbox look for its id in every usable backend.

use super::docker::{DockerBackend, ImageOptions};
use super::e2b::E2bBackend;
#[cfg(target_os = "linux")]
use super::local::LocalBackend;
use super::{Backend, Limits, SandboxError};
use crate::config::{SandboxSettings, Settings};

/// Which backend to use (`--backend`, `CODINGIT_BACKEND`, `defaults.backend`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Auto,
    Docker,
    Local,
    /// E2B (cloud, self-hosted, or an operator speaking its protocol); never chosen
    /// by `auto`, since it costs money.
    E2b,
}

/// The name the Docker-side code uses.
pub type BackendChoice = Choice;
impl Choice {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(Self::Auto),
            "docker" => Some(Self::Docker),
            "local" => Some(Self::Local),
            "e2b" => Some(Self::E2b),
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

/// Limits given on the command line; each one replaces the setting of the same name.
#[derive(Debug, Clone, Default)]
pub struct LimitFlags {
    /// `--memory`, a size like `512m`.
    pub memory: Option<String>,
    /// `--cpus`, cores.
    pub cpus: Option<f64>,
    /// `--pids`, processes.
    pub pids: Option<u32>,
}

/// The smallest memory limit the Docker Engine accepts (it refuses less than 6 MB).
const MIN_MEMORY: u64 = 6 << 20;
/// The smallest sandbox home accepted.
const MIN_HOME: u64 = 16 << 20;

/// Resource limits from the settings (`sandbox.memory`, `cpus`, `pids`, `output_limit`).
pub fn limits(settings: &Settings) -> Result<Limits, SandboxError> {
    limits_with(settings, &LimitFlags::default())
}

/// Resource limits from the command line, then the settings, then the defaults
/// (1 GiB, 1 CPU, 256 processes, 1 MiB of output per stream). A value that would
/// remove a limit (`0`, a negative or non-finite number) is refused with what to
/// write instead: no limit can be turned off.
pub fn limits_with(settings: &Settings, flags: &LimitFlags) -> Result<Limits, SandboxError> {
    limits_from(&settings.file.sandbox, flags)
}

fn limits_from(s: &SandboxSettings, flags: &LimitFlags) -> Result<Limits, SandboxError> {
    let mut limits = Limits::default();
    let memory = match (&flags.memory, &s.memory) {
        (Some(text), _) => Some(("--memory", text)),
        (None, Some(text)) => Some(("sandbox.memory", text)),
        (None, None) => None,
    };
    if let Some((name, text)) = memory {
        limits.memory_bytes = parse_size(text).map_err(|why| refused(name, text, &why))?;
    }
    match (flags.cpus, s.cpus) {
        (Some(cpus), _) => limits.cpus = cpus,
        (None, Some(cpus)) => limits.cpus = cpus,
        (None, None) => {}
    }
    match (flags.pids, s.pids) {
        (Some(pids), _) => limits.pids = pids,
        (None, Some(pids)) => limits.pids = pids,
        (None, None) => {}
    }
    if let Some(bytes) = s.output_limit {
        limits.output_bytes = bytes;
    }
    if let Some(text) = &s.home_size {
        limits.home_bytes =
            parse_size(text).map_err(|why| refused("sandbox.home_size", text, &why))?;
    }
    check_limits(&limits)?;
    Ok(limits)
}

fn refused(name: &str, text: &str, why: &str) -> SandboxError {
    SandboxError::Limit(format!(
        "{name} = `{}` is refused: {why}\n  how to fix: write a size like \"512m\" or \"2g\" \
         (a limit cannot be turned off)",
        text.escape_debug()
    ))
}

/// Refuses limits that would remove a bound on the engine or the kernel (a memory,
/// CPU or process limit of 0 means "unlimited" to Docker and to cgroups). Every
/// backend checks the limits it is given with this before it creates a sandbox.
pub fn check_limits(limits: &Limits) -> Result<(), SandboxError> {
    if limits.memory_bytes < MIN_MEMORY {
        return Err(SandboxError::Limit(format!(
            "a memory limit of {} is refused: {}\n  how to fix: write a size of at least 6m, \
             like \"512m\" or \"2g\" (a limit cannot be turned off)",
            format_size(limits.memory_bytes),
            if limits.memory_bytes == 0 {
                "0 would remove the limit"
            } else {
                "the engine needs at least 6 MiB"
            }
        )));
    }
    if i64::try_from(limits.memory_bytes).is_err() {
        return Err(SandboxError::Limit(
            "the memory limit is too large\n  how to fix: write a size like \"512m\" or \"2g\""
                .into(),
        ));
    }
    if !limits.cpus.is_finite() || limits.cpus < 0.01 || limits.cpus > 1024.0 {
        return Err(SandboxError::Limit(format!(
            "a CPU limit of {} is refused{}\n  how to fix: write a number of cores from 0.01, \
             like 0.5 or 2 (a limit cannot be turned off)",
            limits.cpus,
            if limits.cpus == 0.0 {
                ": 0 would remove the limit"
            } else {
                ""
            }
        )));
    }
    if limits.pids == 0 {
        return Err(SandboxError::Limit(
            "a process limit of 0 is refused: it would remove the limit\n  how to fix: write a \
             number of processes, like 256 (a limit cannot be turned off)"
                .into(),
        ));
    }
    if limits.home_bytes < MIN_HOME {
        return Err(SandboxError::Limit(format!(
            "a home of {} is refused: {}\n  how to fix: write a size of at least 16m, like \
             \"512m\" or \"2g\" (a limit cannot be turned off)",
            format_size(limits.home_bytes),
            if limits.home_bytes == 0 {
                "0 would remove the limit"
            } else {
                "the template's files need room"
            }
        )));
    }
    if limits.output_bytes == 0 {
        return Err(SandboxError::Limit(
            "an output limit of 0 is refused\n  how to fix: write a number of bytes kept per \
             stream, like 1048576"
                .into(),
        ));
    }
    Ok(())
}

/// Parses a size: `"512m"`, `"2g"`, `"1.5g"`, `"512MiB"`, `"64kb"`, `"1048576"`
/// (bytes); units k, m, g, t are powers of 1024, with an optional `i` and `b`.
/// The one size parser of codingit: it refuses 0 (Docker and cgroups read it as
/// "unlimited"), negative and non-finite numbers, sizes past what the engine takes
/// (2^63 - 1 bytes), and anything else, with the reason.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim().to_ascii_lowercase();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim_start();
    let unit = unit.strip_suffix('b').unwrap_or(unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let shift = match unit {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err("not a size".into()),
    };
    // Digits and at most one dot only: no sign, exponent, `inf` or `nan`.
    if number.is_empty()
        || number == "."
        || number.matches('.').count() > 1
        || !number.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return Err("not a size".into());
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| "too large".to_string())?
    };
    let mut bytes = whole.checked_shl(shift).ok_or("too large")?;
    if bytes > u128::from(u64::MAX) {
        return Err("too large".into());
    }
    // The fraction, rounded down to whole bytes (18 digits are plenty).
    let digits = &fraction[..fraction.len().min(18)];
    if !digits.is_empty() {
        let numerator: u128 = digits.parse().map_err(|_| "not a size".to_string())?;
        let denominator = 10u128.pow(u32::try_from(digits.len()).unwrap_or(18));
        bytes += (numerator << shift) / denominator;
    }
    if bytes == 0 {
        return Err("0 would remove the limit".into());
    }
    u64::try_from(bytes)
        .ok()
        .filter(|b| i64::try_from(*b).is_ok())
        .ok_or_else(|| "too large".into())
}

/// A size for people: `1 GiB`, `512 MiB`, `1.5 GiB`, `300 B`.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        let size = 1u64 << shift;
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            let text = format!("{value:.1}");
            let text = text.strip_suffix(".0").unwrap_or(&text);
            return format!("{text} {unit}");
        }
    }
    format!("{bytes} B")
}

/// What `run` says when its program was killed for running out of memory
/// (`ExecOutcome::oom_killed`): `killed: out of memory (limit 1 GiB); raise --memory`.
pub fn oom_message(limits: &Limits) -> String {
    format!(
        "killed: out of memory (limit {}); raise --memory (or sandbox.memory)",
        format_size(limits.memory_bytes)
    )
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

/// Connects to the chosen backend. With `auto`, Docker when an engine answers, else
/// local; but an engine named by `DOCKER_HOST` is that engine or an error, never local
/// (and never E2B, which only `e2b` picks).
pub async fn connect(
    choice: Choice,
    settings: &Settings,
    options: ConnectOptions,
) -> Result<Box<dyn Backend>, SandboxError> {
    match choice {
        Choice::Docker => Ok(Box::new(
            DockerBackend::connect(image_options(settings)).await?,
        )),
        Choice::Local => local(options, settings),
        Choice::E2b => Ok(Box::new(e2b(settings)?)),
        Choice::Auto => match DockerBackend::connect(image_options(settings)).await {
            Ok(docker) => Ok(Box::new(docker)),
            Err(e) if super::docker::host_is_named() => Err(e),
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
    // Only when a key is set: listing asks the E2B API, nothing is created.
    if std::env::var_os("E2B_API_KEY").is_some() {
        if let Ok(e2b) = e2b(settings) {
            backends.push(Box::new(e2b));
        }
    }
    backends
}

/// The E2B backend from the environment and `[sandbox.e2b_templates]`.
fn e2b(settings: &Settings) -> Result<E2bBackend, SandboxError> {
    E2bBackend::from_env(
        settings
            .file
            .sandbox
            .e2b_templates
            .clone()
            .unwrap_or_default(),
    )
}

#[cfg(test)]
#[path = "select_tests.rs"]
mod tests;
