//! Running commands in a local sandbox: to completion with streamed output, or as a
//! background app whose output goes to the sandbox's log.

use super::spawn;
use super::state::{State, Store};
use super::sys;
use crate::sandbox::{unix_now, ExecOutcome, ExecRequest, OutputChunk, SandboxError};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio::time::Instant;

fn cpu_seconds(state: &State, timeout: Option<Duration>) -> u64 {
    let lifetime = state.expires_at.saturating_sub(unix_now()).max(1);
    match timeout {
        Some(t) => (t.as_secs() + 2).min(lifetime + 2),
        None => lifetime + 2,
    }
}

/// Runs a command to completion; kills its whole process group at the end, or when
/// the request's `cancel` fires.
pub async fn run(
    store: &Store,
    state: &State,
    request: &ExecRequest,
    sink: &(dyn Fn(OutputChunk) + Send + Sync),
) -> Result<ExecOutcome, SandboxError> {
    let home = store.home(&state.id);
    let tmp = store.tmp(&state.id);
    let ooms = state.memory_cgroup.as_deref().map(super::setup::oom_kills);
    let mut launch = spawn::command(
        state,
        &home,
        &tmp,
        &request.argv,
        &request.env,
        request.cwd.as_deref(),
        cpu_seconds(state, request.timeout),
        true,
    )?;
    let child = launch
        .command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| SandboxError::Backend(format!("cannot start the sandboxed process: {e}")))?;
    let pgid = child.id().map(|p| p as i32).unwrap_or(0);
    // Recorded so `sandbox kill` from another codingit reaches it too.
    let _ = store.add_group(&state.id, pgid);
    let kill = || async move {
        sys::kill_group(pgid);
        Ok(())
    };
    let drive = drive(state, request, sink, child, pgid, ooms);
    crate::sandbox::cancel::until_cancelled(request.cancel.as_ref(), drive, kill).await
}

/// Streams the output of the started `child` (the leader of process group `pgid`)
/// until it ends, enforcing the time limit; kills the group at the end.
async fn drive(
    state: &State,
    request: &ExecRequest,
    sink: &(dyn Fn(OutputChunk) + Send + Sync),
    mut child: tokio::process::Child,
    pgid: i32,
    ooms: Option<u64>,
) -> Result<ExecOutcome, SandboxError> {
    let (Some(mut out), Some(mut err)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(SandboxError::Backend("no output pipes".into()));
    };
    let limit = state.output_bytes;
    let (mut out_buf, mut err_buf) = (vec![0u8; 16384], vec![0u8; 16384]);
    let (mut out_open, mut err_open) = (true, true);
    let (mut out_sent, mut err_sent) = (0u64, 0u64);
    let mut outcome = ExecOutcome::default();
    let deadline = request.timeout.map(|t| Instant::now() + t);
    let far = Instant::now() + Duration::from_secs(86_400 * 365);
    let mut status = None;
    let mut drain_until = far;
    loop {
        if status.is_some() && !out_open && !err_open {
            break;
        }
        // Biased: output already in the pipes is read before the exit or the drain
        // deadline is looked at. Unbiased, a loaded machine that polls late finds both
        // ready and may pick the deadline, losing what the program printed.
        tokio::select! {
            biased;
            n = out.read(&mut out_buf), if out_open => match n {
                Ok(0) | Err(_) => out_open = false,
                Ok(n) => emit(sink, true, &out_buf[..n], &mut out_sent, limit, &mut outcome),
            },
            n = err.read(&mut err_buf), if err_open => match n {
                Ok(0) | Err(_) => err_open = false,
                Ok(n) => emit(sink, false, &err_buf[..n], &mut err_sent, limit, &mut outcome),
            },
            s = child.wait(), if status.is_none() => {
                status = Some(s);
                // Whatever the program left behind goes with it.
                sys::kill_group(pgid);
                drain_until = Instant::now() + Duration::from_millis(500);
            },
            _ = tokio::time::sleep_until(deadline.unwrap_or(far)), if status.is_none() && !outcome.timed_out => {
                outcome.timed_out = true;
                sys::kill_group(pgid);
            },
            _ = tokio::time::sleep_until(drain_until), if status.is_some() => break,
        }
    }
    sys::kill_group(pgid);
    if let Some(cgroup) = &state.cgroup {
        // Only when the sandbox runs nothing else in the background.
        if !state
            .groups
            .iter()
            .any(|g| *g != pgid && sys::group_alive(*g))
        {
            super::state::kill_cgroup(cgroup);
        }
    }
    let status = status
        .and_then(Result::ok)
        .ok_or_else(|| SandboxError::Backend("lost the sandboxed process".into()))?;
    // The memory cgroup's kernel killer counts its kills.
    if let (Some(before), Some(cgroup)) = (ooms, &state.memory_cgroup) {
        outcome.oom_killed = super::setup::oom_kills(cgroup) > before;
    }
    outcome.exit_code = match (status.code(), status.signal()) {
        (Some(code), _) => i64::from(code),
        (None, Some(signal)) => 128 + i64::from(signal),
        _ => 1,
    };
    Ok(outcome)
}

fn emit(
    sink: &(dyn Fn(OutputChunk) + Send + Sync),
    stdout: bool,
    data: &[u8],
    sent: &mut u64,
    limit: u64,
    outcome: &mut ExecOutcome,
) {
    let room = limit.saturating_sub(*sent);
    if room == 0 {
        outcome.truncated = true;
        return;
    }
    let take = (data.len() as u64).min(room) as usize;
    if take < data.len() {
        outcome.truncated = true;
    }
    *sent += take as u64;
    let chunk = data[..take].to_vec();
    sink(if stdout {
        OutputChunk::Stdout(chunk)
    } else {
        OutputChunk::Stderr(chunk)
    });
}

/// Starts a background app; its output is appended to the sandbox's log.
pub async fn start(
    store: &Store,
    state: &State,
    request: &ExecRequest,
) -> Result<(), SandboxError> {
    if let Some(port) = state.template.port {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            return Err(SandboxError::Backend(format!(
                "port {port} on 127.0.0.1 is already in use, so the app could not serve it\n  \
                 how to fix: stop what uses it (another sandbox? see `codingit sandbox ls`)"
            )));
        }
    }
    let home = store.home(&state.id);
    let tmp = store.tmp(&state.id);
    let mut launch = spawn::command(
        state,
        &home,
        &tmp,
        &request.argv,
        &request.env,
        request.cwd.as_deref(),
        cpu_seconds(state, None),
        false,
    )?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(store.app_log(&state.id))
        .map_err(|e| SandboxError::Io(format!("cannot open the app log: {e}")))?;
    let log2 = log
        .try_clone()
        .map_err(|e| SandboxError::Io(format!("cannot open the app log: {e}")))?;
    let child = launch
        .command
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log2)
        .spawn()
        .map_err(|e| SandboxError::Backend(format!("cannot start the app: {e}")))?;
    let pgid = child.id().map(|p| p as i32).unwrap_or(0);
    store.add_group(&state.id, pgid)?;
    // The child is reaped by whoever outlives it; tokio reaps it while we run.
    drop(child);
    if let (Some(port), true) = (state.template.port, state.own_network()) {
        let relay = start_relay(pgid, port, store, &state.id).await?;
        store.add_group(&state.id, relay)?;
    }
    Ok(())
}

/// Starts the preview relay into the app's network namespace (see `relay`) and
/// waits until it listens; returns its pid (also its process group).
async fn start_relay(app: i32, port: u16, store: &Store, id: &str) -> Result<i32, SandboxError> {
    let failed = |why: String| {
        SandboxError::Backend(format!(
            "the preview of sandbox `{id}` could not be set up: {why} (see `codingit sandbox logs {id}`)"
        ))
    };
    let target = tokio::task::spawn_blocking(move || {
        super::relay::namespace_process(app, Duration::from_secs(10))
    })
    .await
    .ok()
    .flatten()
    .ok_or_else(|| failed("the app's network namespace did not appear".into()))?;
    let exe = std::env::current_exe().map_err(|e| failed(e.to_string()))?;
    let log = std::fs::OpenOptions::new()
        .append(true)
        .open(store.app_log(id))
        .map_err(|e| failed(e.to_string()))?;
    let mut command = std::process::Command::new(exe);
    command
        .arg(super::relay::RELAY_ARG)
        .arg(target.to_string())
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log);
    sys::detach_child(&mut command);
    let mut child = tokio::process::Command::from(command)
        .spawn()
        .map_err(|e| failed(e.to_string()))?;
    let pid = child.id().map(|p| p as i32).unwrap_or(0);
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        let mut reader = tokio::io::BufReader::new(out);
        let read = tokio::io::AsyncBufReadExt::read_line(&mut reader, &mut line);
        let _ = tokio::time::timeout(Duration::from_secs(10), read).await;
    }
    if line.trim() != "ready" {
        sys::kill_process(pid);
        return Err(failed("the relay did not start".into()));
    }
    Ok(pid)
}

/// Streams the app log; with `follow`, until the sandbox is gone.
pub async fn logs(
    store: &Store,
    id: &str,
    follow: bool,
    sink: &(dyn Fn(OutputChunk) + Send + Sync),
) -> Result<(), SandboxError> {
    let path = store.app_log(id);
    let mut offset = 0u64;
    let mut buf = vec![0u8; 16384];
    loop {
        if let Ok(mut file) = tokio::fs::File::open(&path).await {
            if file.seek(std::io::SeekFrom::Start(offset)).await.is_ok() {
                loop {
                    match file.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            offset += n as u64;
                            sink(OutputChunk::Stdout(buf[..n].to_vec()));
                        }
                    }
                }
            }
        }
        if !follow || !store.file(id).exists() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
