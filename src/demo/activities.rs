//! The demo township's activities and evaluations (`fixtures/demo/
//! activities.toml`, `evaluations.toml`, written by
//! `fixtures/demo/generate_activities.py`), embedded in the binary. They
//! name organizations by name; loading resolves the names to the ids the
//! store gave the organizations.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;

use super::{load, DemoError};
use crate::model::{Activity, ActivityKind, Domain, Evaluation, Kind, Record, Score};
use crate::store::{Store, StoreError};

/// Name of the embedded activities file, as shown in errors.
pub const ACTIVITIES_FILE: &str = "fixtures/demo/activities.toml";
/// Name of the embedded evaluations file, as shown in errors.
pub const EVALUATIONS_FILE: &str = "fixtures/demo/evaluations.toml";

const ACTIVITIES_TOML: &str = include_str!("../../fixtures/demo/activities.toml");
const EVALUATIONS_TOML: &str = include_str!("../../fixtures/demo/evaluations.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivitiesFile {
    #[serde(default)]
    activity: Vec<ActivityEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityEntry {
    org: Vec<String>,
    date: NaiveDate,
    title: String,
    #[serde(default)]
    kind: ActivityKind,
    domain: Option<Domain>,
    grid: Option<String>,
    venue: Option<String>,
    start: Option<NaiveTime>,
    end: Option<NaiveTime>,
    participants: Option<u32>,
    beneficiaries: Option<u32>,
    volunteer_tenths: Option<u32>,
    summary: Option<String>,
    #[serde(default)]
    publishable: bool,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluationsFile {
    #[serde(default)]
    evaluation: Vec<EvaluationEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluationEntry {
    org: String,
    period: String,
    date: NaiveDate,
    #[serde(default)]
    evaluators: Vec<String>,
    scores: BTreeMap<String, u32>,
}

fn toml_error(file: &str, e: toml::de::Error) -> DemoError {
    DemoError::Toml {
        file: file.to_string(),
        source: Box::new(e),
    }
}

fn unknown_org(file: &str, title: &str, name: &str) -> DemoError {
    DemoError::Invalid {
        file: file.to_string(),
        title: title.to_string(),
        errors: crate::model::ValidationErrors(vec![crate::model::FieldError::new(
            "orgs",
            crate::model::Rule::Other {
                message: format!("unknown organization {name}"),
            },
        )]),
    }
}

/// The demo activities and evaluations as records, with organization names
/// resolved through `ids` (name -> id). Each is normalised and validated.
pub fn activity_records(ids: &HashMap<String, String>) -> Result<Vec<Record>, DemoError> {
    let acts: ActivitiesFile =
        toml::from_str(ACTIVITIES_TOML).map_err(|e| toml_error(ACTIVITIES_FILE, e))?;
    let evals: EvaluationsFile =
        toml::from_str(EVALUATIONS_TOML).map_err(|e| toml_error(EVALUATIONS_FILE, e))?;
    let mut out = Vec::with_capacity(acts.activity.len() + evals.evaluation.len());
    for a in acts.activity {
        let mut orgs = Vec::with_capacity(a.org.len());
        for name in &a.org {
            orgs.push(
                ids.get(name)
                    .cloned()
                    .ok_or_else(|| unknown_org(ACTIVITIES_FILE, &a.title, name))?,
            );
        }
        let mut act = Activity::new("", a.date, a.title);
        act.orgs = orgs;
        act.kind = a.kind;
        act.domain = a.domain;
        act.grid = a.grid;
        act.venue = a.venue;
        act.start = a.start;
        act.end = a.end;
        act.participants = a.participants;
        act.beneficiaries = a.beneficiaries;
        act.volunteer_tenths = a.volunteer_tenths;
        act.summary = a.summary;
        act.publishable = a.publishable;
        act.tags = a.tags;
        out.push((ACTIVITIES_FILE, Record::Activity(act)));
    }
    for e in evals.evaluation {
        let org = ids
            .get(&e.org)
            .cloned()
            .ok_or_else(|| unknown_org(EVALUATIONS_FILE, &e.period, &e.org))?;
        out.push((
            EVALUATIONS_FILE,
            Record::Evaluation(Evaluation {
                org,
                period: e.period,
                evaluators: e.evaluators,
                scores: e
                    .scores
                    .into_iter()
                    .map(|(k, tenths)| (k, Score { tenths, note: None }))
                    .collect(),
                date: e.date,
                notes: None,
            }),
        ));
    }
    let mut records = Vec::with_capacity(out.len());
    for (file, mut r) in out {
        r.normalize();
        if let Err(errors) = r.validate() {
            return Err(DemoError::Invalid {
                file: file.to_string(),
                title: r.title().to_string(),
                errors,
            });
        }
        records.push(r);
    }
    Ok(records)
}

/// The demo activities as patterns for generated ones: each with its
/// title, kind, domain, venue, times, counts, summary and tags as in the
/// fixture, without organizations or place.
pub(super) fn templates() -> Result<Vec<Activity>, DemoError> {
    let acts: ActivitiesFile =
        toml::from_str(ACTIVITIES_TOML).map_err(|e| toml_error(ACTIVITIES_FILE, e))?;
    Ok(acts
        .activity
        .into_iter()
        .map(|a| {
            let mut act = Activity::new("", a.date, a.title);
            act.orgs.clear();
            act.kind = a.kind;
            act.domain = a.domain;
            act.venue = a.venue;
            act.start = a.start;
            act.end = a.end;
            act.participants = a.participants;
            act.beneficiaries = a.beneficiaries;
            act.volunteer_tenths = a.volunteer_tenths;
            act.summary = a.summary;
            act.publishable = a.publishable;
            act.tags = a.tags;
            act
        })
        .collect())
}

/// Why the demo activities could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ActivityLoadError {
    #[error(transparent)]
    Demo(#[from] DemoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Loads the demo activities and evaluations into a store that holds the
/// demo organizations; returns how many records were created.
pub fn load_activities(store: &Store) -> Result<usize, ActivityLoadError> {
    let ids: HashMap<String, String> = store
        .names(Kind::Org)?
        .into_iter()
        .map(|(id, name)| (name, id))
        .collect();
    let records = activity_records(&ids)?;
    Ok(load(store, records)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Labeled;

    #[test]
    fn demo_activities_cover_eighteen_months_and_two_periods() {
        let orgs = super::super::fixture_records().unwrap();
        let ids: HashMap<String, String> = orgs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match r {
                Record::Org(o) => Some((o.name.clone(), format!("o-{i}"))),
                _ => None,
            })
            .collect();
        let records = activity_records(&ids).unwrap();
        let acts: Vec<&Activity> = records
            .iter()
            .filter_map(|r| match r {
                Record::Activity(a) => Some(a),
                _ => None,
            })
            .collect();
        assert!(acts.len() >= 1000, "{}", acts.len());
        let months: std::collections::BTreeSet<u32> = acts.iter().map(|a| a.month()).collect();
        assert_eq!(months.len(), 18);
        assert_eq!(months.iter().next_back(), Some(&202611));
        for k in ActivityKind::ALL {
            assert!(acts.iter().any(|a| a.kind == *k), "no {k}");
        }
        assert!(acts.iter().any(|a| a.publishable));
        assert!(acts.iter().any(|a| a.is_brand()));
        let rubric = crate::model::Rubric::shipped();
        let periods: std::collections::BTreeSet<String> = records
            .iter()
            .filter_map(|r| match r {
                Record::Evaluation(e) => {
                    assert!(e.check_scores(&rubric).is_ok(), "{}", e.org);
                    Some(e.period.clone())
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            periods.into_iter().collect::<Vec<_>>(),
            ["2025".to_string(), "2026H1".to_string()]
        );
    }

    #[test]
    fn loads_into_a_store_after_the_organizations() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        load(&store, super::super::fixture_records().unwrap()).unwrap();
        let n = load_activities(&store).unwrap();
        assert_eq!(
            n,
            store.count(Kind::Activity) + store.count(Kind::Evaluation)
        );
        assert!(store.count(Kind::Activity) >= 1000);
    }
}
