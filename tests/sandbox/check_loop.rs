//! `--check` and the fix loop against a scripted mock model and real sandboxes:
//! a cell that raises and is fixed, a failing test command, a web app answering 500,
//! still failing after the last round, a budget that stops before a call, Ctrl-C in
//! the middle of a round, and `run --check` without a model.
//!
//! Under CI=true a backend or template that cannot be used fails these tests.

use crate::support::containment::cache_dir;
use crate::support::in_ci;
use crate::support::mock_llm::*;
use crate::support::{stdout_json, TestEnv};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;
use wiremock::MockServer;

/// A mock model answering `answers` in order, and a home that runs sandboxes on
/// `backend` with the shared cache of built environments and images.
async fn world(answers: &[Value], backend: &str) -> (TestEnv, MockServer) {
    let (env, server) = mock_env_json(answers).await;
    if backend == "docker" {
        let mut config = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap();
        config.push_str("\n[sandbox]\n");
        for (key, var) in [
            ("base_image", "CODINGIT_TEST_BASE_IMAGE"),
            ("ca_cert", "CODINGIT_TEST_CA_CERT"),
        ] {
            if let Some(v) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                config.push_str(&format!("{key} = {v:?}\n"));
            }
        }
        env.write_config("config.toml", &config);
    }
    (env, server)
}

fn cmd(env: &TestEnv, backend: &str) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.env("CODINGIT_CACHE_DIR", cache_dir())
        .env("CODINGIT_BACKEND", backend)
        .env(
            "CODINGIT_SANDBOX_NAMESPACE",
            format!("check-{}", std::process::id()),
        )
        .timeout(Duration::from_secs(900));
    // e2b runs over the binary's E2B test server (support::e2b).
    if backend == "e2b" {
        cmd.envs(crate::support::e2b::shared_server().env());
    }
    cmd
}

/// Builds (or finds) the template for `backend` (for e2b the local environment the
/// E2B test server gives the template's sandboxes); false when impossible outside CI.
fn ready(env: &TestEnv, backend: &str, template: &str) -> bool {
    let builder = if backend == "e2b" { "local" } else { backend };
    let out = cmd(env, backend)
        .args(["templates", "build", template, "--backend", builder])
        .output()
        .unwrap();
    if out.status.success() {
        return true;
    }
    let why = String::from_utf8_lossy(&out.stderr).into_owned();
    let docker_required = backend == "docker"
        && std::env::var("CODINGIT_TEST_DOCKER").is_ok_and(|v| v == "1" || v == "true");
    assert!(
        !(in_ci() || docker_required),
        "CI=true and {template} cannot be built on {backend}: {why}"
    );
    eprintln!("note: skipping, {template} cannot be built on {backend}: {why}");
    false
}

fn cell(code: &str) -> Value {
    let mut fragment = interpreter_fragment();
    fragment["code"] = json!(code);
    fragment["files"] = json!([]);
    fragment
}

fn text_of(request: &Value) -> String {
    request["messages"].to_string()
}

fn main_code(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("script.py")).unwrap()
}

async fn a_raising_cell_is_fixed_in_round_two(backend: &str) {
    let answers = [
        cell("values = [3, 0]\nprint(values[0] / values[1])\n"),
        cell("values = [3, 1]\nprint(values[0] / values[1])\n"),
    ];
    let (env, server) = world(&answers, backend).await;
    if !ready(&env, backend, "code-interpreter-v1") {
        return;
    }
    let out = cmd(&env, backend)
        .args(["new", "divide", "-t", "code-interpreter-v1", "-o", "app"])
        .args(["--check", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let doc = stdout_json(&out);
    let check = &doc["check"];
    assert_eq!(check["passed"], json!(true), "{check}");
    assert_eq!(check["termination_reason"], json!("passed"));
    let rounds = check["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2, "{check}");
    let first = &rounds[0]["checks"][0];
    assert_eq!(first["name"], json!("run"));
    assert_eq!(first["passed"], json!(false));
    assert!(first["summary"]
        .as_str()
        .unwrap()
        .contains("ZeroDivisionError"));
    assert_eq!(rounds[1]["checks"][0]["passed"], json!(true));
    assert_eq!(rounds[1]["usage"]["output_tokens"], json!(80));
    // The traceback went back to the model in the fix request.
    let requests = request_bodies(&server).await;
    assert_eq!(requests.len(), 2);
    let fix = text_of(&requests[1]);
    assert!(
        fix.contains("ZeroDivisionError") && fix.contains("Traceback"),
        "{fix}"
    );
    assert!(main_code(&env.path().join("app")).contains("values = [3, 1]"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_a_raising_cell_is_fixed_in_round_two() {
    let _solo = crate::support::solo("check_loop");
    a_raising_cell_is_fixed_in_round_two("local").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docker_a_raising_cell_is_fixed_in_round_two() {
    let _solo = crate::support::solo("check_loop");
    a_raising_cell_is_fixed_in_round_two("docker").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2b_a_raising_cell_is_fixed_in_round_two() {
    let _solo = crate::support::solo("check_loop");
    a_raising_cell_is_fixed_in_round_two("e2b").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_pytest_is_fixed_and_the_test_file_stays_the_users() {
    let _solo = crate::support::solo("check_loop");
    let helpers = |body: &str| {
        let mut fragment = interpreter_fragment();
        fragment["files"] = json!([{ "file_path": "helpers.py", "code": format!("def add(a, b):\n    return {body}\n") }]);
        fragment
    };
    // The first answer also tries to replace the user's test with one that passes.
    let mut cheat = helpers("a - b");
    cheat["files"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "file_path": "test_add.py", "code": "def test_add():\n    assert True\n" }));
    let (env, server) = world(&[cheat, helpers("a + b")], "local").await;
    if !ready(&env, "local", "code-interpreter-v1") {
        return;
    }
    std::fs::write(
        env.path().join("test_add.py"),
        "from helpers import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
    )
    .unwrap();
    let out = cmd(&env, "local")
        .args([
            "new",
            "an adder",
            "-t",
            "code-interpreter-v1",
            "-o",
            "app",
            "--json",
        ])
        .args([
            "--test",
            "python3 -m pytest -q test_add.py",
            "--test-file",
            "test_add.py",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let check = stdout_json(&out)["check"].clone();
    let rounds = check["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2, "{check}");
    let test = &rounds[0]["checks"][0];
    assert_eq!(
        test["name"],
        json!("test: python3 -m pytest -q test_add.py")
    );
    assert_eq!(test["passed"], json!(false), "{check}");
    assert_eq!(test["exit_code"], json!(1));
    let requests = request_bodies(&server).await;
    // The acceptance test was shown up front, its failure in the fix request.
    assert!(text_of(&requests[0]).contains("assert add(2, 3) == 5"));
    let fix = text_of(&requests[1]);
    assert!(
        fix.contains("assert") && fix.contains("test_add.py"),
        "{fix}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn still_failing_after_the_last_round_keeps_every_round() {
    let _solo = crate::support::solo("check_loop");
    let answers = [
        cell("raise ValueError('one')\n"),
        cell("raise ValueError('two')\n"),
        cell("raise ValueError('three')\n"),
        cell("print('never asked for')\n"),
    ];
    let (env, server) = world(&answers, "local").await;
    if !ready(&env, "local", "code-interpreter-v1") {
        return;
    }
    let out = cmd(&env, "local")
        .args(["new", "fail", "-t", "code-interpreter-v1", "-o", "app"])
        .args(["--check", "--fix-rounds", "2", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{stderr}");
    assert!(stderr.contains("still failing after round 3"), "{stderr}");
    let check = stdout_json(&out)["check"].clone();
    assert_eq!(check["termination_reason"], json!("still_failing"));
    assert_eq!(check["passed"], json!(false));
    assert_eq!(check["rounds"].as_array().unwrap().len(), 3);
    assert_eq!(request_bodies(&server).await.len(), 3);
    let app = env.path().join("app");
    assert!(
        main_code(&app).contains("three"),
        "the last attempt stays on disk"
    );
    let undo = cmd(&env, "local")
        .args(["chat", "-C", "app", "--undo"])
        .output()
        .unwrap();
    assert!(undo.status.success());
    assert!(main_code(&app).contains("two"), "undo steps back one round");
}

/// An answer whose usage says it read 225,000 prompt tokens ($0.225 at the mock
/// model's $1/M): the next call's worst case no longer fits in $0.24.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_cost_stops_before_the_call_that_could_pass_it() {
    let _solo = crate::support::solo("check_loop");
    let body = sse_text(&cell("raise ValueError('costly')\n").to_string())
        .replace("\"prompt_tokens\":120", "\"prompt_tokens\":225000");
    assert!(body.contains("225000"));
    let (env, server) = mock_env(vec![sse_response(body)]).await;
    if !ready(&env, "local", "code-interpreter-v1") {
        return;
    }
    let out = cmd(&env, "local")
        .args(["new", "costly", "-t", "code-interpreter-v1", "-o", "app"])
        .args([
            "--check",
            "--repair-rounds",
            "0",
            "--max-cost",
            "0.24",
            "--json",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(10), "{stderr}");
    let check = stdout_json(&out)["check"].clone();
    assert_eq!(check["termination_reason"], json!("budget"), "{check}");
    assert_eq!(check["rounds"].as_array().unwrap().len(), 1);
    assert!(
        check["note"].as_str().unwrap().contains("--max-cost"),
        "{check}"
    );
    assert_eq!(
        request_bodies(&server).await.len(),
        1,
        "no request beyond the budget"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_in_a_fix_round_leaves_the_last_complete_round() {
    let _solo = crate::support::solo("check_loop");
    let slow = sse_response(sse_text(&cell("print('fixed')\n").to_string()))
        .set_delay(Duration::from_secs(60));
    let first = sse_response(sse_text(&cell("raise ValueError('first')\n").to_string()));
    let (env, server) = mock_env(vec![first, slow]).await;
    if !ready(&env, "local", "code-interpreter-v1") {
        return;
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("codingit"));
    for var in crate::support::SCRUBBED_VARS {
        child.env_remove(var);
    }
    let mut child = child
        .env("CODINGIT_CONFIG_DIR", env.config_dir())
        .env("CODINGIT_STATE_DIR", env.path().join("state"))
        .env("CODINGIT_CACHE_DIR", cache_dir())
        .env("CODINGIT_BACKEND", "local")
        .env("HOME", env.path())
        .current_dir(env.path())
        .args([
            "new",
            "slow",
            "-t",
            "code-interpreter-v1",
            "-o",
            "app",
            "--check",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(300);
    while request_bodies(&server).await.len() < 2 {
        assert!(std::time::Instant::now() < deadline, "no fix request came");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(main_code(&env.path().join("app")).contains("first"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_check_judges_without_a_model() {
    let _solo = crate::support::solo("check_loop");
    let (env, _server) = world(&[cell("print('ok')\n")], "local").await;
    if !ready(&env, "local", "code-interpreter-v1") {
        return;
    }
    let out = cmd(&env, "local")
        .args(["new", "ok", "-t", "code-interpreter-v1", "-o", "app"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let passed = cmd(&env, "local")
        .args(["run", "app", "--check", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        passed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&passed.stderr)
    );
    let doc = stdout_json(&passed);
    assert_eq!(doc["passed"], json!(true));
    // The judgement is in the run log, with every check's verdict.
    let id = doc["log_id"].as_i64().expect("a log id");
    let shown = cmd(&env, "local")
        .args(["logs", "show", &id.to_string(), "--json"])
        .output()
        .unwrap();
    let record = stdout_json(&shown);
    assert_eq!(record["kind"], json!("run"), "{record}");
    assert_eq!(record["run"]["checks"][0]["name"], json!("run"), "{record}");
    assert_eq!(record["run"]["checks"][0]["passed"], json!(true));
    let failed = cmd(&env, "local")
        .args(["run", "app", "--test", "exit 3"])
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(9));
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert!(stdout.contains("test: exit 3: FAILED (exit 3"), "{stdout}");
}

fn next_page(body: &str) -> Value {
    json!({
        "commentary": "A page.",
        "template": "nextjs-developer",
        "title": "Page",
        "description": "A page.",
        "additional_dependencies": [],
        "has_additional_dependencies": false,
        "install_dependencies_command": "",
        "port": 3000,
        "file_path": "pages/index.tsx",
        "code": format!("export default function Home() {{\n  {body}\n}}\n"),
        "files": []
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_app_answering_500_is_fixed() {
    let _solo = crate::support::solo("check_loop");
    let answers = [
        next_page("throw new Error('page exploded');"),
        next_page("return <h1>fixed page</h1>;"),
    ];
    let (env, server) = world(&answers, "local").await;
    if !ready(&env, "local", "nextjs-developer") {
        return;
    }
    let out = cmd(&env, "local")
        .args(["new", "a page", "-t", "nextjs-developer", "-o", "app"])
        .args(["--check", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let check = stdout_json(&out)["check"].clone();
    let rounds = check["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2, "{check}");
    let http = &rounds[0]["checks"][0];
    assert_eq!(http["name"], json!("http GET /"));
    assert_eq!(http["summary"], json!("answered 500"), "{check}");
    assert!(rounds[1]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["passed"] == json!(true)));
    let fix = text_of(&request_bodies(&server).await[1]);
    assert!(fix.contains("page exploded"), "{fix}");
}

/// `chat --lazy --check`: the turn's lazy edit breaks the helper, the fix round
/// answers with lazy edits too; `--events` shows every round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_lazy_check_fixes_with_lazy_edits_and_streams_rounds() {
    let _solo = crate::support::solo("check_loop");
    let lazy = |body: &str| {
        json!({
            "commentary": "Change add.",
            "edits": [{
                "file_path": "helpers.py",
                "instruction": "change add",
                "edit": format!("def add(a, b):\n    return {body}\n")
            }]
        })
    };
    let answers = [interpreter_fragment(), lazy("a + c"), lazy("a + b + 0")];
    let (env, server) = world(&answers, "local").await;
    if !ready(&env, "local", "code-interpreter-v1") {
        return;
    }
    let made = cmd(&env, "local")
        .args(["new", "sum", "-t", "code-interpreter-v1", "-o", "app"])
        .output()
        .unwrap();
    assert!(made.status.success());
    let out = cmd(&env, "local")
        .args([
            "chat", "-C", "app", "--lazy", "rename b", "--check", "--events",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    let order: Vec<&str> = kinds
        .iter()
        .copied()
        .filter(|k| k.starts_with("check.") || *k == "fix.round")
        .collect();
    assert_eq!(
        order,
        [
            "check.started",
            "check.result",
            "fix.round",
            "check.started",
            "check.result"
        ],
        "{kinds:?}"
    );
    let fix = text_of(&request_bodies(&server).await[2]);
    assert!(fix.contains("NameError"), "{fix}");
    let helpers = std::fs::read_to_string(env.path().join("app/helpers.py")).unwrap();
    assert!(helpers.contains("a + b + 0"), "{helpers}");
}
