//! Work on any repository: a folder that `new` did not create.
//!
//! A repository is untrusted like a project (it may be anyone's clone): its files are
//! listed with the `.gitignore` rules, read through a [`crate::safefs::Root`] handle,
//! and only text that fits is shown to a model. The model answers with edits to
//! several files ([`answer`]), merged by the local edit engine all or nothing, shown
//! as one patch that `git apply` accepts ([`patch`]), and written with an undo
//! snapshot kept outside the repository ([`store`]). Git is used only when asked
//! ([`git`]).

pub mod answer;
pub mod check;
pub mod detect;
pub mod git;
pub mod listing;
pub mod patch;
pub mod prompt;
pub mod select;
pub mod store;
pub mod symbols;
pub mod walk;

use std::path::PathBuf;

/// What can go wrong in repository mode, each with the way out.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("--file {0} matches no file that can be sent (text, not ignored, not too large)\n  how to fix: check the path or glob; `codingit chat -v` lists what was left out and why")]
    NoMatch(String),
    #[error("the files named with --file need about {needed} tokens, more than the context budget of {budget}\n  how to fix: name fewer files, or raise --context-tokens (the model's window permitting)")]
    OverBudget { needed: u64, budget: u64 },
    #[error("git: {0}")]
    Git(String),
    #[error(transparent)]
    Project(#[from] crate::fragment::project::ProjectError),
}
