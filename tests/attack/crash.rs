//! Crash recovery, attacked with real `kill -9` and with planted leftovers: a killed
//! `new` leaves a staging folder, a killed turn an undo snapshot without its manifest
//! and temporary files; the next run cleans only what is ours (our names, owner gone
//! or older than a minute), never follows a link, and `chat --undo` keeps working.

use crate::support::mock_llm::*;
use crate::support::TestEnv;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

const CANARY: &str = "host canary: must stay unread and unchanged\n";

fn canary(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.path().join("host-folder");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("secret"), CANARY).unwrap();
    dir
}

fn assert_canary(dir: &Path) {
    assert_eq!(std::fs::read_to_string(dir.join("secret")).unwrap(), CANARY);
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1);
}

fn run(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn project_with(answers: Vec<Value>) -> (TestEnv, wiremock::MockServer) {
    let mut all = vec![interpreter_fragment()];
    all.extend(answers);
    let (env, server) = mock_env_json(&all).await;
    let out = run(
        &env,
        &["new", "hi", "-t", "code-interpreter-v1", "-o", "app"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    (env, server)
}

/// The binary as a plain process of this test's world, to be killed.
fn spawn(env: &TestEnv, args: &[&str]) -> std::process::Child {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("codingit"));
    for var in crate::support::SCRUBBED_VARS {
        cmd.env_remove(var);
    }
    cmd.env("CODINGIT_CONFIG_DIR", env.config_dir())
        .env("CODINGIT_CACHE_DIR", env.path().join("cache"))
        .env("CODINGIT_STATE_DIR", env.path().join("state"))
        .env("HOME", env.path())
        .env("OLLAMA_HOST", "127.0.0.1:9")
        .current_dir(env.path())
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd.spawn().unwrap()
}

/// Kills `child` with SIGKILL as soon as `ready` says so; panics if it ends first.
fn kill_when(mut child: std::process::Child, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if ready() {
            child.kill().unwrap();
            let _ = child.wait();
            return;
        }
        if child.try_wait().unwrap().is_some() {
            panic!("the run finished before it could be killed");
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = child.kill();
    panic!("the moment to kill never came");
}

/// A fragment with `n` small files spread over 100 folders.
fn many_files(n: usize, code: &str) -> Value {
    let mut big = interpreter_fragment();
    let files: Vec<Value> = (0..n)
        .map(|i| json!({"file_path": format!("pkg{}/m{i}.py", i % 100), "code": code}))
        .collect();
    big["files"] = json!(files);
    big
}

fn age(path: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

/// Leftovers of killed runs: staging folders of `new` (ours, owner gone or old) are
/// removed by the next `new`; others, links and young ones of live runs stay. An
/// undo snapshot without its manifest is ignored by `chat --undo` and removed; our
/// old temporary files are removed, other files kept.
#[tokio::test(flavor = "multi_thread")]
async fn leftovers_of_killed_runs_are_cleaned_safely() {
    let _solo = crate::support::solo("attack_crash");
    let (env, _server) = project_with(vec![interpreter_fragment(), interpreter_fragment()]).await;
    let host = canary(&env);
    let p = env.path();
    let dead = p.join(".app2.codingit-staging-999999999-0000abcd");
    std::fs::create_dir_all(dead.join("deep/er")).unwrap();
    std::fs::write(dead.join("deep/er/f.py"), "x").unwrap();
    std::os::unix::fs::symlink(&host, dead.join("link")).unwrap();
    let live = p.join(format!(
        ".app3.codingit-staging-{}-0000abcd",
        std::process::id()
    ));
    std::fs::create_dir_all(&live).unwrap();
    let not_ours = p.join(".app4.codingit-staging-12-xyz");
    std::fs::create_dir_all(&not_ours).unwrap();
    let link = p.join(".app5.codingit-staging-999999999-0000abcd");
    std::os::unix::fs::symlink(&host, &link).unwrap();
    let out = run(
        &env,
        &["new", "hi", "-t", "code-interpreter-v1", "-o", "app2"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dead.exists(), "a dead run's staging folder was kept");
    assert!(live.exists() && not_ours.exists() && link.is_symlink());
    assert_canary(&host);

    // A turn, then what a kill during the next snapshot and writes leaves.
    let out = run(&env, &["chat", "more", "-C", "app"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let app = p.join("app");
    let torn = app.join(".codingit/undo/2");
    std::fs::create_dir_all(torn.join("files")).unwrap();
    std::fs::write(torn.join("files/script.py"), "torn").unwrap();
    age(&torn);
    let ours = app.join(".script.py.0badc0de.codingit-tmp");
    std::fs::write(&ours, "partial").unwrap();
    age(&ours);
    let theirs = app.join(".script.py.tmp");
    std::fs::write(&theirs, "the user's").unwrap();
    let out = run(&env, &["chat", "--undo", "-C", "app"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!torn.exists(), "the unfinished snapshot was kept");
    assert!(
        !app.join(".codingit/undo/1").exists(),
        "the last turn was not undone"
    );
    let out = run(&env, &["chat", "again", "-C", "app"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!ours.exists(), "our temporary file was kept");
    assert!(theirs.exists(), "a file that is not ours was removed");
}

/// `kill -9` of `new` while it writes thousands of files leaves its staging folder
/// (never a half project in place); the next `new` in that folder removes it.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_killed_while_writing_is_cleaned_by_the_next_run() {
    let _solo = crate::support::solo("attack_crash");
    let (env, _server) =
        mock_env_json(&[many_files(6000, "x = 1\n"), interpreter_fragment()]).await;
    let staging = || {
        std::fs::read_dir(env.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.contains(".codingit-staging-"))
    };
    let child = spawn(
        &env,
        &["new", "hi", "-t", "code-interpreter-v1", "-o", "app", "-q"],
    );
    kill_when(child, || staging().is_some());
    let name = staging().unwrap();
    assert!(
        env.path().join(&name).is_dir(),
        "the killed run left no staging folder"
    );
    assert!(
        !env.path().join("app").exists(),
        "a half project was put in place"
    );
    let out = run(
        &env,
        &["new", "hi", "-t", "code-interpreter-v1", "-o", "app2"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(staging(), None, "the killed run's staging folder was kept");
}

/// `kill -9` of a turn while it writes its undo snapshot: `chat --undo` ignores the
/// snapshot without a manifest and undoes the turn before it, byte for byte.
#[tokio::test(flavor = "multi_thread")]
async fn a_turn_killed_during_its_snapshot_does_not_break_undo() {
    let _solo = crate::support::solo("attack_crash");
    let mut first = many_files(3000, "x = 1\n");
    first["code"] = json!("print('turn one')\n");
    let (env, _server) = mock_env_json(&[
        many_files(3000, "x = 1\n"),
        first,
        many_files(3000, "x = 2\n"),
    ])
    .await;
    let out = run(
        &env,
        &["new", "hi", "-t", "code-interpreter-v1", "-o", "app"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let app = env.path().join("app");
    let before = std::fs::read(app.join("script.py")).unwrap();
    let out = run(&env, &["chat", "one", "-C", "app"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let torn = app.join(".codingit/undo/2");
    let child = spawn(&env, &["chat", "two", "-C", "app", "-q"]);
    // Killed once the snapshot holds some saved files but not yet its manifest.
    kill_when(child, || {
        torn.join("files/pkg7").is_dir() && !torn.join("manifest.json").exists()
    });
    assert!(torn.is_dir() && !torn.join("manifest.json").exists());
    let out = run(&env, &["chat", "--undo", "-C", "app"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(app.join("script.py")).unwrap(), before);
    assert!(!app.join(".codingit/undo/1").exists());
}
