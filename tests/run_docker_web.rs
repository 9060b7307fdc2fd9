//! `codingit run` end to end on the Docker backend for the four web templates, through
//! the real binary, from project folders written the way `codingit new` writes them:
//! each app's preview answers, and the page renders the fragment (headless Chromium
//! where the app renders in the browser). Needs a Docker Engine (CI=true or
//! CODINGIT_TEST_DOCKER=1 make a missing one fail).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::time::{Duration, Instant};
use support::containment::World;

const BACKEND: &str = "docker";

/// Web apps run one at a time: two cores do not start four dev servers at once.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// (status, whole response) of a GET on the preview.
fn http_get(url: &str) -> (u16, String) {
    support::http::get(url, Duration::from_secs(180))
}

/// Runs a web project attached, reads the preview URL from stdout, runs `check` on
/// it, stops the run with SIGINT and checks exit 130 and that nothing is left.
fn serve_and_check(w: &World, dir: &Path, check: impl FnOnce(&str) + std::panic::UnwindSafe) {
    let started = Instant::now();
    let mut child = w
        .spawn_cmd()
        .args(["run", dir.to_str().unwrap(), "--backend", BACKEND])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    eprintln!(
        "[{}] preview {url} after {:.1}s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    let result = std::panic::catch_unwind(|| {
        assert!(url.starts_with("http://127.0.0.1:"), "no URL: {url:?}");
        check(&url);
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
    assert!(
        err.contains("the sandbox is removed"),
        "no removal note: {err}"
    );
    w.assert_nothing_left();
}

#[test]
fn streamlit_app_renders_the_fragment() {
    let _serial = serial();
    let w = World::new(BACKEND);
    if !w.ready("streamlit-developer") {
        return;
    }
    let marker = "Marker streamlit 4711";
    let code = format!("import streamlit as st\nst.title('{marker}')\n");
    let dir = w.project("streamlit-developer", "app.py", &code, Some(8501));
    serve_and_check(&w, &dir, |url| {
        let (status, body) = http_get(url);
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.contains("<title>Streamlit</title>"), "{body:.400}");
        let (status, body) = http_get(&format!("{url}_stcore/health"));
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.ends_with("ok"), "{body:.400}");
        // The text comes over Streamlit's websocket, through the tunnel.
        if let Some(chromium) = support::browser::chromium() {
            let (seen, text) = support::browser::rendered_text(&chromium, url, marker);
            assert!(seen, "Streamlit did not render the marker: {text:.800}");
        }
    });
}

#[test]
fn gradio_app_serves_the_fragment() {
    let _serial = serial();
    let w = World::new(BACKEND);
    if !w.ready("gradio-developer") {
        return;
    }
    let code = "import gradio as gr\nwith gr.Blocks(title='Marker gradio 4711') as demo:\n    \
                gr.Markdown('Marker gradio 4711')\ndemo.launch()\n";
    let dir = w.project("gradio-developer", "app.py", code, Some(7860));
    serve_and_check(&w, &dir, |url| {
        let (status, body) = http_get(url);
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.contains("Marker gradio 4711"), "{body:.600}");
    });
}

#[test]
fn nextjs_app_renders_the_fragment() {
    let _serial = serial();
    let w = World::new(BACKEND);
    if !w.ready("nextjs-developer") {
        return;
    }
    let marker = "Marker nextjs 4711";
    let code = format!(
        "export default function Home() {{\n  return <main className=\"p-4\">{marker}</main>;\n}}\n"
    );
    let dir = w.project("nextjs-developer", "pages/index.tsx", &code, Some(3000));
    serve_and_check(&w, &dir, |url| {
        let (status, body) = http_get(url);
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.contains(marker), "{body:.600}");
        if let Some(chromium) = support::browser::chromium() {
            let dom = support::browser::dump_dom(&chromium, url);
            assert!(
                dom.contains(&format!(">{marker}</main>")),
                "not in the DOM: {dom:.800}"
            );
        }
    });
}

#[test]
fn vue_app_serves_the_fragment() {
    let _serial = serial();
    let w = World::new(BACKEND);
    if !w.ready("vue-developer") {
        return;
    }
    let marker = "Marker vue 4711";
    let code = format!("<template>\n  <main class=\"p-4\">{marker}</main>\n</template>\n");
    let dir = w.project("vue-developer", "app.vue", &code, Some(3000));
    serve_and_check(&w, &dir, |url| {
        let (status, body) = http_get(url);
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.contains(marker), "{body:.600}");
    });
}
