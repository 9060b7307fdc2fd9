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

/// The whole suite on the e2b backend over the local spec-faithful E2B server
/// (tests/e2b_server, one per test binary: `support::e2b`), whose sandboxes run as
/// processes under bubblewrap with the host's homes, /tmp and /run hidden and the
/// system folders read-only. What E2B's microVM gives a sandbox the server gives it
/// where it can (as root): its processes bounded together (a pids and a 512 MiB
/// memory cgroup), and without internet access a network of its own (only a
/// loopback, which the server's proxy still reaches). The cases that need those
/// fail under CI=true, and are skipped with a note elsewhere, when the server cannot
/// make them: a bomb in an unbounded sandbox would hit this machine itself.
mod e2b {
    use crate::support::containment;

    crate::support::containment::containment_tests!(
        @ "e2b",
        host_file_outside_is_unreadable,
        writes_outside_home_are_refused,
        endless_loop_is_stopped,
        output_flood_is_stopped,
        background_processes_do_not_survive,
    );

    /// Whether the server can give its sandboxes `what` (true), else a note (or,
    /// under CI=true, a failure).
    fn server_can(can: bool, what: &str) -> bool {
        assert!(
            can || !crate::support::in_ci(),
            "CI=true and the E2B test server cannot give its sandboxes {what} (needs root)"
        );
        if !can {
            eprintln!("note: skipping, the E2B test server cannot give its sandboxes {what}");
        }
        can
    }

    fn bounded() -> bool {
        let can = crate::support::e2b::shared_server().bounds_sandboxes();
        server_can(can, "process and memory bounds (cgroups)")
    }

    #[test]
    fn network_is_refused_when_off() {
        let _solo = crate::support::solo("containment-e2b");
        let can = crate::support::e2b::shared_server().isolates_networks();
        if server_can(can, "a network of their own (ip netns)") {
            containment::network_is_refused_when_off("e2b");
        }
    }

    #[test]
    fn fork_bomb_is_stopped() {
        let _solo = crate::support::solo("containment-e2b");
        if bounded() {
            containment::fork_bomb_is_stopped("e2b");
        }
    }

    #[test]
    fn memory_bomb_is_stopped() {
        let _solo = crate::support::solo("containment-e2b");
        if bounded() {
            containment::memory_bomb_is_stopped("e2b");
        }
    }

    #[test]
    fn interpreter_error_has_a_traceback_and_exit_code() {
        let _solo = crate::support::solo("containment-e2b");
        containment::interpreter_error_has_a_traceback_and_exit_code("e2b");
        assert!(
            crate::support::e2b::shared_server()
                .requests()
                .iter()
                .any(|r| r == "POST /sandboxes"),
            "the runs went to the E2B server"
        );
    }
}
