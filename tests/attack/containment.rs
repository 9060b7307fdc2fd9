//! The containment suite (tests/support/containment.rs) for each backend, through
//! `codingit run - --backend NAME`: hostile snippets must be stopped and the host left
//! unharmed. Docker needs an engine (CI=true or CODINGIT_TEST_DOCKER=1 make a missing one
//! fail). Each backend is a group of its own (`support::solo`).

mod local {
    crate::support::containment::containment_tests!("local");
}

mod docker {
    crate::support::containment::containment_tests!("docker");
}

/// The engine-independent part of the suite and the interpreter's error handling, on
/// the e2b backend over the local spec-faithful E2B server (tests/e2b_server): a time
/// limit stops an endless loop (exit 124), an output flood is cut at the output limit,
/// a traceback and the exit code come back. The isolation cases (host files, writes,
/// network, fork and memory bombs, background processes) judge the engine, which on
/// E2B is E2B's microVM, not this test server's processes: they are not instantiated
/// here.
mod e2b {
    use std::sync::OnceLock;

    const BACKEND: &str = "e2b";

    /// One server for the binary; the e2b worlds of the suite are given its variables.
    fn server() -> &'static crate::support::e2b_server::E2bServer {
        static SERVER: OnceLock<crate::support::e2b_server::E2bServer> = OnceLock::new();
        SERVER.get_or_init(|| {
            let server = crate::support::e2b_server::E2bServer::start();
            crate::support::containment::E2B_ENV.get_or_init(|| server.env());
            server
        })
    }

    #[test]
    fn endless_loop_is_stopped() {
        let _solo = crate::support::solo("containment-e2b");
        server();
        crate::support::containment::endless_loop_is_stopped(BACKEND);
    }

    #[test]
    fn output_flood_is_stopped() {
        let _solo = crate::support::solo("containment-e2b");
        server();
        crate::support::containment::output_flood_is_stopped(BACKEND);
    }

    #[test]
    fn interpreter_error_has_a_traceback_and_exit_code() {
        let _solo = crate::support::solo("containment-e2b");
        let server = server();
        crate::support::containment::interpreter_error_has_a_traceback_and_exit_code(BACKEND);
        assert!(
            server.requests().iter().any(|r| r == "POST /sandboxes"),
            "the runs went to the E2B server"
        );
    }
}
