//! Real git repositories in temp folders, for the repository-mode tests.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs git in `dir` with a fixed identity and no user or system configuration.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A git repository at `parent/name` holding `files`, all committed once.
pub fn make_repo(parent: &Path, name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).expect("repo dir");
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["config", "user.name", "Test User"]);
    git(&dir, &["config", "user.email", "test@example.com"]);
    for (path, bytes) in files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("dirs");
        std::fs::write(&file, bytes).expect("write");
    }
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "initial"]);
    dir
}

/// Every file under `dir` except `.git/`, with its bytes, in path order.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            if rel == ".git" {
                continue;
            }
            let kind = entry.file_type().expect("type");
            if kind.is_dir() {
                stack.push(path);
            } else {
                files.push((rel, std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    files.sort();
    files
}

/// Copies a folder tree (files and folders; `.git` included).
pub fn copy_tree(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp");
    assert!(status.success());
}

/// A small Python project.
pub fn python_files() -> Vec<(&'static str, &'static [u8])> {
    vec![
        (
            "app.py",
            b"import util\n\n\ndef main():\n    print(util.shout(util.greet(\"world\")))\n\n\nif __name__ == \"__main__\":\n    main()\n",
        ),
        (
            "util.py",
            b"def greet(name):\n    return \"Hello, \" + name\n\n\ndef shout(text):\n    return text.upper()\n",
        ),
        ("README.md", b"# demo\n\nSays hello.\n"),
        (".gitignore", b"secret.env\nbuild/\n"),
        ("secret.env", b"API_TOKEN=canary-secret-4242\n"),
        ("build/out.py", b"IGNORED_BUILD_CANARY = 1\n"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-binary-canary"),
    ]
}

/// A repository-mode edit of one file, as the model answers it.
pub fn edit(path: &str, action: &str, new_path: &str, text: &str) -> Value {
    json!({"file_path": path, "action": action, "new_path": new_path, "instruction": "", "edit": text})
}

pub fn answer(commentary: &str, edits: Vec<Value>) -> Value {
    json!({"commentary": commentary, "edits": edits})
}

/// Renames shout to yell in util.py and its caller app.py.
pub fn two_file_rename() -> Value {
    answer(
        "Rename shout to yell.\nThe old name was vague.",
        vec![
            edit("util.py", "edit", "", "# ... existing code ...\n    return \"Hello, \" + name\n\n\ndef yell(text):\n    return text.upper()\n"),
            edit("app.py", "edit", "", "# ... existing code ...\ndef main():\n    print(util.yell(util.greet(\"world\")))\n\n\nif __name__ == \"__main__\":\n# ... existing code ...\n"),
        ],
    )
}

pub async fn python_repo(answers: &[Value]) -> (super::TestEnv, wiremock::MockServer, PathBuf) {
    let (env, server) = super::mock_llm::mock_env_json(answers).await;
    let repo = make_repo(env.path(), "py", &python_files());
    (env, server, repo)
}

pub fn all_request_text(bodies: &[Value]) -> String {
    bodies.iter().map(Value::to_string).collect()
}

/// Runs codingit in the test's home with `args` and checks its exit code (showing
/// stderr when it differs).
pub fn codingit(env: &super::TestEnv, args: &[&str], code: i32) -> std::process::Output {
    let out = env.cmd().args(args).output().expect("codingit runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "codingit {args:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
