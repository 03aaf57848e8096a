//! The organizations as table rows: the few fields the table, the filters
//! and the sort orders need, computed once at load and on each change. The
//! full record is read from the store only for the detail panel. The row
//! itself, its place names and its name order live below the TUI
//! (`derived::org_rows`: the rows are a projection kept beside the
//! database); the other orders are here.

use std::cmp::Ordering;

pub use crate::derived::org_rows::{cmp_name, OrgRow, PlaceNames};

/// Sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum SortBy {
    /// Pinyin order of names.
    #[default]
    Name,
    /// Founding date, oldest first; unknown dates last.
    Founded,
    /// Rating, highest first; unrated last.
    Rating,
}

impl SortBy {
    /// The text key of its name.
    pub fn text_key(self) -> &'static str {
        match self {
            SortBy::Name => "tui.sort.name",
            SortBy::Founded => "tui.sort.founded",
            SortBy::Rating => "tui.sort.rating",
        }
    }
}

/// Compares two rows for `by`, ties broken by name.
pub fn cmp_rows(by: SortBy, a: &OrgRow, b: &OrgRow) -> Ordering {
    match by {
        SortBy::Name => cmp_name(a, b),
        SortBy::Founded => match (a.founded, b.founded) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| cmp_name(a, b)),
        SortBy::Rating => match (a.rating, b.rating) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| cmp_name(a, b)),
    }
}

/// Row keys (positions) sorted by `by`.
pub fn order(rows: &[OrgRow], by: SortBy) -> Vec<u32> {
    let mut keys: Vec<u32> = (0..rows.len() as u32).collect();
    // The comparison is total (ties end on the id), so unstable is fine.
    keys.sort_unstable_by(|&a, &b| cmp_rows(by, &rows[a as usize], &rows[b as usize]));
    keys
}

/// Inserts `key` into `order` (sorted by `by`) at its place.
pub fn insert_sorted(order: &mut Vec<u32>, rows: &[OrgRow], by: SortBy, key: u32) {
    let row = &rows[key as usize];
    let at = order.partition_point(|&k| cmp_rows(by, &rows[k as usize], row) == Ordering::Less);
    order.insert(at, key);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgType, Organization, Place, PlaceLevel, Rating, RatingLevel};

    fn places() -> Vec<Place> {
        vec![
            Place {
                code: "BSJ".into(),
                name: "北山街道".into(),
                level: PlaceLevel::Township,
                parent: None,
            },
            Place {
                code: "BSJ-01".into(),
                name: "宝石社区".into(),
                level: PlaceLevel::Community,
                parent: Some("BSJ".into()),
            },
            Place {
                code: "BSJ-01-01".into(),
                name: "宝石一网格".into(),
                level: PlaceLevel::Grid,
                parent: Some("BSJ-01".into()),
            },
        ]
    }

    fn row(id: &str, name: &str) -> OrgRow {
        let names = PlaceNames::new(&places());
        let mut o = Organization::new(name, OrgType::Community);
        o.grid = Some("BSJ-01-01".into());
        OrgRow::new(id.into(), &o, &names)
    }

    #[test]
    fn place_and_chain() {
        let r = row("1", "望江门社区银龄互助会");
        assert_eq!(r.place, "宝石一网格");
        let names = PlaceNames::new(&places());
        assert_eq!(names.chain("BSJ-01-01"), vec!["BSJ-01-01", "BSJ-01", "BSJ"]);
        let covered = names.covered("BSJ-01");
        assert!(covered.contains("BSJ-01-01") && covered.contains("BSJ-01"));
        assert!(!covered.contains("BSJ"));
    }

    #[test]
    fn name_order_is_pinyin() {
        let rows = vec![
            row("1", "望江门社区银龄互助会"),
            row("2", "阿拉丁读书会"),
            row("3", "湖滨晴雨志愿队"),
        ];
        let o = order(&rows, SortBy::Name);
        let names: Vec<&str> = o.iter().map(|&k| rows[k as usize].name.as_str()).collect();
        assert_eq!(
            names,
            vec!["阿拉丁读书会", "湖滨晴雨志愿队", "望江门社区银龄互助会"]
        );
    }

    #[test]
    fn rating_order_highest_first_unrated_last() {
        let names = PlaceNames::new(&places());
        let mut a = Organization::new("甲", OrgType::Community);
        a.rating = Some(Rating {
            level: RatingLevel::A3,
            expires: None,
        });
        let mut b = Organization::new("乙", OrgType::Community);
        b.rating = Some(Rating {
            level: RatingLevel::A5,
            expires: None,
        });
        let c = Organization::new("丙", OrgType::Community);
        let rows = vec![
            OrgRow::new("a".into(), &a, &names),
            OrgRow::new("b".into(), &b, &names),
            OrgRow::new("c".into(), &c, &names),
        ];
        assert_eq!(order(&rows, SortBy::Rating), vec![1, 0, 2]);
        let mut o = vec![1, 2];
        insert_sorted(&mut o, &rows, SortBy::Rating, 0);
        assert_eq!(o, vec![1, 0, 2]);
    }
}
