//! A clone of this repository with nothing beside it (no `../shared/testdata`, no
//! `origin` to look beside, no `CI`) passes the tests that read the shared edit-engine
//! data, each saying it skipped and how to get the data; with `CODINGIT_TESTDATA`
//! set, the same tests run the data. The clone builds in its own target folder seeded
//! with this build's compiled dependencies (hard links), so only codingit is rebuilt.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A target folder for the clone holding this build's dependencies, linked.
fn seeded_target(tmp: &Path) -> PathBuf {
    let ours = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("debug");
    let target = tmp.join("target");
    let deps = target.join("debug/deps");
    std::fs::create_dir_all(&deps).unwrap();
    for entry in std::fs::read_dir(ours.join("deps")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Only compiled dependencies: codingit itself and its test binaries rebuild.
        if name.ends_with(".rlib") || name.ends_with(".rmeta") || name.ends_with(".so") {
            if name.starts_with("libcodingit-") {
                continue;
            }
            let _ = std::fs::hard_link(entry.path(), deps.join(&name));
        }
    }
    for folder in [".fingerprint", "build"] {
        let status = Command::new("cp")
            .arg("-a")
            .arg(ours.join(folder))
            .arg(target.join("debug"))
            .status()
            .unwrap();
        assert!(status.success());
    }
    target
}

#[test]
fn a_clone_with_nothing_beside_it_skips_only_the_shared_data_tests_and_says_so() {
    let source = env!("CARGO_MANIFEST_DIR");
    let is_checkout = Command::new("git")
        .args(["-C", source, "rev-parse", "HEAD"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !is_checkout {
        assert!(
            !crate::support::in_ci(),
            "CI=true and {source} is not a git checkout"
        );
        eprintln!("note: skipping: {source} is not a git checkout");
        return;
    }
    let tmp = tempfile::Builder::new()
        .prefix("clone-alone-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let clone = tmp.path().join("alone/codingit");
    let (ok, text) = run(Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks", source])
        .arg(&clone));
    assert!(ok, "{text}");
    let (ok, text) = run(Command::new("git")
        .arg("-C")
        .arg(&clone)
        .args(["remote", "remove", "origin"]));
    assert!(ok, "{text}");
    let target = seeded_target(tmp.path());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let tests = |data: Option<&str>| {
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(&clone)
            .args(["test", "--test", "cli", "--test", "apply"])
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("CI")
            .env_remove("CODINGIT_TESTDATA");
        // Without --nocapture a passing test's note that it skipped is swallowed. Of the
        // `cli` tests only `edit` reads the data (and this test must not run again).
        cmd.args(["--", "--nocapture", "edit::", "engine::", "properties::"]);
        if let Some(data) = data {
            cmd.env("CODINGIT_TESTDATA", data);
            // The corpus run is the engine's own measure (scripts/edit-quality); here
            // only that the data is found and read.
            cmd.args(["--skip", "real_edit_corpus"]);
        }
        run(&mut cmd)
    };
    let (ok, text) = tests(None);
    assert!(ok, "the clone's tests failed:\n{text}");
    for said in [
        "skipped: shared test data",
        "real-edit corpus not found",
        "set CODINGIT_TESTDATA",
    ] {
        assert!(text.contains(said), "`{said}` not said:\n{text}");
    }
    let data = std::env::var("CODINGIT_TESTDATA")
        .ok()
        .filter(|d| Path::new(d).is_dir())
        .or_else(|| {
            let beside = Path::new(source).join("../shared/testdata");
            beside.is_dir().then(|| beside.display().to_string())
        });
    match data {
        Some(data) => {
            let (ok, text) = tests(Some(&data));
            assert!(ok, "with the data:\n{text}");
            assert!(!text.contains("skipped: shared test data"), "{text}");
        }
        None => assert!(
            !crate::support::in_ci(),
            "CI=true and no shared test data to run the clone's tests with"
        ),
    }
}
