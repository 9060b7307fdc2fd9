//! `codingit run` end to end on the local backend, from environments the test builds
//! (shared cache: CODINGIT_TEST_CACHE_DIR or ~/.cache/codingit-dev/local-envs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;
use support::containment::World;

const BACKEND: &str = "local";

#[test]
fn interpreter_prints_and_shows_the_last_value() {
    let w = World::new(BACKEND);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let (status, stdout, stderr, _) = w.snippet("print('hello')\n6 * 7\n", &[]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "hello\n42\n");
    assert!(stderr.contains("sandbox backend") || stderr.is_empty() || !stderr.contains("error"));
    w.assert_nothing_left();
}

#[test]
fn interpreter_error_has_a_traceback_and_exit_code() {
    support::containment::interpreter_error_has_a_traceback_and_exit_code(BACKEND);
}

#[test]
fn runs_with_the_binary_installed_under_tmp() {
    // bubblewrap replaces /tmp (and the homes) inside the sandbox; a codingit installed
    // there must still be able to start its confinement helper.
    let w = World::new(BACKEND);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let copy = w.dir.path().join("bin/codingit");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(assert_cmd::cargo::cargo_bin("codingit"), &copy).unwrap();
    let out = assert_cmd::Command::from_std(w.command_for(&copy))
        .args(["run", "-", "--backend", BACKEND, "-q"])
        .write_stdin("print(6 * 7)\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "42\n");
    w.assert_nothing_left();
}

#[test]
fn interpreter_events_stream() {
    let w = World::new(BACKEND);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let out = w
        .cmd()
        .args(["run", "-", "--backend", BACKEND, "--events"])
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

#[test]
fn interpreter_chart_is_saved_as_png() {
    let w = World::new(BACKEND);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let artifacts = w.dir.path().join("charts");
    let code =
        "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\nprint('plotted')\n";
    let (status, stdout, stderr, _) =
        w.snippet(code, &["--artifacts", artifacts.to_str().unwrap()]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "plotted\n");
    let png = std::fs::read(artifacts.join("figure-1.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    w.assert_nothing_left();
}

fn http_get(url: &str) -> (u16, String) {
    support::http::get(url, Duration::from_secs(120))
}

/// The web templates share ports (Next.js and Nuxt both serve 3000): one at a time.
static SERVING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs a web project attached, checks the page, stops it with Ctrl-C.
fn serve_and_check(w: &World, dir: &std::path::Path, expected: &str) {
    let _one = SERVING.lock().unwrap_or_else(|e| e.into_inner());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("codingit"))
        .args(["run", dir.to_str().unwrap(), "--backend", BACKEND])
        .env("CODINGIT_CONFIG_DIR", w.dir.path().join("config"))
        .env("CODINGIT_STATE_DIR", w.dir.path().join("state"))
        .env("CODINGIT_CACHE_DIR", support::containment::cache_dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    let result = std::panic::catch_unwind(|| {
        assert!(url.starts_with("http://127.0.0.1:"), "no URL: {url:?}");
        let (status, body) = http_get(&url);
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(expected), "page lacks {expected:?}: {body}");
    });
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    if let Err(e) = result {
        panic!("{e:?}\nstderr:\n{err}");
    }
    assert_eq!(status.code(), Some(130), "{err}");
    // Ctrl-C is how an attached app stops: a note, not an error.
    assert!(!err.contains("error:"), "{err}");
    // Every address the app's log prints is the preview's (its own only works inside).
    let preview_port = url
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap();
    for piece in err.split("127.0.0.1:").skip(1) {
        let port: String = piece.chars().take_while(char::is_ascii_digit).collect();
        assert!(
            port.is_empty() || port == preview_port,
            "an in-sandbox address: {err}"
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    w.assert_nothing_left();
}

#[test]
fn streamlit_app_answers_on_its_port() {
    let w = World::new(BACKEND);
    if !w.ready("streamlit-developer") {
        return;
    }
    let dir = w.project(
        "streamlit-developer",
        "app.py",
        "import streamlit as st\nst.title('hi')\n",
        Some(8501),
    );
    // Streamlit renders in the browser: its page is the app shell.
    serve_and_check(&w, &dir, "<title>Streamlit</title>");
}

#[test]
fn gradio_app_serves_the_fragment() {
    let w = World::new(BACKEND);
    if !w.ready("gradio-developer") {
        return;
    }
    let code = "import gradio as gr\nwith gr.Blocks() as demo:\n    gr.Markdown('hello from codingit')\ndemo.launch()\n";
    let dir = w.project("gradio-developer", "app.py", code, Some(7860));
    serve_and_check(&w, &dir, "hello from codingit");
}

#[test]
fn nextjs_app_serves_the_fragment() {
    let w = World::new(BACKEND);
    if !w.ready("nextjs-developer") {
        return;
    }
    let code = "export default function Home() {\n  return <main className=\"p-4\">hello from codingit</main>;\n}\n";
    let dir = w.project("nextjs-developer", "pages/index.tsx", code, Some(3000));
    serve_and_check(&w, &dir, "hello from codingit");
}

#[test]
fn nuxt_app_serves_the_fragment() {
    let w = World::new(BACKEND);
    if !w.ready("vue-developer") {
        return;
    }
    let code = "<template>\n  <main class=\"p-4\">hello from codingit</main>\n</template>\n";
    let dir = w.project("vue-developer", "app.vue", code, Some(3000));
    serve_and_check(&w, &dir, "hello from codingit");
}

/// chat's interactive `/run` goes through the same sandbox options as `run`: the backend
/// chosen by CODINGIT_BACKEND is the one it uses.
#[test]
fn chat_slash_run_honours_the_chosen_backend() {
    let w = World::new(BACKEND);
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
        .env("CODINGIT_BACKEND", BACKEND)
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
    assert!(text.contains("sandbox backend: local"), "{text}");
    assert!(text.contains("from chat run"), "{text}");
    w.assert_nothing_left();
}
