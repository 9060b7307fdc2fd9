//! A port of an E2B sandbox on this machine's loopback: a small HTTP relay that
//! sends each request on to the sandbox's port (its `PORT-ID.DOMAIN` host, or the
//! proxy with `E2b-Sandbox-Id`/`E2b-Sandbox-Port`), with the traffic token when
//! the sandbox has one. It serves the readiness probe and the checks, which ask
//! `127.0.0.1`; people open the E2B URL itself. Plain HTTP requests only: a
//! WebSocket upgrade is not relayed.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 64 << 20;

/// Headers that belong to one connection, not to the request.
const HOP_BY_HOP: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
];

/// Where requests go: a base URL and the headers that pick the sandbox's port.
#[derive(Clone)]
pub struct Target {
    pub base: String,
    pub headers: HeaderMap,
}

/// Listens on 127.0.0.1 (a free port) until the returned task is aborted.
pub async fn start(
    http: reqwest::Client,
    target: Target,
) -> std::io::Result<(u16, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (http, target) = (http.clone(), target.clone());
            tokio::spawn(async move {
                let _ = relay_one(stream, &http, &target).await;
            });
        }
    });
    Ok((port, task))
}

/// Aborts the relay when dropped (the `Preview` guard).
pub struct Guard(pub tokio::task::JoinHandle<()>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn relay_one(
    mut stream: TcpStream,
    http: &reqwest::Client,
    target: &Target,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > MAX_HEAD {
            return reply(&mut stream, 431, b"request head too large").await;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(path)) = (first.next(), first.next()) else {
        return reply(&mut stream, 400, b"malformed request").await;
    };
    let Ok(method) = reqwest::Method::from_bytes(method.as_bytes()) else {
        return reply(&mut stream, 400, b"malformed method").await;
    };
    if !path.starts_with('/') {
        return reply(&mut stream, 400, b"only origin-form targets").await;
    }
    let mut headers = target.headers.clone();
    let mut length = 0usize;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        if name == "content-length" {
            length = value.trim().parse().unwrap_or(0);
        }
        if name == "transfer-encoding" {
            return reply(&mut stream, 411, b"send a Content-Length").await;
        }
        if HOP_BY_HOP.contains(&name.as_str()) || headers.contains_key(name.as_str()) {
            continue;
        }
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value.trim()),
        ) {
            headers.append(n, v);
        }
    }
    if length > MAX_BODY {
        return reply(&mut stream, 413, b"body too large").await;
    }
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = vec![0u8; (length - body.len()).min(1 << 16)];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    let answer = http
        .request(method, format!("{}{path}", target.base))
        .headers(headers)
        .body(body)
        .timeout(Duration::from_secs(300))
        .send()
        .await;
    let response = match answer {
        Ok(r) => r,
        Err(e) => {
            let text = format!(
                "the sandbox's port did not answer: {}",
                super::error_chain(&e)
            );
            return reply(&mut stream, 502, text.as_bytes()).await;
        }
    };
    let status = response.status();
    // E2B's edge answers 502 while nothing listens on the port yet: to the probe
    // that is "no answer yet", so it asks again (an app's own 502 looks the same,
    // and is rare enough to be worth it).
    if status == reqwest::StatusCode::BAD_GATEWAY {
        return Ok(());
    }
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (name, value) in response.headers() {
        if HOP_BY_HOP.contains(&name.as_str()) {
            continue;
        }
        out.push_str(&format!(
            "{name}: {}\r\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    let bytes = response.bytes().await.unwrap_or_default();
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        bytes.len()
    ));
    stream.write_all(out.as_bytes()).await?;
    stream.write_all(&bytes).await?;
    stream.shutdown().await
}

async fn reply(stream: &mut TcpStream, status: u16, text: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} Error\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        text.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(text).await?;
    stream.shutdown().await
}
