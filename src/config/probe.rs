//! Is a local model server up? A tiny blocking HTTP probe, so that listing models
//! needs no async runtime and stays fast when nothing listens.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_millis(300);
const READ_TIMEOUT: Duration = Duration::from_millis(800);

/// Host and port of an `http(s)://host:port/...` URL (default ports 80/443).
pub fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split('/').next()?;
    let authority = authority.rsplit('@').next()?;
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        let port = after.strip_prefix(':').map(str::parse).transpose().ok()?;
        return Some((host.to_string(), port.unwrap_or(default_port)));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
        None => Some((authority.to_string(), default_port)),
    }
}

/// A connection to `url`'s host and port (short timeouts), with the host name.
fn connect(url: &str, read_timeout: Duration) -> Option<(TcpStream, String)> {
    let (host, port) = host_port(url)?;
    let addr = resolve(&host, port)?;
    let stream = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).ok()?;
    let _ = stream.set_read_timeout(Some(read_timeout));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    Some((stream, host))
}

/// True when something at `url`'s host and port answers HTTP (any status).
pub fn http_answers(url: &str) -> bool {
    let Some((mut stream, host)) = connect(url, READ_TIMEOUT) else {
        return false;
    };
    if url.starts_with("https") {
        // A TLS server that accepts the connection is up; no handshake needed to know.
        return true;
    }
    let request = format!("GET / HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    matches!(stream.read_exact(&mut head), Ok(()) if &head == b"HTTP/")
}

fn resolve(host: &str, port: u16) -> Option<SocketAddr> {
    (host, port).to_socket_addrs().ok()?.next()
}

/// The Ollama base URL from `OLLAMA_HOST` (`host`, `host:port` or a URL), with `/v1`.
pub fn ollama_base_url(ollama_host: &str) -> String {
    let raw = ollama_host.trim().trim_end_matches('/');
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("http://{raw}")
    };
    let (scheme, authority) = with_scheme.split_once("://").unwrap_or(("http", raw));
    let authority = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => {
            format!("{}:{port}", connectable_host(host))
        }
        _ => format!("{}:11434", connectable_host(authority)),
    };
    format!("{scheme}://{authority}/v1")
}

/// A bind-all address is where a server listens, not where to reach it.
fn connectable_host(host: &str) -> &str {
    match host {
        "" | "0.0.0.0" => "127.0.0.1",
        "[::]" | "::" => "[::1]",
        other => other,
    }
}

/// The model ids an OpenAI-compatible server at `base_url` says it serves
/// (`GET {base_url}/models`), or None when it does not answer that (plain http only:
/// local servers; a bounded read, short timeouts).
pub fn served_models(base_url: &str) -> Option<Vec<String>> {
    if !base_url.starts_with("http://") {
        return None;
    }
    let path = base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_default();
    let (mut stream, host) = connect(base_url, Duration::from_secs(3))?;
    let request = format!(
        "GET {}/models HTTP/1.0\r\nHost: {host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
        path.trim_end_matches('/')
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut body = Vec::new();
    stream.take(1 << 20).read_to_end(&mut body).ok()?;
    let text = String::from_utf8_lossy(&body);
    let (head, json) = text.split_once("\r\n\r\n")?;
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(json.trim()).ok()?;
    // OpenAI-compatible: {"data": [{"id": ...}]}; Ollama's native list: {"models": [...]}.
    let list = value["data"]
        .as_array()
        .or_else(|| value["models"].as_array())?;
    Some(
        list.iter()
            .filter_map(|m| m["id"].as_str().or_else(|| m["name"].as_str()))
            .map(str::to_string)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_host_and_port() {
        assert_eq!(
            host_port("http://127.0.0.1:11434/v1"),
            Some(("127.0.0.1".into(), 11434))
        );
        assert_eq!(
            host_port("https://api.openai.com/v1"),
            Some(("api.openai.com".into(), 443))
        );
        assert_eq!(
            host_port("http://[::1]:8080/v1"),
            Some(("::1".into(), 8080))
        );
    }

    #[test]
    fn ollama_host_forms() {
        assert_eq!(
            ollama_base_url("127.0.0.1:11434"),
            "http://127.0.0.1:11434/v1"
        );
        assert_eq!(ollama_base_url("0.0.0.0"), "http://127.0.0.1:11434/v1");
        assert_eq!(
            ollama_base_url("http://gpu-box:9000/"),
            "http://gpu-box:9000/v1"
        );
    }

    #[test]
    fn closed_port_is_not_up() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").ok();
        let port = listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
            .map(|a| a.port());
        drop(listener);
        assert!(!http_answers(&format!(
            "http://127.0.0.1:{}/v1",
            port.unwrap_or(9)
        )));
    }
}
