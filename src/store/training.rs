//! The rules of trainings that need the database: a participation names a
//! live event (and organization); one participation per person or
//! organization and event; no more places taken than the event's capacity.

use super::api::StoreError;
use super::tx::Tx;
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
        let Record::Attendance(a) = record else {
            return Ok(());
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
