//! Package installs in a sandbox: validated names, the template's package manager.

use super::exec::{self, Capture};
use super::{DockerBackend, INSTALL_TIMEOUT};
use crate::catalog::PackageManager;
use crate::sandbox::{ExecOutcome, OutputChunk, SandboxError};

impl DockerBackend {
    pub(super) async fn install_impl(
        &self,
        id: &str,
        manager: PackageManager,
        packages: &[String],
        sink: &(dyn Fn(OutputChunk) + Send + Sync),
    ) -> Result<ExecOutcome, SandboxError> {
        if packages.is_empty() {
            return Ok(ExecOutcome::default());
        }
        let specs = crate::sandbox::package_args(manager, packages)?;
        let found = self.found(id).await?;
        self.settle(id).await?;
        self.mark_used(id);
        if !found.network() {
            return Err(SandboxError::InstallNeedsNetwork {
                packages: packages.to_vec(),
            });
        }
        let mut argv: Vec<String> = [
            "sh",
            "-c",
            ". /usr/local/share/codingit/ca-env.sh 2>/dev/null; exec \"$@\"",
            "sh",
        ]
        .map(String::from)
        .to_vec();
        let tool: &[&str] = match manager {
            PackageManager::Pip => &[
                "python3",
                "-m",
                "pip",
                "install",
                "--user",
                "--no-input",
                "--disable-pip-version-check",
                "--",
            ],
            PackageManager::Npm => &["npm", "install", "--no-audit", "--no-fund", "--"],
        };
        argv.extend(tool.iter().map(|s| s.to_string()));
        argv.extend(specs);
        let mut capture = Capture::new(argv);
        capture.timeout = Some(INSTALL_TIMEOUT);
        capture.limit = found.output_limit();
        exec::run(&self.docker, &found.container, &capture, sink).await
    }
}
