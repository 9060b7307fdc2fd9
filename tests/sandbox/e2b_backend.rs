//! What only the e2b backend has, through the real binary, each against a local
//! spec-faithful E2B server of its own (tests/e2b_server), whose side is checked too:
//! `run` through our runner (value, traceback, time limit, artifacts) leaving no
//! sandbox on the server, the backend choice (`--backend e2b`, `defaults.backend`, a
//! missing key named), `doctor`, E2B sandboxes found without `--backend` and the
//! server's view of `files` and `sandbox …`, and a web app's E2B preview URL. The
//! `sandbox …` and `files` commands themselves are the shared suite's (commands/).

use crate::support::e2b_server::E2bServer;
use crate::support::{stdout_json, TestEnv};
use codingit::sandbox::Backend;
use std::time::Duration;

fn cmd(env: &TestEnv, server: &E2bServer) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    for (k, v) in server.env() {
        cmd.env(k, v);
    }
    cmd.arg("--no-log");
    cmd
}

/// A sandbox made through the library, as a detached run would leave one.
fn sandbox(server: &E2bServer) -> String {
    let backend = crate::support::e2b::backend(server);
    let spec = crate::support::interpreter_spec("my-project", Duration::from_secs(600));
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(backend.create(&spec))
        .unwrap()
        .id
}

#[test]
fn run_shows_the_value_and_removes_the_sandbox() {
    let _solo = crate::support::solo("sandbox_e2b");
    let (env, server) = (TestEnv::new(), E2bServer::start());
    let output = cmd(&env, &server)
        .args(["run", "-", "--backend", "e2b", "--json"])
        .write_stdin("print('hello')\n6 * 7\n")
        .output()
        .unwrap();
    let json = stdout_json(&output);
    assert!(output.status.success(), "{json}");
    assert_eq!(json["value"], "42");
    assert_eq!(json["stdout"], "hello\n");
    assert_eq!(json["exit_code"], 0);
    assert!(
        server.ids().is_empty(),
        "the sandbox is killed after the run"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("sandbox backend: e2b"), "{stderr}");
    assert!(
        !stderr.contains(crate::support::e2b_server::API_KEY),
        "the key is never printed"
    );
    assert!(server
        .requests()
        .iter()
        .any(|r| r == "POST /process.Process/Start"));
}

#[test]
fn run_errors_time_limits_and_artifacts() {
    let _solo = crate::support::solo("sandbox_e2b");
    let (env, server) = (TestEnv::new(), E2bServer::start());
    let output = cmd(&env, &server)
        .args(["run", "-", "--backend", "e2b"])
        .write_stdin("raise ValueError('boom')\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ValueError: boom"));

    let output = cmd(&env, &server)
        .args(["run", "-", "--backend", "e2b", "--timeout", "1s"])
        .write_stdin("import time\ntime.sleep(60)\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(124));

    // A chart the cell leaves in the artifacts folder comes back to the host.
    let png = "open('.codingit/artifacts/chart.png','wb').write(b'\\x89PNG\\r\\n\\x1a\\n')\n";
    let output = cmd(&env, &server)
        .args(["run", "-", "--backend", "e2b", "--json"])
        .write_stdin(png)
        .output()
        .unwrap();
    let json = stdout_json(&output);
    let artifacts = json["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 1, "{json}");
    let saved = std::path::Path::new(artifacts[0].as_str().unwrap());
    assert!(std::fs::read(env.path().join(saved))
        .or_else(|_| std::fs::read(saved))
        .unwrap()
        .starts_with(b"\x89PNG"));
    assert!(server.ids().is_empty());
}

#[test]
fn defaults_backend_e2b_selects_it_and_a_missing_key_is_named() {
    let _solo = crate::support::solo("sandbox_e2b");
    let (env, server) = (TestEnv::new(), E2bServer::start());
    env.write_config("config.toml", "[defaults]\nbackend = \"e2b\"\n");
    let output = cmd(&env, &server)
        .args(["run", "-"])
        .write_stdin("print(1)\n")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "1\n");

    let output = cmd(&env, &server)
        .args(["templates", "build", "code-interpreter-v1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("E2B's CLI"));
    assert!(server.ids().is_empty());

    let output = env
        .cmd()
        .args(["run", "-", "--backend", "e2b", "--no-log"])
        .write_stdin("print(1)\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(125));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E2B_API_KEY"), "{stderr}");
}

#[test]
fn doctor_asks_the_e2b_api_when_a_key_is_set() {
    let _solo = crate::support::solo("sandbox_e2b");
    let (env, server) = (TestEnv::new(), E2bServer::start());
    let check = |output: std::process::Output| {
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            !text.contains("e2b_test_key") && !text.contains("e2b_wrong"),
            "{text}"
        );
        let report = stdout_json(&output);
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "e2b")
            .cloned()
            .unwrap()
    };
    let found = check(
        cmd(&env, &server)
            .args(["doctor", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(found["status"], "ok", "{found}");
    assert!(found["detail"].as_str().unwrap().contains("answers"));
    let found = check(
        cmd(&env, &server)
            .env("E2B_API_KEY", "e2b_wrong")
            .args(["doctor", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(found["status"], "warn", "{found}");
    assert!(
        found["fix"].as_str().unwrap().contains("E2B_API_KEY"),
        "{found}"
    );
}

/// What the shared suite (commands/) cannot see from one backend's side: without
/// `--backend`, E2B sandboxes are found beside the others (a key is set), and what
/// `files` and `sandbox …` do is what the server holds.
#[test]
fn e2b_sandboxes_are_found_without_backend_and_the_server_sees_the_commands() {
    let _solo = crate::support::solo("sandbox_e2b");
    let (env, server) = (TestEnv::new(), E2bServer::start());
    let id = sandbox(&server);

    let output = cmd(&env, &server)
        .args(["sandbox", "ls", "--json"])
        .output()
        .unwrap();
    let rows = stdout_json(&output);
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str());
    assert_eq!(row.unwrap()["backend"], "e2b", "{rows}");
    assert_eq!(row.unwrap()["project"], "my-project", "{rows}");
    let output = cmd(&env, &server)
        .args(["sandbox", "exec", &id, "--", "true"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "found without --backend: {output:?}"
    );

    cmd(&env, &server)
        .args(["files", &id, "write", "notes/a.txt"])
        .write_stdin("hi there")
        .assert()
        .success();
    let home = server.home(&id).unwrap();
    assert_eq!(
        std::fs::read(home.join("notes/a.txt")).unwrap(),
        b"hi there"
    );
    cmd(&env, &server)
        .args(["files", &id, "rm", "notes"])
        .assert()
        .success();
    assert!(!home.join("notes").exists());

    // The control plane's own log of the sandbox.
    let output = cmd(&env, &server)
        .args(["sandbox", "logs", &id])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("started"));

    cmd(&env, &server)
        .args(["sandbox", "kill", &id])
        .assert()
        .success();
    assert!(server.ids().is_empty());
    assert_eq!(server.running(), 0);
}

#[test]
fn a_web_app_gets_the_e2b_preview_url_and_answers_through_it() {
    let _solo = crate::support::solo("sandbox_e2b");
    let (env, server) = (TestEnv::new(), E2bServer::start());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    env.write_config(
        "templates.toml",
        &format!(
            "[templates.tiny-web]\nname = \"tiny web\"\nkind = \"web\"\ninstructions = \"x\"\n\
             file = \"app.py\"\nport = {port}\npackage_manager = \"pip\"\nlibraries = []\n\
             start = [\"python3\", \"app.py\"]\nextensions = [\"py\"]\nbase_image = \"python:3.11-slim\"\n"
        ),
    );
    // Our template id maps to an E2B template name.
    env.write_config(
        "config.toml",
        "[sandbox.e2b_templates]\n\"tiny-web\" = \"base\"\n",
    );
    let app = format!(
        "import http.server\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        \
         body = b'hello from e2b'\n        self.send_response(200)\n        \
         self.send_header('Content-Length', str(len(body)))\n        self.end_headers()\n        \
         self.wfile.write(body)\nprint('serving', flush=True)\n\
         http.server.HTTPServer(('127.0.0.1', {port}), H).serve_forever()\n"
    );
    std::fs::write(env.path().join("app.py"), app).unwrap();
    let output = cmd(&env, &server)
        .args([
            "run",
            "app.py",
            "-t",
            "tiny-web",
            "--backend",
            "e2b",
            "--detach",
            "--json",
        ])
        .output()
        .unwrap();
    let json = stdout_json(&output);
    assert!(
        output.status.success(),
        "{json} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let id = json["sandbox_id"].as_str().unwrap().to_string();
    // The server's API is plain HTTP (a development deployment), so is the preview.
    assert_eq!(
        json["url"],
        format!("http://{port}-{id}.{}", crate::support::e2b_server::DOMAIN)
    );
    assert_eq!(json["detached"], true);
    assert!(
        server.requests().iter().any(|r| r == "GET /"),
        "the probe went through the proxy"
    );

    let output = cmd(&env, &server)
        .args(["sandbox", "logs", &id, "--backend", "e2b"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("serving"),
        "{output:?}"
    );
    cmd(&env, &server)
        .args(["sandbox", "kill", &id])
        .assert()
        .success();
    assert!(server.ids().is_empty());
    assert_eq!(server.running(), 0);
}
