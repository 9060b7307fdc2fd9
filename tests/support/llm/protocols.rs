//! Support for the protocol scenario tests (`llm_protocols`, `llm_protocol_specifics`,
//! `llm_wire_units`): mock servers replaying `tests/fixtures/sse/<protocol>/*.sse`.

use std::sync::Mutex;

use codingit::llm::{
    ApiKey, ChatRequest, ClientOptions, Endpoint, LlmClient, LlmEvent, Message, Protocol,
    StructuredMode,
};
use serde_json::Value;
use wiremock::{MockServer, Request, ResponseTemplate};

// The helpers these scenarios share with the answer-shape tests.
// (Each test binary uses some of them.)
#[allow(unused_imports)]
pub use super::{base_path, item_schema, mount, no_check, request_path, DUMMY_KEY, MODEL};

// ---------------------------------------------------------------- support

pub fn fixture(protocol: Protocol, name: &str) -> String {
    super::fixture_in("sse", protocol, name)
}

pub fn sse(protocol: Protocol, name: &str) -> ResponseTemplate {
    super::stream_response(fixture(protocol, name))
}

pub fn json_error(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

pub fn test_options() -> ClientOptions {
    super::options()
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
