//! An answer cut at the token limit (`finish_reason: "length"`, `stop_reason:
//! "max_tokens"`, `finishReason: "MAX_TOKENS"`) is reported as cut, with the limit, and
//! never parsed as complete, even when the text happens to hold a whole JSON value.

use crate::support::llm::*;
use codingit::llm::{LlmError, LlmEvent, Protocol};
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// (protocol, fixture, finish reason, output tokens the usage reports)
const CASES: [(Protocol, &str, &str, u64); 3] = [
    (Protocol::OpenAi, "length", "length", 256),
    (Protocol::Anthropic, "max_tokens", "max_tokens", 256),
    (Protocol::Gemini, "max_tokens", "MAX_TOKENS", 256),
];

#[tokio::test]
async fn complete_reports_a_cut_answer_with_its_limit() {
    for (protocol, name, reason, used) in CASES {
        let server = serve(protocol, &[name]).await;
        let error = client(&server, protocol)
            .complete(&chat(), &mut |_| {})
            .await
            .unwrap_err();
        let LlmError::Truncated {
            reason: got,
            limit,
            output_tokens,
            text,
        } = &error
        else {
            panic!("{name}: {error:?}");
        };
        assert_eq!(
            (got.as_str(), *limit, *output_tokens),
            (reason, Some(256), Some(used)),
            "{name}"
        );
        assert!(!text.is_empty(), "{name}: the cut text is kept");
        assert_eq!(error.kind(), "truncated");
        assert!(!error.is_retryable());
        assert!(
            error
                .to_string()
                .contains("cut off at the token limit of 256 tokens"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn anthropic_names_the_default_limit_it_always_sends() {
    let server = serve(Protocol::Anthropic, &["max_tokens"]).await;
    let request = codingit::llm::ChatRequest {
        max_tokens: None,
        ..chat()
    };
    let error = client(&server, Protocol::Anthropic)
        .complete(&request, &mut |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            LlmError::Truncated {
                limit: Some(8192),
                ..
            }
        ),
        "{error:?}"
    );
}

/// Gemini's and OpenAI's fixtures hold a complete `{"title": "Hello", "count": 3}`
/// before the cut: it must not be taken for the answer.
#[tokio::test]
async fn structured_output_never_parses_a_cut_answer() {
    for (protocol, name, reason, _) in CASES {
        let server = serve(protocol, &[name]).await;
        let error = client(&server, protocol)
            .structured(&structured_chat(), 0, &no_check, &mut |_| {})
            .await
            .unwrap_err();
        assert!(
            matches!(&error, LlmError::Truncated { reason: r, .. } if r == reason),
            "{name}: {error:?}"
        );
        assert_eq!(request_count(&server).await, 1);
    }
}

#[tokio::test]
async fn a_cut_answer_is_repaired_by_asking_for_a_shorter_one() {
    for (protocol, name, reason, _) in CASES {
        let server = MockServer::start().await;
        mount(
            &server,
            protocol,
            vec![sse(protocol, name), structured_answer(protocol)],
        )
        .await;
        let events = Events::default();

        let output = client(&server, protocol)
            .structured(&structured_chat(), 2, &no_check, &mut events.sink())
            .await
            .unwrap();

        assert_eq!(output.value, json!({"title": "Hi", "count": 1}), "{name}");
        assert_eq!(output.repair_rounds, 1, "{name}");
        let repair = events.all().into_iter().find_map(|e| match e {
            LlmEvent::Repairing { errors, .. } => Some(errors.join(" ")),
            _ => None,
        });
        let repair = repair.unwrap_or_default();
        assert!(repair.contains("cut off at the token limit"), "{repair}");
        assert!(repair.contains(reason), "{repair}");
    }
}

/// `{"title": "Hi", "count": 1}` as a complete answer in each protocol's shape.
fn structured_answer(protocol: Protocol) -> ResponseTemplate {
    let body = match protocol {
        Protocol::OpenAi => concat!(
            "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"{\\\"title\\\": \\\"Hi\\\", \\\"count\\\": 1}\"},\"finish_reason\":null}]}\n\n",
            "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
            "data: [DONE]\n\n"
        ),
        Protocol::Anthropic => concat!(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"item\",\"input\":{}}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"title\\\": \\\"Hi\\\", \\\"count\\\": 1}\"}}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":12}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        ),
        Protocol::Gemini => "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"{\\\"title\\\": \\\"Hi\\\", \\\"count\\\": 1}\"}], \"role\": \"model\"}, \"finishReason\": \"STOP\", \"index\": 0}]}\r\n\r\n",
    };
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(body)
}
