//! The E2B backend through the library against the local spec-faithful server
//! (tests/e2b_server), when the protocol goes wrong: a stream cut mid-way, an
//! end-of-stream error, a refused key (401), rate limits (429 with Retry-After), a
//! sandbox that ended, and one killed by its timeout while a command waits. Each is
//! an error naming what happened, never a clean exit or a hang. When it goes right:
//! e2b_protocol.rs.

use crate::e2b_protocol::{argv, exec, interpreter_sandbox, rt};
use crate::support::e2b::backend;
use crate::support::e2b_server::E2bServer;
use codingit::sandbox::e2b::config::E2bConfig;
use codingit::sandbox::e2b::E2bBackend;
use codingit::sandbox::{Backend, SandboxError};
use std::collections::BTreeMap;
use std::time::Duration;

#[test]
fn a_stream_cut_mid_way_is_an_error_not_a_clean_exit() {
    let _solo = crate::support::solo("e2b_failures");
    let server = E2bServer::start();
    let b = backend(&server);
    rt().block_on(async {
        let id = interpreter_sandbox(&b).await;
        server.faults().cut_stream_after = Some(2);
        let (_, _, r) = exec(
            &b,
            &id,
            &argv(&["sh", "-c", "echo one; sleep 0.2; echo two"]),
        )
        .await;
        let err = r.unwrap_err().to_string();
        assert!(err.contains("cut before its end"), "{err}");
        b.kill(&id).await.unwrap();
    });
}

#[test]
fn an_end_of_stream_error_is_reported() {
    let _solo = crate::support::solo("e2b_failures");
    let server = E2bServer::start();
    let b = backend(&server);
    rt().block_on(async {
        let id = interpreter_sandbox(&b).await;
        server.faults().end_stream_error =
            Some(("resource_exhausted".into(), "out of file handles".into()));
        let (out, _, r) = exec(&b, &id, &argv(&["echo", "hi"])).await;
        assert_eq!(out, "hi\n");
        let err = r.unwrap_err().to_string();
        assert!(
            err.contains("resource_exhausted") && err.contains("out of file handles"),
            "{err}"
        );
    });
}

#[test]
fn a_refused_key_names_the_variable() {
    let _solo = crate::support::solo("e2b_failures");
    let server = E2bServer::start();
    let vars: BTreeMap<&str, String> = server.env().into_iter().collect();
    let config = E2bConfig::from_lookup(
        |n| {
            if n == "E2B_API_KEY" {
                Some("e2b_wrong".into())
            } else {
                vars.get(n).cloned()
            }
        },
        BTreeMap::new(),
    )
    .unwrap();
    let b = E2bBackend::new(config).unwrap();
    let err = rt().block_on(b.list()).unwrap_err();
    assert!(matches!(err, SandboxError::Unavailable { .. }));
    let text = err.to_string();
    assert!(
        text.contains("401") && text.contains("E2B_API_KEY"),
        "{text}"
    );
    assert!(
        !text.contains("e2b_wrong"),
        "the key is never printed: {text}"
    );
}

#[test]
fn rate_limits_are_retried_after_retry_after() {
    let _solo = crate::support::solo("e2b_failures");
    let server = E2bServer::start();
    let b = backend(&server);
    let limited = || {
        (
            429,
            vec![("Retry-After".to_string(), "1".to_string())],
            serde_json::json!({"code": 429, "message": "rate limit"}),
        )
    };
    server.faults().api_answers.push_back(limited());
    let started = std::time::Instant::now();
    rt().block_on(b.list()).unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    // Past the attempts, the error says when to retry.
    for _ in 0..4 {
        server.faults().api_answers.push_back(limited());
    }
    let err = rt().block_on(b.list()).unwrap_err().to_string();
    assert!(err.contains("429") && err.contains("retry in"), "{err}");
}

#[test]
fn a_sandbox_that_ended_is_reported_as_ended() {
    let _solo = crate::support::solo("e2b_failures");
    let server = E2bServer::start();
    let b = backend(&server);
    rt().block_on(async {
        let id = interpreter_sandbox(&b).await;
        b.write_files(&id, &[("a".into(), b"x".to_vec())])
            .await
            .unwrap();
        assert!(server.end(&id));
        // envd's address now answers 404; the control plane confirms it is gone.
        let err = b.read_file(&id, "a").await.unwrap_err().to_string();
        assert!(err.contains("has ended"), "{err}");
        assert!(server
            .requests()
            .iter()
            .any(|r| r == &format!("GET /sandboxes/{id}")));
    });
}

#[test]
fn a_sandbox_killed_by_its_timeout_while_a_command_waits() {
    let _solo = crate::support::solo("e2b_failures");
    let server = E2bServer::start();
    server.faults().force_timeout = Some(1);
    let b = backend(&server);
    rt().block_on(async {
        let id = interpreter_sandbox(&b).await;
        let (_, _, r) = exec(&b, &id, &argv(&["sleep", "30"])).await;
        let err = r.unwrap_err().to_string();
        assert!(
            err.contains("has ended") && err.contains("timeout"),
            "{err}"
        );
    });
    assert_eq!(server.running(), 0);
}
