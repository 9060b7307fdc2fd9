//! The completion scripts committed in `completions/` match what the binary prints.
//! Regenerate them with `CODINGIT_UPDATE_COMPLETIONS=1 cargo test --test cli completions`.

use crate::support::TestEnv;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "codingit.bash"),
    ("zsh", "_codingit"),
    ("fish", "codingit.fish"),
    ("powershell", "_codingit.ps1"),
    ("elvish", "codingit.elv"),
];

#[test]
fn committed_completions_are_current() {
    let env = TestEnv::new();
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("CODINGIT_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let output = env
            .cmd()
            .args(["completions", shell])
            .output()
            .expect("run");
        assert!(output.status.success(), "{shell}");
        assert!(!output.stdout.is_empty(), "{shell}");
        let path = folder.join(file);
        if update {
            std::fs::create_dir_all(&folder).expect("folder");
            std::fs::write(&path, &output.stdout).expect("write");
        } else if std::fs::read(&path).ok().as_deref() != Some(output.stdout.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions: {stale:?}\nregenerate: CODINGIT_UPDATE_COMPLETIONS=1 cargo test --test cli completions"
    );
}
