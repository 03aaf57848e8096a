//! The evaluations pane's search, as in the organizations pane: names
//! found by Chinese, full pinyin or initials as they are typed, best first
//! (ties in the order chosen with `s`), the matched characters marked.

use std::collections::HashMap;

use crate::search::Query;

use super::data::EvalRow;

/// `order` (row numbers in the chosen order) narrowed to the rows whose
/// name matches `query`, best first; ties keep their place in `order`.
/// An empty query keeps every row.
pub fn narrow(rows: &[EvalRow], order: Vec<usize>, query: &str) -> Vec<usize> {
    let q = Query::new(query);
    if q.is_empty() {
        return order;
    }
    let mut hits: Vec<(usize, i64)> = order
        .into_iter()
        .filter_map(|i| rows.get(i).and_then(|r| q.score(&r.name)).map(|s| (i, s)))
        .collect();
    // Stable: equal scores stay in the chosen order.
    hits.sort_by_key(|h| std::cmp::Reverse(h.1));
    hits.into_iter().map(|(i, _)| i).collect()
}

/// The matched character positions of the names of `shown` rows.
pub fn marks(rows: &[EvalRow], shown: &[usize], query: &str) -> HashMap<usize, Vec<usize>> {
    let q = Query::new(query);
    if q.is_empty() {
        return HashMap::new();
    }
    shown
        .iter()
        .filter_map(|&i| {
            let m = q.find(&rows.get(i)?.name)?;
            Some((i, m.positions))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> EvalRow {
        EvalRow {
            org: name.into(),
            name: name.into(),
            history: Vec::new(),
        }
    }

    #[test]
    fn narrows_best_first_and_marks() {
        let rows = vec![
            row("宝石社区书画社"),
            row("书画爱好者协会"),
            row("望江门社区银龄互助会"),
        ];
        assert_eq!(narrow(&rows, vec![0, 1, 2], ""), vec![0, 1, 2]);
        assert_eq!(narrow(&rows, vec![0, 1, 2], "sh"), vec![1, 0, 2]);
        assert_eq!(narrow(&rows, vec![2, 1, 0], "wjm"), vec![2]);
        assert_eq!(narrow(&rows, vec![0, 1, 2], "书画"), vec![1, 0]);
        let m = marks(&rows, &[0, 2], "wjm");
        assert_eq!(m.get(&2), Some(&vec![0, 1, 2]));
        assert!(!m.contains_key(&0));
    }
}
