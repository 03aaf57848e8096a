//! Which organizations the table shows, in which order: the filters
//! (community/grid, type, state, domain), the sort, and the search.

use std::collections::HashSet;

use crate::model::{Domain, Labeled, OrgType, RegState};

use super::rows::OrgRow;

/// The place filter: a place and every place under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceFilter {
    pub code: String,
    pub name: String,
    pub covered: HashSet<String>,
}

/// The filters in force (all must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub place: Option<PlaceFilter>,
    pub kind: Option<OrgType>,
    pub state: Option<RegState>,
    pub domain: Option<Domain>,
}

impl Filters {
    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        self.place.is_none() && self.kind.is_none() && self.state.is_none() && self.domain.is_none()
    }

    /// True if `row` passes every filter (deleted rows never do).
    pub fn accepts(&self, row: &OrgRow) -> bool {
        if row.deleted {
            return false;
        }
        if let Some(p) = &self.place {
            match &row.grid {
                Some(g) if p.covered.contains(g) => {}
                _ => return false,
            }
        }
        if self.kind.is_some_and(|k| k != row.kind) {
            return false;
        }
        if self.state.is_some_and(|s| s != row.state) {
            return false;
        }
        if let Some(d) = self.domain {
            if !row.domains.contains(&d) {
                return false;
            }
        }
        true
    }

    /// The filters as labels in the current language, for the status line.
    pub fn labels(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = &self.place {
            out.push(p.name.clone());
        }
        if let Some(k) = self.kind {
            out.push(crate::text::label(k).to_string());
        }
        if let Some(s) = self.state {
            out.push(crate::text::label(s).to_string());
        }
        if let Some(d) = self.domain {
            out.push(d.label(crate::text::lang()).to_string());
        }
        out
    }
}

/// The rows to show without a search: `order` (a sort order of every row)
/// filtered, reversed if asked.
pub fn list_view(rows: &[OrgRow], order: &[u32], reverse: bool, filters: &Filters) -> Vec<u32> {
    let keep = |k: &&u32| rows.get(**k as usize).is_some_and(|r| filters.accepts(r));
    if reverse {
        order.iter().rev().filter(keep).copied().collect()
    } else {
        order.iter().filter(keep).copied().collect()
    }
}

/// The rows to show for a search: the hits (best first, as the index
/// orders them) that pass the filters.
pub fn search_view(rows: &[OrgRow], hits: &[(u32, i64)], filters: &Filters) -> Vec<u32> {
    hits.iter()
        .filter(|(k, _)| rows.get(*k as usize).is_some_and(|r| filters.accepts(r)))
        .map(|&(k, _)| k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Organization;
    use crate::tui::panes::orgs::rows::PlaceNames;

    fn rows() -> Vec<OrgRow> {
        let names = PlaceNames::default();
        let mut a = Organization::new("甲", OrgType::Community);
        a.grid = Some("BSJ-01-01".into());
        a.domains = vec![Domain::Elderly];
        let mut b = Organization::new("乙", OrgType::Foundation);
        b.state = RegState::Registered;
        b.grid = Some("BSJ-02-01".into());
        let c = Organization::new("丙", OrgType::Community);
        vec![
            OrgRow::new("a".into(), &a, &names),
            OrgRow::new("b".into(), &b, &names),
            OrgRow::new("c".into(), &c, &names),
        ]
    }

    #[test]
    fn filters_combine() {
        let rows = rows();
        let order = vec![0, 1, 2];
        let mut f = Filters::default();
        assert_eq!(list_view(&rows, &order, false, &f), vec![0, 1, 2]);
        assert_eq!(list_view(&rows, &order, true, &f), vec![2, 1, 0]);
        f.kind = Some(OrgType::Community);
        assert_eq!(list_view(&rows, &order, false, &f), vec![0, 2]);
        f.domain = Some(Domain::Elderly);
        assert_eq!(list_view(&rows, &order, false, &f), vec![0]);
        let mut f = Filters {
            place: Some(PlaceFilter {
                code: "BSJ-02".into(),
                name: "x".into(),
                covered: ["BSJ-02".to_string(), "BSJ-02-01".to_string()]
                    .into_iter()
                    .collect(),
            }),
            ..Default::default()
        };
        assert_eq!(list_view(&rows, &order, false, &f), vec![1]);
        f.place = None;
        f.state = Some(RegState::Filed);
        assert_eq!(list_view(&rows, &order, false, &f), vec![0, 2]);
    }

    #[test]
    fn deleted_rows_are_hidden_and_search_keeps_the_hit_order() {
        let mut rows = rows();
        rows[1].deleted = true;
        let f = Filters::default();
        assert_eq!(list_view(&rows, &[0, 1, 2], false, &f), vec![0, 2]);
        let hits = vec![(1, 99), (2, 10), (0, 10)];
        assert_eq!(search_view(&rows, &hits, &f), vec![2, 0]);
    }
}
