//! The Docker engine as the user points at it. `DOCKER_HOST` is honoured, never
//! silently ignored: a tcp:// engine address is used (proved by a forwarder on a
//! loopback port that counts the connections it relays to the engine), the messages
//! name the engine used, and a scheme this build cannot speak is refused in words,
//! with `auto` never falling back to the local backend. A base image that cannot be
//! pulled (a sealed network) fails in words with how to fix it.
//!
//! Needs a Docker Engine on the local socket; under CI=true (or
//! CODINGIT_TEST_DOCKER=1) its absence fails the test.

use crate::support::containment::World;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const SOCKET: &str = "/var/run/docker.sock";

/// Relays every connection on 127.0.0.1:PORT to the engine's unix socket; returns the
/// port and the number of connections relayed so far.
fn forwarder() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(engine) = UnixStream::connect(SOCKET) else {
                continue;
            };
            seen.fetch_add(1, Ordering::SeqCst);
            let (mut client_in, mut engine_out) =
                (client.try_clone().unwrap(), engine.try_clone().unwrap());
            std::thread::spawn(move || pipe(&mut client_in, &mut engine_out));
            let (mut engine_in, mut client_out) = (engine, client);
            std::thread::spawn(move || pipe_back(&mut engine_in, &mut client_out));
        }
    });
    (port, count)
}

fn pipe(from: &mut TcpStream, to: &mut UnixStream) {
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

fn pipe_back(from: &mut UnixStream, to: &mut TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

#[test]
fn a_tcp_docker_host_is_the_engine_used() {
    let _solo = crate::support::solo("docker_host");
    let w = World::new("docker");
    if !std::path::Path::new(SOCKET).exists() {
        assert!(!w.required(), "no Docker Engine at {SOCKET}");
        eprintln!("note: skipping, no Docker Engine at {SOCKET}");
        return;
    }
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let (port, relayed) = forwarder();
    let host = format!("tcp://127.0.0.1:{port}");
    let out = w
        .cmd()
        .env("DOCKER_HOST", &host)
        .args(["run", "-", "--backend", "auto"])
        .write_stdin("print(6 * 7)\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
    assert!(
        stderr.contains(&format!("sandbox backend: docker at {host}")),
        "the message names the engine used: {stderr}"
    );
    assert!(
        relayed.load(Ordering::SeqCst) > 0,
        "nothing went through {host}"
    );
    w.assert_nothing_left();
}

#[test]
fn a_docker_host_this_build_cannot_use_is_refused_not_replaced() {
    let _solo = crate::support::solo("docker_host");
    let w = World::new("local");
    for (host, why) in [
        (
            "ssh://user@example.invalid",
            "ssh:// scheme is not supported",
        ),
        ("127.0.0.1:2375", "no scheme"),
    ] {
        let out = w
            .cmd()
            .env("DOCKER_HOST", host)
            .args(["run", "-", "--backend", "auto"])
            .write_stdin("print('ran')\n")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "ran anyway: {stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("ran"));
        assert!(
            stderr.contains(why) && stderr.contains("how to fix"),
            "{stderr}"
        );
    }
    // TLS is refused too, rather than spoken in plain text.
    let out = w
        .cmd()
        .env("DOCKER_HOST", "tcp://127.0.0.1:9")
        .env("DOCKER_TLS_VERIFY", "1")
        .args(["run", "-", "--backend", "docker"])
        .write_stdin("print('ran')\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DOCKER_TLS_VERIFY"), "{stderr}");
}

/// A sealed network: the base image is not on the engine and cannot be pulled. The
/// build fails in words (what happened, how to fix it, no raw escapes), naming the
/// settings that help.
#[test]
fn a_base_image_that_cannot_be_pulled_says_how_to_fix_it() {
    let _solo = crate::support::solo("docker_host");
    let w = World::new("docker");
    if !std::path::Path::new(SOCKET).exists() {
        assert!(!w.required(), "no Docker Engine at {SOCKET}");
        return;
    }
    let config = w.dir.path().join("config/config.toml");
    std::fs::write(
        &config,
        "[sandbox]\nbase_image = \"codingit-test/not-on-this-engine:none\"\n",
    )
    .unwrap();
    let out = w
        .cmd()
        .args([
            "templates",
            "build",
            "code-interpreter-v1",
            "--backend",
            "docker",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("how to fix"), "{stderr}");
    assert!(stderr.contains("sandbox.base_image"), "{stderr}");
    assert!(
        stderr.contains("`codingit-test/not-on-this-engine:none`"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "raw escapes: {stderr:?}");
}

/// With the engine down, a sandbox that is not found is not simply "no sandbox": the
/// message says Docker's sandboxes were not searched, and how to fix it.
#[test]
fn not_found_with_the_engine_down_says_docker_was_not_searched() {
    let _solo = crate::support::solo("docker_host");
    let w = World::new("local");
    let out = w
        .cmd()
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(["sandbox", "kill", "cdg-not-there"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("Docker sandboxes were not searched"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unix:///nonexistent/docker.sock"),
        "{stderr}"
    );
}
