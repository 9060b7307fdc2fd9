//! What `run` runs: stdin, a file, or a project folder (untrusted), and where its
//! artifacts go.

use super::{setup, RESULTS};
use crate::cli::args::RunArgs;
use crate::cli::exit::{CliError, CliResult, Exit};
use codingit::catalog::TemplateDef;
use codingit::check::Subject;
use codingit::config::Settings;
use codingit::fragment::project::{open_root, read_project_files, Project, ProjectError};
use codingit::safefs::Root;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What to run.
pub(crate) struct Job {
    pub(super) template: TemplateDef,
    pub(super) files: Vec<(String, Vec<u8>)>,
    pub(super) main_file: String,
    pub(super) dependencies: Vec<String>,
    pub(super) project: Option<PathBuf>,
}

impl Job {
    /// The program as the checks judge it.
    pub(crate) fn subject(&self) -> Subject {
        Subject {
            template: self.template.clone(),
            files: self.files.clone(),
            main_file: self.main_file.clone(),
            dependencies: self.dependencies.clone(),
        }
    }
}

pub(super) fn load_job(args: &RunArgs, settings: &Settings) -> CliResult<Job> {
    let path = args.path.clone().unwrap_or_else(|| ".".into());
    let template_flag = |fallback: Option<&str>| -> CliResult<TemplateDef> {
        let id = args
            .template
            .as_deref()
            .or(fallback)
            .ok_or_else(|| setup("cannot tell the template; name it with -t ID"))?;
        Ok(settings
            .templates
            .get(id)
            .map_err(|e| setup(e.to_string()))?
            .clone())
    };
    if path == "-" {
        let mut code = String::new();
        std::io::stdin()
            .read_to_string(&mut code)
            .map_err(|e| setup(format!("cannot read stdin: {e}")))?;
        let template = template_flag(Some("code-interpreter-v1"))?;
        return Ok(Job {
            main_file: template.file.clone(),
            files: vec![(template.file.clone(), code.into_bytes())],
            template,
            dependencies: Vec::new(),
            project: None,
        });
    }
    let p = PathBuf::from(&path);
    if !p.exists() {
        // As `chat -C` with a missing folder: the command line names nothing there.
        return Err(CliError::new(
            Exit::Usage,
            format!("{path}: no such file or folder\n  how to fix: give a project folder, a file, or - for stdin"),
        ));
    }
    if p.is_dir() {
        let job = folder_job(&p, args.template.clone(), settings)?;
        if !job.files.iter().any(|(path, _)| path == &job.main_file) {
            return Err(CliError::new(
                Exit::Usage,
                format!(
                    "{path} has no {} to start (the main file of template {})\n  how to fix: run one file of it (`codingit run {path}/FILE`), or name the template with -t",
                    job.main_file, job.template.id
                ),
            ));
        }
        return Ok(job);
    }
    let code = std::fs::read(&p).map_err(|e| setup(format!("cannot read {path}: {e}")))?;
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let by_ext = settings.templates.for_extension(&ext).map(|t| t.id.clone());
    let template = template_flag(by_ext.as_deref())?;
    Ok(Job {
        main_file: template.file.clone(),
        files: vec![(template.file.clone(), code)],
        template,
        dependencies: Vec::new(),
        project: None,
    })
}

/// A project folder is untrusted (it may be a clone): its manifest is loaded with the
/// same path rules as a model's answer, and each file is read beneath a handle on the
/// folder, never through a symlink, regular files only, size-capped.
pub(crate) fn project_job(
    dir: &Path,
    template: Option<String>,
    settings: &Settings,
) -> CliResult<Job> {
    let project = Project::open(dir).map_err(|e| match e {
        ProjectError::NotAProject(_) => setup(format!(
            "{} is not a project (no .codingit/fragment.json)\n  how to fix: give a project folder made by `codingit new`, a file, or - for stdin",
            dir.display()
        )),
        other => setup(other.to_string()),
    })?;
    let fragment = &project.fragment;
    let id = template.unwrap_or_else(|| fragment.template.clone());
    let template = settings
        .templates
        .get(&id)
        .map_err(|e| setup(e.to_string()))?
        .clone();
    // The files on disk win over the manifest's copy: the user may have edited them.
    let paths: Vec<String> = fragment
        .all_files()
        .iter()
        .map(|(path, _)| path.to_string())
        .collect();
    let on_disk =
        read_project_files(dir, &paths).map_err(|e| setup(format!("{e}; nothing was uploaded")))?;
    let files = on_disk
        .into_iter()
        .zip(fragment.all_files())
        .map(|((path, bytes), (_, code))| (path, bytes.unwrap_or_else(|| code.as_bytes().to_vec())))
        .collect();
    Ok(Job {
        template,
        files,
        main_file: fragment.file_path.clone(),
        dependencies: fragment.additional_dependencies.clone(),
        project: Some(dir.to_path_buf()),
    })
}

/// A folder: a project made by `new`, else any repository.
pub(crate) fn folder_job(
    dir: &Path,
    template: Option<String>,
    settings: &Settings,
) -> CliResult<Job> {
    if codingit::fragment::project::is_project(dir) {
        project_job(dir, template, settings)
    } else {
        repository_job(dir, template, settings)
    }
}

/// Largest repository uploaded into a sandbox.
const REPOSITORY_MAX_BYTES: u64 = 256 << 20;

/// A repository (a folder `new` did not make): every file git would track, read
/// beneath a handle on the folder (links never followed), on the named template or
/// the one its files point to.
fn repository_job(dir: &Path, template: Option<String>, settings: &Settings) -> CliResult<Job> {
    use codingit::repo::listing::list_files;
    let root = open_root(dir).map_err(|e| setup(e.to_string()))?;
    let (listed, truncated) = list_files(dir).map_err(|e| setup(e.to_string()))?;
    if truncated {
        return Err(setup(format!(
            "{} has more files than a sandbox takes; run a file of it instead",
            dir.display()
        )));
    }
    let mut files = Vec::new();
    let mut total = 0u64;
    for file in &listed {
        total += file.size;
        if total > REPOSITORY_MAX_BYTES {
            return Err(setup(format!(
                "{} holds more than {} MiB of files; a sandbox takes at most that",
                dir.display(),
                REPOSITORY_MAX_BYTES >> 20
            )));
        }
        let bytes = root
            .read(&file.path, REPOSITORY_MAX_BYTES)
            .map_err(|e| setup(format!("{e}; nothing was uploaded")))?;
        files.push((file.path.clone(), bytes));
    }
    // The template is told from the bytes just read, not from a second read.
    let read_text = |path: &str| {
        files
            .iter()
            .find(|(p, _)| p == path)
            .and_then(|(_, bytes)| String::from_utf8(bytes.clone()).ok())
    };
    let id = template
        .unwrap_or_else(|| codingit::repo::detect::template_for(&listed, &read_text).to_string());
    let template = settings
        .templates
        .get(&id)
        .map_err(|e| setup(e.to_string()))?
        .clone();
    Ok(Job {
        main_file: template.file.clone(),
        template,
        files,
        dependencies: Vec::new(),
        project: Some(dir.to_path_buf()),
    })
}

/// Where artifacts go: `--artifacts DIR` (the user's folder, created when missing),
/// the project's `.codingit/results` (beneath a handle on the project: a link planted
/// there is not followed), else the current folder.
pub(super) fn artifacts_root(args: &RunArgs, job: &Job) -> CliResult<Root> {
    let fail = |path: &Path, e: &dyn std::fmt::Display| {
        setup(format!("artifacts folder {}: {e}", path.display()))
    };
    match (&args.artifacts, &job.project) {
        (Some(dir), _) => {
            std::fs::create_dir_all(dir).map_err(|e| fail(dir, &e))?;
            let real = std::fs::canonicalize(dir).map_err(|e| fail(dir, &e))?;
            Root::open(&real).map_err(|e| fail(dir, &e))
        }
        (None, Some(project)) => {
            let root = Root::open(project).map_err(|e| fail(project, &e))?;
            root.create_dir_all(RESULTS)
                .map_err(|e| fail(project, &e))?;
            root.subdir(RESULTS).map_err(|e| fail(project, &e))
        }
        (None, None) => Root::open(Path::new(".")).map_err(|e| fail(Path::new("."), &e)),
    }
}
