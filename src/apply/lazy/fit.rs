//! A chunk with no line of its own (every line it shares with the file occurs there
//! more than once: `def decorator(f):`, `return decorator`) placed where its lines fit
//! the file line for line, each equal to the file's or recognisably an older version
//! of it (habit 2: a changed line inside repeated context). Taken only where exactly
//! one place in the window fits: the changed line tells the look-alikes apart, and
//! a place where the chunk would change nothing competes like any other.

use super::super::structure::is_generic;
use super::span::Planner;

/// Characters two lines share, of their length, above which a changed line is the
/// file's line edited (`self._register(None, x, f)` -> `self.register(x, f)`) rather
/// than another statement (`self.view_functions[endpoint] = f`: 0.37).
const CLOSE: f32 = 0.75;

/// Whether two informative lines are close in their characters.
fn close(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !is_generic(a) && !is_generic(b) && similar::TextDiff::from_chars(a, b).ratio() >= CLOSE
}

impl Planner<'_, '_, '_> {
    /// The one place in `lo..hi` where chunk `ci` fits line for line with at least one
    /// informative line equal and one changed; None when no place or more than one
    /// fits. Both readings place such a chunk there.
    pub(super) fn fit_line_for_line(&self, ci: usize, lo: usize, hi: usize) -> Option<usize> {
        let ctx = self.ctx;
        let c = &ctx.chunks[ci];
        let k = c.end - c.start;
        if k == 0 || hi < lo + k {
            return None;
        }
        // Whether the chunk fits at `at`, and whether it changes a line there; a place
        // where it changes nothing competes all the same (the chunk may be context).
        // The cheap test first: equal lines, with the changed ones at most half.
        let fits_at = |at: usize| {
            let mut equal = false;
            let mut changed = Vec::new();
            for i in 0..k {
                let (s, o) = (c.start + i, at + i);
                if self.same(s, o) {
                    equal |= ctx.sline.is_code(s) && !is_generic(ctx.snip[s]);
                } else if is_generic(ctx.snip[s]) || 2 * (changed.len() + 1) > k {
                    return None;
                } else {
                    changed.push((s, o));
                }
            }
            let recognised =
                |&(s, o): &(usize, usize)| self.resembles(s, o) || close(ctx.snip[s], ctx.orig[o]);
            (equal && changed.iter().all(recognised)).then_some(!changed.is_empty())
        };
        let mut places = (lo..=hi - k).filter_map(|at| fits_at(at).map(|ch| (at, ch)));
        match (places.next(), places.next()) {
            (Some((at, true)), None) => Some(at),
            _ => None,
        }
    }

    /// The first place in `lo..hi` where the snippet's last chunk, after a marker and
    /// made only of closers and blank lines (`</div>`, `);`, `}`), stands unchanged;
    /// None otherwise. Such a chunk changes nothing wherever it stands and no chunk
    /// comes after it, so each place it fits writes the same file: it is context
    /// that closes what the chunk before it left open.
    pub(super) fn fit_unchanged_closers(&self, ci: usize, lo: usize, hi: usize) -> Option<usize> {
        let ctx = self.ctx;
        let c = &ctx.chunks[ci];
        let k = c.end - c.start;
        let last = ci + 1 == ctx.chunks.len();
        let closers_only = (c.start..c.end).all(|s| is_generic(ctx.snip[s]))
            && (c.start..c.end).any(|s| !ctx.snip[s].trim().is_empty());
        if !last || !c.marker_before || !closers_only || k == 0 || hi < lo + k {
            return None;
        }
        (lo..=hi - k).find(|&at| (0..k).all(|i| self.same(c.start + i, at + i)))
    }
}
