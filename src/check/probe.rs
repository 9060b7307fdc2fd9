//! Asking a sandboxed web app for a page, through the relay on the host's loopback.

use std::time::Duration;
use tokio::time::Instant;

/// Bytes of the page kept for the model (an error page says what broke).
const BODY_HEAD: usize = 4_000;

/// How the app answered.
#[derive(Debug)]
pub enum Answer {
    Status {
        code: u16,
        body: String,
    },
    /// Nothing answered HTTP within the patience.
    Silent,
}

/// Asks `http://127.0.0.1:port{path}` until something answers or `patience` runs out.
/// Redirects are not followed and no proxy is used: the app's answer is judged as
/// it is, and untrusted code never makes the host fetch another address.
pub async fn probe(port: u16, path: &str, patience: Duration) -> Answer {
    let deadline = Instant::now() + patience;
    crate::llm::install_crypto_provider();
    let Ok(client) = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(Duration::from_secs(2))
        .build()
    else {
        return Answer::Silent;
    };
    let url = format!("http://127.0.0.1:{port}{path}");
    while Instant::now() < deadline {
        let left = deadline.saturating_duration_since(Instant::now());
        // A dev server compiles the page on the first request: give it the time left.
        if let Ok(response) = client.get(&url).timeout(left).send().await {
            let code = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            let mut head: String = body.chars().take(BODY_HEAD).collect();
            if head.len() < body.len() {
                head.push_str("\n[…]");
            }
            return Answer::Status { code, body: head };
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Answer::Silent
}
