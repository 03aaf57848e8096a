//! Party building (党建指导, [6/6]): the register of party-building
//! instructors (党建指导员: name, unit, phone, the organizations each
//! covers, the visits made). An organization's own party organization
//! (name, secretary, date set up, members, probationary members, activists;
//! the reason and planned date where there is none) is part of the
//! organization (`Organization::party_*`, checked there).
//!
//! Visits are a map, not a list: the store keeps lists as sets of strings
//! (`store/fields.rs`), so each visit has a key, `YYYY-MM-DD-NN` (its date
//! and its number on that day), and its fields merge one by one when two
//! offices edit the same instructor.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{bounds, phone, Kind, Rule, ValidationErrors};

/// One visit of an instructor to an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyVisit {
    pub date: NaiveDate,
    /// Id of the organization visited.
    pub org: String,
    pub note: String,
    pub author: Option<String>,
}

/// A party-building instructor (党建指导员).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instructor {
    pub name: String,
    /// The unit the instructor comes from (街道党工委, 社区党委...).
    pub unit: String,
    pub phone: Option<String>,
    /// Ids of the organizations covered (a set).
    pub orgs: Vec<String>,
    /// Visits by `YYYY-MM-DD-NN`.
    pub visits: BTreeMap<String, PartyVisit>,
    pub notes: Option<String>,
}

/// Visits kept per instructor at most.
pub const VISITS_MAX: usize = 2_000;

fn clean(o: &mut Option<String>) {
    if let Some(s) = o {
        let t = s.trim();
        *o = (!t.is_empty()).then(|| t.to_string());
    }
}

impl Instructor {
    pub fn new(name: &str, unit: &str) -> Instructor {
        Instructor {
            name: name.to_string(),
            unit: unit.to_string(),
            phone: None,
            orgs: Vec::new(),
            visits: BTreeMap::new(),
            notes: None,
        }
    }

    /// Adds a visit under a key of its date not used yet; an organization
    /// visited is covered.
    pub fn push_visit(&mut self, v: PartyVisit) -> String {
        let day = v.date.format("%Y-%m-%d").to_string();
        let n = (1..)
            .find(|n| !self.visits.contains_key(&format!("{day}-{n:02}")))
            .unwrap_or(1);
        let key = format!("{day}-{n:02}");
        if !self.orgs.contains(&v.org) {
            self.orgs.push(v.org.clone());
        }
        self.visits.insert(key.clone(), v);
        key
    }

    /// The visits, newest first.
    pub fn visit_list(&self) -> Vec<&PartyVisit> {
        self.visits.values().rev().collect()
    }

    pub fn normalize(&mut self) {
        self.name = self.name.trim().to_string();
        self.unit = self.unit.trim().to_string();
        clean(&mut self.phone);
        clean(&mut self.notes);
        bounds::unix_lines(&mut self.notes);
        if let Some(p) = &self.phone {
            if let Some(n) = phone::normalize(p) {
                self.phone = Some(n);
            }
        }
        for o in self.orgs.iter_mut() {
            *o = o.trim().to_string();
        }
        self.orgs.retain(|o| !o.is_empty());
        self.orgs.sort();
        self.orgs.dedup();
        for v in self.visits.values_mut() {
            v.org = v.org.trim().to_string();
            v.note = v.note.trim().to_string();
            clean(&mut v.author);
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Instructor;
        for (f, v) in [("name", &self.name), ("unit", &self.unit)] {
            if v.is_empty() {
                e.push(f, Rule::Required);
            } else {
                bounds::text(&mut e, k, f, v);
            }
        }
        if let Some(p) = &self.phone {
            if !phone::is_valid(p) {
                e.push("phone", Rule::Phone);
            }
        }
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::texts(&mut e, k, "orgs", self.orgs.iter());
        if self.visits.len() > VISITS_MAX {
            e.push("visits", Rule::TooMany { max: VISITS_MAX });
        }
        for v in self.visits.values() {
            bounds::opt_date(&mut e, "date", Some(v.date));
            if v.org.is_empty() {
                e.push("org", Rule::Required);
            }
            if v.note.is_empty() {
                e.push("note", Rule::Required);
            } else {
                bounds::text(&mut e, k, "note", &v.note);
            }
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_covers_its_organization_and_keeps_its_own_key() {
        let mut i = Instructor::new(" 周建国 ", "北山街道党工委");
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        let v = PartyVisit {
            date: d,
            org: "o-1".into(),
            note: "指导组建联合党支部".into(),
            author: None,
        };
        assert_eq!(i.push_visit(v.clone()), "2026-11-03-01");
        assert_eq!(i.push_visit(v), "2026-11-03-02");
        i.normalize();
        assert_eq!(i.name, "周建国");
        assert_eq!(i.orgs, ["o-1"]);
        assert!(i.validate().is_ok());
        i.phone = Some("5".into());
        i.unit = String::new();
        let e = i.validate().unwrap_err();
        assert!(e.for_field("phone").is_some() && e.for_field("unit").is_some());
    }
}
