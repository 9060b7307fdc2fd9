//! Library-level tests of the edit engine (`codingit::apply`): the shared Continue and
//! `*** Begin Patch` test data, this project's fixture folders, properties, and a few
//! direct API checks.

use crate::support::apply::{continue_cases, fixtures, read_tree, shared_dir, subdirs};
use codingit::apply::{
    apply_edit, apply_patch, unified_diff, ChangeKind, EditFormat, MatchLevel, Refusal, RefusalCode,
};
use pretty_assertions::assert_eq;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Continue examples the engine refuses on purpose, with the reason.
///
/// - `calculator-exp.js`: the new `exp` method sits between two `// ... same ...`
///   markers with no line of the file around it (only `return this;`, which the class
///   has five times), so it could go anywhere in the class; Continue's expected output
///   puts it last, which the snippet does not say.
/// - `gui.js`: likewise `const [hello, setHello] = useState(false);` stands alone
///   between two `// ... existing code ...` markers inside `GUI()`.
const CONTINUE_REFUSED: [(&str, RefusalCode); 2] = [
    ("calculator-exp.js", RefusalCode::AmbiguousAnchor),
    ("gui.js", RefusalCode::NoAnchor),
];

#[test]
fn continue_lazy_examples() {
    let Some(cases) = continue_cases() else {
        return;
    };
    assert!(
        cases.len() >= 14,
        "found only {} Continue cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let got = apply_edit(&case.original, &case.snippet, EditFormat::Auto);
        let refused = CONTINUE_REFUSED.iter().find(|(n, _)| *n == case.name);
        match (refused, got) {
            (Some((_, code)), Err(r)) if r.code == *code => {}
            (Some((_, code)), other) => failures.push(format!(
                "{}: expected refusal {code}, got {:?}",
                case.name,
                other.map(|a| a.content)
            )),
            (None, Ok(a)) if a.content == case.expected => {
                assert_eq!(a.format, EditFormat::Lazy, "{}", case.name);
            }
            (None, Ok(a)) => failures.push(format!(
                "{}: wrong result\n{}",
                case.name,
                unified_diff(&case.expected, &a.content, "expected", "got")
            )),
            (None, Err(r)) => failures.push(format!("{}: refused: {r}", case.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Named `NNN_rejects_*` or `*_fails`, scenario 015 (all-or-nothing here), or a
/// scenario whose expected tree is its input (009: updating a missing file).
fn is_refusal_scenario(
    name: &str,
    input: &BTreeMap<String, String>,
    expected: &BTreeMap<String, String>,
) -> bool {
    let after_number = name.split_once('_').map_or(name, |(_, rest)| rest);
    after_number.starts_with("rejects_")
        || name.ends_with("_fails")
        || name.starts_with("015_")
        || input == expected
}

#[test]
fn begin_patch_scenarios() {
    let Some(root) = shared_dir("apply-patch") else {
        return;
    };
    let dirs = subdirs(&root);
    assert!(dirs.len() >= 22, "found only {} scenarios", dirs.len());
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let input = read_tree(&dir.join("input"));
        let expected = read_tree(&dir.join("expected"));
        let patch = std::fs::read_to_string(dir.join("patch.txt")).expect("patch.txt");
        let result = apply_patch(&patch, &|p| input.get(p).cloned());
        if is_refusal_scenario(&name, &input, &expected) {
            match result {
                Err(r) => assert!(!r.message.is_empty(), "{name}: empty message"),
                Ok(c) => failures.push(format!("{name}: expected a refusal, got {c:?}")),
            }
            continue;
        }
        let changes = match result {
            Ok(c) => c,
            Err(r) => {
                failures.push(format!("{name}: refused: {r}"));
                continue;
            }
        };
        let mut tree: BTreeMap<String, String> = input.clone();
        for c in changes {
            match c.kind {
                ChangeKind::Delete => {
                    tree.remove(&c.path);
                }
                ChangeKind::Add | ChangeKind::Update => {
                    let content = c.new.clone().expect("new content");
                    match &c.move_to {
                        Some(dest) => {
                            tree.remove(&c.path);
                            tree.insert(dest.clone(), content);
                        }
                        None => {
                            tree.insert(c.path.clone(), content);
                        }
                    }
                }
            }
        }
        if tree != expected {
            failures.push(format!("{name}: got {tree:?}\nwant {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn fixture_cases() {
    let all = fixtures();
    assert!(all.len() >= 40, "found only {} fixture cases", all.len());
    let refusals = all.iter().filter(|f| f.refusal.is_some()).count();
    assert!(refusals >= 10, "only {refusals} refusal fixtures");
    let mut failures = Vec::new();
    for f in &all {
        let format = f
            .format
            .as_deref()
            .map(|s| EditFormat::from_str(s).expect("format.txt names a format"))
            .unwrap_or(EditFormat::Auto);
        let got = apply_edit(&f.original, &f.edit, format);
        match (&f.expected, &f.refusal, got) {
            (Some(want), None, Ok(a)) if &a.content == want => {}
            (Some(want), None, Ok(a)) => failures.push(format!(
                "{}: wrong result\n{}",
                f.name,
                unified_diff(want, &a.content, "expected", "got")
            )),
            (Some(_), None, Err(r)) => failures.push(format!("{}: refused: {r}", f.name)),
            (None, Some(code), Err(r)) if r.code.as_str() == code => {
                assert!(!r.to_model_feedback().is_empty());
            }
            (None, Some(code), Err(r)) => {
                failures.push(format!("{}: expected refusal {code}, got {r}", f.name))
            }
            (None, Some(code), Ok(a)) => failures.push(format!(
                "{}: expected refusal {code}, got:\n{}",
                f.name, a.content
            )),
            _ => failures.push(format!(
                "{}: needs exactly one of expected.<ext> and refusal.txt",
                f.name
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn refusal_serializes_and_renders_feedback() {
    let original = "fn a() {\n    x();\n}\n\nfn b() {\n    x();\n}\n";
    let edit = r#"[{"old_string": "    x();\n", "new_string": "    y();\n"}]"#;
    let r: Refusal = apply_edit(original, edit, EditFormat::Auto).expect_err("ambiguous");
    assert_eq!(r.code, RefusalCode::NotUnique);
    assert_eq!(r.candidates, vec![2, 6]);
    let json = serde_json::to_value(&r).expect("serialize");
    assert_eq!(json["code"], "not_unique");
    let feedback = r.to_model_feedback();
    assert!(feedback.contains("[2, 6]"), "{feedback}");
    assert!(feedback.contains("Nothing was changed."));
}

#[test]
fn formats_parse_and_display() {
    for f in EditFormat::ALL {
        assert_eq!(EditFormat::from_str(f.as_str()), Ok(f));
        assert_eq!(f.to_string(), f.as_str());
    }
    assert_eq!(
        EditFormat::from_str("search-replace"),
        Ok(EditFormat::SearchReplace)
    );
    assert!(EditFormat::from_str("nope").is_err());
    assert_eq!(
        serde_json::to_string(&MatchLevel::IndentShifted).expect("json"),
        "\"indent_shifted\""
    );
    for c in RefusalCode::ALL {
        assert_eq!(
            serde_json::to_string(&c).expect("json"),
            format!("\"{}\"", c.as_str())
        );
    }
}

#[test]
fn patch_changes_carry_old_new_and_move() {
    let patch = "*** Begin Patch\n*** Update File: a.txt\n*** Move to: b/a.txt\n@@\n-one\n+uno\n*** Delete File: gone.txt\n*** End Patch\n";
    let files: BTreeMap<&str, &str> = [("a.txt", "one\ntwo\n"), ("gone.txt", "bye\n")].into();
    let changes = apply_patch(patch, &|p| files.get(p).map(|s| s.to_string())).expect("applies");
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].kind, ChangeKind::Update);
    assert_eq!(changes[0].move_to.as_deref(), Some("b/a.txt"));
    assert_eq!(changes[0].old.as_deref(), Some("one\ntwo\n"));
    assert_eq!(changes[0].new.as_deref(), Some("uno\ntwo\n"));
    assert_eq!(changes[1].kind, ChangeKind::Delete);
    assert_eq!(changes[1].new, None);
    // A later failure refuses the whole patch, including the update before it.
    let bad = patch.replace("*** Delete File: gone.txt", "*** Delete File: missing.txt");
    let r = apply_patch(&bad, &|p| files.get(p).map(|s| s.to_string())).expect_err("missing file");
    assert_eq!(r.code, RefusalCode::NotFound);
    assert_eq!(r.file.as_deref(), Some("missing.txt"));
}

#[test]
fn single_file_patch_through_apply_edit() {
    let patch = "*** Begin Patch\n*** Update File: x.py\n@@ def f():\n-    return 1\n+    return 2\n*** End Patch\n";
    let a = apply_edit("def f():\n    return 1\n", patch, EditFormat::Auto).expect("applies");
    assert_eq!(a.format, EditFormat::Patch);
    assert_eq!(a.content, "def f():\n    return 2\n");
}

#[test]
fn unified_diff_renders_headers_and_hunks() {
    let d = unified_diff("a\nb\nc\n", "a\nB\nc\n", "a/f.txt", "b/f.txt");
    assert_eq!(
        d,
        "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
    );
}

#[test]
fn lazy_reports_implicit_edges_and_levels() {
    let original = "fn a() {\n    1\n}\n\nfn b() {\n    2\n}\n";
    let a = apply_edit(original, "fn b() {\n    3\n}\n", EditFormat::Lazy).expect("applies");
    assert_eq!(a.content, "fn a() {\n    1\n}\n\nfn b() {\n    3\n}\n");
    assert_eq!(a.levels, vec![MatchLevel::Exact]);
    assert!(
        a.warnings.iter().any(|w| w.contains("kept lines 1-4")),
        "{:?}",
        a.warnings
    );
    let json = serde_json::to_value(&a).expect("serialize");
    assert_eq!(json["format"], "lazy");
    assert!(json.get("content").is_none());
}

#[test]
fn search_replace_skips_an_edit_already_applied() {
    let original = "a = 1\nb = 2\n";
    let edits = r#"[{"old_string": "a = 0", "new_string": "a = 1"},
                    {"old_string": "b = 2", "new_string": "b = 3"}]"#;
    let a = apply_edit(original, edits, EditFormat::SearchReplace).expect("applies");
    assert_eq!(a.content, "a = 1\nb = 3\n");
    assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
}

/// The real-edit corpus rendered in every habit of issue 16, merged and compared with
/// the real "after" file: a refusal is allowed, a different merge is a wrong merge.
/// Prints the per-habit table; skips with one line without the shared data (not in CI).
#[test]
fn real_edit_corpus() {
    let Some(cases) = crate::support::apply::real_edits() else {
        return;
    };
    assert!(cases.len() >= 200, "found only {} real edits", cases.len());
    let rows = crate::support::apply::quality::evaluate(&cases);
    eprintln!("{}", crate::support::apply::quality::table(&rows));
    let mut failures = Vec::new();
    for (habit, t) in &rows {
        if std::env::var_os("EDIT_QUALITY_REFUSALS").is_some() {
            for (folder, why) in &t.refusals {
                eprintln!("refused {habit} {folder}: {why}");
            }
        }
        for (folder, diff) in &t.wrongs {
            if std::env::var_os("EDIT_QUALITY_WRONGS").is_some() {
                eprintln!("wrong {habit} {folder}:\n{diff}");
            }
            failures.push(format!("{habit} {folder}: wrong merge\n{diff}"));
        }
    }
    // No wrong merge, ever; the goal is also 90% agree (issue 16). Until the engine gets
    // there, MIN_AGREE only keeps it from getting worse: raise it as it improves
    // (scripts/edit-quality prints the table).
    const MIN_AGREE: f64 = 0.82;
    let overall = &rows[rows.len() - 1].1;
    let agree = overall.agree as f64 / overall.total().max(1) as f64;
    assert!(
        overall.wrong == 0,
        "{} wrong merges:\n{}",
        overall.wrong,
        failures.join("\n\n")
    );
    assert!(
        agree >= MIN_AGREE,
        "agree rate {agree:.3} is under {MIN_AGREE}"
    );
}
