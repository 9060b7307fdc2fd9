//! Git, used only when asked (`--commit`, `--branch`, and the dirty-tree check):
//! the `git` program on the folder, with the repository's hooks and fsmonitor off (a
//! cloned repository's configuration must not run code because codingit committed),
//! no prompts, and literal pathspecs (a file named `*` is that file).

use super::RepoError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A git work tree.
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
}

impl Git {
    /// The work tree holding `dir`, or `None` when `dir` is not in one (or git is
    /// not installed).
    pub fn discover(dir: &Path) -> Option<Self> {
        let git = Self {
            dir: dir.to_path_buf(),
        };
        let out = git.output(&["rev-parse", "--is-inside-work-tree"]).ok()?;
        (out.trim() == "true").then_some(git)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C")
            .arg(&self.dir)
            .args([
                "-c",
                "core.hooksPath=/dev/null",
                "-c",
                "core.fsmonitor=false",
            ])
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_LITERAL_PATHSPECS", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .stdin(Stdio::null());
        cmd
    }

    fn output(&self, args: &[&str]) -> Result<String, RepoError> {
        let out = self
            .command()
            .args(args)
            .output()
            .map_err(|e| RepoError::Git(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            return Err(RepoError::Git(format!(
                "`git {}` failed: {}",
                args.join(" "),
                stderr.trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Paths with uncommitted changes (staged, unstaged or untracked), as git shows
    /// them relative to the work tree's top.
    pub fn dirty_paths(&self) -> Result<Vec<String>, RepoError> {
        let out = self.output(&["status", "--porcelain=v1", "-z", "--untracked-files=all"])?;
        let mut paths = Vec::new();
        let mut entries = out.split('\0').filter(|e| !e.is_empty());
        while let Some(entry) = entries.next() {
            if entry.len() > 3 {
                paths.push(entry[3..].to_string());
            }
            // A rename's entry is followed by its source path.
            if entry.starts_with('R') || entry.starts_with('C') {
                entries.next();
            }
        }
        Ok(paths)
    }

    /// The current branch, `None` on a detached head.
    pub fn branch(&self) -> Option<String> {
        let name = self
            .output(&["symbolic-ref", "--quiet", "--short", "HEAD"])
            .ok()?;
        Some(name.trim().to_string()).filter(|n| !n.is_empty())
    }

    /// Checks that `name` is a valid new branch name.
    pub fn check_new_branch(&self, name: &str) -> Result<(), RepoError> {
        self.output(&["check-ref-format", "--branch", name])
            .map_err(|_| RepoError::Git(format!("`{name}` is not a valid branch name")))?;
        let exists = self
            .output(&[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("refs/heads/{name}"),
            ])
            .is_ok();
        if exists {
            return Err(RepoError::Git(format!(
                "branch `{name}` already exists\n  how to fix: choose another name, or switch to it first and leave out --branch"
            )));
        }
        Ok(())
    }

    /// Creates branch `name` at HEAD and switches to it (the work tree is unchanged).
    pub fn create_branch(&self, name: &str) -> Result<(), RepoError> {
        self.output(&["switch", "--quiet", "-c", name]).map(|_| ())
    }

    /// Commits exactly `paths` (relative to the folder) with `message`, whatever else
    /// is staged or changed; returns the new commit's id. Author and committer come
    /// from the git configuration, as for any commit.
    pub fn commit(&self, paths: &[String], message: &str) -> Result<String, RepoError> {
        let mut add = vec!["add", "--all", "--"];
        add.extend(paths.iter().map(String::as_str));
        self.output(&add)?;
        let mut commit = vec![
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            message,
            "--only",
            "--",
        ];
        commit.extend(paths.iter().map(String::as_str));
        self.output(&commit).map_err(|e| match e {
            RepoError::Git(m) if m.contains("user.email") || m.contains("Author identity") => {
                RepoError::Git(format!(
                    "{m}\n  how to fix: git config --global user.name \"Your Name\" && git config --global user.email you@example.com"
                ))
            }
            other => other,
        })?;
        Ok(self.output(&["rev-parse", "HEAD"])?.trim().to_string())
    }
}

/// The commit message of a turn: its commentary's first line as the subject (cut at
/// 72 characters), the rest as the body.
pub fn commit_message(commentary: &str) -> String {
    let text = commentary.trim();
    let first = text.lines().next().unwrap_or_default().trim();
    let mut subject: String = first.chars().take(72).collect();
    if subject.is_empty() {
        subject = "codingit: apply the requested change".into();
    }
    if first.chars().count() > 72 || text.lines().count() > 1 {
        format!("{subject}\n\n{text}\n")
    } else {
        format!("{subject}\n")
    }
}
