//! Exit codes (documented in docs/exit-codes.md) and the error type of the binary edge.

use std::fmt;

/// Every exit code codingit uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Failure = 1,
    Usage = 2,
    EditRefused = 3,
    Auth = 4,
    InvalidOutput = 5,
    Provider = 6,
    Sandbox = 7,
    /// The model declined to answer (a refusal or a provider's safety block).
    Refused = 8,
    /// `--check`: the checks still fail after the last fix round (or `run --check`
    /// failed).
    ChecksFailed = 9,
    /// `--max-cost`, `--max-tokens` or `--max-time` stopped the run.
    Budget = 10,
    Config = 78,
    RunTimeout = 124,
    RunSetup = 125,
    Cancelled = 130,
}

/// An error that knows its exit code; printed once, on stderr, by `main`.
#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
    /// Set when the message was already reported (e.g. as a JSON result).
    pub reported: bool,
    /// An exit code passed through from a sandboxed program, instead of `exit`'s.
    pub code: Option<u8>,
}

impl CliError {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            reported: false,
            code: None,
        }
    }

    pub fn reported(exit: Exit) -> Self {
        Self {
            exit,
            message: String::new(),
            reported: true,
            code: None,
        }
    }

    /// Exits with a sandboxed program's own exit code.
    pub fn with_code(mut self, code: u8) -> Self {
        self.code = Some(code);
        self
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        self.code.unwrap_or(self.exit as u8)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl From<codingit::config::ConfigError> for CliError {
    fn from(e: codingit::config::ConfigError) -> Self {
        let exit = match e {
            codingit::config::ConfigError::MissingKey { .. } => Exit::Auth,
            _ => Exit::Config,
        };
        Self::new(exit, e.to_string())
    }
}

/// The exit code of a model error.
pub fn llm_exit(e: &codingit::llm::LlmError) -> Exit {
    use codingit::llm::LlmError;
    match e {
        LlmError::Auth { .. } => Exit::Auth,
        LlmError::InvalidOutput { .. } | LlmError::Truncated { .. } => Exit::InvalidOutput,
        LlmError::Refused { .. } => Exit::Refused,
        LlmError::Cancelled => Exit::Cancelled,
        LlmError::Config { .. } => Exit::Config,
        _ => Exit::Provider,
    }
}

impl From<codingit::llm::LlmError> for CliError {
    fn from(e: codingit::llm::LlmError) -> Self {
        Self::new(llm_exit(&e), e.to_string())
    }
}

impl From<codingit::fragment::project::ProjectError> for CliError {
    fn from(e: codingit::fragment::project::ProjectError) -> Self {
        use codingit::fragment::project::ProjectError;
        let exit = match e {
            ProjectError::NotEmpty(_)
            | ProjectError::NotAProject(_)
            | ProjectError::NothingToUndo(_)
            | ProjectError::Hostile { .. } => Exit::Usage,
            ProjectError::Io { .. } => Exit::Failure,
        };
        Self::new(exit, e.to_string())
    }
}

impl From<codingit::catalog::CatalogError> for CliError {
    fn from(e: codingit::catalog::CatalogError) -> Self {
        Self::new(Exit::Config, e.to_string())
    }
}

impl From<codingit::catalog::TemplateError> for CliError {
    fn from(e: codingit::catalog::TemplateError) -> Self {
        Self::new(Exit::Config, e.to_string())
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

impl From<codingit::repo::RepoError> for CliError {
    fn from(e: codingit::repo::RepoError) -> Self {
        use codingit::repo::RepoError;
        match e {
            RepoError::Project(p) => p.into(),
            RepoError::Io { .. } => CliError::new(Exit::Failure, e.to_string()),
            other => CliError::new(Exit::Usage, other.to_string()),
        }
    }
}
