//! Measuring the engine on rendered real edits: per habit, how many merges agree with
//! the real "after" file, how many are refused, how many differ (a silent wrong merge),
//! and the merge time.

use super::render::{render, HABITS};
use super::RealEdit;
use codingit::apply::{apply_edit, unified_diff, EditFormat};
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Tally {
    pub agree: usize,
    pub refused: usize,
    pub wrong: usize,
    pub times: Vec<Duration>,
    /// (case folder, refusal code or diff) for the report.
    pub refusals: Vec<(String, String)>,
    pub wrongs: Vec<(String, String)>,
}

impl Tally {
    pub fn total(&self) -> usize {
        self.agree + self.refused + self.wrong
    }

    fn add(&mut self, other: &Tally) {
        self.agree += other.agree;
        self.refused += other.refused;
        self.wrong += other.wrong;
        self.times.extend(other.times.iter().copied());
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut t = self.times.clone();
        t.sort_unstable();
        if t.is_empty() {
            return Duration::ZERO;
        }
        let i = ((t.len() as f64 - 1.0) * p).round() as usize;
        t[i.min(t.len() - 1)]
    }
}

/// Whether a merge is the real "after" file. A re-indented snippet cannot say how far
/// a whitespace-only line was indented (the renderer writes it empty), so for that
/// habit such lines compare by being blank; every other byte must be the same.
fn same_merge(habit: &str, got: &str, after: &str) -> bool {
    if got == after {
        return true;
    }
    let blank_folded = |s: &str| -> Vec<String> {
        s.split('\n')
            .map(|l| {
                if l.trim().is_empty() {
                    String::new()
                } else {
                    l.to_string()
                }
            })
            .collect()
    };
    habit == "h6_reindented" && blank_folded(got) == blank_folded(after)
}

/// With EDIT_QUALITY_DUMP=DIR, each rendered case is written to DIR/HABIT/CASE/ as
/// `before`, `after` and `snippet`, to replay one with `codingit edit --snippet`.
fn dump(habit: &str, case: &RealEdit, snippet: &str) {
    let Some(root) = std::env::var_os("EDIT_QUALITY_DUMP") else {
        return;
    };
    let dir = std::path::Path::new(&root)
        .join(habit)
        .join(case.folder.replace('/', "__"));
    std::fs::create_dir_all(&dir).expect("create dump dir");
    for (name, text) in [
        ("before", case.before.as_str()),
        ("after", case.after.as_str()),
        ("snippet", snippet),
    ] {
        std::fs::write(dir.join(name), text).expect("write dump");
    }
}

/// Apply every rendered snippet; one tally per habit, then the overall one.
pub fn evaluate(cases: &[RealEdit]) -> Vec<(String, Tally)> {
    let mut rows: Vec<(String, Tally)> = Vec::new();
    for habit in HABITS {
        let mut t = Tally::default();
        for case in cases {
            let Some(snippet) = render(habit, &case.language, &case.before, &case.after) else {
                continue;
            };
            dump(habit, case, &snippet);
            let start = Instant::now();
            let got = apply_edit(&case.before, &snippet, EditFormat::Lazy);
            t.times.push(start.elapsed());
            match got {
                Ok(a) if same_merge(habit, &a.content, &case.after) => t.agree += 1,
                Ok(a) => {
                    t.wrong += 1;
                    let diff = unified_diff(&case.after, &a.content, "expected", "got");
                    t.wrongs
                        .push((case.folder.clone(), format!("snippet:\n{snippet}\n{diff}")));
                }
                Err(r) => {
                    t.refused += 1;
                    t.refusals.push((
                        case.folder.clone(),
                        format!("{}: {}\n{}", r.code, r.message, r.chunk.unwrap_or_default()),
                    ));
                }
            }
        }
        rows.push((habit.to_string(), t));
    }
    let mut all = Tally::default();
    for (_, t) in &rows {
        all.add(t);
    }
    rows.push(("overall".to_string(), all));
    rows
}

fn pct(part: usize, total: usize) -> String {
    if total == 0 {
        return "-".to_string();
    }
    format!("{:.1}%", 100.0 * part as f64 / total as f64)
}

/// A Markdown table of the tallies.
pub fn table(rows: &[(String, Tally)]) -> String {
    let mut s = String::from(
        "| habit | snippets | agree | refused | wrong | median ms | p95 ms |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for (name, t) in rows {
        let n = t.total();
        s.push_str(&format!(
            "| {name} | {n} | {} | {} | {} | {:.3} | {:.3} |\n",
            pct(t.agree, n),
            pct(t.refused, n),
            t.wrong,
            t.percentile(0.5).as_secs_f64() * 1e3,
            t.percentile(0.95).as_secs_f64() * 1e3,
        ));
    }
    s
}
