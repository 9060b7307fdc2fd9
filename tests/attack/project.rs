//! Attacks through model output and hostile project folders, against the real binary
//! and a mock model server: answers that write into `.git/`, collide or run too long,
//! paths through symlinks already in the project, a cloned project whose manifest or
//! undo snapshot names host paths, test settings that are a link or a FIFO, a config
//! path that is a FIFO. Every test checks canaries on the host (a file outside that must stay
//! unread and unchanged, a folder that must stay, `.git/` unchanged).

use crate::support::mock_llm::*;
use crate::support::TestEnv;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

const CANARY: &str = "host canary: must stay unread and unchanged\n";

/// A folder outside every project, holding one canary file.
fn canary(env: &TestEnv) -> PathBuf {
    let dir = env.path().join("host-folder");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("secret"), CANARY).unwrap();
    dir
}

fn assert_canary(dir: &Path) {
    assert_eq!(std::fs::read_to_string(dir.join("secret")).unwrap(), CANARY);
    let names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        ["secret"],
        "something was written into the host folder"
    );
}

fn run(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn last_user_text(body: &Value) -> String {
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    let last = messages.iter().rev().find(|m| m["role"] == "user");
    last.map(|m| m["content"].to_string()).unwrap_or_default()
}

/// A mock server with `answers` in order, and `app/` made by `new` from the first
/// answer of [`interpreter_fragment`].
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

fn with_file(path: &str) -> Value {
    let mut f = interpreter_fragment();
    f["files"] = json!([{"file_path": "helpers.py", "code": "def add(a, b):\n    return a + b\n"},
                        {"file_path": path, "code": "print('planted')\n"}]);
    f
}

/// A repository: `.git/config` and a hooks folder whose contents must not change.
fn git_repo(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    std::fs::create_dir_all(dir.join(".git/hooks")).unwrap();
    std::fs::write(dir.join(".git/config"), "[core]\n\tbare = false\n").unwrap();
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    tree(&dir.join(".git"))
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            let data = if p.is_file() {
                std::fs::read(&p).unwrap()
            } else {
                Vec::new()
            };
            out.push((p, data));
        }
    }
    out.sort();
    out
}

/// `new --force` into a repository, `chat` and `chat --lazy`: an answer naming a VCS
/// folder in any case or depth is sent back for repair, and `.git/` is unchanged.
#[tokio::test(flavor = "multi_thread")]
async fn model_paths_into_vcs_folders_are_repaired() {
    let _solo = crate::support::solo("attack_project");
    for bad in [
        ".git/hooks/pre-commit",
        ".GIT/config",
        "sub/.git/x",
        ".hg/hgrc",
        ".Svn/x",
    ] {
        // new --force into an existing repository.
        let (env, server) = mock_env_json(&[with_file(bad), interpreter_fragment()]).await;
        let git = git_repo(&env.path().join("repo"));
        let out = run(
            &env,
            &[
                "new",
                "hi",
                "-t",
                "code-interpreter-v1",
                "-o",
                "repo",
                "--force",
            ],
        );
        assert!(out.status.success(), "{bad}: {}", stderr(&out));
        let bodies = request_bodies(&server).await;
        assert_eq!(bodies.len(), 2, "{bad}: one repair round");
        assert!(
            last_user_text(&bodies[1]).contains("version-control"),
            "{bad}"
        );
        assert_eq!(
            tree(&env.path().join("repo/.git")),
            git,
            "{bad}: .git changed"
        );

        // chat (whole fragment) and chat --lazy in a repository.
        let lazy_bad = json!({"commentary": "c", "edits": [
            {"file_path": bad, "instruction": "i", "edit": "[core]\n\tfsmonitor = touch /tmp/pwned\n"}]});
        let lazy_ok = json!({"commentary": "c", "edits": [
            {"file_path": "notes.md", "instruction": "i", "edit": "# notes\n"}]});
        let (env, server) = project_with(vec![
            with_file(bad),
            interpreter_fragment(),
            lazy_bad,
            lazy_ok,
        ])
        .await;
        let git = git_repo(&env.path().join("app"));
        let out = run(&env, &["chat", "more", "-C", "app"]);
        assert!(out.status.success(), "{bad}: {}", stderr(&out));
        let out = run(&env, &["chat", "--lazy", "more", "-C", "app"]);
        assert!(out.status.success(), "{bad}: {}", stderr(&out));
        let bodies = request_bodies(&server).await;
        assert_eq!(bodies.len(), 5, "{bad}: new + two repaired turns");
        assert!(last_user_text(&bodies[2]).contains("version-control"));
        assert!(last_user_text(&bodies[4]).contains("version-control"));
        assert_eq!(
            tree(&env.path().join("app/.git")),
            git,
            "{bad}: .git changed"
        );
    }
}

/// Colliding or over-long file names are invalid output: a repair round, never an
/// exit with a staging folder left behind.
#[tokio::test(flavor = "multi_thread")]
async fn colliding_and_overlong_names_are_repaired() {
    let _solo = crate::support::solo("attack_project");
    let long_name = format!("{}.py", "x".repeat(300));
    let deep = "d/".repeat(2100) + "x.py";
    let cases: Vec<(Value, &str)> = vec![
        (with_file("helpers.py"), "appears twice"),
        (with_file("Helpers.py"), "letter case"),
        (with_file("helpers.py/inner.py"), "needs it to be a folder"),
        (with_file(&long_name), "bytes"),
        (with_file(&deep), "4096"),
    ];
    for (bad, expected) in cases {
        let (env, server) = mock_env_json(&[bad, interpreter_fragment()]).await;
        let out = run(
            &env,
            &["new", "hi", "-t", "code-interpreter-v1", "-o", "app"],
        );
        assert!(out.status.success(), "{expected}: {}", stderr(&out));
        let bodies = request_bodies(&server).await;
        assert_eq!(bodies.len(), 2, "{expected}: one repair round");
        assert!(last_user_text(&bodies[1]).contains(expected), "{expected}");
        let names: Vec<_> = std::fs::read_dir(env.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("codingit"))
            .collect();
        assert!(names.is_empty(), "staging left: {names:?}");
    }
}

/// A project holding `lib -> host folder` and `helpers.py -> host file`: the model's
/// `lib/x.py` and `helpers.py` go back for repair, the host file is neither shown to
/// the model nor changed, and with no repair left the turn fails without writing.
#[tokio::test(flavor = "multi_thread")]
async fn symlinks_in_the_project_never_lead_out() {
    let _solo = crate::support::solo("attack_project");
    let mut no_helpers = interpreter_fragment();
    no_helpers["files"] = json!([]);
    let lazy_bad = json!({"commentary": "c", "edits": [
        {"file_path": "lib/x.py", "instruction": "i", "edit": "print('planted')\n"}]});
    let (env, server) = project_with(vec![
        with_file("lib/x.py"),
        no_helpers.clone(),
        lazy_bad.clone(),
        lazy_bad,
    ])
    .await;
    let host = canary(&env);
    let app = env.path().join("app");
    std::os::unix::fs::symlink(&host, app.join("lib")).unwrap();
    std::fs::remove_file(app.join("helpers.py")).unwrap();
    std::os::unix::fs::symlink(host.join("secret"), app.join("helpers.py")).unwrap();

    let out = run(&env, &["chat", "more", "-C", "app"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bodies = request_bodies(&server).await;
    let repair = last_user_text(&bodies[2]);
    assert!(repair.contains("symbolic link"), "{repair}");
    assert!(
        bodies
            .iter()
            .all(|b| !b.to_string().contains("host canary")),
        "a host file was sent to the model"
    );
    assert_canary(&host);
    assert!(app.join("lib").is_symlink() && app.join("helpers.py").is_symlink());

    let out = run(
        &env,
        &[
            "chat",
            "--lazy",
            "more",
            "-C",
            "app",
            "--repair-rounds",
            "0",
        ],
    );
    assert!(!out.status.success(), "a write through a symlink succeeded");
    assert_canary(&host);
}

/// A cloned project whose manifest lists host paths, `..` or `.git/`: refused before
/// any model call, nothing read or deleted outside; same for a hostile undo snapshot.
#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_manifest_is_refused() {
    let _solo = crate::support::solo("attack_project");
    let (env, server) = mock_env_json(&[interpreter_fragment()]).await;
    let host = canary(&env);
    let secret = host.join("secret").display().to_string();
    for bad in [
        secret.as_str(),
        "../host-folder/secret",
        ".git/config",
        "a/../../x",
    ] {
        let app = env.path().join("cloned");
        let _ = std::fs::remove_dir_all(&app);
        std::fs::create_dir_all(app.join(".codingit")).unwrap();
        let mut manifest = interpreter_fragment();
        manifest["files"] = json!([{"file_path": bad, "code": "x"}]);
        std::fs::write(app.join(".codingit/fragment.json"), manifest.to_string()).unwrap();
        let out = run(&env, &["chat", "anything", "-C", "cloned"]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("refusing this project"),
            "{bad}: {}",
            stderr(&out)
        );
        assert!(
            request_bodies(&server).await.is_empty(),
            "{bad}: the model was asked"
        );
        assert_canary(&host);
    }
    // A hostile undo snapshot: restoring it would delete a host file.
    let (env, _server) = project_with(vec![interpreter_fragment()]).await;
    let host = canary(&env);
    let snap = env.path().join("app/.codingit/undo/7");
    std::fs::create_dir_all(&snap).unwrap();
    let hostile = json!({"files": [["../host-folder/secret", false]], "history_len": 0, "had_fragment": true});
    std::fs::write(snap.join("manifest.json"), hostile.to_string()).unwrap();
    let out = run(&env, &["chat", "--undo", "-C", "app"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("refusing this project"),
        "{}",
        stderr(&out)
    );
    assert_canary(&host);
    // A manifest that is a FIFO or a symlink out is refused, not read.
    std::fs::remove_file(env.path().join("app/.codingit/fragment.json")).unwrap();
    std::os::unix::fs::symlink(
        host.join("secret"),
        env.path().join("app/.codingit/fragment.json"),
    )
    .unwrap();
    let out = run(&env, &["chat", "x", "-C", "app"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
}

/// A config path that is a FIFO or a device is refused at once, not read forever.
#[test]
fn a_config_path_that_is_a_pipe_or_device_is_refused() {
    let _solo = crate::support::solo("attack_project");
    let env = TestEnv::new();
    let fifo = env.path().join("config.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for path in [fifo.as_path(), Path::new("/dev/zero")] {
        let out = env
            .cmd()
            .args(["models"])
            .env("CODINGIT_CONFIG", path)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{}", path.display());
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
    }
}

/// `edit --patch` (a patch may come from a model): a path into `.git/` is refused
/// whole before anything is read; a path through a symlink in the folder fails and
/// puts everything back, the host untouched.
#[test]
fn patches_never_reach_git_or_follow_links() {
    let _solo = crate::support::solo("attack_project");
    let env = TestEnv::new();
    let host = canary(&env);
    let git = git_repo(env.path());
    std::fs::write(env.path().join("a.py"), "a = 1\n").unwrap();
    std::os::unix::fs::symlink(&host, env.path().join("lib")).unwrap();
    for target in [
        ".git/hooks/pre-commit",
        ".GIT/config",
        "lib/x.py",
        "lib/secret",
    ] {
        let patch = format!(
            "*** Begin Patch\n*** Update File: a.py\n@@\n-a = 1\n+a = 2\n*** Add File: {target}\n+planted\n*** End Patch\n"
        );
        std::fs::write(env.path().join("p.patch"), &patch).unwrap();
        let out = run(&env, &["edit", "--patch", "p.patch"]);
        assert!(!out.status.success(), "{target}: the patch was applied");
        assert_eq!(
            std::fs::read_to_string(env.path().join("a.py")).unwrap(),
            "a = 1\n"
        );
        assert_eq!(
            tree(&env.path().join(".git")),
            git,
            "{target}: .git changed"
        );
        assert_canary(&host);
    }
}

/// A cloned project's `.codingit/settings.toml` (its test commands) is read beneath a
/// handle on the folder: a link to a host file is refused, never followed, and a FIFO
/// there never blocks. Nothing runs, and the host file stays unread.
#[tokio::test]
async fn project_test_settings_never_follow_a_link_or_block() {
    let _solo = crate::support::solo("attack_project");
    let (env, _server) = project_with(vec![interpreter_fragment()]).await;
    let host = canary(&env);
    let settings = env.path().join("app/.codingit/settings.toml");
    std::os::unix::fs::symlink(host.join("secret"), &settings).unwrap();
    let output = run(
        &env,
        &["run", "app", "--test", "true", "--backend", "local"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("settings.toml"),
        "{}",
        stderr(&output)
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("host canary"));
    std::fs::remove_file(&settings).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&settings)
        .status()
        .unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let output = run(
        &env,
        &["run", "app", "--test", "true", "--backend", "local"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "blocked on a FIFO"
    );
    assert_canary(&host);
}
