//! Listing a repository's files the way git would track them, without trusting the
//! tree: every folder is opened beneath a handle on the repository (a folder swapped
//! for a link mid-walk is refused, never followed, so no host name reaches a map),
//! and every `.gitignore` is read the same way, regular files only and size-capped
//! (a `.gitignore` that is a FIFO or a link to `/dev/zero` cannot hang or exhaust
//! the listing). Ignore rules: each folder's `.gitignore` (the closest decides), the
//! `.gitignore` files of the folders above it up to the work tree's top,
//! `.git/info/exclude`, and the user's global excludes file.

use super::listing::{RepoFile, MAX_FILES};
use super::RepoError;
use crate::fragment::checks::check_relative_path;
use crate::fragment::project::open_root;
use crate::safefs::{Kind, Root};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::path::{Path, PathBuf};

/// Largest ignore file read (a bigger one is not a real ignore file).
const IGNORE_FILE_MAX: u64 = 1 << 20;
/// Names looked at in all, folders included: a tree beyond this is listed up to here.
const MAX_ENTRIES: usize = 400_000;

/// One set of ignore rules and the folder its patterns are relative to.
struct Rules {
    base: PathBuf,
    matcher: Gitignore,
}

impl Rules {
    /// Reads `name` beneath `root` (at `base` on disk) as ignore rules; `None` when
    /// it is missing, not a regular file, too large or not text.
    fn read(root: &Root, name: &Path, base: &Path) -> Option<Self> {
        let bytes = root.read(name, IGNORE_FILE_MAX).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Self::from_text(&text, base)
    }

    fn from_text(text: &str, base: &Path) -> Option<Self> {
        let mut builder = GitignoreBuilder::new(base);
        for line in text.lines() {
            // A malformed pattern is skipped, as git skips it.
            let _ = builder.add_line(None, line);
        }
        let matcher = builder.build().ok()?;
        (!matcher.is_empty()).then(|| Self {
            base: base.to_path_buf(),
            matcher,
        })
    }

    /// `Some(true)`: ignored; `Some(false)`: re-included by a `!` pattern.
    fn decide(&self, path: &Path, is_dir: bool) -> Option<bool> {
        let relative = path.strip_prefix(&self.base).ok()?;
        match self.matcher.matched(relative, is_dir) {
            Match::None => None,
            Match::Ignore(_) => Some(true),
            Match::Whitelist(_) => Some(false),
        }
    }
}

/// The rules that hold for every path of the folder: from the folders above it up to
/// the work tree's top (closest first), then `.git/info/exclude` and global excludes.
fn outer_rules(real: &Path) -> Vec<Rules> {
    let mut rules = Vec::new();
    let mut top = None;
    let mut parent = real.parent();
    while let Some(dir) = parent {
        if let Ok(root) = Root::open(dir) {
            if let Some(r) = Rules::read(&root, Path::new(".gitignore"), dir) {
                rules.push(r);
            }
            if root.metadata(".git").is_ok() {
                top = Some(dir.to_path_buf());
                break;
            }
        }
        parent = dir.parent();
    }
    if top.is_none() {
        // Outside a git work tree the folders above say nothing about this one.
        rules.clear();
    }
    let top = top.unwrap_or_else(|| real.to_path_buf());
    if let Ok(root) = Root::open(&top) {
        if let Some(r) = Rules::read(&root, Path::new(".git/info/exclude"), &top) {
            rules.push(r);
        }
    }
    if let Some(global) = ignore::gitignore::gitconfig_excludes_path() {
        // The user's own file, named by the user's own git configuration.
        if let Ok(text) = std::fs::read_to_string(&global) {
            if let Some(r) = Rules::from_text(&text, &top) {
                rules.push(r);
            }
        }
    }
    rules
}

/// Lists the folder's files in path order (see the module documentation). Folders
/// codingit and git own (`.git/`, `.codingit/`), symbolic links, FIFOs and devices
/// are never listed; a name that is not UTF-8 or not a path a model could write is
/// left out. The flag says the listing stopped at its limit.
pub fn list_files(dir: &Path) -> Result<(Vec<RepoFile>, bool), RepoError> {
    let real = dir.canonicalize().map_err(|e| RepoError::Io {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    let root = open_root(dir)?;
    let outer = outer_rules(&real);
    let mut files = Vec::new();
    let mut seen = 0usize;
    // Folders to list, each with the rules of the folders from the top down to it.
    let mut pending: Vec<(String, Vec<std::rc::Rc<Rules>>)> = vec![(String::new(), Vec::new())];
    while let Some((folder, inherited)) = pending.pop() {
        let Ok(entries) = root.read_dir(&folder) else {
            continue; // swapped for a link or removed since it was listed: skipped
        };
        let mut rules = inherited;
        let base = real.join(&folder);
        let own = Path::new(&folder).join(".gitignore");
        if let Some(r) = Rules::read(&root, &own, &base) {
            rules.push(std::rc::Rc::new(r));
        }
        for entry in entries {
            seen += 1;
            if seen > MAX_ENTRIES || files.len() >= MAX_FILES {
                files.sort_by(|a: &RepoFile, b| a.path.cmp(&b.path));
                return Ok((files, true));
            }
            let Some(name) = entry.name.to_str() else {
                continue;
            };
            let path = match folder.is_empty() {
                true => name.to_string(),
                false => format!("{folder}/{name}"),
            };
            let is_dir = entry.kind == Kind::Dir;
            if !(is_dir || entry.kind == Kind::File) || check_relative_path(&path).is_err() {
                continue;
            }
            if is_dir && (name == ".git" || folder.is_empty() && name == ".codingit") {
                continue;
            }
            let absolute = real.join(&path);
            let decided = rules
                .iter()
                .rev()
                .map(|r| r.as_ref())
                .chain(outer.iter())
                .find_map(|r| r.decide(&absolute, is_dir));
            if decided == Some(true) {
                continue;
            }
            if is_dir {
                pending.push((path, rules.clone()));
            } else {
                let size = root.metadata(&path).map(|m| m.len).unwrap_or(0);
                files.push(RepoFile { path, size });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, path: &str, text: &str) {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(file, text);
    }

    fn listed(dir: &Path) -> Vec<String> {
        list_files(dir)
            .map(|(files, _)| files.into_iter().map(|f| f.path).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_closest_ignore_file_decides_and_links_are_never_listed() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        write(dir, ".gitignore", "*.log\nbuild/\n");
        write(dir, "a.py", "x");
        write(dir, "debug.log", "x");
        write(dir, "build/out.py", "x");
        write(dir, "sub/.gitignore", "!keep.log\n");
        write(dir, "sub/keep.log", "x");
        write(dir, "sub/drop.log", "x");
        write(dir, ".git/config", "x");
        write(dir, ".codingit/history.jsonl", "x");
        let _ = std::os::unix::fs::symlink("/etc", dir.join("etc"));
        let _ = std::os::unix::fs::symlink("/etc/hostname", dir.join("host.txt"));
        assert_eq!(
            listed(dir),
            [".gitignore", "a.py", "sub/.gitignore", "sub/keep.log"]
        );
        Ok(())
    }

    #[test]
    fn an_ignore_file_that_is_a_fifo_or_a_link_is_not_read() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        write(dir, "a.py", "x");
        let fifo = dir.join("sub/.gitignore");
        let _ = std::fs::create_dir_all(dir.join("sub"));
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()));
        write(dir, "sub/b.py", "x");
        let _ = std::os::unix::fs::symlink("/dev/zero", dir.join(".gitignore"));
        assert_eq!(listed(dir), ["a.py", "sub/b.py"]);
        Ok(())
    }
}
