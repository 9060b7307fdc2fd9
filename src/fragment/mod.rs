//! Fragments: the schema the model answers with, the checks beyond it, the prompts,
//! and the project folder they are written to.

pub mod checks;
pub mod partial;
pub mod project;
pub mod prompt;
mod recover;
pub mod request;
pub mod schema;
pub mod turn;
mod types;
mod undo;
pub mod write;

pub use types::{FileEdit, Fragment, FragmentFile, LazyAnswer, SingleEdit};
