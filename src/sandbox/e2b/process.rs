//! Commands in an E2B sandbox: `process.Process/Start` streams the start, the
//! output and the end of one process; a time limit is enforced here with
//! `SendSignal` (SIGKILL), and envd's own deadline (`Connect-Timeout-Ms`) backs it.

use super::envd::{Envd, EnvdError};
use crate::sandbox::{ExecOutcome, OutputChunk};
use base64::Engine as _;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

/// How long after the time limit envd's own deadline ends the call.
const DEADLINE_MARGIN: Duration = Duration::from_secs(10);
/// How long the end of a killed process is awaited.
const KILL_GRACE: Duration = Duration::from_secs(10);

/// One command to start (paths already confined and absolute).
pub struct Command<'a> {
    pub argv: &'a [String],
    pub env: &'a BTreeMap<String, String>,
    pub cwd: &'a str,
    pub timeout: Option<Duration>,
    /// Bytes kept per stream; past it output is dropped and `truncated` set.
    pub output_bytes: u64,
    /// A tag to find the process again (`Process/Connect`, `SendSignal`).
    pub tag: Option<&'a str>,
}

/// The `StartRequest` message in protobuf's JSON mapping.
pub fn start_request(command: &Command<'_>) -> Result<Value, EnvdError> {
    let (cmd, args) = command
        .argv
        .split_first()
        .ok_or_else(|| EnvdError::Unreachable("an empty command".into()))?;
    let mut request = json!({
        "process": { "cmd": cmd, "args": args, "envs": command.env, "cwd": command.cwd },
        "stdin": false,
    });
    if let Some(tag) = command.tag {
        request["tag"] = json!(tag);
    }
    Ok(request)
}

/// Runs a command to its end, streaming its output into `sink`.
pub async fn run(
    envd: &Envd,
    command: &Command<'_>,
    sink: &(dyn Fn(OutputChunk) + Send + Sync),
) -> Result<ExecOutcome, EnvdError> {
    let deadline = command.timeout.map(|t| t + DEADLINE_MARGIN);
    let mut stream = envd
        .stream("process.Process/Start", &start_request(command)?, deadline)
        .await?;
    let mut outcome = ExecOutcome::default();
    let mut pid: Option<u64> = None;
    let mut kept = [0u64; 2];
    let limit = command.timeout.map(|t| tokio::time::Instant::now() + t);
    loop {
        let next = match limit {
            Some(at) if !outcome.timed_out => tokio::select! {
                n = stream.next() => n,
                _ = tokio::time::sleep_until(at) => {
                    outcome.timed_out = true;
                    if let Some(pid) = pid {
                        let _ = kill(envd, pid).await;
                    }
                    continue;
                }
            },
            _ if outcome.timed_out => tokio::time::timeout(KILL_GRACE, stream.next())
                .await
                .unwrap_or(Ok(None)),
            _ => stream.next().await,
        };
        let message = match next {
            Ok(Some(message)) => message,
            Ok(None) => break,
            // envd ended the call at its deadline: the same as our limit.
            Err(EnvdError::Call(e)) if e.code() == "deadline_exceeded" && limit.is_some() => {
                outcome.timed_out = true;
                break;
            }
            Err(e) => return Err(e),
        };
        let event = &message["event"];
        if let Some(start) = event.get("start") {
            pid = Some(number(&start["pid"]));
            // The limit passed before envd said which process it started.
            if let (true, Some(pid)) = (outcome.timed_out, pid) {
                let _ = kill(envd, pid).await;
            }
        } else if let Some(data) = event.get("data") {
            for (index, name) in ["stdout", "stderr"].iter().enumerate() {
                let Some(text) = data.get(*name).and_then(Value::as_str) else {
                    continue;
                };
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(|e| {
                        EnvdError::Unreachable(format!("undecodable {name} from envd: {e}"))
                    })?;
                let room = command.output_bytes.saturating_sub(kept[index]);
                let take = (bytes.len() as u64).min(room) as usize;
                if take < bytes.len() {
                    outcome.truncated = true;
                }
                if take > 0 {
                    kept[index] += take as u64;
                    let bytes = bytes[..take].to_vec();
                    sink(if index == 0 {
                        OutputChunk::Stdout(bytes)
                    } else {
                        OutputChunk::Stderr(bytes)
                    });
                }
            }
        } else if let Some(end) = event.get("end") {
            outcome.exit_code = exit_code(end);
        }
    }
    if outcome.timed_out && outcome.exit_code == 0 {
        outcome.exit_code = 128 + 9;
    }
    Ok(outcome)
}

/// Starts a command and returns once envd says it started (the process goes on
/// after the call is dropped).
pub async fn spawn(envd: &Envd, command: &Command<'_>) -> Result<u64, EnvdError> {
    let mut stream = envd
        .stream("process.Process/Start", &start_request(command)?, None)
        .await?;
    while let Some(message) = stream.next().await? {
        if let Some(start) = message["event"].get("start") {
            return Ok(number(&start["pid"]));
        }
    }
    Err(EnvdError::Unreachable(
        "envd ended the start of the app without starting it".into(),
    ))
}

pub async fn kill(envd: &Envd, pid: u64) -> Result<(), EnvdError> {
    envd.unary::<Value>(
        "process.Process/SendSignal",
        &json!({ "process": { "pid": pid }, "signal": "SIGNAL_SIGKILL" }),
    )
    .await
    .map(|_| ())
}

/// Ends the process started with `tag` (SIGKILL), for a cancelled command.
pub async fn kill_tagged(envd: &Envd, tag: &str) -> Result<(), EnvdError> {
    envd.unary::<Value>(
        "process.Process/SendSignal",
        &json!({ "process": { "tag": tag }, "signal": "SIGNAL_SIGKILL" }),
    )
    .await
    .map(|_| ())
}

/// Our exit code from an `EndEvent`: the code of a process that exited, 128+n for
/// one ended by signal n (envd reports `status: "signal: killed"` and no code).
pub fn exit_code(end: &Value) -> i64 {
    let status = end["status"].as_str().unwrap_or_default();
    if let Some(name) = status.strip_prefix("signal: ") {
        return 128 + signal_number(name);
    }
    let code = end["exitCode"].as_i64().unwrap_or(0);
    if end["exited"].as_bool() == Some(false) && code < 0 {
        return 128 + 9;
    }
    code
}

/// The signal in Go's `ProcessState` text (`killed`, `terminated`, …).
fn signal_number(name: &str) -> i64 {
    match name.trim() {
        "hangup" => 1,
        "interrupt" => 2,
        "quit" => 3,
        "aborted" => 6,
        "segmentation fault" => 11,
        "broken pipe" => 13,
        "alarm clock" => 14,
        "terminated" => 15,
        "user defined signal 1" => 10,
        "user defined signal 2" => 12,
        other => other
            .strip_prefix("signal ")
            .and_then(|n| n.parse().ok())
            .unwrap_or(9),
    }
}

/// A protobuf JSON number (uint32 as a number, 64-bit integers as strings).
pub fn number(value: &Value) -> u64 {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_and_signals() {
        assert_eq!(
            exit_code(&json!({"exitCode": 3, "exited": true, "status": "exit status 3"})),
            3
        );
        assert_eq!(
            exit_code(&json!({"exited": true, "status": "exit status 0"})),
            0
        );
        assert_eq!(
            exit_code(&json!({"exitCode": -1, "status": "signal: killed"})),
            137
        );
        assert_eq!(
            exit_code(&json!({"exitCode": -1, "status": "signal: terminated"})),
            143
        );
        assert_eq!(exit_code(&json!({"exitCode": -1, "exited": false})), 137);
        assert_eq!(number(&json!("12")), 12);
    }

    #[test]
    fn the_start_request_is_plain_argv() {
        let argv = vec!["python3".to_string(), "a b.py".to_string()];
        let env = BTreeMap::new();
        let c = Command {
            argv: &argv,
            env: &env,
            cwd: "/home/user",
            timeout: None,
            output_bytes: 1,
            tag: None,
        };
        let r = start_request(&c).unwrap();
        assert_eq!(r["process"]["cmd"], "python3");
        assert_eq!(r["process"]["args"], json!(["a b.py"]));
        assert_eq!(r["stdin"], false);
    }
}
