//! Attacks on what `run` brings back to the host: artifact names and contents, the
//! result file, and the bytes a program prints. Each test runs the real binary on
//! every backend (e2b over the local E2B test server) and checks canaries on the host.

use crate::support::containment::World;
use std::path::Path;
use std::time::{Duration, Instant};

/// Every file beneath `dir`, relative, sorted (symlinks listed, not followed).
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(path);
            }
            out.push(rel);
        }
    }
    out.sort();
    out
}

/// At exit (after the runner wrote its result), the program rewrites the result file
/// to name artifacts of its choosing and plants files and links among them.
const HOSTILE_ARTIFACTS: &str = r#"
import atexit, json, os
def plant():
    d = "/home/user/.codingit/artifacts"
    steps = [
        lambda: os.makedirs(d + "/.git", exist_ok=True),
        lambda: open(d + "/.git/config", "w").write("[core]\n\tfsmonitor = touch /tmp/pwned\n"),
        lambda: open(d + "/ok-chart.png", "wb").write(b"\x89PNG fake"),
        lambda: os.chmod(d + "/ok-chart.png", 0o4755),
        lambda: os.symlink("/etc/passwd", d + "/link.png"),
        lambda: os.mkfifo(d + "/pipe.png"),
    ]
    for step in steps:
        try:
            step()
        except OSError as error:
            print("refused:", error)
    names = [".git/config", "../../escaped.png", "link.png", "pipe.png", "ok-chart.png",
             "/tmp/abs.png", "a\x1b]0;title\x07.png"]
    with open("/home/user/.codingit/result.json", "w") as f:
        json.dump({"ok": True, "value": None, "error": None, "artifacts": names}, f)
atexit.register(plant)
print("done")
"#;

pub fn artifacts_are_named_by_codingit(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let out_dir = w.dir.path().join("charts");
    std::fs::create_dir(&out_dir).unwrap();
    // A repository beside: nothing may reach its .git.
    std::fs::create_dir_all(w.dir.path().join(".git")).unwrap();
    std::fs::write(w.dir.path().join(".git/config"), "canary").unwrap();
    let before_cwd = tree(w.dir.path());
    let out = w
        .cmd()
        .args(["run", "-", "--backend", backend, "--json", "--artifacts"])
        .arg(&out_dir)
        .write_stdin(HOSTILE_ARTIFACTS)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(w.dir.path().join(".git/config")).unwrap(),
        "canary"
    );
    let saved = tree(&out_dir);
    assert_eq!(saved, vec!["ok-chart.png".to_string()], "{stderr}");
    let meta = std::fs::symlink_metadata(out_dir.join("ok-chart.png")).unwrap();
    assert!(meta.is_file());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(meta.permissions().mode() & 0o7000, 0, "no setuid bits");
    // Nothing else appeared beside the artifacts folder.
    let mut after_cwd = tree(w.dir.path());
    after_cwd.retain(|p| !p.starts_with("charts") && !p.starts_with("state"));
    let mut expected = before_cwd.clone();
    expected.retain(|p| !p.starts_with("charts") && !p.starts_with("state"));
    assert_eq!(after_cwd, expected);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["artifacts"].as_array().map(Vec::len),
        Some(1),
        "{json}"
    );

    // A second run never overwrites what is there: a new name.
    let again = w
        .cmd()
        .args(["run", "-", "--backend", backend, "-q", "--artifacts"])
        .arg(&out_dir)
        .write_stdin(HOSTILE_ARTIFACTS)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(tree(&out_dir).len(), 2, "{:?}", tree(&out_dir));
    assert_eq!(
        std::fs::read(out_dir.join("ok-chart.png")).unwrap(),
        b"\x89PNG fake"
    );
    w.assert_nothing_left();
}

pub fn artifacts_folder_in_a_project_cannot_be_redirected(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    // A cloned project whose .codingit/results is a link to a folder elsewhere.
    let project = w.dir.path().join("proj");
    let elsewhere = w.dir.path().join("elsewhere");
    std::fs::create_dir_all(project.join(".codingit")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, project.join(".codingit/results")).unwrap();
    let manifest = serde_json::json!({
        "commentary": "", "template": "code-interpreter-v1", "title": "t", "description": "",
        "additional_dependencies": [], "has_additional_dependencies": false,
        "install_dependencies_command": "", "port": null, "file_path": "script.py",
        "code": "import matplotlib\n", "files": []
    });
    std::fs::write(
        project.join(".codingit/fragment.json"),
        manifest.to_string(),
    )
    .unwrap();
    std::fs::write(project.join("script.py"), HOSTILE_ARTIFACTS).unwrap();
    let out = w
        .cmd()
        .args(["run", "--backend", backend, "-q"])
        .arg(&project)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        tree(&elsewhere).is_empty(),
        "{:?} {stderr}",
        tree(&elsewhere)
    );
    w.assert_nothing_left();
}

pub fn a_fifo_result_file_does_not_hang(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let code = "import atexit, os\n\
                def swap():\n    \
                    os.remove('/home/user/.codingit/result.json')\n    \
                    os.mkfifo('/home/user/.codingit/result.json')\n\
                atexit.register(swap)\nprint('hi')\n";
    let started = Instant::now();
    let out = w
        .cmd()
        .args(["run", "-", "--backend", backend, "-q", "--timeout", "30s"])
        .write_stdin(code)
        .timeout(Duration::from_secs(90))
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "run blocked on the result file"
    );
    assert!(out.status.code().is_some(), "killed by the test's timeout");
    w.assert_nothing_left();
}

/// What the program prints reaches a terminal with its control characters escaped,
/// and a pipe byte for byte.
pub fn escapes_reach_a_terminal_escaped_and_a_pipe_raw(backend: &str) {
    let w = World::new(backend);
    if !w.ready("code-interpreter-v1") {
        return;
    }
    let code = "import sys\nsys.stdout.write('A\\x1b]52;c;cHduZWQ=\\x07B\\n')\n\
                sys.stderr.write('C\\x1b]0;title\\x07D\\n')\n";
    std::fs::write(w.dir.path().join("evil.py"), code).unwrap();
    let piped = w
        .cmd()
        .args(["run", "evil.py", "--backend", backend, "-q"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&piped.stdout).contains("A\u{1b}]52;c;cHduZWQ=\u{7}B"),
        "a pipe gets the program's bytes: {:?} (status {:?}, stderr {})",
        piped.stdout,
        piped.status.code(),
        String::from_utf8_lossy(&piped.stderr)
    );
    // `script` gives the command a pseudo-terminal and copies what it wrote.
    let binary = assert_cmd::cargo::cargo_bin("codingit");
    let command = format!("{} run evil.py --backend {backend} -q", binary.display());
    let mut tty = w.command_for(Path::new("script"));
    tty.args(["-q", "-e", "-c", &command, "/dev/null"]);
    let shown = tty.output().unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("A\\x1b]52;c;cHduZWQ=\\x07B"), "{text:?}");
    assert!(text.contains("C\\x1b]0;title\\x07D"), "{text:?}");
    assert!(!text.contains('\u{7}'), "{text:?}");
    w.assert_nothing_left();
}

macro_rules! attack_run_tests {
    ($backend:literal) => {
        #[test]
        fn artifacts_are_named_by_codingit() {
            let _solo = crate::support::solo("attack_run");
            super::artifacts_are_named_by_codingit($backend);
        }
        #[test]
        fn artifacts_folder_in_a_project_cannot_be_redirected() {
            let _solo = crate::support::solo("attack_run");
            super::artifacts_folder_in_a_project_cannot_be_redirected($backend);
        }
        #[test]
        fn a_fifo_result_file_does_not_hang() {
            let _solo = crate::support::solo("attack_run");
            super::a_fifo_result_file_does_not_hang($backend);
        }
        #[test]
        fn escapes_reach_a_terminal_escaped_and_a_pipe_raw() {
            let _solo = crate::support::solo("attack_run");
            super::escapes_reach_a_terminal_escaped_and_a_pipe_raw($backend);
        }
    };
}

mod local {
    attack_run_tests!("local");
}

mod docker {
    attack_run_tests!("docker");
}

/// Over the local E2B test server (`support::e2b`): what comes back from an E2B
/// sandbox is judged by the same code as from the others.
mod e2b {
    attack_run_tests!("e2b");
}

/// A model's title and commentary never reach the user's terminal as escape sequences,
/// whether stdout is a pipe or a terminal; `--json` stays the same document.
mod model_text {
    use crate::support::mock_llm::{interpreter_fragment, mock_env_json};

    #[tokio::test(flavor = "multi_thread")]
    async fn titles_and_commentary_are_shown_escaped() {
        let _solo = crate::support::solo("attack_run");
        let mut fragment = interpreter_fragment();
        fragment["title"] = "Primes\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]0;owned\u{7}".into();
        fragment["commentary"] = "done\u{1b}[2J\u{9b}31m\u{202e}".into();
        let (env, _server) = mock_env_json(&[fragment.clone(), fragment]).await;
        let out = env
            .cmd()
            .args(["new", "primes", "-t", "code-interpreter-v1", "-o", "p1"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(!text.contains('\u{1b}'), "{text:?}");
            assert!(!text.contains('\u{7}'), "{text:?}");
            assert!(!text.contains('\u{9b}'), "{text:?}");
            assert!(!text.contains('\u{202e}'), "{text:?}");
        }
        assert!(String::from_utf8_lossy(&out.stdout).contains("Primes\\x1b]52;c;"));
        let json = env
            .cmd()
            .args([
                "new",
                "primes",
                "-t",
                "code-interpreter-v1",
                "-o",
                "p2",
                "--json",
            ])
            .output()
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert!(value.to_string().contains("Primes\\u001b]52;c;"), "{value}");
    }
}

/// The local backend's confinement decisions are visible: in `run --json` and at `-v`.
mod confinement_shown {
    use crate::support::containment::World;
    use std::time::Duration;

    #[test]
    fn run_json_and_verbose_show_what_confines_the_code() {
        let _solo = crate::support::solo("attack_run");
        let w = World::new("local");
        if !w.ready("code-interpreter-v1") {
            return;
        }
        let out = w
            .cmd()
            .args(["run", "-", "--backend", "local", "--json"])
            .write_stdin("import os\nprint(os.getuid())\n")
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let c = &json["confinement"];
        assert_eq!(c["backend"], "local", "{json}");
        assert_eq!(c["unix_sockets"], "denied");
        assert_eq!(c["capabilities"], "none");
        // The uid it reports is the uid the code saw.
        let seen = json["stdout"].as_str().unwrap().trim().to_string();
        assert_eq!(c["uid"].to_string(), seen, "{json}");
        if rustix::process::geteuid().is_root() {
            assert_eq!(seen, "65534");
        }
        let verbose = w
            .cmd()
            .args(["run", "-", "--backend", "local", "-v"])
            .write_stdin("print(1)\n")
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&verbose.stderr);
        assert!(stderr.contains("confinement (local): uid"), "{stderr}");
        w.assert_nothing_left();
    }
}
