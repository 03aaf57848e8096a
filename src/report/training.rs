//! Trainings as staff read them: events with who took part, the attendance
//! rate of each (signed in of registered), and the training hours of each
//! organization in a year (the hours of the events it signed in to).

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;

use crate::model::training::{attendance_rate, AttendStatus, Attendance, Training};
use crate::model::{Kind, Record};
use crate::store::{Store, StoreError};

/// One item of a plan with the events that carried it out (id, title,
/// date, signed in).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlanRow {
    pub topic: String,
    pub item: crate::model::training::PlanItem,
    pub events: Vec<(String, String, chrono::NaiveDate, usize)>,
}

#[derive(Debug, Clone, Default)]
pub struct Trainings {
    /// Newest first.
    pub events: Vec<(String, Training)>,
    pub attendances: Vec<(String, Attendance)>,
    org_names: HashMap<String, String>,
}

impl Trainings {
    pub fn load(store: &Store) -> Result<Trainings, StoreError> {
        let mut t = Trainings::default();
        for (id, r) in store.all_cached(Kind::Training)? {
            if let Record::Training(e) = r {
                t.events.push((id, e));
            }
        }
        for (id, r) in store.all_cached(Kind::Attendance)? {
            if let Record::Attendance(a) = r {
                t.attendances.push((id, a));
            }
        }
        if !t.attendances.is_empty() {
            t.org_names = store.names(Kind::Org)?.into_iter().collect();
        }
        t.events
            .sort_by(|a, b| b.1.date.cmp(&a.1.date).then_with(|| a.0.cmp(&b.0)));
        Ok(t)
    }

    /// The plan of `year` (id and record), if any.
    pub fn plan_of(
        store: &Store,
        year: i32,
    ) -> Result<Option<(String, crate::model::training::TrainingPlan)>, StoreError> {
        Ok(store
            .all(Kind::TrainingPlan)?
            .into_iter()
            .find_map(|(id, r)| match r {
                Record::TrainingPlan(p) if p.year == year => Some((id, p)),
                _ => None,
            }))
    }

    /// Each item of `plan` with the events that carried it out (oldest
    /// first), in the order of the months planned.
    pub fn plan_rows(&self, plan: &crate::model::training::TrainingPlan) -> Vec<PlanRow> {
        let mut rows: Vec<PlanRow> = plan
            .items
            .iter()
            .map(|(topic, item)| {
                let mut events: Vec<(String, String, chrono::NaiveDate, usize)> = self
                    .events
                    .iter()
                    .filter(|(_, e)| {
                        e.date.year() == plan.year && e.plan_item.as_deref() == Some(topic.as_str())
                    })
                    .map(|(id, e)| (id.clone(), e.title.clone(), e.date, self.counts(id).1))
                    .collect();
                events.sort_by_key(|e| e.2);
                PlanRow {
                    topic: topic.clone(),
                    item: item.clone(),
                    events,
                }
            })
            .collect();
        rows.sort_by_key(|r| (r.item.month.unwrap_or(13), r.topic.clone()));
        rows
    }

    /// The events of `year` that carry out no item of its plan.
    pub fn unplanned(&self, year: i32) -> Vec<&(String, Training)> {
        self.events
            .iter()
            .filter(|(_, e)| e.date.year() == year && e.plan_item.is_none())
            .collect()
    }

    pub fn org_name(&self, id: &str) -> &str {
        self.org_names.get(id).map_or("", String::as_str)
    }

    pub fn event(&self, id: &str) -> Option<&Training> {
        self.events.iter().find(|(i, _)| i == id).map(|(_, e)| e)
    }

    /// The participations of an event, in the order they were made.
    pub fn of(&self, event: &str) -> Vec<&(String, Attendance)> {
        self.attendances
            .iter()
            .filter(|(_, a)| a.event == event)
            .collect()
    }

    /// Signed in of registered, 0..1.
    pub fn rate(&self, event: &str) -> Option<f64> {
        attendance_rate(self.of(event).iter().map(|(_, a)| a.status))
    }

    /// Places taken (registered, whether they came or not) and signed in.
    pub fn counts(&self, event: &str) -> (usize, usize) {
        let of = self.of(event);
        (
            of.iter().filter(|(_, a)| a.status.holds_place()).count(),
            of.iter()
                .filter(|(_, a)| a.status == AttendStatus::SignedIn)
                .count(),
        )
    }

    /// Training hours (tenths) of each organization in `year`: the hours of
    /// every event it signed in to (once per event).
    pub fn hours_by_org(&self, year: i32) -> BTreeMap<String, u32> {
        let mut out: BTreeMap<String, u32> = BTreeMap::new();
        let mut seen = std::collections::HashSet::new();
        for (_, a) in &self.attendances {
            let (Some(org), AttendStatus::SignedIn) = (&a.org, a.status) else {
                continue;
            };
            let Some(e) = self.event(&a.event) else {
                continue;
            };
            if e.date.year() == year && seen.insert((org.clone(), a.event.clone())) {
                *out.entry(org.clone()).or_default() += e.hours_tenths;
            }
        }
        out
    }

    /// The year's events, signed-in participations and overall rate.
    pub fn year_figures(&self, year: i32) -> (usize, usize, Option<f64>) {
        let ids: Vec<&str> = self
            .events
            .iter()
            .filter(|(_, e)| e.date.year() == year)
            .map(|(i, _)| i.as_str())
            .collect();
        let statuses: Vec<AttendStatus> = self
            .attendances
            .iter()
            .filter(|(_, a)| ids.contains(&a.event.as_str()))
            .map(|(_, a)| a.status)
            .collect();
        let signed = statuses
            .iter()
            .filter(|s| **s == AttendStatus::SignedIn)
            .count();
        (ids.len(), signed, attendance_rate(statuses))
    }
}

/// Scores the indicators the rubric scores from training hours
/// (`training_hours`) that were not typed: the organization's signed-in
/// hours in the evaluation's year, with a note saying so.
pub fn score_from_training(
    store: &Store,
    ev: &mut crate::model::Evaluation,
    rubric: &crate::model::Rubric,
) -> Result<(), StoreError> {
    let wanted: Vec<_> = rubric
        .indicators()
        .filter(|i| i.training_hours.is_some() && !ev.scores.contains_key(&i.key))
        .collect();
    let Some(year) = ev.period().map(|p| p.year) else {
        return Ok(());
    };
    if wanted.is_empty() {
        return Ok(());
    }
    let hours = Trainings::load(store)?
        .hours_by_org(year)
        .get(&ev.org)
        .copied()
        .unwrap_or(0);
    for i in wanted {
        if let Some(points) = i.points_for_hours(hours) {
            ev.scores.insert(
                i.key.clone(),
                crate::model::Score {
                    tenths: points,
                    note: Some(crate::tr!(
                        "activity.eval.from_training",
                        year = year,
                        hours = crate::model::activity::tenths_text(u64::from(hours))
                    )),
                },
            );
        }
    }
    Ok(())
}
