//! Artifacts (the interpreter's charts) brought from a sandbox to the host.
//!
//! Everything about them is decided on the host. The sandbox's own account (the
//! runner's result file lists names) is never used to name anything: code that
//! rewrites it at exit could otherwise have `.git/config` or `../x` written on the
//! host. Instead the artifacts folder is listed, only regular `.png` files are taken,
//! each host name is built by codingit from a reduced basename, and each file is
//! created with `O_CREAT|O_EXCL|O_NOFOLLOW` beneath a handle on the destination
//! folder: nothing existing is overwritten, no link is followed, no mode bit comes
//! from the sandbox. Count, size per file and total size are capped.

use super::{Backend, FileKind, SandboxError};
use crate::safefs::{Root, SafeFsError};
use std::path::PathBuf;

/// At most this many artifacts are copied from one run.
pub const MAX_COUNT: usize = 32;
/// Largest artifact copied.
pub const MAX_FILE_BYTES: u64 = 16 << 20;
/// Largest total copied from one run.
pub const MAX_TOTAL_BYTES: u64 = 64 << 20;
/// Longest stem kept from a sandbox file name.
const MAX_STEM: usize = 64;

/// What came back, and what was left behind and why (for a warning).
#[derive(Debug, Default)]
pub struct Collected {
    /// Host paths written.
    pub saved: Vec<PathBuf>,
    /// One line per artifact not copied.
    pub skipped: Vec<String>,
}

/// The host name for a sandbox file name: its basename reduced to ASCII letters,
/// digits, `-` and `_`, plus `.png`; `None` for anything but a `.png` name.
pub fn host_stem(sandbox_name: &str) -> Option<String> {
    let base = sandbox_name.rsplit('/').next().unwrap_or_default();
    let stem = base.strip_suffix(".png")?;
    let clean: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(MAX_STEM)
        .collect();
    Some(if clean.is_empty() {
        "artifact".to_string()
    } else {
        clean
    })
}

/// Creates `stem.png` (or `stem-2.png`, … when taken) beneath `dest`; never replaces.
fn create_unique(dest: &Root, stem: &str, bytes: &[u8]) -> Result<PathBuf, SafeFsError> {
    let mut last = None;
    for n in 1..=1000u32 {
        let name = if n == 1 {
            format!("{stem}.png")
        } else {
            format!("{stem}-{n}.png")
        };
        match dest.create_new(&name, bytes) {
            Ok(()) => return Ok(dest.path().join(name)),
            Err(e) if e.io_kind() == Some(std::io::ErrorKind::AlreadyExists) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| SafeFsError::TooMany {
        path: stem.to_string(),
        limit: 1000,
    }))
}

/// Copies the regular `.png` files in the sandbox folder `from` (relative to the
/// home) into `dest`, within the caps.
pub async fn collect(
    backend: &dyn Backend,
    id: &str,
    from: &str,
    dest: &Root,
) -> Result<Collected, SandboxError> {
    let mut entries = backend.list_files(id, from, false).await?;
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = Collected::default();
    let mut total = 0u64;
    for entry in entries {
        let name = entry
            .path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        if name.starts_with('.') && entry.kind == FileKind::File && entry.size == 0 {
            continue; // the runner's own placeholder
        }
        let skip = |why: &str| format!("{name:?}: {why}");
        let Some(stem) = host_stem(&name) else {
            out.skipped.push(skip("not a .png chart"));
            continue;
        };
        if entry.kind != FileKind::File {
            out.skipped.push(skip("not a regular file"));
            continue;
        }
        if out.saved.len() >= MAX_COUNT {
            out.skipped
                .push(skip(&format!("more than {MAX_COUNT} artifacts")));
            continue;
        }
        if entry.size > MAX_FILE_BYTES || total + entry.size > MAX_TOTAL_BYTES {
            out.skipped.push(skip("past the size limit"));
            continue;
        }
        let bytes = match backend.read_file(id, &entry.path).await {
            Ok(bytes) => bytes,
            Err(e) => {
                out.skipped.push(skip(&e.to_string()));
                continue;
            }
        };
        let size = bytes.len() as u64;
        if size > MAX_FILE_BYTES || total + size > MAX_TOTAL_BYTES {
            out.skipped.push(skip("past the size limit"));
            continue;
        }
        total += size;
        match create_unique(dest, &stem, &bytes) {
            Ok(path) => out.saved.push(path),
            Err(e) => out.skipped.push(skip(&e.to_string())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_reduced_basenames() {
        assert_eq!(host_stem("figure-1.png").as_deref(), Some("figure-1"));
        assert_eq!(host_stem(".git/config"), None);
        assert_eq!(host_stem("../../x.png").as_deref(), Some("x"));
        assert_eq!(host_stem("a\u{1b}]0;t\u{7}.png").as_deref(), Some("a0t"));
        assert_eq!(host_stem("..png").as_deref(), Some("artifact"));
        assert_eq!(
            host_stem(&format!("{}.png", "x".repeat(300))).map(|s| s.len()),
            Some(64)
        );
    }

    #[test]
    fn nothing_existing_is_replaced() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("chart.png"), b"mine").unwrap_or_default();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("chart-2.png"))
            .unwrap_or_default();
        let root = Root::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let path = create_unique(&root, "chart", b"new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(path, dir.path().join("chart-3.png"));
        assert_eq!(
            std::fs::read(dir.path().join("chart.png")).ok(),
            Some(b"mine".to_vec())
        );
    }
}
