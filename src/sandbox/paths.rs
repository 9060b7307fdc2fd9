//! Path confinement: every path a caller gives is resolved under the sandbox home.
//!
//! The rules are strict on purpose (the seed platform lost this fight several
//! times): relative paths join the home, absolute paths must already lie inside it,
//! and `..`, duplicate slashes, NUL and control characters, backslashes and
//! percent-encoded separators are refused rather than "cleaned". Symlinks can only
//! be judged inside the sandbox, so backends resolve the real path there and pass it
//! to [`check_real`].

use super::{SandboxError, SANDBOX_HOME};

/// Longest path accepted (Linux `PATH_MAX`).
const MAX_PATH: usize = 4096;
/// Longest file name accepted (Linux `NAME_MAX`).
const MAX_NAME: usize = 255;

fn refuse(path: &str, reason: &str) -> SandboxError {
    SandboxError::Path {
        path: path.escape_debug().to_string(),
        reason: reason.to_string(),
    }
}

/// Resolves `path` to a normalised absolute path under `/home/user`.
///
/// `""`, `"."` and `"/home/user"` are the home itself; `"a/./b"` and a single
/// trailing slash are accepted and cleaned. Everything that could leave the home,
/// or that has more than one reading, is refused with the reason.
pub fn resolve(path: &str) -> Result<String, SandboxError> {
    if path.contains('\0') {
        return Err(refuse(path, "it contains a NUL byte"));
    }
    if path.chars().any(char::is_control) {
        return Err(refuse(
            path,
            "it contains a control character (newline, tab, escape…)",
        ));
    }
    if path.len() > MAX_PATH {
        return Err(refuse(path, "it is longer than 4096 bytes"));
    }
    if path.contains('\\') {
        return Err(refuse(
            path,
            "backslashes are not path separators here; use `/`",
        ));
    }
    if has_encoded_separator(path) {
        return Err(refuse(
            path,
            "percent-encoded characters (%2e, %2f, %5c, %00) are not decoded; write the path plainly",
        ));
    }
    let relative = if let Some(rest) = path.strip_prefix('/') {
        if rest.starts_with('/') {
            return Err(refuse(path, "duplicate slashes are not allowed"));
        }
        match strip_home(path) {
            Some(inside) => inside,
            None => {
                return Err(refuse(
                    path,
                    "absolute paths must lie inside /home/user (or give a path relative to it)",
                ))
            }
        }
    } else {
        path
    };
    let trimmed = relative.strip_suffix('/').unwrap_or(relative);
    if relative.starts_with('/') || trimmed.ends_with('/') || trimmed.contains("//") {
        return Err(refuse(path, "duplicate slashes are not allowed"));
    }
    let mut clean = String::from(SANDBOX_HOME);
    for part in trimmed.split('/') {
        match part {
            "" | "." => continue,
            ".." => {
                return Err(refuse(
                    path,
                    "`..` is not allowed; give the path from /home/user instead",
                ))
            }
            name if name.len() > MAX_NAME => {
                return Err(refuse(path, "a file name is longer than 255 bytes"))
            }
            name => {
                clean.push('/');
                clean.push_str(name);
            }
        }
    }
    Ok(clean)
}

/// `"/home/user/x/y"` → `"x/y"`, `"/home/user"` → `""`; `None` outside the home.
fn strip_home(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(SANDBOX_HOME)?;
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix('/')
    }
}

/// Whether `%XX` encodes `.`, `/`, `\` or NUL (in any case), which a later layer
/// might decode into a traversal.
fn has_encoded_separator(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.windows(3).any(|w| {
        w[0] == b'%'
            && matches!(
                (w[1].to_ascii_lowercase(), w[2].to_ascii_lowercase()),
                (b'2', b'e') | (b'2', b'f') | (b'5', b'c') | (b'0', b'0')
            )
    })
}

/// The part of a resolved path below the home (`""` for the home itself).
pub fn relative(resolved: &str) -> &str {
    strip_home(resolved).unwrap_or(resolved)
}

/// Checks the real path (symlinks resolved inside the sandbox, e.g. by
/// `realpath -m`) of `requested`: it must still lie under the home.
pub fn check_real(requested: &str, real: &str) -> Result<(), SandboxError> {
    let real = real.trim_end_matches('\n');
    if real.is_empty() || real.contains('\0') || strip_home(real).is_none() {
        return Err(refuse(
            requested,
            &format!(
                "a symlink leads outside /home/user (to `{}`)",
                real.escape_debug()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_cleans() {
        assert_eq!(resolve("a/b").ok().as_deref(), Some("/home/user/a/b"));
        assert_eq!(resolve("./a/./b/").ok().as_deref(), Some("/home/user/a/b"));
        assert_eq!(resolve("").ok().as_deref(), Some("/home/user"));
        assert_eq!(resolve("/home/user/").ok().as_deref(), Some("/home/user"));
        assert_eq!(relative("/home/user/a/b"), "a/b");
        assert_eq!(relative("/home/user"), "");
    }

    #[test]
    fn refuses_escapes() {
        for bad in ["../x", "/etc", "//home/user/x", "/home/username", "a\0b"] {
            assert!(resolve(bad).is_err(), "{bad}");
        }
        assert!(check_real("x", "/etc/passwd").is_err());
        assert!(check_real("x", "/home/user/x").is_ok());
        assert!(check_real("x", "/home/userx").is_err());
    }
}
