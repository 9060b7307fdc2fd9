//! File writes that never leave a half-written file: temp file in the same folder,
//! fsync, rename. For a path the user named; paths inside a folder someone else
//! controls go through `safefs` instead.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Writes `contents` to `path` atomically, keeping the existing file's permissions.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile_in(dir, path)?;
    let result = (|| {
        temp.1.write_all(contents)?;
        temp.1.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp.0, meta.permissions())?;
        }
        std::fs::rename(&temp.0, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp.0);
    }
    result
}

fn tempfile_in(dir: &Path, target: &Path) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    let stem = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    for _ in 0..16 {
        // Our temporary-file name (see `safefs::is_temp_name`): a leftover of a killed
        // run is recognised and removed by the next one.
        let stem: String = stem.chars().take(120).collect();
        let candidate = dir.join(format!(
            ".{stem}.{:08x}{}",
            fastrand::u32(..),
            crate::safefs::TEMP_SUFFIX
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("could not create a temporary file"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("codingit-fsutil-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("a.txt");
        assert!(write_atomic(&file, b"one").is_ok());
        assert!(write_atomic(&file, b"two").is_ok());
        assert_eq!(std::fs::read(&file).ok(), Some(b"two".to_vec()));
        let leftovers = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        assert_eq!(leftovers, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
