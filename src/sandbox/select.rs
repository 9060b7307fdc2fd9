//! Choosing a backend: `auto` is Docker when an engine answers, else local.

use super::local::LocalBackend;
use super::{Backend, SandboxError};
use crate::config::Settings;

/// Which backend the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Auto,
    Docker,
    Local,
}

impl Choice {
    /// From the config file's `defaults.backend`; None for an unknown word.
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

/// Connects to the chosen backend. The Docker backend is not part of this build yet,
/// so `auto` resolves to local and `docker` is refused with how to proceed.
pub async fn connect(
    choice: Choice,
    _settings: &Settings,
    options: ConnectOptions,
) -> Result<Box<dyn Backend>, SandboxError> {
    match choice {
        Choice::Docker => Err(SandboxError::Unavailable {
            message: "the docker backend is not in this build".into(),
            hint: "use `--backend local` (or `auto`)".into(),
        }),
        Choice::Auto | Choice::Local => {
            Ok(Box::new(LocalBackend::new(options.unsafe_no_confinement)?))
        }
    }
}
