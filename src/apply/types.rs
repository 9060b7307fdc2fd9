//! Public value types of the edit engine: formats, match levels, results and refusals.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The syntax an edit is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditFormat {
    /// Detect the format from the edit text.
    #[default]
    Auto,
    /// A snippet with `// ... existing code ...` style markers (or none).
    Lazy,
    /// `<<<<<<< SEARCH` blocks or a JSON list of `{old_string, new_string}`.
    SearchReplace,
    /// The `*** Begin Patch` format.
    Patch,
    /// A unified diff.
    Udiff,
}

impl EditFormat {
    /// Every format, `Auto` first.
    pub const ALL: [EditFormat; 5] = [
        EditFormat::Auto,
        EditFormat::Lazy,
        EditFormat::SearchReplace,
        EditFormat::Patch,
        EditFormat::Udiff,
    ];

    /// The snake_case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            EditFormat::Auto => "auto",
            EditFormat::Lazy => "lazy",
            EditFormat::SearchReplace => "search_replace",
            EditFormat::Patch => "patch",
            EditFormat::Udiff => "udiff",
        }
    }
}

impl fmt::Display for EditFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An edit format name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown edit format `{0}` (expected auto, lazy, search_replace, patch or udiff)")]
pub struct UnknownFormat(pub String);

impl FromStr for EditFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        Ok(match norm.as_str() {
            "auto" => EditFormat::Auto,
            "lazy" | "snippet" => EditFormat::Lazy,
            "search_replace" | "searchreplace" | "sr" | "edits" => EditFormat::SearchReplace,
            "patch" | "v4a" | "apply_patch" => EditFormat::Patch,
            "udiff" | "diff" | "unified" | "unified_diff" => EditFormat::Udiff,
            _ => return Err(UnknownFormat(s.to_string())),
        })
    }
}

/// How loosely a chunk had to be compared with the file before it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchLevel {
    /// Byte-for-byte equal lines.
    Exact,
    /// Equal after ignoring leading/trailing and repeated inner whitespace.
    WhitespaceTolerant,
    /// Equal up to one uniform indentation offset; new lines were re-indented.
    IndentShifted,
    /// Equal after folding Unicode quotes, dashes and spaces to ASCII.
    UnicodeFolded,
}

impl MatchLevel {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchLevel::Exact => "exact",
            MatchLevel::WhitespaceTolerant => "whitespace_tolerant",
            MatchLevel::IndentShifted => "indent_shifted",
            MatchLevel::UnicodeFolded => "unicode_folded",
        }
    }
}

impl fmt::Display for MatchLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A successful merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The whole new file content.
    #[serde(skip)]
    pub content: String,
    /// The format the edit was read as (never `Auto`).
    pub format: EditFormat,
    /// The match level of each chunk, hunk or edit, in order.
    pub levels: Vec<MatchLevel>,
    /// Things the caller should know, such as code kept at an edge without a marker.
    pub warnings: Vec<String>,
}

/// Why an edit was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// A chunk has no line that exists in the file, so its place is unknown.
    NoAnchor,
    /// A chunk's lines exist at several places and nothing tells which one.
    AmbiguousAnchor,
    /// The text to replace does not occur in the file.
    NotFound,
    /// The text to replace occurs several times.
    NotUnique,
    /// Chunks are not in file order.
    OutOfOrder,
    /// The edit text could not be read.
    ParseError,
    /// The merged result failed a safety check.
    ValidationFailed,
    /// The file already holds the edit's result.
    AlreadyApplied,
}

impl RefusalCode {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::NoAnchor => "no_anchor",
            RefusalCode::AmbiguousAnchor => "ambiguous_anchor",
            RefusalCode::NotFound => "not_found",
            RefusalCode::NotUnique => "not_unique",
            RefusalCode::OutOfOrder => "out_of_order",
            RefusalCode::ParseError => "parse_error",
            RefusalCode::ValidationFailed => "validation_failed",
            RefusalCode::AlreadyApplied => "already_applied",
        }
    }

    /// Every code.
    pub const ALL: [RefusalCode; 8] = [
        RefusalCode::NoAnchor,
        RefusalCode::AmbiguousAnchor,
        RefusalCode::NotFound,
        RefusalCode::NotUnique,
        RefusalCode::OutOfOrder,
        RefusalCode::ParseError,
        RefusalCode::ValidationFailed,
        RefusalCode::AlreadyApplied,
    ];

    fn advice(self) -> &'static str {
        match self {
            RefusalCode::NoAnchor => {
                "No line of this chunk exists in the file, so where it goes cannot be decided. \
                 Include at least one unchanged line from just above or below the change."
            }
            RefusalCode::AmbiguousAnchor => {
                "The chunk's unchanged lines occur at several places. Include more unchanged \
                 lines around the change so that they identify one place."
            }
            RefusalCode::NotFound => {
                "The text to replace did not appear in the file. Copy the lines exactly as they \
                 are in the file, including comments and indentation."
            }
            RefusalCode::NotUnique => {
                "The text to replace occurs more than once. Add surrounding lines so it occurs \
                 once, or ask to replace every occurrence (replace_all)."
            }
            RefusalCode::OutOfOrder => {
                "Chunks must follow the order of the file. Send them top to bottom."
            }
            RefusalCode::ParseError => "Fix the edit's syntax and send it again.",
            RefusalCode::ValidationFailed => {
                "The merged file failed a safety check. Check the markers and the lines around \
                 the change; to delete large parts of a file, spell out the deletion."
            }
            RefusalCode::AlreadyApplied => {
                "The file already contains this change. Do not send it again."
            }
        }
    }
}

impl fmt::Display for RefusalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A window of the file that resembles a chunk that did not match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosestLines {
    /// 1-based line number of the window's first line.
    pub line: usize,
    /// The window's lines, joined with `\n`.
    pub text: String,
    /// Similarity between 0 and 1.
    pub similarity: f32,
}

/// An edit that was not applied, with what a caller or model needs to fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub code: RefusalCode,
    pub message: String,
    /// The chunk, hunk or search text that failed, as the edit wrote it.
    pub chunk: Option<String>,
    /// 1-based line numbers where an ambiguous chunk matched.
    pub candidates: Vec<usize>,
    /// Lines of the file that most resemble the failed chunk.
    pub closest: Vec<ClosestLines>,
    /// The file concerned, when known.
    pub file: Option<String>,
}

impl Refusal {
    /// A refusal with only a code and a message.
    pub fn new(code: RefusalCode, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
            chunk: None,
            candidates: Vec::new(),
            closest: Vec::new(),
            file: None,
        }
    }

    /// Attach the failing chunk text.
    pub fn with_chunk(mut self, chunk: impl Into<String>) -> Self {
        self.chunk = Some(chunk.into());
        self
    }

    /// Attach candidate line numbers (1-based).
    pub fn with_candidates(mut self, candidates: Vec<usize>) -> Self {
        self.candidates = candidates;
        self
    }

    /// Attach closest-line suggestions.
    pub fn with_closest(mut self, closest: Vec<ClosestLines>) -> Self {
        self.closest = closest;
        self
    }

    /// Attach the file name.
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Text a caller can hand back to a model so that it can correct its edit.
    pub fn to_model_feedback(&self) -> String {
        let mut s = String::new();
        let target = match &self.file {
            Some(f) => format!(" to {f}"),
            None => String::new(),
        };
        s.push_str(&format!(
            "The edit{target} was not applied ({}): {}\n",
            self.code, self.message
        ));
        if let Some(chunk) = &self.chunk {
            s.push_str("\nThe part of the edit that failed:\n```\n");
            s.push_str(chunk.trim_end_matches('\n'));
            s.push_str("\n```\n");
        }
        if !self.candidates.is_empty() {
            let list: Vec<String> = self.candidates.iter().map(|n| n.to_string()).collect();
            s.push_str(&format!(
                "\nIt matches the file at lines [{}].\n",
                list.join(", ")
            ));
        }
        for c in &self.closest {
            s.push_str(&format!(
                "\nDid you mean these lines (from line {}, {:.0}% similar)?\n```\n{}\n```\n",
                c.line,
                c.similarity * 100.0,
                c.text.trim_end_matches('\n')
            ));
        }
        s.push('\n');
        s.push_str(self.code.advice());
        s.push_str("\nNothing was changed.\n");
        s
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}: {}: {}", self.code, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for Refusal {}

/// What a `*** Begin Patch` operation does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Add,
    Update,
    Delete,
}

/// One file's change as a patch describes it (added, updated, moved, deleted),
/// computed without touching the file system. `fragment::write::patch_writes` turns it
/// into the writes of the one all-or-nothing writer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatchedFile {
    /// The path named in the patch.
    pub path: String,
    pub kind: ChangeKind,
    /// For an update with `*** Move to:`, the new path.
    pub move_to: Option<String>,
    /// Content before (None for an added file that did not exist).
    pub old: Option<String>,
    /// Content after (None for a deleted file).
    pub new: Option<String>,
}
