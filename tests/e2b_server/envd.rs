//! envd behind the proxy: spec/envd/envd.yaml (`/files`, `/health`) and the Connect
//! services of process.proto (Start, SendSignal) and filesystem.proto (Stat,
//! ListDir, MakeDir, Remove), with protobuf's JSON mapping: unknown fields are
//! errors, as with the default protojson unmarshal.

use super::http::{self, Request, Response};
use super::State;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

pub(super) const HOME: &str = "/home/user";

pub(super) fn connect_error(status: u16, code: &str, message: &str) -> Response {
    Response::json(status, &json!({ "code": code, "message": message }))
}

fn files_error(status: u16, message: &str) -> Response {
    Response::json(status, &json!({ "code": status, "message": message }))
}

/// The sandbox and port a request is for: the `PORT-ID.DOMAIN` host (E2B's edge),
/// else the proxy's `E2b-Sandbox-Id`/`E2b-Sandbox-Port` headers; when both are
/// there they must agree.
fn route(request: &Request) -> Result<(String, u16), Response> {
    let by_header = match request.header("e2b-sandbox-id") {
        None => None,
        Some(id) => match request
            .header("e2b-sandbox-port")
            .and_then(|p| p.parse().ok())
        {
            Some(port) => Some((id.to_string(), port)),
            None => {
                return Err(Response::text(
                    400,
                    "E2b-Sandbox-Port is missing or not a port",
                ))
            }
        },
    };
    let host = request.header("host").unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    let first = host.split('.').next().unwrap_or_default();
    let by_host = match first.split_once('-').map(|(p, id)| (p.parse::<u16>(), id)) {
        Some((Ok(port), id)) if host.ends_with(&format!(".{}", super::DOMAIN)) => {
            Some((id.to_string(), port))
        }
        _ => None,
    };
    match (by_host, by_header) {
        (Some(h), Some(x)) if h != x => Err(Response::text(
            400,
            "the host and the E2b-Sandbox headers disagree",
        )),
        (Some(h), _) => {
            ROUTED_BY_HOST.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(h)
        }
        (None, Some(x)) => Ok(x),
        (None, None) => Err(Response::text(
            400,
            "no sandbox named (E2b-Sandbox-Id or host)",
        )),
    }
}

/// Requests routed by their host name (per-sandbox addressing), for tests.
pub static ROUTED_BY_HOST: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Traffic for an app's port: passed to the port on the sandbox's loopback (its own
/// network's, or the host's), as E2B's edge proxy does.
async fn app_traffic(
    state: &State,
    request: &Request,
    id: &str,
    port: u16,
    stream: &mut TcpStream,
) {
    let found = state
        .sandboxes
        .lock()
        .unwrap()
        .get(id)
        .map(|sandbox| sandbox.netns.clone());
    let Some(netns) = found else {
        return http::write_response(stream, &Response::text(502, "The sandbox was not found"))
            .await;
    };
    let app = match netns {
        Some(netns) => netns.connect(port).await,
        None => TcpStream::connect(("127.0.0.1", port)).await,
    };
    let Ok(mut app) = app else {
        return http::write_response(stream, &Response::text(502, "nothing listens on that port"))
            .await;
    };
    let query: Vec<String> = request
        .query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let target = if query.is_empty() {
        request.path.clone()
    } else {
        format!("{}?{}", request.path, query.join("&"))
    };
    // The Host goes on as the client sent it, as E2B's edge passes it: an app that
    // checks a WebSocket's Origin against it (Streamlit) sees the two agree.
    let host = request
        .header("host")
        .map_or_else(|| format!("127.0.0.1:{port}"), str::to_string);
    let mut head = format!("{} {target} HTTP/1.1\r\nHost: {host}\r\n", request.method);
    for (name, value) in &request.headers {
        if name.starts_with("e2b-")
            || ["host", "connection", "content-length"].contains(&name.as_str())
        {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // A WebSocket (Streamlit's page talks over one) is carried both ways, as E2B's
    // edge does; any other request is one exchange.
    let upgrade = request.headers.iter().any(|(name, _)| name == "upgrade");
    let connection = if upgrade { "Upgrade" } else { "close" };
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: {connection}\r\n\r\n",
        request.body.len()
    ));
    if app.write_all(head.as_bytes()).await.is_err() || app.write_all(&request.body).await.is_err()
    {
        return;
    }
    if upgrade {
        let _ = tokio::io::copy_bidirectional(&mut app, stream).await;
    } else {
        let _ = tokio::io::copy(&mut app, stream).await;
    }
    let _ = stream.shutdown().await;
}

pub async fn handle(state: &Arc<State>, request: Request, mut stream: TcpStream) {
    if let Ok((id, port)) = route(&request) {
        if port != 49983 {
            return app_traffic(state, &request, &id, port, &mut stream).await;
        }
    }
    let answer = match prepare(state, &request) {
        Err(answer) => answer,
        // Off the server's workers: a file that blocks on open (a FIFO a sandbox
        // planted) holds its own request, as in envd, and nothing else.
        Ok((_, home)) if request.path == "/files" => {
            tokio::task::spawn_blocking(move || files(&request, &home))
                .await
                .unwrap_or_else(|_| files_error(500, "the file handler failed"))
        }
        Ok((id, home)) => match request.path.as_str() {
            "/health" => Response::empty(204),
            "/process.Process/Start" => {
                return super::stream::start(state, &request, &id, &home, &mut stream).await;
            }
            path => match path.strip_prefix('/') {
                Some(method) => unary(state, &request, &id, &home, method),
                None => Response::text(404, "not found"),
            },
        },
    };
    http::write_response(&mut stream, &answer).await;
}

/// Routes and authenticates: the sandbox exists, the access token (sandboxes created
/// `secure`) and the user (Basic auth, empty password) are right.
fn prepare(state: &State, request: &Request) -> Result<(String, PathBuf), Response> {
    let (id, _) = route(request)?;
    let map = state.sandboxes.lock().unwrap();
    let Some(sandbox) = map.get(&id) else {
        return Err(Response::text(
            404,
            &format!("The sandbox {id} was not found"),
        ));
    };
    let is_files = request.path == "/files";
    if let Some(token) = &sandbox.token {
        if request.header("x-access-token") != Some(token.as_str()) {
            return Err(if is_files {
                files_error(401, "invalid access token")
            } else {
                connect_error(401, "unauthenticated", "invalid access token")
            });
        }
    }
    if let Some(auth) = request.header("authorization") {
        let user = auth
            .strip_prefix("Basic ")
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
        if user.as_deref() != Some(b"user:".as_slice()) {
            return Err(if is_files {
                files_error(401, "unknown user")
            } else {
                connect_error(401, "unauthenticated", "unknown user")
            });
        }
    }
    Ok((id, sandbox.home.clone()))
}

/// The host path of a sandbox path (absolute under /home/user, or relative to it).
pub(super) fn host_path(home: &std::path::Path, path: &str) -> Option<PathBuf> {
    let rel = if path == HOME {
        ""
    } else if let Some(rest) = path.strip_prefix("/home/user/") {
        rest
    } else if path.starts_with('/') {
        return None;
    } else {
        path
    };
    if rel.split('/').any(|p| p == "..") {
        return None;
    }
    Some(home.join(rel))
}

fn files(request: &Request, home: &std::path::Path) -> Response {
    for (name, _) in &request.query {
        if !["path", "username", "signature", "signature_expiration"].contains(&name.as_str()) {
            return files_error(400, &format!("unknown query parameter {name}"));
        }
    }
    if request.param("username").is_some_and(|u| u != "user") {
        return files_error(401, "error looking up user");
    }
    let Some(path) = request.param("path") else {
        return files_error(400, "path is required here");
    };
    let Some(host) = host_path(home, path) else {
        return files_error(
            400,
            &format!("path '{path}' is outside what the test server serves"),
        );
    };
    match request.method.as_str() {
        "GET" => match std::fs::metadata(&host) {
            Ok(m) if m.is_dir() => files_error(400, &format!("path '{path}' is a directory")),
            Ok(_) => Response {
                status: 200,
                headers: vec![("Content-Type".into(), "application/octet-stream".into())],
                body: std::fs::read(&host).unwrap_or_default(),
            },
            Err(_) => files_error(404, &format!("path '{path}' does not exist")),
        },
        "POST" => {
            match request.content_type().as_str() {
                "application/octet-stream" => {}
                "multipart/form-data" => {
                    return files_error(400, "the test server takes application/octet-stream only")
                }
                _ => {
                    return files_error(
                        400,
                        "Content-Type must be multipart/form-data or application/octet-stream",
                    )
                }
            }
            if let Some(parent) = host.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if let Err(e) = std::fs::write(&host, &request.body) {
                return files_error(500, &format!("error writing '{path}': {e}"));
            }
            let name = path.rsplit('/').next().unwrap_or_default();
            Response::json(
                200,
                &json!([{ "path": path, "name": name, "type": "file" }]),
            )
        }
        _ => files_error(405, "GET or POST"),
    }
}

/// Checks a JSON message against the fields of its proto message (JSON and proto
/// names both accepted, as protojson does).
pub(super) fn fields(message: &Value, allowed: &[&str]) -> Result<(), String> {
    let Some(map) = message.as_object() else {
        return Err("the message is not a JSON object".into());
    };
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("unknown field \"{k}\"")),
        None => Ok(()),
    }
}

fn string_field(map: &Map<String, Value>, name: &str) -> Result<String, String> {
    match map.get(name) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

fn unary(
    state: &State,
    request: &Request,
    id: &str,
    home: &std::path::Path,
    method: &str,
) -> Response {
    if request.method != "POST" {
        return Response::text(405, "Connect unary calls are POSTs");
    }
    if request.content_type() != "application/json" {
        return Response::text(415, "Content-Type must be application/json");
    }
    if request.header("connect-protocol-version") != Some("1") {
        return connect_error(
            400,
            "invalid_argument",
            "Connect-Protocol-Version: 1 is required",
        );
    }
    let Ok(message) = serde_json::from_slice::<Value>(&request.body) else {
        return connect_error(400, "invalid_argument", "the body is not JSON");
    };
    let bad = |m: String| connect_error(400, "invalid_argument", &m);
    let path_of = |allowed: &[&str]| -> Result<(String, PathBuf), Response> {
        fields(&message, allowed).map_err(bad)?;
        let path = string_field(message.as_object().unwrap(), "path").map_err(bad)?;
        let host = host_path(home, &path).ok_or_else(|| {
            connect_error(
                403,
                "permission_denied",
                "outside what the test server serves",
            )
        })?;
        Ok((path, host))
    };
    match method {
        "filesystem.Filesystem/Stat" => match path_of(&["path"]) {
            Err(e) => e,
            Ok((path, host)) => match entry(&path, &host) {
                Some(e) => Response::json(200, &json!({ "entry": e })),
                None => connect_error(404, "not_found", &format!("path '{path}' does not exist")),
            },
        },
        "filesystem.Filesystem/ListDir" => {
            let depth = message
                .get("depth")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1);
            match path_of(&["path", "depth"]) {
                Err(e) => e,
                Ok((path, host)) => match std::fs::symlink_metadata(&host) {
                    Err(_) => {
                        connect_error(404, "not_found", &format!("path '{path}' does not exist"))
                    }
                    Ok(m) if !m.is_dir() => connect_error(
                        400,
                        "invalid_argument",
                        &format!("path '{path}' is not a directory"),
                    ),
                    Ok(_) => {
                        let mut entries = Vec::new();
                        walk(&path, &host, depth, &mut entries);
                        Response::json(200, &json!({ "entries": entries }))
                    }
                },
            }
        }
        "filesystem.Filesystem/MakeDir" => match path_of(&["path"]) {
            Err(e) => e,
            Ok((path, host)) if host.exists() => {
                connect_error(409, "already_exists", &format!("'{path}' exists"))
            }
            Ok((path, host)) => {
                let _ = std::fs::create_dir_all(&host);
                Response::json(200, &json!({ "entry": entry(&path, &host) }))
            }
        },
        "filesystem.Filesystem/Remove" => match path_of(&["path"]) {
            Err(e) => e,
            Ok((path, host)) => match std::fs::symlink_metadata(&host) {
                Err(_) => connect_error(404, "not_found", &format!("path '{path}' does not exist")),
                Ok(m) => {
                    let _ = if m.is_dir() {
                        std::fs::remove_dir_all(&host)
                    } else {
                        std::fs::remove_file(&host)
                    };
                    Response::json(200, &json!({}))
                }
            },
        },
        "process.Process/SendSignal" => signal(state, id, &message),
        _ => connect_error(
            404,
            "unimplemented",
            &format!("{method} is not served by the test server"),
        ),
    }
}

fn signal(state: &State, id: &str, message: &Value) -> Response {
    if let Err(e) = fields(message, &["process", "signal"]) {
        return connect_error(400, "invalid_argument", &e);
    }
    let signal = &message["signal"];
    if !(signal == "SIGNAL_SIGKILL" || signal == "SIGNAL_SIGTERM" || signal == 9 || signal == 15) {
        return connect_error(
            400,
            "invalid_argument",
            "signal must be SIGNAL_SIGKILL or SIGNAL_SIGTERM",
        );
    }
    let selector = &message["process"];
    if let Err(e) = fields(selector, &["pid", "tag"]) {
        return connect_error(400, "invalid_argument", &e);
    }
    let map = state.sandboxes.lock().unwrap();
    let Some(sandbox) = map.get(id) else {
        return Response::text(404, "The sandbox was not found");
    };
    let found = sandbox.procs.iter().find(|(pid, h)| {
        selector["pid"].as_u64() == Some(u64::from(**pid))
            || (selector["tag"].is_string() && h.tag.as_deref() == selector["tag"].as_str())
    });
    match found {
        Some((_, handle)) => {
            handle.kill();
            Response::json(200, &json!({}))
        }
        None => connect_error(404, "not_found", "no such process"),
    }
}

/// An `EntryInfo` in protobuf JSON (int64 `size` as a string, enum names).
fn entry(path: &str, host: &std::path::Path) -> Option<Value> {
    let m = std::fs::symlink_metadata(host).ok()?;
    let kind = if m.file_type().is_symlink() {
        "FILE_TYPE_SYMLINK"
    } else if m.is_dir() {
        "FILE_TYPE_DIRECTORY"
    } else {
        "FILE_TYPE_FILE"
    };
    let name = path.rsplit('/').next().unwrap_or_default();
    Some(
        json!({ "name": name, "type": kind, "path": path, "size": m.len().to_string(), "owner": "user", "group": "user" }),
    )
}

fn walk(path: &str, host: &std::path::Path, depth: u64, out: &mut Vec<Value>) {
    let Ok(dir) = std::fs::read_dir(host) else {
        return;
    };
    for item in dir.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        let child = format!("{}/{name}", path.trim_end_matches('/'));
        if let Some(e) = entry(&child, &item.path()) {
            let is_dir = e["type"] == "FILE_TYPE_DIRECTORY";
            out.push(e);
            if is_dir && depth > 1 {
                walk(&child, &item.path(), depth - 1, out);
            }
        }
    }
}
