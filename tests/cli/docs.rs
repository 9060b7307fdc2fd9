//! The documentation holds what the code does: the configuration example loads as
//! pasted, every exit code has a row in docs/exit-codes.md, and the cli keeps the
//! layering docs/architecture.md draws.

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

// The `--events` types are pinned to docs/json-formats.md by the unit tests of
// `codingit::events` (every documented type is a variant and the other way round).

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

/// The modules of `src/cli/` that commands share; everything else there is one command.
const SHARED: [&str; 11] = [
    "args",
    "exit",
    "input",
    "interrupt",
    "output",
    "safe_text",
    "journal",
    "generate",
    "check",
    "sandbox_view",
    "turns",
];

/// The cli's layering (docs/architecture.md): a command imports nothing from another
/// command, only the shared helpers; the helpers import no command. The rules
/// themselves live in the library, which never imports `cli`.
#[test]
fn commands_import_only_shared_helpers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let cli = root.join("src/cli");
    let mut stack = vec![cli.clone()];
    let mut crossings = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&cli)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let own = rel.split('/').next().unwrap().trim_end_matches(".rs");
            if own == "mod" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // `super::` reaches the cli root from a top-level file, `super::super::`
            // from a file one folder down.
            let up = match rel.matches('/').count() {
                0 => "super::",
                1 => "super::super::",
                _ => "super::super::super::",
            };
            for prefix in ["crate::cli::", up] {
                for piece in text.split(prefix).skip(1) {
                    let name: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if prefix == "super::" && rel.contains('/') {
                        continue;
                    }
                    let shared = SHARED.contains(&name.as_str()) || name == "runtime";
                    if !name.is_empty() && name != own && !shared {
                        crossings.push(format!("{rel} -> {name}"));
                    }
                }
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "cli modules reaching into other commands: {crossings:?}"
    );
    let lib = root.join("src");
    for entry in std::fs::read_dir(&lib).unwrap().flatten() {
        let path = entry.path();
        if path
            .file_name()
            .is_some_and(|n| n == "cli" || n == "main.rs")
        {
            continue;
        }
        let mut stack = vec![path];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                assert!(!text.contains("crate::cli"), "{} imports cli", p.display());
            }
        }
    }
}
