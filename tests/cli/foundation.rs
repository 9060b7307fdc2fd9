//! The command-line surface, configuration layers and the models command, through
//! the real binary.

use crate::support::{stdout_json, TestEnv};
use pretty_assertions::assert_eq;
use std::io::{Read, Write};

#[test]
fn models_json_lists_at_least_50_models_from_12_providers() {
    let env = TestEnv::new();
    let output = env.cmd().args(["models", "--json"]).output().expect("run");
    assert!(output.status.success());
    let models = stdout_json(&output);
    let models = models.as_array().expect("array");
    assert!(models.len() >= 50, "{} models", models.len());
    let providers: std::collections::BTreeSet<_> = models
        .iter()
        .map(|m| m["provider"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(providers.len() >= 12, "{providers:?}");
    for m in models {
        for key in [
            "id",
            "name",
            "provider",
            "multimodal",
            "context_window",
            "available",
            "schema_version",
        ] {
            assert!(m.get(key).is_some(), "{key} missing in {m}");
        }
        assert_eq!(m["available"], false, "no key is set in this test: {m}");
    }
}

#[test]
fn filters_by_provider_multimodal_and_availability() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .args(["models", "list", "--provider", "anthropic", "--json"])
        .output()
        .expect("run");
    let models = stdout_json(&output);
    assert!(models
        .as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(|m| m["provider"] == "anthropic")));

    let output = env
        .cmd()
        .args(["models", "--multimodal", "--json"])
        .output()
        .expect("run");
    let models = stdout_json(&output);
    assert!(models
        .as_array()
        .is_some_and(|a| a.iter().all(|m| m["multimodal"] == true)));

    let output = env
        .cmd()
        .env("MISTRAL_API_KEY", "test-key-not-real")
        .args(["models", "--available", "--json"])
        .output()
        .expect("run");
    let models = stdout_json(&output);
    let models = models.as_array().expect("array");
    assert!(!models.is_empty());
    assert!(models
        .iter()
        .all(|m| m["provider"] == "mistral" && m["available"] == true));
}

#[test]
fn a_key_is_never_printed() {
    let env = TestEnv::new();
    let secret = "sk-test-SECRET-0123456789";
    for args in [
        vec!["models", "providers"],
        vec!["models", "providers", "--json"],
        vec!["models", "show", "openai/gpt-5-mini"],
        vec!["models", "show", "openai/gpt-5-mini", "--json"],
        vec!["models", "-v"],
    ] {
        let output = env
            .cmd()
            .env("OPENAI_API_KEY", secret)
            .args(&args)
            .output()
            .expect("run");
        assert!(output.status.success(), "{args:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!all.contains(secret), "{args:?} leaked the key");
        assert!(
            !all.contains("0123456789"),
            "{args:?} leaked part of the key"
        );
    }
    let output = env
        .cmd()
        .env("OPENAI_API_KEY", secret)
        .args(["models", "show", "gpt-5-mini", "--json"])
        .output()
        .expect("run");
    let shown = stdout_json(&output);
    assert_eq!(shown["available"], true);
    assert_eq!(shown["availability"]["source"], "OPENAI_API_KEY");
}

#[test]
fn broken_config_names_file_line_and_fix() {
    let env = TestEnv::new();
    env.write_config(
        "config.toml",
        "[defaults]\nmodel = \"openai/gpt-5\"\n[llm]\nmax_attempts = \"three\"\n",
    );
    let output = env.cmd().args(["models"]).output().expect("run");
    assert_eq!(output.status.code(), Some(78));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("config.toml:4:"), "{stderr}");
    assert!(stderr.contains("how to fix"), "{stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
}

#[test]
fn broken_user_models_file_is_reported() {
    let env = TestEnv::new();
    env.write_config("models.toml", "[[models]]\nid = \"x\"\n");
    let output = env.cmd().args(["models"]).output().expect("run");
    assert_eq!(output.status.code(), Some(78));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("models.toml"), "{stderr}");
}

#[test]
fn a_user_adds_an_openai_compatible_server_in_config() {
    let env = TestEnv::new();
    env.write_config(
        "config.toml",
        "[providers.lab]\nname = \"Lab llama.cpp\"\nbase_url = \"http://127.0.0.1:9/v1\"\nlocal = true\n",
    );
    env.write_config(
        "models.toml",
        "[[models]]\nid = \"smollm2\"\nname = \"SmolLM2\"\nprovider = \"lab\"\ncontext_window = 4096\n",
    );
    let output = env
        .cmd()
        .args(["models", "providers", "--json"])
        .output()
        .expect("run");
    let providers = stdout_json(&output);
    let lab = providers
        .as_array()
        .and_then(|a| a.iter().find(|p| p["id"] == "lab").cloned())
        .expect("lab provider listed");
    assert_eq!(lab["protocol"], "openai");
    assert_eq!(lab["available"], false);
    let output = env
        .cmd()
        .args(["models", "show", "lab/smollm2", "--json"])
        .output()
        .expect("run");
    assert_eq!(stdout_json(&output)["base_url"], "http://127.0.0.1:9/v1");
}

#[test]
fn base_url_overrides_follow_precedence() {
    let env = TestEnv::new();
    env.write_config(
        "config.toml",
        "[providers.openai]\nbase_url = \"http://from-config/v1\"\n",
    );
    let show = |cmd: &mut assert_cmd::Command| {
        let output = cmd
            .args(["models", "show", "openai/gpt-5", "--json"])
            .output()
            .expect("run");
        stdout_json(&output)["base_url"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(show(&mut env.cmd()), "http://from-config/v1");
    assert_eq!(
        show(env.cmd().env("OPENAI_BASE_URL", "http://standard/v1")),
        "http://standard/v1"
    );
    assert_eq!(
        show(
            env.cmd()
                .env("OPENAI_BASE_URL", "http://standard/v1")
                .env("CODINGIT_OPENAI_BASE_URL", "http://own/v1")
        ),
        "http://own/v1"
    );
    let output = env
        .cmd()
        .env("CODINGIT_GOOGLE_BASE_URL", "http://127.0.0.1:1/gem")
        .args(["models", "show", "google/gemini-2.5-flash", "--json"])
        .output()
        .expect("run");
    assert_eq!(stdout_json(&output)["base_url"], "http://127.0.0.1:1/gem");
}

#[test]
fn ollama_is_available_when_its_server_answers() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = std::thread::spawn(move || {
        // Answer every probe of the run (one per listing) with a tiny HTTP response.
        for stream in listener.incoming().take(1) {
            let mut stream = stream.expect("accept");
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let _ =
                stream.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 17\r\n\r\nOllama is running");
        }
    });
    let env = TestEnv::new();
    let output = env
        .cmd()
        .env("OLLAMA_HOST", format!("127.0.0.1:{port}"))
        .args(["models", "--provider", "ollama", "--json"])
        .output()
        .expect("run");
    let _ = server.join();
    let models = stdout_json(&output);
    assert!(models
        .as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(|m| m["available"] == true)));
}

#[test]
fn unknown_and_ambiguous_models_are_config_errors() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .args(["models", "show", "gpt-5-minii"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(78));
    let output = env
        .cmd()
        .args(["models", "show", "openai/gpt-oss-120b"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(78),
        "openai/gpt-oss-120b is a bare id of two providers"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("groq/openai/gpt-oss-120b"), "{stderr}");
    let output = env
        .cmd()
        .args(["models", "show", "groq/openai/gpt-oss-120b"])
        .output()
        .expect("run");
    assert!(output.status.success());
}

#[test]
fn colors_follow_flag_and_environment() {
    let env = TestEnv::new();
    let has_ansi = |cmd: &mut assert_cmd::Command| {
        let output = cmd.args(["models", "providers"]).output().expect("run");
        String::from_utf8_lossy(&output.stdout).contains('\u{1b}')
    };
    assert!(!has_ansi(&mut env.cmd()), "a pipe gets no colors");
    assert!(has_ansi(env.cmd().arg("--color=always")));
    assert!(has_ansi(env.cmd().env("CLICOLOR_FORCE", "1")));
    assert!(!has_ansi(
        env.cmd().env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1")
    ));
    assert!(!has_ansi(
        env.cmd().arg("--color=never").env("CLICOLOR_FORCE", "1")
    ));
    assert!(!has_ansi(
        env.cmd()
            .env("CLICOLOR_FORCE", "1")
            .env("TERM", "dumb")
            .env("NO_COLOR", "")
            .env("CLICOLOR", "0")
            .env_remove("CLICOLOR_FORCE")
    ));
}

#[test]
fn every_command_help_shows_an_example() {
    let env = TestEnv::new();
    for command in [
        "new",
        "chat",
        "edit",
        "run",
        "files",
        "sandbox",
        "models",
        "templates",
        "completions",
    ] {
        let output = env.cmd().args([command, "--help"]).output().expect("run");
        assert!(output.status.success(), "{command}");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(
            help.contains("Examples:"),
            "{command} help has no example:\n{help}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    let output = env.cmd().args(["models", "--bogus"]).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    let output = env
        .cmd()
        .args(["--color", "sometimes", "models"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn templates_list_and_show() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .args(["templates", "list", "--json"])
        .output()
        .expect("run");
    let templates = stdout_json(&output);
    assert_eq!(templates.as_array().map(Vec::len), Some(5));
    let output = env
        .cmd()
        .args(["templates", "show", "gradio-developer", "--json"])
        .output()
        .expect("run");
    assert_eq!(stdout_json(&output)["port"], 7860);
    let output = env
        .cmd()
        .args(["templates", "show", "nope"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(78));
}

#[test]
fn run_events_report_codingits_own_failure_as_an_error_event() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .args(["run", "no-such-file.py", "--events"])
        .output()
        .expect("run");
    // A path that is not there is a usage error, as for `chat -C no-such-folder`.
    assert_eq!(output.status.code(), Some(2));
    let last: serde_json::Value = String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    assert_eq!(last["type"], "error", "{last}");
    assert_eq!(last["kind"], "usage");
    assert!(last["message"]
        .as_str()
        .unwrap_or_default()
        .contains("no-such-file.py"));
}

/// `doctor` with a local model server (what it serves is listed), a key set (never
/// shown), the Docker engine reachable (CI) or not, and bubblewrap present or hidden.
#[test]
fn doctor_reports_what_works_and_how_to_fix_the_rest() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(wiremock::MockServer::start());
    runtime.block_on(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path("/v1/models"))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"object": "list", "data": [{"id": "served-model", "object": "model"}]}),
            ))
            .mount(&server),
    );
    let env = TestEnv::new();
    env.write_config(
        "config.toml",
        &format!(
            "[defaults]\nmodel = \"box/served-model\"\n\n[providers.box]\nname = \"Box\"\n\
             base_url = \"{}/v1\"\nlocal = true\n",
            server.uri()
        ),
    );
    env.write_config(
        "models.toml",
        "[[models]]\nid = \"served-model\"\nname = \"Served\"\nprovider = \"box\"\ncontext_window = 4096\n",
    );
    let secret = "sk-doctor-test-0123456789abcdefghij";
    let docker_expected = crate::support::docker::docker_required();
    let out = env
        .cmd()
        .env("OPENAI_API_KEY", secret)
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains(secret), "a key was shown");
    let report = stdout_json(&out);
    let find = |report: &serde_json::Value, name: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in {report}"))
    };
    assert_eq!(find(&report, "keys")["status"], "ok");
    assert!(find(&report, "keys")["detail"]
        .as_str()
        .unwrap()
        .contains("openai (OPENAI_API_KEY)"));
    assert_eq!(find(&report, "default model")["detail"], "box/served-model");
    let served = find(&report, "server box");
    assert!(
        served["detail"].as_str().unwrap().contains("served-model"),
        "{served}"
    );
    if docker_expected {
        assert_eq!(find(&report, "docker")["status"], "ok", "{report}");
        assert!(find(&report, "auto backend")["detail"]
            .as_str()
            .unwrap()
            .starts_with("docker at"));
        assert_eq!(report["ok"], true, "{report}");
        assert!(out.status.success());
    }
    // The engine unreachable, bubblewrap hidden: each says so, and how to fix it.
    let out = env
        .cmd()
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .env("CODINGIT_LOCAL_BWRAP", "0")
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    let report = stdout_json(&out);
    let docker = find(&report, "docker");
    assert_eq!(docker["status"], "warn", "{report}");
    assert!(docker["fix"].as_str().unwrap().contains("--backend local"));
    let auto = find(&report, "auto backend");
    assert_eq!(auto["status"], "fail", "{report}");
    assert!(auto["detail"].as_str().unwrap().contains("DOCKER_HOST"));
    assert_eq!(out.status.code(), Some(1));
    let local = find(&report, "local");
    if local["status"] == "ok" {
        assert!(local["detail"]
            .as_str()
            .unwrap()
            .contains("turned off (CODINGIT_LOCAL_BWRAP=0)"));
    }
}

/// `--detach` keeps web apps running; with an interpreter cell it is refused, not
/// silently ignored.
#[test]
fn detach_with_an_interpreter_cell_is_refused() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .args(["run", "-", "-t", "code-interpreter-v1", "--detach"])
        .write_stdin("print(1)\n")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--detach keeps a web app running"),
        "{stderr}"
    );
}
