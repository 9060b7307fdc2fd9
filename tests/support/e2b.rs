//! The one E2B test server of a test binary that the shared suites' `e2b` worlds
//! (`support::containment::World`) talk to: started by the first such world, with
//! the template environments of the shared cache, so a sandbox of
//! `code-interpreter-v1` has its libraries as on E2B.

use super::e2b_server::E2bServer;
use std::sync::OnceLock;

/// The server, started on first use; it lives as long as the test binary.
pub fn shared_server() -> &'static E2bServer {
    static SERVER: OnceLock<E2bServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        // Started on a thread of its own: the server makes its runtime with
        // `block_on`, which a caller inside a tokio test may not.
        std::thread::spawn(|| E2bServer::start_with_template_envs(&super::containment::cache_dir()))
            .join()
            .expect("the E2B test server did not start")
    })
}

/// The library's e2b backend, pointed at `server` by its environment variables.
pub fn backend(server: &E2bServer) -> codingit::sandbox::e2b::E2bBackend {
    let vars: std::collections::BTreeMap<&str, String> = server.env().into_iter().collect();
    let config = codingit::sandbox::e2b::config::E2bConfig::from_lookup(
        |n| vars.get(n).cloned(),
        Default::default(),
    )
    .expect("the test server's E2B settings");
    codingit::sandbox::e2b::E2bBackend::new(config).expect("the e2b backend")
}
