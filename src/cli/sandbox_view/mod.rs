//! How the commands that run code in a sandbox (`run`, `new --run`, chat's `/run`, the
//! checks) hand their flags to the library's run plan and show what happens. The run
//! itself is `codingit::sandbox::job`; this module only renders it.

mod access;
mod render;

pub use access::{connect_existing, connect_many, find, kind_name, sandbox_error};

use super::args::SandboxOptions;
use super::exit::{CliError, CliResult, Exit};
use super::output::Output;
use codingit::catalog::TemplateDef;
use codingit::config::Settings;
use codingit::events::Event;
use codingit::sandbox::job::{self, Job, RunError, RunOutcome, RunPlan, RunRequest};
use codingit::sandbox::select::Choice;
use codingit::sandbox::{phase, Backend, BackendKind, BuildProgress, SandboxError, SandboxInfo};
use render::Report;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The run plan from a command's sandbox flags (and `--timeout`), the settings and
/// the defaults.
pub fn plan(
    options: &SandboxOptions,
    timeout: Option<&str>,
    settings: &Settings,
) -> CliResult<RunPlan> {
    let timeout = timeout
        .map(codingit::config::parse_duration)
        .transpose()
        .map_err(|e| CliError::new(Exit::Usage, e))?;
    RunPlan::resolve(&options.flags(timeout), settings).map_err(run_error)
}

/// The exit code and message of a run that did not happen or did not finish.
pub fn run_error(e: RunError) -> CliError {
    match e {
        RunError::Usage(message) => CliError::new(Exit::Usage, message),
        RunError::Config(message) => CliError::new(Exit::Config, message),
        RunError::Setup(message) => CliError::new(Exit::RunSetup, message),
        RunError::Sandbox(SandboxError::Limit(message)) => CliError::new(Exit::Usage, message),
        RunError::Sandbox(e) => CliError::new(Exit::RunSetup, e.to_string()),
        RunError::Stopped => {
            CliError::new(Exit::Cancelled, "stopped (Ctrl-C); the sandbox is removed")
        }
    }
}

/// Connects to the planned backend and says on stderr which one it is (and why, for
/// `auto`), so a `DOCKER_HOST` is never silently ignored.
pub async fn connect(
    plan: &RunPlan,
    settings: &Settings,
    out: &Output,
) -> CliResult<Box<dyn Backend>> {
    if plan.connect.unsafe_no_confinement {
        out.warn(
            "--unsafe-no-confinement: sandboxed code may run WITHOUT the protections the \
             kernel cannot enforce; only use this for code you trust",
        );
    }
    let backend = plan
        .connect(settings)
        .await
        .map_err(|e| run_error(e.into()))?;
    let engine = codingit::sandbox::docker::engine_address();
    let name = match backend.kind() {
        BackendKind::Docker => format!("docker at {engine}"),
        BackendKind::Local => "local".to_string(),
        BackendKind::E2b => "e2b".to_string(),
    };
    let why = match (plan.backend, backend.kind()) {
        (Choice::Auto, BackendKind::Docker) => " (auto: a Docker engine answered)".to_string(),
        (Choice::Auto, _) => format!(" (auto: no Docker engine answered at {engine})"),
        _ => String::new(),
    };
    out.info(format!("sandbox backend: {name}{why}"));
    phase("connected");
    Ok(backend)
}

/// Shows a template build: a spinner on a terminal, else one line per step.
pub struct BuildView<'a> {
    out: &'a Output,
    template: String,
    backend_name: &'static str,
    bar: Option<indicatif::ProgressBar>,
}

impl<'a> BuildView<'a> {
    pub fn new(out: &'a Output, template: &TemplateDef, backend: BackendKind) -> Self {
        let bar = out.show_progress().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let backend_name = match backend {
            BackendKind::Docker => "a Docker image",
            BackendKind::Local => "the local environment",
            BackendKind::E2b => "an E2B template",
        };
        Self {
            out,
            template: template.id.clone(),
            backend_name,
            bar,
        }
    }

    pub fn show(&self, progress: BuildProgress) {
        match (progress, &self.bar) {
            (BuildProgress::Step(step), Some(bar)) => {
                bar.set_message(format!("{}: {step}", self.template))
            }
            (BuildProgress::Step(step), None) => self.out.info(format!(
                "building {} ({}): {step}",
                self.template, self.backend_name
            )),
            (BuildProgress::Log(_), Some(bar)) => bar.tick(),
            (BuildProgress::Log(_), None) => {}
        }
    }
}

impl Drop for BuildView<'_> {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Builds the template's image or environment when needed, showing the build.
pub async fn prepare(backend: &dyn Backend, template: &TemplateDef, out: &Output) -> CliResult {
    let view = BuildView::new(out, template, backend.kind());
    let progress = |p: BuildProgress| view.show(p);
    backend
        .prepare(template, &progress)
        .await
        .map_err(|e| run_error(e.into()))
}

/// Runs `job` as `plan` says and shows it: human text, one `--json` document, or
/// `--events` lines. The run's record goes to the log. A program that fails exits
/// with its own code; Ctrl-C stops the run and removes the sandbox.
pub fn run_shown(
    job: &Job,
    plan: &RunPlan,
    request: &RunRequest,
    events: bool,
    settings: &Settings,
    out: &Output,
) -> CliResult {
    // One thread: a run mostly waits on one child, and starting worker threads costs
    // time on every short run.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            CliError::new(
                Exit::RunSetup,
                format!("cannot start the async runtime: {e}"),
            )
        })?;
    runtime
        .block_on(run_async(job, plan, request, events, settings, out))
        .map_err(|e| error_event(out, events, e))
}

/// Runs a project folder as `run DIR` would, with the command's sandbox flags:
/// `new --run` and chat's `/run`.
pub fn run_folder(
    dir: &std::path::Path,
    options: &SandboxOptions,
    events: bool,
    settings: &Settings,
    out: &Output,
) -> CliResult {
    let job = Job::from_path(dir, None, settings)
        .map_err(run_error)
        .map_err(|e| error_event(out, events, e))?;
    let plan = plan(options, None, settings).map_err(|e| error_event(out, events, e))?;
    run_shown(&job, &plan, &RunRequest::default(), events, settings, out)
}

/// With `--events`, codingit's own error is an `error` event too (a program's own
/// failure was already reported as its `exec.exit`).
pub fn error_event(out: &Output, events: bool, e: CliError) -> CliError {
    if events && !e.reported && !e.message.is_empty() {
        out.emit(&Event::Error {
            kind: error_kind(e.exit).into(),
            message: e.message.clone(),
        });
    }
    e
}

/// The `kind` of an `error` event (docs/json-formats.md), from the exit code.
fn error_kind(exit: Exit) -> &'static str {
    match exit {
        Exit::Usage => "usage",
        Exit::Config => "config",
        Exit::Sandbox => "sandbox",
        Exit::RunTimeout => "timeout",
        Exit::RunSetup => "run_setup",
        Exit::Cancelled => "cancelled",
        Exit::ChecksFailed => "checks_failed",
        _ => "failure",
    }
}

async fn run_async(
    job: &Job,
    plan: &RunPlan,
    request: &RunRequest,
    events: bool,
    settings: &Settings,
    out: &Output,
) -> CliResult {
    // Listening from here: a SIGTERM (a CI job cancelled) stops the run like Ctrl-C, so
    // the sandbox is released instead of left behind by a process killed on the spot.
    let mut interrupt = crate::cli::interrupt::Interrupt::listen()?;
    let backend = connect(plan, settings, out).await?;
    let report = Report::new(out, events, plan);
    let build = BuildView::new(out, &job.template, backend.kind());
    let created: Mutex<Option<SandboxInfo>> = Mutex::new(None);
    let on_progress = |p: job::RunProgress<'_>| {
        if let job::RunProgress::Building(step) = p {
            build.show(step);
            return;
        }
        if let job::RunProgress::Created { info, .. } = &p {
            let facts = super::journal::RunFacts {
                info,
                project: job.project.as_deref(),
            };
            super::journal::begin_run(out, &facts);
            if let Ok(mut slot) = created.lock() {
                *slot = Some((*info).clone());
            }
        }
        report.progress(p);
    };
    let started = Instant::now();
    let stop = interrupt.next();
    let outcome = job::run_job(backend.as_ref(), job, plan, request, &on_progress, stop).await;
    drop(build);
    let web = job.template.kind == codingit::catalog::TemplateKind::Web;
    let result = match outcome {
        Ok(RunOutcome::Cell(cell)) => report.cell(&cell),
        // Everything about an app was shown when it answered.
        Ok(RunOutcome::App(_)) => Ok(()),
        Err(RunError::Stopped) if web => {
            out.info("stopped; the sandbox is removed");
            Err(CliError::reported(Exit::Cancelled))
        }
        Err(e) => Err(run_error(e)),
    };
    let info = created.lock().ok().and_then(|mut slot| slot.take());
    if let Some(info) = &info {
        let facts = super::journal::RunFacts {
            info,
            project: job.project.as_deref(),
        };
        super::journal::record_run(out, facts, &result, started);
    }
    result
}
