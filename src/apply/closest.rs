//! Suggestions for refusals: the windows of the file most similar to a failed chunk.
//! Similarity is only ever used here and for boundary decisions, never to place a chunk.

use super::text::is_blank;
use super::types::ClosestLines;
use std::ops::Range;

fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.trim().chars().flat_map(char::to_lowercase).collect();
    let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v
}

/// Dice coefficient over character bigrams: cheap, for ranking candidates.
fn dice(a: &[(char, char)], b: &[(char, char)]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}

/// Up to `max` non-overlapping windows of `hay[range]` most similar to `needle`,
/// each at least half similar.
pub(crate) fn closest(
    hay: &[&str],
    needle: &[&str],
    range: Range<usize>,
    max: usize,
) -> Vec<ClosestLines> {
    let needle: Vec<&str> = needle.iter().copied().skip_while(|l| is_blank(l)).collect();
    let needle: Vec<&str> = {
        let end = needle
            .iter()
            .rposition(|l| !is_blank(l))
            .map_or(0, |i| i + 1);
        needle[..end].iter().copied().take(40).collect()
    };
    let range = range.start.min(hay.len())..range.end.min(hay.len());
    if needle.is_empty() || range.is_empty() {
        return Vec::new();
    }
    let m = needle.len().min(range.len());
    let first = bigrams(needle[0]);
    let last = bigrams(needle[needle.len() - 1]);
    // Rank window starts by their first and last line, then score the best few fully.
    let mut ranked: Vec<(f32, usize)> = (range.start..=range.end - m)
        .map(|p| {
            let a = dice(&first, &bigrams(hay[p]));
            let b = dice(&last, &bigrams(hay[p + m - 1]));
            (a + b, p)
        })
        .collect();
    ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    ranked.truncate(12);
    let want = needle.join("\n");
    let mut scored: Vec<(f32, usize)> = ranked
        .into_iter()
        .map(|(_, p)| {
            let text = hay[p..p + m].join("\n");
            (
                similar::TextDiff::from_chars(want.as_str(), text.as_str()).ratio(),
                p,
            )
        })
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let mut picked: Vec<ClosestLines> = Vec::new();
    for (sim, p) in scored {
        if picked.len() >= max {
            break;
        }
        if picked
            .iter()
            .any(|c| p + m > c.line - 1 && c.line - 1 + m > p)
        {
            continue;
        }
        picked.push(ClosestLines {
            line: p + 1,
            text: hay[p..p + m].join("\n"),
            similarity: sim,
        });
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_similar_window() {
        let hay = ["a", "fn total(x: i32) -> i32 {", "    x + 1", "}", "b"];
        let got = closest(&hay, &["fn total(x: u32) -> u32 {", "    x + 1"], 0..5, 2);
        assert_eq!(got.first().map(|c| c.line), Some(2));
    }
}
