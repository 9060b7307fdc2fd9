//! The protocol is pinned to docs/json-formats.md: every documented type is a
//! variant, every variant is documented, and every variant parses back as printed.

use super::*;
use crate::fragment::Fragment;

fn fragment() -> Fragment {
    Fragment {
        commentary: "a plan".into(),
        template: "code-interpreter-v1".into(),
        title: "Hello".into(),
        description: "Says hello.".into(),
        additional_dependencies: Vec::new(),
        has_additional_dependencies: false,
        install_dependencies_command: String::new(),
        port: None,
        file_path: "script.py".into(),
        code: "print('hello')".into(),
        files: Vec::new(),
    }
}

/// One of each variant.
fn every_event() -> Vec<Event> {
    let text = || "a piece".to_string();
    vec![
        Event::FragmentDelta { text: text() },
        Event::EditDelta { text: text() },
        Event::FragmentRepair {
            round: 1,
            errors: vec!["no code".into()],
        },
        Event::EditRepair {
            round: 1,
            errors: vec!["no edit".into()],
        },
        Event::LlmRetry {
            attempt: 2,
            wait_ms: 500,
            reason: "429".into(),
        },
        Event::FragmentCompleted {
            fragment: Box::new(fragment()),
            usage: Usage::default(),
            repair_rounds: 0,
        },
        Event::ProjectWritten {
            folder: "app".into(),
            files: vec!["app.py".into()],
        },
        Event::ChatContext {
            files: vec!["src/lib.rs".into()],
            listed: 3,
            tokens: 120,
            budget: 2000,
        },
        Event::ChatApplied {
            dry_run: false,
            changes: vec![ChangeEvent {
                path: "app.py".into(),
                status: "modified".into(),
                from: None,
                diff: "-a\n+b\n".into(),
            }],
        },
        Event::CheckStarted { round: 1 },
        Event::CheckResult {
            round: 1,
            passed: false,
            checks: Vec::new(),
        },
        Event::FixRound { round: 2 },
        Event::SandboxCreated {
            sandbox_id: "s1".into(),
            backend: "local".into(),
            template: "t".into(),
        },
        Event::SandboxConfinement(Box::default()),
        Event::ExecStdout { text: text() },
        Event::ExecStderr { text: text() },
        Event::ExecArtifact {
            path: "chart.png".into(),
        },
        Event::ExecResult {
            value: Value::from(42),
            error: None,
            artifacts: vec!["chart.png".into()],
        },
        Event::ExecExit {
            exit_code: 1,
            timed_out: false,
            truncated: false,
            oom_killed: false,
        },
        Event::PreviewReady {
            sandbox_id: "s1".into(),
            url: "http://127.0.0.1:1".into(),
        },
        Event::AppLog { text: text() },
        Event::Error {
            kind: "usage".into(),
            message: "no".into(),
        },
    ]
}

/// The types named in the first column of the documented event tables.
fn documented_types() -> std::collections::BTreeSet<String> {
    let doc = include_str!("../docs/json-formats.md");
    let mut types = std::collections::BTreeSet::new();
    let mut in_events = false;
    for line in doc.lines() {
        if line.starts_with("## ") {
            in_events = line.contains("--events");
        } else if in_events && line.starts_with("| `") {
            let first = line.split('|').nth(1).unwrap_or_default();
            for (i, part) in first.split('`').enumerate() {
                if i % 2 == 1 && !part.contains(' ') {
                    types.insert(part.to_string());
                }
            }
        }
    }
    types
}

#[test]
fn every_documented_type_is_a_variant_and_every_variant_is_documented() {
    let printed: std::collections::BTreeSet<String> =
        every_event().iter().map(Event::kind).collect();
    assert_eq!(printed, documented_types());
}

#[test]
fn every_variant_parses_back_as_printed() -> Result<(), serde_json::Error> {
    for event in every_event() {
        let line = event.to_line(1)?;
        assert!(
            line.starts_with(r#"{"schema_version":1,"type":""#),
            "{line}"
        );
        assert_eq!(Event::from_line(&line)?, event, "{line}");
    }
    Ok(())
}
