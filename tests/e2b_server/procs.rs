//! Real processes for the test server: each runs under bubblewrap with the host's
//! system files read-only, its homes, /tmp and /run hidden, the sandbox's template
//! environment (see `template_env`) and its own folder at /home/user, in its own PID
//! namespace, and dies with the server. A process outlives the call that started it
//! (as in envd): the call only forwards its events while it is connected.

use super::State;
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use tokio::io::AsyncReadExt;
use tokio::sync::mpsc;

pub enum Event {
    Start(u32),
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
    End {
        exit_code: i32,
        exited: bool,
        status: String,
    },
}

/// Ends a process (SIGKILL).
#[derive(Clone)]
pub struct Handle {
    kill: mpsc::UnboundedSender<()>,
    pub tag: Option<String>,
}

impl Handle {
    pub fn kill(&self) {
        let _ = self.kill.send(());
    }
}

pub struct Spec<'a> {
    pub sandbox: &'a str,
    pub home: &'a Path,
    pub cmd: &'a str,
    pub args: &'a [String],
    pub envs: &'a BTreeMap<String, String>,
    /// Inside the sandbox (under /home/user).
    pub cwd: &'a str,
    pub tag: Option<String>,
}

pub fn spawn(state: &Arc<State>, spec: Spec<'_>) -> Result<mpsc::UnboundedReceiver<Event>, String> {
    let (template_env, cgroup_procs, netns) = {
        let map = state.sandboxes.lock().unwrap();
        let sandbox = map.get(spec.sandbox);
        (
            sandbox.and_then(|s| s.template_env.clone()),
            sandbox
                .and_then(|s| s.cgroups.as_ref())
                .map(|c| c.procs_files())
                .unwrap_or_default(),
            sandbox.and_then(|s| s.netns.as_ref()).map(|n| n.path()),
        )
    };
    let (mounts, base_env) = super::template_env::mounts_and_env(template_env.as_ref());
    // bubblewrap, in the sandbox's own network when it has one.
    let mut launcher: Vec<String> = Vec::new();
    if let Some(netns) = netns {
        launcher.extend([format!("--net={}", netns.display()), "--".into()]);
        launcher.insert(0, "nsenter".into());
    }
    launcher.push("bwrap".into());
    let mut command = if cgroup_procs.is_empty() {
        let mut c = tokio::process::Command::new(&launcher[0]);
        c.args(&launcher[1..]);
        c
    } else {
        // Into the sandbox's cgroups before bubblewrap starts: nothing it forks
        // escapes them.
        let joins: Vec<String> = cgroup_procs
            .iter()
            .map(|f| format!("echo $$ > '{}'", f.display()))
            .collect();
        let mut c = tokio::process::Command::new("sh");
        c.arg("-c")
            .arg(format!("{} && exec \"$@\"", joins.join(" && ")))
            .arg("sh")
            .args(&launcher);
        c
    };
    command.args(["--ro-bind", "/", "/"]).args(&mounts);
    command.arg("--bind").arg(spec.home).arg("/home/user");
    command.args([
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--unshare-pid",
        "--die-with-parent",
        "--clearenv",
        "--chdir",
    ]);
    command.arg(spec.cwd);
    let mut env = base_env;
    env.insert("HOME".into(), "/home/user".into());
    env.insert("USER".into(), "user".into());
    env.extend(spec.envs.clone());
    for (k, v) in &env {
        command.args(["--setenv", k, v]);
    }
    command.arg("--").arg(spec.cmd).args(spec.args);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start bwrap: {e}"))?;
    let pid = child.id().unwrap_or(0);
    let (events, receiver) = mpsc::unbounded_channel();
    let (kill, mut killed) = mpsc::unbounded_channel();
    {
        let mut map = state.sandboxes.lock().unwrap();
        let Some(sandbox) = map.get_mut(spec.sandbox) else {
            return Err("the sandbox ended".into());
        };
        sandbox.procs.insert(
            pid,
            Handle {
                kill,
                tag: spec.tag.clone(),
            },
        );
        sandbox.logs.push((
            std::time::SystemTime::now(),
            format!("process {pid} started: {}", spec.cmd),
        ));
    }
    let _ = events.send(Event::Start(pid));
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let state = state.clone();
    let sandbox = spec.sandbox.to_string();
    tokio::spawn(async move {
        let out_events = events.clone();
        let out = tokio::spawn(async move {
            let mut buf = vec![0u8; 32 * 1024];
            while let Ok(n) = stdout.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let _ = out_events.send(Event::Stdout(buf[..n].to_vec()));
            }
        });
        let err_events = events.clone();
        let err = tokio::spawn(async move {
            let mut buf = vec![0u8; 32 * 1024];
            while let Ok(n) = stderr.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let _ = err_events.send(Event::Stderr(buf[..n].to_vec()));
            }
        });
        let status = tokio::select! {
            s = child.wait() => s,
            _ = killed.recv() => {
                let _ = child.start_kill();
                child.wait().await
            }
        };
        let _ = out.await;
        let _ = err.await;
        if let Some(s) = state.sandboxes.lock().unwrap().get_mut(&sandbox) {
            s.procs.remove(&pid);
        }
        let end = match status {
            Ok(s) => match (s.code(), s.signal()) {
                (Some(code), _) => Event::End {
                    exit_code: code,
                    exited: true,
                    status: format!("exit status {code}"),
                },
                (None, Some(9)) => signal_end("killed"),
                (None, Some(15)) => signal_end("terminated"),
                (None, Some(n)) => signal_end(&format!("signal {n}")),
                (None, None) => signal_end("killed"),
            },
            Err(e) => Event::End {
                exit_code: -1,
                exited: false,
                status: format!("wait failed: {e}"),
            },
        };
        let _ = events.send(end);
    });
    Ok(receiver)
}

fn signal_end(name: &str) -> Event {
    Event::End {
        exit_code: -1,
        exited: false,
        status: format!("signal: {name}"),
    }
}
