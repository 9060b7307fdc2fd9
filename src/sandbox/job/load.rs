//! What a run runs: code from stdin, a file, or a folder (untrusted: a project made by
//! `new` or any repository), and where its artifacts go.

use super::RunError;
use crate::catalog::TemplateDef;
use crate::check::Subject;
use crate::config::Settings;
use crate::fragment::project::{open_root, read_project_files, Project, ProjectError};
use crate::safefs::Root;
use std::path::{Path, PathBuf};

/// The project's folder for artifacts, relative to the project.
pub const RESULTS_DIR: &str = ".codingit/results";
/// Largest repository uploaded into a sandbox.
const REPOSITORY_MAX_BYTES: u64 = 256 << 20;

/// What to run.
#[derive(Debug, Clone)]
pub struct Job {
    pub template: TemplateDef,
    pub files: Vec<(String, Vec<u8>)>,
    pub main_file: String,
    pub dependencies: Vec<String>,
    /// The folder it came from (artifacts go beneath it).
    pub project: Option<PathBuf>,
}

fn setup(message: impl Into<String>) -> RunError {
    RunError::Setup(message.into())
}

fn template_def(settings: &Settings, id: &str) -> Result<TemplateDef, RunError> {
    Ok(settings
        .templates
        .get(id)
        .map_err(|e| setup(e.to_string()))?
        .clone())
}

impl Job {
    /// The program as the checks judge it.
    pub fn subject(&self) -> Subject {
        Subject {
            template: self.template.clone(),
            files: self.files.clone(),
            main_file: self.main_file.clone(),
            dependencies: self.dependencies.clone(),
        }
    }

    /// Code given as bytes (stdin), on the named template or the code interpreter.
    pub fn from_code(
        code: Vec<u8>,
        template_id: Option<&str>,
        settings: &Settings,
    ) -> Result<Self, RunError> {
        let template = template_def(settings, template_id.unwrap_or("code-interpreter-v1"))?;
        Ok(Self::single(template, code))
    }

    /// A path: a folder (a project or a repository) or one file, whose template is
    /// the named one or the one its extension points to.
    pub fn from_path(
        path: &Path,
        template_id: Option<&str>,
        settings: &Settings,
    ) -> Result<Self, RunError> {
        let shown = path.display();
        if !path.exists() {
            // As `chat -C` with a missing folder: the command line names nothing there.
            return Err(RunError::Usage(format!(
                "{shown}: no such file or folder\n  how to fix: give a project folder, a file, or - for stdin"
            )));
        }
        if path.is_dir() {
            let job = Self::from_folder(path, template_id.map(str::to_string), settings)?;
            if !job.files.iter().any(|(file, _)| file == &job.main_file) {
                return Err(RunError::Usage(format!(
                    "{shown} has no {} to start (the main file of template {})\n  how to fix: run one file of it (`codingit run {shown}/FILE`), or name the template with -t",
                    job.main_file, job.template.id
                )));
            }
            return Ok(job);
        }
        let code = std::fs::read(path).map_err(|e| setup(format!("cannot read {shown}: {e}")))?;
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let by_ext = settings.templates.for_extension(&ext).map(|t| t.id.clone());
        let id = template_id
            .or(by_ext.as_deref())
            .ok_or_else(|| setup("cannot tell the template; name it with -t ID"))?;
        Ok(Self::single(template_def(settings, id)?, code))
    }

    fn single(template: TemplateDef, code: Vec<u8>) -> Self {
        Self {
            main_file: template.file.clone(),
            files: vec![(template.file.clone(), code)],
            template,
            dependencies: Vec::new(),
            project: None,
        }
    }

    /// A folder: a project made by `new`, else any repository.
    pub fn from_folder(
        dir: &Path,
        template: Option<String>,
        settings: &Settings,
    ) -> Result<Self, RunError> {
        if crate::fragment::project::is_project(dir) {
            project_job(dir, template, settings)
        } else {
            repository_job(dir, template, settings)
        }
    }
}

/// A project folder is untrusted (it may be a clone): its manifest is loaded with the
/// same path rules as a model's answer, and each file is read beneath a handle on the
/// folder, never through a symlink, regular files only, size-capped.
fn project_job(dir: &Path, template: Option<String>, settings: &Settings) -> Result<Job, RunError> {
    let project = Project::open(dir).map_err(|e| match e {
        ProjectError::NotAProject(_) => setup(format!(
            "{} is not a project (no .codingit/fragment.json)\n  how to fix: give a project folder made by `codingit new`, a file, or - for stdin",
            dir.display()
        )),
        other => setup(other.to_string()),
    })?;
    let fragment = &project.fragment;
    let id = template.unwrap_or_else(|| fragment.template.clone());
    let template = template_def(settings, &id)?;
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

/// A repository (a folder `new` did not make): every file git would track, read
/// beneath a handle on the folder (links never followed), on the named template or
/// the one its files point to.
fn repository_job(
    dir: &Path,
    template: Option<String>,
    settings: &Settings,
) -> Result<Job, RunError> {
    use crate::repo::listing::list_files;
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
        .unwrap_or_else(|| crate::repo::detect::template_for(&listed, &read_text).to_string());
    let template = template_def(settings, &id)?;
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
pub fn artifacts_root(chosen: Option<&Path>, job: &Job) -> Result<Root, RunError> {
    let fail = |path: &Path, e: &dyn std::fmt::Display| {
        setup(format!("artifacts folder {}: {e}", path.display()))
    };
    match (chosen, &job.project) {
        (Some(dir), _) => {
            std::fs::create_dir_all(dir).map_err(|e| fail(dir, &e))?;
            let real = std::fs::canonicalize(dir).map_err(|e| fail(dir, &e))?;
            Root::open(&real).map_err(|e| fail(dir, &e))
        }
        (None, Some(project)) => {
            let root = Root::open(project).map_err(|e| fail(project, &e))?;
            root.create_dir_all(RESULTS_DIR)
                .map_err(|e| fail(project, &e))?;
            root.subdir(RESULTS_DIR).map_err(|e| fail(project, &e))
        }
        (None, None) => Root::open(Path::new(".")).map_err(|e| fail(Path::new("."), &e)),
    }
}
