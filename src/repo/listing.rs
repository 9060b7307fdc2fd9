//! The files of a repository that may be shown to a model: what git would track
//! (the `.gitignore` rules, `.git/info/exclude` and the global excludes, honoured by
//! the `ignore` crate, inside a git repository or not), as text that fits.

use super::RepoError;
use crate::fragment::checks::check_relative_path;
use crate::safefs::Root;
use std::path::Path;

/// The most files listed: a bigger tree is listed up to here (and says so).
pub const MAX_FILES: usize = 100_000;
/// Largest file shown to a model in full; a bigger one is only named in the map.
pub const MAX_SENT_BYTES: u64 = 256 << 10;

/// One listed file: its `/`-separated path relative to the folder, and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoFile {
    pub path: String,
    pub size: u64,
}

/// Lists the folder's files in path order. Folders codingit and git own (`.git/`,
/// `.codingit/`) and symbolic links are never listed; a name that is not UTF-8 or
/// not a path a model could write is left out.
pub fn list_files(dir: &Path) -> Result<(Vec<RepoFile>, bool), RepoError> {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .parents(true)
        .filter_entry(|entry| {
            let name = entry.file_name();
            !(entry.depth() > 0 && (name == ".git" || name == ".codingit"))
        })
        .build();
    let mut files = Vec::new();
    let mut truncated = false;
    for entry in walker {
        let entry = entry.map_err(|e| RepoError::Io {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let Some(path) = rel
            .to_str()
            .map(|p| p.replace(std::path::MAIN_SEPARATOR, "/"))
        else {
            continue;
        };
        if check_relative_path(&path).is_err() {
            continue;
        }
        if files.len() == MAX_FILES {
            truncated = true;
            break;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        files.push(RepoFile { path, size });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, truncated))
}

/// Why a file is not shown in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    Binary,
    TooLarge,
    Generated,
    Unreadable,
}

impl LeftOut {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Binary => "binary",
            Self::TooLarge => "too large",
            Self::Generated => "generated",
            Self::Unreadable => "unreadable",
        }
    }
}

/// Lock files and build outputs: machine-written, large, never worth a model's window.
const GENERATED_NAMES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "Cargo.lock",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "composer.lock",
    "Gemfile.lock",
    "go.sum",
    "flake.lock",
];
const GENERATED_SUFFIXES: &[&str] = &[".min.js", ".min.css", ".map", ".snap", ".pb.go"];

/// Whether a path names a generated file by its name alone.
pub fn generated_by_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    GENERATED_NAMES.contains(&name) || GENERATED_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Reads a listed file as text to show, or says why not. Read through the folder's
/// handle: a file swapped for a link or a FIFO since the listing is refused, never
/// followed or blocked on.
pub fn read_text(root: &Root, file: &RepoFile) -> Result<String, LeftOut> {
    if generated_by_name(&file.path) {
        return Err(LeftOut::Generated);
    }
    if file.size > MAX_SENT_BYTES {
        return Err(LeftOut::TooLarge);
    }
    let bytes = root
        .read(&file.path, MAX_SENT_BYTES)
        .map_err(|_| LeftOut::Unreadable)?;
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Err(LeftOut::Binary);
    }
    let text = String::from_utf8(bytes).map_err(|_| LeftOut::Binary)?;
    if is_generated_text(&text) {
        return Err(LeftOut::Generated);
    }
    Ok(text)
}

/// The conventional "generated, do not edit" headers in a file's first lines.
fn is_generated_text(text: &str) -> bool {
    text.lines().take(5).any(|line| {
        line.contains("@generated")
            || line.contains("Code generated") && line.contains("DO NOT EDIT")
            || line.contains("AUTO-GENERATED FILE")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_and_minified_bundles_are_generated() {
        for path in [
            "Cargo.lock",
            "web/package-lock.json",
            "dist/app.min.js",
            "a.js.map",
        ] {
            assert!(generated_by_name(path), "{path}");
        }
        for path in ["src/lock.rs", "package.json", "minimal.js"] {
            assert!(!generated_by_name(path), "{path}");
        }
        assert!(is_generated_text(
            "// Code generated by protoc. DO NOT EDIT.\npackage x\n"
        ));
        assert!(!is_generated_text("fn main() {}\n"));
    }
}
