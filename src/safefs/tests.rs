//! Each test runs with both resolutions: `openat2` and the per-name walk.

use super::*;
use std::os::unix::fs::symlink;

const BOTH: [Resolution; 2] = [Resolution::Openat2, Resolution::Walk];

struct World {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

/// A root with `in/` inside and, outside it, a canary folder holding `secret`, plus
/// links `root/out -> outside` and `root/in/up -> outside/secret`.
fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(root.join("in")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), b"canary").unwrap();
    symlink(&outside, root.join("out")).unwrap();
    symlink(outside.join("secret"), root.join("in/up")).unwrap();
    World {
        _tmp: tmp,
        root,
        outside,
    }
}

fn canary_intact(w: &World) {
    assert_eq!(std::fs::read(w.outside.join("secret")).unwrap(), b"canary");
    let names: Vec<_> = std::fs::read_dir(&w.outside)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("secret")]);
}

#[test]
fn files_round_trip() {
    for how in BOTH {
        let w = world();
        let root = Root::open_with(&w.root, how).unwrap();
        root.write_atomic("a/b/c.txt", b"one", None).unwrap();
        root.write_atomic("a/b/c.txt", b"two", Some(0o600)).unwrap();
        assert_eq!(root.read("a/b/c.txt", 10).unwrap(), b"two");
        let meta = root.metadata("a/b/c.txt").unwrap();
        assert_eq!((meta.kind, meta.len, meta.mode), (Kind::File, 3, 0o600));
        root.write_atomic("a/b/c.txt", b"three", None).unwrap();
        assert_eq!(root.metadata("a/b/c.txt").unwrap().mode, 0o600, "mode kept");
        root.create_new("n/new.txt", b"x").unwrap();
        assert!(root.create_new("n/new.txt", b"y").is_err());
        root.rename("n/new.txt", "m/moved.txt").unwrap();
        assert_eq!(root.read("m/moved.txt", 10).unwrap(), b"x");
        let names: Vec<_> = root
            .read_dir("a/b")
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("c.txt")],
            "no temp left"
        );
        root.remove_file("a/b/c.txt").unwrap();
        assert!(root.read("a/b/c.txt", 10).unwrap_err().is_not_found());
        root.remove_dir_all("a").unwrap();
        assert!(!w.root.join("a").exists());
        canary_intact(&w);
    }
}

#[test]
fn links_are_never_followed() {
    for how in BOTH {
        let w = world();
        let root = Root::open_with(&w.root, how).unwrap();
        let symlinked = |e: SafeFsError| matches!(e, SafeFsError::Symlink { .. });
        assert!(symlinked(root.read("out/secret", 100).unwrap_err()));
        assert!(symlinked(root.read("in/up", 100).unwrap_err()));
        assert!(symlinked(
            root.write_atomic("out/secret", b"pwned", None).unwrap_err()
        ));
        assert!(symlinked(
            root.write_atomic("out/new", b"pwned", None).unwrap_err()
        ));
        assert!(symlinked(root.create_new("out/new", b"pwned").unwrap_err()));
        assert!(root.create_new("in/up", b"pwned").is_err());
        assert!(symlinked(root.create_dir_all("out/sub").unwrap_err()));
        assert!(symlinked(root.remove_file("out/secret").unwrap_err()));
        assert!(symlinked(root.remove_dir_all("out/x").unwrap_err()));
        assert!(symlinked(root.read_dir("out").unwrap_err()));
        assert!(symlinked(root.walk("out", 100).unwrap_err()));
        assert!(symlinked(root.subdir("out").unwrap_err()));
        assert!(root.rename("in/up", "out/up").is_err());
        assert_eq!(root.metadata("out").unwrap().kind, Kind::Symlink);
        canary_intact(&w);
        // A link at the target is replaced, not written through; removing one
        // removes the link.
        root.write_atomic("in/up", b"mine", None).unwrap();
        assert_eq!(root.metadata("in/up").unwrap().kind, Kind::File);
        root.remove_file("out").unwrap();
        canary_intact(&w);
    }
}

#[test]
fn hostile_names_are_refused() {
    let w = world();
    let root = Root::open(&w.root).unwrap();
    for bad in [
        "/etc/passwd",
        "../outside/secret",
        "in/../../x",
        "in//x",
        "./in",
        "in/",
    ] {
        assert!(
            matches!(root.read(bad, 10), Err(SafeFsError::BadPath { .. })),
            "{bad}"
        );
        assert!(root.write_atomic(bad, b"x", None).is_err(), "{bad}");
    }
    assert!(root.remove_dir_all("").is_err());
    assert!(root.write_atomic("", b"x", None).is_err());
    canary_intact(&w);
}

#[test]
fn removal_leaves_link_targets_alone() {
    for how in BOTH {
        let w = world();
        std::fs::create_dir_all(w.root.join("tree/deep/er")).unwrap();
        std::fs::write(w.root.join("tree/deep/er/f"), b"f").unwrap();
        symlink(&w.outside, w.root.join("tree/deep/link")).unwrap();
        let root = Root::open_with(&w.root, how).unwrap();
        root.remove_dir_all("tree").unwrap();
        assert!(!w.root.join("tree").exists());
        canary_intact(&w);
    }
}

#[test]
fn walk_lists_links_as_links() {
    for how in BOTH {
        let w = world();
        std::fs::write(w.root.join("in/f.txt"), b"12345").unwrap();
        let root = Root::open_with(&w.root, how).unwrap();
        let all = root.walk("", 100).unwrap();
        let shown: Vec<_> = all
            .iter()
            .map(|e| (e.path.display().to_string(), e.kind, e.len))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("in".into(), Kind::Dir, 0),
                ("in/f.txt".into(), Kind::File, 5),
                ("in/up".into(), Kind::Symlink, 0),
                ("out".into(), Kind::Symlink, 0),
            ]
        );
        assert!(matches!(root.walk("", 2), Err(SafeFsError::TooMany { .. })));
    }
}

#[test]
fn fifos_and_big_files_are_refused_without_blocking() {
    for how in BOTH {
        let w = world();
        let fifo = w.root.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let root = Root::open_with(&w.root, how).unwrap();
        if made.map(|s| s.success()).unwrap_or(false) {
            assert!(matches!(
                root.read("pipe", 10),
                Err(SafeFsError::NotRegular { .. })
            ));
        }
        std::fs::write(w.root.join("big"), vec![b'x'; 100]).unwrap();
        assert!(matches!(
            root.read("big", 99),
            Err(SafeFsError::TooLarge { .. })
        ));
        assert_eq!(root.read("big", 100).unwrap().len(), 100);
        assert!(matches!(
            root.read("in", 10),
            Err(SafeFsError::NotRegular { .. })
        ));
    }
}

#[test]
fn the_root_itself_must_not_be_a_link() {
    let w = world();
    assert!(matches!(
        Root::open(&w.root.join("out")),
        Err(SafeFsError::Symlink { .. })
    ));
}

/// An attacker swaps `race` between a real folder and a link to the canary folder
/// as fast as it can while every operation runs through it: none may reach outside.
#[test]
fn a_folder_swapped_for_a_link_never_leads_out() {
    for how in BOTH {
        let w = world();
        let race = w.root.join("race");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let attacker = {
            let (race, outside, stop) = (race.clone(), w.outside.clone(), stop.clone());
            std::thread::spawn(move || {
                let real = race.with_extension("real");
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = std::fs::create_dir_all(&real);
                    let _ = std::fs::write(real.join("secret"), b"inside");
                    let _ = std::fs::rename(&real, &race);
                    let _ = std::fs::remove_dir_all(&race);
                    let _ = symlink(&outside, &race);
                    let _ = std::fs::remove_file(&race);
                }
            })
        };
        let root = Root::open_with(&w.root, how).unwrap();
        for _ in 0..400 {
            if let Ok(data) = root.read("race/secret", 100) {
                assert_eq!(data, b"inside");
            }
            let _ = root.write_atomic("race/secret", b"pwned", None);
            let _ = root.create_new("race/new", b"pwned");
            let _ = root.remove_file("race/secret");
            let _ = root.remove_dir_all("race");
            let _ = root.walk("race", 100);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        attacker.join().unwrap();
        canary_intact(&w);
    }
}
