//! The run plan: every setting a sandboxed run needs, resolved once from the command
//! line (whose flags already include their environment variables), then the settings
//! file, then the built-in defaults. `run`, `new --run`, chat's `/run` and the checks
//! all run from a plan, so no command can quietly skip a setting another one honours.

use super::RunError;
use crate::config::Settings;
use crate::sandbox::select::{self, Choice, ConnectOptions, LimitFlags};
use crate::sandbox::{Backend, Limits, SandboxError};
use std::time::Duration;

/// A run's time limit when neither `--timeout` nor `sandbox.exec_timeout` says.
pub const DEFAULT_EXEC_TIMEOUT: Duration = Duration::from_secs(600);
/// A check's time limit (a cell, a test command) when `sandbox.exec_timeout` is unset.
pub const DEFAULT_CHECK_TIMEOUT: Duration = Duration::from_secs(300);
/// A detached web app's lifetime when neither `--timeout` nor `sandbox.timeout` says.
pub const DEFAULT_APP_LIFETIME: Duration = Duration::from_secs(600);
/// A sandbox outlives its program's time limit by this much, so the limit (not the
/// sandbox's expiry) is what stops a program that runs too long.
const LIFETIME_MARGIN: Duration = Duration::from_secs(60);

/// What the command line says about the sandbox (each `None`: not given).
#[derive(Debug, Clone, Default)]
pub struct PlanFlags {
    /// `--backend` (or `CODINGIT_BACKEND`).
    pub backend: Option<Choice>,
    /// `--network`.
    pub network: bool,
    /// `--memory`, a size like `512m`.
    pub memory: Option<String>,
    /// `--cpus`.
    pub cpus: Option<f64>,
    /// `--unsafe-no-confinement` (or `CODINGIT_UNSAFE_NO_CONFINEMENT`).
    pub unsafe_no_confinement: bool,
    /// `--timeout`: a run's time limit, or a detached app's lifetime.
    pub timeout: Option<Duration>,
}

/// Everything a sandboxed run is set up with.
#[derive(Debug, Clone)]
pub struct RunPlan {
    pub backend: Choice,
    pub connect: ConnectOptions,
    pub network: bool,
    pub limits: Limits,
    /// Given by `--timeout` or `sandbox.exec_timeout` (else each use has its default).
    exec_timeout: Option<Duration>,
    /// A detached app's lifetime: `--timeout`, `sandbox.timeout`, or the default.
    pub app_lifetime: Duration,
    /// Ready sandboxes kept per interpreter template (`sandbox.pool`, default 1).
    pub pool: usize,
}

impl RunPlan {
    /// Resolves the plan; a setting that names no backend, or a limit that would
    /// remove a bound, is an error rather than a silent default.
    pub fn resolve(flags: &PlanFlags, settings: &Settings) -> Result<Self, RunError> {
        let sandbox = &settings.file.sandbox;
        let limits = select::limits_with(
            settings,
            &LimitFlags {
                memory: flags.memory.clone(),
                cpus: flags.cpus,
                pids: None,
            },
        )
        .map_err(|e| match e {
            SandboxError::Limit(message) => RunError::Usage(message),
            other => RunError::Sandbox(other),
        })?;
        Ok(Self {
            backend: backend_choice(flags.backend, settings)?,
            connect: ConnectOptions {
                unsafe_no_confinement: flags.unsafe_no_confinement,
            },
            network: flags.network,
            limits,
            exec_timeout: flags.timeout.or(sandbox.exec_timeout),
            app_lifetime: flags
                .timeout
                .or(sandbox.timeout)
                .unwrap_or(DEFAULT_APP_LIFETIME),
            pool: sandbox.pool.unwrap_or(1),
        })
    }

    /// A program's time limit in `run`.
    pub fn exec_timeout(&self) -> Duration {
        self.exec_timeout.unwrap_or(DEFAULT_EXEC_TIMEOUT)
    }

    /// A check's time limit (a cell, a test command).
    pub fn check_timeout(&self) -> Duration {
        self.exec_timeout.unwrap_or(DEFAULT_CHECK_TIMEOUT)
    }

    /// How long a sandbox lives: a detached app its lifetime, anything else its
    /// program's time limit and a margin.
    pub fn lifetime(&self, detached_app: bool) -> Duration {
        if detached_app {
            self.app_lifetime
        } else {
            self.exec_timeout() + LIFETIME_MARGIN
        }
    }

    /// Connects to the planned backend.
    pub async fn connect(&self, settings: &Settings) -> Result<Box<dyn Backend>, SandboxError> {
        select::connect(self.backend, settings, self.connect).await
    }
}

/// The backend from the flag, else `defaults.backend`, else auto. A `defaults.backend`
/// that names no backend is refused: every command reads it through here.
pub fn backend_choice(flag: Option<Choice>, settings: &Settings) -> Result<Choice, RunError> {
    if let Some(choice) = flag {
        return Ok(choice);
    }
    match settings.file.defaults.backend.as_deref() {
        None => Ok(Choice::Auto),
        Some(text) => Choice::parse(text).ok_or_else(|| {
            RunError::Config(format!(
                "defaults.backend = `{text}` is not auto, docker, local or e2b"
            ))
        }),
    }
}
