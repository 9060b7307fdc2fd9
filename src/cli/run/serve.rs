//! A web app: start it, wait until it answers, show its preview.

use super::job::Job;
use super::report::Report;
use super::{sandbox_err, setup};
use crate::cli::args::RunArgs;
use crate::cli::exit::CliResult;
use crate::cli::output::SCHEMA_VERSION;
use codingit::sandbox::{Backend, ExecRequest, OutputChunk};
use serde_json::json;
use std::sync::Mutex;
use std::time::Duration;

pub(super) async fn serve(
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
    let answer = codingit::check::probe::probe(preview.local_port, "/", patience).await;
    if matches!(answer, codingit::check::probe::Answer::Silent) {
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
            "log_id": crate::cli::logs::log_id(),
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
    // Dev servers print their own address, which only works inside the sandbox: the
    // log shows the preview's address in its place, so every URL printed opens.
    let inside = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("0.0.0.0:{port}"),
    ];
    let outside = format!("127.0.0.1:{}", preview.local_port);
    let sink = |c: OutputChunk| {
        let (OutputChunk::Stdout(b) | OutputChunk::Stderr(b)) = c;
        let mut text = String::from_utf8_lossy(&b).into_owned();
        if port != preview.local_port {
            for address in &inside {
                text = text.replace(address.as_str(), &outside);
            }
        }
        if report.events {
            report.event("app.log", json!({ "text": text }));
        } else {
            report.out.stderr_raw(&text);
        }
    };
    backend.logs(id, true, &sink).await.map_err(sandbox_err)?;
    drop(preview);
    Ok(())
}
