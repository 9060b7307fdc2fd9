//! A detached web app's preview outlives the command that started it, on Docker
//! (a relay helper ended with the sandbox), locally (the app's own port) and on e2b
//! (E2B's own URL, reached through the test server's proxy):
//! `run --detach` exits, its URL still answers; `sandbox preview ID` opens another;
//! after `sandbox kill` nothing answers and no relay is left.
//!
//! Under CI=true (or CODINGIT_TEST_DOCKER=1 for Docker) a backend or template that
//! cannot be used fails these tests.

use crate::support::containment::World;
use crate::support::stdout_json;
use std::time::{Duration, Instant};

/// The status of `GET url` (sent where `w` reaches previews), or None when nothing
/// answers.
fn status(w: &World, url: &str) -> Option<u16> {
    let proxy = w.preview_proxy();
    crate::support::http::try_get_via(url, proxy.as_deref(), Duration::from_secs(60))
        .map(|(status, _)| status)
}

/// Whether the preview is gone: nothing answers, or (on e2b, whose edge always
/// answers) the edge says the sandbox is not there.
fn gone(w: &World, url: &str) -> bool {
    match status(w, url) {
        None => true,
        Some(code) => w.preview_proxy().is_some() && code == 502,
    }
}

fn answers_within(w: &World, url: &str, patience: Duration) -> bool {
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        if status(w, url) == Some(200) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    false
}

fn detached_preview_outlives_the_command(backend: &str) {
    let w = World::new(backend);
    if !w.ready("streamlit-developer") {
        return;
    }
    let dir = w.project(
        "streamlit-developer",
        "app.py",
        "import streamlit as st\nst.title('detached marker')\n",
        Some(8501),
    );
    let run = w
        .cmd()
        .args([
            "run",
            dir.to_str().unwrap(),
            "--backend",
            backend,
            "--detach",
            "--json",
        ])
        .timeout(Duration::from_secs(600))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doc = stdout_json(&run);
    let (url, id) = (
        doc["url"].as_str().unwrap().to_string(),
        doc["sandbox_id"].as_str().unwrap().to_string(),
    );
    // The command has exited: the preview still answers.
    assert!(
        answers_within(&w, &url, Duration::from_secs(60)),
        "{url} is dead after run exited"
    );
    let again = w
        .cmd()
        .args(["sandbox", "preview", &id, "--backend", backend, "--json"])
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let second = stdout_json(&again)["url"].as_str().unwrap().to_string();
    assert!(
        answers_within(&w, &second, Duration::from_secs(60)),
        "{second} is dead"
    );
    let kill = w
        .cmd()
        .args(["sandbox", "kill", &id, "--backend", backend])
        .output()
        .unwrap();
    assert!(kill.status.success());
    // The relays end with the sandbox.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !gone(&w, &url) || !gone(&w, &second) {
        assert!(Instant::now() < deadline, "a preview outlived its sandbox");
        std::thread::sleep(Duration::from_millis(500));
    }
    w.assert_nothing_left();
}

#[test]
fn docker_detached_preview_outlives_the_command() {
    let _solo = crate::support::solo("preview_detached");
    detached_preview_outlives_the_command("docker");
}

#[test]
fn local_detached_preview_outlives_the_command() {
    let _solo = crate::support::solo("preview_detached");
    detached_preview_outlives_the_command("local");
}

#[test]
fn e2b_detached_preview_outlives_the_command() {
    let _solo = crate::support::solo("preview_detached");
    detached_preview_outlives_the_command("e2b");
}
