//! `codingit models check` and `new` against a mock OpenAI-compatible server sending
//! real answer shapes: a refusal shows as a refusal (exit 8), a reply in Mistral's
//! typed pieces as the reply, a cut or empty reply as a failure.

use std::path::PathBuf;

use crate::support::mock_llm::{interpreter_fragment, mock_env, sse_response, sse_text};
use pretty_assertions::assert_eq;
use serde_json::json;
use serde_json::Value;

fn fixture(name: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/llm/openai")
        .join(format!("{name}.sse"));
    std::fs::read_to_string(&file).unwrap()
}

/// Runs `models check mock/coder` (with `--json` when asked) against one answer.
async fn check(body: String, json: bool) -> (Option<i32>, String, String) {
    let (env, _server) = mock_env(vec![sse_response(body)]).await;
    let mut args = vec!["models", "check", "mock/coder"];
    if json {
        args.push("--json");
    }
    let output = env.cmd().args(&args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_is_shown_as_a_refusal_with_its_own_exit_code() {
    let (code, stdout, stderr) = check(fixture("refusal"), true).await;
    assert_eq!(code, Some(8), "{stderr}");
    let results: Value = serde_json::from_str(&stdout).unwrap();
    let result = &results[0];
    assert_eq!(result["ok"], false);
    assert_eq!(result["error"]["kind"], "refused");
    let message = result["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("I'm sorry, but I can't assist with that request."),
        "{message}"
    );

    let (code, stdout, _) = check(fixture("refusal"), false).await;
    assert_eq!(code, Some(8));
    assert!(stdout.contains("refused"), "{stdout}");
    assert!(!stdout.contains("failed"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_in_typed_pieces_is_the_reply_without_the_thinking() {
    let (code, stdout, stderr) = check(fixture("mistral_thinking_pieces"), true).await;
    assert_eq!(code, Some(0), "{stderr}");
    let results: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(results[0]["ok"], true);
    assert_eq!(results[0]["reply"], "Hello from the stream.");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_or_empty_reply_is_not_ok() {
    let (code, stdout, stderr) = check(fixture("length"), true).await;
    assert_eq!(code, Some(5), "{stderr}");
    let results: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(results[0]["error"]["kind"], "truncated");

    let (code, stdout, stderr) = check(sse_text(""), true).await;
    assert_eq!(code, Some(6), "{stderr}");
    let results: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(results[0]["error"]["kind"], "empty_reply");
}

#[tokio::test(flavor = "multi_thread")]
async fn new_stops_at_a_refusal_after_one_request() {
    let (env, server) = mock_env(vec![sse_response(fixture("refusal"))]).await;
    let output = env
        .cmd()
        .args(["new", "hello", "-o", "app"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(8), "{stderr}");
    assert!(stderr.contains("refused"), "{stderr}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(!env.path().join("app").exists());
}

/// A fragment streamed as Mistral's reasoning models do: a thinking piece holding a
/// decoy JSON draft, then the answer in text pieces alternating with plain strings.
fn magistral_stream(answer: &str) -> String {
    let chunk = |content: Value, finish: Value| {
        let chunk = json!({"id": "m1", "object": "chat.completion.chunk", "created": 1748536400,
            "model": "magistral-medium-2507",
            "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]});
        format!("data: {chunk}\n\n")
    };
    let draft = json!({"title": "draft", "template": "nonexistent"}).to_string();
    let mut body = chunk(
        json!([{"type": "thinking", "thinking": [{"type": "text", "text": draft}]}]),
        Value::Null,
    );
    let chars: Vec<char> = answer.chars().collect();
    for (i, piece) in chars.chunks(50).enumerate() {
        let piece: String = piece.iter().collect();
        let content = if i % 2 == 0 {
            json!([{"type": "text", "text": piece}])
        } else {
            json!(piece)
        };
        body.push_str(&chunk(content, Value::Null));
    }
    body.push_str(&chunk(json!(""), json!("stop")));
    body + "data: [DONE]\n\n"
}

#[tokio::test(flavor = "multi_thread")]
async fn new_accepts_a_fragment_streamed_as_typed_pieces() {
    let answer = interpreter_fragment().to_string();
    let (env, server) = mock_env(vec![sse_response(magistral_stream(&answer))]).await;
    let output = env
        .cmd()
        .args(["new", "hello", "-t", "code-interpreter-v1", "-o", "app"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "no repair"
    );
    assert!(env.path().join("app/script.py").exists());
}
