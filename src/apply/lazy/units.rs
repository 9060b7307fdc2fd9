//! Units (a line with its indented body and closer, or one blank line) and their
//! alignment, used to decide whether the lines a chunk has beyond its outermost match
//! rewrite the neighbouring lines of the file or are new.

use super::super::structure::{is_generic, Outline};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Unit {
    pub start: usize,
    pub end: usize,
}

/// Cut `range` into units, front to back.
pub(super) fn split(o: &Outline, range: Range<usize>) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if !o.is_code(i) {
            units.push(Unit {
                start: i,
                end: i + 1,
            });
            i += 1;
            continue;
        }
        let base = o.ind(i);
        let mut j = i + 1;
        while j < range.end && (!o.is_code(j) || o.ind(j) > base) {
            j += 1;
        }
        while j > i + 1 && !o.is_code(j - 1) {
            j -= 1;
        }
        if j > i + 1 && j < range.end && o.is_code(j) && o.ind(j) == base && is_generic(o.text[j]) {
            j += 1;
        }
        units.push(Unit { start: i, end: j });
        i = j;
    }
    units
}

/// Cost of an original unit that lies inside the span without a counterpart.
const DELETE: f32 = 0.35;

/// Align `h` (edit units) with `w` (file units) from their ends backwards: the last
/// file unit touches the already matched region, so file units can only be dropped
/// between matched ones. Returns matched (h, w) index pairs, nearest first.
pub(super) fn align_from_end(
    h: &[Unit],
    w: &[Unit],
    score: impl Fn(Unit, Unit) -> Option<f32>,
) -> Vec<(usize, usize)> {
    let (p, q) = (h.len(), w.len());
    if p == 0 || q == 0 {
        return Vec::new();
    }
    // f[a][b]: best score using the last a edit units and the last b file units.
    let cols = q + 1;
    let mut f = vec![0f32; (p + 1) * cols];
    let mut from = vec![0u8; (p + 1) * cols];
    for b in 1..=q {
        f[b] = f[b - 1] - DELETE;
        from[b] = 2;
    }
    for a in 1..=p {
        f[a * cols] = f[(a - 1) * cols];
        from[a * cols] = 1;
        for b in 1..=q {
            let ins = f[(a - 1) * cols + b];
            let del = f[a * cols + b - 1] - DELETE;
            let mut best = (ins, 1u8);
            if del > best.0 {
                best = (del, 2);
            }
            if let Some(s) = score(h[p - a], w[q - b]) {
                let m = f[(a - 1) * cols + b - 1] + s;
                if m > best.0 {
                    best = (m, 3);
                }
            }
            f[a * cols + b] = best.0;
            from[a * cols + b] = best.1;
        }
    }
    let mut bstar = 0;
    for b in 1..=q {
        if f[p * cols + b] > f[p * cols + bstar] + 1e-6 {
            bstar = b;
        }
    }
    let mut pairs = Vec::new();
    let (mut a, mut b) = (p, bstar);
    while a > 0 || b > 0 {
        match from[a * cols + b] {
            3 => {
                pairs.push((p - a, q - b));
                a -= 1;
                b -= 1;
            }
            2 => b -= 1,
            _ => a -= 1,
        }
    }
    pairs.reverse();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_blocks_with_closers() {
        let lines = ["a() {", "  x;", "}", "", "b;"];
        let o = Outline::new(&lines, None);
        let u = split(&o, 0..5);
        assert_eq!(
            u,
            vec![
                Unit { start: 0, end: 3 },
                Unit { start: 3, end: 4 },
                Unit { start: 4, end: 5 }
            ]
        );
    }

    #[test]
    fn aligns_from_the_end() {
        let h = [Unit { start: 0, end: 1 }, Unit { start: 1, end: 2 }];
        let w = [
            Unit { start: 0, end: 1 },
            Unit { start: 1, end: 2 },
            Unit { start: 2, end: 3 },
        ];
        // edit unit k matches file unit k + 1
        let pairs = align_from_end(&h, &w, |a, b| (a.start + 1 == b.start).then_some(1.0));
        assert_eq!(pairs, vec![(1, 2), (0, 1)]);
    }
}
