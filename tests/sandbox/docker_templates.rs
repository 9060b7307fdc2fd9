//! The Docker backend's web templates end to end against a real engine: each serves a
//! fragment through its preview, read by HTTP and, for apps that render in the
//! browser, by headless Chromium. Needs CODINGIT_TEST_DOCKER=1 (or CI=true) to be
//! required; skips with a note otherwise when no engine answers.

use crate::support::docker::namespace;

use codingit::sandbox::{Backend, ExecRequest, OutputChunk};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One template at a time: each builds and serves a heavy app.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// (status, whole response) of `GET /` through the preview, or None.
async fn http_get(port: u16) -> Option<(u16, String)> {
    let url = format!("http://127.0.0.1:{port}/");
    tokio::task::spawn_blocking(move || {
        crate::support::http::try_get(&url, Duration::from_secs(60))
    })
    .await
    .unwrap()
}

async fn web_template(id: &str, file: &str, code: &str, marker: &str, needs_browser: bool) {
    let _serial = SERIAL.lock().await;
    namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, id).await;
    let info = b
        .create(&crate::support::docker::spec(
            t.clone(),
            Duration::from_secs(600),
        ))
        .await
        .unwrap();
    let _c = crate::support::docker::Cleanup(info.id.clone());
    let sid = info.id.as_str();
    b.write_files(sid, &[(file.to_string(), code.as_bytes().to_vec())])
        .await
        .unwrap();
    let started = Instant::now();
    b.start_app(
        sid,
        &ExecRequest {
            argv: t.start.clone(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let preview = b.expose(sid, t.port.unwrap()).await.unwrap();
    assert!(preview.url.starts_with("http://127.0.0.1:"));
    let mut last = None;
    while started.elapsed() < Duration::from_secs(240) {
        if let Some((status, body)) = http_get(preview.local_port).await {
            if status == 200 && (needs_browser || body.contains(marker)) {
                last = Some(body);
                break;
            }
            last = Some(format!("{status}"));
        }
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    eprintln!(
        "[{id}] first 200 after {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let body = last.unwrap_or_default();
    if needs_browser {
        // The page renders over a websocket, through the tunnel.
        match crate::support::browser::chromium() {
            Some(chromium) => {
                let (seen, text) =
                    crate::support::browser::rendered_text(&chromium, &preview.url, marker, &[]);
                assert!(
                    seen && text.contains(marker),
                    "{id}: marker not rendered: {text:.600}"
                );
            }
            None => eprintln!("note: no chromium; checked HTTP 200 only for {id}"),
        }
    } else {
        assert!(
            body.contains(marker),
            "{id}: no 200 with the marker; last: {body:.400}"
        );
    }
    let logs = Mutex::new(Vec::new());
    b.logs(sid, false, &|c| {
        let (OutputChunk::Stdout(x) | OutputChunk::Stderr(x)) = c;
        logs.lock().unwrap().extend(x)
    })
    .await
    .unwrap();
    assert!(
        !logs.into_inner().unwrap().is_empty(),
        "{id}: app logs are empty"
    );
    drop(preview);
    b.kill(sid).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamlit_template_serves_the_fragment() {
    let _solo = crate::support::solo("docker_templates");
    let code = "import streamlit as st\nst.title('Marker streamlit 4711')\n";
    web_template(
        "streamlit-developer",
        "app.py",
        code,
        "Marker streamlit 4711",
        true,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gradio_template_serves_the_fragment() {
    let _solo = crate::support::solo("docker_templates");
    let code = "import gradio as gr\nwith gr.Blocks(title='Marker gradio 4711') as demo:\n    \
                gr.Markdown('Marker gradio 4711')\ndemo.launch()\n";
    web_template(
        "gradio-developer",
        "app.py",
        code,
        "Marker gradio 4711",
        false,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nextjs_template_serves_the_fragment() {
    let _solo = crate::support::solo("docker_templates");
    let code = "export default function Home() {\n  return <main className=\"p-4\">Marker nextjs 4711</main>;\n}\n";
    web_template(
        "nextjs-developer",
        "pages/index.tsx",
        code,
        "Marker nextjs 4711",
        false,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vue_template_serves_the_fragment() {
    let _solo = crate::support::solo("docker_templates");
    let code = "<template>\n  <main class=\"p-4\">Marker vue 4711</main>\n</template>\n";
    web_template("vue-developer", "app.vue", code, "Marker vue 4711", false).await;
}
