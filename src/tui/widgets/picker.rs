//! Filtering the options of a picker by what was typed: the start of the
//! option's key (`comm` -> community, `bsj-01` -> a place code), or a fuzzy
//! match on the label through the search module (Chinese characters, full
//! pinyin, pinyin initials: `sq` finds 社区社会组织).

use super::field::Choice;
use crate::search::Query;

/// Bonus that puts options whose key starts with the query first.
const KEY_PREFIX_BONUS: i64 = 1 << 40;

/// Indices of the options matching `query`, best first (ties keep the
/// options' order). An empty query matches every option, in order.
pub fn filter(query: &str, options: &[Choice]) -> Vec<usize> {
    let q = query.trim();
    if q.is_empty() {
        return (0..options.len()).collect();
    }
    let lower = q.to_lowercase();
    let query = Query::new(q);
    let mut scored: Vec<(i64, usize)> = options
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let label = query.score(&o.label);
            if o.key.to_lowercase().starts_with(&lower) {
                Some((KEY_PREFIX_BONUS + label.unwrap_or(0).max(0), i))
            } else {
                label.map(|s| (s, i))
            }
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| i).collect()
}

/// For each option in `shown` (indices into `options`), the character
/// positions of its label matched by `query`, to highlight them.
pub fn matched_positions(query: &str, options: &[Choice], shown: &[usize]) -> Vec<Vec<usize>> {
    let q = query.trim();
    if q.is_empty() {
        return vec![Vec::new(); shown.len()];
    }
    let query = Query::new(q);
    shown
        .iter()
        .map(|&i| {
            options
                .get(i)
                .and_then(|o| query.find(&o.label))
                .map(|m| m.positions)
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, Labeled, OrgType};

    fn options<T: Labeled>() -> Vec<Choice> {
        T::ALL
            .iter()
            .map(|v| Choice::new(v.key(), v.zh()))
            .collect()
    }

    fn first(query: &str, opts: &[Choice]) -> Option<String> {
        filter(query, opts).first().map(|&i| opts[i].label.clone())
    }

    #[test]
    fn pinyin_initials_and_keys() {
        let types = options::<OrgType>();
        assert_eq!(first("sq", &types).as_deref(), Some("社区社会组织"));
        assert_eq!(first("jjh", &types).as_deref(), Some("基金会"));
        assert_eq!(first("found", &types).as_deref(), Some("基金会"));
        assert_eq!(first("社团", &types).as_deref(), Some("社会团体"));
        assert!(filter("zzzz", &types).is_empty());
        assert_eq!(filter("", &types), vec![0, 1, 2, 3]);
        let domains = options::<Domain>();
        assert_eq!(first("yl", &domains).as_deref(), Some("养老服务"));
        assert_eq!(first("zhiyuan", &domains).as_deref(), Some("志愿服务"));
    }

    #[test]
    fn positions_of_matched_characters() {
        let opts = vec![Choice::new("BSJ-02", "望江门社区 (BSJ-02)")];
        assert_eq!(matched_positions("wjm", &opts, &[0]), vec![vec![0, 1, 2]]);
        assert_eq!(
            matched_positions("", &opts, &[0]),
            vec![Vec::<usize>::new()]
        );
    }

    #[test]
    fn places_by_name_and_code() {
        let places = vec![
            Choice::new("BSJ-01", "宝石社区 (BSJ-01)"),
            Choice::new("BSJ-01-01", "宝石社区 / 宝石一网格 (BSJ-01-01)"),
            Choice::new("BSJ-02", "望江门社区 (BSJ-02)"),
        ];
        assert_eq!(
            first("wjm", &places).as_deref(),
            Some("望江门社区 (BSJ-02)")
        );
        assert_eq!(
            filter("bsj-01-", &places),
            vec![1],
            "the code prefix narrows to the grid"
        );
    }
}
