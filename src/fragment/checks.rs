//! Checks beyond the schema, each with a message the model can act on.

use super::Fragment;
use crate::catalog::{PackageSpec, TemplateCatalog, TemplateDef};

/// Every problem of a fragment, empty when it is acceptable. `offered` is the set of
/// templates the model was allowed to use.
pub fn check_fragment(
    fragment: &Fragment,
    catalog: &TemplateCatalog,
    offered: &[String],
) -> Vec<String> {
    let mut problems = Vec::new();
    let template = match catalog.templates.get(&fragment.template) {
        Some(t) if offered.iter().any(|o| o == &t.id) => Some(t),
        Some(_) => {
            problems.push(format!(
                "template `{}` was not offered; use one of: {}",
                fragment.template,
                offered.join(", ")
            ));
            None
        }
        None => {
            problems.push(format!(
                "template `{}` does not exist; use one of: {}",
                fragment.template,
                offered.join(", ")
            ));
            None
        }
    };
    let files = fragment.all_files();
    for (path, _) in &files {
        if let Err(reason) = check_relative_path(path) {
            problems.push(format!("file_path `{path}`: {reason}"));
        }
    }
    problems.extend(check_path_set(files.iter().map(|(p, _)| *p)));
    if let Some(template) = template {
        check_port(fragment, template, &mut problems);
        check_dependencies(fragment, template, &mut problems);
    }
    if fragment.has_additional_dependencies == fragment.additional_dependencies.is_empty() {
        problems.push(format!(
            "has_additional_dependencies is {} but additional_dependencies has {} entries; make them agree",
            fragment.has_additional_dependencies,
            fragment.additional_dependencies.len()
        ));
    }
    if fragment.code.trim().is_empty() {
        problems.push("code is empty; put the main file's full content in code".into());
    }
    problems
}

fn check_port(fragment: &Fragment, template: &TemplateDef, problems: &mut Vec<String>) {
    if fragment.port != template.port {
        let expected = template
            .port
            .map(|p| p.to_string())
            .unwrap_or_else(|| "null".into());
        let got = fragment
            .port
            .map(|p| p.to_string())
            .unwrap_or_else(|| "null".into());
        problems.push(format!(
            "port is {got} but template `{}` serves on {expected}; set port to {expected}",
            template.id
        ));
    }
}

fn check_dependencies(fragment: &Fragment, template: &TemplateDef, problems: &mut Vec<String>) {
    for dependency in &fragment.additional_dependencies {
        match PackageSpec::parse(template.package_manager, dependency) {
            Err(reason) => problems.push(format!(
                "additional dependency `{dependency}` is not a valid {} package: {reason}",
                template.package_manager.as_str()
            )),
            Ok(spec) if template.has_package(spec.name()) => problems.push(format!(
                "additional dependency `{dependency}` is already in template `{}`; remove it from additional_dependencies",
                template.id
            )),
            Ok(_) => {}
        }
    }
}

/// Folders of version-control systems: a file written there runs code on the host
/// (hooks, `core.fsmonitor`), so neither a model nor a sandbox may name one.
const VCS_DIRS: [&str; 3] = [".git", ".hg", ".svn"];
/// Longest name in a path (Linux `NAME_MAX`).
pub const MAX_SEGMENT_BYTES: usize = 255;
/// Longest path (Linux `PATH_MAX`).
pub const MAX_PATH_BYTES: usize = 4096;

/// Whether a single name is a version-control folder, in any letter case (`.GIT` is
/// `.git` on case-insensitive file systems).
pub fn is_vcs_name(segment: &str) -> bool {
    VCS_DIRS.iter().any(|v| segment.eq_ignore_ascii_case(v))
}

/// A project-relative path: no absolute path, no `..`, no empty or `.` segments, no
/// backslashes or control characters, no name over 255 bytes nor path over 4096, not
/// in `.codingit/` and not in a version-control folder (`.git`, `.hg`, `.svn`, any
/// case, at any depth). The one rule for every path a model, a project manifest or a
/// sandbox names.
pub fn check_relative_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("is empty".into());
    }
    if path.starts_with('/')
        || path.starts_with('~')
        || path.contains(':') && path.len() > 1 && path.as_bytes()[1] == b':'
    {
        return Err("must be relative to the project folder".into());
    }
    if path.contains('\\') {
        return Err("must use `/` as separator".into());
    }
    if path.chars().any(char::is_control) {
        return Err("contains a control character".into());
    }
    if path.len() > MAX_PATH_BYTES {
        return Err(format!(
            "is {} bytes long; keep paths under {MAX_PATH_BYTES} bytes",
            path.len()
        ));
    }
    for segment in path.split('/') {
        match segment {
            "" => return Err("has an empty segment (`//` or a trailing `/`)".into()),
            "." => return Err("has a `.` segment; write the path in normal form".into()),
            ".." => return Err("leaves the project folder (`..`)".into()),
            s if s.len() > MAX_SEGMENT_BYTES => {
                return Err(format!(
                    "has a name of {} bytes; keep each name under {MAX_SEGMENT_BYTES} bytes",
                    s.len()
                ))
            }
            s if is_vcs_name(s) => {
                return Err(format!(
                    "is inside `{s}/`, a version-control folder; never write there, choose a path outside it"
                ))
            }
            _ => {}
        }
    }
    let first = path.split('/').next().unwrap_or_default();
    if first.eq_ignore_ascii_case(".codingit") {
        return Err("`.codingit/` is reserved for codingit's own files".into());
    }
    Ok(())
}

/// Problems of a set of paths written together: the same path twice, two paths that
/// differ only in letter case (one file on case-insensitive file systems), and a path
/// that is a file in one place and a folder in another (`a` and `a/b`).
pub fn check_path_set<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    let mut all: Vec<&str> = Vec::new();
    for path in paths {
        let folded = path.to_lowercase();
        match seen.get(&folded) {
            Some(first) if *first == path => problems.push(format!(
                "file_path `{path}` appears twice; give each file once"
            )),
            Some(first) => problems.push(format!(
                "file_path `{path}` and `{first}` differ only in letter case and collide on many file systems; use one name"
            )),
            None => {
                seen.insert(folded, path);
                all.push(path);
            }
        }
    }
    // Every folder some path needs, with one path that needs it.
    let mut folders: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for path in &all {
        let folded = path.to_lowercase();
        for (i, _) in folded.match_indices('/') {
            folders.entry(folded[..i].to_string()).or_insert(path);
        }
    }
    for file in &all {
        if let Some(inner) = folders.get(&file.to_lowercase()) {
            problems.push(format!(
                "file_path `{file}` is a file but `{inner}` needs it to be a folder; rename one of them"
            ));
        }
    }
    problems
}

/// The template ids offered for a `-t` choice: all for `auto`, else the one.
pub fn offered_templates(
    catalog: &TemplateCatalog,
    choice: &str,
) -> Result<Vec<String>, crate::catalog::TemplateError> {
    if choice == "auto" {
        return Ok(catalog.templates.keys().cloned().collect());
    }
    catalog.get(choice).map(|t| vec![t.id.clone()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        for good in [
            "app.py",
            "pages/index.tsx",
            "src/a-b_c.d/e.ts",
            ".env.example",
        ] {
            assert!(check_relative_path(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../b",
            "a//b",
            "./a",
            "a/",
            "C:/x",
            "a\\b",
            "~/.ssh/id",
            ".codingit/fragment.json",
            ".CodingIt/x",
            "a\u{0}b",
            ".git/config",
            ".GIT/hooks/pre-commit",
            "sub/.git/x",
            "a/.Hg/hgrc",
            ".svn/entries",
            ".git",
        ] {
            assert!(check_relative_path(bad).is_err(), "{bad:?}");
        }
        assert!(check_relative_path(&"x".repeat(256)).is_err());
        assert!(check_relative_path(&"x".repeat(255)).is_ok());
        assert!(check_relative_path(&"ab/".repeat(1400)).is_err());
        assert!(check_relative_path(".github/workflows/ci.yml").is_ok());
        assert!(check_relative_path(".gitignore").is_ok());
    }

    #[test]
    fn colliding_paths() {
        assert!(check_path_set(["a.py", "b/c.py", "b/d.py"]).is_empty());
        for set in [
            vec!["a.py", "a.py"],
            vec!["App.py", "app.py"],
            vec!["lib", "lib/x.py"],
            vec!["lib/x.py", "LIB"],
        ] {
            assert_eq!(check_path_set(set.clone()).len(), 1, "{set:?}");
        }
    }
}
