//! The sandbox flags every command that runs code shares, and their hand-off to the
//! library's run plan.

use clap::{Args, ValueEnum};
use codingit::sandbox::job::PlanFlags;
use codingit::sandbox::select::Choice;

/// Sandbox choice and limits, shared by every command that runs code.
#[derive(Debug, Args, Clone, Default)]
pub struct SandboxOptions {
    /// Sandbox backend.
    #[arg(long, value_enum, value_name = "BACKEND", env = "CODINGIT_BACKEND")]
    pub backend: Option<BackendChoice>,
    /// Allow network access from the sandbox (off by default).
    #[arg(long)]
    pub network: bool,
    /// Memory limit, e.g. 512m or 2g.
    #[arg(long, value_name = "SIZE")]
    pub memory: Option<String>,
    /// CPU limit in cores.
    #[arg(long, value_name = "N")]
    pub cpus: Option<f64>,
    /// DANGEROUS: run even when the kernel cannot enforce every confinement rule
    /// (local backend); prints a warning.
    #[arg(long, env = "CODINGIT_UNSAFE_NO_CONFINEMENT")]
    pub unsafe_no_confinement: bool,
}

impl SandboxOptions {
    /// What these flags (with their environment variables) say, for the run plan.
    pub fn flags(&self, timeout: Option<std::time::Duration>) -> PlanFlags {
        PlanFlags {
            backend: self.backend.map(BackendChoice::choice),
            network: self.network,
            memory: self.memory.clone(),
            cpus: self.cpus,
            unsafe_no_confinement: self.unsafe_no_confinement,
            timeout,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendChoice {
    Auto,
    Docker,
    Local,
    /// E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto).
    E2b,
}

impl BackendChoice {
    /// The library's name for this choice.
    pub fn choice(self) -> Choice {
        match self {
            Self::Auto => Choice::Auto,
            Self::Docker => Choice::Docker,
            Self::Local => Choice::Local,
            Self::E2b => Choice::E2b,
        }
    }
}
