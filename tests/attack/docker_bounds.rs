//! Attacks on the Docker backend's bounds (issue 9, "also fix"): a home that fills
//! the engine's disk, `--network` without a usable network, a silent OOM kill, a
//! killed codingit whose sandbox lives on, warm-pool containers that survive
//! `kill --all`, limits that turn into "unlimited", and `extend` by a huge duration.
//! Each checks the host or the engine, not only what codingit says. Needs a Docker
//! Engine: CI=true (or CODINGIT_TEST_DOCKER=1) makes a missing one fail.

use crate::support::containment::World;
use codingit::sandbox::{Backend, ExecOutcome, ExecRequest, OutputChunk};
use std::collections::HashSet;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const DOCKER: &str = "docker";

/// Backend-level tests share one namespace (set for this process); the CLI ones
/// each have their world's.
fn namespace() -> String {
    let ns = format!("codingit-attack-{}", std::process::id());
    std::env::set_var("CODINGIT_SANDBOX_NAMESPACE", &ns);
    ns
}

/// Free bytes on the engine's disk, when the engine is local (else `None`).
fn engine_disk_free() -> Option<u64> {
    let out = std::process::Command::new("docker")
        .args(["info", "--format", "{{.DockerRootDir}}"])
        .output()
        .ok()?;
    let root = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let df = std::process::Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(&root)
        .output()
        .ok()?;
    String::from_utf8_lossy(&df.stdout)
        .lines()
        .nth(1)?
        .trim()
        .parse()
        .ok()
}

/// IDs of every container of `world`'s namespace, in any state.
fn container_ids(world: &World) -> HashSet<String> {
    let out = std::process::Command::new("docker")
        .args(["ps", "-aq", "--no-trunc", "--filter"])
        .arg(format!(
            "label=dev.codingit.namespace={}",
            world.namespace()
        ))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn writing_past_the_home_size_fails_inside_and_spares_the_engine_disk() {
    let _solo = crate::support::solo("attack_docker");
    let w = World::new(DOCKER);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let before = engine_disk_free();
    // 3 GiB of memory, so the home's 1 GiB (its default size) is what stops the
    // writer; the old disk-backed home took 3.8 GiB and more.
    let code = "import os\nn = 0\ntry:\n    with open('fill', 'wb') as f:\n        \
                while n < 4096:\n            f.write(b'x' * (1 << 20)); f.flush(); n += 1\n\
                except OSError as e:\n    print('stopped', n, e.errno)\n\
                os.remove('fill')\nprint('done', n)\n";
    let during = std::thread::spawn(|| {
        // The lowest free space seen while the writer runs.
        let mut lowest = u64::MAX;
        let until = Instant::now() + Duration::from_secs(8);
        while Instant::now() < until {
            if let Some(free) = engine_disk_free() {
                lowest = lowest.min(free);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        lowest
    });
    let (status, stdout, stderr, _) = w.snippet(code, &["--memory", "3g", "--timeout", "60s"]);
    let lowest = during.join().unwrap();
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(stdout.contains("stopped"), "the home took 4 GiB: {stdout}");
    assert!(stdout.contains(" 28\n"), "not ENOSPC: {stdout}");
    let written: u64 = stdout
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(written <= 1024, "{written} MiB written into a 1 GiB home");
    if let (Some(before), true) = (before, lowest != u64::MAX) {
        let used = before.saturating_sub(lowest);
        eprintln!("[home] {written} MiB written; engine disk used meanwhile: {used} bytes");
        // Other work shares the disk (builds, other tests' images): allow it 600 MiB,
        // still well below the 1 GiB a disk-backed home would have taken.
        assert!(used < 600 << 20, "the engine's disk lost {used} bytes");
    }
    w.assert_nothing_left();
}

#[test]
fn network_without_a_usable_engine_network_is_an_error_never_loopback_or_host() {
    let _solo = crate::support::solo("attack_docker");
    let w = World::new(DOCKER);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let has_bridge = std::process::Command::new("docker")
        .args(["network", "inspect", "bridge"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    let code = "import socket\nprint('RAN', socket.gethostbyname(socket.gethostname()))\n\
                print('IFACES', open('/proc/net/dev').read().count(':'))\n";
    let (status, stdout, stderr, _) = w.snippet(code, &["--network"]);
    if has_bridge {
        // An engine with a bridge: the sandbox has an interface besides loopback.
        assert_eq!(status, 0, "{stdout}{stderr}");
        assert!(stdout.contains("IFACES 2"), "{stdout}");
    } else {
        assert_eq!(status, 125, "{stdout}{stderr}");
        assert!(!stdout.contains("RAN"), "the code ran anyway: {stdout}");
        assert!(
            stderr.contains("--network needs a usable network"),
            "{stderr}"
        );
        assert!(stderr.contains("how to fix"), "{stderr}");
        assert!(stderr.contains("never falls back"), "{stderr}");
    }
    w.assert_nothing_left();
}

async fn exec(b: &dyn Backend, id: &str, code: &str) -> ExecOutcome {
    let sink = |_: OutputChunk| {};
    let request = ExecRequest {
        argv: ["python3", "-c", code].map(String::from).to_vec(),
        timeout: Some(Duration::from_secs(60)),
        ..Default::default()
    };
    b.exec(id, &request, &sink).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oom_kill_is_reported_as_such() {
    let _solo = crate::support::solo("attack_docker");
    namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, "code-interpreter-v1").await;
    let mut spec = crate::support::docker::spec(t, Duration::from_secs(300));
    spec.limits.memory_bytes = 128 << 20;
    // A canary process on the host, which the sandbox's OOM must not touch.
    let mut canary = std::process::Command::new("sleep")
        .arg("300")
        .spawn()
        .unwrap();
    let grow = "x = []\nwhile True:\n    x.append(bytearray(32 << 20))\n";

    // The program itself is killed (exit 137).
    let one = b.create(&spec).await.unwrap();
    let _c1 = crate::support::docker::Cleanup(one.id.clone());
    let outcome = exec(&b, &one.id, grow).await;
    assert_eq!(outcome.exit_code, 137, "{outcome:?}");
    assert!(outcome.oom_killed, "{outcome:?}");
    assert!(!outcome.timed_out, "{outcome:?}");
    // A later plain failure in the same sandbox is not taken for one.
    let outcome = exec(&b, &one.id, "import sys; sys.exit(3)").await;
    assert_eq!(outcome.exit_code, 3);
    assert!(!outcome.oom_killed, "{outcome:?}");

    // A child is killed and the program exits 1: still reported.
    let two = b.create(&spec).await.unwrap();
    let _c2 = crate::support::docker::Cleanup(two.id.clone());
    let parent = format!(
        "import subprocess, sys\nr = subprocess.run([sys.executable, '-c', {grow:?}])\n\
         print(r.returncode)\nsys.exit(1)\n"
    );
    let outcome = exec(&b, &two.id, &parent).await;
    assert_eq!(outcome.exit_code, 1, "{outcome:?}");
    assert!(outcome.oom_killed, "{outcome:?}");

    // A failure without OOM in a fresh sandbox is not one either.
    let three = b.create(&spec).await.unwrap();
    let _c3 = crate::support::docker::Cleanup(three.id.clone());
    let outcome = exec(&b, &three.id, "raise SystemExit(2)").await;
    assert_eq!(outcome.exit_code, 2);
    assert!(!outcome.oom_killed, "{outcome:?}");

    assert!(canary.try_wait().unwrap().is_none(), "the host canary died");
    let _ = canary.kill();
    let _ = canary.wait();
    for id in [&one.id, &two.id, &three.id] {
        b.kill(id).await.unwrap();
    }
}

#[test]
fn a_killed_codingit_leaves_no_running_sandbox() {
    let _solo = crate::support::solo("attack_docker");
    let w = World::new(DOCKER);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let mut child = w
        .spawn_cmd()
        .args(["run", "-", "--backend", DOCKER, "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(b"import time\nprint('up', flush=True)\ntime.sleep(600)\n")
            .unwrap();
    }
    let sandboxes = |w: &World| -> Vec<String> {
        w.containers_left()
            .into_iter()
            .filter(|l| l.starts_with("codingit-sbx-"))
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !sandboxes(&w).iter().any(|l| l.ends_with(" running")) {
        assert!(Instant::now() < deadline, "no sandbox appeared");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Let the code start, then kill codingit without a chance to clean up.
    std::thread::sleep(Duration::from_secs(1));
    child.kill().unwrap();
    let killed = Instant::now();
    child.wait().unwrap();
    let deadline = killed + Duration::from_secs(30);
    while !sandboxes(&w).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the sandbox outlived its codingit: {:?}",
            sandboxes(&w)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let secs = killed.elapsed().as_secs_f64();
    eprintln!("[owner] sandbox gone {secs:.2}s after codingit was killed");
    assert!(secs < 5.0, "took {secs:.2}s");
    w.assert_nothing_left();
}

#[test]
fn kill_all_removes_warm_pool_containers_even_while_runs_claim_them() {
    let _solo = crate::support::solo("attack_docker");
    let w = World::new(DOCKER);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let config = w.dir.path().join("config/config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("pool = 2\n");
    std::fs::write(&config, text).unwrap();
    let runs = |n: usize| -> Vec<std::process::Child> {
        (0..n)
            .map(|_| {
                let mut child = w
                    .spawn_cmd()
                    .args(["run", "-", "--backend", DOCKER, "-q"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                use std::io::Write;
                let mut stdin = child.stdin.take().unwrap();
                stdin.write_all(b"print(1)\n").unwrap();
                child
            })
            .collect()
    };
    // Concurrent runs leave warm-pool containers behind.
    for mut child in runs(3) {
        child.wait().unwrap();
    }
    assert!(w.wait_pool_helpers(), "pool helpers still running");
    assert!(!w.pool_containers().is_empty(), "no warm pool was left");
    // More runs claim from the pool while `kill --all` runs.
    let claiming = runs(2);
    std::thread::sleep(Duration::from_millis(100));
    let before = container_ids(&w);
    let out = w
        .cmd()
        .args(["sandbox", "kill", "--all"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let survivors: Vec<_> = container_ids(&w).intersection(&before).cloned().collect();
    assert!(survivors.is_empty(), "survived kill --all: {survivors:?}");
    for mut child in claiming {
        child.wait().unwrap();
    }
    // Whatever the interrupted runs' helpers made afterwards goes with the next one.
    assert!(w.wait_pool_helpers(), "pool helpers still running");
    w.cmd()
        .args(["sandbox", "kill", "--all"])
        .assert()
        .success();
    let left = w.containers_left();
    assert!(left.is_empty(), "left after kill --all: {left:?}");
}

#[test]
fn limits_that_would_be_removed_are_refused() {
    let _solo = crate::support::solo("attack_docker");
    let w = World::new(DOCKER);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    for flags in [
        &["--memory", "0"][..],
        &["--cpus", "0"],
        &["--memory", "-1g"],
    ] {
        let (status, stdout, stderr, _) = w.snippet("print('RAN')\n", flags);
        assert_ne!(status, 0, "{flags:?}: {stdout}{stderr}");
        assert!(!stdout.contains("RAN"), "{flags:?} ran without a limit");
    }
    let config = w.dir.path().join("config/config.toml");
    let base = std::fs::read_to_string(&config).unwrap();
    for line in ["memory = \"0\"", "pids = 0", "cpus = 0.0"] {
        std::fs::write(&config, format!("{base}{line}\n")).unwrap();
        let (status, stdout, stderr, _) = w.snippet("print('RAN')\n", &[]);
        assert_ne!(status, 0, "{line}: {stdout}{stderr}");
        assert!(!stdout.contains("RAN"), "{line}: ran without a limit");
        assert!(stderr.contains("how to fix"), "{line}: {stderr}");
    }
    std::fs::write(&config, base).unwrap();
    w.assert_nothing_left();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extend_by_a_huge_duration_is_refused_and_the_sandbox_lives_on() {
    let _solo = crate::support::solo("attack_docker");
    let ns = namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, "code-interpreter-v1").await;
    let info = b
        .create(&crate::support::docker::spec(t, Duration::from_secs(300)))
        .await
        .unwrap();
    let _c = crate::support::docker::Cleanup(info.id.clone());
    let cfg = tempfile::tempdir().unwrap();
    let cli = || {
        let mut cmd = assert_cmd::Command::cargo_bin("codingit").unwrap();
        cmd.env("CODINGIT_CONFIG_DIR", cfg.path())
            .env("CODINGIT_STATE_DIR", cfg.path().join("state"))
            .env("CODINGIT_SANDBOX_NAMESPACE", &ns)
            .env("NO_COLOR", "1");
        cmd
    };
    for huge in ["18446744073709551615", "500000000000y", "8d"] {
        let out = cli()
            .args(["sandbox", "extend", &info.id, huge])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{huge}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("at most 7 days") || stderr.contains("not a duration"),
            "{huge}: {stderr}"
        );
    }
    // Still alive, with its old expiry, a moment later.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let now = b.get(&info.id).await.unwrap();
    assert_eq!(now.state, "running");
    assert_eq!(now.expires_at, info.expires_at);
    // The maximum itself is accepted.
    let out = cli()
        .args(["--json", "sandbox", "extend", &info.id, "7d"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["remaining_secs"].as_u64().unwrap() > 7 * 24 * 3600 - 60);
    let out = Mutex::new(String::new());
    let sink = |c: OutputChunk| {
        let (OutputChunk::Stdout(b) | OutputChunk::Stderr(b)) = c;
        out.lock().unwrap().push_str(&String::from_utf8_lossy(&b));
    };
    let request = ExecRequest {
        argv: ["true"].map(String::from).to_vec(),
        ..Default::default()
    };
    let outcome = b.exec(&info.id, &request, &sink).await.unwrap();
    assert_eq!(outcome.exit_code, 0, "{}", out.lock().unwrap());
    b.kill(&info.id).await.unwrap();
}
