//! The Docker backend's warm pool against a real engine: claims are atomic, the pool
//! refills, and a pooled sandbox used across invocations keeps its expiry. Needs
//! CODINGIT_TEST_DOCKER=1 (or CI=true) to be required; skips with a note otherwise
//! when no engine answers.

use crate::support::docker::{argv, namespace, run};

use codingit::sandbox::{Backend, ExecRequest, OutputChunk};
use std::time::Duration;

/// One pool test at a time: each fills and drains the same namespace's pool.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Containers of this test's namespace whose name starts with `prefix`.
fn named(ns: &str, prefix: &str) -> Vec<String> {
    let out = std::process::Command::new("docker")
        .args(["ps", "-a", "--format", "{{.Names}}", "--filter"])
        .arg(format!("label=dev.codingit.namespace={ns}"))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|n| n.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_pool_claims_atomically_and_refills() {
    let _solo = crate::support::solo("docker_pool");
    let _serial = SERIAL.lock().await;
    let ns = namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, "code-interpreter-v1").await;
    let mut spec = crate::support::docker::spec(t, Duration::from_secs(90));
    spec.project = None;
    b.set_pool(1);
    b.fill_pool(&spec).await.unwrap();
    let pooled = named(&ns, "codingit-pool-");
    assert_eq!(pooled.len(), 1, "{pooled:?}");
    // Unclaimed pool containers are not sandboxes: not listed, not found.
    assert!(b.list().await.unwrap().is_empty());

    // Two claims at once on a pool of one: each gets its own sandbox.
    let other =
        codingit::sandbox::docker::DockerBackend::connect(crate::support::docker::image_options())
            .await
            .unwrap();
    other.set_pool(1);
    let (x, y) = tokio::join!(b.create(&spec), other.create(&spec));
    let (x, y) = (x.unwrap(), y.unwrap());
    let _cx = crate::support::docker::Cleanup(x.id.clone());
    let _cy = crate::support::docker::Cleanup(y.id.clone());
    assert_ne!(x.id, y.id);
    let claimed = pooled[0].trim_start_matches("codingit-pool-");
    assert!(
        [&x.id, &y.id]
            .iter()
            .filter(|id| id.as_str() == claimed)
            .count()
            == 1,
        "exactly one of {} / {} claimed {claimed}",
        x.id,
        y.id
    );
    b.pool_idle().await;
    other.pool_idle().await;
    for (backend, info) in [(&b, &x), (&other, &y)] {
        // Claimed or not: hardened, its own expiry, runs code.
        let inspect = backend
            .client()
            .inspect_container(&format!("codingit-{}", info.id), None)
            .await
            .unwrap();
        let host = inspect.host_config.unwrap();
        assert_eq!(host.readonly_rootfs, Some(true));
        assert_eq!(host.network_mode.as_deref(), Some("none"));
        assert_eq!(host.cap_drop, Some(vec!["ALL".to_string()]));
        backend
            .write_files(&info.id, &[("a.py".into(), b"print(6*7)".to_vec())])
            .await
            .unwrap();
        let (out, stdout, _) = run(backend, &info.id, &["python3", "a.py"]).await;
        assert_eq!(out.exit_code, 0);
        assert_eq!(stdout, "42\n");
        let got = backend.get(&info.id).await.unwrap();
        let now = codingit::sandbox::unix_now();
        assert!(
            got.expires_at >= now + 80 && got.expires_at <= now + 91,
            "expiry {} is not 90 s from now ({now})",
            got.expires_at
        );
        assert_eq!(got.expires_at, info.expires_at);
    }
    assert_eq!(b.list().await.unwrap().len(), 2);

    // Removing a claimed sandbox makes its replacement.
    b.kill(&x.id).await.unwrap();
    other.kill(&y.id).await.unwrap();
    b.pool_idle().await;
    other.pool_idle().await;
    let refilled = named(&ns, "codingit-pool-");
    assert!(!refilled.is_empty(), "the pool was not refilled");
    assert!(!refilled.contains(&pooled[0]));
    b.drain_pool(&spec).await.unwrap();
    assert!(named(&ns, "codingit-").is_empty(), "{:?}", named(&ns, ""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_across_invocations_writes_the_expiry_while_the_cell_runs() {
    let _solo = crate::support::solo("docker_pool");
    let _serial = SERIAL.lock().await;
    let ns = namespace();
    let Some(b) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&b, "code-interpreter-v1").await;
    let mut spec = crate::support::docker::spec(t, Duration::from_secs(90));
    spec.project = None;
    b.set_pool(1);
    b.fill_pool(&spec).await.unwrap();
    // Another invocation (the CLI's `run`) claims it.
    let c =
        codingit::sandbox::docker::DockerBackend::connect(crate::support::docker::image_options())
            .await
            .unwrap();
    c.use_warm_pool(1);
    let info = c.create(&spec).await.unwrap();
    let _cleanup = crate::support::docker::Cleanup(info.id.clone());
    assert!(c.claimed_from_pool(&info.id));
    let request = ExecRequest {
        argv: argv(&["sh", "-c", "echo ok > out.txt; cat in.txt"]),
        timeout: Some(Duration::from_secs(30)),
        ..Default::default()
    };
    let printed = std::sync::Mutex::new(Vec::new());
    let sink = |chunk: OutputChunk| {
        if let OutputChunk::Stdout(bytes) = chunk {
            printed.lock().unwrap().extend_from_slice(&bytes);
        }
    };
    let (out, data) = c
        .run_cell(
            &info.id,
            &[("in.txt".into(), b"hi\n".to_vec())],
            &request,
            "out.txt",
            &sink,
        )
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0);
    assert_eq!(printed.lock().unwrap().as_slice(), b"hi\n");
    assert_eq!(data.as_deref(), Some(&b"ok\n"[..]));
    // The claim's expiry was written (root-owned file) while the cell ran.
    let got = c.get(&info.id).await.unwrap();
    let now = codingit::sandbox::unix_now();
    assert!(
        got.expires_at >= now + 80 && got.expires_at <= now + 91,
        "expiry {} is not 90 s from now ({now})",
        got.expires_at
    );
    // A result that is a link (here to a root-owned file) is not read.
    let request = ExecRequest {
        argv: argv(&["ln", "-s", "/etc/shadow", "link.txt"]),
        timeout: Some(Duration::from_secs(30)),
        ..Default::default()
    };
    let (out, data) = c
        .run_cell(&info.id, &[], &request, "link.txt", &|_| {})
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0);
    assert_eq!(data, None);
    c.kill(&info.id).await.unwrap();
    c.pool_idle().await;
    b.drain_pool(&spec).await.unwrap();
    assert!(named(&ns, "codingit-").is_empty(), "{:?}", named(&ns, ""));
}
