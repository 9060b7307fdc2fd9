//! `codingit files …` on a live sandbox of any backend: round trips between the host
//! and the sandbox's home, hostile paths refused as usage errors (exit 2), and local
//! download targets that must not be overwritten or written through.

use super::{json, text, Live};
use crate::support::canary::Canary;

/// The paths of `files ls -r [PATH] --json`.
fn listed(live: &Live, path: &[&str]) -> Vec<String> {
    let out = live
        .files(&["ls", "-r", "--json"])
        .args(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    json(&out)["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect()
}

fn cat(live: &Live, path: &str) -> Vec<u8> {
    let out = live.files(&["cat", path]).output().unwrap();
    assert!(out.status.success(), "cat {path}: {}", text(&out.stderr));
    out.stdout
}

pub fn files_round_trip(backend: &str) {
    let Some(live) = Live::new(backend) else {
        return;
    };
    let local = live.w.dir.path().join("local");
    std::fs::create_dir_all(&local).unwrap();

    // Write from stdin and from a file (every byte value), into folders made on the way.
    live.files(&["write", "notes/a.txt"])
        .write_stdin("hi there")
        .assert()
        .success();
    assert_eq!(cat(&live, "notes/a.txt"), b"hi there");
    let bytes: Vec<u8> = (0..=255).collect();
    let from = local.join("source.bin");
    std::fs::write(&from, &bytes).unwrap();
    live.files(&["write", "/home/user/notes/deep/bytes.bin", "--from"])
        .arg(&from)
        .assert()
        .success();
    assert_eq!(cat(&live, "notes/deep/bytes.bin"), bytes);
    // The sandbox's processes see what `files` wrote, and `files` what they made.
    let out = live.exec(&[], &["cat", "notes/a.txt"]);
    assert_eq!(text(&out.stdout), "hi there");
    live.sh("mkdir -p made/empty && echo made > made/by-exec.txt");
    assert_eq!(cat(&live, "made/by-exec.txt"), b"made\n");

    // Listings: recursive, one folder, and the human form.
    let all = listed(&live, &[]);
    for path in [
        "notes",
        "notes/a.txt",
        "notes/deep/bytes.bin",
        "made/empty",
        "made/by-exec.txt",
    ] {
        assert!(all.iter().any(|p| p == path), "{path} not in {all:?}");
    }
    assert_eq!(
        listed(&live, &["notes/deep"]),
        ["notes/deep/bytes.bin"],
        "a folder's listing"
    );
    let out = live.files(&["ls"]).output().unwrap();
    let human = text(&out.stdout);
    assert!(
        human
            .lines()
            .any(|l| l.starts_with("dir") && l.ends_with("notes/")),
        "{human}"
    );
    assert!(!human.contains("notes/a.txt"), "not recursive: {human}");
    let out = live.files(&["ls", "-r"]).output().unwrap();
    let human = text(&out.stdout);
    assert!(
        human
            .lines()
            .any(|l| l.starts_with("file") && l.contains(" 8  notes/a.txt")),
        "{human}"
    );

    // Upload a folder and a file; download them back.
    let project = local.join("project");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/app.py"), "print('up')\n").unwrap();
    std::fs::write(project.join("README.md"), "# up\n").unwrap();
    live.files(&["upload"])
        .arg(&project)
        .arg("up")
        .assert()
        .success();
    let up = listed(&live, &["up"]);
    assert_eq!(up, ["up/README.md", "up/src", "up/src/app.py"]);
    assert_eq!(cat(&live, "up/src/app.py"), b"print('up')\n");
    live.files(&["upload"]).arg(&from).assert().success();
    assert_eq!(cat(&live, "source.bin"), bytes);
    live.files(&["download", "up"])
        .arg(local.join("got"))
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(local.join("got/src/app.py")).unwrap(),
        "print('up')\n"
    );
    assert_eq!(
        std::fs::read_to_string(local.join("got/README.md")).unwrap(),
        "# up\n"
    );
    // Without a local name, a file keeps its own name in the current folder.
    live.files(&["download", "notes/deep/bytes.bin"])
        .current_dir(&local)
        .assert()
        .success();
    assert_eq!(std::fs::read(local.join("bytes.bin")).unwrap(), bytes);
    live.files(&["download", "notes/a.txt"])
        .arg(local.join("a.txt"))
        .assert()
        .success();
    assert_eq!(std::fs::read(local.join("a.txt")).unwrap(), b"hi there");

    // Onto an existing local file: refused without --force, replaced with it.
    std::fs::write(local.join("a.txt"), "the user's own\n").unwrap();
    let out = live
        .files(&["download", "notes/a.txt"])
        .arg(local.join("a.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(local.join("a.txt")).unwrap(),
        "the user's own\n"
    );
    live.files(&["download", "notes/a.txt", "--force"])
        .arg(local.join("a.txt"))
        .assert()
        .success();
    assert_eq!(std::fs::read(local.join("a.txt")).unwrap(), b"hi there");

    // Remove a file, then a folder with what it holds.
    live.files(&["rm", "notes/a.txt"]).assert().success();
    assert!(!live
        .files(&["cat", "notes/a.txt"])
        .output()
        .unwrap()
        .status
        .success());
    live.files(&["rm", "notes"]).assert().success();
    let all = listed(&live, &[]);
    assert!(!all.iter().any(|p| p.starts_with("notes")), "{all:?}");
    let out = live.exec(&[], &["test", "-e", "notes"]);
    assert_eq!(out.status.code(), Some(1), "the sandbox still has notes/");

    live.kill();
    live.w.assert_nothing_left();
}

/// Paths that climb out of the home, name the host's files or hide a climb behind
/// percent-encoding are usage errors for every subcommand, before the sandbox is asked.
pub fn hostile_paths_are_usage_errors(backend: &str) {
    let Some(live) = Live::new(backend) else {
        return;
    };
    let target = live.w.dir.path().join("escaped");
    // A template's image may bring files of its own into the home (Docker's has a
    // font cache): the home must be as it was.
    let before = listed(&live, &[]);
    for hostile in [
        "../etc/passwd",
        "/etc/passwd",
        "a/%2e%2e/b",
        "//etc/passwd",
        "../../../../../../etc/passwd",
        "a/../../x",
    ] {
        let attempts: [(&[&str], &[u8]); 5] = [
            (&["cat", hostile], b""),
            (&["ls", hostile], b""),
            (&["rm", hostile], b""),
            (&["write", hostile], b"owned\n"),
            (&["download", hostile, target.to_str().unwrap()], b""),
        ];
        for (args, stdin) in attempts {
            let out = live
                .files(args)
                .write_stdin(stdin.to_vec())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
            assert!(!text(&out.stdout).contains("root:"), "{args:?} leaked");
            assert!(!text(&out.stderr).contains("panicked"), "{args:?}");
        }
    }
    assert!(!target.exists(), "a refused download wrote something");
    // The sandbox is still there and its home untouched.
    assert_eq!(listed(&live, &[]), before);
    live.kill();
    live.w.assert_nothing_left();
}

/// `files download` to local paths that exist: refused without `--force`; a local
/// symlink at the target is replaced, never written through; one on the way of a
/// folder download refuses the whole download.
pub fn download_refuses_existing_targets_and_local_links(backend: &str) {
    let Some(live) = Live::new(backend) else {
        return;
    };
    let canary = Canary::new();
    live.files(&["write", "app.py"])
        .write_stdin("print('from the sandbox')\n")
        .assert()
        .success();
    let work = tempfile::tempdir().unwrap();
    let cwd = work.path();
    let download = |args: &[&str]| live.download_in(cwd, args);
    std::fs::write(cwd.join("mine.py"), b"the user's file\n").unwrap();
    let out = download(&["app.py", "mine.py"]);
    assert!(!out.status.success(), "an existing file was overwritten");
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(
        std::fs::read(cwd.join("mine.py")).unwrap(),
        b"the user's file\n"
    );
    let out = download(&["app.py", "mine.py", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read(cwd.join("mine.py")).unwrap(),
        b"print('from the sandbox')\n"
    );

    // A link at the target, and a link on the way of a folder download.
    std::os::unix::fs::symlink(canary.file(), cwd.join("link.py")).unwrap();
    assert!(!download(&["app.py", "link.py"]).status.success());
    let out = download(&["app.py", "link.py", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !cwd.join("link.py").is_symlink(),
        "the link was written through"
    );
    canary.assert_intact();
    live.files(&["write", "pkg/sub/secret"])
        .write_stdin("pwned\n")
        .assert()
        .success();
    std::fs::create_dir_all(cwd.join("pkg")).unwrap();
    std::os::unix::fs::symlink(&canary.dir, cwd.join("pkg/sub")).unwrap();
    let out = download(&["pkg", "pkg", "--force"]);
    assert!(
        !out.status.success(),
        "a download went through a local link"
    );
    canary.assert_intact();
    live.kill();
}

/// `files upload` of a local folder holding links to host files and folders: only
/// its regular files go in, no link is followed.
pub fn upload_never_follows_local_links(backend: &str) {
    let Some(live) = Live::new(backend) else {
        return;
    };
    let canary = Canary::new();
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("project");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/app.py"), b"print(1)\n").unwrap();
    std::os::unix::fs::symlink(canary.file(), project.join("key")).unwrap();
    std::os::unix::fs::symlink(&canary.dir, project.join("src/host")).unwrap();
    live.files(&["upload", "project", "up"])
        .current_dir(work.path())
        .assert()
        .success();
    assert_eq!(listed(&live, &["up"]), ["up/src", "up/src/app.py"]);
    let out = live.exec(
        &[],
        &["sh", "-c", "cat -- up/key up/src/host/secret; ls -R up"],
    );
    assert!(!Canary::leaked_in(&out.stdout), "{}", text(&out.stdout));
    canary.assert_intact();
    live.kill();
}
