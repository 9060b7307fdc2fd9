//! Readers for the edit-engine test data: Continue's lazy-edit examples, the
//! `*** Begin Patch` scenarios, and this project's own fixture folders.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// `../shared/testdata` beside the checkout, or `$CODINGIT_TESTDATA`.
pub fn testdata_dir() -> PathBuf {
    match std::env::var_os("CODINGIT_TESTDATA") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata"),
    }
}

/// A folder of the shared test data, or None (with one line on stderr naming it and
/// how to get it) when it is absent outside CI; under `CI=true` missing data fails.
pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    let dir = testdata_dir().join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !super::in_ci(),
        "CI=true but the shared test data {} is missing: set CODINGIT_TESTDATA (scripts/README.md)",
        dir.display()
    );
    eprintln!(
        "skipped: shared test data {} not found; set CODINGIT_TESTDATA to run this test (scripts/README.md)",
        dir.display()
    );
    None
}

/// This project's fixture folders (next to this file, whatever crate runs it).
pub fn fixtures_dir() -> PathBuf {
    Path::new(file!())
        .parent()
        .map(|p| p.join("../../fixtures/edits"))
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edits"))
}

/// One Continue example: original, lazy snippet, and the expected file.
pub struct ContinueCase {
    pub name: String,
    pub original: String,
    pub snippet: String,
    pub expected: String,
}

fn trim_part(s: &str) -> &str {
    s.trim_start_matches('\n').trim_end()
}

/// Rebuild the expected file from Continue's line diff. Kept lines are taken from the
/// original (the diff's own copy is sometimes re-indented); an added line's text is the
/// one the snippet holds, since some files write `+line` and others `+ line`.
pub fn expected_from_diff(original: &str, snippet: &str, diff: &str) -> Result<String, String> {
    let orig: Vec<&str> = original.split('\n').collect();
    let snip: Vec<&str> = snippet.split('\n').collect();
    let mut o = 0usize;
    let mut out: Vec<String> = Vec::new();
    for (i, line) in diff.split('\n').enumerate() {
        if let Some(rest) = line.strip_prefix('+') {
            let spaced = rest.strip_prefix(' ').unwrap_or(rest);
            let text = if snip.contains(&spaced) {
                spaced
            } else if snip.contains(&rest) {
                rest
            } else if let Some(s) = snip.iter().find(|s| s.trim_end() == spaced.trim_end()) {
                s
            } else {
                spaced
            };
            out.push(if text.trim().is_empty() {
                String::new()
            } else {
                text.to_string()
            });
        } else if line == "-" || line.starts_with("- ") {
            let gone = line[1..].trim();
            match orig.get(o) {
                Some(l) if l.trim() == gone => o += 1,
                _ => {
                    return Err(format!(
                        "diff line {}: removed line is not next in the original",
                        i + 1
                    ))
                }
            }
        } else {
            match orig.get(o) {
                Some(l) if l.trim() == line.trim() => {
                    out.push(l.to_string());
                    o += 1;
                }
                _ if line.trim().is_empty() => out.push(String::new()),
                _ => {
                    return Err(format!(
                        "diff line {}: kept line is not next in the original",
                        i + 1
                    ))
                }
            }
        }
    }
    if o != orig.len() {
        return Err(format!(
            "the diff ends with {} original lines unread",
            orig.len() - o
        ));
    }
    Ok(out.join("\n"))
}

/// Continue's examples, or None when the shared data is absent outside CI.
pub fn continue_cases() -> Option<Vec<ContinueCase>> {
    let dir = shared_dir("lazy-edits/continue")?;
    let mut cases = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "diff"))
        .collect();
    entries.sort();
    for path in entries {
        let text = fs::read_to_string(&path).expect("read case");
        let parts: Vec<&str> = text.split("\n---\n").collect();
        assert!(parts.len() >= 3, "{}: expected three parts", path.display());
        let original = trim_part(parts[0]).to_string();
        let snippet = trim_part(parts[1]).to_string();
        let expected = expected_from_diff(&original, &snippet, trim_part(parts[2]))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| n.trim_end_matches(".diff").to_string())
            .unwrap_or_default();
        cases.push(ContinueCase {
            name,
            original,
            snippet,
            expected,
        });
    }
    Some(cases)
}

/// All files under `dir`, by path relative to it.
pub fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(rd) = fs::read_dir(dir) else {
            return;
        };
        for e in rd {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read_to_string(&p).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Directory names under `dir`, sorted.
pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// One of this project's fixture cases.
pub struct Fixture {
    pub name: String,
    pub original: String,
    pub edit: String,
    pub format: Option<String>,
    pub expected: Option<String>,
    pub refusal: Option<String>,
}

pub fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for dir in subdirs(&fixtures_dir()) {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let mut original = None;
        let mut expected = None;
        for e in fs::read_dir(&dir).expect("read fixture dir") {
            let p = e.expect("dir entry").path();
            let file = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if file.starts_with("original.") {
                original = Some(fs::read_to_string(&p).expect("read original"));
            } else if file.starts_with("expected.") {
                expected = Some(fs::read_to_string(&p).expect("read expected"));
            }
        }
        let read = |f: &str| fs::read_to_string(dir.join(f)).ok();
        out.push(Fixture {
            original: original.unwrap_or_else(|| panic!("{name}: no original.<ext>")),
            edit: read("edit.txt").unwrap_or_else(|| panic!("{name}: no edit.txt")),
            format: read("format.txt").map(|s| s.trim().to_string()),
            refusal: read("refusal.txt").map(|s| s.lines().next().unwrap_or("").trim().to_string()),
            expected,
            name,
        });
    }
    out
}

pub mod quality;
pub mod render;

/// One real edit of `real-edits/`: the file before and after a real commit.
pub struct RealEdit {
    pub folder: String,
    pub language: String,
    pub before: String,
    pub after: String,
}

/// The real-edit corpus, or None (with one line on stderr) when the shared data is
/// absent outside CI. Under `CI=true` missing data is a failure.
pub fn real_edits() -> Option<Vec<RealEdit>> {
    let root = testdata_dir().join("real-edits");
    let manifest = root.join("manifest.jsonl");
    let Ok(text) = fs::read_to_string(&manifest) else {
        assert!(
            !super::in_ci(),
            "CI=true but {} is missing: set CODINGIT_TESTDATA",
            manifest.display()
        );
        eprintln!(
            "skipped: real-edit corpus not found at {} (set CODINGIT_TESTDATA to the shared testdata)",
            root.display()
        );
        return None;
    };
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("manifest line is JSON");
        let folder = v["folder"].as_str().expect("folder").to_string();
        let language = v["language"].as_str().expect("language").to_string();
        let dir = root.join(&folder);
        let mut before = None;
        let mut after = None;
        for e in fs::read_dir(&dir).expect("read case dir") {
            let p = e.expect("dir entry").path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name.starts_with("before.") {
                before = Some(fs::read_to_string(&p).expect("read before"));
            } else if name.starts_with("after.") {
                after = Some(fs::read_to_string(&p).expect("read after"));
            }
        }
        out.push(RealEdit {
            before: before.unwrap_or_else(|| panic!("{folder}: no before.<ext>")),
            after: after.unwrap_or_else(|| panic!("{folder}: no after.<ext>")),
            folder,
            language,
        });
    }
    Some(out)
}
