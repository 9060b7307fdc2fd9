//! The swap race on `files` of a local sandbox, which only the local backend allows
//! a test to stage: the test, standing in for sandboxed code, swaps a folder of the
//! sandbox's home for a symlink to the host as fast as the kernel allows while
//! codingit reads, writes, lists and removes through it, through the library and the
//! binary. The host canary (a file that must stay unread and unchanged, a folder that
//! must not be deleted or written into) is checked after every round. What sandboxed
//! code can plant for `files` on every backend (links to the host, `.git/hooks` to
//! download, local targets and links) is the shared suite's
//! (tests/sandbox/commands/).
//!
//! The sandbox is made through the library (its owner is this test process, so it
//! stays alive for the binary's `files` commands, which share its state folder). Under
//! CI=true a missing prerequisite (confinement, an environment that cannot be
//! built) fails the test instead of skipping it.

use crate::support::canary::{Canary, CANARY};
use crate::support::containment::cache_dir;
use crate::support::in_ci;
use codingit::sandbox::local::LocalBackend;
use codingit::sandbox::{Backend, SandboxSpec};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The state folder shared by the library (this process) and the binary.
fn state_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        // Set once, before any sandbox exists, with the same value for every test.
        std::env::set_var("CODINGIT_STATE_DIR", dir.join("state"));
        std::env::set_var("CODINGIT_CACHE_DIR", cache_dir());
        dir
    })
}

/// A live local sandbox of code-interpreter-v1, or `None` (with a note) when this
/// machine cannot make one outside CI.
async fn sandbox() -> Option<(LocalBackend, String)> {
    state_dir();
    let backend = match LocalBackend::new(false) {
        Ok(b) => b,
        Err(e) if in_ci() => panic!("CI=true and the local backend is unavailable: {e}"),
        Err(e) => {
            eprintln!("note: skipping, no local backend here: {e}");
            return None;
        }
    };
    let template = crate::support::docker::template("code-interpreter-v1");
    // Built here when missing (cached across runs), so this binary stands alone.
    if let Err(e) = backend.prepare(&template, &|_| {}).await {
        assert!(
            !in_ci(),
            "CI=true and code-interpreter-v1 cannot be built: {e}"
        );
        eprintln!("note: skipping, code-interpreter-v1 cannot be built here: {e}");
        return None;
    }
    let spec = SandboxSpec {
        template,
        project: Some("attack-files".into()),
        lifetime: Duration::from_secs(300),
        network: false,
        limits: Default::default(),
        env: Default::default(),
    };
    let info = backend.create(&spec).await.unwrap();
    Some((backend, info.id))
}

fn home(id: &str) -> PathBuf {
    state_dir().join(format!("state/sandboxes/{id}/home"))
}

fn codingit(args: &[&str], cwd: &Path) -> std::process::Output {
    state_dir();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("codingit"));
    cmd.args(args)
        .current_dir(cwd)
        .env("CODINGIT_CONFIG_DIR", state_dir().join("config"))
        .env_remove("CODINGIT_BACKEND")
        .env_remove("CODINGIT_UNSAFE_NO_CONFINEMENT");
    for var in crate::support::SCRUBBED_VARS {
        cmd.env_remove(var);
    }
    cmd.output().unwrap()
}

/// An attacker (standing in for sandboxed code) swaps `race` between a real folder
/// and a link to the host folder as fast as it can, while every `files` operation
/// runs through it, first through the library, then through the binary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_swapped_for_a_host_link_is_never_followed() {
    let _solo = crate::support::solo("attack_files");
    let Some((backend, id)) = sandbox().await else {
        return;
    };
    let canary = Canary::new();
    let race = home(&id).join("race");
    let stop = Arc::new(AtomicBool::new(false));
    let attacker = {
        let (race, host, stop) = (race.clone(), canary.dir.clone(), stop.clone());
        std::thread::spawn(move || {
            // `race` and `race.alt` trade places atomically (RENAME_EXCHANGE): at any
            // instant `race` is a real folder or a link to the host, flipping as fast
            // as the kernel allows.
            // The attacker itself never writes through `race`: at any instant it may be
            // the link, and the attacker runs on the host. A fresh real folder is built
            // under a name nobody swaps and moved into place only where nothing is.
            let alt = race.with_extension("alt");
            let fresh = race.with_extension("fresh");
            while !stop.load(Ordering::Relaxed) {
                if !race.exists() && !race.is_symlink() {
                    let _ = std::fs::create_dir_all(&fresh);
                    let _ = std::fs::write(fresh.join("secret"), b"inside\n");
                    let _ = rustix::fs::renameat_with(
                        rustix::fs::CWD,
                        &fresh,
                        rustix::fs::CWD,
                        &race,
                        rustix::fs::RenameFlags::NOREPLACE,
                    );
                }
                if !alt.is_symlink() && !alt.exists() {
                    let _ = std::os::unix::fs::symlink(&host, &alt);
                }
                for _ in 0..1000 {
                    let _ = rustix::fs::renameat_with(
                        rustix::fs::CWD,
                        &race,
                        rustix::fs::CWD,
                        &alt,
                        rustix::fs::RenameFlags::EXCHANGE,
                    );
                }
            }
        })
    };
    let mut reads = 0;
    for _ in 0..3000 {
        if let Ok(data) = backend.read_file(&id, "race/secret").await {
            assert_ne!(data, CANARY, "a host file was read");
            reads += 1;
        }
        let _ = backend
            .write_files(&id, &[("race/secret".into(), b"pwned\n".to_vec())])
            .await;
        let _ = backend
            .write_files(&id, &[("race/planted".into(), b"pwned\n".to_vec())])
            .await;
        if let Ok(entries) = backend.list_files(&id, "race", true).await {
            assert!(entries.iter().all(|e| e.path.starts_with("race")));
        }
        let _ = backend.remove_path(&id, "race/secret").await;
        let _ = backend.remove_path(&id, "race").await;
        canary.assert_intact();
    }
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("payload"), b"pwned\n").unwrap();
    for round in 0..15 {
        let cat = codingit(&["files", &id, "cat", "race/secret"], work.path());
        assert!(!String::from_utf8_lossy(&cat.stdout).contains("host canary"));
        let target = format!("dl-{round}");
        codingit(&["files", &id, "download", "race", &target], work.path());
        let _ = std::fs::remove_dir_all(work.path().join(&target));
        codingit(&["files", &id, "ls", "-r", "race"], work.path());
        codingit(&["files", &id, "rm", "race"], work.path());
        codingit(
            &["files", &id, "write", "race/planted", "--from", "payload"],
            work.path(),
        );
        canary.assert_intact();
    }
    stop.store(true, Ordering::Relaxed);
    attacker.join().unwrap();
    eprintln!("{reads} reads went through the real folder");
    canary.assert_intact();
    backend.kill(&id).await.unwrap();
}
