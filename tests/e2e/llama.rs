//! End to end against a real model server: llama.cpp's `llama-server` with the
//! SmolLM2-135M model (started by scripts/dev-env), configured as an OpenAI-compatible
//! provider in config.toml, through the real binary.
//!
//! Needs CODINGIT_TEST_LLAMA_URL (and CODINGIT_TEST_LLAMA_MODEL); under CI=true a
//! missing server fails these tests instead of skipping them.

use crate::support::{in_ci, stdout_json, TestEnv};
use codingit::catalog::TemplateCatalog;
use codingit::fragment::checks::check_fragment;
use codingit::fragment::schema::strict_schema_for;
use codingit::fragment::Fragment;

fn server() -> Option<(String, String)> {
    let url = std::env::var("CODINGIT_TEST_LLAMA_URL")
        .ok()
        .filter(|v| !v.is_empty());
    let model = std::env::var("CODINGIT_TEST_LLAMA_MODEL").unwrap_or_else(|_| "smollm2".into());
    match url {
        Some(url) => Some((url, model)),
        None if in_ci() => panic!("CI=true but CODINGIT_TEST_LLAMA_URL is unset: run scripts/test (it starts llama-server)"),
        None => {
            eprintln!("note: skipping: set CODINGIT_TEST_LLAMA_URL (scripts/dev-env --print-env) to run against llama-server");
            None
        }
    }
}

/// A user's config for a llama.cpp server: a new provider, no code change.
fn llama_env(url: &str, model: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write_config(
        "config.toml",
        &format!(
            "[llm]\ntemperature = 0.0\nseed = 42\nmax_tokens = 1000\nrepair_rounds = 2\ntotal_timeout = \"10m\"\n\n\
             [providers.llama]\nname = \"llama.cpp\"\nbase_url = \"{url}\"\nlocal = true\nbounded_schema = true\n"
        ),
    );
    env.write_config(
        "models.toml",
        &format!("[[models]]\nid = \"{model}\"\nname = \"SmolLM2 135M\"\nprovider = \"llama\"\ncontext_window = 4096\nstructured_output = true\n"),
    );
    env
}

/// A one-shot example of the answer's shape for `--system` (the documented way to
/// get a 135M model to copy the fragment's shape), written into the test's home.
fn one_shot_system(env: &TestEnv) -> std::path::PathBuf {
    let system = env.path().join("system.txt");
    std::fs::write(
        &system,
        "Answer with JSON exactly like this example, changing only the code, title and description:\n\
         {\"commentary\": \"Print a greeting.\", \"template\": \"code-interpreter-v1\", \"title\": \"Greeting\", \
         \"description\": \"Prints a greeting.\", \"additional_dependencies\": [], \"has_additional_dependencies\": false, \
         \"install_dependencies_command\": \"\", \"port\": null, \"file_path\": \"script.py\", \"code\": \"print('hi')\", \"files\": []}\n",
    )
    .unwrap();
    system
}

#[test]
fn models_check_succeeds_against_llama_server() {
    let Some((url, model)) = server() else { return };
    let _one_at_a_time = crate::SERVER.blocking_lock();
    let env = llama_env(&url, &model);
    let output = env
        .cmd()
        .args(["models", "check", &format!("llama/{model}"), "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results = stdout_json(&output);
    assert_eq!(results[0]["ok"], true, "{results}");
    assert!(results[0]["latency_ms"].as_u64().is_some());
    let output = env
        .cmd()
        .args(["models", "--provider", "llama", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        stdout_json(&output)[0]["available"],
        true,
        "the server answers, so it is available"
    );
}

#[test]
fn new_writes_a_project_whose_fragment_validates() {
    let Some((url, model)) = server() else { return };
    let env = llama_env(&url, &model);
    // A one-shot example in the system prompt (`--system`): a 135M model copies its shape.
    let system = one_shot_system(&env);
    // Temperature 0 and a seed, but the server's prompt cache still shifts a 135M
    // model's output between runs: a few attempts, each a complete `new`.
    let _one_at_a_time = crate::SERVER.blocking_lock();
    let mut failures = Vec::new();
    for _attempt in 0..3 {
        // The same request first, so the server's cache is in the same state before
        // each `new`, whatever ran before this test.
        let warm = env
            .cmd()
            .args(["models", "check", &format!("llama/{model}")])
            .output()
            .unwrap();
        assert!(
            warm.status.success(),
            "{}",
            String::from_utf8_lossy(&warm.stderr)
        );
        let output = env
            .cmd()
            .args([
                "new",
                "print hello world",
                "-t",
                "code-interpreter-v1",
                "-m",
                &format!("llama/{model}"),
                "-o",
                "app",
                "--json",
            ])
            .arg("--system")
            .arg(&system)
            .output()
            .unwrap();
        if output.status.success() {
            break;
        }
        assert_eq!(
            output.status.code(),
            Some(5),
            "only an invalid answer may be retried: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !env.path().join("app").exists(),
            "a failed new leaves no folder"
        );
        failures.push(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    assert!(
        env.path().join("app").exists(),
        "every attempt failed:\n{}",
        failures.join("\n")
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(env.path().join("app/.codingit/fragment.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&strict_schema_for::<Fragment>()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&manifest)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let fragment: Fragment = serde_json::from_value(manifest).unwrap();
    let templates = TemplateCatalog::builtin().unwrap();
    assert_eq!(
        check_fragment(&fragment, &templates, &["code-interpreter-v1".to_string()]),
        Vec::<String>::new()
    );
    assert_eq!(fragment.template, "code-interpreter-v1");
    assert!(env.path().join("app").join(&fragment.file_path).is_file());
    let history = std::fs::read_to_string(env.path().join("app/.codingit/history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 2);
}

/// `new --check` once against the real server and a real local sandbox: the small
/// model need not pass, but the loop, the judgement and the outcome must be right.
#[test]
fn new_check_judges_what_the_real_model_wrote() {
    let Some((url, model)) = server() else { return };
    let env = llama_env(&url, &model);
    let system = one_shot_system(&env);
    let _one_at_a_time = crate::SERVER.blocking_lock();
    let mut failures = Vec::new();
    for _attempt in 0..3 {
        let output = env
            .cmd()
            .env(
                "CODINGIT_CACHE_DIR",
                crate::support::containment::cache_dir(),
            )
            .args(["new", "print hello world", "-t", "code-interpreter-v1"])
            .args(["-m", &format!("llama/{model}"), "-o", "app", "--json"])
            .args(["--check", "--fix-rounds", "1", "--backend", "local"])
            .arg("--system")
            .arg(&system)
            .timeout(std::time::Duration::from_secs(900))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if output.status.code() == Some(5) && !env.path().join("app").exists() {
            failures.push(stderr); // the first answer never parsed: nothing to judge
            continue;
        }
        let code = output.status.code();
        assert!(code == Some(0) || code == Some(9), "{code:?}: {stderr}");
        let check = stdout_json(&output)["check"].clone();
        let rounds = check["rounds"].as_array().unwrap();
        assert!(!rounds.is_empty() && rounds.len() <= 2, "{check}");
        for (i, round) in rounds.iter().enumerate() {
            assert_eq!(round["round"], serde_json::json!(i + 1));
            let checks = round["checks"].as_array().unwrap();
            // The cell ran, or the extra dependencies it named could not install.
            let names: Vec<&str> = checks.iter().filter_map(|c| c["name"].as_str()).collect();
            assert!(names == ["run"] || names == ["install"], "{check}");
            assert!(round["usage"]["output_tokens"].as_u64().unwrap() > 0);
        }
        let passed = code == Some(0);
        assert_eq!(check["passed"], serde_json::json!(passed));
        let reason = if passed { "passed" } else { "still_failing" };
        assert_eq!(
            check["termination_reason"],
            serde_json::json!(reason),
            "{check}"
        );
        let history =
            std::fs::read_to_string(env.path().join("app/.codingit/history.jsonl")).unwrap();
        assert!(history.lines().count() >= 2 * rounds.len().min(2));
        return;
    }
    panic!("no attempt produced a project:\n{}", failures.join("\n"));
}

/// The README's local-model quick start, literally: its config.toml and models.toml
/// (pointed at the test server), `new` with the model, then `chat` on the project
/// without `-m`, which must reuse the project's model. The tool side must be right
/// (bounded requests, no repair round that cannot fit); the 135M model's answers
/// may still fail validation.
#[test]
fn the_readme_local_model_quick_start_works() {
    let Some((url, model)) = server() else { return };
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("### With a local model")
        .nth(1)
        .expect("README has the local-model quick start");
    let blocks: Vec<&str> = section
        .split("```toml\n")
        .skip(1)
        .take(2)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    let config = blocks[0].replace("http://127.0.0.1:8080/v1", &url);
    assert_ne!(
        config, blocks[0],
        "the README's base_url is the one this test replaces"
    );
    let models = blocks[1].replace("id = \"local\"", &format!("id = \"{model}\""));
    let env = TestEnv::new();
    env.write_config(
        "config.toml",
        &format!("[llm]\ntemperature = 0.0\nseed = 42\n\n{config}"),
    );
    env.write_config("models.toml", &models);
    let system = one_shot_system(&env);
    let _one_at_a_time = crate::SERVER.blocking_lock();
    let mut made = false;
    for _attempt in 0..3 {
        let out = env
            .cmd()
            .args([
                "new",
                "a python script that prints hello",
                "-t",
                "code-interpreter-v1",
            ])
            .args(["-m", &format!("llama/{model}"), "-o", "hello"])
            .arg("--system")
            .arg(&system)
            .timeout(std::time::Duration::from_secs(600))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Only the small model's invalid answer is acceptable, never a 400 for a
        // request past the window.
        assert!(matches!(out.status.code(), Some(0) | Some(5)), "{stderr}");
        assert!(!stderr.contains("400"), "{stderr}");
        if out.status.success() {
            made = true;
            break;
        }
    }
    assert!(made, "no attempt made a project");
    let chat = env
        .cmd()
        .args(["chat", "-C", "hello", "also print the date", "--json"])
        .timeout(std::time::Duration::from_secs(600))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&chat.stderr);
    assert!(matches!(chat.status.code(), Some(0) | Some(5)), "{stderr}");
    assert!(!stderr.contains("400"), "{stderr}");
    if chat.status.success() {
        assert_eq!(stdout_json(&chat)["model"], format!("llama/{model}"));
    }
}

/// The server is asked what it serves: `models check llama` checks a served model
/// (not merely the catalog's first), and `--available` lists only served models.
#[test]
fn the_server_says_which_models_it_serves() {
    let Some((url, model)) = server() else { return };
    let env = llama_env(&url, &model);
    let mut models = std::fs::read_to_string(env.config_dir().join("models.toml")).unwrap();
    models = format!(
        "[[models]]\nid = \"not-served-here\"\nname = \"Absent\"\nprovider = \"llama\"\ncontext_window = 4096\n\n{models}"
    );
    env.write_config("models.toml", &models);
    let _one_at_a_time = crate::SERVER.blocking_lock();
    let check = env
        .cmd()
        .args(["models", "check", "llama", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    let text = String::from_utf8_lossy(&check.stdout);
    let checked = stdout_json(&check);
    assert_eq!(checked[0]["model"], serde_json::json!(model), "{checked}");
    assert!(!text.contains("not-served-here"), "{text}");
    let list = env
        .cmd()
        .args(["models", "--provider", "llama", "--available", "--json"])
        .output()
        .unwrap();
    let rows = stdout_json(&list);
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, [format!("llama/{model}").as_str()], "{rows}");
    // A typo of a served model is caught before any request, with the close name.
    let typo: String = model.chars().take(model.len() - 1).collect();
    let out = env
        .cmd()
        .args([
            "new",
            "hi",
            "-t",
            "code-interpreter-v1",
            "-m",
            &format!("llama/{typo}"),
        ])
        .args(["-o", "typo", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("did you mean: {model}?")),
        "{stderr}"
    );
}

/// `chat` on a git repository with the real model: the request (map, files, schema
/// with its `action` enum) is accepted by llama-server's grammar and fits its window;
/// whatever the 135M model answers, the outcome is a patch `git apply` accepts, or a
/// refusal that leaves the repository as it was. Never anything in between.
#[test]
fn chat_on_a_repository_gives_a_patch_git_accepts_or_changes_nothing() {
    let Some((url, model)) = server() else { return };
    let env = llama_env(&url, &model);
    let repo = crate::support::repo::make_repo(
        env.path(),
        "repo",
        &[
            (
                "greet.py",
                b"def greet(name):\n    return \"Hello, \" + name\n\n\nprint(greet(\"world\"))\n",
            ),
            ("README.md", b"# greet\n"),
        ],
    );
    let before = crate::support::repo::tree(&repo);
    let _one_at_a_time = crate::SERVER.blocking_lock();
    let output = env
        .cmd()
        .args([
            "chat",
            "-C",
            "repo",
            "make greet say Hi instead of Hello",
            "-m",
            &format!("llama/{model}"),
            "--dry-run",
            "--json",
            // One answer is enough to judge the tool side (and keeps the test short).
            "--repair-rounds",
            "0",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("exit {:?}: {stderr}", output.status.code());
    assert_eq!(
        crate::support::repo::tree(&repo),
        before,
        "a dry run wrote: {stderr}"
    );
    match output.status.code() {
        Some(0) => {
            let result = stdout_json(&output);
            let patch = result["patch"].as_str().unwrap().to_string();
            assert!(result["context"]["files"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("greet.py")));
            if !patch.is_empty() {
                let file = env.path().join("change.patch");
                std::fs::write(&file, &patch).unwrap();
                crate::support::repo::git(&repo, &["apply", "--check", file.to_str().unwrap()]);
            }
        }
        // The model's edits could not be merged, or its answer stayed invalid: said
        // in words, nothing written.
        Some(3) | Some(5) => assert!(stderr.contains("error"), "{stderr}"),
        other => panic!("chat ended with {other:?}: {stderr}"),
    }
}
