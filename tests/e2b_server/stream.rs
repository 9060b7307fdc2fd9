//! `process.Process/Start` as envd serves it: a Connect server stream of
//! `StartResponse` messages (start, output, end), enveloped, optionally gzip, closed
//! by an end-of-stream frame; faults from [`Faults`](super::Faults) are applied here.

use super::envd::{connect_error, fields, host_path, HOME};
use super::http::{self, Request, Response};
use super::procs::{self, Event};
use super::State;
use base64::Engine as _;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// `process.Process/Start`: a server stream of `StartResponse` messages.
pub(super) async fn start(
    state: &Arc<State>,
    request: &Request,
    id: &str,
    home: &std::path::Path,
    stream: &mut TcpStream,
) {
    let refuse = |r: Response| r;
    if request.content_type() != "application/connect+json" {
        return http::write_response(
            stream,
            &refuse(Response::text(
                415,
                "Content-Type must be application/connect+json",
            )),
        )
        .await;
    }
    if request.header("connect-protocol-version") != Some("1") {
        return http::write_response(
            stream,
            &connect_error(
                400,
                "invalid_argument",
                "Connect-Protocol-Version: 1 is required",
            ),
        )
        .await;
    }
    let body = &request.body;
    if body.len() < 5
        || body[0] != 0
        || u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize != body.len() - 5
    {
        return http::write_response(
            stream,
            &connect_error(
                400,
                "invalid_argument",
                "the body must be one uncompressed envelope",
            ),
        )
        .await;
    }
    let message: Value = match serde_json::from_slice(&body[5..]) {
        Ok(m) => m,
        Err(_) => {
            return http::write_response(
                stream,
                &connect_error(400, "invalid_argument", "the message is not JSON"),
            )
            .await
        }
    };
    let checked = fields(&message, &["process", "pty", "tag", "stdin"])
        .and_then(|_| fields(&message["process"], &["cmd", "args", "envs", "cwd"]))
        .and_then(|_| {
            if message.get("pty").is_some() {
                Err("pty is not served by the test server".into())
            } else {
                Ok(())
            }
        });
    if let Err(e) = checked {
        return http::write_response(stream, &connect_error(400, "invalid_argument", &e)).await;
    }
    let p = &message["process"];
    let cmd = p["cmd"].as_str().unwrap_or_default().to_string();
    let args: Vec<String> = p["args"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    let envs = p["envs"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let cwd = p["cwd"].as_str().unwrap_or(HOME).to_string();
    if host_path(home, &cwd).is_none() {
        return http::write_response(
            stream,
            &connect_error(
                400,
                "invalid_argument",
                "cwd outside what the test server serves",
            ),
        )
        .await;
    }
    let deadline = request
        .header("connect-timeout-ms")
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis);
    let gzip = state.faults.lock().unwrap().gzip
        && request
            .header("connect-accept-encoding")
            .is_some_and(|e| e.contains("gzip"));
    let (cut_after, end_error) = {
        let mut f = state.faults.lock().unwrap();
        (f.cut_stream_after.take(), f.end_stream_error.take())
    };
    let alive = state
        .sandboxes
        .lock()
        .unwrap()
        .get(id)
        .map(|s| s.alive.subscribe());
    let spec = procs::Spec {
        sandbox: id,
        home,
        cmd: &cmd,
        args: &args,
        envs: &envs,
        cwd: &cwd,
        tag: message["tag"].as_str().map(str::to_string),
    };
    let (Some(mut alive), Ok(mut events)) = (alive, procs::spawn(state, spec)) else {
        return http::write_response(
            stream,
            &connect_error(400, "failed_precondition", "cannot start the process"),
        )
        .await;
    };
    let mut headers = vec![("Content-Type", "application/connect+json")];
    if gzip {
        headers.push(("Connect-Content-Encoding", "gzip"));
    }
    if http::write_stream_head(stream, &headers).await.is_err() {
        return;
    }
    let started = tokio::time::Instant::now();
    let mut sent = 0usize;
    let mut pid = 0;
    loop {
        let event = tokio::select! {
            e = events.recv() => e,
            _ = alive.changed() => None,
            _ = sleep_until(deadline.map(|d| started + d)) => {
                kill(state, id, pid);
                let _ = frame(stream, 2, &json!({"error": {"code": "deadline_exceeded", "message": "the call passed its deadline"}}), gzip).await;
                break;
            }
        };
        let Some(event) = event else { break };
        if cut_after == Some(sent) {
            break;
        }
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let message = match event {
            Event::Start(p) => {
                pid = p;
                json!({"event": {"start": {"pid": p}}})
            }
            Event::Stdout(b) => json!({"event": {"data": {"stdout": b64(&b)}}}),
            Event::Stderr(b) => json!({"event": {"data": {"stderr": b64(&b)}}}),
            Event::End {
                exit_code,
                exited,
                status,
            } => {
                if let Some((code, text)) = &end_error {
                    let _ = frame(
                        stream,
                        2,
                        &json!({"error": {"code": code, "message": text}}),
                        gzip,
                    )
                    .await;
                    break;
                }
                // protojson leaves out zero values.
                let mut end = json!({ "status": status });
                if exit_code != 0 {
                    end["exitCode"] = json!(exit_code);
                }
                if exited {
                    end["exited"] = json!(true);
                }
                let _ = frame(stream, 0, &json!({"event": {"end": end}}), gzip).await;
                let _ = frame(stream, 2, &json!({}), gzip).await;
                break;
            }
        };
        if frame(stream, 0, &message, gzip).await.is_err() {
            break;
        }
        sent += 1;
    }
    let _ = stream.shutdown().await;
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn kill(state: &State, id: &str, pid: u32) {
    if let Some(s) = state.sandboxes.lock().unwrap().get(id) {
        if let Some(h) = s.procs.get(&pid) {
            h.kill();
        }
    }
}

async fn frame(
    stream: &mut TcpStream,
    flags: u8,
    message: &Value,
    gzip: bool,
) -> std::io::Result<()> {
    let mut data = message.to_string().into_bytes();
    let mut flags = flags;
    if gzip {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&data)?;
        data = e.finish()?;
        flags |= 1;
    }
    let mut out = vec![flags];
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(&data);
    stream.write_all(&out).await
}
