//! `codingit run` of the four web templates, through the real binary, from project
//! folders written the way `codingit new` writes them, for one backend: each app's
//! preview answers, the page renders the fragment (headless Chromium where the app
//! renders in the browser), Ctrl-C stops it as a note (exit 130), every address its log
//! prints is the preview's, and nothing is left.

use crate::support::browser;
use crate::support::containment::World;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::time::{Duration, Instant};

/// Web apps run one at a time: on the local backend the templates share ports
/// (Next.js and Nuxt both serve 3000), and two cores do not start two dev servers at
/// once.
static SERVING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serving() -> std::sync::MutexGuard<'static, ()> {
    SERVING.lock().unwrap_or_else(|e| e.into_inner())
}

/// (status, whole response) of a GET on the preview.
fn http_get(w: &World, url: &str) -> (u16, String) {
    let proxy = w.preview_proxy();
    crate::support::http::get_via(url, proxy.as_deref(), Duration::from_secs(180))
}

/// The host (and port) of the preview URL `run` printed, once it is the backend's:
/// `127.0.0.1:PORT` on a loopback tunnel, `PORT-ID.DOMAIN` on e2b.
fn preview_authority(w: &World, url: &str, app_port: u16) -> String {
    let authority = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    if w.preview_proxy().is_some() {
        let domain = crate::support::e2b_server::DOMAIN;
        let (port, rest) = authority.split_once('-').unwrap_or_default();
        assert!(
            port == app_port.to_string() && rest.ends_with(&format!(".{domain}")),
            "not an E2B preview URL: {url:?}"
        );
    } else {
        assert!(url.starts_with("http://127.0.0.1:"), "no URL: {url:?}");
    }
    authority
}

/// Runs a web project attached, reads the preview URL from stdout, runs `check` on
/// it, stops the run with `stop_with` (SIGINT as Ctrl-C, SIGTERM as a cancelled CI job)
/// and checks exit 130, the log's addresses and that nothing is left.
fn serve_and_check(
    w: &World,
    dir: &Path,
    app_port: u16,
    stop_with: &str,
    check: impl FnOnce(&str) + std::panic::UnwindSafe,
) {
    let started = Instant::now();
    let mut child = w
        .spawn_cmd()
        .args(["run", dir.to_str().unwrap(), "--backend", &w.backend])
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
        let authority = preview_authority(w, &url, app_port);
        check(&url);
        authority
    });
    std::process::Command::new("kill")
        .args([stop_with, &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    let authority = match result {
        Ok(authority) => authority,
        Err(e) => panic!("{e:?}\nstderr:\n{err}"),
    };
    assert_eq!(status.code(), Some(130), "{err}");
    // Ctrl-C (or SIGTERM) is how an attached app stops: a note, not an error.
    assert!(!err.contains("error:"), "{err}");
    assert!(
        err.contains("the sandbox is removed"),
        "no removal note: {err}"
    );
    // Every address the app's log prints is the preview's (its own only works inside).
    for piece in err.split("127.0.0.1:").skip(1) {
        let port: String = piece.chars().take_while(char::is_ascii_digit).collect();
        let address = format!("127.0.0.1:{port}");
        assert!(
            port.is_empty() || address == authority,
            "an in-sandbox address {address}: {err}"
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    w.assert_nothing_left();
}

pub fn streamlit_app_renders_the_fragment(backend: &str) {
    let _serving = serving();
    let w = World::new(backend);
    if !w.ready("streamlit-developer") {
        return;
    }
    let marker = "Marker streamlit 4711";
    let code = format!("import streamlit as st\nst.title('{marker}')\n");
    let dir = w.project("streamlit-developer", "app.py", &code, Some(8501));
    serve_and_check(&w, &dir, 8501, "-INT", |url| {
        // Streamlit renders in the browser: its page is the app shell.
        let (status, body) = http_get(&w, url);
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.contains("<title>Streamlit</title>"), "{body:.400}");
        let (status, body) = http_get(&w, &format!("{}/_stcore/health", url.trim_end_matches('/')));
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.ends_with("ok"), "{body:.400}");
        // The text comes over Streamlit's websocket, through the preview.
        if let Some(chromium) = browser::chromium() {
            let (seen, text) = browser::rendered_text(&chromium, url, marker, &w.browser_flags());
            assert!(seen, "Streamlit did not render the marker: {text:.800}");
        }
    });
}

pub fn gradio_app_serves_the_fragment(backend: &str) {
    let _serving = serving();
    let w = World::new(backend);
    if !w.ready("gradio-developer") {
        return;
    }
    let code = "import gradio as gr\nwith gr.Blocks(title='Marker gradio 4711') as demo:\n    \
                gr.Markdown('Marker gradio 4711')\ndemo.launch()\n";
    let dir = w.project("gradio-developer", "app.py", code, Some(7860));
    serve_and_check(&w, &dir, 7860, "-TERM", |url| {
        let (status, body) = http_get(&w, url);
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.contains("Marker gradio 4711"), "{body:.600}");
    });
}

pub fn nextjs_app_renders_the_fragment(backend: &str) {
    let _serving = serving();
    let w = World::new(backend);
    if !w.ready("nextjs-developer") {
        return;
    }
    let marker = "Marker nextjs 4711";
    let code = format!(
        "export default function Home() {{\n  return <main className=\"p-4\">{marker}</main>;\n}}\n"
    );
    let dir = w.project("nextjs-developer", "pages/index.tsx", &code, Some(3000));
    serve_and_check(&w, &dir, 3000, "-INT", |url| {
        let (status, body) = http_get(&w, url);
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.contains(marker), "{body:.600}");
        if let Some(chromium) = browser::chromium() {
            let dom = browser::dump_dom(&chromium, url, &w.browser_flags());
            assert!(
                dom.contains(&format!(">{marker}</main>")),
                "not in the DOM: {dom:.800}"
            );
        }
    });
}

pub fn vue_app_serves_the_fragment(backend: &str) {
    let _serving = serving();
    let w = World::new(backend);
    if !w.ready("vue-developer") {
        return;
    }
    let marker = "Marker vue 4711";
    let code = format!("<template>\n  <main class=\"p-4\">{marker}</main>\n</template>\n");
    let dir = w.project("vue-developer", "app.vue", &code, Some(3000));
    serve_and_check(&w, &dir, 3000, "-TERM", |url| {
        let (status, body) = http_get(&w, url);
        assert_eq!(status, 200, "{body:.400}");
        assert!(body.contains(marker), "{body:.600}");
    });
}
