//! The rules of trainings that need the database: a participation names a
//! live event (and organization); one participation per person or
//! organization and event; no more places taken than the event's capacity;
//! one plan a year, and an event carries out an item of its year's plan.

use super::api::StoreError;
use super::tx::Tx;
use chrono::Datelike;

use crate::model::training::{Training, TrainingPlan};
use crate::model::{Kind, Record, Rule, ValidationErrors};

fn other(message: String) -> Rule {
    Rule::Other { message }
}

impl Tx<'_> {
    /// A training or participation, new (`id` empty) or changed.
    pub(super) fn check_training(
        &mut self,
        id: &str,
        record: &Record,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let a = match record {
            Record::Attendance(a) => a,
            Record::TrainingPlan(p) => return self.check_plan(id, p, errors),
            Record::Training(t) => return self.check_plan_item(t, errors),
            _ => return Ok(()),
        };
        let Some(Record::Training(t)) = self.live(Kind::Training, &a.event)? else {
            errors.push(
                "event",
                other(crate::tr!("training.unknown_event", id = a.event)),
            );
            return Ok(());
        };
        if let Some(org) = &a.org {
            if self.live(Kind::Org, org)?.is_none() {
                errors.push("org", other(crate::tr!("activity.unknown_org", id = org)));
            }
        }
        let mut taken = 0u32;
        for (other_id, r) in self.live_all(Kind::Attendance)? {
            let Record::Attendance(o) = r else { continue };
            if other_id == id || o.event != a.event {
                continue;
            }
            if o.who() == a.who() {
                errors.push(
                    "person",
                    other(crate::tr!(
                        "training.already",
                        status = crate::text::label(o.status)
                    )),
                );
            }
            taken += u32::from(o.status.holds_place());
        }
        if let Some(cap) = t.capacity {
            if a.status.holds_place() && taken >= cap {
                errors.push("status", other(crate::tr!("training.full", capacity = cap)));
            }
        }
        Ok(())
    }
}

impl Tx<'_> {
    /// The live plan of `year` (id and record), if any.
    fn plan_of(&self, year: i32) -> Result<Option<(String, TrainingPlan)>, StoreError> {
        for (id, r) in self.live_all(Kind::TrainingPlan)? {
            if let Record::TrainingPlan(p) = r {
                if p.year == year {
                    return Ok(Some((id, p)));
                }
            }
        }
        Ok(None)
    }

    fn check_plan(
        &mut self,
        id: &str,
        p: &TrainingPlan,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        if let Some((existing, _)) = self.plan_of(p.year)? {
            if existing != id {
                errors.push(
                    "year",
                    other(crate::tr!("training.plan_exists", year = p.year)),
                );
            }
        }
        Ok(())
    }

    fn check_plan_item(
        &mut self,
        t: &Training,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let Some(item) = &t.plan_item else {
            return Ok(());
        };
        let year = t.date.year();
        match self.plan_of(year)? {
            Some((_, p)) if p.items.contains_key(item) => {}
            Some((_, p)) => errors.push(
                "plan_item",
                other(crate::tr!(
                    "training.no_plan_item",
                    year = year,
                    item = item,
                    items = p.items.keys().cloned().collect::<Vec<_>>().join("、")
                )),
            ),
            None => errors.push(
                "plan_item",
                other(crate::tr!("training.no_plan", year = year)),
            ),
        }
        Ok(())
    }
}
