//! A response body turned into a stream of `StreamEvent`s: bytes → SSE → protocol
//! decoder, under an idle timeout and a deadline.

use std::collections::VecDeque;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt};
use tokio::time::Instant;

use super::error::LlmError;
use super::error_body::json_instead_of_stream;
use super::sse::{SseEvent, SseParser};
use super::types::{ApiKey, StreamEvent};
use super::wire::Decoder;

type Body = BoxStream<'static, Result<Bytes, reqwest::Error>>;

/// The most of a body kept while no event has come, to read a JSON error document.
const MAX_RAW: usize = 64 * 1024;

struct State {
    body: Body,
    parser: SseParser,
    decoder: Box<dyn Decoder>,
    ready: VecDeque<Result<StreamEvent, LlmError>>,
    /// The body so far, kept only until the first event arrives.
    raw: Vec<u8>,
    seen_event: bool,
    done: bool,
    idle: Duration,
    deadline: Instant,
    key: Option<ApiKey>,
}

pub(crate) fn event_stream(
    response: reqwest::Response,
    decoder: Box<dyn Decoder>,
    idle: Duration,
    deadline: Instant,
    key: Option<ApiKey>,
) -> BoxStream<'static, Result<StreamEvent, LlmError>> {
    let state = State {
        body: response.bytes_stream().boxed(),
        parser: SseParser::new(),
        decoder,
        ready: VecDeque::new(),
        raw: Vec::new(),
        seen_event: false,
        done: false,
        idle,
        deadline,
        key,
    };
    stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.ready.pop_front() {
                let item = item.map_err(|err| err.redact(state.key.as_ref()));
                return Some((item, state));
            }
            if state.done {
                return None;
            }
            state.read().await;
        }
    })
    .boxed()
}

impl State {
    /// Reads one chunk and queues what it completes; sets `done` at the end.
    async fn read(&mut self) {
        let now = Instant::now();
        let (limit, phase) = if self.deadline <= now + self.idle {
            (self.deadline, "total")
        } else {
            (now + self.idle, "idle")
        };
        let chunk = match tokio::time::timeout_at(limit, self.body.next()).await {
            Ok(chunk) => chunk,
            Err(_) => return self.fail(LlmError::Timeout { phase }),
        };
        match chunk {
            Some(Ok(bytes)) => {
                if !self.seen_event && self.raw.len() < MAX_RAW {
                    self.raw.extend_from_slice(&bytes);
                }
                let events = self.parser.push(&bytes);
                self.decode(events);
            }
            Some(Err(err)) => self.fail(read_error(&err)),
            None => {
                let events: Vec<SseEvent> = self.parser.finish().into_iter().collect();
                if events.is_empty() && !self.seen_event {
                    if let Some(err) = json_instead_of_stream(&self.raw) {
                        return self.fail(err);
                    }
                }
                self.decode(events);
                if !self.done {
                    self.end();
                }
            }
        }
    }

    fn decode(&mut self, events: Vec<SseEvent>) {
        if !events.is_empty() {
            self.seen_event = true;
            self.raw = Vec::new();
        }
        let mut out = Vec::new();
        for event in events {
            match self.decoder.event(&event, &mut out) {
                Ok(false) => {}
                Ok(true) => {
                    self.ready.extend(out.drain(..).map(Ok));
                    return self.end();
                }
                Err(err) => {
                    self.ready.extend(out.drain(..).map(Ok));
                    return self.fail(err);
                }
            }
        }
        self.ready.extend(out.into_iter().map(Ok));
    }

    fn end(&mut self) {
        let mut out = Vec::new();
        let result = self.decoder.end(&mut out);
        self.ready.extend(out.into_iter().map(Ok));
        match result {
            Ok(()) => self.done = true,
            Err(err) => self.fail(err),
        }
    }

    fn fail(&mut self, err: LlmError) {
        self.ready.push_back(Err(err));
        self.done = true;
    }
}

fn read_error(err: &reqwest::Error) -> LlmError {
    if err.is_timeout() {
        return LlmError::Timeout { phase: "idle" };
    }
    LlmError::Stream {
        message: format!("reading the response failed: {}", error_chain(err)),
    }
}

/// An error and its causes on one line (reqwest's own text hides the cause).
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
