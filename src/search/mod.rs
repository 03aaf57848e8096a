//! Name search for Chinese names typed with Latin letters (DESIGN.md
//! section 5).
//!
//! A name matches when the query can be read off its characters in order:
//! each character by itself (`湖`), or by a prefix of any of its pinyin
//! readings: the initial (`h`), part of the syllable or all of it (`hu`),
//! for every reading of a polyphonic character (长: `c`/`chang`,
//! `z`/`zhang`). Characters can be skipped (fuzzy), so `wjm`,
//! `wangjiangmen`, `wj门`, `ylhzh` all find 望江门社区银龄互助会. Latin
//! letters and digits match themselves, ignoring case and full width.
//! The matched characters are reported as char indices into the name for
//! highlighting. See [`query`] for the scoring.
//!
//! - [`match_name`] / [`Query`]: match names one by one (pickers, small lists,
//!   a one-off pass over a list in the CLI);
//! - [`NameIndex`]: large lists, built once and updated on each change;
//! - [`sort_key`], [`initials`]: pinyin collation (拼音排序) and initials;
//! - [`people`]: finding an organization by its person in charge or phone.

mod collate;
mod fold;
mod index;
pub mod people;
pub mod query;
mod syllables;
pub mod typo;

pub use collate::{initials, sort_key};
pub use index::NameIndex;
pub use query::Query;
pub use typo::Typo;

/// A match of a query in one name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Match {
    /// Higher is better; only comparable between names for the same query.
    pub score: i64,
    /// Matched characters: indices into the name's `chars()`, ascending,
    /// no duplicates.
    pub positions: Vec<usize>,
}

/// One result of [`NameIndex::search`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The key the name was inserted under.
    pub key: u32,
    /// Higher is better (0 for the empty query).
    pub score: i64,
}

/// Matches `query` against one `name`: the score and the matched positions,
/// or `None`. An empty query (or only spaces) matches with score 0 and no
/// positions. For many names, compile the query once with [`Query::new`]
/// and call [`Query::find`] or [`Query::score`].
///
/// ```
/// use sanshe::search::match_name;
/// let m = match_name("hubin", "湖滨晴雨").unwrap();
/// assert_eq!(m.positions, [0, 1]);
/// assert!(match_name("wjm", "望江门社区银龄互助会").is_some());
/// assert!(match_name("xhsq", "湖滨晴雨").is_none());
/// ```
pub fn match_name(query: &str, name: &str) -> Option<Match> {
    Query::new(query).find(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examples_from_the_issue() {
        assert!(match_name("wjm", "望江门社区银龄互助会").is_some());
        assert_eq!(match_name("hubin", "湖滨晴雨").unwrap().positions, [0, 1]);
        assert_eq!(
            match_name("xhsq", "西湖社区").unwrap().positions,
            [0, 1, 2, 3]
        );
        assert_eq!(match_name("西湖", "西湖社区").unwrap().positions, [0, 1]);
        assert_eq!(
            match_name("", "西湖社区"),
            Some(Match {
                score: 0,
                positions: vec![]
            })
        );
    }

    fn name_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[湖滨长寿社区行重乐四一a-zA-Z0-9 ·（）😀\u{301}\u{200d}]{0,12}",
        ]
    }

    fn query_strategy() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[a-z14湖滨长区' ]{0,6}", "[hbcszq4]{1,3}",]
    }

    proptest! {
        #[test]
        fn never_panics_and_positions_are_valid(name in name_strategy(), query in query_strategy()) {
            let chars = name.chars().count();
            if let Some(m) = match_name(&query, &name) {
                prop_assert!(m.positions.iter().all(|&p| p < chars));
                prop_assert!(m.positions.windows(2).all(|w| w[0] < w[1]));
                prop_assert_eq!(Query::new(&query).score(&name), Some(m.score));
                // A non-empty query always highlights something.
                prop_assert_eq!(Query::new(&query).is_empty(), m.positions.is_empty());
            } else {
                prop_assert_eq!(Query::new(&query).score(&name), None);
            }
            let _ = sort_key(&name);
            let _ = initials(&name);
        }

        #[test]
        fn appending_to_a_query_only_narrows(name in name_strategy(), query in "[a-z4湖区]{0,4}", more in "[a-z1湖]{1,2}") {
            let longer = format!("{query}{more}");
            if match_name(&longer, &name).is_some() {
                prop_assert!(match_name(&query, &name).is_some());
            }
        }

        #[test]
        fn index_agrees_with_match_name(names in proptest::collection::vec(name_strategy(), 0..12), query in query_strategy()) {
            let mut index = NameIndex::new();
            for (key, name) in names.iter().enumerate() {
                index.insert(key as u32, name);
            }
            let hits = index.search(&query);
            let expected = names.iter().filter(|n| match_name(&query, n).is_some()).count();
            prop_assert_eq!(hits.len(), expected);
            for hit in &hits {
                let name = &names[hit.key as usize];
                let m = match_name(&query, name);
                prop_assert_eq!(m.as_ref().map(|m| m.score), Some(hit.score));
                prop_assert_eq!(index.positions(hit.key, &query), m.map(|m| m.positions).unwrap_or_default());
            }
        }
    }
}
