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

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A sandboxed app that redirects the probe elsewhere (here: a canary listener
    /// standing for any other address) is judged by its own answer; the host never
    /// follows it.
    #[tokio::test]
    async fn a_redirect_is_judged_never_followed() {
        let canary = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let canary_port = canary.local_addr().map(|a| a.port()).unwrap_or(0);
        let app = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let app_port = app.local_addr().map(|a| a.port()).unwrap_or(0);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = app.accept().await {
                let mut buf = [0u8; 1024];
                let _ = socket.read(&mut buf).await;
                let reply = format!(
                    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{canary_port}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            }
        });
        let answer = probe(app_port, "/", Duration::from_secs(10)).await;
        assert!(
            matches!(answer, Answer::Status { code: 302, .. }),
            "{answer:?}"
        );
        let followed = tokio::time::timeout(Duration::from_millis(300), canary.accept()).await;
        assert!(followed.is_err(), "the redirect was followed");
    }
}
