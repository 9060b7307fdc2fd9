//! Refusals are a typed `Refused` error with the model's words or the provider's
//! reason, never "the answer is empty", and never paid for again by a repair round or
//! a retry: OpenAI `delta.refusal` and `content_filter`, Anthropic `stop_reason:
//! "refusal"`, Gemini safety finish reasons and `promptFeedback.blockReason`.

use crate::support::llm::*;
use codingit::llm::{LlmError, Protocol};
use pretty_assertions::assert_eq;

/// (protocol, fixture, reason, words the message must hold, whether those words are the
/// answer text written before the stop: a structured answer's text is JSON, so then the
/// message is left empty rather than quoting half a JSON value)
const CASES: [(Protocol, &str, &str, &str, bool); 8] = [
    (
        Protocol::OpenAi,
        "refusal",
        "refusal",
        "I'm sorry, but I can't assist with that request.",
        false,
    ),
    (
        Protocol::OpenAi,
        "content_filter",
        "content_filter",
        "filtered for violence (medium)",
        false,
    ),
    (Protocol::Anthropic, "refusal", "refusal", "I can", true),
    (
        Protocol::Gemini,
        "safety",
        "SAFETY",
        "blocked for HARM_CATEGORY_DANGEROUS_CONTENT (HIGH)",
        false,
    ),
    (
        Protocol::Gemini,
        "recitation",
        "RECITATION",
        "It was the best of times, it was the",
        true,
    ),
    (
        Protocol::Gemini,
        "prohibited_content",
        "PROHIBITED_CONTENT",
        "",
        true,
    ),
    (
        Protocol::Gemini,
        "blocklist",
        "BLOCKLIST",
        "The response contained a term on the blocklist.",
        false,
    ),
    (
        Protocol::Gemini,
        "prompt_blocked",
        "prompt blocked: SAFETY",
        "blocked for HARM_CATEGORY_HARASSMENT (MEDIUM)",
        false,
    ),
];

#[tokio::test]
async fn structured_output_stops_at_a_refusal_without_repair_or_retry() {
    for (protocol, name, reason, words, from_text) in CASES {
        let server = serve(protocol, &[name]).await;
        let events = Events::default();

        let error = client(&server, protocol)
            .structured(&structured_chat(), 2, &no_check, &mut events.sink())
            .await
            .unwrap_err();

        let LlmError::Refused {
            reason: got_reason,
            message,
        } = &error
        else {
            panic!("{name}: {error:?}");
        };
        assert_eq!(got_reason, reason, "{name}");
        if from_text {
            assert_eq!(message, "", "{name}");
        } else {
            assert!(message.contains(words), "{name}: {message:?}");
        }
        assert_eq!(error.kind(), "refused");
        assert!(!error.is_retryable());
        assert_eq!(events.repairs(), 0, "{name}: no repair round");
        assert_eq!(events.retries(), 0, "{name}: no retry");
        assert_eq!(request_count(&server).await, 1, "{name}: paid once");
        assert!(!error.to_string().contains("empty"), "{error}");
    }
}

#[tokio::test]
async fn complete_reports_a_refusal_as_such() {
    for (protocol, name, reason, words, _) in CASES {
        let server = serve(protocol, &[name]).await;
        let error = client(&server, protocol)
            .complete(&chat(), &mut |_| {})
            .await
            .unwrap_err();
        assert!(
            matches!(&error, LlmError::Refused { reason: r, message } if r == reason && message.contains(words)),
            "{name}: {error:?}"
        );
        assert!(
            error.to_string().starts_with("the model refused to answer"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn the_openai_refusal_streams_as_refusal_events_not_answer_text() {
    let server = serve(Protocol::OpenAi, &["refusal"]).await;
    let items = stream_items(&client(&server, Protocol::OpenAi), &structured_chat()).await;
    assert_eq!(joined(&items, answer), "");
    assert_eq!(
        joined(&items, refusal),
        "I'm sorry, but I can't assist with that request."
    );
}

#[tokio::test]
async fn a_gemini_prompt_block_has_no_candidate_but_is_not_a_cut_stream() {
    let server = serve(Protocol::Gemini, &["prompt_blocked"]).await;
    let items = stream_items(&client(&server, Protocol::Gemini), &chat()).await;
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    assert_eq!(joined(&items, answer), "");
    assert!(joined(&items, refusal).contains("HARM_CATEGORY_HARASSMENT"));
}
