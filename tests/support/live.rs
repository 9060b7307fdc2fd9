//! A live sandbox of a world's backend, made through the library: the CLI makes none
//! that stays but a web app's, and the tests of `sandbox …` and `files` need one that
//! outlives the command that made it, as a detached run leaves one.

use super::containment::{cache_dir, World};
use codingit::sandbox::Backend;
use std::time::Duration;

/// The library's Docker backend reads the sandbox namespace from the process
/// environment when it creates a container; worlds of tests running beside each
/// other set it in turn, each holding this until its sandbox exists.
static NAMESPACE: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl World {
    /// A live sandbox of `code-interpreter-v1` on this world's backend, found by the
    /// world's codingit (same state folder, namespace or E2B server); `None` (with a
    /// note) when its template cannot be built here outside CI. It stays until it is
    /// killed or expires (in 5 minutes); on Docker the world's drop removes it too.
    pub fn live_sandbox(&self) -> Option<String> {
        if !self.ready("code-interpreter-v1") {
            return None;
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _namespace = NAMESPACE.lock().unwrap_or_else(|e| e.into_inner());
        runtime.block_on(async {
            let backend: Box<dyn Backend> = match self.backend.as_str() {
                "docker" => {
                    std::env::set_var("CODINGIT_SANDBOX_NAMESPACE", self.namespace());
                    Box::new(super::docker::backend().await?)
                }
                "local" => Box::new(
                    codingit::sandbox::local::LocalBackend::at(
                        cache_dir(),
                        self.dir.path().join("state"),
                        false,
                    )
                    .unwrap(),
                ),
                "e2b" => Box::new(super::e2b::backend(super::e2b::shared_server())),
                other => panic!("no such backend: {other}"),
            };
            backend.outlive_process(true);
            let spec = super::interpreter_spec("codingit-tests", Duration::from_secs(300));
            Some(backend.create(&spec).await.unwrap().id)
        })
    }
}
