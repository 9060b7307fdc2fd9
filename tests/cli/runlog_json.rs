//! Every command's `--json` names the run-log record it wrote (`log_id`), so a script
//! can join the two; and what a record holds that only a real command can fill: a
//! run's artifacts, a call's cached prompt tokens.

use crate::support::mock_llm::*;
use crate::support::{stdout_json, TestEnv};
use serde_json::Value;

fn ok(output: &std::process::Output) -> Value {
    assert!(
        output.status.success(),
        "exit {:?}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout_json(output)
}

/// `logs show ID --json`.
fn show(env: &TestEnv, id: &Value) -> Value {
    let id = id.as_i64().unwrap_or_else(|| panic!("log_id {id}"));
    ok(&env
        .cmd()
        .args(["logs", "show", &id.to_string(), "--json"])
        .output()
        .unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn new_chat_and_edit_json_name_their_record() {
    let lazy = lazy_docstring_edit();
    // The first answer reports a warm prompt cache, as OpenAI does.
    let cached = sse_text(&interpreter_fragment().to_string()).replace(
        r#""prompt_tokens":120"#,
        r#""prompt_tokens":120,"prompt_tokens_details":{"cached_tokens":64}"#,
    );
    assert!(cached.contains("cached_tokens"));
    let (env, _server) = mock_env(vec![
        sse_response(cached),
        sse_response(sse_text(&lazy.to_string())),
    ])
    .await;
    let new = ok(&env
        .cmd()
        .args(["new", "say hello", "-t", "code-interpreter-v1", "-o", "app"])
        .arg("--json")
        .output()
        .unwrap());
    let record = show(&env, &new["log_id"]);
    assert_eq!(record["command"], "new");
    assert_eq!(record["kind"], "call");
    assert_eq!(record["call"]["usage"]["cached_tokens"], 64);
    assert_eq!(new["usage"]["cached_tokens"], 64);

    let chat = ok(&env
        .cmd()
        .args(["chat", "--lazy", "document add", "-C", "app", "--json"])
        .output()
        .unwrap());
    let record = show(&env, &chat["log_id"]);
    assert_eq!(record["command"], "chat");
    assert_eq!(record["changes"][0]["path"], "helpers.py");
    // Not reported by this answer: unknown, not zero.
    assert_eq!(record["call"]["usage"]["cached_tokens"], Value::Null);

    std::fs::write(env.path().join("f.py"), "def f():\n    return 1\n").unwrap();
    std::fs::write(env.path().join("e.txt"), "def f():\n    return 2\n").unwrap();
    let edit = ok(&env
        .cmd()
        .args(["edit", "f.py", "--snippet", "e.txt", "--json"])
        .output()
        .unwrap());
    let record = show(&env, &edit["log_id"]);
    assert_eq!(record["command"], "edit");
    assert_eq!(record["kind"], "turn");

    // Nothing recorded (the edit changes nothing, which exits non-zero), or logging
    // off: null.
    let same = stdout_json(
        &env.cmd()
            .args(["edit", "f.py", "--snippet", "e.txt", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(same["log_id"], Value::Null, "{same}");
    std::fs::write(env.path().join("e.txt"), "def f():\n    return 3\n").unwrap();
    let off = ok(&env
        .cmd()
        .args(["--no-log", "edit", "f.py", "--snippet", "e.txt", "--json"])
        .output()
        .unwrap());
    assert_eq!(off["log_id"], Value::Null);
}

/// Writes a chart into the artifacts folder and names it in the result, as the
/// runner does for a matplotlib figure, without needing matplotlib.
const MAKES_A_CHART: &str = r#"
import atexit, json
def chart():
    open("/home/user/.codingit/artifacts/chart.png", "wb").write(b"\x89PNG fake")
    with open("/home/user/.codingit/result.json", "w") as f:
        json.dump({"ok": True, "value": None, "error": None, "artifacts": ["chart.png"]}, f)
atexit.register(chart)
print("done")
"#;

#[test]
fn run_json_names_its_record_with_the_artifacts() {
    let env = TestEnv::new();
    if !crate::support::local_sandbox_runs(&env) {
        return;
    }
    let charts = env.path().join("charts");
    let run = ok(&env
        .cmd()
        .env(
            "CODINGIT_CACHE_DIR",
            crate::support::containment::cache_dir(),
        )
        .args(["run", "-", "--backend", "local", "--json", "--artifacts"])
        .arg(&charts)
        .write_stdin(MAKES_A_CHART)
        .output()
        .unwrap());
    let record = show(&env, &run["log_id"]);
    assert_eq!(record["kind"], "run");
    assert_eq!(record["outcome"], "ok");
    assert_eq!(record["run"]["exit_code"], 0);
    assert_eq!(record["run"]["sandbox_id"], run["sandbox_id"]);
    assert_eq!(record["run"]["artifacts"], run["artifacts"], "{record}");
    assert_eq!(record["run"]["artifacts"].as_array().map(Vec::len), Some(1));
    // A plain run has no checks (a round of `--check` has: tests/sandbox/check_loop.rs).
    assert_eq!(record["run"]["checks"], Value::Null);
}
