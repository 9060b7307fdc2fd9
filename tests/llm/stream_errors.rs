//! Errors inside a 200 stream are reported with the provider's type and message (not
//! as an HTTP status that never happened) and retried only when the type says the
//! provider was busy or failed and nothing was shown yet; OpenRouter's upstream
//! details (`metadata.provider_name`, `metadata.raw`) are part of the message.

use crate::support::llm::*;
use codingit::llm::{LlmError, Protocol};
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

fn stream_error(error: &LlmError) -> (&str, &str, bool) {
    match error {
        LlmError::StreamError {
            error_type,
            message,
            retryable,
        } => (error_type, message, *retryable),
        other => panic!("not a stream error: {other:?}"),
    }
}

#[tokio::test]
async fn groq_error_event_is_a_stream_error_with_its_type_and_no_retry() {
    let server = serve(Protocol::OpenAi, &["groq_error_event"]).await;

    let error = client_for(&server, Protocol::OpenAi, "groq")
        .complete(&structured_chat(), &mut |_| {})
        .await
        .unwrap_err();

    let (kind, message, retryable) = stream_error(&error);
    assert_eq!(kind, "invalid_request_error");
    assert!(message.starts_with("Failed to generate JSON"), "{message}");
    assert!(!retryable);
    assert_eq!(error.kind(), "stream_error");
    assert!(!error.to_string().contains("HTTP"), "{error}");
    assert!(
        error.to_string().contains("(invalid_request_error)"),
        "{error}"
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn retryable_error_events_before_any_text_are_retried() {
    let cases = [
        (Protocol::OpenAi, "openrouter_error_before_content"),
        (Protocol::Anthropic, "overloaded_after_start"),
        (Protocol::Gemini, "unavailable_midstream"),
    ];
    for (protocol, name) in cases {
        let server = MockServer::start().await;
        mount(
            &server,
            protocol,
            vec![sse(protocol, name), hello(protocol)],
        )
        .await;
        let events = Events::default();

        let completion = client(&server, protocol)
            .complete(&chat(), &mut events.sink())
            .await
            .unwrap();

        assert_eq!(completion.text, "Hello from the stream.", "{name}");
        assert_eq!(events.retries(), 1, "{name}");
        assert_eq!(events.deltas(), "Hello from the stream.", "{name}");
    }
}

#[tokio::test]
async fn the_reported_error_names_type_and_message_when_retries_run_out() {
    let cases = [
        (
            Protocol::OpenAi,
            "openrouter_error_before_content",
            "502",
            "Provider returned error (provider Chutes: upstream model is overloaded)",
        ),
        (
            Protocol::Anthropic,
            "overloaded_after_start",
            "overloaded_error",
            "Overloaded",
        ),
        (
            Protocol::Gemini,
            "unavailable_midstream",
            "UNAVAILABLE",
            "The model is overloaded. Please try again later.",
        ),
    ];
    for (protocol, name, kind, words) in cases {
        let server = serve(protocol, &[name]).await;
        let error = client(&server, protocol)
            .complete(&chat(), &mut |_| {})
            .await
            .unwrap_err();
        let (got_kind, message, retryable) = stream_error(&error);
        assert_eq!(
            (got_kind, message, retryable),
            (kind, words, true),
            "{name}"
        );
        assert_eq!(request_count(&server).await, 3, "{name}: max_attempts");
    }
}

#[tokio::test]
async fn an_error_after_text_is_reported_not_retried() {
    let cases = [
        (
            Protocol::OpenAi,
            "openrouter_error_midstream",
            "server_error",
        ),
        (
            Protocol::Anthropic,
            "overloaded_after_text",
            "overloaded_error",
        ),
    ];
    for (protocol, name, kind) in cases {
        let server = MockServer::start().await;
        mount(
            &server,
            protocol,
            vec![sse(protocol, name), hello(protocol)],
        )
        .await;
        let events = Events::default();

        let error = client(&server, protocol)
            .complete(&chat(), &mut events.sink())
            .await
            .unwrap_err();

        assert_eq!(stream_error(&error).0, kind, "{name}");
        assert_eq!(
            events.deltas(),
            "Hello",
            "{name}: the text is never shown twice"
        );
        assert_eq!(request_count(&server).await, 1, "{name}");
    }
}

#[tokio::test]
async fn a_non_retryable_anthropic_error_event_is_not_retried() {
    let server = serve(Protocol::Anthropic, &["invalid_request_midstream"]).await;
    let error = client(&server, Protocol::Anthropic)
        .complete(&chat(), &mut |_| {})
        .await
        .unwrap_err();
    let (kind, message, retryable) = stream_error(&error);
    assert_eq!(kind, "invalid_request_error");
    assert!(message.starts_with("prompt is too long"), "{message}");
    assert!(!retryable);
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn openrouter_http_errors_carry_the_upstream_provider_and_raw_cause() {
    let server = MockServer::start().await;
    let body = json!({"error": {"code": 400, "message": "Provider returned error", "metadata": {
        "raw": "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\",\"type\":\"invalid_request_error\"}}",
        "provider_name": "Together"}}, "user_id": "user_2x"});
    mount(
        &server,
        Protocol::OpenAi,
        vec![ResponseTemplate::new(400).set_body_json(body)],
    )
    .await;

    let error = client_for(&server, Protocol::OpenAi, "openrouter")
        .complete(&chat(), &mut |_| {})
        .await
        .unwrap_err();

    assert_eq!(
        error,
        LlmError::BadRequest {
            status: 400,
            message: "Provider returned error (provider Together: This model's maximum context \
                      length is 8192 tokens.)"
                .into()
        }
    );
}

#[tokio::test]
async fn a_json_error_where_a_stream_was_expected_keeps_its_message() {
    let server = MockServer::start().await;
    let error_body = json!({"error": {"message": "model 'qwen3' not found, try pulling it first",
        "type": "invalid_request_error", "param": null, "code": null}});
    mount(
        &server,
        Protocol::OpenAi,
        vec![
            ResponseTemplate::new(200).set_body_json(error_body),
            ResponseTemplate::new(200).set_body_json(json!({"id": "x", "choices": []})),
        ],
    )
    .await;
    let client = client_for(&server, Protocol::OpenAi, "ollama");

    let error = client.complete(&chat(), &mut |_| {}).await.unwrap_err();
    assert_eq!(
        stream_error(&error),
        (
            "invalid_request_error",
            "model 'qwen3' not found, try pulling it first",
            false
        )
    );

    let error = client.complete(&chat(), &mut |_| {}).await.unwrap_err();
    assert!(
        matches!(&error, LlmError::Stream { message } if message.contains("expected an event stream")),
        "{error:?}"
    );
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_key_echoed_in_an_error_event_is_redacted() {
    let server = MockServer::start().await;
    let event = json!({"error": {"message": format!("Incorrect API key provided: {DUMMY_KEY}"),
        "type": "invalid_request_error", "code": "invalid_api_key"}});
    mount(
        &server,
        Protocol::OpenAi,
        vec![ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_string(format!("data: {event}\n\n"))],
    )
    .await;

    let error = client(&server, Protocol::OpenAi)
        .complete(&chat(), &mut |_| {})
        .await
        .unwrap_err();

    assert_eq!(stream_error(&error).1, "Incorrect API key provided: ***");
    assert!(!format!("{error} {error:?}").contains(DUMMY_KEY));
}
