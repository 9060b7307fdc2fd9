//! The run log through the real binary: what `new --run`, `chat --lazy`, `edit` and
//! `run` record, `--no-log`, a broken database costing one warning, keys kept out.

use crate::support::mock_llm::*;
use crate::support::{stdout_json, TestEnv};
use serde_json::{json, Value};

fn ok(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "exit {:?}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn logs(env: &TestEnv, args: &[&str]) -> Value {
    let output = env
        .cmd()
        .arg("logs")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    ok(&output);
    stdout_json(&output)
}

fn db(env: &TestEnv) -> std::path::PathBuf {
    env.path().join("state/logs.db")
}

#[tokio::test(flavor = "multi_thread")]
async fn new_run_chat_lazy_and_run_each_leave_their_rows() {
    let (env, _server) = mock_env_json(&[interpreter_fragment(), lazy_docstring_edit()]).await;
    if !crate::support::local_sandbox_runs(&env) {
        return;
    }
    let run = |args: &[&str]| {
        env.cmd()
            .env(
                "CODINGIT_CACHE_DIR",
                crate::support::containment::cache_dir(),
            )
            .env("CODINGIT_BACKEND", "local")
            .args(args)
            .output()
            .unwrap()
    };
    ok(&run(&[
        "new",
        "say hello",
        "-t",
        "code-interpreter-v1",
        "-o",
        "app",
        "--run",
    ]));
    ok(&run(&["chat", "--lazy", "document add", "-C", "app"]));
    ok(&run(&["run", "app"]));
    let rows = logs(&env, &[]);
    let kinds: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|r| {
            (
                r["command"].as_str().unwrap().into(),
                r["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds,
        pairs(&[
            ("new", "call"),
            ("new", "run"),
            ("chat", "call"),
            ("run", "run")
        ])
    );
    let project = std::fs::canonicalize(env.path().join("app")).unwrap();
    let new_call = logs(&env, &["show", &rows[3]["id"].to_string()]);
    assert_eq!(new_call["model"], "coder");
    assert_eq!(new_call["provider"], "mock");
    assert_eq!(new_call["outcome"], "ok");
    assert!(new_call["cost_usd"].as_f64().is_some());
    assert!(new_call["call"]["messages"]
        .to_string()
        .contains("say hello"));
    assert!(new_call["call"]["system"].as_str().unwrap().len() > 100);
    assert_eq!(
        new_call["call"]["structured"]["template"],
        "code-interpreter-v1"
    );
    let new_run = logs(&env, &["show", &rows[2]["id"].to_string()]);
    assert_eq!(new_run["run"]["backend"], "local");
    assert_eq!(new_run["run"]["template"], "code-interpreter-v1");
    assert_eq!(new_run["run"]["exit_code"], 0);
    assert_eq!(new_run["project"], project.display().to_string());
    let chat = logs(&env, &["show", &rows[1]["id"].to_string()]);
    assert_eq!(chat["project"], project.display().to_string());
    assert_eq!(chat["changes"][0]["path"], "helpers.py");
    assert!(chat["changes"][0]["diff"]
        .as_str()
        .unwrap()
        .contains("Return the sum"));
    // Filters and search find them again.
    let project_arg = project.display().to_string();
    assert_eq!(
        logs(&env, &["--project", &project_arg])
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        logs(&env, &["--command", "run"]).as_array().unwrap().len(),
        1
    );
    assert_eq!(
        logs(&env, &["search", "document add"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_records_the_call_and_its_diff() {
    let answer = json!({
        "commentary": "Double it.",
        "instruction": "double the result",
        "edit": "def add(a, b):\n    return 2 * (a + b)\n",
        "file_path": "calc.py"
    });
    let (env, _server) = mock_env_json(&[answer]).await;
    std::fs::write(
        env.path().join("calc.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .unwrap();
    ok(&env
        .cmd()
        .args(["edit", "calc.py", "double the result"])
        .output()
        .unwrap());
    let rows = logs(&env, &[]);
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    let record = logs(&env, &["show", &rows[0]["id"].to_string()]);
    assert_eq!(record["command"], "edit");
    assert_eq!(record["kind"], "call");
    assert!(record["changes"][0]["diff"]
        .as_str()
        .unwrap()
        .contains("+    return 2 * (a + b)"));
    // A snippet edit has no model call: a turn record of its own.
    std::fs::write(env.path().join("f.py"), "def f():\n    return 1\n").unwrap();
    std::fs::write(env.path().join("e.txt"), "def f():\n    return 2\n").unwrap();
    std::fs::write(env.path().join("e3.txt"), "def f():\n    return 3\n").unwrap();
    ok(&env
        .cmd()
        .args(["edit", "f.py", "--snippet", "e.txt"])
        .output()
        .unwrap());
    assert_eq!(logs(&env, &["-n", "1"])[0]["kind"], "turn");
    // --no-log records nothing.
    ok(&env
        .cmd()
        .args(["--no-log", "edit", "f.py", "--snippet", "e3.txt"])
        .output()
        .unwrap());
    assert_eq!(logs(&env, &["-n", "0"]).as_array().unwrap().len(), 2);
}

#[test]
fn logs_enabled_false_records_nothing() {
    let env = TestEnv::new();
    env.write_config("config.toml", "[logs]\nenabled = false\n");
    std::fs::write(env.path().join("f.py"), "def f():\n    return 1\n").unwrap();
    std::fs::write(env.path().join("e.txt"), "def f():\n    return 2\n").unwrap();
    ok(&env
        .cmd()
        .args(["edit", "f.py", "--snippet", "e.txt"])
        .output()
        .unwrap());
    assert!(!db(&env).exists());
}

#[test]
fn sixteen_concurrent_processes_lose_nothing() {
    let env = TestEnv::new();
    let children: Vec<_> = (0..16)
        .map(|i| {
            let file = format!("f{i}.py");
            std::fs::write(env.path().join(&file), "def f():\n    return 1\n").unwrap();
            std::fs::write(
                env.path().join(format!("e{i}.txt")),
                format!("def f():\n    return {}\n", i + 2),
            )
            .unwrap();
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("codingit"));
            let template = env.cmd();
            for (k, v) in template.get_envs() {
                match v {
                    Some(v) => cmd.env(k, v),
                    None => cmd.env_remove(k),
                };
            }
            cmd.current_dir(env.path())
                .args(["edit", &file, "--snippet", &format!("e{i}.txt")])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        ok(&output);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("run log"), "{stderr}");
    }
    assert_eq!(logs(&env, &["-n", "0"]).as_array().unwrap().len(), 16);
}

/// A broken database: the command succeeds and says so once on stderr.
async fn one_warning_with(break_it: impl Fn(&std::path::Path)) {
    let answer = json!({
        "commentary": "Double it.",
        "instruction": "double the result",
        "edit": "def add(a, b):\n    return 2 * (a + b)\n",
        "file_path": "calc.py"
    });
    let (env, _server) = mock_env_json(&[answer]).await;
    std::fs::write(
        env.path().join("calc.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .unwrap();
    logs(&env, &[]); // creates the database
    break_it(&db(&env));
    // A model call and a change: two writes, one warning.
    let output = env
        .cmd()
        .args(["edit", "calc.py", "double the result"])
        .output()
        .unwrap();
    ok(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("run log").count(), 1, "{stderr}");
    assert!(std::fs::read_to_string(env.path().join("calc.py"))
        .unwrap()
        .contains("2 * (a + b)"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_database_costs_one_warning() {
    // SQLite opens a file whose header's write version is above 2 read-only, for
    // root as well (file modes would not stop root).
    one_warning_with(|path| {
        let mut bytes = std::fs::read(path).unwrap();
        bytes[18] = 1;
        bytes[19] = 3;
        let _ = std::fs::remove_file(path.with_extension("db-wal"));
        let _ = std::fs::remove_file(path.with_extension("db-shm"));
        std::fs::write(path, bytes).unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_database_costs_one_warning() {
    one_warning_with(|path| {
        let _ = std::fs::remove_file(path.with_extension("db-wal"));
        let _ = std::fs::remove_file(path.with_extension("db-shm"));
        std::fs::write(path, vec![0x5a; 8192]).unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_key_in_the_database_after_calls_with_keys_set() {
    let (env, _server) = mock_env_json(&[interpreter_fragment()]).await;
    let key = "mock-key-4f1c2a9e7b3d5f60";
    let mut config = std::fs::read_to_string(env.config_dir().join("config.toml")).unwrap();
    config.push_str("key_env = [\"MOCK_API_KEY\"]\n");
    env.write_config("config.toml", &config);
    let output = env
        .cmd()
        .env("MOCK_API_KEY", key)
        .env("OPENAI_API_KEY", "sk-proj-ZZZZZZZZZZZZZZZZZZZZZZZZ")
        .args(["new", "-t", "code-interpreter-v1", "-o", "app"])
        .arg(format!(
            "say hello; my key is {key}, the other sk-proj-ZZZZZZZZZZZZZZZZZZZZZZZZ"
        ))
        .output()
        .unwrap();
    ok(&output);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(env.path().join("state")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            bytes.extend(std::fs::read(path).unwrap());
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("say hello"), "the call was recorded");
    assert!(!text.contains(key), "the configured key is in the database");
    assert!(
        !text.contains("sk-proj-ZZZZ"),
        "a key-shaped word is in the database"
    );
}

#[test]
fn prune_path_and_bad_arguments() {
    let env = TestEnv::new();
    std::fs::write(env.path().join("f.py"), "def f():\n    return 1\n").unwrap();
    std::fs::write(env.path().join("e.txt"), "def f():\n    return 2\n").unwrap();
    ok(&env
        .cmd()
        .args(["edit", "f.py", "--snippet", "e.txt"])
        .output()
        .unwrap());
    assert_eq!(
        logs(&env, &["path"])["path"],
        db(&env).display().to_string()
    );
    assert_eq!(logs(&env, &["prune", "--older-than", "30d"])["pruned"], 0);
    assert_eq!(logs(&env, &["prune", "--older-than", "0s"])["pruned"], 1);
    let output = env
        .cmd()
        .args(["logs", "--since", "yesterday-ish"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = env.cmd().args(["logs", "show", "999"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
