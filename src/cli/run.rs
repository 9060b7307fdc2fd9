//! `codingit run [PATH|-]`: run a project, a file or stdin in a sandbox. Speaks only to
//! the `Backend` trait.

use super::args::{BackendChoice, RunArgs, SandboxOptions};
use super::exit::{CliError, CliResult, Exit};
use super::output::{Output, SCHEMA_VERSION};
use codingit::catalog::{TemplateDef, TemplateKind};
use codingit::config::Settings;
use codingit::fragment::project::{Project, ProjectError};
use codingit::safefs::Root;
use codingit::sandbox::artifacts;
use codingit::sandbox::phase;
use codingit::sandbox::select::{self, Choice, ConnectOptions, LimitFlags};
use codingit::sandbox::{
    Backend, BuildProgress, Confinement, ExecRequest, Limits, OutputChunk, SandboxError,
    SandboxSpec, RUNNER_PY,
};
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

const DEFAULT_LIFETIME: Duration = Duration::from_secs(600);
const RUNNER: &str = ".codingit/runner.py";
const RESULT: &str = ".codingit/result.json";
const ARTIFACTS: &str = ".codingit/artifacts";
/// The project's folder for artifacts, relative to the project.
const RESULTS: &str = ".codingit/results";

/// What to run.
struct Job {
    template: TemplateDef,
    files: Vec<(String, Vec<u8>)>,
    main_file: String,
    dependencies: Vec<String>,
    project: Option<PathBuf>,
}

fn setup(message: impl Into<String>) -> CliError {
    CliError::new(Exit::RunSetup, message)
}

fn sandbox_err(e: SandboxError) -> CliError {
    setup(e.to_string())
}

pub fn run(args: RunArgs, settings: &Settings, out: &Output) -> CliResult {
    // One thread: a run mostly waits on one child, and starting worker threads costs
    // time on every short run.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| setup(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(run_async(args, settings, out))
}

pub fn backend_choice(options: &SandboxOptions, settings: &Settings) -> CliResult<Choice> {
    if let Some(choice) = options.backend {
        return Ok(match choice {
            BackendChoice::Auto => Choice::Auto,
            BackendChoice::Docker => Choice::Docker,
            BackendChoice::Local => Choice::Local,
        });
    }
    match settings.file.defaults.backend.as_deref() {
        None => Ok(Choice::Auto),
        Some(text) => Choice::parse(text).ok_or_else(|| {
            CliError::new(
                Exit::Config,
                format!("defaults.backend = `{text}` is not auto, docker or local"),
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
    let name = match backend.kind() {
        codingit::sandbox::BackendKind::Docker => "docker",
        codingit::sandbox::BackendKind::Local => "local",
    };
    let why = match (choice, backend.kind()) {
        (Choice::Auto, codingit::sandbox::BackendKind::Docker) => {
            " (auto: a Docker engine answered)"
        }
        (Choice::Auto, _) => " (auto: no Docker engine answered)",
        _ => "",
    };
    out.info(format!("sandbox backend: {name}{why}"));
    Ok(backend)
}

/// The sandbox's limits: flags, then `[sandbox]` settings, then the defaults; the
/// one strict parser and the rules against turning a limit off live in `select`.
fn limits(options: &SandboxOptions, settings: &Settings) -> CliResult<Limits> {
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

fn load_job(args: &RunArgs, settings: &Settings) -> CliResult<Job> {
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
    if p.is_dir() {
        return load_project(&p, args, settings);
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

/// Largest project file uploaded.
const MAX_UPLOAD_FILE: u64 = 64 << 20;

/// A project folder is untrusted (it may be a clone): its manifest is loaded with the
/// same path rules as a model's answer, and each file is read beneath a handle on the
/// folder, never through a symlink, regular files only, size-capped.
fn load_project(dir: &Path, args: &RunArgs, settings: &Settings) -> CliResult<Job> {
    let project = Project::open(dir).map_err(|e| match e {
        ProjectError::NotAProject(_) => setup(format!(
            "{} is not a project (no .codingit/fragment.json)\n  how to fix: give a project folder made by `codingit new`, a file, or - for stdin",
            dir.display()
        )),
        other => setup(other.to_string()),
    })?;
    let fragment = &project.fragment;
    let id = args
        .template
        .clone()
        .unwrap_or_else(|| fragment.template.clone());
    let template = settings
        .templates
        .get(&id)
        .map_err(|e| setup(e.to_string()))?
        .clone();
    let root = Root::open(dir).map_err(|e| setup(format!("{}: {e}", dir.display())))?;
    // The files on disk win over the manifest's copy: the user may have edited them.
    let mut files = Vec::new();
    for (path, code) in fragment.all_files() {
        let bytes = match root.read(path, MAX_UPLOAD_FILE) {
            Ok(bytes) => bytes,
            Err(e) if e.is_not_found() => code.as_bytes().to_vec(),
            Err(e) => {
                return Err(setup(format!(
                    "{}: {e}; nothing was uploaded",
                    dir.display()
                )))
            }
        };
        files.push((path.to_string(), bytes));
    }
    Ok(Job {
        template,
        files,
        main_file: fragment.file_path.clone(),
        dependencies: fragment.additional_dependencies.clone(),
        project: Some(dir.to_path_buf()),
    })
}

/// Where artifacts go: `--artifacts DIR` (the user's folder, created when missing),
/// the project's `.codingit/results` (beneath a handle on the project: a link planted
/// there is not followed), else the current folder.
fn artifacts_root(args: &RunArgs, job: &Job) -> CliResult<Root> {
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

/// How results are reported: human text, one JSON document, or event lines.
struct Report<'a> {
    out: &'a Output,
    events: bool,
    /// What to say when the program is killed for using too much memory.
    oom_message: String,
    /// What confines the sandbox, as the backend reports it (JSON null: not reported).
    confinement: Mutex<Value>,
    stdout: Mutex<Vec<u8>>,
    stderr: Mutex<Vec<u8>>,
}

impl Report<'_> {
    /// Keeps the backend's account of the sandbox's confinement for `--json`, and
    /// shows it at `-v` and as a `sandbox.confinement` event.
    fn confinement(&self, confinement: Option<Confinement>) {
        let Some(c) = confinement else { return };
        let value = serde_json::to_value(&c).unwrap_or(Value::Null);
        self.event("sandbox.confinement", value.clone());
        if self.out.verbosity >= 1 {
            let caps = &c.capabilities;
            self.out.info(format!(
                "confinement ({}): uid {} gid {}, capabilities {caps}, bubblewrap {}, \
                 landlock {}, seccomp {}, pid namespace {}, network namespace {}, \
                 unix sockets {}, memory cgroup {}",
                c.backend,
                c.uid,
                c.gid,
                c.bubblewrap,
                c.landlock_abi
                    .map_or("off".to_string(), |abi| format!("ABI {abi}")),
                c.seccomp,
                c.pid_namespace,
                c.net_namespace,
                c.unix_sockets,
                c.memory_cgroup,
            ));
            for why in &c.refused {
                self.out.info(format!("  not enforced: {why}"));
            }
            for note in &c.notes {
                self.out.info(format!("  note: {note}"));
            }
        }
        if let Ok(mut slot) = self.confinement.lock() {
            *slot = value;
        }
    }

    fn confinement_json(&self) -> Value {
        self.confinement
            .lock()
            .map(|v| v.clone())
            .unwrap_or(Value::Null)
    }

    fn event(&self, name: &str, data: Value) {
        if self.events {
            self.out.event(name, data);
        }
    }

    fn chunk(&self, chunk: OutputChunk) {
        let (bytes, is_out) = match chunk {
            OutputChunk::Stdout(b) => (b, true),
            OutputChunk::Stderr(b) => (b, false),
        };
        if self.events {
            let name = if is_out { "exec.stdout" } else { "exec.stderr" };
            self.event(name, json!({ "text": String::from_utf8_lossy(&bytes) }));
        } else if self.out.json {
            let store = if is_out { &self.stdout } else { &self.stderr };
            if let Ok(mut s) = store.lock() {
                s.extend_from_slice(&bytes);
            }
        } else if is_out {
            self.out.raw(&bytes);
        } else {
            self.out.stderr_raw(&String::from_utf8_lossy(&bytes));
        }
    }
}

async fn run_async(args: RunArgs, settings: &Settings, out: &Output) -> CliResult {
    let job = load_job(&args, settings)?;
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
    let web = job.template.kind == TemplateKind::Web;
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
    report.confinement(backend.confinement(&id));
    let result = tokio::select! {
        r = drive(backend.as_ref(), &id, &job, &args, timeout, &report) => r,
        _ = tokio::signal::ctrl_c() => Err(CliError::new(Exit::Cancelled, "stopped (Ctrl-C); the sandbox is removed")),
    };
    let keep = args.detach && web && result.is_ok();
    if !keep {
        let _ = backend.release(&id).await;
        phase("sandbox released");
    }
    result
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
    let progress = |p: BuildProgress| match p {
        BuildProgress::Step(step) => {
            if let Some(bar) = &bar {
                bar.set_message(format!("{}: {step}", template.id));
            } else {
                if let Ok(mut s) = shown.lock() {
                    *s = true;
                }
                out.info(format!(
                    "building the local environment of {}: {step}",
                    template.id
                ));
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
    let missing: Vec<String> = job
        .dependencies
        .iter()
        .filter(|d| !job.template.has_package(d))
        .cloned()
        .collect();
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
        TemplateKind::Interpreter => interpret(backend, id, job, args, timeout, report).await,
        TemplateKind::Web => serve(backend, id, job, args, report).await,
    }
}

async fn interpret(
    backend: &dyn Backend,
    id: &str,
    job: &Job,
    args: &RunArgs,
    timeout: Option<Duration>,
    report: &Report<'_>,
) -> CliResult {
    let mut files = job.files.clone();
    files.push((RUNNER.to_string(), RUNNER_PY.as_bytes().to_vec()));
    files.push((format!("{ARTIFACTS}/.keep"), Vec::new()));
    let request = ExecRequest {
        argv: ["python3", RUNNER, &job.main_file, RESULT, ARTIFACTS]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        timeout: Some(timeout.unwrap_or(DEFAULT_LIFETIME)),
        ..ExecRequest::default()
    };
    let sink = |c: OutputChunk| report.chunk(c);
    let (outcome, result) = backend
        .run_cell(id, &files, &request, RESULT, &sink)
        .await
        .map_err(sandbox_err)?;
    let result: Value = result
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    phase("code ran, result read");
    let dest = artifacts_root(args, job)?;
    let collected = artifacts::collect(backend, id, ARTIFACTS, &dest)
        .await
        .map_err(sandbox_err)?;
    for why in &collected.skipped {
        report.out.warn(format!("artifact not copied: {why}"));
    }
    let saved: Vec<String> = collected
        .saved
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let code = if outcome.timed_out {
        Exit::RunTimeout as i64
    } else {
        outcome.exit_code
    };
    let value = result["value"].clone();
    if report.events {
        for path in &saved {
            report.event("exec.result", json!({ "artifact": path }));
        }
        report.event(
            "exec.result",
            json!({ "value": value, "error": result["error"], "artifacts": saved }),
        );
        report.event(
            "exec.exit",
            json!({ "exit_code": code, "timed_out": outcome.timed_out, "truncated": outcome.truncated, "oom_killed": outcome.oom_killed }),
        );
    } else if report.out.json {
        let take = |m: &Mutex<Vec<u8>>| {
            m.lock()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        report.out.json_value(&json!({
            "schema_version": SCHEMA_VERSION,
            "sandbox_id": id,
            "template": job.template.id,
            "stdout": take(&report.stdout),
            "stderr": take(&report.stderr),
            "value": value,
            "error": result["error"],
            "artifacts": saved,
            "exit_code": code,
            "timed_out": outcome.timed_out,
            "truncated": outcome.truncated,
            "oom_killed": outcome.oom_killed,
            "pooled": backend.claimed_from_pool(id),
            "confinement": report.confinement_json(),
        }));
    } else {
        if let Some(v) = value.as_str() {
            report.out.line(v);
        }
        for path in &saved {
            report.out.info(format!("chart saved: {path}"));
        }
        if outcome.timed_out {
            report.out.warn("the program was stopped at its time limit");
        }
        if outcome.truncated {
            report.out.warn("output went past the limit and was cut");
        }
        if outcome.oom_killed {
            report.out.warn(&report.oom_message);
        }
    }
    if code == 0 {
        Ok(())
    } else {
        let exit = u8::try_from(code.clamp(1, 255)).unwrap_or(1);
        Err(CliError::reported(Exit::Failure).with_code(exit))
    }
}

async fn serve(
    backend: &dyn Backend,
    id: &str,
    job: &Job,
    args: &RunArgs,
    report: &Report<'_>,
) -> CliResult {
    let port = job
        .template
        .port
        .ok_or_else(|| setup(format!("template `{}` has no port", job.template.id)))?;
    let request = ExecRequest {
        argv: job.template.start.clone(),
        ..ExecRequest::default()
    };
    backend.start_app(id, &request).await.map_err(sandbox_err)?;
    let preview = backend.expose(id, port).await.map_err(sandbox_err)?;
    let patience = if job.template.package_manager == codingit::catalog::PackageManager::Npm {
        Duration::from_secs(180)
    } else {
        Duration::from_secs(90)
    };
    if !wait_http(preview.local_port, patience).await {
        let log = Mutex::new(Vec::new());
        let sink = |c: OutputChunk| {
            if let (Ok(mut l), OutputChunk::Stdout(b) | OutputChunk::Stderr(b)) = (log.lock(), c) {
                l.extend_from_slice(&b);
            }
        };
        let _ = backend.logs(id, false, &sink).await;
        let text = log
            .lock()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .unwrap_or_default();
        return Err(setup(format!(
            "the app did not answer on port {port} within {}s; its log:\n{text}",
            patience.as_secs()
        )));
    }
    report.event(
        "preview.ready",
        json!({ "sandbox_id": id, "url": preview.url }),
    );
    let info = backend.get(id).await.map_err(sandbox_err)?;
    if report.out.json {
        report.out.json_value(&json!({
            "schema_version": SCHEMA_VERSION,
            "sandbox_id": id,
            "template": job.template.id,
            "url": preview.url,
            "detached": args.detach,
            "expires_at": info.expires_at,
            "confinement": report.confinement_json(),
        }));
    } else if !report.events {
        report.out.line(&preview.url);
        if args.detach {
            report.out.line(id);
        }
    }
    if args.detach {
        report.out.info(format!(
            "sandbox {id} keeps running until it expires; stop it with `codingit sandbox kill {id}`"
        ));
        return Ok(());
    }
    report
        .out
        .info("serving; Ctrl-C stops and removes the sandbox");
    let sink = |c: OutputChunk| {
        let (OutputChunk::Stdout(b) | OutputChunk::Stderr(b)) = c;
        if report.events {
            report.event("app.log", json!({ "text": String::from_utf8_lossy(&b) }));
        } else {
            report.out.stderr_raw(&String::from_utf8_lossy(&b));
        }
    };
    backend.logs(id, true, &sink).await.map_err(sandbox_err)?;
    drop(preview);
    Ok(())
}

/// Whether something answers HTTP on 127.0.0.1:port within `patience`.
async fn wait_http(port: u16, patience: Duration) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let deadline = tokio::time::Instant::now() + patience;
    while tokio::time::Instant::now() < deadline {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            let request = "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
            if stream.write_all(request.as_bytes()).await.is_ok() {
                let mut head = [0u8; 12];
                let read =
                    tokio::time::timeout(Duration::from_secs(30), stream.read(&mut head)).await;
                if let Ok(Ok(n)) = read {
                    if head[..n].starts_with(b"HTTP/") {
                        return true;
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}
