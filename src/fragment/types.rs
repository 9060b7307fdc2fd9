//! The fragment: what `new` and `chat` ask the model for.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One generated app: the ten fields of the seed platform plus further files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fragment {
    /// Describe in detail what you are about to do and the steps you will take.
    pub commentary: String,
    /// Id of the template the fragment is written for.
    pub template: String,
    /// Short title of the fragment, at most 3 words.
    pub title: String,
    /// Short description of the fragment, one sentence.
    pub description: String,
    /// Package names the fragment needs beyond those the template already has.
    pub additional_dependencies: Vec<String>,
    /// Whether additional dependencies are needed.
    pub has_additional_dependencies: bool,
    /// Command that would install the additional dependencies (informative only; never run).
    pub install_dependencies_command: String,
    /// Port the app listens on, or null when it serves nothing.
    pub port: Option<u16>,
    /// Relative path of the main file, including the file name.
    pub file_path: String,
    /// Content of the main file: runnable code only, no markdown fences.
    pub code: String,
    /// Further files of the project (may be empty).
    pub files: Vec<FragmentFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FragmentFile {
    /// Relative path of the file, including the file name.
    pub file_path: String,
    /// Content of the file.
    pub code: String,
}

impl Fragment {
    /// Every file of the fragment, the main file first.
    pub fn all_files(&self) -> Vec<(&str, &str)> {
        std::iter::once((self.file_path.as_str(), self.code.as_str()))
            .chain(
                self.files
                    .iter()
                    .map(|f| (f.file_path.as_str(), f.code.as_str())),
            )
            .collect()
    }
}

/// A lazy edit of one file, as `chat --lazy` asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileEdit {
    /// Relative path of the file to change or create.
    pub file_path: String,
    /// What this edit does to the file.
    pub instruction: String,
    /// The changed code with unchanged regions elided by a marker comment such as
    /// `// ... existing code ...`; for a new file, its whole content.
    pub edit: String,
}

/// The answer of `chat --lazy`: edits per file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LazyAnswer {
    /// What you are about to change and why.
    pub commentary: String,
    /// One edit per changed or new file.
    pub edits: Vec<FileEdit>,
}

/// The answer of `edit FILE INSTRUCTION`: one lazy edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SingleEdit {
    /// What you are about to change and why.
    pub commentary: String,
    /// The instruction, restated in one sentence.
    pub instruction: String,
    /// The changed code with unchanged regions elided by a marker comment such as
    /// `// ... existing code ...`.
    pub edit: String,
    /// Relative path of the edited file.
    pub file_path: String,
}
