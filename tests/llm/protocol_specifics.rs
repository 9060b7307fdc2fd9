//! What is particular to one protocol or one mechanism: Anthropic's forced tool call,
//! OpenAI's structured modes, semantic checks, images, timeouts and connection errors,
//! against mock servers replaying `tests/fixtures/sse/<protocol>/*.sse`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::llm::protocols::*;
use codingit::llm::{
    ChatRequest, ClientOptions, Endpoint, LlmClient, LlmError, Message, Part, Protocol,
    StreamEvent, StructuredMode, Usage,
};
use futures::StreamExt;
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::MockServer;

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
                output_tokens: 24,
                cached_tokens: Some(0),
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

#[tokio::test]
async fn cached_prompt_tokens_are_read_from_each_protocols_usage() {
    // The text fixtures with a warm prompt cache: 7 of the input tokens were cached.
    let cases = [
        (
            Protocol::OpenAi,
            r#""cached_tokens":0"#,
            r#""cached_tokens":7"#,
            19,
        ),
        (
            Protocol::Anthropic,
            r#""cache_read_input_tokens":0"#,
            r#""cache_read_input_tokens":7"#,
            // Anthropic counts cache reads apart from `input_tokens`; they are input.
            28,
        ),
        (
            Protocol::Gemini,
            r#""promptTokenCount": 8,"#,
            r#""promptTokenCount": 8, "cachedContentTokenCount": 7,"#,
            8,
        ),
    ];
    for (protocol, from, to, input) in cases {
        let body = fixture(protocol, "text");
        assert!(body.contains(from), "{protocol:?} fixture changed");
        let server = MockServer::start().await;
        let response = wiremock::ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_string(body.replace(from, to));
        mount(&server, protocol, vec![response]).await;
        let completion = client(&server, protocol)
            .complete(&chat(), &mut |_| {})
            .await
            .unwrap();
        assert_eq!(completion.usage.cached_tokens, Some(7), "{protocol:?}");
        assert_eq!(completion.usage.input_tokens, input, "{protocol:?}");
    }
}
