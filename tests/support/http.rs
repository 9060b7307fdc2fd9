//! A plain HTTP GET for the tests that read an app's preview: the response as the
//! server sent it, no client library in between.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Sends `GET` for `url` (`http://host[:port]/path`) and reads the whole response,
/// waiting up to `patience` for each read; an error only when the request could not
/// be sent. The request goes to `connect` when given (a proxy that routes on the
/// host name, as E2B's edge does), else to the URL's host.
fn exchange(url: &str, connect: Option<&str>, patience: Duration) -> std::io::Result<String> {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut s = TcpStream::connect(connect.unwrap_or(host))?;
    s.set_read_timeout(Some(patience))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    let _ = s.read_to_end(&mut response);
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn status_of(response: &str) -> Option<u16> {
    response.get(9..12)?.parse().ok()
}

/// (status, whole response) of `GET url` on a server that must be there (a panic
/// when nothing answers); status 0 when the response has no status line.
pub fn get(url: &str, patience: Duration) -> (u16, String) {
    get_via(url, None, patience)
}

/// [`get`], sent to `connect` (when given) instead of the URL's host.
pub fn get_via(url: &str, connect: Option<&str>, patience: Duration) -> (u16, String) {
    let response = exchange(url, connect, patience).unwrap_or_else(|e| panic!("GET {url}: {e}"));
    (status_of(&response).unwrap_or(0), response)
}

/// (status, whole response) of `GET url`, or None when nothing answers with a status.
pub fn try_get(url: &str, patience: Duration) -> Option<(u16, String)> {
    try_get_via(url, None, patience)
}

/// [`try_get`], sent to `connect` (when given) instead of the URL's host.
pub fn try_get_via(url: &str, connect: Option<&str>, patience: Duration) -> Option<(u16, String)> {
    let response = exchange(url, connect, patience).ok()?;
    Some((status_of(&response)?, response))
}
