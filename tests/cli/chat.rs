//! `codingit chat` against a mock model server: whole fragments, lazy edits, undo.

use crate::support::mock_llm::*;
use crate::support::{stdout_json, TestEnv};
use pretty_assertions::assert_eq;
use serde_json::{json, Value};
use wiremock::MockServer;

async fn project_with(answers: Vec<Value>) -> (TestEnv, MockServer) {
    let mut all = vec![interpreter_fragment()];
    all.extend(answers);
    let (env, server) = mock_env_json(&all).await;
    let output = env
        .cmd()
        .args(["new", "say hello", "-t", "code-interpreter-v1", "-o", "app"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (env, server)
}

fn history(env: &TestEnv) -> Vec<Value> {
    std::fs::read_to_string(env.path().join("app/.codingit/history.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel.starts_with(".codingit/undo") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[tokio::test(flavor = "multi_thread")]
async fn a_turn_sees_the_files_on_disk_and_appends_to_the_history() {
    let mut updated = interpreter_fragment();
    updated["code"] = json!("from helpers import add\nprint('hello, world')\nadd(2, 3)\n");
    updated["commentary"] = json!("Greet the world.");
    let (env, server) = project_with(vec![updated]).await;
    // The user edits a file by hand; the model must see that version.
    std::fs::write(
        env.path().join("app/helpers.py"),
        "def add(a, b):\n    return b + a\n",
    )
    .unwrap();
    let output = env
        .cmd()
        .args(["chat", "greet the world", "-C", "app", "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result = stdout_json(&output);
    let changes = result["changes"].as_array().unwrap();
    let paths: Vec<&str> = changes
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["script.py", "helpers.py"],
        "the model's fragment restores helpers.py"
    );
    assert!(changes[0]["diff"]
        .as_str()
        .unwrap()
        .contains("+print('hello, world')"));
    let bodies = request_bodies(&server).await;
    let last = bodies.last().unwrap().to_string();
    assert!(
        last.contains("return b + a"),
        "the model saw the file as it is on disk"
    );
    assert!(last.contains("say hello"), "the model saw the earlier turn");
    let lines = history(&env);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[2]["content"], "greet the world");
    assert_eq!(lines[3]["role"], "assistant");
    let script = std::fs::read_to_string(env.path().join("app/script.py")).unwrap();
    assert!(script.contains("hello, world"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lazy_turn_is_merged_by_the_edit_engine() {
    let lazy = json!({
        "commentary": "Add a docstring to add.",
        "edits": [{
            "file_path": "helpers.py",
            "instruction": "document add",
            "edit": "def add(a, b):\n    \"\"\"Return the sum.\"\"\"\n    return a + b\n"
        }, {
            "file_path": "README.md",
            "instruction": "new file",
            "edit": "# Hello Sum\n"
        }]
    });
    let (env, server) = project_with(vec![lazy]).await;
    let output = env
        .cmd()
        .args(["chat", "--lazy", "document add", "-C", "app"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(env.path().join("app/helpers.py")).unwrap(),
        "def add(a, b):\n    \"\"\"Return the sum.\"\"\"\n    return a + b\n"
    );
    assert_eq!(
        std::fs::read_to_string(env.path().join("app/README.md")).unwrap(),
        "# Hello Sum\n"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("+    \"\"\"Return the sum.\"\"\""),
        "{stdout}"
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(env.path().join("app/.codingit/fragment.json")).unwrap(),
    )
    .unwrap();
    assert!(manifest["files"].to_string().contains("README.md"));
    let body = request_bodies(&server).await.last().unwrap().clone();
    assert_eq!(body["response_format"]["json_schema"]["name"], "lazy_edits");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_the_engine_refuses_goes_back_to_the_model() {
    let refused = json!({
        "commentary": "Change a line that does not exist.",
        "edits": [{"file_path": "helpers.py", "instruction": "x",
                   "edit": "<<<<<<< SEARCH\ndef subtract(a, b):\n=======\ndef sub(a, b):\n>>>>>>> REPLACE\n"}]
    });
    let fixed = json!({
        "commentary": "Rename add's arguments.",
        "edits": [{"file_path": "helpers.py", "instruction": "x",
                   "edit": "<<<<<<< SEARCH\ndef add(a, b):\n    return a + b\n=======\ndef add(x, y):\n    return x + y\n>>>>>>> REPLACE\n"}]
    });
    let (env, server) = project_with(vec![refused, fixed]).await;
    let output = env
        .cmd()
        .args(["chat", "--lazy", "rename", "-C", "app"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bodies = request_bodies(&server).await;
    assert_eq!(bodies.len(), 3);
    assert!(
        bodies[2].to_string().contains("not_found"),
        "the refusal code went back to the model"
    );
    assert_eq!(
        std::fs::read_to_string(env.path().join("app/helpers.py")).unwrap(),
        "def add(x, y):\n    return x + y\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn undo_restores_the_project_byte_for_byte() {
    let mut updated = interpreter_fragment();
    updated["code"] = json!("print('changed')\n");
    updated["files"] = json!([{"file_path": "extra.py", "code": "X = 2\n"}]);
    let (env, _server) = project_with(vec![updated]).await;
    let dir = env.path().join("app");
    std::fs::write(dir.join("script.py"), "print('hand edit')\r\n").unwrap();
    let before = snapshot(&dir);
    let output = env
        .cmd()
        .args(["chat", "change it", "-C", "app"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !dir.join("helpers.py").exists(),
        "a file the new fragment drops is removed"
    );
    assert!(dir.join("extra.py").exists());
    assert_ne!(snapshot(&dir), before);
    let output = env
        .cmd()
        .args(["chat", "--undo", "-C", "app"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(snapshot(&dir), before);
    let output = env
        .cmd()
        .args(["chat", "--undo", "-C", "app"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "nothing left to undo");
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_shows_the_diff_and_writes_nothing() {
    let mut updated = interpreter_fragment();
    updated["code"] = json!("print('dry')\n");
    let (env, _server) = project_with(vec![updated]).await;
    let dir = env.path().join("app");
    let before = snapshot(&dir);
    let output = env
        .cmd()
        .args(["chat", "change", "-C", "app", "--dry-run"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("+print('dry')"));
    assert_eq!(snapshot(&dir), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_outside_a_project_works_on_the_folder_and_a_missing_folder_says_so() {
    let env = TestEnv::new();
    // Any folder is a repository now (docs/repository.md): with no model configured,
    // the error is about the model, not about the folder.
    let output = env
        .cmd()
        .args(["chat", "hello", "-C", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(78));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("not a codingit project"));
    let output = env
        .cmd()
        .args(["chat", "hello", "-C", "missing"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a folder"));
}
