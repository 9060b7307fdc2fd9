//! The preview relay of a web app in its own network namespace.
//!
//! A web template's app runs inside bubblewrap's empty network namespace (only its
//! loopback), so binding 0.0.0.0 exposes it to nothing. `codingit __sandbox-relay
//! PID PORT` (its own session, recorded with the sandbox's process groups, so it
//! dies with the sandbox) binds the host's `127.0.0.1:PORT` first, then moves into
//! the network namespace of process PID (for a codingit that is not root, through
//! the user namespace bubblewrap made, which it owns), and relays each accepted
//! connection to `127.0.0.1:PORT` inside. The listener was made before the move,
//! so it stays in the host's namespace; every socket made after it is inside.
//! Compared with the Docker backend's tunnel, no engine stream is needed: the
//! kernel lets the sandbox's owner enter its namespace.

use rustix::thread::LinkNameSpaceType;
use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// The hidden first argument of the relay.
pub const RELAY_ARG: &str = "__sandbox-relay";

/// How long a connection waits for the app to listen (Next.js compiles first).
const APP_PATIENCE: Duration = Duration::from_secs(60);

/// Runs the relay; returns only on failure (or when the namespace's process ends).
pub fn run(pid: Option<&String>, port: Option<&String>) -> Result<(), String> {
    let pid: i32 = pid
        .and_then(|p| p.parse().ok())
        .ok_or("usage: __sandbox-relay PID PORT")?;
    let port: u16 = port
        .and_then(|p| p.parse().ok())
        .ok_or("usage: __sandbox-relay PID PORT")?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    enter_namespace(pid)?;
    // The parent waits for this line before it reports the preview.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "ready").and_then(|()| out.flush());
    std::thread::spawn(move || loop {
        // The namespace lives as long as its first process.
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            std::process::exit(0);
        }
        std::thread::sleep(Duration::from_secs(1));
    });
    for client in listener.incoming() {
        let Ok(client) = client else { continue };
        std::thread::spawn(move || relay(client, port));
    }
    Ok(())
}

/// Moves this (still single-threaded) process into the network namespace of `pid`;
/// first into its user namespace when codingit is not root.
fn enter_namespace(pid: i32) -> Result<(), String> {
    let open = |kind: &str| {
        std::fs::File::open(format!("/proc/{pid}/ns/{kind}"))
            .map_err(|e| format!("cannot open the sandbox's {kind} namespace: {e}"))
    };
    let net = open("net")?;
    if !rustix::process::geteuid().is_root() {
        let user = open("user")?;
        rustix::thread::move_into_link_name_space(
            std::os::fd::AsFd::as_fd(&user),
            Some(LinkNameSpaceType::User),
        )
        .map_err(|e| format!("cannot enter the sandbox's user namespace: {e}"))?;
    }
    rustix::thread::move_into_link_name_space(
        std::os::fd::AsFd::as_fd(&net),
        Some(LinkNameSpaceType::Network),
    )
    .map_err(|e| format!("cannot enter the sandbox's network namespace: {e}"))
}

fn relay(client: TcpStream, port: u16) {
    let deadline = Instant::now() + APP_PATIENCE;
    let app = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(app) => break app,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(_) => return,
        }
    };
    let (Ok(mut client_r), Ok(mut app_w)) = (client.try_clone(), app.try_clone()) else {
        return;
    };
    let upstream = std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_r, &mut app_w);
        let _ = app_w.shutdown(Shutdown::Write);
    });
    let (mut app_r, mut client_w) = (app, client);
    let _ = std::io::copy(&mut app_r, &mut client_w);
    let _ = client_w.shutdown(Shutdown::Write);
    let _ = upstream.join();
}

/// The first process of `parent`'s children that is in another network namespace
/// than this process (bubblewrap's sandbox side), waiting up to `patience`.
pub fn namespace_process(parent: i32, patience: Duration) -> Option<i32> {
    let ours = std::fs::read_link("/proc/self/ns/net").ok()?;
    let deadline = Instant::now() + patience;
    loop {
        let mut candidates = vec![parent];
        let children = std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children"))
            .unwrap_or_default();
        candidates.extend(
            children
                .split_whitespace()
                .filter_map(|c| c.parse::<i32>().ok()),
        );
        for pid in candidates {
            if let Ok(ns) = std::fs::read_link(format!("/proc/{pid}/ns/net")) {
                if ns != ours {
                    return Some(pid);
                }
            }
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
