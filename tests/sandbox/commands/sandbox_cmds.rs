//! `codingit sandbox ls|exec|extend|logs|kill` on a live sandbox of any backend.

use super::{json, text, Live};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The `sandbox ls --json` row of the live sandbox, if listed (the e2b worlds share a
/// server, so other tests' sandboxes may be listed beside it).
fn row(live: &Live) -> Option<serde_json::Value> {
    let out = live.sandbox(&["ls", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    json(&out)
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == live.id.as_str())
        .cloned()
}

pub fn ls_extend_logs_and_kill(backend: &str) {
    let Some(live) = Live::new(backend) else {
        return;
    };
    let id = live.id.as_str();

    let out = live.sandbox(&["ls"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.lines().next().unwrap().contains("BACKEND"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.contains(id) && l.split_whitespace().any(|c| c == backend)),
        "{table}"
    );
    let listed = row(&live).expect("the live sandbox is not listed");
    assert_eq!(listed["backend"], backend, "{listed}");
    assert_eq!(listed["project"], "codingit-tests", "{listed}");
    assert_eq!(listed["template"], "code-interpreter-v1", "{listed}");
    let remaining = listed["remaining_secs"].as_u64().unwrap();
    assert!(remaining > 0 && remaining <= 300, "{listed}");

    // Extend: the new end is reported and listed.
    let out = live
        .sandbox(&["extend", id, "2h", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let extended = json(&out);
    assert_eq!(extended["id"], id);
    let remaining = extended["remaining_secs"].as_u64().unwrap();
    assert!(remaining > 7000 && remaining <= 7500, "{extended}");
    let listed = row(&live).unwrap();
    assert!(
        listed["remaining_secs"].as_u64().unwrap() > 7000,
        "{listed}"
    );
    let out = live.sandbox(&["extend", id, "2h"]).output().unwrap();
    assert!(
        text(&out.stdout).contains(&format!("{id} now ends in")),
        "{out:?}"
    );

    let out = live.sandbox(&["logs", id]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Kill: gone from the list, from `files`, and from the host.
    let out = live.kill();
    assert!(
        text(&out.stdout).contains(&format!("killed {id}")),
        "{out:?}"
    );
    assert!(row(&live).is_none(), "a killed sandbox is listed");
    let out = live.files(&["ls"]).output().unwrap();
    assert!(!out.status.success(), "files on a killed sandbox worked");
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(id), "{}", text(&out.stderr));
    let out = live.sandbox(&["kill", id]).output().unwrap();
    assert_eq!(out.status.code(), Some(7), "killed twice: {out:?}");
    live.w.assert_nothing_left();
}

pub fn exec_streams_output_and_passes_exit_codes(backend: &str) {
    let Some(live) = Live::new(backend) else {
        return;
    };
    // Both streams, and the remote exit code.
    let out = live.exec(&[], &["sh", "-c", "echo out; echo err >&2; exit 7"]);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "out\n");
    assert!(text(&out.stderr).contains("err\n"), "{}", text(&out.stderr));
    let out = live.exec(&[], &["true"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The time limit (124) and a signal (128+9).
    let started = Instant::now();
    let out = live.exec(&["--timeout", "500ms"], &["sleep", "30"]);
    assert_eq!(out.status.code(), Some(124), "{}", text(&out.stderr));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the limit waited"
    );
    let out = live.exec(&[], &["sh", "-c", "kill -KILL $$"]);
    assert_eq!(out.status.code(), Some(137), "{}", text(&out.stderr));

    // The working folder: relative to the home; a missing one is an error.
    let out = live.exec(&["--cwd", "missing"], &["pwd"]);
    assert!(
        !out.status.success(),
        "a missing folder is an error: {out:?}"
    );
    live.sh("mkdir -p sub/deeper");
    let out = live.exec(&["--cwd", "sub/deeper"], &["pwd"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("/sub/deeper\n"), "{out:?}");

    // --json gathers both streams into one document; the exit code stays the command's.
    let out = live.exec(&["--json"], &["sh", "-c", "echo out; echo err >&2; exit 3"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let doc = json(&out);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["id"], live.id.as_str());
    assert_eq!(doc["stdout"], "out\n");
    assert_eq!(doc["stderr"], "err\n");
    assert_eq!(doc["exit_code"], 3);
    assert_eq!(doc["timed_out"], false);
    assert_eq!(doc["cancelled"], false);
    let out = live.exec(&["--json", "--timeout", "500ms"], &["sleep", "30"]);
    assert_eq!(out.status.code(), Some(124));
    let doc = json(&out);
    assert_eq!(
        (&doc["exit_code"], &doc["timed_out"]),
        (&124.into(), &true.into())
    );

    // Streamed: the first line arrives while the command still runs (it then runs
    // into its 10 s limit); gathered output would come only at the end.
    let started = Instant::now();
    let mut child = live
        .w
        .spawn_cmd()
        .args(["sandbox", "--backend", backend, "exec", &live.id])
        .args(["--timeout", "10s", "--", "sh", "-c", "echo first; sleep 30"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let arrived = started.elapsed();
    assert_eq!(line, "first\n");
    assert!(
        arrived < Duration::from_secs(8),
        "not streamed: {arrived:?}"
    );
    assert_eq!(child.wait().unwrap().code(), Some(124));
    assert!(started.elapsed() >= Duration::from_secs(10));

    live.kill();
    live.w.assert_nothing_left();
}
