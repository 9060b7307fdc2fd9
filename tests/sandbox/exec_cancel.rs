//! Ctrl-C on `codingit sandbox exec` stops the command in the sandbox, and only it,
//! on every backend (issue 14): a command that writes a canary file every 100 ms and
//! holds a child `sleep` is started in a live sandbox beside another exec's command;
//! SIGINT to the codingit running it must make it exit 130 within seconds, after
//! which the canary stops growing, its processes are gone, the other command still
//! runs and the sandbox is still there. Docker needs an engine (CI=true or
//! CODINGIT_TEST_DOCKER=1 make a missing one fail); e2b runs over the binary's E2B
//! test server (tests/e2b_server).

use crate::support::containment::World;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// `codingit sandbox exec ID -- sh -c SCRIPT` started, once it printed "started".
fn start_exec(w: &World, id: &str, script: &str, env: &[(&str, &str)]) -> Child {
    let mut child = w
        .spawn_cmd()
        .args(["sandbox", "exec", id, "--backend", &w.backend, "--"])
        .args(["sh", "-c", script])
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "started\n", "{}", stderr_of(&mut child));
    child
}

fn stderr_of(child: &mut Child) -> String {
    let _ = child.kill();
    let mut text = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut text);
    }
    text
}

fn interrupt(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The exit code of `child`, which must end within `patience`.
fn exit_within(child: &mut Child, patience: Duration) -> i32 {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if started.elapsed() > patience {
            let stderr = stderr_of(child);
            panic!("codingit still runs {patience:?} after SIGINT: {stderr}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether a process runs `sleep SECONDS`.
fn sleeping(seconds: &str) -> bool {
    crate::support::process_lines()
        .iter()
        .any(|l| l.trim() == format!("sleep {seconds}"))
}

/// The canary's size now, read through codingit (the file is in the sandbox).
fn canary_size(w: &World, id: &str) -> usize {
    let out = w
        .cmd()
        .args(["files", id, "cat", "canary.log", "--backend", &w.backend])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the canary cannot be read: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout.len()
}

fn ctrl_c_stops_the_command(backend: &str, env: &[(&str, &str)]) {
    let w = World::new(backend);
    let Some(id) = w.live_sandbox() else {
        return;
    };
    let unique = (std::process::id() + 7 * env.len() as u32) % 100_000;
    let (bystander, target) = (format!("2{unique:05}"), format!("3{unique:05}"));
    let mut other = start_exec(&w, &id, &format!("echo started; sleep {bystander}"), env);
    let script = format!(
        "(while :; do echo tick >> canary.log; sleep 0.1; done) & echo started; sleep {target}"
    );
    let mut child = start_exec(&w, &id, &script, env);
    std::thread::sleep(Duration::from_millis(300));
    assert!(sleeping(&target), "the command's child is not running");
    assert!(canary_size(&w, &id) > 0, "the canary is not written");

    interrupt(&child);
    let code = exit_within(&mut child, Duration::from_secs(10));
    let stderr = stderr_of(&mut child);
    assert_eq!(code, 130, "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");

    // Gone at once: codingit exits only once the kill is confirmed.
    assert!(!sleeping(&target), "the command's child survived Ctrl-C");
    let size = canary_size(&w, &id);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(canary_size(&w, &id), size, "the canary still grows");

    // Only that command: the other exec's runs on, and the sandbox is there.
    assert!(sleeping(&bystander), "another command was killed too");
    assert!(other.try_wait().unwrap().is_none(), "the other exec ended");
    let out = w
        .cmd()
        .args(["sandbox", "exec", &id, "--backend", backend, "--", "true"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "the sandbox is gone: {out:?}");

    // SIGTERM stops a command too.
    let term = std::process::Command::new("kill")
        .args(["-TERM", &other.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    assert_eq!(exit_within(&mut other, Duration::from_secs(10)), 130);
    assert!(!sleeping(&bystander), "the command survived SIGTERM");
}

#[test]
fn ctrl_c_stops_the_command_on_docker() {
    let _solo = crate::support::solo("exec_cancel_docker");
    ctrl_c_stops_the_command("docker", &[]);
}

#[test]
fn ctrl_c_stops_the_command_on_local() {
    let _solo = crate::support::solo("exec_cancel_local");
    ctrl_c_stops_the_command("local", &[]);
    // Without bubblewrap, the process group alone holds the command.
    ctrl_c_stops_the_command("local", &[("CODINGIT_LOCAL_BWRAP", "0")]);
}

#[test]
fn ctrl_c_stops_the_command_on_e2b() {
    let _solo = crate::support::solo("exec_cancel_e2b");
    ctrl_c_stops_the_command("e2b", &[]);
}
