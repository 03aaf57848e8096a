//! Local commands: the rules, checked before anything is written, then the
//! operations. A command that breaks a rule writes nothing; in a batch, it
//! writes nothing for the whole batch.

use super::api::{ClashedField, Command, EditClash, Outcome, StoreError, Value, Warning};
use super::fields::{self, DELETED};
use super::ids;
use super::keys::{self, BY_CREDIT, BY_GRID, BY_PARENT};
use super::records::{self, Mat};
use super::tx::Tx;
use crate::model::{
    FieldError, Kind, Labeled, Organization, Place, Record, Rule, ValidationErrors,
};

fn invalid_if_any(errors: ValidationErrors) -> Result<(), StoreError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

fn not_found(kind: Kind, id: &str) -> StoreError {
    StoreError::NotFound {
        kind,
        id: id.to_string(),
    }
}

fn shape(e: fields::ShapeError) -> StoreError {
    StoreError::Storage(e.to_string())
}

/// Whether a change touches `field` or a part of it.
pub(super) fn touches(changes: &[(String, Option<Value>)], field: &str) -> bool {
    changes.iter().any(|(path, _)| {
        path == field
            || path
                .strip_prefix(field)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

impl Tx<'_> {
    /// Runs one command.
    pub fn command(&mut self, cmd: Command) -> Result<Outcome, StoreError> {
        match cmd {
            Command::Create { record } => self.create(record),
            Command::Update { id, before, after } => self.update(id, before, after),
            Command::Delete { kind, id } => self.delete(kind, id),
            Command::Restore { kind, id } => self.restore(kind, id),
        }
    }

    fn create(&mut self, mut record: Record) -> Result<Outcome, StoreError> {
        record.normalize();
        let mut errors = record.validate().err().unwrap_or_default();
        if let Record::Filing(_) = &record {
            // May write the organization it names first (same batch).
            self.check_filing("", None, &mut record, &mut errors)?;
        }
        match &record {
            Record::Place(p) => self.check_parent(p, &mut errors)?,
            Record::Org(o) => self.check_grid(o, &mut errors)?,
            Record::Activity(a) => self.check_activity(a, &mut errors)?,
            Record::Evaluation(e) => self.check_evaluation(e, &mut errors)?,
            Record::Round(_) | Record::Application(_) | Record::Review(_) | Record::Visit(_) => {
                self.check_venture("", None, &record, &mut errors)?
            }
            Record::Space(_) | Record::Enrollment(_) | Record::Service(_) | Record::Cohort(_) => {
                self.check_incubation("", &record, &mut errors)?
            }
            Record::Training(_) | Record::Attendance(_) | Record::TrainingPlan(_) => {
                self.check_training("", &record, &mut errors)?
            }
            Record::Lead(l) => self.check_lead(None, l, &mut errors)?,
            Record::Center(c) => self.check_center("", c, &mut errors)?,
            // Checked (and its organization written) above.
            Record::Filing(_) => {}
            Record::Instructor(i) => self.check_instructor(None, i, &mut errors)?,
            Record::Need(_)
            | Record::Offer(_)
            | Record::Worker(_)
            | Record::Partner(_)
            | Record::Linkage(_) => self.check_linkage_refs(&mut record, &mut errors)?,
        }
        invalid_if_any(errors)?;
        let kind = record.kind();
        let id = match &record {
            Record::Place(p) => {
                if let Some(Mat::Live(_)) = self.mat(kind, &p.code)? {
                    return Err(StoreError::DuplicatePlace {
                        code: p.code.clone(),
                    });
                }
                p.code.clone()
            }
            Record::Org(_) => self.new_id(kind)?,
            Record::Activity(_) | Record::Evaluation(_) => self.new_id(kind)?,
            Record::Round(_) | Record::Application(_) | Record::Review(_) | Record::Visit(_) => {
                self.new_id(kind)?
            }
            Record::Space(_) | Record::Enrollment(_) | Record::Service(_) | Record::Cohort(_) => {
                self.new_id(kind)?
            }
            Record::Training(_) | Record::Attendance(_) | Record::Lead(_) => self.new_id(kind)?,
            Record::Center(_) | Record::TrainingPlan(_) => self.new_id(kind)?,
            Record::Filing(_) | Record::Instructor(_) => self.new_id(kind)?,
            Record::Need(_)
            | Record::Offer(_)
            | Record::Worker(_)
            | Record::Partner(_)
            | Record::Linkage(_) => self.new_id(kind)?,
        };
        let warnings = if let Record::Org(o) = &record {
            self.check_credit(o, &id)?;
            self.possible_duplicates(&id, &o.name, o.grid.as_deref())?
        } else {
            super::similar::similar(self.store, &id, &record)?
        };
        let fields = fields::flatten(&record).map_err(shape)?;
        let state = match kind {
            // A new id: `new_id` made sure it has no state.
            Kind::Org => Default::default(),
            Kind::Activity | Kind::Evaluation => Default::default(),
            Kind::Round | Kind::Application | Kind::Review | Kind::Visit => Default::default(),
            Kind::Space | Kind::Enrollment | Kind::Service | Kind::Cohort => Default::default(),
            Kind::Training | Kind::Attendance | Kind::Lead | Kind::Center => Default::default(),
            Kind::TrainingPlan => Default::default(),
            Kind::Filing | Kind::Instructor => Default::default(),
            Kind::Need | Kind::Offer | Kind::Worker | Kind::Partner | Kind::Linkage => {
                Default::default()
            }
            Kind::Place => self.state(kind, &id)?,
        };
        let ops = if state.is_empty() {
            let changes = fields.into_iter().map(|(k, v)| (k, Some(v))).collect();
            self.emit(kind, &id, changes, Some(record))?
        } else {
            // A place made again with the code of a deleted one (or of one
            // whose creation has not arrived from its office yet).
            let (current, deleted) = state.winners();
            let mut changes = fields::diff(&current, &fields);
            if deleted || state.fields.contains_key(DELETED) {
                changes.push((DELETED.to_string(), Some(Value::Bool(false))));
            }
            self.emit(kind, &id, changes, None)?
        };
        Ok(Outcome {
            kind,
            id,
            ops,
            warnings,
        })
    }

    fn update(
        &mut self,
        id: String,
        mut before: Record,
        mut after: Record,
    ) -> Result<Outcome, StoreError> {
        let kind = after.kind();
        if before.kind() != kind {
            return Err(StoreError::Invalid(ValidationErrors(vec![
                FieldError::new(
                    "type",
                    Rule::OneOf {
                        allowed: kind.key().to_string(),
                    },
                ),
            ])));
        }
        let Some(Mat::Live(mut current)) = self.mat(kind, &id)? else {
            return Err(not_found(kind, &id));
        };
        before.normalize();
        after.normalize();
        current.normalize();
        // A place's code is its id and never changes.
        for r in [&mut before, &mut after] {
            if let Record::Place(p) = r {
                p.code = id.clone();
            }
        }
        let mut errors = after.validate().err().unwrap_or_default();
        if let Record::Filing(_) = &after {
            // The step's rules, then the organization it reaches the
            // register with (written in this same batch: all or nothing).
            let was = match &current {
                Record::Filing(w) => Some(w.clone()),
                _ => None,
            };
            self.check_filing(&id, was.as_ref(), &mut after, &mut errors)?;
            invalid_if_any(std::mem::take(&mut errors))?;
        }
        let before_fields = fields::flatten(&before).map_err(shape)?;
        let changes = fields::diff(&before_fields, &fields::flatten(&after).map_err(shape)?);
        // A field this user changed that someone else changed meanwhile
        // (to another value): never overwritten silently.
        let now = fields::flatten(&current).map_err(shape)?;
        let clashed: Vec<ClashedField> = changes
            .iter()
            .filter(|(path, mine)| {
                let theirs = now.get(path);
                theirs != before_fields.get(path) && theirs != mine.as_ref()
            })
            .map(|(path, mine)| ClashedField {
                path: path.clone(),
                theirs: now.get(path).cloned(),
                mine: mine.clone(),
            })
            .collect();
        if !clashed.is_empty() {
            return Err(StoreError::EditClash(Box::new(EditClash {
                kind,
                id,
                current,
                fields: clashed,
            })));
        }
        if changes.is_empty() {
            return Ok(Outcome {
                kind,
                id,
                ops: 0,
                warnings: Vec::new(),
            });
        }
        let mut warnings = Vec::new();
        match &after {
            Record::Org(o) => {
                if touches(&changes, "grid") {
                    self.check_grid(o, &mut errors)?;
                }
                invalid_if_any(errors)?;
                if touches(&changes, "credit_code") {
                    self.check_credit(o, &id)?;
                }
                if touches(&changes, "name") || touches(&changes, "grid") {
                    warnings = self.possible_duplicates(&id, &o.name, o.grid.as_deref())?;
                }
            }
            Record::Activity(a) => {
                if touches(&changes, "orgs")
                    || touches(&changes, "grid")
                    || touches(&changes, "project")
                {
                    self.check_activity(a, &mut errors)?;
                }
                invalid_if_any(errors)?;
            }
            Record::Evaluation(ev) => {
                if touches(&changes, "org") {
                    self.check_evaluation(ev, &mut errors)?;
                }
                invalid_if_any(errors)?;
            }
            Record::Round(_) | Record::Application(_) | Record::Review(_) | Record::Visit(_) => {
                self.check_venture(&id, Some(&current), &after, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Space(_) | Record::Enrollment(_) | Record::Service(_) | Record::Cohort(_) => {
                self.check_incubation_change(&id, &current, &after, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Training(_) | Record::Attendance(_) | Record::TrainingPlan(_) => {
                self.check_training(&id, &after, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Lead(l) => {
                let was = match &current {
                    Record::Lead(w) => Some(w),
                    _ => None,
                };
                self.check_lead(was, l, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Center(c) => {
                self.check_center(&id, c, &mut errors)?;
                invalid_if_any(errors)?;
            }
            // Checked (and its organization written) above.
            Record::Filing(_) => {}
            Record::Instructor(i) => {
                let was = match &current {
                    Record::Instructor(w) => Some(w),
                    _ => None,
                };
                self.check_instructor(was, i, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Need(_)
            | Record::Offer(_)
            | Record::Worker(_)
            | Record::Partner(_)
            | Record::Linkage(_) => {
                self.check_linkage_update(&id, &after, &changes, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Place(p) => {
                if touches(&changes, "parent") || touches(&changes, "level") {
                    self.check_parent(p, &mut errors)?;
                }
                invalid_if_any(errors)?;
                if touches(&changes, "level") {
                    let (places, orgs) = self.place_usage(&id)?;
                    if places > 0 {
                        return Err(StoreError::PlaceInUse {
                            code: id,
                            places,
                            orgs,
                            others: 0,
                        });
                    }
                }
            }
        }
        let ops = self.emit(kind, &id, changes, None)?;
        Ok(Outcome {
            kind,
            id,
            ops,
            warnings,
        })
    }

    fn delete(&mut self, kind: Kind, id: String) -> Result<Outcome, StoreError> {
        if !matches!(self.mat(kind, &id)?, Some(Mat::Live(_))) {
            return Err(not_found(kind, &id));
        }
        if kind == Kind::Place {
            let (places, orgs) = self.place_usage(&id)?;
            let others = self.place_references(&id)?;
            if places + orgs + others > 0 {
                return Err(StoreError::PlaceInUse {
                    code: id,
                    places,
                    orgs,
                    others,
                });
            }
        }
        let ops = self.emit(
            kind,
            &id,
            vec![(DELETED.to_string(), Some(Value::Bool(true)))],
            None,
        )?;
        Ok(Outcome {
            kind,
            id,
            ops,
            warnings: Vec::new(),
        })
    }

    fn restore(&mut self, kind: Kind, id: String) -> Result<Outcome, StoreError> {
        let record = match self.mat(kind, &id)? {
            Some(Mat::Deleted(r)) => r,
            Some(Mat::Live(_)) => {
                return Ok(Outcome {
                    kind,
                    id,
                    ops: 0,
                    warnings: Vec::new(),
                })
            }
            None => return Err(not_found(kind, &id)),
        };
        let mut errors = ValidationErrors::default();
        let mut warnings: Vec<Warning> = Vec::new();
        match &record {
            Record::Place(p) => {
                self.check_parent(p, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Org(o) => {
                self.check_grid(o, &mut errors)?;
                invalid_if_any(errors)?;
                self.check_credit(o, &id)?;
                warnings = self.possible_duplicates(&id, &o.name, o.grid.as_deref())?;
            }
            Record::Activity(a) => {
                self.check_activity(a, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Evaluation(ev) => {
                self.check_evaluation(ev, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Round(_) | Record::Application(_) | Record::Review(_) | Record::Visit(_) => {
                self.check_venture_refs(&record, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Space(_) | Record::Enrollment(_) | Record::Service(_) | Record::Cohort(_) => {
                self.check_incubation(&id, &record, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Training(_) | Record::Attendance(_) | Record::TrainingPlan(_) => {
                self.check_training(&id, &record, &mut errors)?;
                invalid_if_any(errors)?;
            }
            Record::Lead(_) | Record::Center(_) => {}
            Record::Filing(f) => {
                self.check_filing_refs(f, &mut errors)?;
                invalid_if_any(errors)?;
            }
            // The organizations it covered may have gone meanwhile: kept.
            Record::Instructor(_) => {}
            Record::Need(_)
            | Record::Offer(_)
            | Record::Worker(_)
            | Record::Partner(_)
            | Record::Linkage(_) => {
                let mut r = record.clone();
                self.check_linkage_refs(&mut r, &mut errors)?;
                invalid_if_any(errors)?;
            }
        }
        let ops = self.emit(
            kind,
            &id,
            vec![(DELETED.to_string(), Some(Value::Bool(false)))],
            None,
        )?;
        Ok(Outcome {
            kind,
            id,
            ops,
            warnings,
        })
    }

    /// A new record id of this database.
    fn new_id(&mut self, kind: Kind) -> Result<String, StoreError> {
        loop {
            self.w.seq += 1;
            let id = ids::record_id(&self.store.tag, self.w.seq);
            // Another office with the same 30-bit tag is a one-in-a-billion
            // chance; skip an id it took rather than merge two records.
            if self.state(kind, &id)?.is_empty() {
                return Ok(id);
            }
        }
    }

    /// A place's parent exists and has the level above it.
    fn check_parent(&mut self, p: &Place, errors: &mut ValidationErrors) -> Result<(), StoreError> {
        match (p.level.parent_level(), &p.parent) {
            (None, Some(_)) => errors.push(
                "parent",
                Rule::Other {
                    message: crate::tr!("store.district_parent"),
                },
            ),
            (Some(level), Some(code)) => match self.live_place(code)? {
                None => errors.push("parent", Rule::UnknownPlace { code: code.clone() }),
                Some(parent) if parent.level != level => errors.push(
                    "parent",
                    Rule::PlaceParent {
                        expected: level.key().to_string(),
                    },
                ),
                Some(_) => {}
            },
            // A missing parent is reported by `Place::validate`.
            (_, None) => {}
        }
        Ok(())
    }

    /// An organization's grid place exists.
    fn check_grid(
        &mut self,
        o: &Organization,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        if let Some(code) = &o.grid {
            if self.live_place(code)?.is_none() {
                errors.push("grid", Rule::UnknownPlace { code: code.clone() });
            }
        }
        Ok(())
    }

    /// An activity's organizations, place and venture project exist.
    fn check_activity(
        &mut self,
        a: &crate::model::Activity,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        for org in &a.orgs {
            if !matches!(self.mat(Kind::Org, org)?, Some(Mat::Live(_))) {
                errors.push(
                    "orgs",
                    Rule::Other {
                        message: crate::tr!("activity.unknown_org", id = org),
                    },
                );
            }
        }
        if let Some(code) = &a.grid {
            if self.live_place(code)?.is_none() {
                errors.push("grid", Rule::UnknownPlace { code: code.clone() });
            }
        }
        if let Some(project) = &a.project {
            if self.live(Kind::Application, project)?.is_none() {
                errors.push(
                    "project",
                    Rule::Other {
                        message: crate::tr!("venture.unknown_application", id = project),
                    },
                );
            }
        }
        Ok(())
    }

    /// An evaluation's organization exists.
    fn check_evaluation(
        &mut self,
        e: &crate::model::Evaluation,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        if !e.org.is_empty() && !matches!(self.mat(Kind::Org, &e.org)?, Some(Mat::Live(_))) {
            errors.push(
                "org",
                Rule::Other {
                    message: crate::tr!("activity.unknown_org", id = e.org),
                },
            );
        }
        Ok(())
    }

    /// No other live organization has this organization's credit code.
    fn check_credit(&mut self, o: &Organization, id: &str) -> Result<(), StoreError> {
        let Some(code) = &o.credit_code else {
            return Ok(());
        };
        for k in self.ov.scan_keys(&keys::pair_prefix(BY_CREDIT, code))? {
            let Some(other) = keys::pair_suffix(&k) else {
                continue;
            };
            if other == id {
                continue;
            }
            let existing_name = match self.mat(Kind::Org, other)? {
                Some(Mat::Live(r)) => r.title().to_string(),
                _ => continue,
            };
            return Err(StoreError::DuplicateCreditCode {
                code: code.clone(),
                existing_id: other.to_string(),
                existing_name,
            });
        }
        Ok(())
    }

    /// Live places directly under a place, and live organizations placed at it.
    fn place_usage(&self, code: &str) -> Result<(usize, usize), StoreError> {
        let places = self
            .ov
            .scan_keys(&keys::pair_prefix(BY_PARENT, code))?
            .len();
        let orgs = self.ov.scan_keys(&keys::pair_prefix(BY_GRID, code))?.len();
        Ok((places, orgs))
    }

    /// Needs not yet done or closed (their grid), offers (the places they
    /// cover) and social workers (their community) that name a place.
    /// Finished needs and activities are a record of the past and keep the
    /// place they happened at.
    fn place_references(&self, code: &str) -> Result<usize, StoreError> {
        let mut n = 0;
        for kind in [Kind::Need, Kind::Offer, Kind::Worker] {
            for (_, v) in self.ov.scan(&keys::kind_prefix(keys::LIVE, kind))? {
                n += usize::from(match records::decode(kind, &v)? {
                    Record::Need(x) => {
                        x.grid == code
                            && !matches!(
                                x.state,
                                crate::model::NeedState::Done | crate::model::NeedState::Closed
                            )
                    }
                    Record::Offer(x) => x.covers.iter().any(|c| c == code),
                    Record::Worker(x) => x.community.as_deref() == Some(code),
                    _ => false,
                });
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touches_whole_segments() {
        let c = vec![
            ("grid".to_string(), None),
            ("rating/level".to_string(), None),
        ];
        assert!(touches(&c, "grid"));
        assert!(touches(&c, "rating"));
        assert!(!touches(&c, "rat"));
        assert!(!touches(&c, "name"));
    }
}
