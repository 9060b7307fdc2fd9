//! A web app: start it, wait until it answers, then (attached) stream its log until
//! it ends or the caller stops it.

use super::{AppOutcome, RunError, RunProgress, Running};
use crate::catalog::PackageManager;
use crate::check::probe::{probe, Answer};
use crate::sandbox::{ExecRequest, OutputChunk};
use std::sync::Mutex;
use std::time::Duration;

/// How long an app may take to answer: npm dev servers compile first.
fn patience(manager: PackageManager) -> Duration {
    if manager == PackageManager::Npm {
        Duration::from_secs(180)
    } else {
        Duration::from_secs(90)
    }
}

impl Running<'_> {
    pub(super) async fn serve(&self) -> Result<AppOutcome, RunError> {
        let template = &self.job.template;
        let id = self.id();
        let port = template
            .port
            .ok_or_else(|| RunError::Setup(format!("template `{}` has no port", template.id)))?;
        let request = ExecRequest {
            argv: template.start.clone(),
            ..ExecRequest::default()
        };
        self.backend.start_app(id, &request).await?;
        let preview = self.backend.expose(id, port).await?;
        let patience = patience(template.package_manager);
        if matches!(
            probe(preview.local_port, "/", patience).await,
            Answer::Silent
        ) {
            return Err(RunError::Setup(format!(
                "the app did not answer on port {port} within {}s; its log:\n{}",
                patience.as_secs(),
                self.log_so_far().await
            )));
        }
        let info = self.backend.get(id).await?;
        let app = AppOutcome {
            sandbox_id: id.to_string(),
            template: template.id.clone(),
            url: preview.url.clone(),
            detached: self.request.detach,
            expires_at: info.expires_at,
        };
        (self.on_progress)(RunProgress::PreviewReady(&app));
        if self.request.detach {
            return Ok(app);
        }
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
            (self.on_progress)(RunProgress::AppLog(text));
        };
        self.backend.logs(id, true, &sink).await?;
        drop(preview);
        Ok(app)
    }

    /// The app's log up to now (for the error of an app that never answered).
    async fn log_so_far(&self) -> String {
        let log = Mutex::new(Vec::new());
        let sink = |c: OutputChunk| {
            if let (Ok(mut l), OutputChunk::Stdout(b) | OutputChunk::Stderr(b)) = (log.lock(), c) {
                l.extend_from_slice(&b);
            }
        };
        let _ = self.backend.logs(self.id(), false, &sink).await;
        log.lock()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .unwrap_or_default()
    }
}
