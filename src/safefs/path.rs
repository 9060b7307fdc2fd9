//! Relative paths as safefs takes them: plain names joined by `/`, nothing that
//! could be read two ways.

use super::SafeFsError;
use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Longest path accepted (Linux `PATH_MAX`).
pub const MAX_PATH: usize = 4096;
/// Longest single name accepted (Linux `NAME_MAX`).
pub const MAX_NAME: usize = 255;

/// A checked relative path: its names, each a valid C string.
#[derive(Debug, Clone)]
pub(crate) struct Rel {
    pub shown: String,
    pub names: Vec<CString>,
}

impl Rel {
    /// Checks `rel`: `""` is the root itself; absolute paths, `..`, `.`, empty names
    /// (`a//b`, a trailing `/`), NUL bytes and over-long names are refused, because a
    /// path that needs cleaning has more than one reading.
    pub fn parse(rel: &Path) -> Result<Self, SafeFsError> {
        let bytes = rel.as_os_str().as_bytes();
        let shown = rel.to_string_lossy().into_owned();
        let bad = |reason: &'static str| SafeFsError::BadPath {
            path: shown.escape_debug().to_string(),
            reason,
        };
        if bytes.is_empty() {
            return Ok(Self {
                shown,
                names: Vec::new(),
            });
        }
        if bytes.len() > MAX_PATH {
            return Err(bad("it is longer than 4096 bytes"));
        }
        if bytes.starts_with(b"/") {
            return Err(bad("it is absolute; give a path relative to the folder"));
        }
        if bytes.contains(&0) {
            return Err(bad("it contains a NUL byte"));
        }
        let mut names = Vec::new();
        for name in bytes.split(|b| *b == b'/') {
            match name {
                b"" => return Err(bad("it has an empty name (`//` or a trailing `/`)")),
                b"." => return Err(bad("it has a `.` name; write it in normal form")),
                b".." => return Err(bad("it has a `..` name")),
                _ if name.len() > MAX_NAME => {
                    return Err(bad("one of its names is longer than 255 bytes"))
                }
                _ => names.push(CString::new(name).map_err(|_| bad("it contains a NUL byte"))?),
            }
        }
        Ok(Self { shown, names })
    }

    pub fn is_root(&self) -> bool {
        self.names.is_empty()
    }

    /// The parent's names and the last name; `None` for the root itself.
    pub fn split_last(&self) -> Option<(&[CString], &CString)> {
        self.names.split_last().map(|(last, parent)| (parent, last))
    }

    /// The path shown in messages for the first `n` names.
    pub fn prefix_shown(&self, n: usize) -> String {
        self.names
            .iter()
            .take(n)
            .map(|c| String::from_utf8_lossy(c.as_bytes()).into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The text of a name, for messages and joined paths.
pub(crate) fn name_os(name: &CString) -> &OsStr {
    OsStr::from_bytes(name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_second_reading() {
        for bad in [
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "a/",
            "./a",
            "a/./b",
            "a\0b",
        ] {
            assert!(Rel::parse(Path::new(bad)).is_err(), "{bad:?}");
        }
        let long = "x".repeat(256);
        assert!(Rel::parse(Path::new(&long)).is_err());
        let deep = "a/".repeat(2100) + "b";
        assert!(Rel::parse(Path::new(&deep)).is_err());
        assert_eq!(
            Rel::parse(Path::new("a/b.c")).map(|r| r.names.len()).ok(),
            Some(2)
        );
        assert!(Rel::parse(Path::new(""))
            .map(|r| r.is_root())
            .unwrap_or(false));
    }
}
