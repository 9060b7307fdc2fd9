//! Shared by the LLM tests (tests/llm) about real provider answer shapes: mock servers
//! replaying `tests/fixtures/llm/<protocol>/*.sse` through the real client.

pub mod protocols;

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use codingit::llm::{
    ApiKey, ChatRequest, ClientOptions, Endpoint, LlmClient, LlmEvent, Message, OutputSchema,
    Protocol, RetryPolicy, StreamEvent, StructuredMode, Timeouts,
};
use futures::StreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const MODEL: &str = "test-model";
/// Recognisable, so a leak is easy to spot in a failure.
pub const DUMMY_KEY: &str = "sk-codingit-test-DUMMY-KEY-77e1b0";

/// A recorded stream from `tests/fixtures/<set>/<protocol>/<name>.sse`.
pub fn fixture_in(set: &str, protocol: Protocol, name: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(set)
        .join(protocol.as_str())
        .join(format!("{name}.sse"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

pub fn fixture(protocol: Protocol, name: &str) -> String {
    fixture_in("llm", protocol, name)
}

/// A 200 event stream with `body`.
pub fn stream_response(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(body)
}

pub fn sse(protocol: Protocol, name: &str) -> ResponseTemplate {
    stream_response(fixture(protocol, name))
}

/// A plain good answer, "Hello from the stream.", in each protocol's shape.
pub fn hello(protocol: Protocol) -> ResponseTemplate {
    let body = match protocol {
        Protocol::OpenAi => concat!(
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello from the stream.\"},\"finish_reason\":null}]}\n\n",
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
            "data: [DONE]\n\n"
        ),
        Protocol::Anthropic => concat!(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello from the stream.\"}}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":6}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        ),
        Protocol::Gemini => "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hello from the stream.\"}], \"role\": \"model\"}, \"finishReason\": \"STOP\", \"index\": 0}], \"usageMetadata\": {\"promptTokenCount\": 5, \"candidatesTokenCount\": 5, \"totalTokenCount\": 10}}\r\n\r\n",
    };
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(body)
}

pub fn base_path(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::OpenAi | Protocol::Anthropic => "/v1",
        Protocol::Gemini => "/v1beta",
    }
}

pub fn request_path(protocol: Protocol) -> String {
    match protocol {
        Protocol::OpenAi => "/v1/chat/completions".into(),
        Protocol::Anthropic => "/v1/messages".into(),
        Protocol::Gemini => format!("/v1beta/models/{MODEL}:streamGenerateContent"),
    }
}

pub fn options() -> ClientOptions {
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

/// A client for `provider` (the catalog id: behaviour must not depend on it beyond the
/// protocol) speaking `protocol` to the mock server.
pub fn client_for(server: &MockServer, protocol: Protocol, provider: &str) -> LlmClient {
    let endpoint = Endpoint {
        provider: provider.into(),
        protocol,
        base_url: format!("{}{}", server.uri(), base_path(protocol)),
        api_key: Some(ApiKey::new(DUMMY_KEY)),
        structured: StructuredMode::JsonSchema,
        headers: Vec::new(),
    };
    LlmClient::new(endpoint, options()).unwrap()
}

pub fn client(server: &MockServer, protocol: Protocol) -> LlmClient {
    client_for(server, protocol, protocol.as_str())
}

/// Mounts `responses` in order, each answering one request; the last one answers the rest.
pub async fn mount(server: &MockServer, protocol: Protocol, responses: Vec<ResponseTemplate>) {
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
        mock.with_priority((i + 1) as u8).mount(server).await;
    }
}

/// A server answering every request of `protocol` with the fixture `name`.
pub async fn serve(protocol: Protocol, names: &[&str]) -> MockServer {
    let server = MockServer::start().await;
    let responses = names.iter().map(|name| sse(protocol, name)).collect();
    mount(&server, protocol, responses).await;
    server
}

pub async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

pub fn chat() -> ChatRequest {
    ChatRequest {
        model: MODEL.into(),
        messages: vec![Message::user("Say hello.")],
        max_tokens: Some(256),
        ..ChatRequest::default()
    }
}

pub fn item_schema() -> OutputSchema {
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

pub fn structured_chat() -> ChatRequest {
    ChatRequest {
        schema: Some(item_schema()),
        ..chat()
    }
}

pub fn no_check(_: &Value) -> Vec<String> {
    Vec::new()
}

/// Every item of one streaming attempt; errors as `Err(kind)`.
pub async fn stream_items(
    client: &LlmClient,
    req: &ChatRequest,
) -> Vec<Result<StreamEvent, String>> {
    let stream = client.stream(req).await.unwrap();
    stream
        .map(|item| item.map_err(|e| e.kind().to_string()))
        .collect()
        .await
}

/// The text of every event of one kind, joined.
pub fn joined(
    items: &[Result<StreamEvent, String>],
    pick: fn(&StreamEvent) -> Option<&str>,
) -> String {
    items
        .iter()
        .filter_map(|item| item.as_ref().ok().and_then(pick))
        .collect()
}

pub fn answer(event: &StreamEvent) -> Option<&str> {
    match event {
        StreamEvent::Delta(text) => Some(text),
        _ => None,
    }
}

pub fn reasoning(event: &StreamEvent) -> Option<&str> {
    match event {
        StreamEvent::Reasoning(text) => Some(text),
        _ => None,
    }
}

pub fn refusal(event: &StreamEvent) -> Option<&str> {
    match event {
        StreamEvent::Refusal(text) => Some(text),
        _ => None,
    }
}

#[derive(Default)]
pub struct Events(Mutex<Vec<LlmEvent>>);

impl Events {
    pub fn sink(&self) -> impl FnMut(LlmEvent) + Send + '_ {
        move |event| self.0.lock().unwrap().push(event)
    }

    pub fn all(&self) -> Vec<LlmEvent> {
        self.0.lock().unwrap().clone()
    }

    pub fn deltas(&self) -> String {
        self.all()
            .into_iter()
            .filter_map(|e| match e {
                LlmEvent::Delta(text) => Some(text),
                _ => None,
            })
            .collect()
    }

    pub fn retries(&self) -> usize {
        self.all()
            .iter()
            .filter(|e| matches!(e, LlmEvent::Retrying { .. }))
            .count()
    }

    pub fn repairs(&self) -> usize {
        self.all()
            .iter()
            .filter(|e| matches!(e, LlmEvent::Repairing { .. }))
            .count()
    }
}
