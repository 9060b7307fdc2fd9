//! Reasoning never leaks into the answer: Mistral's typed content pieces (alternating
//! with plain strings), `reasoning_content` (DeepSeek, llama.cpp), `reasoning`
//! (OpenRouter), a leading `<think>…</think>` in the content (Groq's `raw` format and
//! other servers without a reasoning parser), Anthropic thinking blocks and Gemini
//! thought parts.

use crate::support::llm::*;
use codingit::llm::Protocol;
use pretty_assertions::assert_eq;
use serde_json::json;

const ANSWER: &str = "Hello from the stream.";

/// (protocol, fixture, the reasoning it carries)
const CASES: [(Protocol, &str, &str); 7] = [
    (
        Protocol::OpenAi,
        "mistral_thinking_pieces",
        "The user wants a short greeting. {\"not\": \"the answer\"} Keep it brief.",
    ),
    (
        Protocol::OpenAi,
        "deepseek_reasoning_content",
        "Okay, the user wants a greeting.",
    ),
    (
        Protocol::OpenAi,
        "openrouter_reasoning",
        "The user wants a greeting.",
    ),
    (
        Protocol::OpenAi,
        "llamacpp_reasoning_content",
        "Greeting requested.",
    ),
    (
        Protocol::OpenAi,
        "groq_raw_think_tags",
        "\nThe user wants a greeting. {\"not\": \"the answer\"}\n",
    ),
    (
        Protocol::Anthropic,
        "thinking",
        "The user wants a greeting. {\"not\": \"the answer\"}",
    ),
    (
        Protocol::Gemini,
        "thoughts",
        "**Greeting the user**\n\nThe user wants a greeting. {\"not\": \"the answer\"}",
    ),
];

#[tokio::test]
async fn the_stream_keeps_reasoning_apart_from_the_answer() {
    for (protocol, name, thinking) in CASES {
        let server = serve(protocol, &[name]).await;
        let items = stream_items(&client(&server, protocol), &chat()).await;
        assert!(items.iter().all(Result::is_ok), "{name}: {items:?}");
        assert_eq!(joined(&items, answer), ANSWER, "{name}");
        assert_eq!(joined(&items, reasoning), thinking, "{name}");
    }
}

#[tokio::test]
async fn complete_returns_the_answer_and_the_reasoning_separately() {
    for (protocol, name, thinking) in CASES {
        let server = serve(protocol, &[name]).await;
        let events = Events::default();
        let completion = client(&server, protocol)
            .complete(&chat(), &mut events.sink())
            .await
            .unwrap();
        assert_eq!(completion.text, ANSWER, "{name}");
        assert_eq!(completion.reasoning, thinking, "{name}");
        assert_eq!(events.deltas(), ANSWER, "{name}: only the answer is shown");
        assert!(completion.finish_reason.is_some(), "{name}");
    }
}

/// The decoding belongs to the protocol: whichever OpenAI-compatible provider sends
/// these shapes, the answer is the same.
#[tokio::test]
async fn every_openai_compatible_provider_decodes_pieces_and_reasoning() {
    let providers = [
        "openai",
        "mistral",
        "deepseek",
        "openrouter",
        "groq",
        "xai",
        "together",
        "fireworks",
        "ollama",
        "llama",
    ];
    for provider in providers {
        for (protocol, name, thinking) in CASES.iter().filter(|c| c.0 == Protocol::OpenAi) {
            let server = serve(*protocol, &[name]).await;
            let completion = client_for(&server, *protocol, provider)
                .complete(&chat(), &mut |_| {})
                .await
                .unwrap();
            assert_eq!(completion.text, ANSWER, "{provider} {name}");
            assert_eq!(completion.reasoning, *thinking, "{provider} {name}");
        }
    }
}

/// Mistral's list form carrying the JSON answer: the thinking (which holds JSON of its
/// own) is not parsed, the text pieces are.
#[tokio::test]
async fn structured_output_from_typed_pieces_ignores_the_thinking() {
    let piece = |content: serde_json::Value| {
        json!({"id": "m1", "object": "chat.completion.chunk", "created": 1748536400,
               "model": "magistral-small-2507",
               "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]})
    };
    let body = [
        piece(json!([{"type": "thinking", "thinking": [{"type": "text", "text": "Maybe {\"title\": \"Wrong\", \"count\": 0}?"}]}])),
        piece(json!([{"type": "text", "text": "{\"title\": \"Hello\", "}])),
        piece(json!("\"count\": 3}")),
        json!({"id": "m1", "object": "chat.completion.chunk", "created": 1748536400,
               "model": "magistral-small-2507",
               "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 40, "total_tokens": 80, "completion_tokens": 40}}),
    ]
    .iter()
    .map(|chunk| format!("data: {chunk}\n\n"))
    .collect::<String>()
        + "data: [DONE]\n\n";
    let server = wiremock::MockServer::start().await;
    mount(
        &server,
        Protocol::OpenAi,
        vec![wiremock::ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_string(body)],
    )
    .await;

    let output = client_for(&server, Protocol::OpenAi, "mistral")
        .structured(&structured_chat(), 2, &no_check, &mut |_| {})
        .await
        .unwrap();

    assert_eq!(output.value, json!({"title": "Hello", "count": 3}));
    assert_eq!(output.repair_rounds, 0);
    assert_eq!(request_count(&server).await, 1);
}
