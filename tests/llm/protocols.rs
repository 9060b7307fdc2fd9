//! The LLM layer against mock servers replaying recorded SSE streams
//! (`tests/fixtures/sse/<protocol>/*.sse`): each scenario for each of the three wire
//! protocols. Protocol specifics are in `protocol_specifics.rs`, the status table and
//! the SSE parser in `wire_units.rs`.

use std::time::{Duration, Instant};

use crate::support::llm::protocols::*;
use codingit::llm::{LlmError, LlmEvent, Protocol, Usage};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::MockServer;

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
    // OpenAI and Anthropic report their (empty) prompt cache; this Gemini answer does not.
    let (usage, finish) = match protocol {
        Protocol::OpenAi => ((19, 5, Some(0)), "stop"),
        Protocol::Anthropic => ((21, 7, Some(0)), "end_turn"),
        Protocol::Gemini => ((8, 5, None), "STOP"),
    };
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: usage.0,
            output_tokens: usage.1,
            cached_tokens: usage.2,
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
