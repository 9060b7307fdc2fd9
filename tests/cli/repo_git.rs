//! Repository mode with git: `chat --commit`/`--branch`/`--allow-dirty`, and a
//! repository's own test command gating the commit.

use crate::support::mock_llm::*;
use crate::support::repo::*;
use crate::support::{stdout_json, TestEnv};

#[tokio::test]
async fn a_two_file_change_is_committed_alone_and_nothing_of_codingit_stays_in_the_repository() {
    let (env, server, repo) = python_repo(&[two_file_rename()]).await;
    let before_head = git(&repo, &["rev-parse", "HEAD"]);
    let out = codingit(
        &env,
        &[
            "chat",
            "-C",
            "py",
            "rename shout to yell",
            "--commit",
            "--json",
            "-v",
        ],
        0,
    );
    let result = stdout_json(&out);
    assert_eq!(result["kind"], "repository");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("left out (binary): logo.png"), "{stderr}");
    assert_eq!(result["changes"].as_array().unwrap().len(), 2);
    let util = std::fs::read_to_string(repo.join("util.py")).unwrap();
    assert_eq!(util, "def greet(name):\n    return \"Hello, \" + name\n\n\ndef yell(text):\n    return text.upper()\n");
    let app = std::fs::read_to_string(repo.join("app.py")).unwrap();
    assert!(
        app.contains("print(util.yell(util.greet(\"world\")))")
            && app.contains("if __name__")
            && !app.contains("shout"),
        "{app}"
    );
    // One commit, holding exactly the two files, with the commentary as its message.
    assert_eq!(git(&repo, &["rev-parse", "HEAD~1"]), before_head);
    let names = git(&repo, &["show", "--name-only", "--format=%s", "HEAD"]);
    assert_eq!(names.trim(), "Rename shout to yell.\n\napp.py\nutil.py");
    assert_eq!(
        result["commit"].as_str().unwrap(),
        git(&repo, &["rev-parse", "HEAD"]).trim()
    );
    assert_eq!(
        git(&repo, &["log", "-1", "--format=%an <%ae>"]).trim(),
        "Test User <test@example.com>"
    );
    assert!(
        git(&repo, &["status", "--porcelain"]).is_empty(),
        "clean after the commit"
    );
    assert!(
        !repo.join(".codingit").exists(),
        "no codingit files in the repository"
    );
    // What the model saw: the map and the relevant files; never ignored or binary files.
    let text = all_request_text(&request_bodies(&server).await);
    assert!(
        text.contains("def shout(text)") && text.contains("README.md"),
        "map and files sent"
    );
    for canary in [
        "canary-secret-4242",
        "IGNORED_BUILD_CANARY",
        "binary-canary",
    ] {
        assert!(!text.contains(canary), "{canary} was sent to the model");
    }
}

#[tokio::test]
async fn commit_refuses_a_dirty_tree_unless_allowed_and_never_commits_other_files() {
    let (env, server, repo) = python_repo(&[two_file_rename()]).await;
    std::fs::write(repo.join("README.md"), "# work in progress\n").unwrap();
    let out = env
        .cmd()
        .args(["chat", "-C", "py", "rename shout", "--commit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-dirty"));
    assert!(
        request_bodies(&server).await.is_empty(),
        "refused before asking the model"
    );
    codingit(
        &env,
        &[
            "chat",
            "-C",
            "py",
            "rename shout",
            "--commit",
            "--allow-dirty",
            "--branch",
            "rename-greet",
        ],
        0,
    );
    assert_eq!(
        git(&repo, &["branch", "--show-current"]).trim(),
        "rename-greet"
    );
    let names = git(&repo, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(names.trim(), "app.py\nutil.py");
    assert_eq!(
        git(&repo, &["status", "--porcelain"]).trim(),
        "M README.md",
        "the user's change stays uncommitted"
    );
}

/// `--test` on a repository runs its own test command in a sandbox, sends failures
/// back, and `--commit` commits once, only when the checks pass.
#[tokio::test]
async fn a_repository_test_command_gates_the_single_commit() {
    let wrong = answer(
        "Add yell.",
        vec![edit("loud.py", "create", "", "\"\"\"Loud text.\"\"\"\n\n\ndef yell(text):\n    return text.lower()\n\n\ndef whisper(text):\n    return text.lower()\n")],
    );
    let fixed = answer(
        "Make yell upper-case.",
        vec![edit("loud.py", "edit", "", "# ... existing code ...\ndef yell(text):\n    return text.upper()\n\n\ndef whisper(text):\n# ... existing code ...\n")],
    );
    let (env, server) = mock_env_json(&[wrong, fixed]).await;
    let mut files = python_files();
    files.push((
        "test_loud.py",
        b"from loud import yell\n\nassert yell(\"a\") == \"A\", yell(\"a\")\nprint(\"ok\")\n",
    ));
    let repo = make_repo(env.path(), "py", &files);
    let sandboxed = |env: &TestEnv| {
        let mut cmd = env.cmd();
        cmd.env(
            "CODINGIT_CACHE_DIR",
            crate::support::containment::cache_dir(),
        )
        .env("CODINGIT_BACKEND", "local")
        .timeout(std::time::Duration::from_secs(900));
        cmd
    };
    let built = sandboxed(&env)
        .args([
            "templates",
            "build",
            "code-interpreter-v1",
            "--backend",
            "local",
        ])
        .output()
        .unwrap();
    if !built.status.success() {
        assert!(
            !crate::support::in_ci(),
            "CI=true and no local sandbox: {}",
            String::from_utf8_lossy(&built.stderr)
        );
        eprintln!("note: skipping, no local sandbox here");
        return;
    }
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let out = sandboxed(&env)
        .args([
            "chat",
            "-C",
            "py",
            "add yell",
            "--test",
            "python3 test_loud.py",
            "--commit",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result = stdout_json(&out);
    assert_eq!(result["check"]["passed"], true, "{result}");
    assert_eq!(result["check"]["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(
        git(&repo, &["rev-parse", "HEAD~1"]),
        head,
        "exactly one commit"
    );
    assert_eq!(
        git(&repo, &["show", "--name-only", "--format=%s", "HEAD"]).trim(),
        "Add yell.\n\nloud.py"
    );
    assert!(std::fs::read_to_string(repo.join("loud.py"))
        .unwrap()
        .contains("return text.upper()\n\n\ndef whisper"));
    let fix_request = request_bodies(&server).await[1].to_string();
    assert!(
        fix_request.contains("test_loud.py"),
        "the failure went back to the model"
    );
}

/// A repository's hooks and fsmonitor (a clone's `.git` is untrusted) never run when
/// codingit commits.
#[tokio::test]
async fn the_repositorys_hooks_and_fsmonitor_never_run() {
    let (env, _server, repo) = python_repo(&[two_file_rename()]).await;
    let canary = env.path().join("hook-ran");
    let script = format!("#!/bin/sh\necho \"$0\" >> {}\nexit 0\n", canary.display());
    for hook in [
        "pre-commit",
        "commit-msg",
        "post-commit",
        "prepare-commit-msg",
    ] {
        let path = repo.join(".git/hooks").join(hook);
        std::fs::write(&path, &script).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
    }
    let monitor = env.path().join("fsmonitor.sh");
    std::fs::write(&monitor, &script).unwrap();
    std::fs::set_permissions(
        &monitor,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    git(
        &repo,
        &["config", "core.fsmonitor", monitor.to_str().unwrap()],
    );
    codingit(&env, &["chat", "-C", "py", "rename shout", "--commit"], 0);
    assert!(
        !canary.exists(),
        "ran: {}",
        std::fs::read_to_string(&canary).unwrap_or_default()
    );
    assert_eq!(
        git(&repo, &["show", "--name-only", "--format=", "HEAD"]).trim(),
        "app.py\nutil.py"
    );
}
