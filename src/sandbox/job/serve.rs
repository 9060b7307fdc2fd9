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
        let addresses = LogAddresses::new(port, &preview.url);
        let sink = |c: OutputChunk| {
            let (OutputChunk::Stdout(b) | OutputChunk::Stderr(b)) = c;
            let text = addresses.rewrite(&String::from_utf8_lossy(&b));
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

/// The addresses an app prints for its own port (`localhost:3000`, `http://0.0.0.0:3000`),
/// and the preview's in their place: on a loopback tunnel `127.0.0.1:PORT`, on a remote
/// sandbox its own host (`3000-ID.DOMAIN`, whose scheme may differ from the app's).
struct LogAddresses {
    /// (`http://inside`, `inside`) for each way an app names its port.
    inside: Vec<(String, String)>,
    /// The preview's scheme and host, and its host alone.
    base: String,
    authority: String,
}

impl LogAddresses {
    fn new(port: u16, preview_url: &str) -> Self {
        let base = preview_url.trim_end_matches('/').to_string();
        let authority = base
            .split_once("://")
            .map_or(base.as_str(), |(_, rest)| rest)
            .to_string();
        let inside = ["127.0.0.1", "localhost", "0.0.0.0"]
            .into_iter()
            .map(|host| (format!("http://{host}:{port}"), format!("{host}:{port}")))
            .filter(|(_, bare)| *bare != authority)
            .collect();
        Self {
            inside,
            base,
            authority,
        }
    }

    fn rewrite(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (with_scheme, bare) in &self.inside {
            // The whole URL first, so an `https` preview is not written as `http://`.
            text = replace_port_address(&text, with_scheme, &self.base);
            text = replace_port_address(&text, bare, &self.authority);
        }
        text
    }
}

/// `text` with each `from` (an address ending in a port) replaced by `to`, except where
/// more digits follow: `localhost:3000` is not the start of `localhost:30001`.
fn replace_port_address(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::LogAddresses;

    #[test]
    fn a_loopback_preview_replaces_the_apps_own_address() {
        let a = LogAddresses::new(8501, "http://127.0.0.1:40123/");
        assert_eq!(
            a.rewrite("Local URL: http://localhost:8501\nbound 0.0.0.0:8501\n"),
            "Local URL: http://127.0.0.1:40123\nbound 127.0.0.1:40123\n"
        );
        // Where the preview is the app's own port, nothing changes.
        let same = LogAddresses::new(3000, "http://127.0.0.1:3000/");
        assert_eq!(
            same.rewrite("ready on http://127.0.0.1:3000"),
            "ready on http://127.0.0.1:3000"
        );
        assert_eq!(
            same.rewrite("ready on http://localhost:3000"),
            "ready on http://127.0.0.1:3000"
        );
    }

    #[test]
    fn a_remote_preview_keeps_its_own_scheme() {
        let a = LogAddresses::new(3000, "https://3000-abc.e2b.app");
        assert_eq!(
            a.rewrite("- Local: http://localhost:3000 (also 127.0.0.1:3000)"),
            "- Local: https://3000-abc.e2b.app (also 3000-abc.e2b.app)"
        );
        // Another port is not the app's: left alone.
        assert_eq!(a.rewrite("localhost:30001"), "localhost:30001");
    }
}
