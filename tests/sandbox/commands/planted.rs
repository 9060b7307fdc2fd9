//! What sandboxed code can plant for the `files` commands, on any backend: links in
//! its home to a host canary file and folder (by absolute path, and by a relative
//! climb), and a `.git/hooks` folder waiting to be downloaded into a repository.
//! The code runs through `sandbox exec`, as a program would; every check is made on
//! the host after each command: the secret is never shown or downloaded, the canary
//! file never changed, its folder never deleted or written into, no hook planted.

use super::{text, Live};
use crate::support::canary::{assert_no_secret_under, Canary};

/// A path for `sh`, quoted.
fn quoted(path: &std::path::Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

pub fn links_planted_in_the_sandbox_never_reach_the_host(backend: &str) {
    let Some(live) = Live::new(backend) else {
        return;
    };
    let canary = Canary::new();
    // A relative link that climbs to the root from any home, then down to the file.
    let climb = format!("{}{}", "../".repeat(32), canary.file().display());
    live.sh(&format!(
        "ln -s {file} file-link && ln -s {dir} dir-link && ln -s '{climb}' climb-link \
         && mkdir -p real && echo inside > real/x",
        file = quoted(&canary.file()),
        dir = quoted(&canary.dir),
    ));
    // The links are there, as links (else nothing below would be attempted).
    let out = live.files(&["ls", "--json"]).output().unwrap();
    let entries = crate::support::stdout_json(&out)["entries"].clone();
    for link in ["file-link", "dir-link", "climb-link"] {
        assert!(
            entries
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["path"] == link && e["kind"] == "symlink"),
            "{link} not planted: {entries}"
        );
    }
    let local = tempfile::tempdir().unwrap();
    let upload = local.path().join("payload");
    std::fs::write(&upload, "pwned\n").unwrap();
    let attempts: Vec<(Vec<&str>, &str)> = vec![
        (vec!["cat", "file-link"], ""),
        (vec!["cat", "climb-link"], ""),
        (vec!["cat", "dir-link/secret"], ""),
        (vec!["ls"], ""),
        (vec!["ls", "-r", "--json"], ""),
        (vec!["ls", "-r", "dir-link"], ""),
        (vec!["write", "file-link"], "pwned\n"),
        (vec!["write", "climb-link"], "pwned\n"),
        (vec!["write", "dir-link/planted"], "pwned\n"),
        (vec!["write", "dir-link/secret"], "pwned\n"),
        (
            vec!["upload", upload.to_str().unwrap(), "dir-link/uploaded"],
            "",
        ),
        (vec!["download", "file-link", "got-file"], ""),
        (vec!["download", "climb-link", "got-climb"], ""),
        (vec!["download", "dir-link", "got-dir"], ""),
        (vec!["download", "dir-link/secret", "got-secret"], ""),
        // The whole home, links and all.
        (vec!["download", "/home/user", "got-home"], ""),
        (vec!["rm", "dir-link/secret"], ""),
        (vec!["rm", "climb-link"], ""),
        (vec!["rm", "file-link"], ""),
        (vec!["rm", "dir-link"], ""),
    ];
    for (args, stdin) in attempts {
        let out = live
            .files(&args)
            .current_dir(local.path())
            .write_stdin(stdin)
            .output()
            .unwrap();
        assert!(
            !Canary::leaked_in(&out.stdout) && !Canary::leaked_in(&out.stderr),
            "files {args:?} showed the secret: {out:?}"
        );
        assert!(!text(&out.stderr).contains("panicked"), "{args:?}: {out:?}");
        canary.assert_intact();
        assert_no_secret_under(local.path());
    }
    // What is in the home itself was reachable all along.
    let out = live.files(&["cat", "real/x"]).output().unwrap();
    assert_eq!(text(&out.stdout), "inside\n");
    live.kill();
    canary.assert_intact();
    live.w.assert_nothing_left();
}

/// A sandbox folder holding `.git/hooks/…` (or `.GIT`, `.hg`), downloaded into the
/// user's repository, must not plant a hook; naming `.git` as the target is refused.
pub fn download_never_plants_git_hooks(backend: &str) {
    let Some(live) = Live::new(backend) else {
        return;
    };
    live.sh("for vcs in .git .GIT .hg; do mkdir -p out/$vcs/hooks \
         && printf '#!/bin/sh\\ntouch pwned\\n' > out/$vcs/hooks/pre-commit; done \
         && chmod +x out/.git/hooks/pre-commit && echo ok > out/ok.txt \
         && printf '#!/bin/sh\\ntouch pwned\\n' > hook");
    let work = tempfile::tempdir().unwrap();
    let cwd = work.path();
    let repo = cwd.join("repo");
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .arg(&repo)
        .status();
    if !git.is_ok_and(|s| s.success()) {
        // No git here: a repository's folder is all the download sees anyway.
        std::fs::create_dir_all(repo.join(".git/hooks")).unwrap();
    }
    let hooks = || -> Vec<String> {
        std::fs::read_dir(repo.join(".git/hooks"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".sample"))
            .collect()
    };
    let download = |args: &[&str]| live.download_in(cwd, args);
    for args in [
        &["out", "repo", "--force"][..],
        &["out", "fresh"],
        &["out/.git", "repo/.git", "--force"],
        &["out/.git/hooks", "repo/.git/hooks", "--force"],
        &["hook", "repo/.git/hooks/pre-commit"],
        &["hook", "repo/.git/hooks/pre-commit", "--force"],
    ] {
        let out = download(args);
        assert!(!out.status.success(), "download {args:?} was allowed");
        assert_eq!(
            hooks(),
            Vec::<String>::new(),
            "download {args:?} planted a hook"
        );
    }
    assert!(
        !repo.join("ok.txt").exists() && !cwd.join("fresh").exists(),
        "a refused download wrote some files"
    );
    assert!(!cwd.join("pwned").exists() && !repo.join("pwned").exists());
    // The same folder without its version-control parts comes down whole.
    live.sh("rm -rf out/.git out/.GIT out/.hg");
    let out = download(&["out", "repo", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(repo.join("ok.txt")).unwrap(),
        "ok\n"
    );
    assert_eq!(hooks(), Vec::<String>::new());
    live.kill();
}
