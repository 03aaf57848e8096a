//! The fallback when a query matches nothing: typing slips such as a
//! missing syllable start (`hbn` for 湖滨, `ubin`) are matched with the
//! `fuzzy-matcher` crate's skim algorithm against the name spelled out in
//! pinyin (first reading of each character). It is slower than the
//! syllable-aware matcher in [`super::query`], so it runs only when that one
//! found nothing, and its scores rank below any real match.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::syllables::syllables;
use super::Match;

/// Typo matches score below this, so they never outrank a real match.
pub const TYPO_OFFSET: i64 = 1 << 20;

/// A matcher compiled once for many names.
pub struct Typo {
    query: String,
    matcher: SkimMatcherV2,
}

impl Typo {
    /// `None` unless the query is at least two ASCII letters or digits
    /// (Chinese queries are matched exactly by the main matcher already).
    pub fn new(query: &str) -> Option<Typo> {
        let q: String = query
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\'')
            .flat_map(char::to_lowercase)
            .collect();
        if q.chars().count() < 2 || !q.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        Some(Typo {
            query: q,
            matcher: SkimMatcherV2::default(),
        })
    }

    /// The match of the query in `name`, positions as char indices into
    /// the name; score negative (below every real match).
    pub fn find(&self, name: &str) -> Option<Match> {
        let table = syllables();
        let mut spelled = String::with_capacity(name.len() * 3);
        // For each byte of `spelled`, the index of the name's char it spells.
        let mut owner: Vec<usize> = Vec::with_capacity(name.len() * 3);
        for (i, c) in name.chars().enumerate() {
            match table.readings(c).first() {
                Some(&id) => {
                    let s = table.text(id);
                    spelled.push_str(s);
                    owner.extend(std::iter::repeat_n(i, s.len()));
                }
                None => {
                    for l in c.to_lowercase() {
                        if l.is_ascii_alphanumeric() {
                            spelled.push(l);
                            owner.push(i);
                        }
                    }
                }
            }
        }
        let (score, indices) = self.matcher.fuzzy_indices(&spelled, &self.query)?;
        let mut positions: Vec<usize> = indices
            .into_iter()
            .filter_map(|b| owner.get(b).copied())
            .collect();
        positions.dedup();
        Some(Match {
            score: score - TYPO_OFFSET,
            positions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_are_found_with_positions() {
        let t = Typo::new("hbn").unwrap();
        let m = t.find("湖滨晴雨志愿服务队").unwrap();
        assert_eq!(m.positions, [0, 1]);
        assert!(m.score < 0);
        let t = Typo::new("ubin").unwrap();
        assert!(t.find("湖滨晴雨").is_some());
        assert!(t.find("西湖社区").is_none());
    }

    #[test]
    fn only_latin_queries() {
        assert!(Typo::new("湖滨").is_none());
        assert!(Typo::new("h").is_none());
        assert!(Typo::new("h b").is_some());
    }
}
