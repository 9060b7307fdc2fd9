//! Tests of project writing, turns and undo.
use super::*;

fn fragment(code: &str) -> Fragment {
    Fragment {
        commentary: "c".into(),
        template: "code-interpreter-v1".into(),
        title: "Hello There".into(),
        description: "d".into(),
        additional_dependencies: vec![],
        has_additional_dependencies: false,
        install_dependencies_command: String::new(),
        port: None,
        file_path: "script.py".into(),
        code: code.into(),
        files: vec![super::super::FragmentFile {
            file_path: "lib/util.py".into(),
            code: "X = 1\n".into(),
        }],
    }
}

#[test]
fn names_folders_from_titles() {
    assert_eq!(folder_name("Hello, World App!"), "hello-world-app");
    assert_eq!(folder_name("!!!"), "codingit-app");
}

#[test]
fn writes_new_project_whole_and_refuses_non_empty() -> std::io::Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("app");
    let f = fragment("print(1)\n");
    let history = vec![HistoryEntry::now("user", "hi")];
    assert!(write_new(&dir, &f, &history, false).is_ok());
    assert_eq!(
        std::fs::read_to_string(dir.join("lib/util.py"))
            .ok()
            .as_deref(),
        Some("X = 1\n")
    );
    let project = Project::open(&dir).ok();
    assert_eq!(project.map(|p| p.history.len()), Some(1));
    assert!(matches!(
        write_new(&dir, &f, &history, false),
        Err(ProjectError::NotEmpty(_))
    ));
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    assert_eq!(leftovers.len(), 1, "no staging folder left behind");
    Ok(())
}

#[test]
fn a_turn_and_its_undo_are_byte_exact() {
    let Some(tmp) = tempfile::tempdir().ok() else {
        return;
    };
    let dir = tmp.path().join("app");
    let f = fragment("print(1)\r\n");
    assert!(write_new(&dir, &f, &[HistoryEntry::now("user", "hi")], false).is_ok());
    let before_script = std::fs::read(dir.join("script.py")).ok();
    let before_history = std::fs::read(dir.join(".codingit/history.jsonl")).ok();
    let changes = vec![
        FileChange {
            path: "script.py".into(),
            old: Some("print(1)\r\n".into()),
            new: Some("print(2)\n".into()),
        },
        FileChange {
            path: "new.txt".into(),
            old: None,
            new: Some("n".into()),
        },
        FileChange {
            path: "lib/util.py".into(),
            old: Some("X = 1\n".into()),
            new: None,
        },
    ];
    let history = vec![
        HistoryEntry::now("user", "hi"),
        HistoryEntry::now("user", "more"),
    ];
    assert!(apply_turn(&dir, &changes, &fragment("print(2)\n"), &history).is_ok());
    assert!(dir.join("new.txt").exists() && !dir.join("lib/util.py").exists());
    assert!(undo(&dir).is_ok());
    assert_eq!(std::fs::read(dir.join("script.py")).ok(), before_script);
    assert_eq!(
        std::fs::read(dir.join(".codingit/history.jsonl")).ok(),
        before_history
    );
    assert!(!dir.join("new.txt").exists());
    assert!(dir.join("lib/util.py").exists());
    assert!(matches!(undo(&dir), Err(ProjectError::NothingToUndo(_))));
}

#[test]
fn hostile_manifests_and_project_links_are_refused() {
    let Some(tmp) = tempfile::tempdir().ok() else {
        return;
    };
    let dir = tmp.path().join("app");
    assert!(write_new(&dir, &fragment("print(1)\n"), &[], false).is_ok());
    let outside = tmp.path().join("outside");
    let _ = std::fs::create_dir_all(&outside);
    let _ = std::fs::write(outside.join("secret"), "canary");
    let _ = std::os::unix::fs::symlink(&outside, dir.join("linked"));
    let read = read_project_files(&dir, &["script.py".into(), "gone.py".into()]).ok();
    assert_eq!(read.map(|r| r[1].1.is_none()), Some(true));
    assert!(read_project_files(&dir, &["linked/secret".into()]).is_err());
    assert!(read_project_files(&dir, &["../outside/secret".into()]).is_err());
    let manifest = dir.join(".codingit/fragment.json");
    for bad in ["/etc/passwd", "../x", ".git/config", "linked/../../x"] {
        let mut hostile = fragment("print(1)\n");
        hostile.files = vec![crate::fragment::FragmentFile {
            file_path: bad.into(),
            code: String::new(),
        }];
        let _ = std::fs::write(
            &manifest,
            serde_json::to_string(&hostile).unwrap_or_default(),
        );
        assert!(
            matches!(Project::open(&dir), Err(ProjectError::Hostile { .. })),
            "{bad}"
        );
    }
    // A turn through a link fails whole and the outside is untouched.
    let changes = vec![FileChange {
        path: "linked/secret".into(),
        old: None,
        new: Some("pwned".into()),
    }];
    assert!(apply_turn(&dir, &changes, &fragment("x"), &[]).is_err());
    assert_eq!(
        std::fs::read_to_string(outside.join("secret"))
            .ok()
            .as_deref(),
        Some("canary")
    );
}
