//! The Docker backend against a real engine: hardening, exec, files, lifecycle
//! (expiry without codingit, extend, kill --all, ls from a fresh process). The web
//! templates end to end are in docker_templates.rs, the warm pool in docker_pool.rs,
//! `sandbox …` and `files` on one sandbox in the shared suite (commands/). Needs
//! CODINGIT_TEST_DOCKER=1 (or CI=true) to be required; skips with a note otherwise
//! when no engine answers.

use codingit::sandbox::{Backend, ExecRequest, SandboxError};
use std::time::{Duration, Instant};

/// Docker tests run one at a time: `kill --all` must not race the others.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

use crate::support::docker::{argv, namespace, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hardened_sandbox_exec_limits_and_files() {
    let _solo = crate::support::solo("sandbox_docker");
    let _serial = SERIAL.lock().await;
    namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, "code-interpreter-v1").await;
    let mut spec = crate::support::docker::spec(t, Duration::from_secs(300));
    spec.limits.output_bytes = 1000;
    let info = b.create(&spec).await.unwrap();
    let _c = crate::support::docker::Cleanup(info.id.clone());
    let id = info.id.as_str();

    let inspect = b
        .client()
        .inspect_container(&format!("codingit-{id}"), None)
        .await
        .unwrap();
    let host = inspect.host_config.unwrap();
    assert_eq!(host.readonly_rootfs, Some(true));
    assert_eq!(host.cap_drop, Some(vec!["ALL".to_string()]));
    assert_eq!(host.network_mode.as_deref(), Some("none"));
    assert_eq!(host.init, Some(true));
    assert!(host
        .security_opt
        .unwrap()
        .iter()
        .any(|s| s.starts_with("no-new-privileges")));
    assert_eq!(host.memory, Some(1 << 30));
    assert_eq!(host.pids_limit, Some(256));
    assert_eq!(inspect.config.unwrap().user.as_deref(), Some("1000:1000"));

    let (o, out, _) = run(&b, id, &["id", "-u"]).await;
    assert_eq!((o.exit_code, out.trim()), (0, "1000"));
    let (o, _, _) = run(&b, id, &["sh", "-c", "touch /usr/x"]).await;
    assert_ne!(o.exit_code, 0, "root filesystem must be read-only");
    let (o, _, _) = run(&b, id, &["sh", "-c", "exit 3"]).await;
    assert_eq!(o.exit_code, 3);
    let (o, out, _) = run(&b, id, &["python3", "-c", "print('x' * 5000)"]).await;
    assert!(
        o.truncated && out.len() == 1000,
        "{} {}",
        o.truncated,
        out.len()
    );

    let started = Instant::now();
    let req = ExecRequest {
        argv: argv(&["sleep", "30"]),
        timeout: Some(Duration::from_secs(1)),
        ..Default::default()
    };
    let o = b.exec(id, &req, &|_| {}).await.unwrap();
    assert!(
        o.timed_out && started.elapsed() < Duration::from_secs(10),
        "{o:?}"
    );

    // Files: nested writes, a clean recursive listing, read back, remove.
    b.write_files(
        id,
        &[
            ("src/app.py".into(), b"print(1)\n".to_vec()),
            ("src/lib/util.py".into(), b"X = 1\n".to_vec()),
            ("/home/user/notes.txt".into(), b"hi".to_vec()),
        ],
    )
    .await
    .unwrap();
    let entries = b.list_files(id, "src", true).await.unwrap();
    let paths: Vec<_> = entries.iter().map(|e| (e.path.as_str(), e.kind)).collect();
    use codingit::sandbox::FileKind::*;
    assert_eq!(
        paths,
        vec![
            ("src/app.py", File),
            ("src/lib", Dir),
            ("src/lib/util.py", File)
        ]
    );
    assert!(entries
        .iter()
        .all(|e| !e.path.starts_with('/') && !e.path.contains("//")));
    assert_eq!(b.read_file(id, "notes.txt").await.unwrap(), b"hi");
    let (_, owner, _) = run(&b, id, &["stat", "-c", "%u", "src/lib/util.py"]).await;
    assert_eq!(owner.trim(), "1000");
    b.remove_path(id, "src").await.unwrap();
    assert!(b.read_file(id, "src/app.py").await.is_err());
    assert!(matches!(
        b.read_file(id, "../etc/passwd").await,
        Err(SandboxError::Path { .. })
    ));

    // Installing needs the network, which is off: the error says so.
    let err = b
        .install(
            id,
            codingit::catalog::PackageManager::Pip,
            &["requests".into()],
            &|_| {},
        )
        .await
        .err()
        .unwrap();
    assert!(
        matches!(err, SandboxError::InstallNeedsNetwork { .. })
            && err.to_string().contains("--network")
    );
    b.kill(id).await.unwrap();
    assert!(matches!(b.get(id).await, Err(SandboxError::NotFound(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interpreter_prints_tracebacks_and_charts() {
    let _solo = crate::support::solo("sandbox_docker");
    let _serial = SERIAL.lock().await;
    namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, "code-interpreter-v1").await;
    let info = b
        .create(&crate::support::docker::spec(t, Duration::from_secs(300)))
        .await
        .unwrap();
    let _c = crate::support::docker::Cleanup(info.id.clone());
    let id = info.id.as_str();
    let cell = |code: &str| vec![("script.py".to_string(), code.as_bytes().to_vec())];
    let runner = [
        "python3",
        "/opt/codingit/runner.py",
        "script.py",
        "/tmp/result.json",
        "out",
    ];

    b.write_files(id, &cell("print('hello from the sandbox')\n6 * 7\n"))
        .await
        .unwrap();
    let (_, _, _) = run(&b, id, &["mkdir", "-p", "out"]).await;
    let (o, out, _) = run(&b, id, &runner).await;
    assert_eq!(o.exit_code, 0);
    assert_eq!(out, "hello from the sandbox\n");
    let (_, result, _) = run(&b, id, &["cat", "/tmp/result.json"]).await;
    assert!(result.contains("\"value\": \"42\""), "{result}");

    b.write_files(id, &cell("def f():\n    return 1 / 0\nf()\n"))
        .await
        .unwrap();
    let (o, _, err) = run(&b, id, &runner).await;
    assert_eq!(o.exit_code, 1);
    assert!(
        err.contains("Traceback") && err.contains("ZeroDivisionError"),
        "{err}"
    );

    let chart = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\n";
    b.write_files(id, &cell(chart)).await.unwrap();
    let (o, _, err) = run(&b, id, &runner).await;
    assert_eq!(o.exit_code, 0, "{err}");
    let png = b.read_file(id, "out/figure-1.png").await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    b.kill(id).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_holds_without_codingit_and_extend_moves_it() {
    let _solo = crate::support::solo("sandbox_docker");
    let _serial = SERIAL.lock().await;
    namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, "code-interpreter-v1").await;
    let short = b
        .create(&crate::support::docker::spec(
            t.clone(),
            Duration::from_secs(3),
        ))
        .await
        .unwrap();
    let _c1 = crate::support::docker::Cleanup(short.id.clone());
    let extended = b
        .create(&crate::support::docker::spec(t, Duration::from_secs(3)))
        .await
        .unwrap();
    let _c2 = crate::support::docker::Cleanup(extended.id.clone());
    let info = b
        .extend(&extended.id, Duration::from_secs(120))
        .await
        .unwrap();
    assert!(info.expires_at >= codingit::sandbox::unix_now() + 110);
    // The sandbox user cannot lengthen (or shorten) its own life.
    let (out, _, _) = run(
        &b,
        &extended.id,
        &[
            "sh",
            "-c",
            "echo 9999999999 > /run/codingit/expires || exit 3; \
             mv /run/codingit /run/x 2>/dev/null && exit 4; \
             [ \"$(stat -c %u /run/codingit/expires)\" = 0 ] || exit 5",
        ],
    )
    .await;
    assert_eq!(out.exit_code, 3, "the expiry file must be root's");
    let (out, _, _) = run(
        &b,
        &extended.id,
        &[
            "sh",
            "-c",
            "mv /run/codingit /run/x 2>/dev/null && exit 4; \
             [ \"$(stat -c %u /run/codingit/expires)\" = 0 ] || exit 5",
        ],
    )
    .await;
    assert_eq!(out.exit_code, 0, "the expiry folder must stay in place");
    // Nothing of codingit runs now: drop the client, as if the process was killed.
    drop(b);
    tokio::time::sleep(Duration::from_secs(7)).await;
    let b = crate::support::docker::backend().await.unwrap();
    let state = |id: String| {
        let b = &b;
        async move {
            b.client()
                .inspect_container(&format!("codingit-{id}"), None)
                .await
                .ok()
                .and_then(|i| i.state)
                .and_then(|s| s.running)
        }
    };
    assert_eq!(
        state(short.id.clone()).await,
        Some(false),
        "expired sandbox must stop itself"
    );
    assert_eq!(
        state(extended.id.clone()).await,
        Some(true),
        "extended sandbox must live on"
    );
    assert!(b.reap_expired().await.unwrap() >= 1);
    assert!(matches!(
        b.get(&short.id).await,
        Err(SandboxError::NotFound(_))
    ));
    let got = b.get(&extended.id).await.unwrap();
    assert!(
        got.expires_at > codingit::sandbox::unix_now() + 100,
        "{got:?}"
    );
    b.kill(&extended.id).await.unwrap();
}

fn cli(ns: &str, cfg: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("codingit").unwrap();
    cmd.env("CODINGIT_CONFIG_DIR", cfg)
        .env("CODINGIT_CACHE_DIR", cfg.join("cache"))
        .env("CODINGIT_STATE_DIR", cfg.join("state"))
        .env("CODINGIT_SANDBOX_NAMESPACE", ns)
        .env("NO_COLOR", "1");
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_ls_from_a_fresh_process_and_kill_all() {
    let _solo = crate::support::solo("sandbox_docker");
    let _serial = SERIAL.lock().await;
    let ns = namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, "code-interpreter-v1").await;
    let one = b
        .create(&crate::support::docker::spec(
            t.clone(),
            Duration::from_secs(300),
        ))
        .await
        .unwrap();
    let _c1 = crate::support::docker::Cleanup(one.id.clone());
    let two = b
        .create(&crate::support::docker::spec(t, Duration::from_secs(300)))
        .await
        .unwrap();
    let _c2 = crate::support::docker::Cleanup(two.id.clone());
    let cfg = tempfile::tempdir().unwrap();

    // A fresh process finds them by label. (`sandbox …` and `files` on one sandbox
    // are the shared suite's, commands/.)
    let out = cli(&ns, cfg.path())
        .args(["--json", "sandbox", "ls"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        ids.contains(&one.id.as_str()) && ids.contains(&two.id.as_str()),
        "{ids:?}"
    );
    assert!(rows[0]["remaining_secs"].as_u64().unwrap() > 200);

    cli(&ns, cfg.path())
        .args(["sandbox", "kill", "--all"])
        .assert()
        .success();
    let out = cli(&ns, cfg.path())
        .args(["--json", "sandbox", "ls"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    cli(&ns, cfg.path())
        .args(["sandbox", "kill", &one.id])
        .assert()
        .code(7)
        .stderr(predicates::str::contains("no sandbox"));
}
