//! Every `--events` type docs/json-formats.md documents (`codingit::events::KINDS`) is
//! printed by a real command here (a mock model server, the local sandbox backend) and parses back into
//! `codingit::events::Event`, the type the binary prints it from.

use crate::support::containment::cache_dir;
use crate::support::mock_llm::*;
use crate::support::TestEnv;
use codingit::events::Event;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::time::Duration;
use wiremock::ResponseTemplate;

/// Parses every stdout line back into an event; each type seen goes into `seen`.
fn parse_events(stdout: &[u8], seen: &mut BTreeSet<String>) -> Vec<Event> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| {
            let event =
                Event::from_line(line).unwrap_or_else(|e| panic!("not an event ({e}): {line}"));
            assert!(
                line.starts_with(r#"{"schema_version":1,"type":""#),
                "{line}"
            );
            seen.insert(event.kind());
            event
        })
        .collect()
}

fn cmd(env: &TestEnv) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.env("CODINGIT_CACHE_DIR", cache_dir())
        .env("CODINGIT_BACKEND", "local")
        .timeout(Duration::from_secs(600));
    cmd
}

fn answer(value: &Value) -> ResponseTemplate {
    sse_response(sse_text(&value.to_string()))
}

fn cell(code: &str) -> Value {
    let mut fragment = interpreter_fragment();
    fragment["code"] = json!(code);
    fragment["files"] = json!([]);
    fragment
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_event_type_is_printed_and_parses_back() {
    let _solo = crate::support::solo("events");
    // A fragment that contradicts itself (repair), a rate limit (retry), then good
    // answers for each command below, in the order they ask.
    let mut contradicting = interpreter_fragment();
    contradicting["has_additional_dependencies"] = json!(true);
    let escaping_edit = json!({
        "commentary": "Document add.",
        "edits": [{"file_path": "../outside.py", "instruction": "x", "edit": "x = 1\n"}]
    });
    let answers = vec![
        answer(&contradicting),
        ResponseTemplate::new(429).insert_header("retry-after", "0"),
        answer(&interpreter_fragment()),
        answer(&escaping_edit),
        answer(&lazy_docstring_edit()),
        answer(&cell("values = [3, 0]\nprint(values[0] / values[1])\n")),
        answer(&cell("values = [3, 1]\nprint(values[0] / values[1])\n")),
        answer(&crate::support::repo::two_file_rename()),
    ];
    let (env, _server) = mock_env(answers).await;
    let built = cmd(&env)
        .args([
            "templates",
            "build",
            "code-interpreter-v1",
            "--backend",
            "local",
        ])
        .output()
        .unwrap();
    if !built.status.success() && !crate::support::in_ci() {
        eprintln!("skipped: no local sandbox here");
        return;
    }
    let mut seen = BTreeSet::new();
    let mut run = |args: &[&str], stdin: Option<&str>| {
        let mut command = cmd(&env);
        command.args(args);
        if let Some(text) = stdin {
            command.write_stdin(text);
        }
        let out = command.output().unwrap();
        let events = parse_events(&out.stdout, &mut seen);
        (out, events)
    };

    // Generation: a repair round, a retried call, the stream, the project.
    let (out, _) = run(&["new", "sum", "-o", "app", "--events"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A lazy turn whose first answer writes outside the project: a repair round.
    let (out, _) = run(
        &["chat", "-C", "app", "--lazy", "document add", "--events"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Checks that fail, a fix round, checks that pass.
    let (out, _) = run(
        &["chat", "-C", "app", "divide", "--check", "--events"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A repository turn: the context it sends.
    crate::support::repo::make_repo(env.path(), "repo", &crate::support::repo::python_files());
    let (out, _) = run(&["chat", "-C", "repo", "rename shout", "--events"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A cell: both streams, a chart, its value and its exit.
    let code = "import sys\nimport matplotlib.pyplot as plt\nprint('out')\n\
                print('err', file=sys.stderr)\nplt.plot([1, 2])\n6 * 7\n";
    let (out, events) = run(&["run", "-", "--events"], Some(code));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::ExecResult { value, .. } if value == &json!("42"))),
        "{events:?}"
    );
    // codingit's own failure.
    let (out, events) = run(&["run", "no-such-file.py", "--events"], None);
    assert!(!out.status.success());
    assert!(matches!(events.last(), Some(Event::Error { kind, .. }) if kind == "usage"));

    // A web app: its preview, then its log, until Ctrl-C.
    app_events(&env, &mut seen);

    // `codingit::events::KINDS` is pinned to docs/json-formats.md by the library's tests.
    let missing: Vec<&str> = codingit::events::KINDS
        .into_iter()
        .filter(|t| !seen.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "documented but never printed: {missing:?} (seen {seen:?})"
    );
}

/// `run --events` on a streamlit app: reads lines until the preview is ready and its
/// log has spoken, then stops it the way a user does.
fn app_events(env: &TestEnv, seen: &mut BTreeSet<String>) {
    let built = cmd(env)
        .args([
            "templates",
            "build",
            "streamlit-developer",
            "--backend",
            "local",
        ])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let dir = env.path().join("web");
    let fragment: codingit::fragment::Fragment = serde_json::from_value(json!({
        "commentary": "c", "template": "streamlit-developer", "title": "Hi",
        "description": "d", "additional_dependencies": [], "has_additional_dependencies": false,
        "install_dependencies_command": "", "port": 8501, "file_path": "app.py",
        "code": "import streamlit as st\nst.title('hi')\n", "files": []
    }))
    .unwrap();
    let history = [codingit::fragment::project::HistoryEntry::now(
        "user", "web",
    )];
    codingit::fragment::project::write_new(&dir, &fragment, &history, false).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("codingit"));
    for var in crate::support::SCRUBBED_VARS {
        child.env_remove(var);
    }
    let mut child = child
        .args(["run", "web", "--events"])
        .env("CODINGIT_CONFIG_DIR", env.config_dir())
        .env("CODINGIT_STATE_DIR", env.path().join("state"))
        .env("CODINGIT_CACHE_DIR", cache_dir())
        .env("CODINGIT_BACKEND", "local")
        .env("HOME", env.path())
        .current_dir(env.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        lines.push(line.clone());
        let event = Event::from_line(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        seen.insert(event.kind());
        if seen.contains("preview.ready") && matches!(event, Event::AppLog { .. }) {
            break;
        }
    }
    // The signal Ctrl-C sends.
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{lines:?}");
}
