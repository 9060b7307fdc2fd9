//! Running a job in a sandbox: the one use case behind `run`, `new --run` and chat's
//! `/run`. It owns the sandbox's whole life for one run: the template's image or
//! environment, the sandbox, the packages the job needs, the runner protocol of an
//! interpreter cell (a typed `result.json`, the artifacts brought back), a web app's
//! start, wait and log, and the sandbox's release. Callers render [`RunProgress`] and
//! the [`RunOutcome`]; nothing here prints.

mod cell;
mod load;
pub mod plan;
mod serve;

pub use cell::{CellError, CellResult};
pub use load::{artifacts_root, Job, RESULTS_DIR};
pub use plan::{backend_choice, PlanFlags, RunPlan};

use crate::catalog::TemplateKind;
use crate::sandbox::{
    phase, Backend, BuildProgress, Confinement, OutputChunk, SandboxError, SandboxInfo, SandboxSpec,
};
use serde::Serialize;
use std::future::Future;
use std::path::PathBuf;

/// Why a run did not happen or did not finish (a program's own failure is its
/// [`CellOutcome::exit_code`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The request names nothing runnable (a missing path, no main file).
    #[error("{0}")]
    Usage(String),
    /// A setting is wrong.
    #[error("{0}")]
    Config(String),
    /// The job could not be loaded, installed or started.
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    /// The caller's stop signal came (Ctrl-C); the sandbox was removed.
    #[error("stopped; the sandbox is removed")]
    Stopped,
}

/// What happens during a run, as it happens.
#[derive(Debug)]
pub enum RunProgress<'a> {
    /// The template's image or environment is being built.
    Building(BuildProgress),
    Created {
        info: &'a SandboxInfo,
        /// Taken ready from the warm pool.
        pooled: bool,
    },
    /// What confines the sandbox, for backends that report it.
    Confinement(&'a Confinement),
    /// Output of a package install.
    Install(OutputChunk),
    /// The program's own output.
    Output(OutputChunk),
    /// An artifact that was not brought back, and why.
    ArtifactSkipped(String),
    /// A web app answers at `url`.
    PreviewReady(&'a AppOutcome),
    /// A web app's log while attached (addresses inside the sandbox rewritten to the
    /// preview's).
    AppLog(String),
}

/// How a run ended.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum RunOutcome {
    Cell(CellOutcome),
    App(AppOutcome),
}

/// An interpreter cell's end.
#[derive(Debug, Clone, Serialize)]
pub struct CellOutcome {
    pub sandbox_id: String,
    pub template: String,
    /// What the runner wrote to `result.json`, when it wrote one that parses.
    #[serde(flatten)]
    pub result: CellResult,
    /// Host paths of the artifacts brought back.
    pub artifacts: Vec<PathBuf>,
    pub exit_code: i64,
    pub timed_out: bool,
    pub truncated: bool,
    pub oom_killed: bool,
    pub pooled: bool,
}

/// A web app that answered.
#[derive(Debug, Clone, Serialize)]
pub struct AppOutcome {
    pub sandbox_id: String,
    pub template: String,
    pub url: String,
    pub detached: bool,
    /// Unix seconds.
    pub expires_at: u64,
}

/// One run: how it is set up, besides the plan.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// Leave a web app running after this call returns.
    pub detach: bool,
    /// Where artifacts go (`None`: the project's results folder, else the current one).
    pub artifacts: Option<PathBuf>,
}

/// Runs `job` on `backend` as `plan` says, until it ends or `stop` completes. The
/// sandbox is removed afterwards, unless a web app was asked to stay (`detach`) and
/// started.
pub async fn run_job(
    backend: &dyn Backend,
    job: &Job,
    plan: &RunPlan,
    request: &RunRequest,
    on_progress: &(dyn Fn(RunProgress<'_>) + Send + Sync),
    stop: impl Future<Output = ()>,
) -> Result<RunOutcome, RunError> {
    let web = job.template.kind == TemplateKind::Web;
    if request.detach && !web {
        return Err(RunError::Usage(format!(
            "--detach keeps a web app running; `{}` runs a cell to its end\n  how to fix: drop --detach",
            job.template.id
        )));
    }
    let build = |p: BuildProgress| on_progress(RunProgress::Building(p));
    backend.prepare(&job.template, &build).await?;
    phase("image checked");
    let detached = web && request.detach;
    let spec = SandboxSpec {
        template: job.template.clone(),
        project: job.project.as_ref().map(|p| p.display().to_string()),
        lifetime: plan.lifetime(detached),
        network: plan.network,
        limits: plan.limits.clone(),
        env: Default::default(),
    };
    // Interpreter templates only (a web app's sandbox lives on its own terms).
    backend.use_warm_pool(if web { 0 } else { plan.pool });
    // A detached app must outlive this process; anything else goes with it.
    backend.outlive_process(detached);
    let info = backend.create(&spec).await?;
    phase("sandbox created");
    let pooled = backend.claimed_from_pool(&info.id);
    on_progress(RunProgress::Created {
        info: &info,
        pooled,
    });
    if let Some(confinement) = backend.confinement(&info.id) {
        on_progress(RunProgress::Confinement(&confinement));
    }
    let running = Running {
        backend,
        info: &info,
        job,
        plan,
        request,
        on_progress,
        pooled,
    };
    let result = tokio::select! {
        r = running.drive() => r,
        () = stop => Err(RunError::Stopped),
    };
    let keep = detached && result.is_ok();
    if !keep {
        let _ = backend.release(&info.id).await;
        phase("sandbox released");
    }
    result
}

/// A created sandbox and what it runs.
struct Running<'a> {
    backend: &'a dyn Backend,
    info: &'a SandboxInfo,
    job: &'a Job,
    plan: &'a RunPlan,
    request: &'a RunRequest,
    on_progress: &'a (dyn Fn(RunProgress<'_>) + Send + Sync),
    pooled: bool,
}

impl Running<'_> {
    fn id(&self) -> &str {
        &self.info.id
    }

    async fn drive(&self) -> Result<RunOutcome, RunError> {
        let template = &self.job.template;
        if template.kind != TemplateKind::Interpreter {
            // An interpreter cell writes its files with the runner, in one go.
            self.backend.write_files(self.id(), &self.job.files).await?;
            phase("files written");
        }
        self.install().await?;
        match template.kind {
            TemplateKind::Interpreter => self.cell().await.map(RunOutcome::Cell),
            TemplateKind::Web => self.serve().await.map(RunOutcome::App),
        }
    }

    /// The packages the job needs that the template does not have.
    async fn install(&self) -> Result<(), RunError> {
        let template = &self.job.template;
        let missing = crate::check::missing_packages(template, &self.job.dependencies);
        if missing.is_empty() {
            return Ok(());
        }
        let sink = |c: OutputChunk| (self.on_progress)(RunProgress::Install(c));
        let outcome = self
            .backend
            .install(self.id(), template.package_manager, &missing, &sink)
            .await?;
        if outcome.exit_code != 0 {
            return Err(RunError::Setup(format!(
                "installing {} failed",
                missing.join(", ")
            )));
        }
        Ok(())
    }
}
