//! The edit-merge engine: applies a model's proposed edit to a file's text without
//! calling a model. Pure: text in, text (or a refusal) out; no file system access.
//!
//! Formats (auto-detected): lazy snippets with `// ... existing code ...` markers in any
//! comment syntax, search/replace (JSON list or `<<<<<<< SEARCH` blocks), the
//! `*** Begin Patch` format and unified diffs. Matching climbs a ladder (exact,
//! whitespace-tolerant, indentation-shifted, Unicode-folded) and always requires one
//! place; anything ambiguous is refused with a [`Refusal`] a model can act on.
//! Untouched bytes stay as they were: line endings, a BOM, the final newline.
//! See `docs/edit-engine.md`.

// A refusal carries the failing chunk and suggestions for the model; it is returned by
// value as part of the public API, and only on the rare failure path.
#![allow(clippy::result_large_err)]

mod closest;
mod detect;
mod hunks;
mod lazy;
mod markers;
mod patch;
mod search_replace;
mod structure;
mod text;
mod types;
mod udiff;
mod validate;

pub use types::{
    Applied, ChangeKind, ClosestLines, EditFormat, MatchLevel, PatchedFile, Refusal, RefusalCode,
    UnknownFormat,
};

use text::{render, Doc};

/// Merge `edit` into `original`. `format` may be [`EditFormat::Auto`].
pub fn apply_edit(original: &str, edit: &str, format: EditFormat) -> Result<Applied, Refusal> {
    let edit = detect::strip_fence(edit, original);
    let format = match format {
        EditFormat::Auto => detect::detect(edit),
        f => f,
    };
    let (content, levels, warnings, explicit) = match format {
        EditFormat::Auto | EditFormat::Lazy => {
            let doc = Doc::parse(original);
            let r = lazy::apply(&doc, edit)?;
            let content = render(&doc, &r.out, None);
            (content, r.levels, r.warnings, false)
        }
        EditFormat::SearchReplace => {
            let edits = match search_replace::parse_json(edit) {
                Some(parsed) => parsed?,
                None => search_replace::parse_blocks(edit)?,
            };
            let r = search_replace::apply(original, &edits)?;
            (r.content, r.levels, r.warnings, true)
        }
        EditFormat::Patch => {
            let (content, levels, warnings) = patch::apply_single(original, edit)?;
            (content, levels, warnings, true)
        }
        EditFormat::Udiff => {
            let files = udiff::parse(edit)?;
            if files.len() != 1 {
                return Err(Refusal::new(
                    RefusalCode::ParseError,
                    format!(
                        "the diff touches {} files; send one file's diff",
                        files.len()
                    ),
                ));
            }
            let doc = Doc::parse(original);
            let creates = files
                .first()
                .is_some_and(|f| f.old_path.is_none() && f.new_path.is_some());
            if creates && !doc.is_blank() {
                return Err(Refusal::new(
                    RefusalCode::ParseError,
                    "the diff creates the file (`--- /dev/null`), but it already has content",
                ));
            }
            let hunks: Vec<_> = files.into_iter().flat_map(|f| f.hunks).collect();
            let r = hunks::apply(&doc, &hunks, hunks::PureAdd::AtHint)?;
            (
                render(&doc, &r.out, r.final_newline),
                r.levels,
                r.warnings,
                true,
            )
        }
    };
    validate::check(original, &content, explicit)?;
    Ok(Applied {
        content,
        format,
        levels,
        warnings,
    })
}

/// Compute the changes of a multi-file `*** Begin Patch` (add, update with `@@`
/// context, delete, move). `read` returns a file's current content, or None when it
/// does not exist (or is not a file). All or nothing: any failure refuses the whole patch.
pub fn apply_patch(
    patch: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<PatchedFile>, Refusal> {
    patch::apply_all(patch, read)
}

/// A unified diff between two texts, three lines of context, with the given labels.
pub fn unified_diff(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}
