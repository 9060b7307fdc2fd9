//! `codingit run [PATH|-]`: run a project, a file or stdin in a sandbox. Speaks only to
//! the `Backend` trait.

mod interpret;
mod job;
mod report;
mod serve;

use job::{load_job, Job};
use report::Report;

use super::args::{BackendChoice, RunArgs, SandboxOptions};
use super::check::Judge;
use super::exit::{CliError, CliResult, Exit};
use super::output::Output;
use codingit::catalog::{TemplateDef, TemplateKind};
use codingit::config::Settings;
use codingit::sandbox::phase;
use codingit::sandbox::select::{self, Choice, ConnectOptions, LimitFlags};
use codingit::sandbox::{Backend, BuildProgress, Limits, OutputChunk, SandboxError, SandboxSpec};
use serde_json::{json, Value};
use std::sync::Mutex;
use std::time::Duration;

pub(super) const DEFAULT_LIFETIME: Duration = Duration::from_secs(600);
pub(super) use codingit::check::{ARTIFACTS_DIR as ARTIFACTS, RESULT_FILE as RESULT};
pub(crate) use job::folder_job;
/// The project's folder for artifacts, relative to the project.
pub(super) const RESULTS: &str = ".codingit/results";

pub(super) fn setup(message: impl Into<String>) -> CliError {
    CliError::new(Exit::RunSetup, message)
}

pub(crate) fn sandbox_err(e: SandboxError) -> CliError {
    setup(e.to_string())
}

pub fn run(args: RunArgs, settings: &Settings, out: &Output) -> CliResult {
    // One thread: a run mostly waits on one child, and starting worker threads costs
    // time on every short run.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| setup(format!("cannot start the async runtime: {e}")))?;
    let events = args.events;
    let result = runtime.block_on(run_async(args, settings, out));
    if let Err(e) = &result {
        // A program's own failure was reported as its exit; codingit's are events too.
        if events && !e.reported && !e.message.is_empty() {
            out.event(
                "error",
                json!({ "kind": error_kind(e.exit), "message": e.message }),
            );
        }
    }
    result
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

pub fn backend_choice(options: &SandboxOptions, settings: &Settings) -> CliResult<Choice> {
    if let Some(choice) = options.backend {
        return Ok(match choice {
            BackendChoice::Auto => Choice::Auto,
            BackendChoice::Docker => Choice::Docker,
            BackendChoice::Local => Choice::Local,
            BackendChoice::E2b => Choice::E2b,
        });
    }
    match settings.file.defaults.backend.as_deref() {
        None => Ok(Choice::Auto),
        Some(text) => Choice::parse(text).ok_or_else(|| {
            CliError::new(
                Exit::Config,
                format!("defaults.backend = `{text}` is not auto, docker, local or e2b"),
            )
        }),
    }
}

/// Connects to the chosen backend and says on stderr which one it is.
pub async fn connect(
    options: &SandboxOptions,
    settings: &Settings,
    out: &Output,
) -> CliResult<Box<dyn Backend>> {
    let choice = backend_choice(options, settings)?;
    if options.unsafe_no_confinement {
        out.warn(
            "--unsafe-no-confinement: sandboxed code may run WITHOUT the protections the \
             kernel cannot enforce; only use this for code you trust",
        );
    }
    let backend = select::connect(
        Some(choice),
        settings,
        ConnectOptions {
            unsafe_no_confinement: options.unsafe_no_confinement,
        },
    )
    .await
    .map_err(sandbox_err)?;
    // Always the engine actually used, so a DOCKER_HOST is never silently ignored.
    let engine = codingit::sandbox::docker::engine_address();
    let name = match backend.kind() {
        codingit::sandbox::BackendKind::Docker => format!("docker at {engine}"),
        codingit::sandbox::BackendKind::Local => "local".to_string(),
        codingit::sandbox::BackendKind::E2b => "e2b".to_string(),
    };
    let why = match (choice, backend.kind()) {
        (Choice::Auto, codingit::sandbox::BackendKind::Docker) => {
            " (auto: a Docker engine answered)".to_string()
        }
        (Choice::Auto, _) => format!(" (auto: no Docker engine answered at {engine})"),
        _ => String::new(),
    };
    out.info(format!("sandbox backend: {name}{why}"));
    Ok(backend)
}

/// The sandbox's limits: flags, then `[sandbox]` settings, then the defaults; the
/// one strict parser and the rules against turning a limit off live in `select`.
pub(crate) fn limits(options: &SandboxOptions, settings: &Settings) -> CliResult<Limits> {
    let flags = LimitFlags {
        memory: options.memory.clone(),
        cpus: options.cpus,
        pids: None,
    };
    select::limits_with(settings, &flags).map_err(|e| match e {
        SandboxError::Limit(message) => CliError::new(Exit::Usage, message),
        other => sandbox_err(other),
    })
}

async fn run_async(args: RunArgs, settings: &Settings, out: &Output) -> CliResult {
    let job = load_job(&args, settings)?;
    let web = job.template.kind == TemplateKind::Web;
    if args.detach && !web {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "--detach keeps a web app running; `{}` runs a cell to its end\n  how to fix: drop --detach",
                job.template.id
            ),
        ));
    }
    let project = job.project.as_deref();
    if let Some(judge) = Judge::from_args(&args.judge, &args.sandbox, settings, false, project)? {
        return check_only(&judge, &job, settings, out, args.events).await;
    }
    let timeout = match &args.timeout {
        Some(t) => {
            Some(codingit::config::parse_duration(t).map_err(|e| CliError::new(Exit::Usage, e))?)
        }
        None => None,
    };
    let backend = connect(&args.sandbox, settings, out).await?;
    phase("connected");
    let limits = limits(&args.sandbox, settings)?;
    let report = Report {
        out,
        events: args.events,
        oom_message: select::oom_message(&limits),
        confinement: Mutex::new(Value::Null),
        stdout: Mutex::new(Vec::new()),
        stderr: Mutex::new(Vec::new()),
    };
    prepare(backend.as_ref(), &job.template, out).await?;
    phase("image checked");
    let lifetime = if web && args.detach {
        timeout
            .or(settings.file.sandbox.timeout)
            .unwrap_or(DEFAULT_LIFETIME)
    } else {
        timeout
            .or(settings.file.sandbox.exec_timeout)
            .unwrap_or(DEFAULT_LIFETIME)
            + Duration::from_secs(60)
    };
    let spec = SandboxSpec {
        template: job.template.clone(),
        project: job.project.as_ref().map(|p| p.display().to_string()),
        lifetime,
        network: args.sandbox.network,
        limits,
        env: Default::default(),
    };
    // Interpreter templates only (a web app's sandbox lives on its own terms).
    let pool = settings.file.sandbox.pool.unwrap_or(1);
    backend.use_warm_pool(if web { 0 } else { pool });
    // A detached app must outlive this process; anything else goes with it.
    backend.outlive_process(web && args.detach);
    let started = std::time::Instant::now();
    let info = backend.create(&spec).await.map_err(sandbox_err)?;
    phase("sandbox created");
    if backend.claimed_from_pool(&info.id) {
        tracing::info!("sandbox {} from the warm pool", info.id);
    }
    report.event(
        "sandbox.created",
        json!({ "sandbox_id": info.id, "backend": info.backend, "template": info.template }),
    );
    let id = info.id.clone();
    let facts = super::logs::RunFacts {
        info: &info,
        project: job.project.as_deref(),
    };
    super::logs::begin_run(out, &facts);
    report.confinement(backend.confinement(&id));
    let result = tokio::select! {
        r = drive(backend.as_ref(), &id, &job, &args, timeout, &report) => r,
        _ = tokio::signal::ctrl_c() => Err(stopped(out, web)),
    };
    let facts = super::logs::RunFacts {
        info: &info,
        project: job.project.as_deref(),
    };
    super::logs::record_run(out, facts, &result, started);
    let keep = args.detach && web && result.is_ok();
    if !keep {
        let _ = backend.release(&id).await;
        phase("sandbox released");
    }
    result
}

/// Ctrl-C: for an attached web app that is how it is meant to stop (a note, exit
/// 130); for anything else an interruption (an error, exit 130).
fn stopped(out: &Output, web: bool) -> CliError {
    if web {
        out.info("stopped; the sandbox is removed");
        return CliError::reported(Exit::Cancelled);
    }
    CliError::new(Exit::Cancelled, "stopped (Ctrl-C); the sandbox is removed")
}

pub async fn prepare(backend: &dyn Backend, template: &TemplateDef, out: &Output) -> CliResult {
    let bar = if out.show_progress() {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(bar)
    } else {
        None
    };
    let shown = Mutex::new(false);
    let backend_name = match backend.kind() {
        codingit::sandbox::BackendKind::Docker => "a Docker image",
        codingit::sandbox::BackendKind::Local => "the local environment",
        codingit::sandbox::BackendKind::E2b => "an E2B template",
    };
    let progress = |p: BuildProgress| match p {
        BuildProgress::Step(step) => {
            if let Some(bar) = &bar {
                bar.set_message(format!("{}: {step}", template.id));
            } else {
                if let Ok(mut s) = shown.lock() {
                    *s = true;
                }
                out.info(format!("building {} ({backend_name}): {step}", template.id));
            }
        }
        BuildProgress::Log(_) => {
            if let Some(bar) = &bar {
                bar.tick();
            }
        }
    };
    let result = backend.prepare(template, &progress).await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result.map_err(sandbox_err)
}

async fn drive(
    backend: &dyn Backend,
    id: &str,
    job: &Job,
    args: &RunArgs,
    timeout: Option<Duration>,
    report: &Report<'_>,
) -> CliResult {
    if job.template.kind != TemplateKind::Interpreter {
        // An interpreter cell writes its files with the runner, in one go.
        backend
            .write_files(id, &job.files)
            .await
            .map_err(sandbox_err)?;
        phase("files written");
    }
    let missing = codingit::check::missing_packages(&job.template, &job.dependencies);
    if !missing.is_empty() {
        let sink = |c: OutputChunk| {
            let (OutputChunk::Stderr(b) | OutputChunk::Stdout(b)) = c;
            report.out.stderr_raw(&String::from_utf8_lossy(&b));
        };
        let outcome = backend
            .install(id, job.template.package_manager, &missing, &sink)
            .await
            .map_err(sandbox_err)?;
        if outcome.exit_code != 0 {
            return Err(setup(format!("installing {} failed", missing.join(", "))));
        }
    }
    match job.template.kind {
        TemplateKind::Interpreter => {
            interpret::interpret(backend, id, job, args, timeout, report).await
        }
        TemplateKind::Web => serve::serve(backend, id, job, args, report).await,
    }
}

/// `run --check` / `run --test`: the judgement alone, no model; exit 0 when every
/// check passed, else the documented code.
async fn check_only(
    judge: &Judge,
    job: &Job,
    settings: &Settings,
    out: &Output,
    events: bool,
) -> CliResult {
    let report = judge
        .judge_subject(&job.subject(), job.project.as_deref(), settings, out, None)
        .await?;
    if events {
        out.event(
            "check.result",
            json!({ "round": 1, "passed": report.passed(), "checks": report.checks }),
        );
    } else if out.json {
        out.json_value(&json!({
            "schema_version": super::output::SCHEMA_VERSION,
            "template": job.template.id,
            "passed": report.passed(),
            "checks": report.checks,
            "duration_ms": report.duration_ms,
            "log_id": super::logs::log_id(),
        }));
    } else {
        for check in &report.checks {
            let verdict = if check.passed { "passed" } else { "FAILED" };
            out.line(format!("{}: {verdict} ({})", check.name, check.summary));
        }
    }
    if report.passed() {
        Ok(())
    } else {
        Err(CliError::new(Exit::ChecksFailed, "checks failed"))
    }
}
