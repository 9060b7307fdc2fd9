//! `codingit run [PATH|-]`: run a project, a file or stdin in a sandbox. The run is
//! the library's (`codingit::sandbox::job`); this command reads its arguments and
//! hands them over.

use super::args::RunArgs;
use super::check::Judge;
use super::exit::{CliError, CliResult, Exit};
use super::output::{Output, SCHEMA_VERSION};
use super::sandbox_view::{error_event, plan, run_error, run_shown};
use codingit::config::Settings;
use codingit::events::Event;
use codingit::sandbox::job::{Job, RunRequest};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

pub fn run(args: RunArgs, settings: &Settings, out: &Output) -> CliResult {
    let job = match load_job(&args, settings) {
        Ok(job) => job,
        Err(e) => return Err(error_event(out, args.events, e)),
    };
    let project = job.project.as_deref();
    let judge = Judge::from_args(&args.judge, &args.sandbox, settings, false, project)
        .map_err(|e| error_event(out, args.events, e))?;
    if let Some(judge) = judge {
        return check_only(&judge, &job, settings, out, args.events)
            .map_err(|e| error_event(out, args.events, e));
    }
    let plan = plan(&args.sandbox, args.timeout.as_deref(), settings)
        .map_err(|e| error_event(out, args.events, e))?;
    let request = RunRequest {
        detach: args.detach,
        artifacts: args.artifacts.clone(),
    };
    // It reports its own errors as events.
    run_shown(&job, &plan, &request, args.events, settings, out)
}

fn load_job(args: &RunArgs, settings: &Settings) -> CliResult<Job> {
    let template = args.template.as_deref();
    match args.path.as_deref() {
        Some("-") => {
            let mut code = Vec::new();
            std::io::stdin()
                .read_to_end(&mut code)
                .map_err(|e| CliError::new(Exit::RunSetup, format!("cannot read stdin: {e}")))?;
            Job::from_code(code, template, settings)
        }
        path => Job::from_path(Path::new(path.unwrap_or(".")), template, settings),
    }
    .map_err(run_error)
}

/// `run --check --json` (docs/json-formats.md).
#[derive(Serialize)]
struct CheckDocument<'a> {
    schema_version: u32,
    template: &'a str,
    passed: bool,
    checks: &'a [codingit::check::CheckResult],
    duration_ms: u64,
    log_id: Option<i64>,
}

/// `run --check` / `run --test`: the judgement alone, no model; exit 0 when every
/// check passed, else the documented code.
fn check_only(
    judge: &Judge,
    job: &Job,
    settings: &Settings,
    out: &Output,
    events: bool,
) -> CliResult {
    let runtime = super::runtime()?;
    let report = runtime.block_on(judge.judge_subject(
        &job.subject(),
        job.project.as_deref(),
        settings,
        out,
        None,
    ))?;
    if events {
        out.emit(&Event::CheckResult {
            round: 1,
            passed: report.passed(),
            checks: report.checks.clone(),
        });
    } else if out.json {
        out.json_value(&CheckDocument {
            schema_version: SCHEMA_VERSION,
            template: &job.template.id,
            passed: report.passed(),
            checks: &report.checks,
            duration_ms: report.duration_ms,
            log_id: super::journal::log_id(),
        });
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
