//! `codingit edit` through the real binary: every fixture case (this project's, the
//! Continue lazy-edit examples, the `*** Begin Patch` scenarios) and the model path
//! against a mock server.

use crate::support::apply::{continue_cases, fixtures_dir, read_tree, shared_dir, subdirs};
use crate::support::mock_llm::*;
use crate::support::{stdout_json, TestEnv};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// Continue examples whose snippet does not say where new code goes (see
/// tests/apply/engine.rs): the engine refuses them, leaving the file untouched.
const CONTINUE_REFUSED: [&str; 2] = ["calculator-exp.js", "gui.js"];

fn run_snippet(
    env: &TestEnv,
    file: &Path,
    edit: &Path,
    format: Option<&str>,
) -> std::process::Output {
    let mut cmd = env.cmd();
    cmd.arg("edit")
        .arg(file)
        .arg("--snippet")
        .arg(edit)
        .arg("--json");
    if let Some(format) = format {
        cmd.args(["--format", &format.replace('_', "-")]);
    }
    cmd.output().unwrap()
}

#[test]
fn own_fixtures_through_the_binary() {
    let mut failures = Vec::new();
    let dirs = subdirs(&fixtures_dir().canonicalize().unwrap());
    assert!(dirs.len() >= 40);
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let env = TestEnv::new();
        let entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        let find = |prefix: &str| {
            entries
                .iter()
                .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
                .cloned()
        };
        let original = find("original.").unwrap();
        let target = env.path().join(original.file_name().unwrap());
        std::fs::copy(&original, &target).unwrap();
        let before = std::fs::read(&target).unwrap();
        let format = std::fs::read_to_string(dir.join("format.txt"))
            .ok()
            .map(|s| s.trim().to_string());
        let output = run_snippet(&env, &target, &dir.join("edit.txt"), format.as_deref());
        let after = std::fs::read(&target).unwrap();
        match (
            find("expected."),
            std::fs::read_to_string(dir.join("refusal.txt")).ok(),
        ) {
            (Some(expected), None) => {
                if !output.status.success() {
                    failures.push(format!(
                        "{name}: exit {:?}: {}",
                        output.status.code(),
                        String::from_utf8_lossy(&output.stdout)
                    ));
                } else if after != std::fs::read(&expected).unwrap() {
                    failures.push(format!("{name}: merged file differs from expected"));
                }
            }
            (None, Some(code)) => {
                let code = code.lines().next().unwrap_or_default().trim().to_string();
                let json = stdout_json(&output);
                // The engine refuses a change that is already there (a model is told);
                // the command calls it `unchanged` and succeeds.
                if code == "already_applied" {
                    if !output.status.success() || json["status"] != json!("unchanged") {
                        failures.push(format!("{name}: expected unchanged, got {json}"));
                    }
                    if after != before {
                        failures.push(format!("{name}: an unchanged edit changed the file"));
                    }
                    continue;
                }
                if output.status.code() != Some(3) {
                    failures.push(format!(
                        "{name}: expected exit 3, got {:?}",
                        output.status.code()
                    ));
                }
                if json["refusal"]["code"] != json!(code) {
                    failures.push(format!(
                        "{name}: expected refusal {code}, got {}",
                        json["refusal"]["code"]
                    ));
                }
                if after != before {
                    failures.push(format!("{name}: a refusal changed the file"));
                }
            }
            _ => failures.push(format!("{name}: needs expected.<ext> or refusal.txt")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn continue_examples_through_the_binary() {
    let Some(cases) = continue_cases() else {
        return;
    };
    assert!(cases.len() >= 14);
    let mut failures = Vec::new();
    for case in cases {
        let env = TestEnv::new();
        let target = env.path().join(&case.name);
        std::fs::write(&target, &case.original).unwrap();
        let edit = env.path().join("edit.txt");
        std::fs::write(&edit, &case.snippet).unwrap();
        let output = run_snippet(&env, &target, &edit, None);
        let after = std::fs::read_to_string(&target).unwrap();
        if CONTINUE_REFUSED.contains(&case.name.as_str()) {
            if output.status.code() != Some(3) || after != case.original {
                failures.push(format!(
                    "{}: expected a refusal with the file untouched",
                    case.name
                ));
            }
        } else if !output.status.success() || after != case.expected {
            failures.push(format!(
                "{}: exit {:?}, result differs: {}",
                case.name,
                output.status.code(),
                String::from_utf8_lossy(&output.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn copy_tree(from: &Path, to: &Path) {
    for (path, content) in read_tree(from) {
        let target = to.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, content).unwrap();
    }
}

#[test]
fn begin_patch_scenarios_through_the_binary_all_or_nothing() {
    let mut failures = Vec::new();
    let Some(root) = shared_dir("apply-patch") else {
        return;
    };
    for dir in subdirs(&root.canonicalize().unwrap()) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let env = TestEnv::new();
        let work = env.path().join("work");
        std::fs::create_dir_all(&work).unwrap();
        copy_tree(&dir.join("input"), &work);
        let input: BTreeMap<String, String> = read_tree(&work);
        let expected = read_tree(&dir.join("expected"));
        let output = env
            .cmd()
            .current_dir(&work)
            .arg("edit")
            .arg("--patch")
            .arg(dir.join("patch.txt"))
            .output()
            .unwrap();
        let after = read_tree(&work);
        let after_number = name.split_once('_').map_or(name.as_str(), |(_, rest)| rest);
        let refusal = after_number.starts_with("rejects_")
            || name.ends_with("_fails")
            || name.starts_with("015_")
            || input == expected;
        if refusal {
            if output.status.success() || after != input {
                failures.push(format!(
                    "{name}: expected a refusal with the tree unchanged"
                ));
            }
        } else if !output.status.success() || after != expected {
            failures.push(format!(
                "{name}: exit {:?} {}\n got {after:?}\nwant {expected:?}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dry_run_and_output_leave_the_file_alone() {
    let env = TestEnv::new();
    let file = env.path().join("app.py");
    std::fs::write(&file, "def f():\n    return 1\n").unwrap();
    let edit = env.path().join("e.txt");
    std::fs::write(
        &edit,
        "<<<<<<< SEARCH\n    return 1\n=======\n    return 2\n>>>>>>> REPLACE\n",
    )
    .unwrap();
    let output = env
        .cmd()
        .arg("edit")
        .arg(&file)
        .arg("--snippet")
        .arg(&edit)
        .arg("--dry-run")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("+    return 2"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "def f():\n    return 1\n"
    );
    let output = env
        .cmd()
        .arg("edit")
        .arg(&file)
        .arg("--snippet")
        .arg(&edit)
        .args(["--output", "-"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "def f():\n    return 2\n"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "def f():\n    return 1\n"
    );
    let output = env
        .cmd()
        .arg("edit")
        .arg(&file)
        .args(["--snippet", "-", "--diff"])
        .write_stdin(std::fs::read(&edit).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("-    return 1"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "def f():\n    return 2\n"
    );
}

async fn model_env(answers: Vec<serde_json::Value>) -> (TestEnv, wiremock::MockServer) {
    mock_env_json(&answers).await
}

#[tokio::test(flavor = "multi_thread")]
async fn instruction_to_edit_to_merged_file() {
    let answer = json!({
        "commentary": "Return the sum twice.",
        "instruction": "double the result",
        "edit": "def add(a, b):\n    return 2 * (a + b)\n# ... existing code ...\n",
        "file_path": "calc.py"
    });
    let (env, server) = model_env(vec![answer]).await;
    let file = env.path().join("calc.py");
    std::fs::write(
        &file,
        "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n",
    )
    .unwrap();
    let output = env
        .cmd()
        .args(["edit", "calc.py", "double the result", "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "def add(a, b):\n    return 2 * (a + b)\n\n\ndef sub(a, b):\n    return a - b\n"
    );
    let result = stdout_json(&output);
    assert_eq!(result["status"], "applied");
    assert_eq!(result["format"], "lazy");
    let body = request_bodies(&server).await[0].to_string();
    assert!(
        body.contains("return a - b"),
        "the file's content is in the prompt"
    );
    assert!(body.contains("file_edit"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_edit_is_reported_with_its_code_and_the_file_is_unchanged() {
    let answer = json!({
        "commentary": "Change a function that is not there.",
        "instruction": "x",
        "edit": "<<<<<<< SEARCH\ndef mul(a, b):\n=======\ndef times(a, b):\n>>>>>>> REPLACE\n",
        "file_path": "calc.py"
    });
    let (env, server) = model_env(vec![answer]).await;
    let file = env.path().join("calc.py");
    std::fs::write(&file, "def add(a, b):\n    return a + b\n").unwrap();
    let output = env
        .cmd()
        .args(["edit", "calc.py", "rename mul", "--repair-rounds", "1"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("not_found"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "def add(a, b):\n    return a + b\n"
    );
    let bodies = request_bodies(&server).await;
    assert_eq!(bodies.len(), 2, "one repair round with the refusal text");
    assert!(bodies[1].to_string().contains("not_found"));
}

/// A change that is already there is `unchanged` (exit 0, nothing written), as
/// documented; a real refusal tells people what failed, not the model's instructions.
#[test]
fn an_edit_already_applied_is_unchanged_and_refusals_read_as_prose() {
    let env = TestEnv::new();
    let file = env.path().join("app.py");
    std::fs::write(&file, "def f():\n    return 2\n").unwrap();
    let edit = env.path().join("e.txt");
    std::fs::write(
        &edit,
        "<<<<<<< SEARCH\n    return 1\n=======\n    return 2\n>>>>>>> REPLACE\n",
    )
    .unwrap();
    let output = env
        .cmd()
        .arg("edit")
        .arg(&file)
        .arg("--snippet")
        .arg(&edit)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout_json(&output)["status"], "unchanged");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "def f():\n    return 2\n"
    );
    std::fs::write(
        &edit,
        "<<<<<<< SEARCH\n    return 7\n=======\n    return 8\n>>>>>>> REPLACE\n",
    )
    .unwrap();
    let output = env
        .cmd()
        .arg("edit")
        .arg(&file)
        .arg("--snippet")
        .arg(&edit)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("edit refused (") && stderr.contains("how to fix"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("send it again") && !stderr.contains("Reply"),
        "{stderr}"
    );
}
