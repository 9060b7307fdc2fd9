//! What only local sandboxes have, through the real binary: a detached web sandbox
//! (made by `run --detach`) is listed with every backend, its app's files are read and
//! written in its state folder, its time is extended while its app runs, and `kill`
//! removes its state, files and port; a detached sandbox still expires when the
//! codingit that made it is killed; a killed attached run leaves nothing running;
//! `--cpus` as root; a command sees only its folders and starts while the host's
//! mounts change. `sandbox …` and `files` themselves (exec's exit codes, hostile
//! paths, links planted by sandboxed code) are the shared suite's (commands/). Environments come from the shared cache (CODINGIT_TEST_CACHE_DIR
//! or ~/.cache/codingit-dev/local-envs); under CI=true a missing prerequisite fails.

use crate::commands::text;
use crate::support::containment::{cache_dir, World};
use crate::support::in_ci;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const BACKEND: &str = "local";

/// The web tests share a template port: one at a time.
static PORTS: Mutex<()> = Mutex::new(());

/// A web template whose port is free here (another program may hold one), with the
/// code of a small app for it.
fn web_template(w: &World) -> Option<(&'static str, u16, &'static str)> {
    let candidates = [
        (
            "streamlit-developer",
            8501,
            "import streamlit as st\nst.title('hello from codingit')\n",
        ),
        (
            "gradio-developer",
            7860,
            "import gradio as gr\nwith gr.Blocks() as demo:\n    gr.Markdown('hello from codingit')\ndemo.launch()\n",
        ),
    ];
    for (template, port, code) in candidates {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            eprintln!("note: port {port} is in use, not trying {template}");
            continue;
        }
        if w.ready(template) {
            return Some((template, port, code));
        }
    }
    assert!(
        !in_ci(),
        "CI=true and no web template (streamlit, gradio) can run here"
    );
    eprintln!("note: skipping, no web template can run here");
    None
}

/// Runs codingit; returns (exit code, stdout, stderr).
fn codingit(w: &World, args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
    let out = w
        .cmd()
        .args(args)
        .write_stdin(stdin.to_vec())
        .timeout(Duration::from_secs(240))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(w: &World, args: &[&str]) -> Value {
    let (code, stdout, stderr) = codingit(w, args, b"");
    assert_eq!(code, 0, "codingit {args:?} failed: {stderr}");
    serde_json::from_slice(&stdout)
        .unwrap_or_else(|e| panic!("codingit {args:?}: not JSON ({e}): {stdout:?}"))
}

/// The row of `sandbox ls --json` for `id`, if listed.
fn listed(w: &World, id: &str) -> Option<Value> {
    let rows = json(w, &["sandbox", "ls", "--json"]);
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
}

fn state_file(w: &World, id: &str) -> PathBuf {
    w.dir.path().join(format!("state/sandboxes/{id}.json"))
}

fn home(w: &World, id: &str) -> PathBuf {
    w.dir.path().join(format!("state/sandboxes/{id}/home"))
}

/// The process groups recorded for the sandbox (its app).
fn groups(w: &World, id: &str) -> Vec<i32> {
    let text = std::fs::read(state_file(w, id)).unwrap();
    let state: Value = serde_json::from_slice(&text).unwrap();
    state["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_i64().unwrap() as i32)
        .collect()
}

fn group_alive(pgid: i32) -> bool {
    std::process::Command::new("kill")
        .args(["-0", "--", &format!("-{pgid}")])
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success()
}

fn port_answers(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(300),
    )
    .is_ok()
}

/// Waits until `done` holds, at most `patience`.
fn eventually(patience: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    done()
}

#[test]
fn detached_web_sandbox_files_extend_and_kill() {
    let _solo = crate::support::solo("sandbox_local");
    let _one = PORTS.lock().unwrap_or_else(|e| e.into_inner());
    let w = World::new(BACKEND);
    let Some((template, port, code)) = web_template(&w) else {
        return;
    };
    let dir = w.project(template, "app.py", code, Some(port));
    let run = json(
        &w,
        &[
            "run",
            dir.to_str().unwrap(),
            "--backend",
            BACKEND,
            "--detach",
            "--timeout",
            "60s",
            "--json",
        ],
    );
    let id = run["sandbox_id"].as_str().unwrap().to_string();
    assert_eq!(run["detached"], true);
    // The same form as the Docker backend's previews.
    assert_eq!(run["url"], format!("http://127.0.0.1:{port}/"));
    let result = std::panic::catch_unwind(|| web_checks(&w, &id, port, code));
    // Whatever failed above, the sandbox must not outlive the test.
    let (killed, stdout, stderr) = codingit(&w, &["sandbox", "kill", &id], b"");
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    assert_eq!(killed, 0, "{stderr}");
    assert!(String::from_utf8_lossy(&stdout).contains(&format!("killed {id}")));
    assert!(!state_file(&w, &id).exists(), "state left after kill");
    assert!(!home(&w, &id).exists(), "files left after kill");
    assert!(
        eventually(Duration::from_secs(5), || !port_answers(port)),
        "the app still answers after kill"
    );
    assert!(listed(&w, &id).is_none(), "a killed sandbox is listed");
    let (code, _, stderr) = codingit(&w, &["files", &id, "ls"], b"");
    assert_ne!(code, 0, "files on a killed sandbox worked");
    assert!(stderr.contains(&id), "{stderr}");
    w.assert_nothing_left();
}

fn web_checks(w: &World, id: &str, port: u16, code: &str) {
    assert!(port_answers(port), "the detached app does not answer");
    let app_groups = groups(w, id);
    assert!(!app_groups.is_empty(), "no app process recorded");

    // Listed with every backend (no --backend), with its remaining time.
    let row = listed(w, id).expect("the detached sandbox is not listed");
    assert_eq!(row["backend"], "local");
    let remaining = row["remaining_secs"].as_u64().unwrap();
    assert!(remaining > 0 && remaining <= 60, "remaining {remaining}");
    let expires = row["expires_at"].as_u64().unwrap();
    let (code_ls, table, _) = codingit(w, &["sandbox", "ls"], b"");
    assert_eq!(code_ls, 0);
    let table = String::from_utf8_lossy(&table);
    assert!(table.contains("BACKEND"), "{table}");
    assert!(
        table.lines().any(|l| l.contains(id) && l.contains("local")),
        "{table}"
    );

    // Files: list, read, write from stdin, download.
    let listing = json(w, &["files", id, "ls", "-r", "--json"]);
    let paths: Vec<&str> = listing["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"app.py"), "{paths:?}");
    let (status, data, stderr) = codingit(w, &["files", id, "cat", "app.py"], b"");
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(String::from_utf8_lossy(&data), code);
    let (status, _, stderr) = codingit(
        w,
        &["files", id, "write", "notes.txt", "--from", "-"],
        b"hello notes\n",
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        std::fs::read(home(w, id).join("notes.txt")).unwrap(),
        b"hello notes\n"
    );
    let (_, data, _) = codingit(w, &["files", id, "cat", "notes.txt"], b"");
    assert_eq!(data, b"hello notes\n");
    let out = w.dir.path().join("downloaded.py");
    let (status, _, stderr) = codingit(
        w,
        &["files", id, "download", "app.py", out.to_str().unwrap()],
        b"",
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), code);

    // Logs of the app.
    let (status, _, stderr) = codingit(w, &["sandbox", "logs", id], b"");
    assert_eq!(status, 0, "{stderr}");

    // Extend moves the expiry.
    let extended = json(w, &["sandbox", "extend", id, "2m", "--json"]);
    let remaining = extended["remaining_secs"].as_u64().unwrap();
    assert!(remaining > 100 && remaining <= 120, "remaining {remaining}");
    let row = listed(w, id).unwrap();
    assert!(row["expires_at"].as_u64().unwrap() > expires + 30, "{row}");
    assert!(app_groups.iter().any(|g| group_alive(*g)), "the app died");
}

#[test]
fn detached_sandbox_expires_after_codingit_is_killed() {
    let _solo = crate::support::solo("sandbox_local");
    let _one = PORTS.lock().unwrap_or_else(|e| e.into_inner());
    let w = World::new(BACKEND);
    let Some((template, port, code)) = web_template(&w) else {
        return;
    };
    let dir = w.project(template, "app.py", code, Some(port));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("codingit"))
        .args(["run", dir.to_str().unwrap(), "--backend", BACKEND])
        .args(["--detach", "--timeout", "3s", "--json"])
        .env("CODINGIT_CONFIG_DIR", w.dir.path().join("config"))
        .env("CODINGIT_STATE_DIR", w.dir.path().join("state"))
        .env("CODINGIT_CACHE_DIR", cache_dir())
        .env_remove("CODINGIT_BACKEND")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill codingit as soon as the app is started (it would wait for the app).
    let sandboxes = w.dir.path().join("state/sandboxes");
    let mut started = None;
    let found = eventually(Duration::from_secs(20), || {
        let Ok(entries) = std::fs::read_dir(&sandboxes) else {
            return false;
        };
        for entry in entries.flatten() {
            let Ok(text) = std::fs::read(entry.path()) else {
                continue;
            };
            let Ok(state) = serde_json::from_slice::<Value>(&text) else {
                continue;
            };
            if !state["keeper"].is_null() && !state["groups"].as_array().unwrap().is_empty() {
                started = Some(state);
                return true;
            }
        }
        false
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(found, "the app was not started within 20 s");
    let state = started.unwrap();
    let id = state["id"].as_str().unwrap().to_string();
    let app: Vec<i32> = state["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_i64().unwrap() as i32)
        .collect();
    // The app outlives codingit until the sandbox's lifetime (3 s) ends.
    assert!(
        eventually(Duration::from_secs(8), || !app
            .iter()
            .any(|g| group_alive(*g))),
        "the app still runs after its lifetime"
    );
    assert!(
        eventually(Duration::from_secs(3), || !port_answers(port)),
        "the port still answers after expiry"
    );
    assert!(listed(&w, &id).is_none(), "an expired sandbox is listed");
    assert!(!state_file(&w, &id).exists(), "state left after expiry");
    assert!(!home(&w, &id).exists(), "files left after expiry");
    w.assert_nothing_left();
}

/// An attached run whose codingit is killed leaves no process, and its state goes
/// with the next `sandbox ls`; with and without bubblewrap.
#[test]
fn killed_attached_run_leaves_nothing_running() {
    let _solo = crate::support::solo("sandbox_local");
    let w = World::new(BACKEND);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    for bwrap in ["1", "0"] {
        let marker = format!("77{}{}", std::process::id() % 10_000, bwrap);
        let code = format!(
            "import subprocess, time\nsubprocess.Popen(['sleep', '{marker}'])\nprint('started', flush=True)\ntime.sleep(600)\n"
        );
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("codingit"))
            .args(["run", "-", "--backend", BACKEND, "-q"])
            .env("CODINGIT_CONFIG_DIR", w.dir.path().join("config"))
            .env("CODINGIT_STATE_DIR", w.dir.path().join("state"))
            .env("CODINGIT_CACHE_DIR", cache_dir())
            .env("CODINGIT_LOCAL_BWRAP", bwrap)
            .env_remove("CODINGIT_BACKEND")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        {
            use std::io::{BufRead, Write};
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(code.as_bytes()).unwrap();
            drop(stdin);
            let mut line = String::new();
            std::io::BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            assert_eq!(line, "started\n", "bwrap={bwrap}");
        }
        let sleeping = || {
            crate::support::process_lines()
                .iter()
                .any(|l| l.trim() == format!("sleep {marker}"))
        };
        assert!(sleeping(), "the program's child is not running");
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            eventually(Duration::from_secs(5), || !sleeping()),
            "bwrap={bwrap}: the program's child outlived the killed codingit"
        );
        let rows = json(&w, &["sandbox", "ls", "--json", "--backend", BACKEND]);
        assert_eq!(rows, serde_json::json!([]), "bwrap={bwrap}");
        w.assert_nothing_left();
    }
}

/// `--cpus` is a CPU bandwidth quota when a cpu cgroup can be made (root); as an
/// ordinary user it is not enforced (documented), so the test needs root.
#[test]
fn cpus_quota_is_enforced_as_root() {
    let _solo = crate::support::solo("sandbox_local");
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let cpu_controller = Path::new("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").exists()
        || Path::new("/sys/fs/cgroup/cgroup.controllers").exists();
    if !root || !cpu_controller {
        eprintln!("note: skipping, --cpus is enforced only as root with a cpu cgroup");
        return;
    }
    let w = World::new(BACKEND);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let spin = "import time\nt = time.time()\nwhile time.time() - t < 2:\n    pass\nprint(time.process_time())\n";
    let (status, stdout, stderr, _) = w.snippet(spin, &["--cpus", "0.25"]);
    assert_eq!(status, 0, "{stderr}");
    let used: f64 = stdout.trim().parse().unwrap();
    assert!(used < 1.0, "--cpus 0.25 used {used} s of CPU in 2 s");
    w.assert_nothing_left();
}

/// With bubblewrap a command sees only what it may read: the host's other folders
/// (`/var`, `/etc/shadow`, `/run`, its `/tmp`) are absent, not merely unreadable. And a
/// command starts while the host's mounts come and go (other sandboxes made and
/// removed, containers started): as root a churn of tmpfs mounts runs beside forty
/// commands, each of which must start.
#[test]
fn commands_see_only_their_folders_and_start_while_host_mounts_change() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let _solo = crate::support::solo("sandbox_local");
    if which_bwrap().is_none() {
        assert!(!in_ci(), "CI=true and no bwrap on PATH");
        eprintln!("note: skipping, bubblewrap is not installed");
        return;
    }
    let Some(live) = crate::commands::Live::new(BACKEND) else {
        return;
    };
    let churn = tempfile::tempdir().unwrap();
    let canary = churn.path().join("canary");
    std::fs::write(&canary, "host").unwrap();
    let unseen = format!(
        "for p in /var /etc/shadow /run {}; do if test -e $p; then echo seen $p; exit 1; fi; done",
        canary.display()
    );
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let stop = Arc::new(AtomicBool::new(false));
    let churner = root.then(|| {
        let stop = stop.clone();
        let point = churn.path().join("point");
        std::fs::create_dir(&point).unwrap();
        std::thread::spawn(move || {
            let mut cycles = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let mounted = std::process::Command::new("mount")
                    .args(["-t", "tmpfs", "churn"])
                    .arg(&point)
                    .status()
                    .is_ok_and(|s| s.success());
                if mounted {
                    let _ = std::process::Command::new("umount").arg(&point).status();
                    cycles += 1;
                }
            }
            cycles
        })
    });
    let runs = if root { 40 } else { 3 };
    let failures: Vec<String> = (0..runs)
        .map(|_| live.exec(&[], &["sh", "-c", &unseen]))
        .filter(|out| out.status.code() != Some(0))
        .map(|out| {
            format!(
                "{:?}: {}{}",
                out.status.code(),
                text(&out.stdout),
                text(&out.stderr)
            )
        })
        .collect();
    stop.store(true, Ordering::Relaxed);
    if let Some(churner) = churner {
        let cycles = churner.join().unwrap();
        assert!(cycles > 0, "the host's mounts never changed");
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} failed: {failures:#?}",
        failures.len()
    );
}

fn which_bwrap() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("bwrap"))
        .find(|candidate| candidate.is_file())
}
