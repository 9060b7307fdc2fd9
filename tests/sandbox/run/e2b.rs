//! `codingit run` on the e2b backend, over the local spec-faithful E2B server
//! (tests/e2b_server, one per test binary: `support::e2b`), whose sandboxes of our
//! templates get the environments the local backend builds (`World::ready`): the
//! interpreter's part of the shared suite (`run_tests!`), unchanged.
//!
//! The four web cases (streamlit, gradio, nextjs, vue) are not instantiated here:
//! the shared web check reads the preview URL `run` prints and requires it to be a
//! `http://127.0.0.1:PORT` address that answers, and on e2b `run` prints E2B's own
//! preview URL, `http(s)://PORT-ID.DOMAIN` (the address people open; the
//! 127.0.0.1 relay only carries codingit's readiness probe and checks), which the
//! test server's `e2b.test` domain does not resolve to. Streamlit would also need
//! WebSockets through the preview, which the local relay does not carry. A web app's
//! E2B preview URL answering through the server is covered by
//! tests/sandbox/e2b_backend.rs.

run_tests!("e2b", interpreter: "run_e2b");
