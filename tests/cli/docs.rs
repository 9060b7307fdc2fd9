//! The documentation holds what the code does: the configuration example loads as
//! pasted, every event type the code emits is documented, and every exit code has a
//! row in docs/exit-codes.md.

use crate::support::TestEnv;

/// The config example in docs/configuration.md can be pasted as it is.
#[test]
fn the_documented_config_example_loads_as_pasted() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/configuration.md"
    ))
    .unwrap();
    let block = doc
        .split("## config.toml")
        .nth(1)
        .and_then(|rest| rest.split("```toml\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("a toml block under ## config.toml");
    let env = TestEnv::new();
    env.write_config("config.toml", block);
    let output = env
        .cmd()
        .args(["models", "providers", "--json"])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every `--events` type the code emits by name is documented in docs/json-formats.md
/// (the documented list cannot silently fall behind the code).
#[test]
fn every_emitted_event_type_is_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/json-formats.md")).unwrap();
    let mut stack = vec![root.join("src")];
    let mut names = std::collections::BTreeSet::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("event(").skip(1) {
                let rest = piece.trim_start();
                let Some(quoted) = rest.strip_prefix('"') else {
                    continue;
                };
                let name: String = quoted
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '.' || *c == '_')
                    .collect();
                if !name.is_empty() && quoted[name.len()..].starts_with('"') {
                    names.insert(name);
                }
            }
        }
    }
    assert!(names.len() >= 10, "found only {names:?}");
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(missing.is_empty(), "undocumented event types: {missing:?}");
}

/// Every exit code the binary defines has a row in docs/exit-codes.md.
#[test]
fn every_exit_code_is_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/exit-codes.md")).unwrap();
    let code = std::fs::read_to_string(root.join("src/cli/exit.rs")).unwrap();
    let enum_body = code
        .split("pub enum Exit {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("the Exit enum");
    let numbers: Vec<&str> = enum_body
        .lines()
        .filter_map(|l| l.trim().trim_end_matches(',').split_once(" = "))
        .map(|(_, n)| n.trim())
        .collect();
    assert!(numbers.len() >= 12, "{numbers:?}");
    for n in numbers {
        assert!(
            doc.contains(&format!("| {n} |")),
            "exit code {n} has no row in docs/exit-codes.md"
        );
    }
}
