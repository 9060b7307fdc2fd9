//! The hostile-path suite: none of these may leave /home/user.

use codingit::sandbox::paths::{check_real, resolve};
use codingit::sandbox::{Backend, SandboxError};
use std::time::Duration;

/// Paths that must be refused before any backend sees them.
const REFUSED: &[&str] = &[
    // traversal
    "..",
    "../",
    "../etc/passwd",
    "../../../../etc/shadow",
    "a/../../etc",
    "a/b/../../../x",
    "./../x",
    "/home/user/..",
    "/home/user/../root",
    "/home/user/a/../../../etc",
    "..//etc",
    "a/..",
    // absolute paths outside
    "/",
    "/etc/passwd",
    "/root/.ssh/id_rsa",
    "/home",
    "/home/username",
    "/home/user2/x",
    "/home/userx",
    "/tmp/x",
    "/proc/self/environ",
    // doubled slashes
    "//home/user/x",
    "//etc/passwd",
    "///home/user",
    "/home//user/x",
    "/home/user//x",
    "a//b",
    "a///b",
    "a//",
    // encodings
    "%2e%2e/etc/passwd",
    "%2E%2E%2Fetc",
    "..%2fetc",
    "a%2f..%2f..%2fetc",
    "%2fetc%2fpasswd",
    "..%5cetc",
    "a%00b",
    "..\\etc",
    "a\\..\\..\\etc",
    // NUL and control characters
    "a\0b",
    "\0",
    "/home/user/a\0/../../etc",
    "a\nb",
    "a\rb",
    "a\tb",
    "a\u{1b}[2J",
];

#[test]
fn hostile_paths_are_refused() {
    let _solo = crate::support::solo("sandbox_paths");
    assert!(REFUSED.len() >= 40, "{} cases", REFUSED.len());
    for path in REFUSED {
        match resolve(path) {
            Err(SandboxError::Path { reason, .. }) => assert!(!reason.is_empty()),
            other => panic!("{path:?} was not refused: {other:?}"),
        }
    }
}

#[test]
fn accepted_paths_stay_inside() {
    let _solo = crate::support::solo("sandbox_paths");
    let cases = [
        ("", "/home/user"),
        (".", "/home/user"),
        ("./", "/home/user"),
        ("/home/user", "/home/user"),
        ("/home/user/", "/home/user"),
        ("app.py", "/home/user/app.py"),
        ("./app.py", "/home/user/app.py"),
        ("pages/index.tsx", "/home/user/pages/index.tsx"),
        ("a/./b", "/home/user/a/b"),
        ("dir/", "/home/user/dir"),
        ("/home/user/x/y", "/home/user/x/y"),
        ("..a", "/home/user/..a"),
        ("a..", "/home/user/a.."),
        ("...", "/home/user/..."),
        ("%41", "/home/user/%41"),
        ("~", "/home/user/~"),
        ("héllo wörld.txt", "/home/user/héllo wörld.txt"),
    ];
    for (given, want) in cases {
        assert_eq!(resolve(given).ok().as_deref(), Some(want), "{given:?}");
    }
}

#[test]
fn overlong_paths_are_refused() {
    let _solo = crate::support::solo("sandbox_paths");
    assert!(resolve(&"a/".repeat(2100)).is_err());
    assert!(resolve(&"n".repeat(256)).is_err());
    assert!(resolve(&"n".repeat(255)).is_ok());
}

#[test]
fn real_paths_outside_are_refused() {
    let _solo = crate::support::solo("sandbox_paths");
    for real in ["/etc/passwd", "/", "/home", "/home/userx/a", "/tmp", ""] {
        assert!(check_real("x", real).is_err(), "{real:?}");
    }
    for real in ["/home/user", "/home/user/a", "/home/user/a/b\n"] {
        assert!(check_real("x", real).is_ok(), "{real:?}");
    }
}

/// Symlinks planted inside a real sandbox must not lead any file operation out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn symlink_escapes_are_refused_in_a_real_sandbox() {
    let _solo = crate::support::solo("sandbox_paths");
    let Some(backend) = crate::support::docker::backend().await else {
        return;
    };
    let t = crate::support::docker::prepare(&backend, "code-interpreter-v1").await;
    let info = backend
        .create(&crate::support::docker::spec(t, Duration::from_secs(300)))
        .await
        .unwrap();
    let _cleanup = crate::support::docker::Cleanup(info.id.clone());
    let id = info.id.as_str();
    let plant = codingit::sandbox::ExecRequest {
        argv: [
            "sh",
            "-c",
            "ln -s /etc etc-link && ln -s /etc/passwd passwd-link && \
                ln -s .. up && mkdir -p d && ln -s ../../.. d/root && ln -s /tmp tmp-link && \
                ln -s inside-target ok-link && echo fine > inside-target",
        ]
        .map(String::from)
        .to_vec(),
        ..Default::default()
    };
    let outcome = backend.exec(id, &plant, &|_| {}).await.unwrap();
    assert_eq!(outcome.exit_code, 0);

    let escapes = [
        "etc-link/passwd",
        "passwd-link",
        "up/x",
        "up",
        "d/root/etc/passwd",
        "d/root",
        "tmp-link/x",
        "/home/user/etc-link/hostname",
    ];
    for path in escapes {
        let read = backend.read_file(id, path).await;
        assert!(
            matches!(read, Err(SandboxError::Path { .. })),
            "read {path}: {read:?}"
        );
        let write = backend
            .write_files(id, &[(path.to_string(), b"x".to_vec())])
            .await;
        assert!(
            matches!(write, Err(SandboxError::Path { .. })),
            "write {path}: {write:?}"
        );
        let list = backend.list_files(id, path, true).await;
        assert!(
            matches!(list, Err(SandboxError::Path { .. })),
            "ls {path}: {list:?}"
        );
    }
    // Removing a link removes the link, never what it points to.
    for path in ["etc-link/passwd", "d/root/etc"] {
        let rm = backend.remove_path(id, path).await;
        assert!(
            matches!(rm, Err(SandboxError::Path { .. })),
            "rm {path}: {rm:?}"
        );
    }
    backend.remove_path(id, "etc-link").await.unwrap();
    // A symlink that stays inside is fine.
    assert_eq!(backend.read_file(id, "ok-link").await.unwrap(), b"fine\n");
    // Hostile strings are refused by every operation too.
    for path in REFUSED.iter().take(12) {
        assert!(backend.read_file(id, path).await.is_err(), "{path}");
        assert!(backend.remove_path(id, path).await.is_err(), "{path}");
    }
    backend.kill(id).await.unwrap();
}

/// The same hostile list against a live local sandbox: the local backend answers to the
/// same rule (`paths::resolve`) for every file operation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_paths_are_refused_by_a_local_sandbox() {
    let _solo = crate::support::solo("sandbox_paths");
    use crate::support::containment::cache_dir;
    use crate::support::in_ci;
    let state = tempfile::tempdir().unwrap();
    let backend =
        match codingit::sandbox::local::LocalBackend::at(cache_dir(), state.path().into(), false) {
            Ok(b) => b,
            Err(e) if in_ci() => panic!("CI=true and the local backend is unavailable: {e}"),
            Err(e) => {
                eprintln!("note: skipping, no local backend here: {e}");
                return;
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
        return;
    }
    let info = backend
        .create(&crate::support::docker::spec(
            template,
            Duration::from_secs(120),
        ))
        .await
        .unwrap();
    let id = info.id.as_str();
    for path in REFUSED {
        let refused = |what: &str, r: Result<(), SandboxError>| {
            assert!(
                matches!(r, Err(SandboxError::Path { .. })),
                "{what} {path:?}: {r:?}"
            );
        };
        refused("read", backend.read_file(id, path).await.map(drop));
        refused(
            "write",
            backend
                .write_files(id, &[(path.to_string(), b"x".to_vec())])
                .await,
        );
        refused("ls", backend.list_files(id, path, false).await.map(drop));
        refused("rm", backend.remove_path(id, path).await);
    }
    backend.kill(id).await.unwrap();
}
