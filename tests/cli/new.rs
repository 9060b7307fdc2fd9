//! `codingit new` against a mock model server.

use crate::support::mock_llm::*;
use crate::support::{stdout_json, TestEnv};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::MockServer;

async fn setup(answers: Vec<wiremock::ResponseTemplate>) -> (TestEnv, MockServer) {
    mock_env(answers).await
}

fn answer(value: &Value) -> wiremock::ResponseTemplate {
    sse_response(sse_text(&value.to_string()))
}

fn system_prompt(body: &Value) -> String {
    body["messages"][0]["content"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| body["messages"][0]["content"].to_string())
}

fn last_user_text(body: &Value) -> String {
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    let last = messages
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .cloned()
        .unwrap_or_default();
    match &last["content"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_valid_fragment_is_written_to_the_right_files() {
    let (env, server) = setup(vec![answer(&interpreter_fragment())]).await;
    let output = env
        .cmd()
        .args([
            "new",
            "say hello and add numbers",
            "-t",
            "code-interpreter-v1",
            "-o",
            "hello",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result = stdout_json(&output);
    assert_eq!(result["files"], json!(["script.py", "helpers.py"]));
    assert_eq!(result["usage"]["input_tokens"], 120);
    assert_eq!(result["cost_usd"], json!((120.0 * 1.0 + 80.0 * 2.0) / 1e6));
    let dir = env.path().join("hello");
    assert_eq!(
        std::fs::read_to_string(dir.join("helpers.py")).unwrap(),
        "def add(a, b):\n    return a + b\n"
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(".codingit/fragment.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest, interpreter_fragment());
    let history = std::fs::read_to_string(dir.join(".codingit/history.jsonl")).unwrap();
    let lines: Vec<Value> = history
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["role"], "user");
    assert_eq!(lines[0]["content"], "say hello and add numbers");
    assert_eq!(lines[1]["role"], "assistant");
    assert_eq!(lines[1]["model"], "mock/coder");
    assert_eq!(lines[1]["usage"]["output_tokens"], 80);
    assert!(lines[1]["time"].as_str().is_some_and(|t| t.ends_with('Z')));
    let bodies = request_bodies(&server).await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["response_format"]["type"], "json_schema");
    let prompt = system_prompt(&bodies[0]);
    assert!(
        prompt.contains("code-interpreter-v1") && !prompt.contains("nextjs-developer"),
        "{prompt}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn auto_offers_every_template_and_the_model_chooses() {
    let (env, server) = setup(vec![answer(&streamlit_fragment())]).await;
    let output = env
        .cmd()
        .args(["new", "plot a sine wave", "-t", "auto"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let prompt = system_prompt(&request_bodies(&server).await[0]);
    for id in [
        "code-interpreter-v1",
        "nextjs-developer",
        "vue-developer",
        "streamlit-developer",
        "gradio-developer",
    ] {
        assert!(prompt.contains(id), "{id} not offered");
    }
    // The default folder is named from the title.
    let app = env.path().join("sine-plot/app.py");
    assert_eq!(
        std::fs::read_to_string(app).unwrap(),
        "import streamlit as st\nst.title('Sine')\n"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Sine Plot") && stdout.contains("codingit run sine-plot"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_answers_are_repaired_on_the_next_round() {
    let mut unknown_template = interpreter_fragment();
    unknown_template["template"] = json!("cobol-developer");
    let mut escaping_path = interpreter_fragment();
    escaping_path["files"][0]["file_path"] = json!("../outside.py");
    let mut bad_dependency = interpreter_fragment();
    bad_dependency["additional_dependencies"] = json!(["requests; rm -rf /"]);
    bad_dependency["has_additional_dependencies"] = json!(true);
    let mut schema_violation = interpreter_fragment();
    schema_violation.as_object_mut().unwrap().remove("files");
    for (bad, expected_error) in [
        (unknown_template, "cobol-developer"),
        (escaping_path, "../outside.py"),
        (bad_dependency, "not a valid pip package"),
        (schema_violation, "files"),
    ] {
        let (env, server) = setup(vec![answer(&bad), answer(&interpreter_fragment())]).await;
        let output = env
            .cmd()
            .args([
                "new",
                "hello",
                "-t",
                "code-interpreter-v1",
                "-o",
                "app",
                "--json",
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{expected_error}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(stdout_json(&output)["repair_rounds"], 1);
        let bodies = request_bodies(&server).await;
        assert_eq!(bodies.len(), 2, "{expected_error}");
        let repair = last_user_text(&bodies[1]);
        assert!(
            repair.contains(expected_error),
            "repair message lacks `{expected_error}`: {repair}"
        );
        assert!(!env.path().join("outside.py").exists());
        assert!(env.path().join("app/script.py").exists());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exhausted_repair_budget_fails_and_writes_nothing() {
    let mut bad = interpreter_fragment();
    bad["template"] = json!("cobol-developer");
    let (env, server) = setup(vec![answer(&bad)]).await;
    let output = env
        .cmd()
        .args(["new", "hello", "-o", "app", "--repair-rounds", "1"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(request_bodies(&server).await.len(), 2);
    assert!(!env.path().join("app").exists());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cobol-developer"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_cut_midway_leaves_no_folder() {
    let cut = sse_response(sse_cut(&interpreter_fragment().to_string()));
    let (env, _server) = setup(vec![cut]).await;
    let output = env
        .cmd()
        .args(["new", "hello", "-o", "app"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!env.path().join("app").exists());
    let leftovers: Vec<_> = std::fs::read_dir(env.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("codingit-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn overwriting_needs_force() {
    let (env, server) = setup(vec![answer(&interpreter_fragment())]).await;
    let dir = env.path().join("app");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let output = env
        .cmd()
        .args(["new", "hello", "-o", "app"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--force"));
    assert_eq!(
        request_bodies(&server).await.len(),
        0,
        "refused before calling the model"
    );
    let output = env
        .cmd()
        .args(["new", "hello", "-o", "app", "--force"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(dir.join("script.py").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn stdin_comes_before_the_argument() {
    let (env, server) = setup(vec![answer(&interpreter_fragment())]).await;
    let output = env
        .cmd()
        .args(["new", "and make it short", "-o", "app"])
        .write_stdin("context from a pipe\n")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let user = last_user_text(&request_bodies(&server).await[0]);
    assert!(
        user.contains("context from a pipe\n\nand make it short"),
        "{user}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_prompt_is_a_usage_error() {
    let (env, server) = setup(vec![answer(&interpreter_fragment())]).await;
    let output = env.cmd().args(["new"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(request_bodies(&server).await.len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn images_need_a_multimodal_model() {
    let (env, server) = setup(vec![answer(&interpreter_fragment())]).await;
    let png = env.path().join("shot.png");
    std::fs::write(&png, [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).unwrap();
    let output = env
        .cmd()
        .args(["new", "copy this", "--image", "shot.png", "-o", "app"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not accept images"));
    assert_eq!(request_bodies(&server).await.len(), 0);
    let output = env
        .cmd()
        .args([
            "new",
            "copy this",
            "--image",
            "shot.png",
            "-o",
            "app",
            "-m",
            "mock/vision",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let body = &request_bodies(&server).await[0];
    assert!(
        body.to_string().contains("data:image/png;base64,"),
        "image not sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_the_fragment_and_writes_nothing() {
    let (env, _server) = setup(vec![answer(&interpreter_fragment())]).await;
    let output = env
        .cmd()
        .args(["new", "hello", "-o", "app", "--dry-run"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(stdout_json(&output)["fragment"], interpreter_fragment());
    assert!(!env.path().join("app").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn events_are_versioned_json_lines() {
    let (env, _server) = setup(vec![answer(&interpreter_fragment())]).await;
    let output = env
        .cmd()
        .args(["new", "hello", "-o", "app", "--events"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let events: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(events.iter().all(|e| e["schema_version"] == 1));
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(kinds.contains(&"fragment.delta"));
    assert_eq!(
        kinds[kinds.len() - 2..],
        ["fragment.completed", "project.written"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_key_says_which_variable() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .args(["new", "hello", "-m", "openai/gpt-5-mini"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&output.stderr).contains("OPENAI_API_KEY"));
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_streaming_exits_130_and_writes_nothing() {
    let slow = answer(&interpreter_fragment()).set_delay(std::time::Duration::from_secs(20));
    let (env, _server) = setup(vec![slow]).await;
    let binary = assert_cmd::cargo::cargo_bin("codingit");
    let child = std::process::Command::new(binary)
        .args(["new", "hello", "-o", "app"])
        .env("CODINGIT_CONFIG_DIR", env.config_dir())
        .env("HOME", env.path())
        .current_dir(env.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing was written"));
    assert!(!env.path().join("app").exists());
}

/// In a CI log (stderr not a terminal) a call is never silent: one plain line when it
/// starts, one per repair round, one when it is answered; `-q` silences them.
#[tokio::test]
async fn progress_is_plain_lines_without_a_terminal() {
    let mut broken = interpreter_fragment();
    broken["template"] = json!("no-such-template");
    let answers = vec![answer(&broken), answer(&interpreter_fragment())];
    let (env, _server) = setup(answers).await;
    let output = env
        .cmd()
        .args(["new", "hello", "-t", "code-interpreter-v1", "-o", "a"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.iter().any(|l| l.starts_with("asking mock/coder")),
        "{stderr}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("answer invalid, asking for repair 1")),
        "{stderr}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("answered in ")),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\r') && !stderr.contains('\u{1b}'),
        "no spinner: {stderr:?}"
    );
    let (env, _server) = setup(vec![answer(&interpreter_fragment())]).await;
    let quiet = env
        .cmd()
        .args(["-q", "new", "hello", "-t", "code-interpreter-v1", "-o", "a"])
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("asking"));
}

/// A provider nobody answers for: the message names it, its URL, and what to try.
#[test]
fn an_unreachable_provider_is_named_with_how_to_fix() {
    let env = TestEnv::new();
    let (config, models) = mock_config("http://127.0.0.1:9");
    env.write_config("config.toml", &config);
    env.write_config("models.toml", &models);
    let output = env
        .cmd()
        .args(["new", "hello", "-t", "code-interpreter-v1", "-o", "a"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mock at http://127.0.0.1:9/v1"), "{stderr}");
    assert!(
        stderr.contains("how to fix") && stderr.contains("models check mock"),
        "{stderr}"
    );
    assert!(!env.path().join("a").exists());
}
