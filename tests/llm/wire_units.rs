//! No network: the HTTP status table, error kinds, key hygiene, configuration names and
//! the SSE parser (split at every byte, every fixture).

use std::time::Duration;

use crate::support::llm::protocols::*;
use codingit::llm::{
    error_from_status, ApiKey, ClientOptions, Endpoint, LlmClient, LlmError, Protocol, SseEvent,
    SseParser, StructuredMode, Usage,
};
use pretty_assertions::assert_eq;
use serde_json::json;

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
        cached_tokens: None,
    } + Usage {
        input_tokens: 10,
        output_tokens: 20,
        cached_tokens: None,
    };
    // Cached tokens nobody reported stay out of the JSON rather than read as zero.
    assert_eq!(
        json!(usage),
        json!({ "input_tokens": 11, "output_tokens": 22 })
    );
    let cached = usage
        + Usage {
            input_tokens: 5,
            output_tokens: 1,
            cached_tokens: Some(4),
        };
    assert_eq!(
        json!(cached),
        json!({ "input_tokens": 16, "output_tokens": 23, "cached_tokens": 4 })
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

/// The recorded-shape streams of `tests/fixtures/llm` (CRLF for Gemini, comments,
/// `event:` names) give the same events however the body is split.
#[test]
fn every_recorded_shape_parses_at_every_split_point() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/llm");
    let mut files = 0;
    for protocol in ["openai", "anthropic", "gemini"] {
        for entry in std::fs::read_dir(root.join(protocol)).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let whole = parse_all(&[&bytes]);
            assert!(!whole.is_empty(), "{}", path.display());
            for split in 0..=bytes.len() {
                let (a, b) = bytes.split_at(split);
                assert_eq!(parse_all(&[a, b]), whole, "{} at {split}", path.display());
            }
            files += 1;
        }
    }
    assert!(files >= 20, "{files}");
}
