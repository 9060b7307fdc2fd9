//! `codingit chat` on any repository (not made by `new`): real git repositories in
//! temp folders, a mock model server, multi-file edits, patches, commits and undo.

use crate::support::mock_llm::*;
use crate::support::repo::*;
use crate::support::stdout_json;

#[tokio::test]
async fn a_dry_run_prints_a_patch_that_git_apply_turns_into_the_same_tree() {
    let files: Vec<(&str, &[u8])> = vec![
        (
            "package.json",
            b"{\n  \"name\": \"demo\",\n  \"scripts\": {\"test\": \"node test.js\"}\n}\n",
        ),
        (
            "src/math.js",
            b"function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n",
        ),
        ("src/old.js", b"// unused\nmodule.exports = {};\n"),
        ("src/name.js", b"module.exports = 'demo';\n"),
        ("bin/run.sh", b"#!/bin/sh\nnode src/math.js\n"),
    ];
    let change = answer(
        "Add sub, drop old.js, move name.js, add a test.",
        vec![
            edit("src/math.js", "edit", "", "// ... existing code ...\nfunction sub(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add, sub };\n"),
            edit("src/old.js", "delete", "", ""),
            edit("src/name.js", "rename", "src/title.js", ""),
            edit("test.js", "create", "", "const { sub } = require('./src/math');\nif (sub(3, 1) !== 2) process.exit(1);\n"),
            edit("bin/run.sh", "delete", "", ""),
        ],
    );
    let (env, _server) = mock_env_json(&[change.clone(), change]).await;
    let repo = make_repo(env.path(), "node", &files);
    std::fs::set_permissions(
        repo.join("bin/run.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    git(&repo, &["commit", "-q", "-am", "executable"]);
    let before = tree(&repo);
    let out = env
        .cmd()
        .args(["chat", "-C", "node", "--dry-run", "-v"])
        .write_stdin("add sub and tidy up")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("sent: src/math.js") && stderr.contains("context: "),
        "-v says what was sent: {stderr}"
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(tree(&repo), before, "a dry run writes nothing");
    let patch = out.stdout.clone();
    assert!(
        String::from_utf8_lossy(&patch).contains("rename from src/name.js\nrename to src/title.js")
    );
    // The patch applied by git in one copy, and by `patch -p1` in another...
    let by_git = env.path().join("by-git");
    copy_tree(&repo, &by_git);
    std::fs::write(env.path().join("change.patch"), &patch).unwrap();
    git(
        &by_git,
        &["apply", env.path().join("change.patch").to_str().unwrap()],
    );
    // ... gives the tree the real turn writes.
    codingit(&env, &["chat", "-C", "node", "add sub and tidy up"], 0);
    assert_eq!(tree(&by_git), tree(&repo));
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_ok()
    {
        let by_patch = env.path().join("by-patch");
        std::fs::create_dir_all(&by_patch).unwrap();
        for (path, bytes) in &before {
            let file = by_patch.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, bytes).unwrap();
        }
        let status = std::process::Command::new("patch")
            .args(["-p1", "-s", "-i"])
            .arg(env.path().join("change.patch"))
            .current_dir(&by_patch)
            .status()
            .unwrap();
        assert!(status.success());
        let contents = |t: Vec<(String, Vec<u8>)>| {
            t.into_iter()
                .filter(|(_, b)| !b.is_empty())
                .collect::<Vec<_>>()
        };
        assert_eq!(contents(tree(&by_patch)), contents(tree(&repo)));
    }
}

#[tokio::test]
async fn one_refused_file_leaves_every_file_untouched() {
    let files: Vec<(&str, &[u8])> = vec![
        (
            "Cargo.toml",
            b"[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        (
            "src/lib.rs",
            b"pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
        ),
        (
            "src/main.rs",
            b"fn main() {\n    println!(\"{}\", demo::add(1, 2));\n}\n",
        ),
    ];
    let bad = answer(
        "Two edits, one of them unplaceable.",
        vec![
            edit("src/lib.rs", "edit", "", "pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n"),
            edit("src/main.rs", "edit", "", "fn start() {\n    // ... existing code ...\n    println!(\"nothing like this\");\n}\n"),
        ],
    );
    let (env, server) = mock_env_json(&[bad]).await;
    let repo = make_repo(env.path(), "crate", &files);
    let before = tree(&repo);
    codingit(
        &env,
        &["chat", "-C", "crate", "use i64", "--repair-rounds", "1"],
        3,
    );
    assert_eq!(tree(&repo), before);
    // The refusal went back to the model once, naming the file.
    let bodies = request_bodies(&server).await;
    assert_eq!(bodies.len(), 2);
    assert!(bodies[1].to_string().contains("src/main.rs"));
}

#[tokio::test]
async fn undo_restores_the_turns_files_and_nothing_else() {
    let (env, _server, repo) = python_repo(&[two_file_rename()]).await;
    let before = tree(&repo);
    codingit(&env, &["chat", "-C", "py", "rename shout"], 0);
    // The user changes a file the turn did not touch; undo leaves it.
    std::fs::write(repo.join("README.md"), "# mine\n").unwrap();
    codingit(&env, &["chat", "-C", "py", "--undo"], 0);
    let mut expected = before;
    for (path, bytes) in expected.iter_mut() {
        if path == "README.md" {
            *bytes = b"# mine\n".to_vec();
        }
    }
    assert_eq!(tree(&repo), expected);
    let history = std::fs::read_dir(env.path().join("state/repos"))
        .unwrap()
        .count();
    assert_eq!(history, 1, "the conversation lives in the state folder");
}

#[tokio::test]
async fn history_in_repo_keeps_the_conversation_in_the_repository() {
    let (env, server, repo) = python_repo(&[
        two_file_rename(),
        answer(
            "Nothing more.",
            vec![edit(
                "README.md",
                "edit",
                "",
                "# demo\n\nSays hello, and yells.\n",
            )],
        ),
    ])
    .await;
    codingit(
        &env,
        &["chat", "-C", "py", "rename shout", "--history-in-repo"],
        0,
    );
    assert!(repo.join(".codingit/history.jsonl").is_file());
    assert!(
        !repo.join(".codingit/fragment.json").exists(),
        "still a repository, not a project"
    );
    // The next turn finds it there without the flag, and sends the earlier turn.
    codingit(
        &env,
        &["chat", "-C", "py", "mention welcome in the readme"],
        0,
    );
    let bodies = request_bodies(&server).await;
    assert!(bodies[1].to_string().contains("rename shout"));
    let lines = std::fs::read_to_string(repo.join(".codingit/history.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 4);
}

#[tokio::test]
async fn named_files_are_all_the_model_sees_and_may_change() {
    let outside = answer("Touch util too.", vec![edit("util.py", "delete", "", "")]);
    let (env, server, repo) = python_repo(&[outside.clone(), outside]).await;
    let before = tree(&repo);
    let out = env
        .cmd()
        .args([
            "chat",
            "-C",
            "py",
            "tidy app",
            "--file",
            "-",
            "--repair-rounds",
            "1",
        ])
        .write_stdin("app.py\n")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(tree(&repo), before);
    let bodies = request_bodies(&server).await;
    let user = bodies[0]["messages"][1]["content"].to_string();
    assert!(
        user.contains("=== app.py ===") && !user.contains("=== util.py ==="),
        "{user}"
    );
    assert!(bodies[1].to_string().contains("was not named"));
    let out = env
        .cmd()
        .args(["chat", "-C", "py", "x", "--file", "nothing*.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn model_paths_into_git_or_through_links_are_refused_and_the_host_is_untouched() {
    let hostile = answer(
        "Hostile paths.",
        vec![
            edit(
                ".git/hooks/pre-commit",
                "create",
                "",
                "#!/bin/sh\ntouch /tmp/pwned\n",
            ),
            edit("out/evil.py", "create", "", "x = 1\n"),
        ],
    );
    let (env, server, repo) = python_repo(&[hostile]).await;
    let host = env.path().join("host");
    std::fs::create_dir_all(&host).unwrap();
    std::fs::write(host.join("canary.txt"), "host canary\n").unwrap();
    std::os::unix::fs::symlink(&host, repo.join("out")).unwrap();
    std::os::unix::fs::symlink(host.join("canary.txt"), repo.join("linked.txt")).unwrap();
    let before = tree(&repo);
    codingit(&env, &["chat", "-C", "py", "x", "--repair-rounds", "0"], 3);
    let sent = all_request_text(&request_bodies(&server).await);
    assert!(!sent.contains("host canary"), "a link's target was sent");
    assert_eq!(tree(&repo), before);
    assert!(!repo.join(".git/hooks/pre-commit").exists());
    assert_eq!(std::fs::read_dir(&host).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(host.join("canary.txt")).unwrap(),
        "host canary\n"
    );
}

#[tokio::test]
async fn the_selection_keeps_to_the_budget_on_two_thousand_files() {
    let (env, server) = mock_env_json(&[answer(
        "Fix it.",
        vec![edit(
            "pkg/module_1234.py",
            "edit",
            "",
            "def handler_1234(event):\n    return event or None\n",
        )],
    )])
    .await;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..2000 {
        files.push((format!("pkg/module_{i}.py"), format!("def handler_{i}(event):\n    return event\n\n\ndef helper_{i}():\n    return {i}\n").into_bytes()));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let repo = make_repo(env.path(), "big", &refs);
    let out = codingit(
        &env,
        &[
            "chat",
            "-C",
            "big",
            "make handler_1234 return None for an empty event",
            "--context-tokens",
            "6000",
            "--json",
        ],
        0,
    );
    let result = stdout_json(&out);
    let context = &result["context"];
    assert_eq!(context["listed"], 2000);
    assert!(context["tokens"].as_u64().unwrap() <= 6000, "{context}");
    assert_eq!(context["files"][0], "pkg/module_1234.py");
    let user = request_bodies(&server).await[0]["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        (user.len() as u64).div_ceil(3) <= 6000 + 200,
        "{} bytes sent",
        user.len()
    );
    assert!(user.contains("more files"), "the map says what it left out");
    assert!(std::fs::read_to_string(repo.join("pkg/module_1234.py"))
        .unwrap()
        .contains("event or None"));
}

#[tokio::test]
async fn edit_takes_several_files_and_the_instruction_last() {
    let (env, server, repo) = python_repo(&[two_file_rename()]).await;
    let out = env
        .cmd()
        .current_dir(&repo)
        .args([
            "edit",
            "util.py",
            "./app.py",
            "rename shout to yell",
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
    assert_eq!(result["status"], "applied");
    assert_eq!(result["changes"].as_array().unwrap().len(), 2);
    assert!(std::fs::read_to_string(repo.join("app.py"))
        .unwrap()
        .contains("util.yell("));
    assert!(std::fs::read_to_string(repo.join("util.py"))
        .unwrap()
        .contains("def yell(text)"));
    let user = request_bodies(&server).await[0]["messages"][1]["content"].to_string();
    assert!(
        user.contains("=== util.py ===")
            && user.contains("=== app.py ===")
            && !user.contains("README")
    );
    // A last word naming a file is not taken for an instruction.
    let out = env
        .cmd()
        .current_dir(&repo)
        .args(["edit", "util.py", "app.py", "README.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("instruction comes last"));
}

/// A turn killed between its snapshot and its history (planted: the snapshot of a
/// dead process, the files half written) is put back by the next run, which says so.
#[tokio::test]
async fn a_turn_killed_half_way_is_put_back_on_the_next_run() {
    let readme_edit = answer(
        "Readme.",
        vec![edit(
            "README.md",
            "edit",
            "",
            "# demo\n\nSays hello, and yells.\n",
        )],
    );
    let (env, _server, repo) = python_repo(&[two_file_rename(), readme_edit]).await;
    codingit(&env, &["chat", "-C", "py", "rename shout"], 0);
    let after_turn = tree(&repo);
    let store = std::fs::read_dir(env.path().join("state/repos"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let snap = store.join("undo/2");
    std::fs::create_dir_all(snap.join("files")).unwrap();
    std::fs::copy(repo.join("README.md"), snap.join("files/README.md")).unwrap();
    let manifest = serde_json::json!({
        "files": [["README.md", true], ["half.py", false]],
        "history_len": 2, "had_fragment": false, "owner_pid": 999_999_999u32
    });
    std::fs::write(snap.join("manifest.json"), manifest.to_string()).unwrap();
    std::fs::write(repo.join("README.md"), "# half writ").unwrap();
    std::fs::write(repo.join("half.py"), "x = ").unwrap();
    let out = env
        .cmd()
        .args(["chat", "-C", "py", "mention yelling", "--dry-run"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(tree(&repo), after_turn, "the half-written turn is gone");
    assert!(!snap.exists());
    // The completed turn before it can still be undone.
    codingit(&env, &["chat", "-C", "py", "--undo"], 0);
    assert!(std::fs::read_to_string(repo.join("util.py"))
        .unwrap()
        .contains("def shout"));
}
