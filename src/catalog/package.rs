//! Package specs: the one grammar for what a fragment may ask a sandbox to install,
//! used by the fragment checks and by every backend's install, so a spec the checks
//! accept is a spec the backends install.
//!
//! pip: a PEP 508 name, optional extras and a version specifier (no URLs, no markers,
//! no options); the spaces PEP 508 allows are dropped, so `numpy >= 1.26` is passed as
//! `numpy>=1.26`. npm: a package name (optionally scoped) with an optional semver
//! range (no URLs, tags with `:`, or git specs). Either way the spec is one argument
//! after `--`, never parsed by a shell.

use super::PackageManager;

/// A validated package spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageSpec {
    name: String,
    arg: String,
}

impl PackageSpec {
    /// Parses `text` for `manager`, or says what is wrong with it.
    pub fn parse(manager: PackageManager, text: &str) -> Result<Self, String> {
        match manager {
            PackageManager::Pip => pip(text).map(|name| Self {
                name: name.to_string(),
                arg: text.chars().filter(|c| !c.is_whitespace()).collect(),
            }),
            PackageManager::Npm => npm(text).map(|name| Self {
                name: name.to_string(),
                arg: text.trim().to_string(),
            }),
        }
    }

    /// The bare package name (`uvicorn` of `uvicorn[standard]>=0.3`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The spec as one argument to the package manager.
    pub fn arg(&self) -> &str {
        &self.arg
    }
}

/// A PEP 508 requirement limited to a name, optional extras and a version specifier
/// (no URLs, no markers). Returns the bare name.
fn pip(requirement: &str) -> Result<&str, String> {
    let requirement = requirement.trim();
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(requirement.len());
    let (name, rest) = requirement.split_at(name_end);
    let valid_name = !name.is_empty()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid_name {
        return Err("a PEP 508 name has letters, digits, `.`, `_` and `-`, and starts and ends with a letter or digit".into());
    }
    let mut rest = rest.trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        let Some(end) = extras.find(']') else {
            return Err("unclosed extras `[`".into());
        };
        let ok = extras[..end].split(',').all(|e| {
            !e.trim().is_empty()
                && e.trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        });
        if !ok {
            return Err("extras must be names separated by commas".into());
        }
        rest = extras[end + 1..].trim_start();
    }
    if !rest.is_empty() {
        let specifier_ok = rest.starts_with(['=', '<', '>', '!', '~'])
            && rest.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '=' | '<' | '>' | '!' | '~' | '.' | '*' | ',' | ' ' | '+')
            });
        if !specifier_ok {
            return Err("only a name, extras and a version such as `>=1.2` are allowed (no URLs or markers)".into());
        }
    }
    Ok(name)
}

/// An npm package name (optionally scoped) with an optional `@version` range made of
/// safe characters. Returns the bare name.
fn npm(spec: &str) -> Result<&str, String> {
    let spec = spec.trim();
    let (name, version) = match spec.strip_prefix('@') {
        Some(scoped) => match scoped.find('@') {
            Some(i) => (&spec[..i + 1], Some(&scoped[i + 1..])),
            None => (spec, None),
        },
        None => match spec.split_once('@') {
            Some((n, v)) => (n, Some(v)),
            None => (spec, None),
        },
    };
    if name.is_empty() || name.len() > 214 {
        return Err("a name has 1 to 214 characters".into());
    }
    let bare = match name.strip_prefix('@') {
        Some(scoped) => {
            let Some((scope, package)) = scoped.split_once('/') else {
                return Err("a scoped name looks like @scope/name".into());
            };
            if !npm_segment_ok(scope) || !npm_segment_ok(package) {
                return Err(
                    "scope and name use lowercase letters, digits, `-`, `.`, `_` and `~`".into(),
                );
            }
            name
        }
        None => {
            if !npm_segment_ok(name) {
                return Err("a name uses lowercase letters, digits, `-`, `.`, `_` and `~`, and does not start with `.` or `_`".into());
            }
            name
        }
    };
    if let Some(version) = version {
        let ok = !version.is_empty()
            && version.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        '.' | '^' | '~' | '>' | '<' | '=' | '-' | '*' | '+' | ' ' | '|'
                    )
            });
        if !ok || version.contains(':') {
            return Err(
                "the version must be a semver range such as ^1.2.0 (no URLs or git specs)".into(),
            );
        }
    }
    Ok(bare)
}

fn npm_segment_ok(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.starts_with(['.', '_'])
        && segment.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_' | '~')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_requirements() {
        for good in [
            "requests",
            "scikit-learn",
            "Flask_Login",
            "uvicorn[standard]",
            "numpy>=1.26",
            "a.b==1.0.*",
            "pkg ~= 2.1",
        ] {
            assert!(pip(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-e .",
            "git+https://x/y",
            "pkg @ https://x",
            "a; rm -rf /",
            "requests && curl",
            "_bad",
            "x[",
            "pkg>=1;python_version<'3'",
        ] {
            assert!(pip(bad).is_err(), "{bad:?}");
        }
        assert_eq!(pip("uvicorn[standard]>=0.3").ok(), Some("uvicorn"));
    }

    #[test]
    fn npm_packages() {
        for good in [
            "zod",
            "@tanstack/react-query",
            "lodash@^4.17.21",
            "@types/node@20",
            "date-fns",
        ] {
            assert!(npm(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "React",
            ".hidden",
            "_x",
            "@scope",
            "a b",
            "git+https://x",
            "pkg@github:a/b",
            "x; rm -rf /",
            "@s/P",
        ] {
            assert!(npm(bad).is_err(), "{bad:?}");
        }
        assert_eq!(npm("@types/node@20").ok(), Some("@types/node"));
    }

    #[test]
    fn specs_become_one_plain_argument() {
        let spec = PackageSpec::parse(PackageManager::Pip, "numpy >= 1.26, < 3").ok();
        assert_eq!(spec.as_ref().map(PackageSpec::arg), Some("numpy>=1.26,<3"));
        assert_eq!(spec.as_ref().map(PackageSpec::name), Some("numpy"));
        let spec = PackageSpec::parse(PackageManager::Npm, " lodash@>=4 <5 ").ok();
        assert_eq!(spec.as_ref().map(PackageSpec::arg), Some("lodash@>=4 <5"));
        assert_eq!(spec.as_ref().map(PackageSpec::name), Some("lodash"));
        for bad in ["-e .", "--index-url=x", "x;rm", "$(id)", ""] {
            assert!(
                PackageSpec::parse(PackageManager::Pip, bad).is_err(),
                "{bad}"
            );
            assert!(
                PackageSpec::parse(PackageManager::Npm, bad).is_err(),
                "{bad}"
            );
        }
    }
}
