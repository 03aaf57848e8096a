//! Which organizations the table shows, in which order: the filters
//! (community/grid, type, state, domain), the sort, and the search (by
//! name, and by person in charge or phone number).

use std::collections::HashSet;

use crate::model::{Domain, Labeled, OrgType, RegState};
use crate::search::Query;

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

pub use crate::search::people::{people_query, phone_query};

/// Rows found by their person in charge (the query matched as a name is)
/// or their phone number (`digits`: the query's digits, matched anywhere in
/// the number), best first (ties in row order), with scores comparable to
/// the name search's. Deleted rows and the rows marked in `skip` (found by
/// name already) are left out; `within`: only these rows are looked at
/// (the last result, when the query grew). `masks` are the rows'
/// [`contact_mask`]s: a row whose mask lacks a letter of the query is
/// passed over without matching.
pub fn people_hits(
    rows: &[OrgRow],
    masks: &[u64],
    query: &Query,
    digits: Option<&str>,
    skip: &[bool],
    within: Option<&[u32]>,
) -> Vec<(u32, i64)> {
    let need = query.mask();
    let mut out = Vec::new();
    let keys: Box<dyn Iterator<Item = u32>> = match within {
        Some(k) => Box::new(k.iter().copied()),
        None => Box::new(0..rows.len() as u32),
    };
    for key in keys {
        let Some(r) = rows.get(key as usize) else {
            continue;
        };
        if r.deleted || skip.get(key as usize).copied().unwrap_or(false) {
            continue;
        }
        // A row whose mask lacks a letter of the query cannot match by
        // its person in charge: only its number is looked at.
        let fits = masks.get(key as usize).is_none_or(|m| m & need == need);
        let contact = if fits { r.contact.as_ref() } else { "" };
        if let Some(s) = crate::search::people::people_score(query, digits, contact, &r.phone) {
            out.push((key, s));
        }
    }
    out.sort_by_key(|h| std::cmp::Reverse(h.1));
    out
}

/// The search prefilter mask of a row's person in charge (every letter of
/// every reading of every character), for [`people_hits`].
pub fn contact_mask(row: &OrgRow) -> u64 {
    crate::search::query::name_mask(&row.contact)
}

/// Name hits and people hits (each best first) as one list, best first;
/// on equal scores names come first.
pub fn merge_hits(names: Vec<(u32, i64)>, people: Vec<(u32, i64)>) -> Vec<(u32, i64)> {
    if people.is_empty() {
        return names;
    }
    let mut out = Vec::with_capacity(names.len() + people.len());
    let mut p = people.into_iter().peekable();
    for n in names {
        while let Some(h) = p.next_if(|h| h.1 > n.1) {
            out.push(h);
        }
        out.push(n);
    }
    out.extend(p);
    out
}

/// For a row found by person in charge or phone rather than by name: the
/// text shown after its name (`负责人 张伟`, `电话 13812345678`) and the
/// character positions in it that matched.
pub fn found_by(row: &OrgRow, query: &Query, digits: Option<&str>) -> Option<(String, Vec<usize>)> {
    if let Some(m) = (!row.contact.is_empty())
        .then(|| query.find(&row.contact))
        .flatten()
    {
        let label = crate::tr!("tui.search.by_contact", name = "");
        let skip = label.chars().count();
        let text = crate::tr!("tui.search.by_contact", name = row.contact);
        return Some((text, m.positions.iter().map(|p| p + skip).collect()));
    }
    let d = digits?;
    let phone = &row.phone;
    // Positions of the matched digits in the number as stored.
    let spots: Vec<(usize, char)> = phone
        .chars()
        .enumerate()
        .filter(|(_, c)| c.is_ascii_digit())
        .collect();
    let all: String = spots.iter().map(|(_, c)| c).collect();
    let at = all.find(d)?;
    let label = crate::tr!("tui.search.by_phone", phone = "");
    let skip = label.chars().count();
    let text = crate::tr!("tui.search.by_phone", phone = phone);
    let positions = spots[at..at + d.len()]
        .iter()
        .map(|(p, _)| p + skip)
        .collect();
    Some((text, positions))
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
    fn people_and_phones_are_found() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let names = PlaceNames::default();
        let mut a = Organization::new("宝石社区书画社", OrgType::Community);
        a.contact = Some("张伟".into());
        a.phone = Some("0571-8765 4321".into());
        let mut b = Organization::new("张家湾读书会", OrgType::Community);
        b.phone = Some("13812345678".into());
        let rows = vec![
            OrgRow::new("a".into(), &a, &names),
            OrgRow::new("b".into(), &b, &names),
        ];
        let none = [false; 2];
        let masks: Vec<u64> = rows.iter().map(contact_mask).collect();
        // The masks pass the matching contact and stop the other one.
        let q = Query::new("zhangwei");
        assert_eq!(people_hits(&rows, &masks, &q, None, &none, None).len(), 1);
        let q = Query::new("zhangwei");
        assert_eq!(people_hits(&rows, &[], &q, None, &none, None).len(), 1);
        assert!(people_hits(&rows, &[], &q, None, &none, Some(&[1])).is_empty());
        let (text, at) = found_by(&rows[0], &q, None).unwrap();
        assert_eq!(text, "负责人 张伟");
        assert_eq!(at, vec![4, 5]);
        // Digits anywhere in the number, whatever its separators.
        let d = phone_query("8765 43");
        assert_eq!(d.as_deref(), Some("876543"));
        let q = Query::new("8765 43");
        let hits = people_hits(&rows, &masks, &q, d.as_deref(), &none, None);
        assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![0]);
        let (text, at) = found_by(&rows[0], &q, d.as_deref()).unwrap();
        assert_eq!(text, "电话 0571-8765 4321");
        assert_eq!(at, vec![8, 9, 10, 11, 13, 14]);
        let d = phone_query("１３８");
        assert_eq!(
            people_hits(&rows, &masks, &Query::new("138"), d.as_deref(), &none, None)[0].0,
            1
        );
        // Found by name already: left out.
        let skip = [false, true];
        assert!(
            people_hits(&rows, &masks, &Query::new("138"), d.as_deref(), &skip, None).is_empty()
        );
    }

    #[test]
    fn merged_hits_keep_names_first_on_ties() {
        let names = vec![(1, 50), (2, 30), (3, 30)];
        let people = vec![(7, 60), (8, 30), (9, 10)];
        let keys: Vec<u32> = merge_hits(names, people).iter().map(|h| h.0).collect();
        assert_eq!(keys, vec![7, 1, 2, 3, 8, 9]);
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
