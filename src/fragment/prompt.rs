//! The prompts: a short fixed preamble, then one line per offered template.

use crate::catalog::{TemplateCatalog, TemplateDef};

const PREAMBLE: &str = "You are a skilled software engineer. You do not make mistakes.
Generate a fragment: a small, complete, runnable app.
You can install additional dependencies; list them by package name only.
Do not touch project dependency files like package.json, package-lock.json, requirements.txt, etc.
Do not wrap code in backticks or markdown fences.
Always break the lines correctly.
Put the main file in file_path/code; put any further files in files.
Answer with one JSON object that matches the response schema and nothing else.";

/// One line per template, like the seed platform: id, instructions, file, libraries, port.
pub fn template_line(index: usize, template: &TemplateDef) -> String {
    format!(
        "{index}. {}: \"{}\". File: {}. Dependencies installed: {}. Port: {}.",
        template.id,
        template.instructions,
        template.file,
        template.libraries.join(", "),
        template
            .port
            .map(|p| p.to_string())
            .unwrap_or_else(|| "none".into())
    )
}

/// The system prompt for generating a fragment with one of `offered` templates.
pub fn system_prompt(catalog: &TemplateCatalog, offered: &[String], extra: Option<&str>) -> String {
    let mut prompt = String::from(PREAMBLE);
    prompt.push_str("\nUse one of the following templates:\n");
    for (i, id) in offered.iter().enumerate() {
        if let Some(template) = catalog.templates.get(id) {
            prompt.push_str(&template_line(i + 1, template));
            prompt.push('\n');
        }
    }
    if let Some(extra) = extra.map(str::trim).filter(|e| !e.is_empty()) {
        prompt.push_str("\nAdditional instructions:\n");
        prompt.push_str(extra);
        prompt.push('\n');
    }
    prompt
}

/// The files of a project as the model sees them in a chat turn.
pub fn files_block(files: &[(String, String)]) -> String {
    let mut block = String::from("The project's files as they are on disk now:\n");
    for (path, content) in files {
        block.push_str(&format!("\n=== {path} ===\n{content}"));
        if !content.ends_with('\n') {
            block.push('\n');
        }
    }
    block
}

/// The instruction closing a chat turn, for whole fragments or lazy edits.
pub fn chat_request(prompt: &str, lazy: bool) -> String {
    if lazy {
        format!(
            "{prompt}\n\nAnswer with lazy edits: for each file you change, give its path and the changed code, \
             writing a comment such as `// ... existing code ...` (in the file's comment syntax) for every \
             unchanged region, with a few unchanged lines around each change so it can be placed. \
             For a new file, give its whole content."
        )
    } else {
        format!(
            "{prompt}\n\nAnswer with the complete updated fragment: every file of the project with its full \
             content, including the files you do not change."
        )
    }
}

/// The system prompt of `edit FILE INSTRUCTION`: one lazy edit of one file.
pub const EDIT_SYSTEM_PROMPT: &str = "You are a skilled software engineer who edits one file at a time.
Answer with a lazy edit: write the changed code, and write a comment such as `// ... existing code ...`
(in the file's own comment syntax) for every unchanged region between changes. Keep two or three
unchanged lines around each change so it can be placed uniquely. Do not rewrite unchanged regions.
Never wrap code in markdown fences. Answer with one JSON object matching the response schema.";

/// The user message of `edit FILE INSTRUCTION`: the file, fenced by its name, and the
/// instruction.
pub fn edit_request(label: &str, original: &str, instruction: &str) -> String {
    let newline = if original.ends_with('\n') { "" } else { "\n" };
    format!(
        "File `{label}`:\n=== {label} ===\n{original}{newline}=== end ===\n\nInstruction: {instruction}"
    )
}

/// The message Morph's fast-apply models take: the instruction, the file and the lazy
/// edit, each in its tag.
pub fn fast_apply_request(instruction: &str, original: &str, edit: &str) -> String {
    format!("<instruction>{instruction}</instruction>\n<code>{original}</code>\n<update>{edit}</update>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_offered_template_once() {
        let catalog = TemplateCatalog::builtin().unwrap_or_default();
        let all: Vec<String> = catalog.templates.keys().cloned().collect();
        let prompt = system_prompt(&catalog, &all, Some("Use tabs."));
        for id in &all {
            assert_eq!(prompt.matches(&format!(" {id}: ")).count(), 1, "{id}");
        }
        assert!(prompt.contains("Port: 8501."));
        assert!(prompt.contains("Port: none."));
        assert!(prompt.ends_with("Use tabs.\n"));
        let one = system_prompt(&catalog, &["gradio-developer".to_string()], None);
        assert!(one.contains("1. gradio-developer:") && !one.contains("streamlit-developer"));
    }
}
