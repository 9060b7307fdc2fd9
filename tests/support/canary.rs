//! Host canaries of the attack tests: a host folder holding one secret file, which
//! nothing done to or through a sandbox may read, change, delete or write beside.

use std::path::{Path, PathBuf};

/// The secret's text: no output of a test may ever hold it.
pub const CANARY: &[u8] = b"host canary: must stay unread and unchanged\n";

/// A host folder (in a temporary folder of its own) holding the secret file.
pub struct Canary {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Canary {
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("host-folder");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("secret"), CANARY).unwrap();
        Self { _tmp: tmp, dir }
    }

    /// The secret file's absolute path on the host.
    pub fn file(&self) -> PathBuf {
        self.dir.join("secret")
    }

    /// Whether `data` holds the secret (in part: a leak may be cut).
    pub fn leaked_in(data: &[u8]) -> bool {
        String::from_utf8_lossy(data).contains("host canary")
    }

    pub fn assert_intact(&self) {
        assert!(self.dir.is_dir(), "the host folder was deleted");
        assert_eq!(
            std::fs::read(self.file()).unwrap(),
            CANARY,
            "the host file was changed"
        );
        let names: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            ["secret"],
            "something was written into the host folder"
        );
    }
}

/// No file under `dir` (a local download) holds the secret.
pub fn assert_no_secret_under(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            assert_no_secret_under(&path);
        } else if meta.is_file() {
            let data = std::fs::read(&path).unwrap();
            assert!(
                !Canary::leaked_in(&data),
                "{} holds the secret",
                path.display()
            );
        }
    }
}
