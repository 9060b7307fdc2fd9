//! Property tests of the edit engine: arbitrary text never panics, and a lazy snippet
//! built from the real diff of a random change reproduces it.
use codingit::apply::{apply_edit, apply_patch, EditFormat};
use proptest::prelude::*;
use proptest::sample::select;
use similar::{ChangeTag, TextDiff};

const VOCAB: &[&str] = &[
    "fn a() {",
    "}",
    "",
    "    x = 1",
    "  return y;",
    "// ... existing code ...",
    "# ...",
    "{/* ... existing code ... */}",
    "<!-- ... -->",
    "-- ... rest of code ...",
    "...",
    "<<<<<<< SEARCH",
    "=======",
    ">>>>>>> REPLACE",
    "@@ -1,2 +1,2 @@",
    "@@ ... @@",
    "@@",
    "--- a/x",
    "+++ b/x",
    "+added",
    "-removed",
    " context",
    "-    x = 1",
    "+    x = 2",
    "*** Begin Patch",
    "*** Update File: x",
    "*** Add File: y",
    "*** Delete File: x",
    "*** Move to: z",
    "*** End of File",
    "*** End Patch",
    "\\ No newline at end of file",
    r#"[{"old_string": "x = 1", "new_string": "x = 2", "replace_all": true}]"#,
    r#"{"old_string": "", "new_string": "z"}"#,
    "```",
    "```rust",
    "\t\tz()",
    "…",
    "“quoted” – text",
    "\u{feff}fn b() {",
    "é",
    "    end",
    "</div>",
    "def f(x):",
    "class A:",
    "        pass",
    "\r",
];

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(VOCAB).prop_map(str::to_string),
        2 => "[ a-z{}();=.#/*+-]{0,16}",
        1 => any::<String>(),
    ]
}

fn text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..24),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, final_nl)| {
            let mut s = lines.join(if crlf { "\r\n" } else { "\n" });
            if final_nl {
                s.push('\n');
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    /// Whatever comes in, every format returns a result or a refusal.
    #[test]
    fn never_panics(original in text(), edit in text()) {
        for f in EditFormat::ALL {
            let _ = apply_edit(&original, &edit, f);
        }
        let _ = apply_patch(&edit, &|_| Some(original.clone()));
    }

    /// An edit made of the file's own lines with some removed or added.
    #[test]
    fn never_panics_on_near_miss(original in text(), picks in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4), 0..12)) {
        let lines: Vec<&str> = original.lines().collect();
        let mut edit = String::new();
        for (idx, kind) in picks {
            if lines.is_empty() { break; }
            let l = lines[idx.index(lines.len())];
            match kind {
                0 => edit.push_str(l),
                1 => { edit.push('-'); edit.push_str(l); }
                2 => { edit.push(' '); edit.push_str(l); }
                _ => edit.push_str("// ... existing code ..."),
            }
            edit.push('\n');
        }
        for f in EditFormat::ALL {
            let _ = apply_edit(&original, &edit, f);
        }
    }
}

#[derive(Debug, Clone)]
enum Change {
    Modify(usize),
    Insert(usize, usize),
    Delete(usize, usize),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0usize..1000).prop_map(Change::Modify),
        (0usize..1000, 1usize..4).prop_map(|(p, k)| Change::Insert(p, k)),
        (0usize..1000, 1usize..3).prop_map(|(p, k)| Change::Delete(p, k)),
    ]
}

/// The lazy snippet a model would write for `old` -> `new`: changed hunks with
/// `context` lines around them, `// ... existing code ...` between and at open ends.
fn lazy_snippet(old: &[String], new: &[String], context: usize) -> Option<String> {
    let old_refs: Vec<&str> = old.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new.iter().map(String::as_str).collect();
    let diff = TextDiff::from_slices(&old_refs, &new_refs);
    let groups = diff.grouped_ops(context);
    if groups.is_empty() {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for (gi, group) in groups.iter().enumerate() {
        let first = group.first().map_or(0, |op| op.old_range().start);
        if gi > 0 || first > 0 {
            out.push("// ... existing code ...".to_string());
        }
        for op in group {
            for ch in diff.iter_changes(op) {
                if ch.tag() != ChangeTag::Delete {
                    out.push(ch.value().to_string());
                }
            }
        }
    }
    let last = groups
        .last()
        .and_then(|g| g.last())
        .map_or(0, |op| op.old_range().end);
    if last < old.len() {
        out.push("// ... existing code ...".to_string());
    }
    Some(out.join("\n") + "\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// A snippet built from the real diff of a random change reproduces the change.
    #[test]
    fn lazy_snippet_reproduces_the_change(
        n in 6usize..80,
        indents in prop::collection::vec(0usize..3, 80),
        changes in prop::collection::vec(change(), 1..5),
        context in 1usize..4,
    ) {
        let old: Vec<String> = (0..n)
            .map(|i| format!("{}let v{i} = f{}({i});", "    ".repeat(indents[i]), i * 7 % 13))
            .collect();
        let mut new = old.clone();
        let mut fresh = 0usize;
        let mut deleted = 0usize;
        for c in &changes {
            // Lines 0 and n-1 stay: a snippet edge without a marker keeps what lies beyond.
            let len = new.len();
            if len < 3 { break; }
            match *c {
                Change::Modify(p) => {
                    let i = 1 + p % (len - 2);
                    fresh += 1;
                    new[i] = format!("{} + m{fresh}", new[i].trim_end_matches(';')) + ";";
                }
                Change::Insert(p, k) => {
                    let i = 1 + p % (len - 1);
                    for j in 0..k {
                        fresh += 1;
                        new.insert(i + j, format!("    let n{fresh} = g({fresh});"));
                    }
                }
                Change::Delete(p, k) => {
                    let i = 1 + p % (len - 2);
                    let k = k.min(len - 1 - i);
                    if (deleted + k) * 4 > n { continue; }
                    deleted += k;
                    new.drain(i..i + k);
                }
            }
        }
        let original = old.join("\n") + "\n";
        let expected = new.join("\n") + "\n";
        if let Some(snippet) = lazy_snippet(&old, &new, context) {
            let got = apply_edit(&original, &snippet, EditFormat::Lazy);
            match got {
                Ok(a) => prop_assert_eq!(a.content, expected, "snippet:\n{}", snippet),
                Err(r) => prop_assert!(false, "refused: {}\nsnippet:\n{}", r, snippet),
            }
        }
    }
}
