//! The run log library: concurrency, migration from the first schema, prune,
//! search, cost and redaction, against real SQLite files.

use codingit::runlog::{
    CallRecord, ChangeRecord, Common, Filter, GroupBy, Outcome, Redactor, RunLog, RunRecord,
    SCHEMA_VERSION, V1_SCHEMA,
};
use serde_json::json;

fn call(command: &str, model: &str, prompt: &str, answer: &str) -> CallRecord {
    CallRecord {
        common: Common {
            command: command.into(),
            project: Some("/p".into()),
            outcome: Some(Outcome::Ok),
            duration_ms: Some(12),
            ..Common::default()
        },
        provider: "mock".into(),
        model: model.into(),
        system: Some("You are a careful coder.".into()),
        messages: json!([{ "role": "user", "content": prompt }]),
        answer: Some(answer.into()),
        input_tokens: Some(100),
        output_tokens: Some(50),
        cost_usd: Some(0.25),
        ..CallRecord::default()
    }
}

#[test]
fn sixteen_concurrent_writers_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.db");
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each writer its own connection, as separate processes would have;
                // the first ones race to create and migrate the file.
                let mut log = RunLog::open(&path).unwrap();
                let none = Redactor::default();
                for i in 0..25 {
                    log.record_call(&call("new", "coder", &format!("t{t} i{i}"), "ok"), &none)
                        .unwrap();
                    log.record_run(&RunRecord::default(), &none).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let log = RunLog::open(&path).unwrap();
    let all = log.list(&Filter::default()).unwrap();
    assert_eq!(all.len(), 16 * 25 * 2);
    let calls = log.search("i24", &Filter::default()).unwrap();
    assert_eq!(calls.len(), 16, "every writer's last call is searchable");
}

#[test]
fn the_first_schema_migrates_keeping_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1_SCHEMA).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO records(ts, kind, command, provider, model, outcome, cost_usd)
                 VALUES (1000, 'call', 'new', 'mock', 'coder', 'ok', 0.5);
             INSERT INTO calls(record_id, system, messages, answer, input_tokens, output_tokens)
                 VALUES (1, 'old system prompt', '[{\"role\":\"user\",\"content\":\"plot a sine wave\"}]',
                         'here is the plot', 10, 20);
             INSERT INTO records(ts, kind, command, outcome) VALUES (2000, 'run', 'run', 'ok');
             INSERT INTO runs(record_id, backend, exit_code) VALUES (2, 'local', 0);",
        )
        .unwrap();
    }
    let mut log = RunLog::open(&path).unwrap();
    assert_eq!(log.schema_version().unwrap(), SCHEMA_VERSION);
    let old = log.show(1).unwrap().unwrap();
    assert_eq!(old["call"]["system"], "old system prompt");
    assert_eq!(old["call"]["usage"]["output_tokens"], 20);
    assert_eq!(log.show(2).unwrap().unwrap()["run"]["backend"], "local");
    assert_eq!(log.search("sine", &Filter::default()).unwrap()[0].id, 1);
    // New rows go on after the migrated ones.
    let id = log
        .record_call(&call("chat", "coder", "more", "x"), &Redactor::default())
        .unwrap();
    assert_eq!(id, 3);
    // Opening again is a no-op.
    drop(log);
    assert_eq!(
        RunLog::open(&path).unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn a_newer_schema_is_refused_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let err = RunLog::open(&path).err().unwrap().to_string();
    assert!(err.contains("newer"), "{err}");
}

#[test]
fn prune_removes_old_records_with_their_details() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.db");
    let mut log = RunLog::open(&path).unwrap();
    let none = Redactor::default();
    let old = log
        .record_call(&call("new", "coder", "ancient prompt", "a"), &none)
        .unwrap();
    log.record_changes(
        &Common::default(),
        Some(old),
        &[ChangeRecord {
            path: "a.py".into(),
            status: "modified".into(),
            diff: "-x\n+y\n".into(),
        }],
        &none,
    )
    .unwrap();
    let fresh = log
        .record_call(&call("new", "coder", "fresh prompt", "b"), &none)
        .unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE records SET ts = 1000 WHERE id = ?1", [old])
        .unwrap();
    assert_eq!(log.prune(10_000).unwrap(), 1);
    let left: Vec<i64> = log
        .list(&Filter::default())
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(left, vec![fresh]);
    assert!(log
        .search("ancient", &Filter::default())
        .unwrap()
        .is_empty());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let changes: i64 = conn
        .query_row("SELECT count(*) FROM changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(changes, 0, "details go with their record");
}

#[test]
fn filters_cost_and_system_prompts_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.db");
    let mut log = RunLog::open(&path).unwrap();
    let none = Redactor::default();
    log.record_call(&call("new", "coder", "a", "a"), &none)
        .unwrap();
    log.record_call(&call("chat", "coder", "b", "b"), &none)
        .unwrap();
    let mut failed = call("edit", "vision", "c", "boom");
    failed.common.outcome = Some(Outcome::Failed);
    failed.common.error_kind = Some("timeout".into());
    log.record_call(&failed, &none).unwrap();
    let only = |f: Filter| log.list(&f).unwrap().len();
    assert_eq!(
        only(Filter {
            model: Some("mock/coder".into()),
            ..Filter::default()
        }),
        2
    );
    assert_eq!(
        only(Filter {
            model: Some("vision".into()),
            ..Filter::default()
        }),
        1
    );
    assert_eq!(
        only(Filter {
            command: Some("chat".into()),
            ..Filter::default()
        }),
        1
    );
    assert_eq!(
        only(Filter {
            failed: true,
            ..Filter::default()
        }),
        1
    );
    assert_eq!(
        only(Filter {
            limit: 2,
            ..Filter::default()
        }),
        2
    );
    assert_eq!(
        only(Filter {
            since_ms: Some(i64::MAX),
            ..Filter::default()
        }),
        0
    );
    let cost = log.cost(GroupBy::Model, &Filter::default()).unwrap();
    assert_eq!(cost[0].key, "mock/coder");
    assert_eq!(cost[0].calls, 2);
    assert!((cost[0].cost_usd - 0.5).abs() < 1e-9);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let prompts: i64 = conn
        .query_row("SELECT count(*) FROM system_prompts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(prompts, 1, "one system prompt, stored once");
}

#[test]
fn no_secret_reaches_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.db");
    let mut log = RunLog::open(&path).unwrap();
    let redactor = Redactor::new(["configured-secret-0123456789".to_string()]);
    let mut record = call(
        "new",
        "coder",
        "use configured-secret-0123456789 and sk-ant-api03-AAAAAAAAAAAAAAAAAAAA",
        "Authorization: Bearer abcdefghijklmnopqrstuvwxyz",
    );
    record.system = Some("key configured-secret-0123456789".into());
    log.record_call(&record, &redactor).unwrap();
    drop(log);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let text = String::from_utf8_lossy(&bytes);
    for secret in [
        "configured-secret",
        "sk-ant-api03",
        "abcdefghijklmnopqrstuvwxyz",
    ] {
        assert!(!text.contains(secret), "{secret} is in the database");
    }
    assert!(text.contains("[REDACTED]"));
}

#[test]
fn the_wal_stays_small_when_every_process_writes_once() {
    // Each command is a process that opens the log, writes one record and exits; the
    // WAL must not grow with the number of commands, since every opening reads it all.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.db");
    let none = Redactor::default();
    for i in 0..300 {
        let mut log = RunLog::open(&path).unwrap();
        log.record_call(&call("edit", "coder", &format!("p{i}"), "ok"), &none)
            .unwrap();
    }
    let wal = std::fs::metadata(dir.path().join("logs.db-wal")).map_or(0, |m| m.len());
    assert!(wal < 512 * 1024, "the WAL grew to {wal} bytes");
    let log = RunLog::open(&path).unwrap();
    assert_eq!(log.list(&Filter::default()).unwrap().len(), 300);
}

#[test]
fn a_run_begun_as_running_is_completed_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.db");
    let mut log = RunLog::open(&path).unwrap();
    let none = Redactor::default();
    let mut run = RunRecord {
        common: Common {
            command: "run".into(),
            project: Some("/p".into()),
            outcome: Some(Outcome::Running),
            ..Common::default()
        },
        backend: Some("local".into()),
        sandbox_id: Some("sb-1".into()),
        ..RunRecord::default()
    };
    let id = log.record_run(&run, &none).unwrap();
    assert_eq!(log.list(&Filter::default()).unwrap()[0].outcome, "running");
    run.common.outcome = Some(Outcome::Failed);
    run.common.duration_ms = Some(40);
    run.exit_code = Some(1);
    run.artifacts = vec!["/p/.codingit/results/figure-1.png".into()];
    assert_eq!(log.finish_run(id, &run, &none).unwrap(), id);
    let shown = log.show(id).unwrap().unwrap();
    assert_eq!(shown["outcome"], "failed");
    assert_eq!(shown["duration_ms"], 40);
    assert_eq!(shown["run"]["exit_code"], 1);
    assert_eq!(shown["run"]["sandbox_id"], "sb-1");
    assert_eq!(
        shown["run"]["artifacts"][0],
        "/p/.codingit/results/figure-1.png"
    );
    assert_eq!(log.list(&Filter::default()).unwrap().len(), 1);
    // Pruned while it ran: recorded anew rather than lost.
    assert_eq!(log.prune(i64::MAX).unwrap(), 1);
    let again = log.finish_run(id, &run, &none).unwrap();
    assert_ne!(again, id);
    assert_eq!(log.show(again).unwrap().unwrap()["run"]["exit_code"], 1);
}
