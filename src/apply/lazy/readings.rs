//! Choosing between the two readings of a snippet (structural and strict): where they
//! write the same file, or where they differ but the difference is telling. Each
//! reading is emitted and rendered once, here.

use super::super::structure::{decl_name, is_generic, same_line_strength};
use super::super::text::{is_blank, render, Doc, OutLine};
use super::emit::{self, Emitted};
use super::span::Plan;
use super::{verify, Ctx};

/// The two readings' merges: `a` the structural one, `b` the strict one.
pub(super) struct Readings<'c, 'k, 'a, 'p> {
    ctx: &'c Ctx<'k, 'a>,
    a: &'p [Plan],
    b: &'p [Plan],
    ea: Emitted<'a>,
    eb: Emitted<'a>,
    ta: String,
    tb: String,
    /// The strict reading deleted code its chunk's edge lines show the end of
    /// (`echo.rs`), so it may drop more than it writes.
    b_echo_deleted: bool,
}

impl<'c, 'k, 'a, 'p> Readings<'c, 'k, 'a, 'p> {
    pub fn new(
        doc: &Doc<'a>,
        ctx: &'c Ctx<'k, 'a>,
        a: &'p [Plan],
        b: &'p [Plan],
        b_echo_deleted: bool,
    ) -> Self {
        let (ea, eb) = (emit::emit(ctx, a), emit::emit(ctx, b));
        let (ta, tb) = (render(doc, &ea.out, None), render(doc, &eb.out, None));
        Self {
            ctx,
            a,
            b,
            ea,
            eb,
            ta,
            tb,
            b_echo_deleted,
        }
    }

    /// Whether both readings write the same file.
    pub fn agree(&self) -> bool {
        self.ta == self.tb
    }

    /// Whether the strict reading is the one to take: both write the same file (a kept
    /// line and a new line with the same bytes are the same), or they differ in a way
    /// that says the structural one misread a chunk edge.
    fn strict_stands(&self) -> bool {
        self.ta == self.tb
            || self.only_boundary_repeats()
            || self.structural_repeats_a_closer()
            || self.structural_drops_unshown_code()
            || self.only_one_passes(Reading::Strict)
            || self.only_structural_drops_unshown()
    }

    /// Where both readings pass the checks but only the structural one drops more of the
    /// file's code than it writes: that is a deletion no chunk shows (a chunk's last line,
    /// `pickers.new(opts, {`, taken at its next occurrence, the code between as gone),
    /// while the strict reading rewrites no more than the snippet does. On the real-edit
    /// corpus the strict reading was the edit in every such case.
    fn only_structural_drops_unshown(&self) -> bool {
        drops_more_than_it_writes(self.ctx, &self.ea)
            && !drops_more_than_it_writes(self.ctx, &self.eb)
            && passes_checks(self.ctx, &self.ea, self.a)
            && passes_checks(self.ctx, &self.eb, self.b)
    }

    /// The reading to take, or None when the snippet reads two ways: the strict one
    /// where it stands (above), the structural one where only it passes the checks.
    pub fn choose(&self) -> Option<Reading> {
        if self.strict_stands() {
            Some(Reading::Strict)
        } else if self.only_one_passes(Reading::Structural) || self.strict_drops_unshown_code() {
            Some(Reading::Structural)
        } else {
            None
        }
    }

    /// Whether `reading` passes every check made on a returned merge, without dropping
    /// more of the file's code than it writes, while the other reading fails them: the
    /// other one wrote a closer twice, cut a block or kept a line beside its rewrite,
    /// which a real edit does not. On the real-edit corpus, where the readings differed
    /// this way, the passing one was the edit every time (35 snippets); where both
    /// passed or both failed, neither reading was reliably right, so that stays refused.
    /// A strict merge may drop more than it writes where its chunk's edge lines showed
    /// the end of the code before a deletion (`echo.rs`).
    fn only_one_passes(&self, reading: Reading) -> bool {
        let (one, other, deletes) = match reading {
            Reading::Strict => ((&self.eb, self.b), (&self.ea, self.a), self.b_echo_deleted),
            Reading::Structural => ((&self.ea, self.a), (&self.eb, self.b), false),
        };
        passes_checks(self.ctx, one.0, one.1)
            && (deletes || !drops_more_than_it_writes(self.ctx, one.0))
            && !passes_checks(self.ctx, other.0, other.1)
    }

    /// Whether the structural reading is the strict one without some of the file's lines
    /// that the snippet never shows, one of them a declaration (`def name`, `fn name`):
    /// no chunk spells that deletion out, so the structural reading put a chunk edge
    /// past lines a marker keeps (a method extracted next to them). Lines with less
    /// substance are not enough: a CSS rule between a chunk's `}` and its next line is
    /// deleted on purpose.
    fn structural_drops_unshown_code(&self) -> bool {
        self.drops_unshown_code((&self.tb, &self.eb, self.b), &self.ta)
    }

    /// The same the other way round: the strict reading took a new block's closing
    /// lines (`}` and a blank line) as the file's next ones further on and dropped the
    /// method between, which no chunk shows.
    fn strict_drops_unshown_code(&self) -> bool {
        self.drops_unshown_code((&self.ta, &self.ea, self.a), &self.tb)
    }

    /// Whether `without` is the merge `with` without some of the file's lines the
    /// snippet never shows, one of them a declaration, while `with` passes the checks
    /// and drops no more than it writes.
    fn drops_unshown_code(&self, with: (&str, &Emitted, &[Plan]), without: &str) -> bool {
        let (text, emitted, plans) = with;
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() != emitted.out.len() {
            return false;
        }
        let shown: std::collections::HashSet<&str> =
            self.ctx.skeys.iter().map(|k| k.as_ref()).collect();
        let mut extra = Vec::new();
        let mut at = 0;
        for c in similar::TextDiff::from_lines(without, text).iter_all_changes() {
            match c.tag() {
                similar::ChangeTag::Equal => at += 1,
                similar::ChangeTag::Insert => {
                    extra.push(at);
                    at += 1;
                }
                similar::ChangeTag::Delete => return false,
            }
        }
        let unshown_kept = |i: &usize| match &emitted.out[*i] {
            OutLine::Orig(o) => {
                is_generic(lines[*i]) || !shown.contains(self.ctx.okeys[*o].as_ref())
            }
            OutLine::New(_) => false,
        };
        !extra.is_empty()
            && extra.iter().all(unshown_kept)
            && extra.iter().any(|&i| decl_name(lines[i]).is_some())
            && !drops_more_than_it_writes(self.ctx, emitted)
            && passes_checks(self.ctx, emitted, plans)
    }

    /// The lines of `a`, each with whether `b` lacks it; None when `b` has lines `a`
    /// does not (then `b` is not `a` without some lines).
    fn a_without_b(&self) -> Option<Vec<(&str, bool)>> {
        let lines: Vec<&str> = self.ta.lines().collect();
        let mut removed = Vec::with_capacity(lines.len());
        for c in similar::TextDiff::from_lines(&self.ta, &self.tb).iter_all_changes() {
            match c.tag() {
                similar::ChangeTag::Equal => removed.push(false),
                similar::ChangeTag::Delete => removed.push(true),
                similar::ChangeTag::Insert => return None,
            }
        }
        (removed.len() == lines.len()).then(|| lines.into_iter().zip(removed).collect())
    }

    /// Where the structural reading writes a boundary line (`}`, a blank) again next to
    /// the file's own, or keeps a line beside its rewrite, and so fails the checks on a
    /// finished merge, while the strict reading differs from it only by not writing
    /// those lines (habits 2 and 3): each line `b` lacks says nothing (`}`, `)`, blank)
    /// or reads as an older version of the line next to it that `b` keeps (same
    /// declared name or assignment target; looser likenesses, such as two imports
    /// sharing words, let a moved import through on real edits).
    fn only_boundary_repeats(&self) -> bool {
        let Some(lines) = self.a_without_b() else {
            return false;
        };
        let kept_newer = |i: usize| {
            let old = lines[i].0;
            let nearest = |mut it: Box<dyn Iterator<Item = usize>>| {
                it.find(|&k| !is_blank(lines[k].0))
                    .filter(|&k| !lines[k].1)
                    .is_some_and(|k| same_line_strength(lines[k].0, old).is_some_and(|v| v >= 0.9))
            };
            nearest(Box::new((0..i).rev())) || nearest(Box::new(i + 1..lines.len()))
        };
        let removals_explained = (0..lines.len())
            .filter(|&i| lines[i].1)
            .all(|i| is_generic(lines[i].0) || kept_newer(i));
        removals_explained
            && !passes_checks(self.ctx, &self.ea, self.a)
            && passes_checks(self.ctx, &self.eb, self.b)
    }

    /// Whether the strict reading `b` is the structural reading `a` without some lines,
    /// and among those is a closer or blank line `a` writes as new (`}`, `end`, `)`), or
    /// a run of lines repeating their neighbours: the structural reading took a chunk's
    /// edge, which the file has right there, for new lines, and so also kept the old
    /// lines the strict reading replaces. On real edits, where the two readings
    /// differed this way, the strict one was the edit 34 times in 39; the bounds below
    /// and the checks on the strict merge itself refuse the other 5.
    fn structural_repeats_a_closer(&self) -> bool {
        let Some(lines) = self.a_without_b() else {
            return false;
        };
        if lines.len() != self.ea.out.len() {
            return false;
        }
        let text: Vec<&str> = lines.iter().map(|l| l.0).collect();
        let (mut closer_written, mut code_dropped) = (false, 0);
        let mut i = 0;
        while i < lines.len() {
            if !lines[i].1 {
                i += 1;
                continue;
            }
            let start = i;
            while i < lines.len() && lines[i].1 {
                i += 1;
            }
            if repeats_a_neighbour(&text, &self.ea.out, start..i) {
                closer_written = true;
                continue;
            }
            for (line, out) in text[start..i].iter().zip(&self.ea.out[start..i]) {
                let generic = is_generic(line);
                match out {
                    OutLine::New(_) => closer_written |= generic,
                    OutLine::Orig(_) => code_dropped += usize::from(!generic),
                }
            }
        }
        // The old lines a changed line replaces are few; the strict reading dropping
        // more of the file's code than that is a deletion the snippet does not show.
        closer_written
            && code_dropped <= MAX_REPLACED
            && !drops_more_than_it_writes(self.ctx, &self.eb)
            && passes_checks(self.ctx, &self.eb, self.b)
    }
}

/// The two readings of a snippet.
#[derive(Clone, Copy)]
pub(super) enum Reading {
    Structural,
    Strict,
}

/// Whether a merge passes the checks made on the merge that is returned.
fn passes_checks(ctx: &Ctx, emitted: &Emitted, plans: &[Plan]) -> bool {
    emit::edge_suspect(ctx, emitted, plans).is_none()
        && emit::duplicated_run(ctx, emitted, plans).is_none()
        && verify::check(ctx, emitted, plans).is_ok()
}

/// Informative file lines the strict reading may drop where the structural one keeps
/// them (the old versions of the lines a chunk changes).
const MAX_REPLACED: usize = 3;

/// Whether lines `range` of a merge repeat, byte for byte, the lines right above or
/// right below them, one of the two copies written as new: a chunk's edge lines (the
/// two statements before the change) written again next to the file's own.
fn repeats_a_neighbour(lines: &[&str], out: &[OutLine], range: std::ops::Range<usize>) -> bool {
    let len = range.len();
    let is_new = |r: std::ops::Range<usize>| out[r].iter().any(|l| matches!(l, OutLine::New(_)));
    let twin = |other: std::ops::Range<usize>| {
        other.end <= lines.len()
            && lines[other.clone()] == lines[range.clone()]
            && (is_new(other) || is_new(range.clone()))
    };
    len > 0
        && ((range.start >= len && twin(range.start - len..range.start))
            || twin(range.end..range.end + len))
}

/// Whether a merge drops more informative file lines than it writes informative new
/// ones, beyond the few a rewrite shortens by: a deletion no chunk spells out (a chunk
/// anchored on a line that occurs again further on, the code between taken as gone).
fn drops_more_than_it_writes(ctx: &Ctx, em: &Emitted) -> bool {
    let kept = em.kept(ctx.n());
    let dropped = (0..ctx.n())
        .filter(|&o| !kept[o] && !is_generic(ctx.orig[o]))
        .count();
    let written = em
        .out
        .iter()
        .filter(|l| matches!(l, OutLine::New(t) if !is_generic(t)))
        .count();
    dropped > written + MAX_REPLACED
}
