//! Support for the protocol scenario tests (`llm_protocols`, `llm_protocol_specifics`,
//! `llm_wire_units`): mock servers replaying `tests/fixtures/sse/<protocol>/*.sse`.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use codingit::llm::{
    ApiKey, ChatRequest, ClientOptions, Endpoint, LlmClient, LlmEvent, Message, OutputSchema,
    Protocol, RetryPolicy, StructuredMode, Timeouts,
};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Recognisable, so a leak is easy to spot in a failure.
pub const DUMMY_KEY: &str = "sk-codingit-test-DUMMY-KEY-5f3a9c";
pub const MODEL: &str = "test-model";

// ---------------------------------------------------------------- support

pub fn fixture(protocol: Protocol, name: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sse")
        .join(protocol.as_str())
        .join(format!("{name}.sse"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

pub fn sse(protocol: Protocol, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(fixture(protocol, name))
}

pub fn json_error(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
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

pub fn test_options() -> ClientOptions {
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

pub fn endpoint(server: &MockServer, protocol: Protocol) -> Endpoint {
    Endpoint {
        provider: format!("mock-{protocol}"),
        protocol,
        base_url: format!("{}{}", server.uri(), base_path(protocol)),
        api_key: Some(ApiKey::new(DUMMY_KEY)),
        structured: StructuredMode::JsonSchema,
        headers: vec![("x-extra".into(), "yes".into())],
    }
}

pub fn client(server: &MockServer, protocol: Protocol) -> LlmClient {
    LlmClient::new(endpoint(server, protocol), test_options()).unwrap()
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
        mock.mount(server).await;
    }
}

pub async fn bodies(server: &MockServer) -> Vec<Value> {
    requests(server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

pub fn chat() -> ChatRequest {
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
        context_window: None,
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

#[derive(Default)]
pub struct Events(Mutex<Vec<LlmEvent>>);

impl Events {
    pub fn sink(&self) -> impl FnMut(LlmEvent) + Send + '_ {
        move |event| self.0.lock().unwrap().push(event)
    }
    pub fn all(&self) -> Vec<LlmEvent> {
        self.0.lock().unwrap().clone()
    }
    pub fn deltas(&self) -> Vec<String> {
        self.all()
            .into_iter()
            .filter_map(|e| match e {
                LlmEvent::Delta(text) => Some(text),
                _ => None,
            })
            .collect()
    }
    pub fn retries(&self) -> Vec<u32> {
        self.all()
            .into_iter()
            .filter_map(|e| match e {
                LlmEvent::Retrying { attempt, .. } => Some(attempt),
                _ => None,
            })
            .collect()
    }
}

pub fn no_check(_: &Value) -> Vec<String> {
    Vec::new()
}

/// One test function per protocol: `scenario::openai`, `scenario::anthropic`, `scenario::gemini`.
#[allow(unused_macros)]
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
#[allow(unused_imports)]
pub(crate) use per_protocol;
