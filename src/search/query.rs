//! A compiled search query and the matcher.
//!
//! A name is a sequence of units, one per character. A Chinese character
//! can be matched by itself or by a prefix of any of its readings (`h`, `hu`
//! for 湖; `c`, `ch`, `chang`, `z`, `zhang` for 长); any other character by
//! itself, case-insensitively; a Chinese numeral also by its digit (`4` for
//! 四: `bs4` finds 宝石四网格). The query is consumed left to right by units
//! in order, each taking at least one query character; units may be skipped.
//! So `wjm`, `wangjiangmen`, `wjmen`, `wj门` and `望江门` all find
//! 望江门社区银龄互助会, and each matched unit is one highlighted character.
//!
//! Scoring follows `fuzzy-matcher`'s skim scheme (the same constants), with
//! syllables as the word boundaries: every matched character scores, a unit
//! starting a word adds a bonus (double for the first word of the name),
//! runs of adjacent units add a consecutive bonus, and skipping units
//! between matches costs an affine gap penalty. Skipping units before the
//! first match or after the last one is free; skipping punctuation, spaces
//! and symbols is always free.
//!
//! Matching runs in two phases: a bit-parallel check whether the query can
//! be consumed at all (a few word operations per character), then the
//! scoring dynamic program only for names that pass.

use super::fold::{fold, ignored_in_query, kind, numeral_digit, Kind};
use super::syllables::{syllables, SyllableId, Syllables};
use super::Match;

/// Score of each matched query character (skim: `score_match`).
const MATCH: i32 = 16;
/// Bonus for the first character matched in a unit that starts a word:
/// every Chinese character, the first letter of a Latin word, the first
/// digit of a number (skim: `bonus_head`).
const HEAD: i32 = 8;
/// Extra bonus when that unit is the name's first word (skim doubles the
/// bonus of the first character).
const FIRST: i32 = 8;
/// Bonus for each further character in the same unit, and for a unit
/// matched right after the previous matched unit (skim:
/// `bonus_consecutive`).
const CONSECUTIVE: i32 = 4;
/// Small bonus when a whole syllable (or the character itself) is typed,
/// so `an` prefers 安 over the start of 昂.
const WHOLE: i32 = 2;
/// Penalty for the first unit skipped between two matches (skim:
/// `gap_start + gap_extension`).
const GAP_OPEN: i32 = -4;
/// Penalty for each further unit skipped (skim: `gap_extension`).
const GAP_EXTEND: i32 = -1;
/// "No alignment" in the dynamic program; far from any real score, and far
/// enough from `i32::MIN` that adding penalties cannot overflow.
const NEG: i32 = i32::MIN / 4;
/// Anything below this is "no alignment".
const INVALID: i32 = NEG / 2;

/// Queries longer than this (in characters, after folding) match nothing:
/// they can only come from pasting, and names are far shorter.
pub const MAX_QUERY_CHARS: usize = 256;
/// The bit-parallel prefilter works on queries up to this length.
const NFA_MAX: usize = 63;
/// [`Query::score`] keeps its rows on the stack for queries shorter than
/// this.
const STACK_ROWS: usize = 64;

/// Prefilter bit of a folded character: letters and digits have their own
/// bit, other characters share 28 hashed bits.
#[inline]
pub(crate) fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 1 << (36 + u32::from(c) % 28),
    }
}

/// Prefilter mask of a name: every character, the digit of every numeral
/// and every letter of every reading. A query can only match if its mask
/// is a subset.
pub(crate) fn name_mask(name: &str) -> u64 {
    let table = syllables();
    let mut mask = 0;
    for c in name.chars() {
        let c = fold(c);
        mask |= char_bit(c);
        if let Some(d) = numeral_digit(c) {
            mask |= char_bit(d);
        }
        for &r in table.readings(c) {
            mask |= table.letters(r);
        }
    }
    mask
}

/// A compiled query: build it once per keystroke and match it against any
/// number of names.
///
/// ```
/// use sanshe::search::Query;
/// let q = Query::new("hubin");
/// assert!(q.score("湖滨晴雨志愿队").is_some());
/// assert_eq!(q.find("湖滨晴雨志愿队").unwrap().positions, [0, 1]);
/// assert!(q.score("西湖社区").is_none());
/// ```
pub struct Query {
    /// Folded query characters, white space and `'` removed.
    chars: Vec<char>,
    /// The query was longer than [`MAX_QUERY_CHARS`]: matches nothing.
    too_long: bool,
    /// Prefilter mask of the query.
    mask: u64,
    /// `lcp[s * m + p]`: how many characters from query position `p` are a
    /// prefix of syllable `s`.
    lcp: Vec<u8>,
    /// Tables for the bit-parallel check (queries up to [`NFA_MAX`]).
    nfa: Option<Nfa>,
}

/// Bit-parallel check tables: bit `p` of a state means "the first `p`
/// query characters can be consumed by the units seen so far".
struct Nfa {
    /// `steps[s * stride + k - 1]`: query positions from which the first
    /// `k` letters of syllable `s` follow.
    steps: Vec<u64>,
    stride: usize,
    /// Positions of each ASCII character in the query.
    ascii: [u64; 128],
    /// Positions of each other character in the query.
    other: Vec<(char, u64)>,
}

impl Nfa {
    #[inline]
    fn positions_of(&self, c: char) -> u64 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.other
                .iter()
                .find(|(o, _)| *o == c)
                .map_or(0, |&(_, m)| m)
        }
    }
}

/// One unit of a name, as the matcher sees it.
#[derive(Clone, Copy)]
struct Unit<'t> {
    ch: char,
    /// The digit a numeral also matches (`4` for 四).
    digit: Option<char>,
    readings: &'t [SyllableId],
    kind: Kind,
    /// Starts a word: gets [`HEAD`].
    head: bool,
    /// The name's first word: gets [`FIRST`].
    first: bool,
}

/// Turns a name into units.
struct Units<'n, 't> {
    chars: std::str::Chars<'n>,
    table: &'t Syllables,
    prev: Kind,
    seen_word: bool,
}

impl<'n, 't> Units<'n, 't> {
    fn new(name: &'n str, table: &'t Syllables) -> Self {
        Units {
            chars: name.chars(),
            table,
            prev: Kind::Other,
            seen_word: false,
        }
    }
}

impl<'t> Iterator for Units<'_, 't> {
    type Item = Unit<'t>;

    #[inline]
    fn next(&mut self) -> Option<Unit<'t>> {
        let ch = fold(self.chars.next()?);
        let readings = self.table.readings(ch);
        // Characters with readings are Chinese: skip the Unicode lookup.
        let kind = if readings.is_empty() {
            kind(ch)
        } else {
            Kind::Word
        };
        let head = match kind {
            Kind::Letter | Kind::Digit => self.prev != kind,
            Kind::Word | Kind::Other => true,
        };
        let first = kind != Kind::Other && !self.seen_word;
        self.seen_word |= kind != Kind::Other;
        self.prev = kind;
        Some(Unit {
            ch,
            digit: if readings.is_empty() {
                None
            } else {
                numeral_digit(ch)
            },
            readings,
            kind,
            head,
            first,
        })
    }
}

/// Where a dynamic-program cell came from, for finding the positions.
#[derive(Clone, Copy, Default)]
struct Back {
    /// Query position before this unit.
    from: u16,
    /// Came from the "previous unit matched" row.
    from_matched: bool,
    /// This unit was matched.
    matched: bool,
}

/// Reusable buffers for scoring many names with one query.
#[derive(Default)]
pub(crate) struct Scratch {
    a: Vec<i32>,
    g: Vec<i32>,
    na: Vec<i32>,
    ng: Vec<i32>,
}

impl Query {
    /// Compiles `query`: folds it (case, full-width letters), drops white
    /// space and `'`, and precomputes which syllables each position starts.
    pub fn new(query: &str) -> Self {
        let mut chars: Vec<char> = query
            .chars()
            .map(fold)
            .filter(|&c| !ignored_in_query(c))
            .collect();
        let too_long = chars.len() > MAX_QUERY_CHARS;
        if too_long {
            chars.clear();
        }
        let table = syllables();
        let m = chars.len();
        let mask = chars.iter().fold(0, |acc, &c| acc | char_bit(c));
        let with_nfa = m > 0 && m <= NFA_MAX;
        let stride = table.max_len();
        let mut lcp = vec![0u8; table.len() * m];
        let mut steps = vec![0u64; if with_nfa { table.len() * stride } else { 0 }];
        for p in 0..m {
            let c = chars[p];
            if !c.is_ascii_lowercase() {
                continue;
            }
            for &s in table.starting_with(c as u8) {
                let text = table.text(s).as_bytes();
                let mut l = 0;
                while l < text.len() && p + l < m && chars[p + l] == char::from(text[l]) {
                    l += 1;
                }
                let s = usize::from(s);
                lcp[s * m + p] = l as u8;
                if with_nfa {
                    for step in &mut steps[s * stride..s * stride + l] {
                        *step |= 1 << p;
                    }
                }
            }
        }
        let nfa = with_nfa.then(|| {
            let mut ascii = [0u64; 128];
            let mut other: Vec<(char, u64)> = Vec::new();
            for (p, &c) in chars.iter().enumerate() {
                if c.is_ascii() {
                    ascii[c as usize] |= 1 << p;
                } else if let Some(entry) = other.iter_mut().find(|(o, _)| *o == c) {
                    entry.1 |= 1 << p;
                } else {
                    other.push((c, 1 << p));
                }
            }
            Nfa {
                steps,
                stride,
                ascii,
                other,
            }
        });
        Query {
            chars,
            too_long,
            mask,
            lcp,
            nfa,
        }
    }

    /// Whether the query is empty (after dropping white space): it matches
    /// every name with score 0.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && !self.too_long
    }

    /// Number of characters matched (white space and `'` dropped).
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Prefilter mask (see [`name_mask`]).
    pub(crate) fn mask(&self) -> u64 {
        self.mask
    }

    /// The score of `name`, or `None` if it does not match. Higher is better.
    pub fn score(&self, name: &str) -> Option<i64> {
        if self.chars.len() < STACK_ROWS {
            // Short queries (all typed ones) need no allocation.
            let mut rows = [[NEG; STACK_ROWS]; 4];
            let [a, g, na, ng] = &mut rows;
            let m = self.chars.len();
            self.score_with(
                name,
                &mut a[..=m],
                &mut g[..=m],
                &mut na[..=m],
                &mut ng[..=m],
            )
        } else {
            self.score_in(name, &mut Scratch::default())
        }
        .map(i64::from)
    }

    /// The score and the matched character positions in `name`, or `None`.
    pub fn find(&self, name: &str) -> Option<Match> {
        if self.too_long {
            return None;
        }
        if self.chars.is_empty() {
            return Some(Match {
                score: 0,
                positions: Vec::new(),
            });
        }
        if !self.feasible(name) {
            return None;
        }
        self.align(name)
    }

    /// Fast score with reused buffers.
    pub(crate) fn score_in(&self, name: &str, scratch: &mut Scratch) -> Option<i32> {
        let m = self.chars.len();
        let Scratch { a, g, na, ng } = scratch;
        for v in [&mut *a, &mut *g, &mut *na, &mut *ng] {
            if v.len() != m + 1 {
                v.clear();
                v.resize(m + 1, NEG);
            }
        }
        self.score_with(name, a, g, na, ng)
    }

    /// The scoring dynamic program over rows of length `m + 1` (contents
    /// are overwritten).
    fn score_with<'r>(
        &self,
        name: &str,
        mut a: &'r mut [i32],
        mut g: &'r mut [i32],
        mut na: &'r mut [i32],
        mut ng: &'r mut [i32],
    ) -> Option<i32> {
        if self.too_long {
            return None;
        }
        let m = self.chars.len();
        if m == 0 {
            return Some(0);
        }
        if m == 1 {
            return self.score_one(name);
        }
        if !self.feasible(name) {
            return None;
        }
        a.fill(NEG);
        g.fill(NEG);
        g[0] = 0;
        let table = syllables();
        for unit in Units::new(name, table) {
            self.step::<false>(&unit, a, g, na, ng, &mut [], &mut []);
            std::mem::swap(&mut a, &mut na);
            std::mem::swap(&mut g, &mut ng);
        }
        let best = a[m].max(g[m]);
        (best > INVALID).then_some(best)
    }

    /// [`score_in`](Self::score_in) for a one-character query, the broadest
    /// and so the most common expensive case: the best single unit. Gives
    /// the same score as the dynamic program.
    fn score_one(&self, name: &str) -> Option<i32> {
        let q = self.chars[0];
        let table = syllables();
        let mut best = NEG;
        for unit in Units::new(name, table) {
            let bonus = if unit.head { HEAD } else { 0 } + if unit.first { FIRST } else { 0 };
            if unit.ch == q || unit.digit == Some(q) {
                let whole = if unit.kind == Kind::Word { WHOLE } else { 0 };
                best = best.max(MATCH + bonus + whole);
            }
            for &r in unit.readings {
                // With one query character, `lcp` is 1 where the syllable
                // starts with it.
                if self.lcp[usize::from(r)] != 0 {
                    let whole = if table.text(r).len() == 1 { WHOLE } else { 0 };
                    best = best.max(MATCH + bonus + whole);
                }
            }
        }
        (best > INVALID).then_some(best)
    }

    /// Whether the whole query can be consumed by `name` (ignoring score).
    /// Exact for queries up to [`NFA_MAX`] characters; longer ones always
    /// pass and are decided by the dynamic program.
    #[inline]
    fn feasible(&self, name: &str) -> bool {
        let Some(nfa) = &self.nfa else { return true };
        let table = syllables();
        let goal = 1u64 << self.chars.len();
        let mut state = 1u64;
        for c in name.chars() {
            let c = fold(c);
            let mut at = nfa.positions_of(c);
            if let Some(d) = numeral_digit(c) {
                at |= nfa.positions_of(d);
            }
            let mut next = state | ((state & at) << 1);
            for &r in table.readings(c) {
                let steps = &nfa.steps[usize::from(r) * nfa.stride..][..nfa.stride];
                if state & steps[0] == 0 {
                    continue;
                }
                for (k, &step) in steps.iter().enumerate() {
                    let from = state & step;
                    if step == 0 {
                        break;
                    }
                    next |= from << (k + 1);
                }
            }
            state = next;
            if state & goal != 0 {
                return true;
            }
        }
        false
    }

    /// One unit of the dynamic program.
    ///
    /// `a[p]`: best score having consumed `p` query characters with the
    /// previous unit matched; `g[p]`: same, previous unit not matched
    /// (`g[0] = 0`: nothing matched yet, no penalty). Writes the rows after
    /// this unit to `na` and `ng`; with `TRACE`, also where each cell came
    /// from.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn step<const TRACE: bool>(
        &self,
        unit: &Unit<'_>,
        a: &[i32],
        g: &[i32],
        na: &mut [i32],
        ng: &mut [i32],
        back_a: &mut [Back],
        back_g: &mut [Back],
    ) {
        let m = self.chars.len();
        if unit.kind == Kind::Other {
            // Skipping punctuation and symbols is free and keeps a run.
            na.copy_from_slice(a);
            ng.copy_from_slice(g);
            if TRACE {
                for p in 0..=m {
                    back_a[p] = Back {
                        from: p as u16,
                        from_matched: true,
                        matched: false,
                    };
                    back_g[p] = Back {
                        from: p as u16,
                        from_matched: false,
                        matched: false,
                    };
                }
            }
        } else {
            na.fill(NEG);
            ng[0] = 0;
            if TRACE {
                back_g[0] = Back::default();
            }
            for p in 1..m {
                let open = a[p] + GAP_OPEN;
                let extend = g[p] + GAP_EXTEND;
                ng[p] = if open.max(extend) > INVALID {
                    open.max(extend)
                } else {
                    NEG
                };
                if TRACE {
                    back_g[p] = Back {
                        from: p as u16,
                        from_matched: open >= extend,
                        matched: false,
                    };
                }
            }
            if m > 0 {
                // The whole query is consumed: the rest of the name is free.
                ng[m] = a[m].max(g[m]);
                if TRACE {
                    back_g[m] = Back {
                        from: m as u16,
                        from_matched: a[m] >= g[m],
                        matched: false,
                    };
                }
            }
        }

        let bonus = if unit.head { HEAD } else { 0 } + if unit.first { FIRST } else { 0 };
        let table = syllables();
        for p in 0..m {
            let chained = a[p] + CONSECUTIVE;
            let from_matched = a[p] > INVALID && chained >= g[p];
            let base = if from_matched { chained } else { g[p] };
            if base <= INVALID {
                continue;
            }
            let mut offer = |to: usize, score: i32| {
                if score > na[to] {
                    na[to] = score;
                    if TRACE {
                        back_a[to] = Back {
                            from: p as u16,
                            from_matched,
                            matched: true,
                        };
                    }
                }
            };
            if self.chars[p] == unit.ch || unit.digit == Some(self.chars[p]) {
                let whole = if unit.kind == Kind::Word { WHOLE } else { 0 };
                offer(p + 1, base + MATCH + bonus + whole);
            }
            for &r in unit.readings {
                let l = i32::from(self.lcp[usize::from(r) * m + p]);
                if l == 0 {
                    continue;
                }
                let len = table.text(r).len() as i32;
                for k in 1..=l {
                    let whole = if k == len { WHOLE } else { 0 };
                    offer(
                        p + k as usize,
                        base + k * MATCH + bonus + (k - 1) * CONSECUTIVE + whole,
                    );
                }
            }
        }
    }

    /// The dynamic program with back pointers, then the matched units.
    fn align(&self, name: &str) -> Option<Match> {
        let m = self.chars.len();
        let width = m + 1;
        let table = syllables();
        let units: Vec<Unit<'_>> = Units::new(name, table).collect();
        let n = units.len();
        let mut a = vec![NEG; (n + 1) * width];
        let mut g = vec![NEG; (n + 1) * width];
        let mut back_a = vec![Back::default(); n * width];
        let mut back_g = vec![Back::default(); n * width];
        g[0] = 0;
        for (j, unit) in units.iter().enumerate() {
            let (a_done, a_next) = a.split_at_mut((j + 1) * width);
            let (g_done, g_next) = g.split_at_mut((j + 1) * width);
            self.step::<true>(
                unit,
                &a_done[j * width..],
                &g_done[j * width..],
                &mut a_next[..width],
                &mut g_next[..width],
                &mut back_a[j * width..(j + 1) * width],
                &mut back_g[j * width..(j + 1) * width],
            );
        }
        let end_a = a[n * width + m];
        let end_g = g[n * width + m];
        let score = end_a.max(end_g);
        if score <= INVALID {
            return None;
        }
        let mut positions = Vec::with_capacity(m);
        let mut p = m;
        let mut in_a = end_a >= end_g;
        for j in (0..n).rev() {
            let back = if in_a {
                back_a[j * width + p]
            } else {
                back_g[j * width + p]
            };
            if back.matched {
                positions.push(j);
            }
            p = usize::from(back.from);
            in_a = back.from_matched;
            if p == 0 && !in_a {
                break;
            }
        }
        positions.reverse();
        Some(Match {
            score: i64::from(score),
            positions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(q: &str, name: &str) -> Option<Match> {
        Query::new(q).find(name)
    }

    fn positions(q: &str, name: &str) -> Vec<usize> {
        find(q, name)
            .map(|m| m.positions)
            .unwrap_or_else(|| panic!("{q:?} should match {name:?}"))
    }

    #[test]
    fn initials_full_pinyin_and_characters() {
        let name = "望江门社区银龄互助会";
        assert_eq!(positions("wjm", name), [0, 1, 2]);
        assert_eq!(positions("wangjiangmen", name), [0, 1, 2]);
        assert_eq!(positions("wjmen", name), [0, 1, 2]);
        assert_eq!(positions("望江门", name), [0, 1, 2]);
        assert_eq!(positions("ylhzh", name), [5, 6, 7, 8, 9]);
        assert_eq!(positions("wjmhzh", name), [0, 1, 2, 7, 8, 9]);
        assert_eq!(positions("hubin", "湖滨晴雨志愿队"), [0, 1]);
        assert_eq!(positions("xhsq", "西湖社区"), [0, 1, 2, 3]);
    }

    #[test]
    fn mixed_queries() {
        assert_eq!(positions("湖bin", "湖滨晴雨"), [0, 1]);
        assert_eq!(positions("wj门", "望江门社区"), [0, 1, 2]);
        assert_eq!(positions("xi湖sq", "西湖社区"), [0, 1, 2, 3]);
    }

    #[test]
    fn non_matches() {
        assert!(find("hubin", "西湖社区").is_none());
        // Letters must start a syllable: `ub` is inside 湖滨.
        assert!(find("ubin", "湖滨").is_none());
        // Order matters.
        assert!(find("bh", "湖滨").is_none());
        assert!(find("x", "").is_none());
        assert!(find("湖湖", "湖滨").is_none());
    }

    #[test]
    fn polyphonic_characters() {
        assert!(find("cs", "长寿社区").is_some());
        assert!(find("zs", "长寿社区").is_some());
        assert!(find("changshou", "长寿社区").is_some());
        assert!(find("yinhang", "银行").is_some());
        assert!(find("yx", "银行").is_some());
        assert!(find("chongyang", "重阳节").is_some());
        assert!(find("zhongyang", "重阳节").is_some());
        assert!(find("lvse", "绿色家园").is_some());
        assert!(find("luse", "绿色家园").is_some());
    }

    #[test]
    fn latin_and_digits_in_names() {
        assert_eq!(positions("abc", "ABC青少年中心"), [0, 1, 2]);
        assert_eq!(positions("3hao", "3号楼"), [0, 1]);
        assert_eq!(positions("ＷＪＭ", "望江门"), [0, 1, 2]);
        assert_eq!(positions("WJM", "望江门"), [0, 1, 2]);
        assert_eq!(positions("xi'an", "西安"), [0, 1]);
        assert_eq!(positions("湖 滨", "湖滨"), [0, 1]);
    }

    #[test]
    fn digits_find_chinese_numerals() {
        assert_eq!(positions("bs4", "宝石四网格"), [0, 1, 2]);
        assert_eq!(positions("4wg", "宝石四网格"), [2, 3, 4]);
        assert!(find("bs5", "宝石四网格").is_none());
        // The numeral's own reading still works, and a digit still finds a digit.
        assert_eq!(positions("bssi", "宝石四网格"), [0, 1, 2]);
        assert_eq!(positions("3hao", "3号楼"), [0, 1]);
        // Ranked like a typed character, so the numeral beats a gap.
        let s = |q: &str, name: &str| find(q, name).map(|m| m.score).unwrap_or(i64::MIN);
        assert!(s("bs4", "宝石四网格") > s("bs4", "保俶社区四网格"));
        assert_eq!(
            Query::new("bs4").score("宝石四网格"),
            find("bs4", "宝石四网格").map(|m| m.score)
        );
        assert_eq!(
            Query::new("4").score("宝石四网格"),
            find("4", "宝石四网格").map(|m| m.score)
        );
    }

    #[test]
    fn punctuation_is_free_and_matchable() {
        assert_eq!(positions("hb", "“湖滨”志愿队"), [1, 2]);
        assert_eq!(
            find("hb", "“湖滨”").unwrap().score,
            find("hb", "湖滨").unwrap().score
        );
        assert_eq!(positions("（", "（湖滨）"), [0]);
    }

    #[test]
    fn ranking() {
        let s = |q: &str, name: &str| find(q, name).map(|m| m.score).unwrap_or(i64::MIN);
        // Contiguous beats gapped; start of name beats later.
        assert!(s("xhsq", "西湖社区") > s("xhsq", "西湖区新生社区"));
        assert!(s("xhsq", "西湖社区") > s("xhsq", "老西湖社区"));
        assert!(s("hubin", "湖滨社区") > s("hubin", "西湖滨江社区"));
        // Full syllables beat initials for the same query length.
        assert!(s("hu", "湖滨") > s("hu", "花园"));
        // Whole syllable beats a prefix.
        assert!(s("an", "安吉") > s("an", "昂扬"));
    }

    #[test]
    fn empty_and_long_queries() {
        let m = find("", "湖滨").unwrap();
        assert_eq!((m.score, m.positions.len()), (0, 0));
        assert_eq!(find("  ", "").unwrap().score, 0);
        assert!(Query::new(" ").is_empty());
        let long = "h".repeat(MAX_QUERY_CHARS + 1);
        assert!(!Query::new(&long).is_empty());
        assert!(find(&long, &"湖".repeat(300)).is_none());
        // Longer than the bit-parallel limit still works.
        let q = "hu".repeat(40);
        let name = "湖".repeat(45);
        assert_eq!(positions(&q, &name).len(), 40);
    }

    #[test]
    fn score_agrees_with_find() {
        let names = [
            "望江门社区银龄互助会",
            "湖滨晴雨志愿队",
            "长寿社区",
            "ABC 3号楼",
            "",
            "“湖滨”",
        ];
        for q in ["wjm", "h", "hb", "s", "湖", "3h", "abc", "zz"] {
            let query = Query::new(q);
            for name in names {
                assert_eq!(
                    query.score(name),
                    query.find(name).map(|m| m.score),
                    "{q} {name}"
                );
            }
        }
    }
}
