//! Renders a real before/after change as the lazy snippets models write for it, one per
//! habit of issue 16, so the engine can be measured on real code: the expected merge is
//! always the real "after" file. Habits: chunks out of file order, changed lines inside
//! context with no marker, boundary lines repeated at a chunk's edge, `-`/`+` lines
//! inside a lazy snippet, a new-code chunk pinned only by its neighbours, and loose
//! framing (no edge markers, free marker phrasing, re-indentation, trailing spaces).

use similar::{ChangeTag, DiffOp, TextDiff};

/// The habits rendered, in report order.
pub const HABITS: [&str; 8] = [
    "h1_out_of_order",
    "h2_changed_line",
    "h3_boundary_repeat",
    "h4_mixed_notation",
    "h5_new_code_pinned",
    "h6_no_edge_markers",
    "h6_reindented",
    "h6_trailing_space",
];

/// One chunk: its snippet lines, and the file lines (of "before") it covers.
struct Chunk {
    lines: Vec<String>,
    old: (usize, usize),
}

/// The comment syntax a marker takes at line `at` of the file, by language (Vue by
/// the section the line stands in).
fn marker(language: &str, before: &[&str], at: usize, words: &str) -> String {
    let section = before[..at.min(before.len())]
        .iter()
        .rev()
        .find(|l| l.starts_with("<template") || l.starts_with("<script") || l.starts_with("<style"))
        .map(|l| l.to_string());
    match language {
        "python" | "ruby" => format!("# ... {words} ..."),
        "lua" => format!("-- ... {words} ..."),
        "vue" => match section.as_deref() {
            Some(s) if s.starts_with("<template") => format!("<!-- ... {words} ... -->"),
            Some(s) if s.starts_with("<style") => format!("/* ... {words} ... */"),
            _ => format!("// ... {words} ..."),
        },
        _ => format!("// ... {words} ..."),
    }
}

fn is_edge_line(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t.chars().all(|c| "{}()[];,".contains(c)) || t == "end" || t.starts_with("</")
}

/// Chunks of the change with `context` lines around each group of changes.
/// `prefixed`: deleted lines are kept as `-line`, added ones as `+line`.
/// None when a chunk stays silent however it is widened (a deletion at the file's top,
/// which a snippet without a leading marker cannot say).
fn chunks(before: &[&str], after: &[&str], context: usize, prefixed: bool) -> Option<Vec<Chunk>> {
    let diff = TextDiff::from_slices(before, after);
    let mut out = Vec::new();
    for group in diff.grouped_ops(context) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old = (first.old_range().start, last.old_range().end);
        let mut lines = Vec::new();
        for op in &group {
            for ch in diff.iter_changes(op) {
                let text = ch.value().to_string();
                match (ch.tag(), prefixed) {
                    (ChangeTag::Equal, _) => lines.push(text),
                    (ChangeTag::Insert, false) => lines.push(text),
                    (ChangeTag::Insert, true) => lines.push(format!("+{text}")),
                    (ChangeTag::Delete, true) => lines.push(format!("-{text}")),
                    (ChangeTag::Delete, false) => {}
                }
            }
        }
        out.push(Chunk { lines, old });
    }
    if !prefixed {
        unblank_edges(before, &mut out);
        if !widen_silent_chunks(before, &mut out) {
            return None;
        }
    }
    Some(out)
}

/// A chunk's blank first or last lines are framing to every reader, so a deletion
/// whose only context on that side is a blank line cannot be read from the snippet. As
/// a model would, show the file line past the blank (a `}`, the line above).
fn unblank_edges(before: &[&str], chunks: &mut [Chunk]) {
    for k in 0..chunks.len() {
        let lo = if k == 0 { 0 } else { chunks[k - 1].old.1 };
        let hi = chunks.get(k + 1).map_or(before.len(), |c| c.old.0);
        let c = &mut chunks[k];
        while c.lines.first().is_some_and(|l| l.trim().is_empty()) && c.old.0 > lo {
            c.old.0 -= 1;
            c.lines.insert(0, before[c.old.0].to_string());
        }
        while c.lines.last().is_some_and(|l| l.trim().is_empty()) && c.old.1 < hi {
            c.lines.push(before[c.old.1].to_string());
            c.old.1 += 1;
        }
    }
}

/// Whether `lines` stand in a row somewhere in `before`: such a chunk shows no change
/// (a deletion whose context equals the deleted block's own edges, `};` and a blank).
fn shows_no_change(before: &[&str], lines: &[String]) -> bool {
    !lines.is_empty()
        && before
            .windows(lines.len())
            .any(|w| w.iter().zip(lines).all(|(a, b)| a == b))
}

/// A model deleting code next to lines that repeat the deleted block's edges shows more
/// context until the chunk says something; a chunk made only of file lines in a row is
/// never what one writes. Widen such chunks (pure deletions) by one file line at a time
/// on each side, within their neighbours, up to six lines. False when one stays silent.
fn widen_silent_chunks(before: &[&str], chunks: &mut [Chunk]) -> bool {
    for k in 0..chunks.len() {
        let lo = if k == 0 { 0 } else { chunks[k - 1].old.1 };
        let hi = chunks.get(k + 1).map_or(before.len(), |c| c.old.0);
        for _ in 0..6 {
            let c = &mut chunks[k];
            if !shows_no_change(before, &c.lines) {
                break;
            }
            if c.old.0 > lo {
                c.old.0 -= 1;
                c.lines.insert(0, before[c.old.0].to_string());
            }
            if c.old.1 < hi {
                c.lines.push(before[c.old.1].to_string());
                c.old.1 += 1;
            }
        }
    }
    !chunks.iter().any(|c| shows_no_change(before, &c.lines))
}

/// Join chunks with markers; `edges` puts markers before the first and after the last
/// chunk where file lines lie beyond them.
fn join(language: &str, before: &[&str], chunks: &[Chunk], edges: bool, words: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for (k, c) in chunks.iter().enumerate() {
        if k > 0 || (edges && c.old.0 > 0) {
            out.push(marker(language, before, c.old.0, words));
        }
        out.extend(c.lines.iter().cloned());
    }
    if let Some(last) = chunks.last() {
        if edges && last.old.1 < before.len() {
            out.push(marker(language, before, last.old.1, words));
        }
    }
    out.join("\n") + "\n"
}

/// Grow each chunk outwards (up to 3 lines) until its edge line is a boundary line
/// (blank, `}`, `end`, `</div>`), as models do when they close the block they show.
fn boundary_chunks(before: &[&str], after: &[&str]) -> Option<Vec<Chunk>> {
    let diff = TextDiff::from_slices(before, after);
    let mut out = Vec::new();
    let mut grew = false;
    for group in diff.grouped_ops(1) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (mut os, mut oe) = (first.old_range().start, last.old_range().end);
        let (mut ns, mut ne) = (first.new_range().start, last.new_range().end);
        for _ in 0..3 {
            if ne < after.len() && oe < before.len() && !is_edge_line(after[ne - 1]) {
                ne += 1;
                oe += 1;
                grew |= is_edge_line(after[ne - 1]);
            }
            if ns > 0 && os > 0 && !is_edge_line(after[ns]) {
                ns -= 1;
                os -= 1;
                grew |= is_edge_line(after[ns]);
            }
        }
        if out.last().is_some_and(|p: &Chunk| p.old.1 >= os) {
            return None;
        }
        out.push(Chunk {
            lines: after[ns..ne].iter().map(|s| s.to_string()).collect(),
            old: (os, oe),
        });
    }
    unblank_edges(before, &mut out);
    (grew && widen_silent_chunks(before, &mut out)).then_some(out)
}

/// A pure insertion shown alone between markers, its neighbours ending and starting
/// right where it goes. Only for changes made of one pure insertion.
fn pinned_chunks(before: &[&str], after: &[&str]) -> Option<Vec<Chunk>> {
    let diff = TextDiff::from_slices(before, after);
    let ops: Vec<DiffOp> = diff
        .ops()
        .iter()
        .copied()
        .filter(|o| !matches!(o, DiffOp::Equal { .. }))
        .collect();
    let [DiffOp::Insert {
        old_index,
        new_index,
        new_len,
    }] = ops.as_slice()
    else {
        return None;
    };
    let (at, ni, nl) = (*old_index, *new_index, *new_len);
    if at < 2 || at + 2 > before.len() {
        return None;
    }
    let own = |r: std::ops::Range<usize>, v: &[&str]| v[r].iter().map(|s| s.to_string()).collect();
    Some(vec![
        Chunk {
            lines: own(at - 2..at, before),
            old: (at - 2, at),
        },
        Chunk {
            lines: own(ni..ni + nl, after),
            old: (at, at),
        },
        Chunk {
            lines: own(at..at + 2, before),
            old: (at, at + 2),
        },
    ])
}

fn indent_of(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// The snippet for one habit, or None when the change does not lend itself to it.
pub fn render(habit: &str, language: &str, before: &str, after: &str) -> Option<String> {
    let b: Vec<&str> = before.lines().collect();
    let a: Vec<&str> = after.lines().collect();
    // A change that adds a line shaped like a marker (`// ... but only if ...`) cannot
    // be written as a lazy snippet at all: no reader could tell it from a marker.
    let known: std::collections::HashSet<&str> = b.iter().copied().collect();
    let marker_like = |l: &str| {
        let t = l.trim_start();
        let body = t.trim_start_matches(['/', '#', '-', '*', '<', '!', '{', ' ']);
        body.len() < t.len() && (body.starts_with("...") || body.starts_with('…'))
    };
    if a.iter().any(|l| !known.contains(l) && marker_like(l)) {
        return None;
    }
    match habit {
        "h1_out_of_order" => {
            let mut c = chunks(&b, &a, 3, false)?;
            if c.len() < 2 {
                return None;
            }
            c.reverse();
            // Reversed, the chunks' own places still decide; markers frame each one.
            let mut out: Vec<String> = Vec::new();
            for ch in &c {
                out.push(marker(language, &b, ch.old.0, "existing code"));
                out.extend(ch.lines.iter().cloned());
            }
            out.push(marker(language, &b, b.len(), "existing code"));
            Some(out.join("\n") + "\n")
        }
        "h2_changed_line" => Some(join(
            language,
            &b,
            &chunks(&b, &a, 2, false)?,
            true,
            "existing code",
        )),
        "h3_boundary_repeat" => {
            boundary_chunks(&b, &a).map(|c| join(language, &b, &c, true, "existing code"))
        }
        "h4_mixed_notation" => Some(join(
            language,
            &b,
            &chunks(&b, &a, 2, true)?,
            true,
            "existing code",
        )),
        "h5_new_code_pinned" => {
            pinned_chunks(&b, &a).map(|c| join(language, &b, &c, true, "existing code"))
        }
        "h6_no_edge_markers" => Some(join(
            language,
            &b,
            &chunks(&b, &a, 3, false)?,
            false,
            "rest unchanged",
        )),
        "h6_reindented" => {
            let c = chunks(&b, &a, 3, false)?;
            let tabs = b.iter().filter(|l| l.starts_with('\t')).count()
                > b.iter().filter(|l| l.starts_with(' ')).count();
            let text = join(language, &b, &c, true, "existing code");
            let min = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(indent_of)
                .min()
                .unwrap_or(0);
            let lines: Vec<String> = text
                .lines()
                .map(|l| {
                    if l.trim().is_empty() {
                        String::new()
                    } else if tabs {
                        // A snippet in spaces for a tab-indented file.
                        let t = l.trim_start_matches('\t');
                        format!("{}{t}", "    ".repeat(l.len() - t.len()))
                    } else if min > 0 {
                        l[min..].to_string()
                    } else {
                        format!("    {l}")
                    }
                })
                .collect();
            Some(lines.join("\n") + "\n")
        }
        "h6_trailing_space" => {
            let c = chunks(&b, &a, 2, false)?;
            let text = join(language, &b, &c, true, "existing code");
            // Only on lines the file has: a new line's bytes are the model's to choose.
            let known: std::collections::HashSet<&str> = b.iter().copied().collect();
            let lines: Vec<String> = text
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    if i % 2 == 0 && !l.trim().is_empty() && known.contains(l) {
                        format!("{l}  ")
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            Some(lines.join("\n") + "\n")
        }
        _ => None,
    }
}
