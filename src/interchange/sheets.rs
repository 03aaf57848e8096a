//! Spreadsheet columns of every kind but organizations (which have their
//! own, importable columns in [`super::orgs`]): one column per field, in the
//! order a person reads them (id, then name or title, then the rest), enum
//! values as their label in the export's language, lists joined with
//! [`LIST_SEP`], dates as `YYYY-MM-DD`, and references readable: beside a
//! place code its place's name, beside an organization, need or offer id
//! the record's name or title.
//!
//! Column keys are field keys (`field.*` or `interchange.col_*` in the
//! text tables), turned into headers by [`super::header`]; a reference
//! column keeps the stored id or code, and a `…_name` column beside it
//! (`grid_name`, `org_name`...) holds the name. The only columns that are
//! not keys are an
//! evaluation's dimension subtotals, whose key is the dimension's label
//! (rubrics can be replaced, so there is no fixed key for them).
//!
//! What a sheet refers to is read from the store once per export
//! ([`Lookups::load`]), not once per row.

mod activity;
mod center;
mod filing;
mod incubation;
mod lead;
mod linkage;
mod party;
mod people;
mod training;
mod venture;

use std::collections::HashMap;
use std::fmt::Display;

use chrono::{NaiveDate, NaiveTime};

use super::orgs::LIST_SEP;
use crate::model::{Kind, Labeled, Lang, Place, Record, Rubric};
use crate::store::{Store, StoreError};

/// Columns (keys) and rows of cells of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Names of the records a sheet refers to, and the rubric for evaluations.
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    /// Place name by code.
    places: HashMap<String, String>,
    /// Community code by place code (a community maps to itself).
    community_of: HashMap<String, String>,
    /// Name or title by id, per kind.
    names: HashMap<Kind, HashMap<String, String>>,
    /// The rubric in force (evaluations only; `None` when it cannot be read).
    pub rubric: Option<Rubric>,
    /// Venture projects' review scores, tenths (projects only).
    pub totals: HashMap<String, u32>,
}

impl Lookups {
    /// What a sheet of `kind` refers to, read from `store` once.
    pub fn load(store: &Store, kind: Kind) -> Result<Lookups, StoreError> {
        let mut lk = Lookups::default();
        let (places, refs): (bool, &[Kind]) = match kind {
            Kind::Org => (false, &[]),
            Kind::Place | Kind::Need => (true, &[]),
            Kind::Offer => (true, &[Kind::Org, Kind::Worker, Kind::Partner]),
            Kind::Worker => (true, &[Kind::Org]),
            Kind::Partner => (false, &[]),
            Kind::Linkage => (false, &[Kind::Need, Kind::Offer]),
            Kind::Activity => (true, &[Kind::Org, Kind::Need]),
            Kind::Evaluation => (false, &[Kind::Org]),
            Kind::Round => (true, &[]),
            Kind::Application => (true, &[Kind::Round, Kind::Org]),
            Kind::Review | Kind::Visit => (false, &[Kind::Application]),
            Kind::Space => (false, &[]),
            Kind::Enrollment => (false, &[Kind::Org, Kind::Space]),
            Kind::Service => (false, &[Kind::Org]),
            Kind::Training => (false, &[]),
            Kind::Attendance => (false, &[Kind::Training, Kind::Org]),
            Kind::Lead => (false, &[]),
            Kind::Center => (false, &[Kind::Org]),
            Kind::TrainingPlan => (false, &[]),
            Kind::Cohort => (false, &[]),
            Kind::Filing => (true, &[Kind::Org]),
            Kind::Instructor => (false, &[Kind::Org]),
        };
        if places {
            lk.set_places(&store.places()?);
        }
        for k in refs {
            lk.add_names(*k, store.names(*k)?);
        }
        if kind == Kind::Evaluation {
            // A rubric that cannot be read leaves out the subtotals and the
            // grade rather than computing them under another rubric.
            lk.rubric = crate::report::load_rubric(crate::config::config_dir().as_deref()).ok();
        }
        if kind == Kind::Application {
            let v = crate::report::venture::Ventures::load(store)?;
            lk.totals = v
                .apps
                .iter()
                .filter_map(|(id, _)| {
                    v.total(id, crate::model::venture::Stage::Review)
                        .map(|t| (id.clone(), t))
                })
                .collect();
        }
        Ok(lk)
    }

    /// Takes in the places (names and communities).
    pub fn set_places(&mut self, places: &[Place]) {
        self.community_of = crate::report::community_map(places);
        self.places = places
            .iter()
            .map(|p| (p.code.clone(), p.name.clone()))
            .collect();
    }

    /// Takes in `(id, name)` pairs of a kind.
    pub fn add_names(&mut self, kind: Kind, pairs: impl IntoIterator<Item = (String, String)>) {
        self.names.entry(kind).or_default().extend(pairs);
    }

    /// The name of a record ("" when unknown, e.g. deleted).
    fn name(&self, kind: Kind, id: &str) -> &str {
        self.names
            .get(&kind)
            .and_then(|m| m.get(id))
            .map_or("", String::as_str)
    }

    /// The names of records, joined (unknown ones left out).
    fn names(&self, kind: Kind, ids: &[String]) -> String {
        join(ids.iter().map(|id| self.name(kind, id)))
    }

    /// The name of a place ("" when unknown).
    fn place(&self, code: &str) -> &str {
        self.places.get(code).map_or("", String::as_str)
    }

    /// The names of places, joined.
    fn place_names(&self, codes: &[String]) -> String {
        join(codes.iter().map(|c| self.place(c)))
    }

    /// The name of the community a place is in ("" above community level).
    fn community(&self, code: &str) -> &str {
        self.community_of.get(code).map_or("", |c| self.place(c))
    }
}

/// Every record of `kind` as a sheet; `None` for organizations.
pub fn sheet(kind: Kind, records: &[(String, Record)], lk: &Lookups, lang: Lang) -> Option<Sheet> {
    let columns: Vec<String> = match kind {
        Kind::Org => return None,
        Kind::Place => keys(people::PLACE),
        Kind::Worker => keys(people::WORKER),
        Kind::Partner => keys(people::PARTNER),
        Kind::Need => keys(linkage::NEED),
        Kind::Offer => keys(linkage::OFFER),
        Kind::Linkage => keys(linkage::LINKAGE),
        Kind::Activity => keys(activity::ACTIVITY),
        Kind::Evaluation => activity::evaluation_columns(lk.rubric.as_ref(), lang),
        Kind::Round => keys(venture::ROUND),
        Kind::Application => keys(venture::APPLICATION),
        Kind::Review => keys(venture::REVIEW),
        Kind::Visit => keys(venture::VISIT),
        Kind::Space => keys(incubation::SPACE),
        Kind::Enrollment => keys(incubation::ENROLLMENT),
        Kind::Service => keys(incubation::SERVICE),
        Kind::Training => keys(training::TRAINING),
        Kind::Attendance => keys(training::ATTENDANCE),
        Kind::Lead => keys(lead::LEAD),
        Kind::Center => keys(center::CENTER),
        Kind::TrainingPlan => keys(training::PLAN),
        Kind::Cohort => keys(incubation::COHORT),
        Kind::Filing => keys(filing::FILING),
        Kind::Instructor => keys(party::INSTRUCTOR),
    };
    let rows = records
        .iter()
        .filter_map(|(id, r)| match r {
            Record::Org(_) => None,
            Record::Place(p) => Some(people::place(p, lk, lang)),
            Record::Worker(w) => Some(people::worker(id, w, lk, lang)),
            Record::Partner(p) => Some(people::partner(id, p, lang)),
            Record::Need(n) => Some(linkage::need(id, n, lk, lang)),
            Record::Offer(o) => Some(linkage::offer(id, o, lk, lang)),
            Record::Linkage(l) => Some(linkage::linkage(id, l, lk, lang)),
            Record::Activity(a) => Some(activity::activity(id, a, lk, lang)),
            Record::Evaluation(e) => Some(activity::evaluation(id, e, lk, lang)),
            Record::Round(r) => Some(venture::round(id, r, lk, lang)),
            Record::Application(a) => Some(venture::application(id, a, lk, lang)),
            Record::Review(s) => Some(venture::review(id, s, lk, lang)),
            Record::Visit(v) => Some(venture::visit(id, v, lk, lang)),
            Record::Space(s) => Some(incubation::space(id, s, lang)),
            Record::Enrollment(e) => Some(incubation::enrollment(id, e, lk, lang)),
            Record::Service(s) => Some(incubation::service(id, s, lk, lang)),
            Record::Training(t) => Some(training::training(id, t, lang)),
            Record::Attendance(a) => Some(training::attendance(id, a, lk, lang)),
            Record::Lead(l) => Some(lead::lead(id, l, lang)),
            Record::Center(c) => Some(center::center(id, c, lk, lang)),
            Record::TrainingPlan(p) => Some(training::plan(id, p, lang)),
            Record::Cohort(c) => Some(incubation::cohort(id, c)),
            Record::Filing(f) => Some(filing::filing(id, f, lk, lang)),
            Record::Instructor(i) => Some(party::instructor(id, i, lk)),
        })
        .collect();
    Some(Sheet { columns, rows })
}

fn keys(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| c.to_string()).collect()
}

/// Non-empty parts joined with [`LIST_SEP`].
fn join<S: AsRef<str>>(parts: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    for p in parts {
        let p = p.as_ref();
        if !p.is_empty() {
            if !out.is_empty() {
                out.push_str(LIST_SEP);
            }
            out.push_str(p);
        }
    }
    out
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn num<T: Display>(v: Option<T>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

fn date(v: Option<NaiveDate>) -> String {
    v.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn time(v: Option<NaiveTime>) -> String {
    v.map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
}

/// Labels of enum values, joined.
fn labels<T: Labeled>(v: &[T], lang: Lang) -> String {
    join(v.iter().map(|x| x.label(lang)))
}

fn yes_no(b: bool, lang: Lang) -> String {
    let key = if b {
        "interchange.yes"
    } else {
        "interchange.no"
    };
    crate::text::t_in(lang, key).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Need, PlaceLevel};

    /// A township with a community and a grid cell, as the tests' lookups.
    pub(super) fn lookups() -> Lookups {
        let place = |code: &str, name: &str, level, parent: Option<&str>| Place {
            code: code.into(),
            name: name.into(),
            level,
            parent: parent.map(str::to_string),
        };
        let mut lk = Lookups::default();
        lk.set_places(&[
            place("BSJ", "北山街道", PlaceLevel::Township, Some("XH")),
            place("BSJ-01", "宝石山社区", PlaceLevel::Community, Some("BSJ")),
            place("BSJ-01-01", "第一网格", PlaceLevel::Grid, Some("BSJ-01")),
        ]);
        lk.add_names(
            Kind::Org,
            [("k1-1".to_string(), "宝石山读书会".to_string())],
        );
        lk.add_names(
            Kind::Need,
            [("n1-1".to_string(), "独居老人助餐".to_string())],
        );
        lk.add_names(Kind::Offer, [("f1-1".to_string(), "爱心午餐".to_string())]);
        lk.add_names(Kind::Worker, [("w1-1".to_string(), "陈静".to_string())]);
        lk
    }

    /// The cell of `column` in a one-row sheet.
    pub(super) fn cell<'a>(s: &'a Sheet, column: &str) -> &'a str {
        let i = s
            .columns
            .iter()
            .position(|c| c == column)
            .unwrap_or_else(|| panic!("no column {column} in {:?}", s.columns));
        &s.rows[0][i]
    }

    #[test]
    fn lookups_name_places_communities_and_records() {
        let lk = lookups();
        assert_eq!(lk.place("BSJ-01-01"), "第一网格");
        assert_eq!(lk.community("BSJ-01-01"), "宝石山社区");
        assert_eq!(lk.community("BSJ-01"), "宝石山社区");
        assert_eq!(lk.community("BSJ"), "");
        assert_eq!(lk.place("NOPE"), "");
        assert_eq!(lk.name(Kind::Org, "k1-1"), "宝石山读书会");
        assert_eq!(
            lk.names(Kind::Org, &["gone".into(), "k1-1".into()]),
            "宝石山读书会"
        );
        assert_eq!(
            lk.place_names(&["BSJ-01".into(), "BSJ-01-01".into()]),
            "宝石山社区、第一网格"
        );
    }

    #[test]
    fn every_kind_but_orgs_has_rows_as_wide_as_its_columns() {
        let lk = lookups();
        let need = Need {
            title: "助餐".into(),
            grid: "BSJ-01-01".into(),
            ..Default::default()
        };
        let s = sheet(
            Kind::Need,
            &[("n1-2".into(), Record::Need(need))],
            &lk,
            Lang::Zh,
        )
        .unwrap();
        assert_eq!(s.columns[0], "id");
        assert_eq!(s.rows.len(), 1);
        assert_eq!(s.rows[0].len(), s.columns.len());
        assert!(sheet(Kind::Org, &[], &lk, Lang::Zh).is_none());
        // Every column has a header in both languages.
        for kind in Kind::ALL.iter().copied().filter(|k| *k != Kind::Org) {
            let s = sheet(kind, &[], &lk, Lang::En).unwrap();
            for c in &s.columns {
                for lang in [Lang::Zh, Lang::En] {
                    let known = |key: String| crate::text::t_in(lang, &key) != key;
                    assert!(
                        known(format!("field.{c}")) || known(format!("interchange.col_{c}")),
                        "{kind:?} {c} {lang:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn cells_are_formatted_for_people() {
        assert_eq!(join(["a", "", "b"]), "a、b");
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 3, 1)), "2026-03-01");
        assert_eq!(time(NaiveTime::from_hms_opt(9, 5, 0)), "09:05");
        assert_eq!(num(Some(12u32)), "12");
        assert_eq!(num::<u32>(None), "");
        assert_eq!(yes_no(true, Lang::Zh), "是");
        assert_eq!(yes_no(false, Lang::En), "no");
    }
}
