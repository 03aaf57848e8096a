//! The rules of the incubation base that need the database: a space's code
//! is used once; an enrollment names a live organization and space, takes
//! no more seats than the space has free on every day of its stay (a seat
//! never holds two enrollments whose dates overlap), and moves one stage
//! at a time; a service names a live organization (and enrollment).

use super::api::StoreError;
use super::keys;
use super::records;
use super::tx::Tx;
use crate::model::incubation::{occupied, Enrollment, Space};
use crate::model::{Kind, Labeled, Record, Rule, ValidationErrors};

fn other(message: String) -> Rule {
    Rule::Other { message }
}

impl Tx<'_> {
    /// Every live record of `kind` with its id.
    pub(super) fn live_all(&self, kind: Kind) -> Result<Vec<(String, Record)>, StoreError> {
        let mut out = Vec::new();
        for (k, v) in self.ov.scan(&keys::kind_prefix(keys::LIVE, kind))? {
            let id = String::from_utf8_lossy(&k[2..]).into_owned();
            out.push((id, records::decode(kind, &v)?));
        }
        Ok(out)
    }

    /// A new (or restored) space, enrollment or service (`id` empty when new).
    pub(super) fn check_incubation(
        &mut self,
        id: &str,
        record: &Record,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        match record {
            Record::Space(s) => self.check_space_code(id, s, errors),
            Record::Cohort(c) => self.check_cohort_name(id, c, errors),
            Record::Enrollment(e) => {
                if id.is_empty() {
                    self.check_cohort_of(e, errors)?;
                }
                self.check_enrollment(id, e, errors)
            }
            Record::Service(s) => {
                self.check_org(&s.org, "org", errors)?;
                if let Some(en) = &s.enrollment {
                    if self.live(Kind::Enrollment, en)?.is_none() {
                        errors.push(
                            "enrollment",
                            other(crate::tr!("incubation.unknown_enrollment", id = en)),
                        );
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// A change: the same rules, and an enrollment's stage one step on.
    pub(super) fn check_incubation_change(
        &mut self,
        id: &str,
        current: &Record,
        after: &Record,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        if let (Record::Enrollment(was), Record::Enrollment(now)) = (current, after) {
            // A cohort named now must exist (older free-text ones stay).
            if was.cohort != now.cohort {
                self.check_cohort_of(now, errors)?;
            }
            if was.stage != now.stage && !was.stage.can_step(now.stage) {
                let l = crate::text::lang();
                let next: Vec<&str> = was.stage.next().iter().map(|s| s.label(l)).collect();
                errors.push(
                    "step",
                    other(crate::tr!(
                        "venture.out_of_order",
                        from = was.stage.label(l),
                        to = now.stage.label(l),
                        next = if next.is_empty() {
                            crate::tr!("incubation.no_next")
                        } else {
                            next.join("、")
                        }
                    )),
                );
            }
        }
        self.check_incubation(id, after, errors)
    }

    fn check_org(
        &self,
        org: &str,
        field: &str,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        if !org.is_empty() && self.live(Kind::Org, org)?.is_none() {
            errors.push(field, other(crate::tr!("activity.unknown_org", id = org)));
        }
        Ok(())
    }

    /// A cohort's name is used once.
    fn check_cohort_name(
        &self,
        id: &str,
        c: &crate::model::incubation::Cohort,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        for (other_id, r) in self.live_all(Kind::Cohort)? {
            if let Record::Cohort(o) = r {
                if other_id != id && o.name == c.name {
                    errors.push(
                        "cohort",
                        other(crate::tr!("incubation.cohort_used", name = c.name)),
                    );
                }
            }
        }
        Ok(())
    }

    /// The cohort an enrollment names exists.
    fn check_cohort_of(
        &self,
        e: &Enrollment,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let Some(name) = &e.cohort else {
            return Ok(());
        };
        let mut names = Vec::new();
        for (_, r) in self.live_all(Kind::Cohort)? {
            if let Record::Cohort(c) = r {
                if &c.name == name {
                    return Ok(());
                }
                names.push(c.name);
            }
        }
        errors.push(
            "cohort",
            other(crate::tr!(
                "incubation.unknown_cohort",
                name = name,
                names = names.join("、")
            )),
        );
        Ok(())
    }

    fn check_space_code(
        &self,
        id: &str,
        s: &Space,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        for (other_id, r) in self.live_all(Kind::Space)? {
            if let Record::Space(o) = r {
                if other_id != id && o.code == s.code {
                    errors.push(
                        "code",
                        other(crate::tr!("incubation.code_used", code = s.code)),
                    );
                }
            }
        }
        Ok(())
    }

    fn check_enrollment(
        &self,
        id: &str,
        e: &Enrollment,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        self.check_org(&e.org, "org", errors)?;
        let Some(Record::Space(space)) = self.live(Kind::Space, &e.space)? else {
            errors.push(
                "space",
                other(crate::tr!("incubation.unknown_space", id = e.space)),
            );
            return Ok(());
        };
        if !e.holds_seats() {
            return Ok(());
        }
        let mut others = Vec::new();
        let mut names = Vec::new();
        for (other_id, r) in self.live_all(Kind::Enrollment)? {
            let Record::Enrollment(o) = r else { continue };
            if other_id == id || o.space != e.space || !o.holds_seats() {
                continue;
            }
            if o.from <= e.until() && o.until() >= e.from {
                let name = match self.live(Kind::Org, &o.org)? {
                    Some(r) => r.title().to_string(),
                    None => o.org.clone(),
                };
                names.push(crate::tr!(
                    "incubation.holder",
                    org = name,
                    from = o.from,
                    to = o.until()
                ));
            }
            others.push((o.seats, o.from, o.until()));
        }
        let taken = occupied(e.from, e.until(), &others);
        if taken + e.seats > space.seats {
            errors.push(
                "space",
                other(crate::tr!(
                    "incubation.overlap",
                    space = space.code,
                    seats = space.seats,
                    free = space.seats.saturating_sub(taken),
                    holders = names.join("、")
                )),
            );
        }
        Ok(())
    }
}
