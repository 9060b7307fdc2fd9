//! The E2B backend through the library against the local spec-faithful server
//! (tests/e2b_server), when the protocol goes right: the lifecycle, commands, files,
//! time limits and signals, gzip frames, sandboxes not made by codingit left alone,
//! per-sandbox host names, and the server's strictness (what the spec does not allow
//! is refused). When it goes wrong: e2b_failures.rs.

use crate::support::e2b::backend;
use crate::support::e2b_server::E2bServer;
use crate::support::interpreter_spec;
use codingit::sandbox::e2b::config::E2bConfig;
use codingit::sandbox::e2b::E2bBackend;
use codingit::sandbox::{Backend, ExecRequest, OutputChunk, SandboxError};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

pub(super) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub(super) fn argv(parts: &[&str]) -> ExecRequest {
    ExecRequest {
        argv: parts.iter().map(|s| s.to_string()).collect(),
        ..ExecRequest::default()
    }
}

/// A fresh interpreter sandbox on `b` (300 s), its id.
pub(super) async fn interpreter_sandbox(b: &E2bBackend) -> String {
    b.create(&interpreter_spec("/tmp/project", Duration::from_secs(300)))
        .await
        .unwrap()
        .id
}

/// Runs a command, returning (stdout, stderr, result).
pub(super) async fn exec(
    b: &E2bBackend,
    id: &str,
    request: &ExecRequest,
) -> (
    String,
    String,
    Result<codingit::sandbox::ExecOutcome, SandboxError>,
) {
    let out = Mutex::new((Vec::new(), Vec::new()));
    let sink = |c: OutputChunk| {
        let mut o = out.lock().unwrap();
        match c {
            OutputChunk::Stdout(b) => o.0.extend(b),
            OutputChunk::Stderr(b) => o.1.extend(b),
        }
    };
    let result = b.exec(id, request, &sink).await;
    let o = out.into_inner().unwrap();
    (
        String::from_utf8_lossy(&o.0).into_owned(),
        String::from_utf8_lossy(&o.1).into_owned(),
        result,
    )
}

#[test]
fn lifecycle_commands_and_files() {
    let _solo = crate::support::solo("e2b_protocol");
    let server = E2bServer::start();
    let b = backend(&server);
    rt().block_on(async {
        let info = b
            .create(&interpreter_spec("/tmp/project", Duration::from_secs(300)))
            .await
            .unwrap();
        assert_eq!(info.backend, "e2b");
        assert_eq!(info.template, "code-interpreter-v1");
        let listed = b.list().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].project.as_deref(), Some("/tmp/project"));
        let id = info.id.clone();

        b.write_files(&id, &[("dir/a.txt".into(), b"hello".to_vec())])
            .await
            .unwrap();
        assert_eq!(b.read_file(&id, "dir/a.txt").await.unwrap(), b"hello");
        let (out, err, r) = exec(
            &b,
            &id,
            &argv(&["sh", "-c", "cat dir/a.txt; echo oops >&2; exit 3"]),
        )
        .await;
        assert_eq!((out.as_str(), err.as_str()), ("hello", "oops\n"));
        assert_eq!(r.unwrap().exit_code, 3);

        let entries = b.list_files(&id, "", true).await.unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
        assert!(
            names.contains(&"dir") && names.contains(&"dir/a.txt"),
            "{names:?}"
        );
        // A file is listed as itself, as on the other backends (envd lists folders).
        let entries = b.list_files(&id, "dir/a.txt", false).await.unwrap();
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert_eq!(
            (entries[0].path.as_str(), entries[0].size),
            ("dir/a.txt", 5)
        );

        // A link planted by code that leads out of the home is refused.
        exec(&b, &id, &argv(&["ln", "-s", "/etc", "out"]))
            .await
            .2
            .unwrap();
        let err = b.read_file(&id, "out/passwd").await.unwrap_err();
        assert!(matches!(err, SandboxError::Path { .. }), "{err}");
        assert!(matches!(
            b.read_file(&id, "../x").await.unwrap_err(),
            SandboxError::Path { .. }
        ));

        b.remove_path(&id, "dir").await.unwrap();
        // The sandbox is alive: a missing file is that, not an ended sandbox.
        let err = b.read_file(&id, "dir/a.txt").await.unwrap_err();
        assert!(matches!(err, SandboxError::Io(_)), "{err}");
        assert!(err.to_string().contains("no such file"), "{err}");

        let before = b.get(&id).await.unwrap().expires_at;
        let after = b
            .extend(&id, Duration::from_secs(3600))
            .await
            .unwrap()
            .expires_at;
        assert!(after > before + 3000, "{before} {after}");

        // Another process knows from the control plane that the network is off.
        let other = backend(&server);
        let sink = |_: OutputChunk| {};
        let packages = ["requests".to_string()];
        let err = other
            .install(
                &id,
                codingit::catalog::PackageManager::Pip,
                &packages,
                &sink,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, SandboxError::InstallNeedsNetwork { .. }),
            "{err}"
        );

        b.kill(&id).await.unwrap();
        assert!(matches!(
            b.get(&id).await.unwrap_err(),
            SandboxError::NotFound(_)
        ));
    });
    assert_eq!(server.running(), 0);
}

#[test]
fn time_limits_and_signals() {
    let _solo = crate::support::solo("e2b_protocol");
    let server = E2bServer::start();
    let b = backend(&server);
    rt().block_on(async {
        let id = interpreter_sandbox(&b).await;
        let mut request = argv(&["sleep", "30"]);
        request.timeout = Some(Duration::from_millis(500));
        let outcome = exec(&b, &id, &request).await.2.unwrap();
        assert!(outcome.timed_out);
        assert_eq!(outcome.exit_code, 137);
        let outcome = exec(&b, &id, &argv(&["sh", "-c", "kill -TERM $$"]))
            .await
            .2
            .unwrap();
        assert_eq!(outcome.exit_code, 143);
        b.kill(&id).await.unwrap();
    });
}

#[test]
fn gzip_frames_are_read() {
    let _solo = crate::support::solo("e2b_protocol");
    let server = E2bServer::start();
    server.faults().gzip = true;
    let b = backend(&server);
    rt().block_on(async {
        let id = interpreter_sandbox(&b).await;
        let (out, _, r) = exec(&b, &id, &argv(&["sh", "-c", "seq 1 2000"])).await;
        assert_eq!(r.unwrap().exit_code, 0);
        assert_eq!(out.lines().count(), 2000);
        assert!(out.ends_with("2000\n"));
    });
}

#[test]
fn sandboxes_not_made_by_codingit_are_not_touched() {
    let _solo = crate::support::solo("e2b_protocol");
    let server = E2bServer::start();
    let b = backend(&server);
    rt().block_on(async {
        // One made by someone else, straight through the API.
        let http = reqwest::Client::new();
        let made: serde_json::Value = http
            .post(format!("http://{}/sandboxes", server.api))
            .header("X-API-Key", crate::support::e2b_server::API_KEY)
            .json(&serde_json::json!({"templateID": "base", "timeout": 60}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let theirs = made["sandboxID"].as_str().unwrap();
        assert!(b.list().await.unwrap().is_empty());
        assert!(matches!(
            b.kill(theirs).await.unwrap_err(),
            SandboxError::NotFound(_)
        ));
        assert!(server.ids().contains(&theirs.to_string()));
    });
}

/// The server is strict, so a client that passes against it follows the spec: what
/// the published schemas do not allow is refused.
#[test]
fn the_test_server_refuses_what_the_spec_does_not_allow() {
    let _solo = crate::support::solo("e2b_protocol");
    codingit::llm::install_crypto_provider();
    let server = E2bServer::start();
    rt().block_on(async {
        let http = reqwest::Client::new();
        let api = format!("http://{}", server.api);
        let proxy = format!("http://{}", server.proxy);
        let key = crate::support::e2b_server::API_KEY;
        let status = |r: reqwest::Response| r.status().as_u16();
        // No key; an unknown field; a wrong content type.
        let r = http
            .get(format!("{api}/v2/sandboxes"))
            .send()
            .await
            .unwrap();
        assert_eq!(status(r), 401);
        let r = http
            .post(format!("{api}/sandboxes"))
            .header("X-API-Key", key)
            .json(&serde_json::json!({"templateID": "base", "timeoutSecs": 5}))
            .send()
            .await
            .unwrap();
        assert_eq!(status(r), 400);
        let r = http
            .post(format!("{api}/sandboxes"))
            .header("X-API-Key", key)
            .header("Content-Type", "text/plain")
            .body(r#"{"templateID": "base"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(status(r), 400);

        let made: serde_json::Value = http
            .post(format!("{api}/sandboxes"))
            .header("X-API-Key", key)
            .json(&serde_json::json!({"templateID": "base", "secure": true,
                "metadata": {"dev.codingit.tool": "codingit"}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = made["sandboxID"].as_str().unwrap();
        let token = made["envdAccessToken"].as_str().unwrap();
        let list = |token: Option<&str>, content_type: &str, body: &str| {
            let mut r = http
                .post(format!("{proxy}/filesystem.Filesystem/ListDir"))
                .header("E2b-Sandbox-Id", id)
                .header("E2b-Sandbox-Port", "49983")
                .header("Connect-Protocol-Version", "1")
                .header("Content-Type", content_type)
                .body(body.to_string());
            if let Some(t) = token {
                r = r.header("X-Access-Token", t);
            }
            r.send()
        };
        // Missing access token; wrong content type; unknown field; then all right.
        let cases = [
            (None, "application/json", r#"{"path":"/home/user"}"#, 401),
            (
                Some(token),
                "application/proto",
                r#"{"path":"/home/user"}"#,
                415,
            ),
            (
                Some(token),
                "application/json",
                r#"{"path":"/home/user","recursive":true}"#,
                400,
            ),
            (
                Some(token),
                "application/json",
                r#"{"path":"/home/user","depth":1}"#,
                200,
            ),
        ];
        for (token, content_type, body, expected) in cases {
            let r = list(token, content_type, body).await.unwrap();
            assert_eq!(status(r), expected, "{content_type} {body}");
        }
    });
}

/// Per-sandbox host names (`49983-ID.DOMAIN`, no proxy headers needed): every name of
/// the test domain resolves to the server, which routes on the Host header.
#[test]
fn per_sandbox_host_names_reach_envd() {
    let _solo = crate::support::solo("e2b_protocol");
    struct ToServer(std::net::SocketAddr);
    impl reqwest::dns::Resolve for ToServer {
        fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
            let (addr, name) = (self.0, name.as_str().to_string());
            Box::pin(async move {
                assert!(name.ends_with(crate::support::e2b_server::DOMAIN), "{name}");
                let addrs: reqwest::dns::Addrs = Box::new(std::iter::once(addr));
                Ok(addrs)
            })
        }
    }
    let server = E2bServer::start();
    let vars: BTreeMap<&str, String> = server
        .env()
        .into_iter()
        .filter(|(k, _)| *k != "E2B_SANDBOX_URL")
        .collect();
    let config = E2bConfig::from_lookup(|n| vars.get(n).cloned(), BTreeMap::new()).unwrap();
    let http = E2bBackend::http_client()
        .dns_resolver(std::sync::Arc::new(ToServer(server.proxy)))
        .build();
    let b = E2bBackend::with_http(config, http).unwrap();
    rt().block_on(async {
        let id = interpreter_sandbox(&b).await;
        b.write_files(&id, &[("a.txt".into(), b"by host".to_vec())])
            .await
            .unwrap();
        let (out, _, r) = exec(&b, &id, &argv(&["cat", "a.txt"])).await;
        assert_eq!((out.as_str(), r.unwrap().exit_code), ("by host", 0));
        assert!(
            crate::support::e2b_server::routed_by_host() >= 3,
            "envd was reached by host name"
        );
        b.kill(&id).await.unwrap();
    });
}
