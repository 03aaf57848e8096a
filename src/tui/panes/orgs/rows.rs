//! The organizations as table rows: the few fields the table, the filters
//! and the sort orders need, computed once at load and on each change. The
//! full record is read from the store only for the detail panel.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::model::{
    Domain, InspectionResult, OrgType, Organization, Party, Place, RatingLevel, RegState,
};

/// Place names and parents, to show an organization's place and to filter
/// by a community (which takes in its grid cells).
#[derive(Debug, Clone, Default)]
pub struct PlaceNames {
    /// Code -> (name, parent code).
    by_code: HashMap<String, (String, Option<String>)>,
}

impl PlaceNames {
    pub fn new(places: &[Place]) -> Self {
        PlaceNames {
            by_code: places
                .iter()
                .map(|p| (p.code.clone(), (p.name.clone(), p.parent.clone())))
                .collect(),
        }
    }

    /// The name of a place (its code if unknown).
    pub fn name<'a>(&'a self, code: &'a str) -> &'a str {
        self.by_code
            .get(code)
            .map(|(n, _)| n.as_str())
            .unwrap_or(code)
    }

    /// `code` and the codes of every place under it (a community and its
    /// grid cells), for the place filter.
    pub fn covered(&self, code: &str) -> HashSet<String> {
        self.by_code
            .keys()
            .filter(|c| self.chain(c).iter().any(|x| x == code))
            .cloned()
            .chain(std::iter::once(code.to_string()))
            .collect()
    }

    /// The codes of `code` and every place above it, nearest first.
    pub fn chain(&self, code: &str) -> Vec<String> {
        let mut out = vec![code.to_string()];
        let mut cur = code;
        while let Some((_, Some(parent))) = self.by_code.get(cur) {
            if out.iter().any(|c| c == parent) || out.len() > 8 {
                break;
            }
            out.push(parent.clone());
            cur = parent;
        }
        out
    }
}

/// One organization as the table shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub kind: OrgType,
    pub state: RegState,
    /// Name of the organization's place (grid cell or community).
    pub place: String,
    /// Code of that place.
    pub grid: Option<String>,
    pub rating: Option<RatingLevel>,
    pub party: Party,
    pub inspection: Option<(i32, InspectionResult)>,
    pub founded: Option<NaiveDate>,
    pub domains: Vec<Domain>,
    /// Person in charge and phone number (empty when unknown): the search
    /// finds organizations by them too.
    pub contact: Box<str>,
    pub phone: Box<str>,
    /// Pinyin collation key of the name.
    pub sort_key: String,
    /// Deleted in this session (kept so an undo can bring it back in place).
    pub deleted: bool,
}

impl OrgRow {
    /// The row for `org`.
    pub fn new(id: String, org: &Organization, places: &PlaceNames) -> Self {
        let place = match &org.grid {
            Some(g) => places.name(g).to_string(),
            None => String::new(),
        };
        OrgRow {
            id,
            name: org.name.clone(),
            kind: org.kind,
            state: org.state,
            place,
            grid: org.grid.clone(),
            rating: org.rating.as_ref().map(|r| r.level),
            party: org.party,
            inspection: org.latest_inspection().map(|(y, i)| (y, i.result)),
            founded: org.founded,
            domains: org.domains.clone(),
            contact: org.contact.as_deref().unwrap_or("").into(),
            phone: org.phone.as_deref().unwrap_or("").into(),
            sort_key: crate::search::sort_key(&org.name),
            deleted: false,
        }
    }
}

/// Sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

/// Compares two rows by name (pinyin), then by the name itself and the id
/// so the order is total and stable.
pub fn cmp_name(a: &OrgRow, b: &OrgRow) -> Ordering {
    a.sort_key
        .cmp(&b.sort_key)
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.id.cmp(&b.id))
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
    use crate::model::{PlaceLevel, Rating};

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
