//! `codingit run` on the Docker backend: the shared suite (`run_tests!`), and what only
//! Docker has: a second run claims a hardened warm-pool container, and a detached
//! sandbox expires by itself after codingit is killed.

use crate::support::containment::World;
use std::time::{Duration, Instant};

const BACKEND: &str = "docker";

run_tests!("docker", interpreter: "run_docker", web: "run_docker_web");

/// Runs that start sandboxes one at a time (the detached expiry watches the engine).
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Inside the sandbox: uid, capabilities, no_new_privs, read-only root, network.
const CONFINEMENT_PROBE: &str = r#"import os, socket
status = open('/proc/self/status').read()
caps = [l.split()[1] for l in status.splitlines() if l.startswith(('CapEff', 'CapPrm', 'CapBnd'))]
nnp = [l.split()[1] for l in status.splitlines() if l.startswith('NoNewPrivs')]
try:
    open('/usr/x', 'w'); root = 'writable'
except OSError:
    root = 'read-only'
try:
    socket.create_connection(('1.1.1.1', 53), timeout=2); net = 'open'
except OSError:
    net = 'none'
print(os.getuid(), os.getgid(), ','.join(caps), nnp[0], root, net)
"#;

#[test]
fn second_run_claims_a_hardened_pooled_container() {
    let _solo = crate::support::solo("run_docker");
    let w = World::new(BACKEND);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let run = |code: &str| -> serde_json::Value {
        let out = w
            .cmd()
            .args(["run", "-", "--backend", BACKEND, "--json"])
            .write_stdin(code)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let expected =
        "1000 1000 0000000000000000,0000000000000000,0000000000000000 1 read-only none\n";

    // A cold machine (nothing pooled in this namespace): created the usual way, and
    // a pool is left behind for the next run.
    let first = run(CONFINEMENT_PROBE);
    assert_eq!(first["pooled"], false, "{first}");
    assert_eq!(first["stdout"], expected, "{first}");
    assert!(w.wait_pool_helpers());
    let pool = w.pool_containers();
    assert_eq!(pool.len(), 1, "one pool container expected: {pool:?}");
    // Unclaimed pool containers are no sandboxes.
    let ls = w
        .cmd()
        .args(["sandbox", "ls", "--json", "--backend", BACKEND])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&ls.stdout).unwrap_or_default();
    assert!(
        !String::from_utf8_lossy(&ls.stdout).contains("sbx-"),
        "pool container listed: {listed}"
    );

    // The pool container has every hardening option of a sandbox.
    let inspect = std::process::Command::new("docker")
        .args(["inspect", &pool[0]])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
    let c = &v[0];
    let host = &c["HostConfig"];
    assert_eq!(host["ReadonlyRootfs"], true);
    assert_eq!(host["NetworkMode"], "none");
    assert_eq!(host["CapDrop"], serde_json::json!(["ALL"]));
    assert_eq!(
        host["SecurityOpt"],
        serde_json::json!(["no-new-privileges:true"])
    );
    assert_eq!(host["Privileged"], false);
    assert_eq!(host["Init"], true);
    assert_eq!(host["PidsLimit"], 256);
    assert_eq!(host["Memory"], 1u64 << 30);
    assert_eq!(host["MemorySwap"], 1u64 << 30);
    assert_eq!(host["NanoCpus"], 1_000_000_000u64);
    assert!(host["PortBindings"]
        .as_object()
        .is_none_or(|p| p.is_empty()));
    assert_eq!(c["Config"]["User"], "1000:1000");
    let labels = &c["Config"]["Labels"];
    assert_eq!(labels["dev.codingit.tool"], "codingit");
    assert_eq!(labels["dev.codingit.namespace"], w.namespace().as_str());
    assert_eq!(labels["dev.codingit.network"], "false");
    assert!(labels["dev.codingit.pool"].is_string());
    let expires: u64 = labels["dev.codingit.expires"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(expires <= unix_now() + 600, "pool expiry {expires}");

    // The next run claims it, and it confines exactly like a fresh sandbox.
    let pooled_id = pool[0].trim_start_matches("codingit-pool-");
    let second = run(CONFINEMENT_PROBE);
    assert_eq!(second["pooled"], true, "{second}");
    assert_eq!(second["sandbox_id"], pooled_id, "{second}");
    assert_eq!(second["stdout"], expected, "{second}");
    assert!(w.wait_pool_helpers());
    let refilled = w.pool_containers();
    assert_eq!(refilled.len(), 1, "the pool was not refilled: {refilled:?}");
    assert_ne!(refilled[0], pool[0]);

    // Turned off: no claim, no pool left behind.
    w.drain_pool();
    std::fs::write(
        w.dir.path().join("config/config.toml"),
        std::fs::read_to_string(w.dir.path().join("config/config.toml")).unwrap() + "pool = 0\n",
    )
    .unwrap();
    let third = run("print(3)\n");
    assert_eq!(third["pooled"], false, "{third}");
    assert_eq!(third["stdout"], "3\n");
    assert!(w.wait_pool_helpers());
    assert!(w.pool_containers().is_empty());
    w.assert_nothing_left();
}

/// `docker inspect` of this world's sandbox containers: (name, state, expires label).
fn containers(w: &World) -> Vec<(String, String, u64)> {
    let out = std::process::Command::new("docker")
        .args(["ps", "-a", "--filter"])
        .arg(format!("label=dev.codingit.namespace={}", w.namespace()))
        .args([
            "--format",
            "{{.Names}} {{.State}} {{.Label \"dev.codingit.expires\"}}",
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            Some((
                parts.next()?.to_string(),
                parts.next()?.to_string(),
                parts.next()?.parse().ok()?,
            ))
        })
        .collect()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn detached_sandbox_expires_after_codingit_is_killed() {
    let _solo = crate::support::solo("run_docker");
    let _serial = serial();
    let w = World::new(BACKEND);
    if !w.ready("streamlit-developer") {
        return;
    }
    let dir = w.project(
        "streamlit-developer",
        "app.py",
        "import streamlit as st\nst.title('expiring')\n",
        Some(8501),
    );
    let mut child = w
        .spawn_cmd()
        .args(["run", dir.to_str().unwrap(), "--backend", BACKEND])
        .args(["--detach", "--timeout", "5s"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // As soon as its container runs, codingit is killed without a chance to clean up
    // (a container killed before it started is reaped 60 s after its creation).
    let deadline = Instant::now() + Duration::from_secs(60);
    let (name, expires) = loop {
        if let Some((name, _, expires)) = containers(&w)
            .into_iter()
            .find(|(_, state, _)| state == "running")
        {
            break (name, expires);
        }
        assert!(Instant::now() < deadline, "no sandbox container appeared");
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = child.kill(); // SIGKILL (a no-op when it already finished detached)
    let _ = child.wait();
    let created = unix_now();
    assert!(
        expires <= created + 6,
        "expiry label {expires} is not about 5 s after creation ({created})"
    );
    // No codingit process of this world is left to stop the container.
    let marker = w.dir.path().display().to_string();
    assert!(
        !crate::support::process_lines()
            .iter()
            .any(|l| l.contains("codingit") && l.contains(&marker)),
        "a codingit process is still running"
    );
    // The container stops by itself once its expiry passed (the lifetime loop).
    let deadline = Instant::now() + Duration::from_secs(30);
    let state = loop {
        let state = containers(&w)
            .into_iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, s, _)| s)
            .unwrap_or_default();
        if state != "running" || Instant::now() > deadline {
            break state;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let stopped_at = unix_now();
    assert_eq!(state, "exited", "{name} did not stop by itself");
    assert!(
        stopped_at >= expires,
        "stopped before its expiry ({stopped_at} < {expires})"
    );
    assert!(
        stopped_at <= expires + 5,
        "stopped {}s after its expiry",
        stopped_at - expires
    );
    eprintln!(
        "[lifecycle] {name} stopped {}s after its expiry",
        stopped_at - expires
    );
    // The next invocation removes it.
    let out = w.cmd().args(["sandbox", "ls", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed}");
    assert!(
        containers(&w).is_empty(),
        "not reaped: {:?}",
        containers(&w)
    );
    w.assert_nothing_left();
}
