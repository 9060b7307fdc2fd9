//! Merge time of the edit engine on 1,000- and 10,000-line files: a lazy snippet
//! touching two functions, and a search/replace edit. Target: under 1 ms median at
//! 1,000 lines. Run with `cargo bench --bench apply`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::result_large_err)]

use codingit::apply::{apply_edit, EditFormat};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;

/// A Rust-like file of `lines` lines made of small similar functions (so that generic
/// lines such as `}` and repeated statements are everywhere, as in real code).
fn source(lines: usize) -> String {
    let mut s = String::from("use crate::http::{Request, Response};\n\n");
    let mut i = 0;
    while s.lines().count() + 8 <= lines {
        s.push_str(&format!(
            "fn handler_{i}(req: &Request) -> Response {{\n    let value = req.param(\"key_{i}\");\n    if value.is_empty() {{\n        return Response::error({i});\n    }}\n    Response::ok(value)\n}}\n\n"
        ));
        i += 1;
    }
    while s.lines().count() < lines {
        s.push_str("// end\n");
    }
    s
}

fn lazy_edit(a: usize, b: usize) -> String {
    format!(
        "// ... existing code ...\n\nfn handler_{a}(req: &Request) -> Response {{\n    let value = req.param(\"key_{a}\");\n    if value.is_empty() {{\n        return Response::error({a} + 1);\n    }}\n    Response::ok(value.trim())\n}}\n\n// ... existing code ...\n\nfn handler_{b}(req: &Request) -> Response {{\n    let value = req.param(\"key_{b}\");\n    tracing::debug!(\"handler {b}\");\n    if value.is_empty() {{\n        return Response::error({b});\n    }}\n    Response::ok(value)\n}}\n\n// ... existing code ...\n"
    )
}

fn search_replace_edit(a: usize) -> String {
    let old = format!("        return Response::error({a});\n");
    let new = format!("        return Response::error({a} + 1000);\n");
    serde_json::json!([{ "old_string": old, "new_string": new }]).to_string()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("apply");
    group
        .sample_size(60)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    for lines in [1_000usize, 10_000] {
        let original = source(lines);
        let functions = (lines - 2) / 8;
        let (a, b) = (functions / 3, functions * 2 / 3);
        let lazy = lazy_edit(a, b);
        let sr = search_replace_edit(b);
        // Check once that the benchmarked work is a real merge.
        let merged = apply_edit(&original, &lazy, EditFormat::Auto).expect("lazy edit applies");
        assert!(merged
            .content
            .contains(&format!("tracing::debug!(\"handler {b}\");")));
        assert_eq!(merged.content.lines().count(), lines + 1);
        apply_edit(&original, &sr, EditFormat::Auto).expect("search/replace applies");

        group.bench_with_input(BenchmarkId::new("lazy", lines), &lines, |bch, _| {
            bch.iter(|| apply_edit(black_box(&original), black_box(&lazy), EditFormat::Auto))
        });
        group.bench_with_input(
            BenchmarkId::new("search_replace", lines),
            &lines,
            |bch, _| {
                bch.iter(|| apply_edit(black_box(&original), black_box(&sr), EditFormat::Auto))
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
