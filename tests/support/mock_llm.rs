//! A mock OpenAI-compatible model server for CLI tests, and the config that points
//! codingit at it.

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An SSE body that streams `text` in a few chunks, then usage and `[DONE]`.
pub fn sse_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut body = String::new();
    for chunk in chars.chunks(40) {
        let piece: String = chunk.iter().collect();
        let event = json!({"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": null}]});
        body.push_str(&format!("data: {event}\n\n"));
    }
    let done = json!({"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]});
    body.push_str(&format!("data: {done}\n\n"));
    let usage = json!({"id": "c1", "object": "chat.completion.chunk", "choices": [], "usage": {"prompt_tokens": 120, "completion_tokens": 80, "total_tokens": 200}});
    body.push_str(&format!("data: {usage}\n\ndata: [DONE]\n\n"));
    body
}

/// A stream that stops in the middle of the answer, with no finish and no `[DONE]`.
pub fn sse_cut(text: &str) -> String {
    let half: String = text.chars().take(text.chars().count() / 2).collect();
    let event = json!({"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": half}, "finish_reason": null}]});
    format!("data: {event}\n\n")
}

pub fn sse_response(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(body)
}

/// Mounts one answer per call, in order; the last one repeats.
pub async fn answer_in_order(server: &MockServer, answers: Vec<ResponseTemplate>) {
    let count = answers.len();
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(answer);
        let mock = if i + 1 < count {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        // Earlier answers get higher priority (a lower number) so they are used first.
        mock.with_priority((i + 1) as u8).mount(server).await;
    }
}

/// config.toml + models.toml for a local provider `mock` at `server`.
pub fn mock_config(server_uri: &str) -> (String, String) {
    let config = format!(
        "[defaults]\nmodel = \"mock/coder\"\n\n[llm]\nmax_attempts = 2\nmax_retry_time = \"5s\"\n\n\
         [providers.mock]\nname = \"Mock\"\nprotocol = \"openai\"\nbase_url = \"{server_uri}/v1\"\nlocal = true\n"
    );
    let models = "[[models]]\nid = \"coder\"\nname = \"Mock Coder\"\nprovider = \"mock\"\ncontext_window = 32000\n\
                  structured_output = true\ninput_price = 1.0\noutput_price = 2.0\n\n\
                  [[models]]\nid = \"vision\"\nname = \"Mock Vision\"\nprovider = \"mock\"\ncontext_window = 32000\n\
                  multimodal = true\nstructured_output = true\n"
        .to_string();
    (config, models)
}

/// A valid interpreter fragment, as a JSON value to tweak.
pub fn interpreter_fragment() -> Value {
    json!({
        "commentary": "Print a greeting and compute a sum.",
        "template": "code-interpreter-v1",
        "title": "Hello Sum",
        "description": "Prints hello and a sum.",
        "additional_dependencies": [],
        "has_additional_dependencies": false,
        "install_dependencies_command": "",
        "port": null,
        "file_path": "script.py",
        "code": "from helpers import add\nprint('hello')\nadd(2, 3)\n",
        "files": [{"file_path": "helpers.py", "code": "def add(a, b):\n    return a + b\n"}]
    })
}

pub fn streamlit_fragment() -> Value {
    json!({
        "commentary": "A streamlit app with a title.",
        "template": "streamlit-developer",
        "title": "Sine Plot",
        "description": "Plots a sine wave.",
        "additional_dependencies": ["scipy"],
        "has_additional_dependencies": true,
        "install_dependencies_command": "pip install scipy",
        "port": 8501,
        "file_path": "app.py",
        "code": "import streamlit as st\nst.title('Sine')\n",
        "files": []
    })
}

/// The JSON bodies of every chat request the server received.
pub async fn request_bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path().ends_with("/chat/completions"))
        .filter_map(|r| serde_json::from_slice(&r.body).ok())
        .collect()
}

/// A mock server answering with `answers` in order, and a test home whose config
/// points codingit at it (provider `mock`, default model `mock/coder`).
pub async fn mock_env(answers: Vec<ResponseTemplate>) -> (super::TestEnv, MockServer) {
    let server = MockServer::start().await;
    answer_in_order(&server, answers).await;
    let env = super::TestEnv::new();
    let (config, models) = mock_config(&server.uri());
    env.write_config("config.toml", &config);
    env.write_config("models.toml", &models);
    (env, server)
}

/// `mock_env` with each JSON value streamed as one answer.
pub async fn mock_env_json(answers: &[Value]) -> (super::TestEnv, MockServer) {
    mock_env(
        answers
            .iter()
            .map(|a| sse_response(sse_text(&a.to_string())))
            .collect(),
    )
    .await
}

/// A lazy-edit answer that documents `add` in the interpreter fragment's helpers.py.
pub fn lazy_docstring_edit() -> Value {
    json!({
        "commentary": "Document add.",
        "edits": [{
            "file_path": "helpers.py",
            "instruction": "document add",
            "edit": "def add(a, b):\n    \"\"\"Return the sum.\"\"\"\n    return a + b\n"
        }]
    })
}
