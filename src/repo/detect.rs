//! Which template a repository's code runs on, when `--check`, `--test` or `run`
//! need one and none is named: a `package.json` that depends on Next.js or Nuxt/Vue,
//! a Python file that imports Streamlit or Gradio, else the Python interpreter.

use super::listing::RepoFile;

/// Python files read to look for an app framework, at most.
const PYTHON_FILES_READ: usize = 200;

/// The template id for a repository with `files`; `read` gives a file's text.
pub fn template_for(files: &[RepoFile], read: &dyn Fn(&str) -> Option<String>) -> &'static str {
    if files.iter().any(|f| f.path == "package.json") {
        if let Some(manifest) = read("package.json") {
            if manifest.contains("\"next\"") {
                return "nextjs-developer";
            }
            if manifest.contains("\"nuxt\"") || manifest.contains("\"vue\"") {
                return "vue-developer";
            }
        }
    }
    for file in files
        .iter()
        .filter(|f| f.path.ends_with(".py"))
        .take(PYTHON_FILES_READ)
    {
        let Some(text) = read(&file.path) else {
            continue;
        };
        let imports = |module: &str| {
            text.lines().any(|line| {
                let line = line.trim_start();
                line.starts_with(&format!("import {module}"))
                    || line.starts_with(&format!("from {module} import"))
            })
        };
        if imports("streamlit") {
            return "streamlit-developer";
        }
        if imports("gradio") {
            return "gradio-developer";
        }
    }
    "code-interpreter-v1"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> RepoFile {
        RepoFile {
            path: path.into(),
            size: 1,
        }
    }

    #[test]
    fn frameworks_are_told_by_their_manifest_or_imports() {
        let next = |_: &str| Some("{\"dependencies\": {\"next\": \"14\"}}".to_string());
        assert_eq!(
            template_for(&[file("package.json")], &next),
            "nextjs-developer"
        );
        let st = |_: &str| Some("import os\nimport streamlit as st\n".to_string());
        assert_eq!(template_for(&[file("app.py")], &st), "streamlit-developer");
        let plain = |_: &str| Some("print(1)\n".to_string());
        assert_eq!(
            template_for(&[file("main.py")], &plain),
            "code-interpreter-v1"
        );
    }
}
