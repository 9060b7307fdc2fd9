//! Commands inside a sandbox: streamed stdout/stderr, exit code, time limit,
//! output cap; background apps whose output goes to the container logs.

use super::connect::engine_error;
use crate::sandbox::{ExecOutcome, OutputChunk, SandboxError, SANDBOX_HOME};
use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};
use bollard::query_parameters::LogsOptionsBuilder;
use bollard::Docker;
use futures::StreamExt;
use std::time::{Duration, Instant};

/// Extra time past a command's limit before we stop waiting for it ourselves.
const GRACE: Duration = Duration::from_secs(5);
/// Exit code of `timeout` when the limit passed.
const TIMEOUT_EXIT: i64 = 124;

/// One command to run.
#[derive(Debug, Clone)]
pub struct Capture {
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    /// `None` runs as the container's user (1000).
    pub user: Option<String>,
    pub timeout: Option<Duration>,
    /// Bytes kept per stream.
    pub limit: u64,
    /// The sandbox's count of out-of-memory kills before this command, when known
    /// (0 for a sandbox in which nothing ran yet): then any failure with more kills
    /// afterwards is an OOM kill, even one of a child the program waited for.
    /// Unknown: only a SIGKILLed command (exit 137) is checked.
    pub oom_baseline: Option<u64>,
}

impl Capture {
    pub fn new(argv: Vec<String>) -> Self {
        Self {
            argv,
            env: Vec::new(),
            cwd: SANDBOX_HOME.into(),
            user: None,
            timeout: Some(Duration::from_secs(60)),
            limit: 64 << 20,
            oom_baseline: None,
        }
    }
}

/// A finished internal command with its output.
#[derive(Debug, Default)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit_code: i64,
}

/// Runs a command and collects its output (for codingit's own helper commands).
pub async fn capture(
    docker: &Docker,
    container: &str,
    request: Capture,
) -> Result<Captured, SandboxError> {
    let out = std::sync::Mutex::new(Captured::default());
    let sink = |chunk: OutputChunk| {
        if let Ok(mut out) = out.lock() {
            match chunk {
                OutputChunk::Stdout(b) => out.stdout.extend_from_slice(&b),
                OutputChunk::Stderr(b) => out.stderr.extend_from_slice(&b),
            }
        }
    };
    let outcome = run(docker, container, &request, &sink).await?;
    let mut captured = out
        .into_inner()
        .map_err(|_| SandboxError::Backend("output buffer poisoned".into()))?;
    captured.exit_code = outcome.exit_code;
    Ok(captured)
}

/// Runs a command to completion, sending its output to `sink` as it arrives.
pub async fn run(
    docker: &Docker,
    container: &str,
    request: &Capture,
    sink: &(dyn Fn(OutputChunk) + Send + Sync),
) -> Result<ExecOutcome, SandboxError> {
    Ok(
        run_then(docker, container, request, sink, async {}, async {})
            .await?
            .0,
    )
}

/// [`run`], with `during` driven while the command runs (after it started), and
/// `after` once its output has ended, alongside the request for its exit code (saves
/// a round trip when the caller reads what the command wrote). Each is `None` when
/// it did not run (`after`: when we stopped waiting for the command).
pub async fn run_then<D: std::future::Future, F: std::future::Future>(
    docker: &Docker,
    container: &str,
    request: &Capture,
    sink: &(dyn Fn(OutputChunk) + Send + Sync),
    during: D,
    after: F,
) -> Result<(ExecOutcome, Option<D::Output>, Option<F::Output>), SandboxError> {
    let mut argv = request.argv.clone();
    if let Some(limit) = request.timeout {
        // The limit is enforced inside the sandbox, so it holds with a remote engine
        // too; `timeout` signals the whole process group, then kills it 2 s later.
        let secs = format!("{}", limit.as_secs_f64().max(0.1));
        let mut wrapped = vec!["timeout".into(), "-k".into(), "2".into(), secs];
        wrapped.append(&mut argv);
        argv = wrapped;
    }
    let options = CreateExecOptions {
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        attach_stdin: Some(false),
        tty: Some(false),
        cmd: Some(argv),
        env: Some(request.env.clone()),
        working_dir: Some(request.cwd.clone()),
        user: request.user.clone(),
        ..Default::default()
    };
    let exec = docker
        .create_exec(container, options)
        .await
        .map_err(|e| exec_error(e, container))?;
    let started = Instant::now();
    let start = StartExecOptions {
        detach: false,
        tty: false,
        output_capacity: Some(1 << 20),
    };
    let results = docker
        .start_exec(&exec.id, Some(start))
        .await
        .map_err(|e| engine_error("starting a command", e))?;
    let mut outcome = ExecOutcome::default();
    let mut during_out = None;
    if let StartExecResults::Attached { mut output, .. } = results {
        let mut kept = [0u64; 2];
        let limit = request.limit;
        let pump = async {
            while let Some(frame) = output.next().await {
                let (stream, bytes) = match frame {
                    Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
                        (0, message)
                    }
                    Ok(LogOutput::StdErr { message }) => (1, message),
                    Ok(LogOutput::StdIn { .. }) => continue,
                    Err(_) => break,
                };
                let room = limit.saturating_sub(kept[stream]);
                let take = usize::try_from(room).unwrap_or(usize::MAX).min(bytes.len());
                if take < bytes.len() {
                    outcome.truncated = true;
                }
                if take == 0 {
                    continue;
                }
                kept[stream] += take as u64;
                let part = bytes[..take].to_vec();
                sink(if stream == 0 {
                    OutputChunk::Stdout(part)
                } else {
                    OutputChunk::Stderr(part)
                });
            }
        };
        let waited = async {
            match request.timeout {
                Some(limit) => tokio::time::timeout(limit + GRACE, pump).await.is_ok(),
                None => {
                    pump.await;
                    true
                }
            }
        };
        let (finished, d) = tokio::join!(waited, during);
        during_out = Some(d);
        if !finished {
            outcome.timed_out = true;
            outcome.exit_code = TIMEOUT_EXIT;
            return Ok((outcome, during_out, None));
        }
    }
    let (inspect, extra) = tokio::join!(docker.inspect_exec(&exec.id), after);
    let inspect = inspect.map_err(|e| engine_error("reading a command's exit code", e))?;
    outcome.exit_code = inspect.exit_code.unwrap_or(-1);
    if let Some(limit) = request.timeout {
        if outcome.exit_code == TIMEOUT_EXIT || outcome.exit_code == 137 {
            outcome.timed_out = started.elapsed() + Duration::from_millis(50) >= limit;
        }
    }
    let suspect = match request.oom_baseline {
        Some(_) => outcome.exit_code != 0,
        None => outcome.exit_code == 137,
    };
    if suspect && !outcome.timed_out {
        let kills = oom_kills(docker, container).await.unwrap_or(0);
        outcome.oom_killed = kills > request.oom_baseline.unwrap_or(0);
    }
    Ok((outcome, during_out, Some(extra)))
}

/// The variable that marks every process of one cancellable command: children
/// inherit it, so [`kill_marked`] finds the whole tree from a second exec (the
/// engine knows only the host's pid of an exec, useless inside the container or
/// with a remote engine).
pub const COMMAND_MARK_VAR: &str = "CODINGIT_COMMAND";

/// Kills, with SIGKILL, every process whose environment holds `$1` (the mark) and
/// its process group (an exec starts as the leader of a session of its own; a group
/// id of 0 or 1 would name processes that are not the command's, so none is
/// signalled), until none is left. Zombies have no environment left to match.
/// (dash's `kill` takes no `--`: a negative pid right after the signal names a group.)
const KILL_MARKED: &str = r#"mark="$1"; round=0
while [ "$round" -lt 50 ]; do
  found=
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    tr '\0' '\n' 2>/dev/null <"$dir/environ" | grep -qxF "$mark" || continue
    stat=$(cat "$dir/stat" 2>/dev/null) || continue
    set -- ${stat##*) }
    case "$3" in ''|*[!0-9]*|0|1) kill -KILL "$pid" 2>/dev/null ;;
      *) kill -KILL "-$3" "$pid" 2>/dev/null ;; esac
    found=1
  done
  [ -z "$found" ] && exit 0
  round=$((round + 1)); sleep 0.1
done
exit 1"#;

/// Kills the processes of the command marked `mark` (see [`COMMAND_MARK_VAR`]) and
/// only them, from a second exec as the same `user` (who may signal them).
pub async fn kill_marked(
    docker: &Docker,
    container: &str,
    mark: &str,
    user: Option<String>,
) -> Result<(), SandboxError> {
    let argv = ["sh", "-c", KILL_MARKED, "sh"]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("{COMMAND_MARK_VAR}={mark}")])
        .collect();
    let mut request = Capture::new(argv);
    request.user = user;
    request.timeout = Some(Duration::from_secs(10));
    let killed = capture(docker, container, request).await?;
    if killed.exit_code != 0 {
        return Err(SandboxError::Backend(format!(
            "processes of the command were still there after killing them (exit {}): {}",
            killed.exit_code,
            String::from_utf8_lossy(&killed.stderr).trim()
        )));
    }
    Ok(())
}

fn exec_error(e: bollard::errors::Error, container: &str) -> SandboxError {
    let text = e.to_string();
    if text.contains("is not running") {
        return SandboxError::Backend(format!(
            "the sandbox has ended (its lifetime passed or it was killed): {text}\n  \
             how to fix: start a new one, or `codingit sandbox extend` it before it ends"
        ));
    }
    engine_error(&format!("running a command in {container}"), e)
}

/// How many processes the sandbox's memory cgroup has killed for running out of
/// memory: `oom_kill` of `memory.events` (cgroup v2) or `memory.oom_control` (v1),
/// read from inside the container so it works with a remote engine too. The
/// engine's `State.OOMKilled` is not enough: it covers only the container's main
/// process, never a command run in it. `None` when neither file can be read.
async fn oom_kills(docker: &Docker, container: &str) -> Option<u64> {
    let script = "cat /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null; true";
    let argv = ["sh", "-c", script].map(String::from).to_vec();
    let mut request = Capture::new(argv);
    request.timeout = Some(Duration::from_secs(10));
    let out = Box::pin(capture(docker, container, request)).await.ok()?;
    parse_oom_kills(&String::from_utf8_lossy(&out.stdout))
}

fn parse_oom_kills(text: &str) -> Option<u64> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            (parts.next() == Some("oom_kill"))
                .then(|| parts.next()?.parse::<u64>().ok())
                .flatten()
        })
        .max()
}

/// Starts a long-running command detached; its output goes to the container logs
/// (the init process's stdout and stderr), where `logs` finds it.
pub async fn start_detached(
    docker: &Docker,
    container: &str,
    argv: &[String],
    env: Vec<String>,
    cwd: String,
) -> Result<(), SandboxError> {
    let mut cmd: Vec<String> = [
        "sh",
        "-c",
        "exec \"$@\" >>/proc/1/fd/1 2>>/proc/1/fd/2 </dev/null",
        "sh",
    ]
    .map(String::from)
    .to_vec();
    cmd.extend(argv.iter().cloned());
    let options = CreateExecOptions {
        attach_stdout: Some(false),
        attach_stderr: Some(false),
        tty: Some(false),
        cmd: Some(cmd),
        env: Some(env),
        working_dir: Some(cwd),
        ..Default::default()
    };
    let exec = docker
        .create_exec(container, options)
        .await
        .map_err(|e| exec_error(e, container))?;
    let start = StartExecOptions {
        detach: true,
        tty: false,
        output_capacity: None,
    };
    docker
        .start_exec(&exec.id, Some(start))
        .await
        .map_err(|e| engine_error("starting the app", e))?;
    Ok(())
}

/// The container logs; with `follow`, until the container stops.
pub async fn logs(
    docker: &Docker,
    container: &str,
    follow: bool,
    sink: &(dyn Fn(OutputChunk) + Send + Sync),
) -> Result<(), SandboxError> {
    let options = LogsOptionsBuilder::default()
        .stdout(true)
        .stderr(true)
        .follow(follow)
        .build();
    let mut stream = docker.logs(container, Some(options));
    while let Some(frame) = stream.next().await {
        match frame {
            Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
                sink(OutputChunk::Stdout(message.to_vec()))
            }
            Ok(LogOutput::StdErr { message }) => sink(OutputChunk::Stderr(message.to_vec())),
            Ok(LogOutput::StdIn { .. }) => {}
            Err(e) => return Err(engine_error("reading the logs", e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_oom_kills;

    #[test]
    fn oom_kill_counts_of_both_cgroup_versions() {
        let v1 = "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n";
        let v2 = "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n";
        assert_eq!(parse_oom_kills(v1), Some(3));
        assert_eq!(parse_oom_kills(v2), Some(2));
        assert_eq!(parse_oom_kills(""), None);
        assert_eq!(parse_oom_kills("oom_kill_disable 0\n"), None);
    }
}
