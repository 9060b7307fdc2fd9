//! The Docker backend against a real engine: hardening, exec, files, lifecycle
//! (expiry without codingit, extend, kill --all, ls from a fresh process) and the
//! five templates end to end. Needs CODINGIT_TEST_DOCKER=1 (or CI=true) to be
//! required; skips with a note otherwise when no engine answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;

use codingit::sandbox::{Backend, ExecOutcome, ExecRequest, OutputChunk, SandboxError};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Docker tests run one at a time: `kill --all` must not race the others.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn namespace() -> String {
    let ns = format!("codingit-test-{}", std::process::id());
    std::env::set_var("CODINGIT_SANDBOX_NAMESPACE", &ns);
    ns
}

fn argv(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

async fn run(b: &dyn Backend, id: &str, cmd: &[&str]) -> (ExecOutcome, String, String) {
    let out = Mutex::new((Vec::new(), Vec::new()));
    let sink = |c: OutputChunk| {
        let mut o = out.lock().unwrap();
        match c {
            OutputChunk::Stdout(b) => o.0.extend(b),
            OutputChunk::Stderr(b) => o.1.extend(b),
        }
    };
    let req = ExecRequest {
        argv: argv(cmd),
        timeout: Some(Duration::from_secs(120)),
        ..Default::default()
    };
    let outcome = b.exec(id, &req, &sink).await.unwrap();
    let (o, e) = out.into_inner().unwrap();
    (
        outcome,
        String::from_utf8_lossy(&o).into(),
        String::from_utf8_lossy(&e).into(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hardened_sandbox_exec_limits_and_files() {
    let _serial = SERIAL.lock().await;
    namespace();
    let Some(b) = support::docker::backend().await else {
        return;
    };
    let t = support::docker::prepare(&b, "code-interpreter-v1").await;
    let mut spec = support::docker::spec(t, Duration::from_secs(300));
    spec.limits.output_bytes = 1000;
    let info = b.create(&spec).await.unwrap();
    let _c = support::docker::Cleanup(info.id.clone());
    let id = info.id.as_str();

    let inspect = b
        .client()
        .inspect_container(&format!("codingit-{id}"), None)
        .await
        .unwrap();
    let host = inspect.host_config.unwrap();
    assert_eq!(host.readonly_rootfs, Some(true));
    assert_eq!(host.cap_drop, Some(vec!["ALL".to_string()]));
    assert_eq!(host.network_mode.as_deref(), Some("none"));
    assert_eq!(host.init, Some(true));
    assert!(host
        .security_opt
        .unwrap()
        .iter()
        .any(|s| s.starts_with("no-new-privileges")));
    assert_eq!(host.memory, Some(1 << 30));
    assert_eq!(host.pids_limit, Some(256));
    assert_eq!(inspect.config.unwrap().user.as_deref(), Some("1000:1000"));

    let (o, out, _) = run(&b, id, &["id", "-u"]).await;
    assert_eq!((o.exit_code, out.trim()), (0, "1000"));
    let (o, _, _) = run(&b, id, &["sh", "-c", "touch /usr/x"]).await;
    assert_ne!(o.exit_code, 0, "root filesystem must be read-only");
    let (o, _, _) = run(&b, id, &["sh", "-c", "exit 3"]).await;
    assert_eq!(o.exit_code, 3);
    let (o, out, _) = run(&b, id, &["python3", "-c", "print('x' * 5000)"]).await;
    assert!(
        o.truncated && out.len() == 1000,
        "{} {}",
        o.truncated,
        out.len()
    );

    let started = Instant::now();
    let req = ExecRequest {
        argv: argv(&["sleep", "30"]),
        timeout: Some(Duration::from_secs(1)),
        ..Default::default()
    };
    let o = b.exec(id, &req, &|_| {}).await.unwrap();
    assert!(
        o.timed_out && started.elapsed() < Duration::from_secs(10),
        "{o:?}"
    );

    // Files: nested writes, a clean recursive listing, read back, remove.
    b.write_files(
        id,
        &[
            ("src/app.py".into(), b"print(1)\n".to_vec()),
            ("src/lib/util.py".into(), b"X = 1\n".to_vec()),
            ("/home/user/notes.txt".into(), b"hi".to_vec()),
        ],
    )
    .await
    .unwrap();
    let entries = b.list_files(id, "src", true).await.unwrap();
    let paths: Vec<_> = entries.iter().map(|e| (e.path.as_str(), e.kind)).collect();
    use codingit::sandbox::FileKind::*;
    assert_eq!(
        paths,
        vec![
            ("src/app.py", File),
            ("src/lib", Dir),
            ("src/lib/util.py", File)
        ]
    );
    assert!(entries
        .iter()
        .all(|e| !e.path.starts_with('/') && !e.path.contains("//")));
    assert_eq!(b.read_file(id, "notes.txt").await.unwrap(), b"hi");
    let (_, owner, _) = run(&b, id, &["stat", "-c", "%u", "src/lib/util.py"]).await;
    assert_eq!(owner.trim(), "1000");
    b.remove_path(id, "src").await.unwrap();
    assert!(b.read_file(id, "src/app.py").await.is_err());
    assert!(matches!(
        b.read_file(id, "../etc/passwd").await,
        Err(SandboxError::Path { .. })
    ));

    // Installing needs the network, which is off: the error says so.
    let err = b
        .install(
            id,
            codingit::catalog::PackageManager::Pip,
            &["requests".into()],
            &|_| {},
        )
        .await
        .err()
        .unwrap();
    assert!(matches!(err, SandboxError::Network(_)) && err.to_string().contains("--network"));
    b.kill(id).await.unwrap();
    assert!(matches!(b.get(id).await, Err(SandboxError::NotFound(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interpreter_prints_tracebacks_and_charts() {
    let _serial = SERIAL.lock().await;
    namespace();
    let Some(b) = support::docker::backend().await else {
        return;
    };
    let t = support::docker::prepare(&b, "code-interpreter-v1").await;
    let info = b
        .create(&support::docker::spec(t, Duration::from_secs(300)))
        .await
        .unwrap();
    let _c = support::docker::Cleanup(info.id.clone());
    let id = info.id.as_str();
    let cell = |code: &str| vec![("script.py".to_string(), code.as_bytes().to_vec())];
    let runner = [
        "python3",
        "/opt/codingit/runner.py",
        "script.py",
        "/tmp/result.json",
        "out",
    ];

    b.write_files(id, &cell("print('hello from the sandbox')\n6 * 7\n"))
        .await
        .unwrap();
    let (_, _, _) = run(&b, id, &["mkdir", "-p", "out"]).await;
    let (o, out, _) = run(&b, id, &runner).await;
    assert_eq!(o.exit_code, 0);
    assert_eq!(out, "hello from the sandbox\n");
    let (_, result, _) = run(&b, id, &["cat", "/tmp/result.json"]).await;
    assert!(result.contains("\"value\": \"42\""), "{result}");

    b.write_files(id, &cell("def f():\n    return 1 / 0\nf()\n"))
        .await
        .unwrap();
    let (o, _, err) = run(&b, id, &runner).await;
    assert_eq!(o.exit_code, 1);
    assert!(
        err.contains("Traceback") && err.contains("ZeroDivisionError"),
        "{err}"
    );

    let chart = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\n";
    b.write_files(id, &cell(chart)).await.unwrap();
    let (o, _, err) = run(&b, id, &runner).await;
    assert_eq!(o.exit_code, 0, "{err}");
    let png = b.read_file(id, "out/figure-1.png").await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    b.kill(id).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_holds_without_codingit_and_extend_moves_it() {
    let _serial = SERIAL.lock().await;
    namespace();
    let Some(b) = support::docker::backend().await else {
        return;
    };
    let t = support::docker::prepare(&b, "code-interpreter-v1").await;
    let short = b
        .create(&support::docker::spec(t.clone(), Duration::from_secs(3)))
        .await
        .unwrap();
    let _c1 = support::docker::Cleanup(short.id.clone());
    let extended = b
        .create(&support::docker::spec(t, Duration::from_secs(3)))
        .await
        .unwrap();
    let _c2 = support::docker::Cleanup(extended.id.clone());
    let info = b
        .extend(&extended.id, Duration::from_secs(120))
        .await
        .unwrap();
    assert!(info.expires_at >= codingit::sandbox::unix_now() + 110);
    // The sandbox user cannot lengthen (or shorten) its own life.
    let (out, _, _) = run(
        &b,
        &extended.id,
        &[
            "sh",
            "-c",
            "echo 9999999999 > /run/codingit/expires || exit 3; \
             mv /run/codingit /run/x 2>/dev/null && exit 4; \
             [ \"$(stat -c %u /run/codingit/expires)\" = 0 ] || exit 5",
        ],
    )
    .await;
    assert_eq!(out.exit_code, 3, "the expiry file must be root's");
    let (out, _, _) = run(
        &b,
        &extended.id,
        &[
            "sh",
            "-c",
            "mv /run/codingit /run/x 2>/dev/null && exit 4; \
             [ \"$(stat -c %u /run/codingit/expires)\" = 0 ] || exit 5",
        ],
    )
    .await;
    assert_eq!(out.exit_code, 0, "the expiry folder must stay in place");
    // Nothing of codingit runs now: drop the client, as if the process was killed.
    drop(b);
    tokio::time::sleep(Duration::from_secs(7)).await;
    let b = support::docker::backend().await.unwrap();
    let state = |id: String| {
        let b = &b;
        async move {
            b.client()
                .inspect_container(&format!("codingit-{id}"), None)
                .await
                .ok()
                .and_then(|i| i.state)
                .and_then(|s| s.running)
        }
    };
    assert_eq!(
        state(short.id.clone()).await,
        Some(false),
        "expired sandbox must stop itself"
    );
    assert_eq!(
        state(extended.id.clone()).await,
        Some(true),
        "extended sandbox must live on"
    );
    assert!(b.reap_expired().await.unwrap() >= 1);
    assert!(matches!(
        b.get(&short.id).await,
        Err(SandboxError::NotFound(_))
    ));
    let got = b.get(&extended.id).await.unwrap();
    assert!(
        got.expires_at > codingit::sandbox::unix_now() + 100,
        "{got:?}"
    );
    b.kill(&extended.id).await.unwrap();
}

fn cli(ns: &str, cfg: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("codingit").unwrap();
    cmd.env("CODINGIT_CONFIG_DIR", cfg)
        .env("CODINGIT_CACHE_DIR", cfg.join("cache"))
        .env("CODINGIT_STATE_DIR", cfg.join("state"))
        .env("CODINGIT_SANDBOX_NAMESPACE", ns)
        .env("NO_COLOR", "1");
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_ls_after_restart_files_extend_and_kill_all() {
    let _serial = SERIAL.lock().await;
    let ns = namespace();
    let Some(b) = support::docker::backend().await else {
        return;
    };
    let t = support::docker::prepare(&b, "code-interpreter-v1").await;
    let one = b
        .create(&support::docker::spec(t.clone(), Duration::from_secs(300)))
        .await
        .unwrap();
    let _c1 = support::docker::Cleanup(one.id.clone());
    let two = b
        .create(&support::docker::spec(t, Duration::from_secs(300)))
        .await
        .unwrap();
    let _c2 = support::docker::Cleanup(two.id.clone());
    let cfg = tempfile::tempdir().unwrap();

    // A fresh process finds them by label.
    let out = cli(&ns, cfg.path())
        .args(["--json", "sandbox", "ls"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        ids.contains(&one.id.as_str()) && ids.contains(&two.id.as_str()),
        "{ids:?}"
    );
    assert!(rows[0]["remaining_secs"].as_u64().unwrap() > 200);

    cli(&ns, cfg.path())
        .args(["files", &one.id, "write", "dir/hello.txt"])
        .write_stdin("hello\n")
        .assert()
        .success();
    cli(&ns, cfg.path())
        .args(["files", &one.id, "cat", "/home/user/dir/hello.txt"])
        .assert()
        .success()
        .stdout("hello\n");
    cli(&ns, cfg.path())
        .args(["files", &one.id, "ls", "-r"])
        .assert()
        .success()
        .stdout(predicates::str::contains("dir/hello.txt"));
    cli(&ns, cfg.path())
        .args(["files", &one.id, "cat", "//etc/passwd"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("duplicate slashes"));
    let local = cfg.path().join("dl");
    cli(&ns, cfg.path())
        .args(["files", &one.id, "download", "dir"])
        .arg(&local)
        .assert()
        .success();
    assert_eq!(std::fs::read(local.join("hello.txt")).unwrap(), b"hello\n");

    // `sandbox exec`: output streamed, the command's code, 124 at the limit, 128+n.
    cli(&ns, cfg.path())
        .args([
            "sandbox",
            "exec",
            &one.id,
            "--",
            "sh",
            "-c",
            "cat dir/hello.txt; exit 7",
        ])
        .assert()
        .code(7)
        .stdout("hello\n");
    cli(&ns, cfg.path())
        .args([
            "sandbox",
            "exec",
            &one.id,
            "--timeout",
            "1s",
            "--",
            "sleep",
            "30",
        ])
        .assert()
        .code(124);
    cli(&ns, cfg.path())
        .args([
            "sandbox",
            "exec",
            &one.id,
            "--",
            "sh",
            "-c",
            "kill -KILL $$",
        ])
        .assert()
        .code(137);
    cli(&ns, cfg.path())
        .args(["sandbox", "extend", &one.id, "20m"])
        .assert()
        .success()
        .stdout(predicates::str::is_match("now ends in (20m|19m)").unwrap());
    cli(&ns, cfg.path())
        .args(["sandbox", "kill", "--all"])
        .assert()
        .success();
    let out = cli(&ns, cfg.path())
        .args(["--json", "sandbox", "ls"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    cli(&ns, cfg.path())
        .args(["sandbox", "kill", &one.id])
        .assert()
        .code(7)
        .stderr(predicates::str::contains("no sandbox"));
}

/// A minimal HTTP GET through the preview (status, body).
async fn http_get(port: u16) -> Option<(u16, String)> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    s.write_all(
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
    )
    .await
    .ok()?;
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), s.read_to_end(&mut buf))
        .await
        .ok()?
        .ok()?;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text))
}

/// The page's text as headless Chromium renders it, once `marker` shows (for apps
/// that render over a websocket: `--dump-dom` dumps Streamlit's skeleton before the
/// first message, so tests/support/cdp_text.py waits through the DevTools protocol).
/// `None` when there is no Chromium.
fn browser_text(url: &str, marker: &str) -> Option<String> {
    let chromium = std::env::var("CODINGIT_TEST_CHROMIUM")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| {
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
                .into_iter()
                .find(|p| std::path::Path::new(p).exists())
                .map(str::to_string)
        })?;
    let python = if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/cdp_text.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .args([&chromium, url, marker, "90"])
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into())
}

async fn web_template(id: &str, file: &str, code: &str, marker: &str, needs_browser: bool) {
    let _serial = SERIAL.lock().await;
    namespace();
    let Some(b) = support::docker::backend().await else {
        return;
    };
    let t = support::docker::prepare(&b, id).await;
    let info = b
        .create(&support::docker::spec(t.clone(), Duration::from_secs(600)))
        .await
        .unwrap();
    let _c = support::docker::Cleanup(info.id.clone());
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
        match browser_text(&preview.url, marker) {
            Some(text) => assert!(
                text.contains(marker),
                "{id}: marker not rendered: {text:.600}"
            ),
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
    let code = "<template>\n  <main class=\"p-4\">Marker vue 4711</main>\n</template>\n";
    web_template("vue-developer", "app.vue", code, "Marker vue 4711", false).await;
}

/// Containers of this test's namespace whose name starts with `prefix`.
fn named(ns: &str, prefix: &str) -> Vec<String> {
    let out = std::process::Command::new("docker")
        .args(["ps", "-a", "--format", "{{.Names}}", "--filter"])
        .arg(format!("label=dev.codingit.namespace={ns}"))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|n| n.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_pool_claims_atomically_and_refills() {
    let _serial = SERIAL.lock().await;
    let ns = namespace();
    let Some(b) = support::docker::backend().await else {
        return;
    };
    let t = support::docker::prepare(&b, "code-interpreter-v1").await;
    let mut spec = support::docker::spec(t, Duration::from_secs(90));
    spec.project = None;
    b.set_pool(1);
    b.fill_pool(&spec).await.unwrap();
    let pooled = named(&ns, "codingit-pool-");
    assert_eq!(pooled.len(), 1, "{pooled:?}");
    // Unclaimed pool containers are not sandboxes: not listed, not found.
    assert!(b.list().await.unwrap().is_empty());

    // Two claims at once on a pool of one: each gets its own sandbox.
    let other = codingit::sandbox::docker::DockerBackend::connect(support::docker::image_options())
        .await
        .unwrap();
    other.set_pool(1);
    let (x, y) = tokio::join!(b.create(&spec), other.create(&spec));
    let (x, y) = (x.unwrap(), y.unwrap());
    let _cx = support::docker::Cleanup(x.id.clone());
    let _cy = support::docker::Cleanup(y.id.clone());
    assert_ne!(x.id, y.id);
    let claimed = pooled[0].trim_start_matches("codingit-pool-");
    assert!(
        [&x.id, &y.id]
            .iter()
            .filter(|id| id.as_str() == claimed)
            .count()
            == 1,
        "exactly one of {} / {} claimed {claimed}",
        x.id,
        y.id
    );
    b.pool_idle().await;
    other.pool_idle().await;
    for (backend, info) in [(&b, &x), (&other, &y)] {
        // Claimed or not: hardened, its own expiry, runs code.
        let inspect = backend
            .client()
            .inspect_container(&format!("codingit-{}", info.id), None)
            .await
            .unwrap();
        let host = inspect.host_config.unwrap();
        assert_eq!(host.readonly_rootfs, Some(true));
        assert_eq!(host.network_mode.as_deref(), Some("none"));
        assert_eq!(host.cap_drop, Some(vec!["ALL".to_string()]));
        backend
            .write_files(&info.id, &[("a.py".into(), b"print(6*7)".to_vec())])
            .await
            .unwrap();
        let (out, stdout, _) = run(backend, &info.id, &["python3", "a.py"]).await;
        assert_eq!(out.exit_code, 0);
        assert_eq!(stdout, "42\n");
        let got = backend.get(&info.id).await.unwrap();
        let now = codingit::sandbox::unix_now();
        assert!(
            got.expires_at >= now + 80 && got.expires_at <= now + 91,
            "expiry {} is not 90 s from now ({now})",
            got.expires_at
        );
        assert_eq!(got.expires_at, info.expires_at);
    }
    assert_eq!(b.list().await.unwrap().len(), 2);

    // Removing a claimed sandbox makes its replacement.
    b.kill(&x.id).await.unwrap();
    other.kill(&y.id).await.unwrap();
    b.pool_idle().await;
    other.pool_idle().await;
    let refilled = named(&ns, "codingit-pool-");
    assert!(!refilled.is_empty(), "the pool was not refilled");
    assert!(!refilled.contains(&pooled[0]));
    b.drain_pool(&spec).await.unwrap();
    assert!(named(&ns, "codingit-").is_empty(), "{:?}", named(&ns, ""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_across_invocations_writes_the_expiry_while_the_cell_runs() {
    let _serial = SERIAL.lock().await;
    let ns = namespace();
    let Some(b) = support::docker::backend().await else {
        return;
    };
    let t = support::docker::prepare(&b, "code-interpreter-v1").await;
    let mut spec = support::docker::spec(t, Duration::from_secs(90));
    spec.project = None;
    b.set_pool(1);
    b.fill_pool(&spec).await.unwrap();
    // Another invocation (the CLI's `run`) claims it.
    let c = codingit::sandbox::docker::DockerBackend::connect(support::docker::image_options())
        .await
        .unwrap();
    c.use_warm_pool(1);
    let info = c.create(&spec).await.unwrap();
    let _cleanup = support::docker::Cleanup(info.id.clone());
    assert!(c.claimed_from_pool(&info.id));
    let request = ExecRequest {
        argv: argv(&["sh", "-c", "echo ok > out.txt; cat in.txt"]),
        timeout: Some(Duration::from_secs(30)),
        ..Default::default()
    };
    let printed = std::sync::Mutex::new(Vec::new());
    let sink = |chunk: OutputChunk| {
        if let OutputChunk::Stdout(bytes) = chunk {
            printed.lock().unwrap().extend_from_slice(&bytes);
        }
    };
    let (out, data) = c
        .run_cell(
            &info.id,
            &[("in.txt".into(), b"hi\n".to_vec())],
            &request,
            "out.txt",
            &sink,
        )
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0);
    assert_eq!(printed.lock().unwrap().as_slice(), b"hi\n");
    assert_eq!(data.as_deref(), Some(&b"ok\n"[..]));
    // The claim's expiry was written (root-owned file) while the cell ran.
    let got = c.get(&info.id).await.unwrap();
    let now = codingit::sandbox::unix_now();
    assert!(
        got.expires_at >= now + 80 && got.expires_at <= now + 91,
        "expiry {} is not 90 s from now ({now})",
        got.expires_at
    );
    // A result that is a link (here to a root-owned file) is not read.
    let request = ExecRequest {
        argv: argv(&["ln", "-s", "/etc/shadow", "link.txt"]),
        timeout: Some(Duration::from_secs(30)),
        ..Default::default()
    };
    let (out, data) = c
        .run_cell(&info.id, &[], &request, "link.txt", &|_| {})
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0);
    assert_eq!(data, None);
    c.kill(&info.id).await.unwrap();
    c.pool_idle().await;
    b.drain_pool(&spec).await.unwrap();
    assert!(named(&ns, "codingit-").is_empty(), "{:?}", named(&ns, ""));
}
