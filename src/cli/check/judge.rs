//! Which checks run (flags, config, the project's own settings) and running them in
//! a fresh sandbox of the chosen backend.

use super::args::JudgeArgs;
use crate::cli::args::SandboxOptions;
use crate::cli::exit::{CliError, CliResult, Exit};
use crate::cli::output::Output;
use crate::cli::sandbox_view;
use codingit::catalog::{PackageManager, TemplateKind};
use codingit::check::{judge, CheckReport, CheckSpec, Subject};
use codingit::config::Settings;
use codingit::fragment::checks::check_relative_path;
use codingit::safefs::Root;
use codingit::sandbox::job::{Job, RunPlan};
use codingit::sandbox::SandboxSpec;
use serde::Deserialize;
use std::path::Path;
use std::time::Duration;

/// The project's own settings (`.codingit/settings.toml`): untrusted like every
/// project file, but its tests only ever run inside the sandbox.
const PROJECT_SETTINGS: &str = ".codingit/settings.toml";
const TEST_FILE_MAX: u64 = 1 << 20;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectSettings {
    #[serde(default)]
    test: Vec<String>,
}

/// How this command judges code, and in which sandbox.
pub struct Judge {
    spec: CheckSpec,
    plan: RunPlan,
    /// The template of a repository's code (`-t`), else detected.
    template: Option<String>,
}

impl Judge {
    /// `None` when nothing asks for a check. `by_config`: `[check] enabled` counts
    /// (`new`, `chat`); `project`: a folder whose settings may add test commands.
    pub fn from_args(
        args: &JudgeArgs,
        sandbox: &SandboxOptions,
        settings: &Settings,
        by_config: bool,
        project: Option<&Path>,
    ) -> CliResult<Option<Self>> {
        let run_program = args.check || (by_config && settings.file.check.enabled.unwrap_or(false));
        if !run_program && args.tests.is_empty() && args.test_files.is_empty() {
            return Ok(None);
        }
        let mut tests = args.tests.clone();
        if let Some(dir) = project {
            tests.extend(project_tests(dir)?);
        }
        let test_files = args
            .test_files
            .iter()
            .map(|path| read_test_file(path))
            .collect::<CliResult<Vec<_>>>()?;
        if !args.check_path.starts_with('/') {
            return Err(CliError::new(
                Exit::Usage,
                format!("--check-path `{}` must start with /", args.check_path),
            ));
        }
        let plan = sandbox_view::plan(sandbox, None, settings)?;
        Ok(Some(Self {
            spec: CheckSpec {
                run_program,
                tests,
                test_files,
                check_path: args.check_path.clone(),
                timeout: plan.check_timeout(),
                start_timeout: Duration::from_secs(90),
            },
            plan,
            template: None,
        }))
    }

    /// Judges a repository's code on this template rather than the detected one.
    pub fn with_template(mut self, template: Option<String>) -> Self {
        self.template = template;
        self
    }

    /// The sandbox paths of the user's test files.
    pub fn fixed_files(&self) -> Vec<String> {
        self.spec
            .test_files
            .iter()
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// What the model is told up front about the user's acceptance tests.
    pub fn acceptance_text(&self) -> Option<String> {
        self.spec.acceptance_text()
    }

    /// Judges the project in `dir` as it is on disk.
    pub fn judge_dir(
        &self,
        dir: &Path,
        settings: &Settings,
        out: &Output,
        time_left: Option<Duration>,
    ) -> CliResult<CheckReport> {
        let job = Job::from_folder(dir, self.template.clone(), settings)
            .map_err(sandbox_view::run_error)?;
        let runtime = crate::cli::runtime()?;
        runtime.block_on(self.judge_subject(&job.subject(), Some(dir), settings, out, time_left))
    }

    /// Judges `subject` in a fresh sandbox, removed afterwards; Ctrl-C stops it.
    pub async fn judge_subject(
        &self,
        subject: &Subject,
        project: Option<&Path>,
        settings: &Settings,
        out: &Output,
        time_left: Option<Duration>,
    ) -> CliResult<CheckReport> {
        let mut spec = self.spec.clone();
        spec.start_timeout = if subject.template.package_manager == PackageManager::Npm {
            Duration::from_secs(180)
        } else {
            spec.start_timeout
        };
        if let Some(left) = time_left {
            spec.timeout = spec.timeout.min(left);
            spec.start_timeout = spec.start_timeout.min(left);
        }
        let backend = sandbox_view::connect(&self.plan, settings, out).await?;
        sandbox_view::prepare(backend.as_ref(), &subject.template, out).await?;
        let interpreter = subject.template.kind == TemplateKind::Interpreter;
        backend.use_warm_pool(if interpreter { self.plan.pool } else { 0 });
        backend.outlive_process(false);
        let sandbox = SandboxSpec {
            template: subject.template.clone(),
            project: project.map(|p| p.display().to_string()),
            lifetime: spec.timeout * (spec.tests.len() as u32 + 1)
                + spec.start_timeout
                + Duration::from_secs(120),
            network: self.plan.network,
            limits: self.plan.limits.clone(),
            env: Default::default(),
        };
        let started = std::time::Instant::now();
        let mut interrupt = crate::cli::interrupt::Interrupt::listen()?;
        let info = backend
            .create(&sandbox)
            .await
            .map_err(|e| sandbox_view::run_error(e.into()))?;
        let result = tokio::select! {
            r = judge(backend.as_ref(), &info.id, subject, &spec) => r.map_err(|e| sandbox_view::run_error(e.into())),
            _ = interrupt.next() => Err(CliError::new(Exit::Cancelled, "stopped (Ctrl-C or SIGTERM) while checking")),
        };
        let _ = backend.release(&info.id).await;
        if let Ok(report) = &result {
            let facts = crate::cli::journal::RunFacts {
                info: &info,
                project,
            };
            crate::cli::journal::record_check(out, facts, report, started);
        }
        result
    }
}

/// `test = [...]` from the project's settings, read beneath a handle on the folder
/// (a link planted there is not followed).
fn project_tests(dir: &Path) -> CliResult<Vec<String>> {
    let fail = |e: &dyn std::fmt::Display| {
        CliError::new(
            Exit::Usage,
            format!("{}/{PROJECT_SETTINGS}: {e}", dir.display()),
        )
    };
    let root = Root::open(dir).map_err(|e| fail(&e))?;
    let bytes = match root.read(PROJECT_SETTINGS, 64 * 1024) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Ok(Vec::new()),
        Err(e) => return Err(fail(&e)),
    };
    let text = String::from_utf8(bytes).map_err(|e| fail(&e))?;
    let settings: ProjectSettings = toml::from_str(&text).map_err(|e| fail(&e))?;
    Ok(settings.test)
}

/// A test file of the user's: kept at its relative path when that is a clean one,
/// else by its name.
fn read_test_file(path: &Path) -> CliResult<(String, Vec<u8>)> {
    let fail = |e: &dyn std::fmt::Display| {
        CliError::new(Exit::Usage, format!("--test-file {}: {e}", path.display()))
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(&e))?;
    if !meta.is_file() || meta.len() > TEST_FILE_MAX {
        return Err(fail(&"not a regular file of at most 1 MiB"));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(&e))?;
    let text = path.to_string_lossy();
    let name = if path.is_relative() && check_relative_path(&text).is_ok() {
        text.trim_start_matches("./").to_string()
    } else {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| fail(&"no file name"))?
    };
    Ok((name, bytes))
}
