//! `codingit run` on the local backend: the shared suite (`run_tests!`), and a codingit
//! installed under /tmp (which bubblewrap replaces inside the sandbox).

use crate::support::containment::World;

const BACKEND: &str = "local";

run_tests!("local", interpreter: "run_local", web: "run_local");

#[test]
fn runs_with_the_binary_installed_under_tmp() {
    let _solo = crate::support::solo("run_local");
    // bubblewrap replaces /tmp (and the homes) inside the sandbox; a codingit installed
    // there must still be able to start its confinement helper.
    let w = World::new(BACKEND);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let copy = w.dir.path().join("bin/codingit");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(assert_cmd::cargo::cargo_bin("codingit"), &copy).unwrap();
    let out = assert_cmd::Command::from_std(w.command_for(&copy))
        .args(["run", "-", "--backend", BACKEND, "-q"])
        .write_stdin("print(6 * 7)\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "42\n");
    w.assert_nothing_left();
}
