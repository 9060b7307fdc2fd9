//! The LLM layer against mock servers replaying recorded SSE streams
//! (`tests/fixtures/sse/<protocol>/*.sse`), for each of the three wire protocols.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use codingit::llm::{
    error_from_status, ApiKey, ChatRequest, ClientOptions, Endpoint, LlmClient, LlmError, LlmEvent,
    Message, OutputSchema, Part, Protocol, RetryPolicy, SseEvent, SseParser, StreamEvent,
    StructuredMode, Timeouts, Usage,
};
use futures::StreamExt;
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Recognisable, so a leak is easy to spot in a failure.
const DUMMY_KEY: &str = "sk-codingit-test-DUMMY-KEY-5f3a9c";
const MODEL: &str = "test-model";

// ---------------------------------------------------------------- support

fn fixture(protocol: Protocol, name: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sse")
        .join(protocol.as_str())
        .join(format!("{name}.sse"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn sse(protocol: Protocol, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(fixture(protocol, name))
}

fn json_error(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn base_path(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::OpenAi | Protocol::Anthropic => "/v1",
        Protocol::Gemini => "/v1beta",
    }
}

fn request_path(protocol: Protocol) -> String {
    match protocol {
        Protocol::OpenAi => "/v1/chat/completions".into(),
        Protocol::Anthropic => "/v1/messages".into(),
        Protocol::Gemini => format!("/v1beta/models/{MODEL}:streamGenerateContent"),
    }
}

fn test_options() -> ClientOptions {
    ClientOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            max_total: Duration::from_secs(10),
        },
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            first_byte: Duration::from_secs(5),
            total: Duration::from_secs(20),
        },
    }
}

fn endpoint(server: &MockServer, protocol: Protocol) -> Endpoint {
    Endpoint {
        provider: format!("mock-{protocol}"),
        protocol,
        base_url: format!("{}{}", server.uri(), base_path(protocol)),
        api_key: Some(ApiKey::new(DUMMY_KEY)),
        structured: StructuredMode::JsonSchema,
        headers: vec![("x-extra".into(), "yes".into())],
    }
}

fn client(server: &MockServer, protocol: Protocol) -> LlmClient {
    LlmClient::new(endpoint(server, protocol), test_options()).unwrap()
}

/// Mounts `responses` in order, each answering one request; the last one answers the rest.
async fn mount(server: &MockServer, protocol: Protocol, responses: Vec<ResponseTemplate>) {
    let count = responses.len();
    for (i, response) in responses.into_iter().enumerate() {
        let mut mock = Mock::given(method("POST")).and(path(request_path(protocol)));
        if protocol == Protocol::Gemini {
            mock = mock.and(query_param("alt", "sse"));
        }
        let mock = mock.respond_with(response);
        let mock = if i + 1 < count {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    requests(server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn chat() -> ChatRequest {
    ChatRequest {
        model: MODEL.into(),
        messages: vec![
            Message::system("You are terse."),
            Message::user("Say hello."),
        ],
        max_tokens: Some(256),
        temperature: Some(0.2),
        seed: Some(42),
        schema: None,
    }
}

fn item_schema() -> OutputSchema {
    OutputSchema {
        name: "item".into(),
        schema: json!({
            "type": "object",
            "properties": { "title": { "type": "string" }, "count": { "type": "integer" } },
            "required": ["title", "count"],
            "additionalProperties": false
        }),
    }
}

fn structured_chat() -> ChatRequest {
    ChatRequest {
        schema: Some(item_schema()),
        ..chat()
    }
}

#[derive(Default)]
struct Events(Mutex<Vec<LlmEvent>>);

impl Events {
    fn sink(&self) -> impl FnMut(LlmEvent) + Send + '_ {
        move |event| self.0.lock().unwrap().push(event)
    }
    fn all(&self) -> Vec<LlmEvent> {
        self.0.lock().unwrap().clone()
    }
    fn deltas(&self) -> Vec<String> {
        self.all()
            .into_iter()
            .filter_map(|e| match e {
                LlmEvent::Delta(text) => Some(text),
                _ => None,
            })
            .collect()
    }
    fn retries(&self) -> Vec<u32> {
        self.all()
            .into_iter()
            .filter_map(|e| match e {
                LlmEvent::Retrying { attempt, .. } => Some(attempt),
                _ => None,
            })
            .collect()
    }
}

fn no_check(_: &Value) -> Vec<String> {
    Vec::new()
}

/// One test function per protocol: `scenario::openai`, `scenario::anthropic`, `scenario::gemini`.
macro_rules! per_protocol {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            use codingit::llm::Protocol;
            #[tokio::test]
            async fn openai() {
                super::$scenario(Protocol::OpenAi).await;
            }
            #[tokio::test]
            async fn anthropic() {
                super::$scenario(Protocol::Anthropic).await;
            }
            #[tokio::test]
            async fn gemini() {
                super::$scenario(Protocol::Gemini).await;
            }
        }
    )*};
}

per_protocol!(
    plain_text,
    structured_json,
    auth_error_carries_message_never_key,
    rate_limited_then_success,
    server_error_retried,
    stream_cut_midway,
    malformed_json_line,
    repaired_on_second_round,
    repair_budget_exhausted,
);

// ---------------------------------------------------------------- scenarios

async fn plain_text(protocol: Protocol) {
    let server = MockServer::start().await;
    mount(&server, protocol, vec![sse(protocol, "text")]).await;
    let events = Events::default();

    let completion = client(&server, protocol)
        .complete(&chat(), &mut events.sink())
        .await
        .unwrap();

    assert_eq!(completion.text, "Hello from the stream.");
    assert_eq!(events.deltas().concat(), completion.text);
    assert!(events.deltas().len() >= 2, "streamed in pieces");
    let (usage, finish) = match protocol {
        Protocol::OpenAi => ((19, 5), "stop"),
        Protocol::Anthropic => ((21, 7), "end_turn"),
        Protocol::Gemini => ((8, 5), "STOP"),
    };
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: usage.0,
            output_tokens: usage.1
        }
    );
    assert_eq!(completion.finish_reason.as_deref(), Some(finish));

    let request = &requests(&server).await[0];
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(header("x-extra").as_deref(), Some("yes"));
    assert!(!request.url.as_str().contains(DUMMY_KEY), "key in URL");
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    match protocol {
        Protocol::OpenAi => {
            assert_eq!(header("authorization"), Some(format!("Bearer {DUMMY_KEY}")));
            assert_eq!(
                body,
                json!({
                    "model": MODEL,
                    "messages": [
                        { "role": "system", "content": "You are terse." },
                        { "role": "user", "content": "Say hello." }
                    ],
                    "stream": true,
                    "stream_options": { "include_usage": true },
                    "max_tokens": 256,
                    "temperature": 0.2,
                    "seed": 42
                })
            );
        }
        Protocol::Anthropic => {
            assert_eq!(header("x-api-key").as_deref(), Some(DUMMY_KEY));
            assert_eq!(header("anthropic-version").as_deref(), Some("2023-06-01"));
            assert_eq!(
                body,
                json!({
                    "model": MODEL,
                    "max_tokens": 256,
                    "system": "You are terse.",
                    "messages": [
                        { "role": "user", "content": [{ "type": "text", "text": "Say hello." }] }
                    ],
                    "stream": true,
                    "temperature": 0.2
                })
            );
        }
        Protocol::Gemini => {
            assert_eq!(header("x-goog-api-key").as_deref(), Some(DUMMY_KEY));
            assert_eq!(request.url.query(), Some("alt=sse"));
            assert_eq!(
                body,
                json!({
                    "contents": [{ "role": "user", "parts": [{ "text": "Say hello." }] }],
                    "systemInstruction": { "parts": [{ "text": "You are terse." }] },
                    "generationConfig": { "maxOutputTokens": 256, "temperature": 0.2, "seed": 42 }
                })
            );
        }
    }
}

async fn structured_json(protocol: Protocol) {
    let server = MockServer::start().await;
    mount(&server, protocol, vec![sse(protocol, "structured")]).await;
    let events = Events::default();

    let output = client(&server, protocol)
        .structured(&structured_chat(), 2, &no_check, &mut events.sink())
        .await
        .unwrap();

    assert_eq!(output.value, json!({ "title": "Hello", "count": 3 }));
    assert_eq!(output.repair_rounds, 0);
    assert_eq!(events.deltas().concat(), output.text);
    let body = &bodies(&server).await[0];
    let schema = item_schema().schema;
    match protocol {
        Protocol::OpenAi => assert_eq!(
            body["response_format"],
            json!({ "type": "json_schema", "json_schema": { "name": "item", "schema": schema, "strict": true } })
        ),
        Protocol::Anthropic => {
            assert_eq!(body["tools"][0]["name"], "item");
            assert_eq!(body["tools"][0]["input_schema"], schema);
            assert_eq!(
                body["tool_choice"],
                json!({ "type": "tool", "name": "item" })
            );
        }
        Protocol::Gemini => {
            assert_eq!(
                body["generationConfig"]["responseMimeType"],
                "application/json"
            );
            assert_eq!(body["generationConfig"]["responseJsonSchema"], schema);
        }
    }
}

async fn auth_error_carries_message_never_key(protocol: Protocol) {
    let server = MockServer::start().await;
    let (status, body, provider_message) = match protocol {
        // An OpenAI-compatible proxy that echoes the whole key back.
        Protocol::OpenAi => (
            401,
            json!({ "error": { "message": format!("Incorrect API key provided: {DUMMY_KEY}."),
                    "type": "invalid_request_error", "param": null, "code": "invalid_api_key" } }),
            "Incorrect API key provided: ***.",
        ),
        Protocol::Anthropic => (
            401,
            json!({ "type": "error", "error": { "type": "authentication_error", "message": "invalid x-api-key" },
                    "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy" }),
            "invalid x-api-key",
        ),
        // Gemini answers a bad key with 400 INVALID_ARGUMENT / API_KEY_INVALID.
        Protocol::Gemini => (
            400,
            json!({ "error": { "code": 400, "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT",
                    "details": [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                                  "domain": "googleapis.com" }] } }),
            "API key not valid. Please pass a valid API key.",
        ),
    };
    mount(&server, protocol, vec![json_error(status, body)]).await;

    let error = client(&server, protocol)
        .complete(&chat(), &mut |_| {})
        .await
        .unwrap_err();

    assert_eq!(
        error,
        LlmError::Auth {
            status,
            message: provider_message.into()
        }
    );
    assert_eq!(error.kind(), "auth");
    assert!(!error.is_retryable());
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(DUMMY_KEY), "key leaked: {text}");
        assert!(text.contains(&provider_message[..10]), "{text}");
    }
    assert_eq!(
        requests(&server).await.len(),
        1,
        "auth errors are not retried"
    );
}

async fn rate_limited_then_success(protocol: Protocol) {
    let server = MockServer::start().await;
    let limited = match protocol {
        // The one test that waits for real: Retry-After must be honoured.
        Protocol::OpenAi => json_error(
            429,
            json!({ "error": { "message": "Rate limit reached for test-model on tokens per min (TPM).",
                    "type": "tokens", "code": "rate_limit_exceeded" } }),
        )
        .insert_header("retry-after", "1"),
        Protocol::Anthropic => json_error(
            429,
            json!({ "type": "error", "error": { "type": "rate_limit_error",
                    "message": "This request would exceed the rate limit for your organization." } }),
        )
        .insert_header("retry-after", "0"),
        // Gemini states the wait in the body.
        Protocol::Gemini => json_error(
            429,
            json!({ "error": { "code": 429, "message": "Resource has been exhausted (e.g. check quota).",
                    "status": "RESOURCE_EXHAUSTED",
                    "details": [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0.2s" }] } }),
        ),
    };
    mount(&server, protocol, vec![limited, sse(protocol, "text")]).await;
    let events = Events::default();
    let started = Instant::now();

    let completion = client(&server, protocol)
        .complete(&chat(), &mut events.sink())
        .await
        .unwrap();

    assert_eq!(completion.text, "Hello from the stream.");
    assert_eq!(events.retries(), vec![2]);
    let waited = events
        .all()
        .into_iter()
        .find_map(|e| match e {
            LlmEvent::Retrying { wait, reason, .. } => Some((wait, reason)),
            _ => None,
        })
        .unwrap();
    assert!(waited.1.contains("rate limited"), "{}", waited.1);
    let expected_wait = match protocol {
        Protocol::OpenAi => Duration::from_secs(1),
        Protocol::Anthropic => Duration::ZERO,
        Protocol::Gemini => Duration::from_millis(200),
    };
    assert_eq!(waited.0, expected_wait);
    assert!(started.elapsed() >= expected_wait);
    assert_eq!(requests(&server).await.len(), 2);
}

async fn server_error_retried(protocol: Protocol) {
    let server = MockServer::start().await;
    let failure = json_error(
        500,
        json!({ "error": { "message": "The server had an error while processing your request.",
                "type": "server_error" } }),
    );
    mount(&server, protocol, vec![failure, sse(protocol, "text")]).await;
    let events = Events::default();

    let completion = client(&server, protocol)
        .complete(&chat(), &mut events.sink())
        .await
        .unwrap();

    assert_eq!(completion.text, "Hello from the stream.");
    assert_eq!(events.retries(), vec![2]);
    assert_eq!(requests(&server).await.len(), 2);
}

async fn stream_cut_midway(protocol: Protocol) {
    let server = MockServer::start().await;
    mount(&server, protocol, vec![sse(protocol, "cut")]).await;
    let events = Events::default();

    let error = client(&server, protocol)
        .complete(&chat(), &mut events.sink())
        .await
        .unwrap_err();

    assert!(
        matches!(&error, LlmError::Stream { message } if message.contains("ended before")),
        "{error:?}"
    );
    assert!(!events.deltas().is_empty(), "content came before the cut");
    assert_eq!(
        requests(&server).await.len(),
        1,
        "no retry after content was delivered"
    );
}

async fn malformed_json_line(protocol: Protocol) {
    let server = MockServer::start().await;
    mount(&server, protocol, vec![sse(protocol, "malformed")]).await;

    let error = client(&server, protocol)
        .complete(&chat(), &mut |_| {})
        .await
        .unwrap_err();

    assert!(
        matches!(&error, LlmError::Stream { message } if message.contains("malformed JSON")),
        "{error:?}"
    );
    assert_eq!(error.kind(), "stream");
    assert_eq!(requests(&server).await.len(), 1);
}

async fn repaired_on_second_round(protocol: Protocol) {
    let server = MockServer::start().await;
    mount(
        &server,
        protocol,
        vec![
            sse(protocol, "structured_invalid"),
            sse(protocol, "structured"),
        ],
    )
    .await;
    let events = Events::default();

    let output = client(&server, protocol)
        .structured(&structured_chat(), 2, &no_check, &mut events.sink())
        .await
        .unwrap();

    assert_eq!(output.value, json!({ "title": "Hello", "count": 3 }));
    assert_eq!(output.repair_rounds, 1);
    let repairs: Vec<_> = events
        .all()
        .into_iter()
        .filter_map(|e| match e {
            LlmEvent::Repairing { round, errors } => Some((round, errors)),
            _ => None,
        })
        .collect();
    assert_eq!(repairs.len(), 1);
    assert_eq!(repairs[0].0, 1);
    assert_eq!(
        repairs[0].1,
        vec![r#"/count: "three" is not of type "integer""#.to_string()]
    );
    let first_usage = match protocol {
        Protocol::OpenAi => (64, 11),
        Protocol::Anthropic => (412, 25),
        Protocol::Gemini => (30, 13),
    };
    assert_eq!(
        output.usage.input_tokens,
        first_usage.0 * 2,
        "summed over rounds"
    );

    let bodies = bodies(&server).await;
    assert_eq!(bodies.len(), 2);
    let second = bodies[1].to_string();
    assert!(
        second.contains(r#"/count: \"three\" is not of type \"integer\""#),
        "{second}"
    );
    assert!(
        second.contains(r#"\"count\": \"three\""#) || second.contains(r#"\"count\":\"three\""#),
        "the rejected answer goes back too: {second}"
    );
}

async fn repair_budget_exhausted(protocol: Protocol) {
    let server = MockServer::start().await;
    mount(&server, protocol, vec![sse(protocol, "structured_invalid")]).await;

    let error = client(&server, protocol)
        .structured(&structured_chat(), 1, &no_check, &mut |_| {})
        .await
        .unwrap_err();

    let LlmError::InvalidOutput {
        errors,
        text,
        rounds,
    } = &error
    else {
        panic!("expected InvalidOutput, got {error:?}");
    };
    assert_eq!(*rounds, 1);
    assert_eq!(
        errors,
        &vec![r#"/count: "three" is not of type "integer""#.to_string()]
    );
    assert!(text.contains("three"), "{text}");
    assert_eq!(error.kind(), "invalid_output");
    assert_eq!(requests(&server).await.len(), 2);
}

// ---------------------------------------------------------------- protocol specifics

#[tokio::test]
async fn anthropic_forced_tool_call_streams_input_json() {
    let server = MockServer::start().await;
    mount(
        &server,
        Protocol::Anthropic,
        vec![sse(Protocol::Anthropic, "structured")],
    )
    .await;

    let stream = client(&server, Protocol::Anthropic)
        .stream(&structured_chat())
        .await
        .unwrap();
    let events: Vec<StreamEvent> = stream.map(Result::unwrap).collect().await;

    assert_eq!(
        events,
        vec![
            StreamEvent::Delta(r#"{"title": "He"#.into()),
            StreamEvent::Delta(r#"llo", "cou"#.into()),
            StreamEvent::Delta(r#"nt": 3}"#.into()),
            StreamEvent::Usage(Usage {
                input_tokens: 412,
                output_tokens: 24
            }),
            StreamEvent::Finish {
                reason: Some("tool_use".into())
            },
        ]
    );
}

#[tokio::test]
async fn anthropic_error_event_before_content_is_retried() {
    let server = MockServer::start().await;
    mount(
        &server,
        Protocol::Anthropic,
        vec![
            sse(Protocol::Anthropic, "overloaded"),
            sse(Protocol::Anthropic, "text"),
        ],
    )
    .await;
    let events = Events::default();

    let completion = client(&server, Protocol::Anthropic)
        .complete(&chat(), &mut events.sink())
        .await
        .unwrap();

    assert_eq!(completion.text, "Hello from the stream.");
    assert_eq!(events.retries(), vec![2]);
}

#[tokio::test]
async fn openai_error_object_in_stream_is_a_retryable_stream_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        Protocol::OpenAi,
        vec![sse(Protocol::OpenAi, "error_in_stream")],
    )
    .await;

    let error = client(&server, Protocol::OpenAi)
        .complete(&chat(), &mut |_| {})
        .await
        .unwrap_err();

    assert!(
        matches!(&error, LlmError::StreamError { error_type, message, retryable: true }
            if error_type == "server_error" && message.contains("Sorry about that")),
        "{error:?}"
    );
    assert_eq!(
        requests(&server).await.len(),
        3,
        "retried up to max_attempts"
    );
}

#[tokio::test]
async fn openai_prompt_mode_puts_schema_in_system_prompt_and_tolerates_fences() {
    let server = MockServer::start().await;
    mount(
        &server,
        Protocol::OpenAi,
        vec![sse(Protocol::OpenAi, "structured_fenced")],
    )
    .await;
    let mut endpoint = endpoint(&server, Protocol::OpenAi);
    endpoint.structured = StructuredMode::Prompt;
    let client = LlmClient::new(endpoint, test_options()).unwrap();

    let output = client
        .structured(&structured_chat(), 0, &no_check, &mut |_| {})
        .await
        .unwrap();

    assert_eq!(output.value, json!({ "title": "Hello", "count": 3 }));
    let body = &bodies(&server).await[0];
    assert!(body.get("response_format").is_none());
    let system = body["messages"][0]["content"].as_str().unwrap();
    assert!(system.starts_with("You are terse.\n\n"), "{system}");
    assert!(
        system.contains(r#""additionalProperties": false"#),
        "{system}"
    );
}

#[tokio::test]
async fn openai_json_object_mode_sends_json_object_and_schema_in_prompt() {
    let server = MockServer::start().await;
    mount(
        &server,
        Protocol::OpenAi,
        vec![sse(Protocol::OpenAi, "structured")],
    )
    .await;
    let mut endpoint = endpoint(&server, Protocol::OpenAi);
    endpoint.structured = StructuredMode::JsonObject;
    let client = LlmClient::new(endpoint, test_options()).unwrap();
    let request = ChatRequest {
        messages: vec![Message::user("Give me an item.")],
        ..structured_chat()
    };

    client
        .structured(&request, 0, &no_check, &mut |_| {})
        .await
        .unwrap();

    let body = &bodies(&server).await[0];
    assert_eq!(body["response_format"], json!({ "type": "json_object" }));
    assert_eq!(body["messages"][0]["role"], "system");
    assert!(body["messages"][0]["content"]
        .as_str()
        .unwrap()
        .contains("JSON Schema"));
}

#[tokio::test]
async fn semantic_check_failure_triggers_a_repair() {
    let server = MockServer::start().await;
    mount(
        &server,
        Protocol::OpenAi,
        vec![sse(Protocol::OpenAi, "structured")],
    )
    .await;
    let calls = AtomicUsize::new(0);
    let check = |value: &Value| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            vec![format!("count {} is too small", value["count"])]
        } else {
            Vec::new()
        }
    };

    let output = client(&server, Protocol::OpenAi)
        .structured(&structured_chat(), 2, &check, &mut |_| {})
        .await
        .unwrap();

    assert_eq!(output.repair_rounds, 1);
    assert!(bodies(&server).await[1]
        .to_string()
        .contains("count 3 is too small"));
}

#[tokio::test]
async fn persistent_server_error_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    mount(
        &server,
        Protocol::Gemini,
        vec![json_error(
            503,
            json!({ "error": { "code": 503, "message": "The model is overloaded. Please try again later.",
                    "status": "UNAVAILABLE" } }),
        )],
    )
    .await;
    let events = Events::default();

    let error = client(&server, Protocol::Gemini)
        .complete(&chat(), &mut events.sink())
        .await
        .unwrap_err();

    assert_eq!(
        error,
        LlmError::Server {
            status: 503,
            message: "The model is overloaded. Please try again later.".into()
        }
    );
    assert_eq!(events.retries(), vec![2, 3]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn images_use_each_protocols_encoding() {
    let image = Part::Image {
        media_type: "image/png".into(),
        data: vec![0x89, b'P', b'N', b'G'],
    };
    let request = ChatRequest {
        messages: vec![Message {
            role: codingit::llm::Role::User,
            parts: vec![Part::Text("What is this?".into()), image],
        }],
        ..chat()
    };
    for protocol in [Protocol::OpenAi, Protocol::Anthropic, Protocol::Gemini] {
        let server = MockServer::start().await;
        mount(&server, protocol, vec![sse(protocol, "text")]).await;
        client(&server, protocol)
            .complete(&request, &mut |_| {})
            .await
            .unwrap();
        let body = &bodies(&server).await[0];
        let image_json = match protocol {
            Protocol::OpenAi => &body["messages"][0]["content"][1],
            Protocol::Anthropic => &body["messages"][0]["content"][1],
            Protocol::Gemini => &body["contents"][0]["parts"][1],
        };
        let expected = match protocol {
            Protocol::OpenAi => {
                json!({ "type": "image_url", "image_url": { "url": "data:image/png;base64,iVBORw==" } })
            }
            Protocol::Anthropic => json!({ "type": "image",
                "source": { "type": "base64", "media_type": "image/png", "data": "iVBORw==" } }),
            Protocol::Gemini => {
                json!({ "inlineData": { "mimeType": "image/png", "data": "iVBORw==" } })
            }
        };
        assert_eq!(image_json, &expected, "{protocol}");
    }
}

// ---------------------------------------------------------------- timeouts and connection

#[tokio::test]
async fn slow_headers_hit_the_first_byte_timeout() {
    let server = MockServer::start().await;
    mount(
        &server,
        Protocol::OpenAi,
        vec![sse(Protocol::OpenAi, "text").set_delay(Duration::from_secs(3))],
    )
    .await;
    let mut options = test_options();
    options.timeouts.first_byte = Duration::from_millis(200);
    options.retry.max_attempts = 1;
    let client = LlmClient::new(endpoint(&server, Protocol::OpenAi), options).unwrap();

    let error = client.complete(&chat(), &mut |_| {}).await.unwrap_err();

    assert_eq!(
        error,
        LlmError::Timeout {
            phase: "first_byte"
        }
    );
    assert!(error.is_retryable());
}

/// wiremock cannot stall in the middle of a body, so a bare TCP server does it.
#[tokio::test]
async fn silent_stream_hits_the_idle_timeout_without_retry() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                let event =
                    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n";
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                let chunk = format!("{head}{:x}\r\n{event}\r\n", event.len());
                socket.write_all(chunk.as_bytes()).await.unwrap();
                tokio::time::sleep(Duration::from_secs(10)).await;
            });
        }
    });
    let endpoint = Endpoint {
        provider: "stalling".into(),
        protocol: Protocol::OpenAi,
        base_url: format!("http://127.0.0.1:{port}/v1"),
        api_key: None,
        structured: StructuredMode::JsonSchema,
        headers: Vec::new(),
    };
    let mut options = test_options();
    options.timeouts.first_byte = Duration::from_millis(300);
    let client = LlmClient::new(endpoint, options).unwrap();
    let events = Events::default();

    let error = client
        .complete(&chat(), &mut events.sink())
        .await
        .unwrap_err();

    assert_eq!(error, LlmError::Timeout { phase: "idle" });
    assert_eq!(events.deltas(), vec!["Hel".to_string()]);
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "text was delivered, so no retry"
    );
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let endpoint = Endpoint {
        provider: "nobody".into(),
        protocol: Protocol::OpenAi,
        base_url: format!("http://127.0.0.1:{port}/v1"),
        api_key: None,
        structured: StructuredMode::JsonSchema,
        headers: Vec::new(),
    };
    let mut options = test_options();
    options.retry.max_attempts = 1;
    let client = LlmClient::new(endpoint, options).unwrap();

    let error = client.complete(&chat(), &mut |_| {}).await.unwrap_err();

    assert_eq!(error.kind(), "connect", "{error:?}");
    assert!(error.is_retryable());
}

#[test]
fn bad_base_url_is_a_config_error() {
    let endpoint = Endpoint {
        provider: "typo".into(),
        protocol: Protocol::OpenAi,
        base_url: "api.openai.com/v1".into(),
        api_key: None,
        structured: StructuredMode::JsonSchema,
        headers: Vec::new(),
    };
    let error = LlmClient::new(endpoint, ClientOptions::default()).unwrap_err();
    assert_eq!(error.kind(), "config");
}

// ---------------------------------------------------------------- error table

#[test]
fn error_from_status_table() {
    let openai = |m: &str| json!({ "error": { "message": m, "type": "x" } }).to_string();
    let anthropic =
        |m: &str| json!({ "type": "error", "error": { "type": "x", "message": m } }).to_string();
    let gemini_array = |m: &str| json!([{ "error": { "code": 500, "message": m } }]).to_string();
    let second = Some(Duration::from_secs(1));
    #[rustfmt::skip]
    let cases: Vec<(u16, String, Option<Duration>, LlmError)> = vec![
        (400, openai("bad field"), None, LlmError::BadRequest { status: 400, message: "bad field".into() }),
        (400, r#"{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}"#.into(), None,
            LlmError::Auth { status: 400, message: "API key not valid.".into() }),
        (401, anthropic("invalid x-api-key"), None, LlmError::Auth { status: 401, message: "invalid x-api-key".into() }),
        (402, openai("no credits"), None, LlmError::BadRequest { status: 402, message: "no credits".into() }),
        (403, openai("forbidden"), None, LlmError::Auth { status: 403, message: "forbidden".into() }),
        (404, openai("The model `x` does not exist"), None,
            LlmError::NotFound { status: 404, message: "The model `x` does not exist".into() }),
        (408, String::new(), None, LlmError::Server { status: 408, message: "HTTP 408 with an empty body".into() }),
        (413, "request too large".into(), None, LlmError::BadRequest { status: 413, message: "request too large".into() }),
        (422, json!({ "detail": "unprocessable" }).to_string(), None,
            LlmError::BadRequest { status: 422, message: "unprocessable".into() }),
        (429, openai("slow down"), second, LlmError::RateLimited { message: "slow down".into(), retry_after: second }),
        (429, r#"{"error":{"code":429,"message":"quota","details":[{"retryDelay":"7s"}]}}"#.into(), None,
            LlmError::RateLimited { message: "quota".into(), retry_after: Some(Duration::from_secs(7)) }),
        (429, json!({ "error": "plain string" }).to_string(), None,
            LlmError::RateLimited { message: "plain string".into(), retry_after: None }),
        (500, gemini_array("internal"), None, LlmError::Server { status: 500, message: "internal".into() }),
        (502, "<html>Bad Gateway</html>".into(), None, LlmError::Server { status: 502, message: "<html>Bad Gateway</html>".into() }),
        (503, json!({ "message": "busy" }).to_string(), None, LlmError::Server { status: 503, message: "busy".into() }),
        (529, anthropic("Overloaded"), None, LlmError::Server { status: 529, message: "Overloaded".into() }),
        (302, String::new(), None, LlmError::BadRequest { status: 302, message: "HTTP 302 with an empty body".into() }),
    ];
    for (status, body, retry_after, expected) in cases {
        let error = error_from_status(status, &body, retry_after);
        assert_eq!(error, expected, "status {status}, body {body}");
        let retryable = matches!(status, 408 | 429 | 500..=599);
        assert_eq!(error.is_retryable(), retryable, "status {status}");
    }
}

#[test]
fn error_kinds_and_retryability() {
    #[rustfmt::skip]
    let cases = [
        (LlmError::Timeout { phase: "idle" }, "timeout", true),
        (LlmError::Connect { message: "refused".into() }, "connect", true),
        (LlmError::Stream { message: "cut".into() }, "stream", false),
        (LlmError::Cancelled, "cancelled", false),
        (LlmError::Config { message: "x".into() }, "config", false),
        (LlmError::InvalidOutput { errors: vec![], text: String::new(), rounds: 2 }, "invalid_output", false),
        (LlmError::StreamError { error_type: "overloaded_error".into(), message: "Overloaded".into(), retryable: true }, "stream_error", true),
        (LlmError::StreamError { error_type: "invalid_request_error".into(), message: "x".into(), retryable: false }, "stream_error", false),
        (LlmError::Refused { reason: "refusal".into(), message: "I can't".into() }, "refused", false),
        (LlmError::Truncated { reason: "length".into(), limit: Some(16), output_tokens: Some(16), text: String::new() }, "truncated", false),
    ];
    for (error, kind, retryable) in cases {
        assert_eq!(error.kind(), kind);
        assert_eq!(error.is_retryable(), retryable, "{kind}");
    }
}

#[test]
fn api_key_never_prints() {
    let key = ApiKey::new(DUMMY_KEY);
    assert_eq!(format!("{key}"), "***");
    assert_eq!(format!("{key:?}"), "***");
    assert_eq!(key.expose(), DUMMY_KEY);
    let endpoint = Endpoint {
        provider: "p".into(),
        protocol: Protocol::Anthropic,
        base_url: "https://example.invalid/v1".into(),
        api_key: Some(key),
        structured: StructuredMode::JsonSchema,
        headers: Vec::new(),
    };
    let client = LlmClient::new(endpoint.clone(), ClientOptions::default()).unwrap();
    assert!(!format!("{endpoint:?}{client:?}").contains(DUMMY_KEY));
}

#[test]
fn serde_names_match_the_config_files() {
    assert_eq!(json!(Protocol::OpenAi), json!("openai"));
    assert_eq!(json!(Protocol::Anthropic), json!("anthropic"));
    assert_eq!(json!(Protocol::Gemini), json!("gemini"));
    assert_eq!(json!(StructuredMode::JsonSchema), json!("json_schema"));
    assert_eq!(json!(StructuredMode::JsonObject), json!("json_object"));
    assert_eq!(json!(StructuredMode::Prompt), json!("prompt"));
    let usage = Usage {
        input_tokens: 1,
        output_tokens: 2,
    } + Usage {
        input_tokens: 10,
        output_tokens: 20,
    };
    assert_eq!(
        json!(usage),
        json!({ "input_tokens": 11, "output_tokens": 22 })
    );
}

// ---------------------------------------------------------------- SSE parser

fn parse_all(chunks: &[&[u8]]) -> Vec<SseEvent> {
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    for chunk in chunks {
        events.extend(parser.push(chunk));
    }
    events.extend(parser.finish());
    events
}

fn event(name: Option<&str>, data: &str) -> SseEvent {
    SseEvent {
        event: name.map(str::to_string),
        data: data.to_string(),
    }
}

#[test]
fn sse_parser_handles_every_split_point() {
    let stream = "\u{feff}: keep-alive comment\r\n\
                  event: message_start\r\n\
                  data: {\"a\":1}\r\n\
                  \r\n\
                  data: first line\n\
                  data:second line\n\
                  id: 7\n\
                  retry: 1000\n\
                  \n\
                  data: héllo wörld ✓\r\
                  \r\
                  data\n\
                  \n\
                  event: done\n\
                  data: [DONE]\n\
                  \n";
    let expected = vec![
        event(Some("message_start"), "{\"a\":1}"),
        event(None, "first line\nsecond line"),
        event(None, "héllo wörld ✓"),
        event(None, ""),
        event(Some("done"), "[DONE]"),
    ];
    let bytes = stream.as_bytes();
    assert_eq!(parse_all(&[bytes]), expected);
    for split in 0..=bytes.len() {
        let (a, b) = bytes.split_at(split);
        assert_eq!(parse_all(&[a, b]), expected, "split at byte {split}");
    }
    let singles: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(parse_all(&singles), expected, "one byte at a time");
}

#[test]
fn sse_parser_end_of_body() {
    // Complete lines without the closing blank line still make an event.
    assert_eq!(parse_all(&[b"data: [DONE]\n"]), vec![event(None, "[DONE]")]);
    // A half-received line is dropped: it was cut.
    assert_eq!(
        parse_all(&[b"data: one\n\ndata: {\"cut"]),
        vec![event(None, "one")]
    );
    // An event name alone, or comments alone, dispatch nothing.
    assert_eq!(parse_all(&[b"event: ping\n\n: hi\n\n"]), vec![]);
}

#[test]
fn every_fixture_parses_at_every_split_point() {
    for protocol in [Protocol::OpenAi, Protocol::Anthropic, Protocol::Gemini] {
        let text = fixture(protocol, "text");
        let bytes = text.as_bytes();
        let whole = parse_all(&[bytes]);
        assert!(whole.len() >= 2, "{protocol}");
        for split in 0..=bytes.len() {
            let (a, b) = bytes.split_at(split);
            assert_eq!(parse_all(&[a, b]), whole, "{protocol} split at {split}");
        }
    }
}
