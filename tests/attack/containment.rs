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

/// The suite on the e2b backend over the local spec-faithful E2B server
/// (tests/e2b_server, one per test binary: `support::e2b`), whose sandboxes run as
/// processes under bubblewrap with the host's homes, /tmp and /run hidden and the
/// system folders read-only, each sandbox's processes bounded together (a pids and a
/// 512 MiB memory cgroup, as E2B's microVM bounds them; the server can make them as
/// root): a host file is unreadable, writes outside the home are refused, fork and
/// memory bombs end inside the sandbox, a time limit stops an endless loop (exit 124),
/// an output flood is cut, background processes end with the sandbox, a traceback and
/// the exit code come back.
///
/// Not instantiated: `network_is_refused_when_off`. The server's processes share the
/// host's network (E2B's edge proxy reaches a sandbox's ports on the sandbox's
/// loopback, which the server models with the host's), so `allow_internet_access:
/// false` is recorded there, not enforced; that is E2B's microVM's to enforce.
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

    /// Whether the server bounds its sandboxes; a bomb in an unbounded one would hit
    /// this machine itself. Under CI=true it must.
    fn bounded() -> bool {
        let bounded = crate::support::e2b::shared_server().bounds_sandboxes();
        assert!(
            bounded || !crate::support::in_ci(),
            "CI=true and the E2B test server cannot bound its sandboxes (cgroups need root)"
        );
        if !bounded {
            eprintln!("note: skipping, the E2B test server cannot bound its sandboxes here");
        }
        bounded
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
