//! How a refused edit is reported: one JSON document for machines (with the text
//! the model is sent), and for people what failed and where, without the model's
//! instructions.

use crate::cli::exit::{CliError, Exit};
use crate::cli::output::{Output, SCHEMA_VERSION};
use codingit::apply::Refusal;
use serde_json::json;
use std::path::Path;

pub(super) fn report_refusal(out: &Output, file: &Path, refusal: &Refusal) -> CliError {
    if out.json {
        out.json_value(&json!({
            "schema_version": SCHEMA_VERSION,
            "status": "refused",
            "file": file,
            "refusal": refusal,
            "feedback": refusal.to_model_feedback(),
            "log_id": crate::cli::journal::log_id(),
        }));
        return CliError::reported(Exit::EditRefused);
    }
    CliError::new(Exit::EditRefused, human_refusal(file, refusal))
}

/// A refusal as people read it: what and where, without the model's instructions.
fn human_refusal(file: &Path, refusal: &Refusal) -> String {
    let mut message = format!(
        "edit refused ({}), {} left unchanged: {}",
        refusal.code,
        file.display(),
        refusal.message
    );
    if let Some(chunk) = &refusal.chunk {
        message.push_str(&format!("\n  the part that failed:\n{}", indent(chunk)));
    }
    if !refusal.candidates.is_empty() {
        let lines: Vec<String> = refusal.candidates.iter().map(|n| n.to_string()).collect();
        message.push_str(&format!("\n  it matches lines {}", lines.join(", ")));
    }
    if let Some(close) = refusal.closest.first() {
        message.push_str(&format!(
            "\n  closest lines (from line {}, {:.0}% similar):\n{}",
            close.line,
            close.similarity * 100.0,
            indent(&close.text)
        ));
    }
    message.push_str(
        "\n  how to fix: add unchanged lines around the change so it has one place, or let the \
         model retry (`--json` carries the text it is sent as `feedback`)",
    );
    message
}

fn indent(text: &str) -> String {
    text.trim_end_matches('\n')
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
