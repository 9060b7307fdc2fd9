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

/// True when something at `url`'s host and port answers HTTP (any status).
pub fn http_answers(url: &str) -> bool {
    let Some((host, port)) = host_port(url) else {
        return false;
    };
    let Some(addr) = resolve(&host, port) else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) else {
        return false;
    };
    if url.starts_with("https") {
        // A TLS server that accepts the connection is up; no handshake needed to know.
        return true;
    }
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
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
