//! The folder a conversation is about, and the options of `chat` on a repository
//! (a folder `new` did not create).

use crate::cli::args::ChatArgs;
use crate::cli::exit::{CliError, CliResult, Exit};
use std::io::IsTerminal;

/// The folder a conversation is about: a project made by `new`, or any repository
/// (with what the repository options asked for).
pub(super) struct Folder {
    pub(super) repository: bool,
    /// `--file` entries, a `-` expanded.
    pub(super) explicit: Vec<String>,
    pub(super) git: Option<codingit::repo::git::Git>,
    /// `--commit` with checks: commit once, after they pass, every file the rounds
    /// changed (never a failing state).
    pub(super) defer_commit: bool,
    /// `--branch` was created (by the first turn).
    pub(super) branch_made: std::cell::Cell<bool>,
    /// Every path the turns of this command changed, and the first commentary.
    pub(super) changed: std::cell::RefCell<(Vec<String>, Option<String>)>,
}

impl Folder {
    pub(super) fn of(args: &ChatArgs) -> CliResult<Self> {
        if !args.dir.is_dir() {
            return Err(CliError::new(
                Exit::Usage,
                format!(
                    "{} is not a folder\n  how to fix: point -C at a project or repository folder",
                    args.dir.display()
                ),
            ));
        }
        let repository = !codingit::fragment::project::is_project(&args.dir);
        let r = &args.repo;
        if !repository
            && (!r.files.is_empty()
                || r.commit
                || r.patch_out.is_some()
                || r.context_tokens.is_some()
                || r.history_in_repo)
        {
            return Err(CliError::new(
                Exit::Usage,
                format!("{} is a codingit project: --file, --context-tokens, --patch-out, --commit, --history-in-repo and -t are for other folders (repositories)", args.dir.display()),
            ));
        }
        Ok(Self {
            repository,
            explicit: expand_file_list(&r.files)?,
            git: if repository {
                super::repo::git_for(args)?
            } else {
                None
            },
            defer_commit: false,
            branch_made: std::cell::Cell::new(false),
            changed: Default::default(),
        })
    }
}

/// `--file -` reads paths from stdin, one per line.
fn expand_file_list(files: &[String]) -> CliResult<Vec<String>> {
    let mut expanded = Vec::new();
    for entry in files {
        if entry != "-" {
            expanded.push(entry.clone());
            continue;
        }
        if std::io::stdin().is_terminal() {
            return Err(CliError::new(
                Exit::Usage,
                "--file - reads paths from stdin, but stdin is a terminal; pipe the list in",
            ));
        }
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| CliError::new(Exit::Usage, format!("cannot read stdin: {e}")))?;
        expanded.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
    }
    Ok(expanded)
}
