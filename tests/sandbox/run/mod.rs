//! `codingit run` end to end through the real binary, one suite instantiated per
//! backend (`run_tests!`): the interpreter (values, tracebacks, charts, events, chat's
//! `/run`) here and the four web templates (web.rs), from project folders written the
//! way `codingit new` writes them. What only one backend has: local.rs (a binary
//! installed under /tmp) and docker.rs (the warm pool, a detached sandbox's expiry);
//! e2b.rs runs it all over the local E2B test server. Local environments come from the shared cache
//! (CODINGIT_TEST_CACHE_DIR or ~/.cache/codingit-dev/local-envs), which the E2B test
//! server also gives its sandboxes; Docker needs an engine (CI=true or
//! CODINGIT_TEST_DOCKER=1 make a missing one fail) and builds each template image once,
//! cached by its hash tag.

use crate::support::containment::World;
use std::io::Write;

pub fn interpreter_prints_and_shows_the_last_value(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let (status, stdout, stderr, secs) = w.snippet("print('hello')\n6 * 7\n", &[]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "hello\n42\n");
    assert!(stderr.contains("sandbox backend") || stderr.is_empty() || !stderr.contains("error"));
    eprintln!("[interpreter] snippet in {secs:.2}s");

    let dir = w.project(
        "code-interpreter-v1",
        "script.py",
        "print('from the project')\n",
        None,
    );
    let out = w
        .cmd()
        .args(["run", dir.to_str().unwrap(), "--backend", backend, "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "from the project\n");
    w.assert_nothing_left();
}

pub fn interpreter_events_stream(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let out = w
        .cmd()
        .args(["run", "-", "--backend", backend, "--events"])
        .write_stdin("print('x')\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .inspect(|v| assert_eq!(v["schema_version"], 1))
        .map(|v| v["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.first().map(String::as_str), Some("sandbox.created"));
    assert!(names.contains(&"exec.stdout".to_string()), "{names:?}");
    assert_eq!(names.last().map(String::as_str), Some("exec.exit"));
}

const CHART: &str =
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\nprint('plotted')\n";

pub fn interpreter_chart_of_a_snippet_is_saved_as_png(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let artifacts = w.dir.path().join("charts");
    let (status, stdout, stderr, _) =
        w.snippet(CHART, &["--artifacts", artifacts.to_str().unwrap()]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "plotted\n");
    let png = std::fs::read(artifacts.join("figure-1.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    w.assert_nothing_left();
}

pub fn interpreter_chart_of_a_project_is_saved_as_png(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let dir = w.project("code-interpreter-v1", "script.py", CHART, None);
    let artifacts = w.dir.path().join("charts");
    let out = w
        .cmd()
        .args(["run", dir.to_str().unwrap(), "--backend", backend])
        .args(["--artifacts", artifacts.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "plotted\n");
    assert!(stderr.contains("chart saved"), "{stderr}");
    let png = std::fs::read(artifacts.join("figure-1.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    w.assert_nothing_left();
}

/// chat's interactive `/run` goes through the same sandbox options as `run`: the backend
/// chosen by CODINGIT_BACKEND is the one it uses.
pub fn chat_slash_run_honours_the_chosen_backend(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let dir = w.project(
        "code-interpreter-v1",
        "script.py",
        "print('from chat run')\n",
        None,
    );
    let binary = assert_cmd::cargo::cargo_bin("codingit");
    let command = format!("{} chat -C {}", binary.display(), dir.display());
    // `script` gives chat a terminal, so it starts its interactive loop.
    let mut tty = w.command_for(std::path::Path::new("script"));
    tty.args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("CODINGIT_BACKEND", backend)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = tty.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/run\n/exit\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("sandbox backend: {backend}")),
        "{text}"
    );
    assert!(text.contains("from chat run"), "{text}");
    w.assert_nothing_left();
}

// The suite's other cases: one of the containment suite's, and the web apps'.
use crate::support::containment::interpreter_error_has_a_traceback_and_exit_code;
use web::{
    gradio_app_serves_the_fragment, nextjs_app_renders_the_fragment,
    streamlit_app_renders_the_fragment, vue_app_serves_the_fragment,
};

/// The whole suite as `#[test]` functions for one backend: `run_tests!("local", ...)`,
/// the interpreter's cases in one `support::solo` group, the web apps' in another
/// (the same one where they used to share a test binary). `run_tests!(NAME,
/// interpreter: GROUP)` alone is the interpreter's part.
macro_rules! run_tests {
    ($backend:literal, interpreter: $group:literal, web: $web_group:literal) => {
        run_tests!($backend, interpreter: $group);
        run_tests!(@ $backend, $web_group,
            streamlit_app_renders_the_fragment,
            gradio_app_serves_the_fragment,
            nextjs_app_renders_the_fragment,
            vue_app_serves_the_fragment,
        );
    };
    ($backend:literal, interpreter: $group:literal) => {
        run_tests!(@ $backend, $group,
            interpreter_prints_and_shows_the_last_value,
            interpreter_error_has_a_traceback_and_exit_code,
            interpreter_events_stream,
            interpreter_chart_of_a_snippet_is_saved_as_png,
            interpreter_chart_of_a_project_is_saved_as_png,
            chat_slash_run_honours_the_chosen_backend,
        );
    };
    (@ $backend:literal, $group:literal, $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let _solo = crate::support::solo($group);
            super::$case($backend);
        }
    )*};
}

// After the macro, so that the backends' modules see it.
mod docker;
mod e2b;
mod local;
mod web;
