//! What a model is told in repository mode.

use super::select::Selection;
use crate::fragment::prompt::files_block;

/// The system prompt of a repository turn.
pub fn system_prompt() -> String {
    "You are codingit, an expert software engineer making a change in an existing repository.\n\
     You see a map of the repository (its files, with their top-level declarations) and the full \
     text of the files most relevant to the request.\n\
     Answer with JSON: `commentary` (what you change and why; its first line is used as a commit \
     subject, so keep it short) and `edits`, one entry per file:\n\
     - action `edit`: change an existing file. In `edit` write only the changed code, with a comment \
     such as `// ... existing code ...` (in the file's comment syntax) for every unchanged region, and \
     a few unchanged lines around each change so it can be placed. Edit only files whose full text you \
     were shown.\n\
     - action `create`: a new file; `edit` is its whole content.\n\
     - action `delete`: remove an existing file; `edit` is empty.\n\
     - action `rename`: move `file_path` to `new_path`; `edit` is empty to keep the content, or a lazy \
     edit of it.\n\
     `new_path` is empty unless the action is `rename`. Paths are relative to the repository, with `/`. \
     Never write in `.git/` or `.codingit/`. Keep the style of the code around your change, and change \
     nothing the request does not need.\n"
        .to_string()
}

/// The user message of a turn: the map, the files, and the request.
pub fn user_message(selection: &Selection, request: &str) -> String {
    let mut text = String::new();
    if !selection.map.is_empty() {
        text.push_str("The repository's files:\n```\n");
        text.push_str(&selection.map);
        text.push_str("```\n\n");
    }
    if selection.files.is_empty() {
        text.push_str("No file was selected in full; name the files you need in your commentary if you cannot make the change.\n");
    } else {
        text.push_str(&files_block(&selection.files));
    }
    text.push_str(&format!("\nThe request:\n{request}\n"));
    text
}
