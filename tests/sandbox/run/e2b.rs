//! `codingit run` on the e2b backend, over the local spec-faithful E2B server
//! (tests/e2b_server, one per test binary: `support::e2b`), whose sandboxes of our
//! templates get the environments the local backend builds (`World::ready`): the
//! whole shared suite (`run_tests!`), unchanged. A web app's preview is E2B's own URL,
//! `http://PORT-ID.e2b.test` (plain HTTP because the server's API is); the checks
//! reach it through the server's proxy, which routes on that host name and carries
//! WebSockets as E2B's edge does (`World::preview_proxy`, `World::browser_flags`).

run_tests!("e2b", interpreter: "run_e2b", web: "run_e2b");
