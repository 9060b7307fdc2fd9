//! What a killed run leaves behind, recognised by our own names and removed on the
//! next run: staging folders of `new`, temporary files of atomic writes, undo
//! snapshots without their manifest. Nothing else is ever removed.

use super::project::META_DIR;
use super::Fragment;
use crate::safefs::{is_temp_name, Kind, Root};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const STAGING_MARK: &str = ".codingit-staging-";
/// A leftover younger than this may belong to a run still going.
const GRACE: Duration = Duration::from_secs(60);

/// The staging folder's name for the project folder `leaf`: it names this process,
/// so a later run can tell a leftover from a folder another run is filling.
pub(crate) fn staging_name(leaf: &str) -> PathBuf {
    let short: String = leaf.chars().take(120).collect();
    PathBuf::from(format!(
        ".{short}{STAGING_MARK}{}-{:08x}",
        std::process::id(),
        fastrand::u32(..)
    ))
}

/// The owner pid of one of our staging names.
fn staging_owner(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    let (_, tail) = name.rsplit_once(STAGING_MARK)?;
    let (pid, hex) = tail.split_once('-')?;
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    pid.parse().ok()
}

pub(crate) fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

pub(crate) fn older_than_grace(modified: SystemTime) -> bool {
    SystemTime::now()
        .duration_since(modified)
        .is_ok_and(|age| age > GRACE)
}

/// Removes staging folders of `new` left in `parent` by killed runs: our names only,
/// real folders only (a link is left alone), whose owner is gone or that are older
/// than a minute (staging lasts milliseconds).
pub(crate) fn remove_stale_staging(parent: &Root) {
    let Ok(entries) = parent.read_dir("") else {
        return;
    };
    for entry in entries.into_iter().filter(|e| e.kind == Kind::Dir) {
        let Some(name) = entry.name.to_str() else {
            continue;
        };
        let Some(pid) = staging_owner(name) else {
            continue;
        };
        let stale = pid != std::process::id()
            && (!process_alive(pid)
                || parent
                    .metadata(name)
                    .is_ok_and(|m| older_than_grace(m.modified)));
        if stale {
            let _ = parent.remove_dir_all(name);
        }
    }
}

/// Removes our temporary files older than a minute from the folders codingit writes
/// in (those of the fragment's files and `.codingit/`), and unfinished undo
/// snapshots.
pub(crate) fn remove_leftovers(root: &Root, fragment: &Fragment) {
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    folders.insert(PathBuf::new());
    folders.insert(PathBuf::from(META_DIR));
    for (path, _) in fragment.all_files() {
        if let Some(parent) = Path::new(path).parent() {
            folders.insert(parent.to_path_buf());
        }
    }
    for folder in folders {
        let Ok(entries) = root.read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            if entry.kind != Kind::File || !is_temp_name(&entry.name) {
                continue;
            }
            let path = folder.join(&entry.name);
            if root
                .metadata(&path)
                .is_ok_and(|m| older_than_grace(m.modified))
            {
                let _ = root.remove_file(&path);
            }
        }
    }
    if let Ok(meta) = root.subdir(super::project::META_DIR) {
        super::undo::remove_uncommitted(&meta);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_staging_names_have_an_owner() {
        let name = staging_name("my-app");
        let shown = name.to_string_lossy();
        assert_eq!(staging_owner(&shown), Some(std::process::id()));
        for other in [
            "my-app",
            ".my-app.codingit-1234abcd",
            ".x.codingit-staging-12-xyz",
            "x.codingit-staging-12-0000000a",
        ] {
            assert_eq!(staging_owner(other), None, "{other}");
        }
        assert_eq!(staging_owner(".a.codingit-staging-42-0000000a"), Some(42));
    }
}
