//! The rules of 公益创投 records that need the database: a round's places,
//! an application's round and organization (and the round's eligibility,
//! cap and budget), its steps one at a time, its tranches paid only when
//! their condition is met and for their exact amount; a sheet's or visit's
//! application. Local commands only: operations from other offices merge
//! field by field (sync converges whatever the order).

use super::api::StoreError;
use super::keys;
use super::records;
use super::tx::Tx;
use crate::model::venture::{Application, Round};
use crate::model::{money, Kind, Labeled, Record, Rule, ValidationErrors};

fn other(message: String) -> Rule {
    Rule::Other { message }
}

impl Tx<'_> {
    fn live_round(&self, id: &str) -> Result<Option<Round>, StoreError> {
        Ok(match self.live(Kind::Round, id)? {
            Some(Record::Round(r)) => Some(r),
            _ => None,
        })
    }

    /// A venture record's rules; `current` is the stored record when it is
    /// an update.
    pub(super) fn check_venture(
        &mut self,
        id: &str,
        current: Option<&Record>,
        record: &Record,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        match (current, record) {
            (None, Record::Application(a)) => self.check_new_application(a, errors),
            (Some(Record::Application(was)), Record::Application(a)) => {
                self.check_application_change(id, was, a, errors)
            }
            _ => self.check_venture_refs(record, errors),
        }
    }

    /// The records a venture record names exist.
    pub(super) fn check_venture_refs(
        &mut self,
        record: &Record,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        match record {
            Record::Round(r) => {
                for code in &r.places {
                    if self.live_place(code)?.is_none() {
                        errors.push("places", Rule::UnknownPlace { code: code.clone() });
                    }
                }
            }
            Record::Application(a) => {
                if self.live_round(&a.round)?.is_none() {
                    errors.push(
                        "round",
                        other(crate::tr!("venture.unknown_round", id = a.round)),
                    );
                }
                if self.live(Kind::Org, &a.org)?.is_none() {
                    errors.push("org", other(crate::tr!("activity.unknown_org", id = a.org)));
                }
                for code in &a.places {
                    if self.live_place(code)?.is_none() {
                        errors.push("places", Rule::UnknownPlace { code: code.clone() });
                    }
                }
            }
            Record::Review(s) => self.check_application_ref(&s.application, errors)?,
            Record::Visit(v) => self.check_application_ref(&v.application, errors)?,
            _ => {}
        }
        Ok(())
    }

    fn check_application_ref(
        &self,
        id: &str,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        if !id.is_empty() && self.live(Kind::Application, id)?.is_none() {
            errors.push(
                "application",
                other(crate::tr!("venture.unknown_application", id = id)),
            );
        }
        Ok(())
    }

    /// A new application: its references, the round's eligibility and cap;
    /// it starts as submitted. (A project outside the round's themes is
    /// submitted all the same: staff mark it ineligible at 初审.)
    fn check_new_application(
        &mut self,
        a: &Application,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let record = Record::Application(a.clone());
        self.check_venture_refs(&record, errors)?;
        let (Some(round), Some(Record::Org(org))) =
            (self.live_round(&a.round)?, self.live(Kind::Org, &a.org)?)
        else {
            return Ok(());
        };
        if let Some(why) = round.excludes(&org) {
            errors.push(
                "org",
                other(crate::tr!(
                    "venture.excluded",
                    org = org.name,
                    round = round.title,
                    why = round.excluded_text(&why)
                )),
            );
        }
        if a.requested_fen > round.cap_fen {
            errors.push(
                "requested",
                other(crate::tr!(
                    "venture.over_cap",
                    cap = money::format(round.cap_fen)
                )),
            );
        }
        if a.state != crate::model::venture::AppState::Submitted || a.paid_fen() > 0 {
            errors.push("step", other(crate::tr!("venture.starts_submitted")));
        }
        Ok(())
    }

    /// A change to an application: a state change is one step; tranches
    /// newly paid meet their condition and are paid in full; the award is
    /// within the cap and what is left of the budget.
    fn check_application_change(
        &mut self,
        id: &str,
        was: &Application,
        a: &Application,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let lang = crate::text::lang();
        if a.round != was.round || a.org != was.org {
            let record = Record::Application(a.clone());
            self.check_venture_refs(&record, errors)?;
        } else {
            for code in &a.places {
                if self.live_place(code)?.is_none() {
                    errors.push("places", Rule::UnknownPlace { code: code.clone() });
                }
            }
        }
        if a.state != was.state && !was.state.can_step(a.state) {
            let next: Vec<&str> = was.state.next().iter().map(|s| s.label(lang)).collect();
            errors.push(
                "step",
                other(crate::tr!(
                    "venture.out_of_order",
                    from = was.state.label(lang),
                    to = a.state.label(lang),
                    next = if next.is_empty() {
                        crate::tr!("venture.no_next")
                    } else {
                        next.join("、")
                    }
                )),
            );
        }
        let Some(round) = self.live_round(&a.round)? else {
            return Ok(());
        };
        if a.awarded_fen != was.awarded_fen {
            if let Some(award) = a.awarded_fen {
                if award > round.cap_fen {
                    errors.push(
                        "awarded",
                        other(crate::tr!(
                            "venture.over_cap",
                            cap = money::format(round.cap_fen)
                        )),
                    );
                } else {
                    let others = self.awarded_in(&a.round, id)?;
                    let left = round.budget_fen.saturating_sub(others);
                    if award > left {
                        errors.push(
                            "awarded",
                            other(crate::tr!(
                                "venture.over_budget",
                                left = money::format(left),
                                budget = money::format(round.budget_fen)
                            )),
                        );
                    }
                }
            }
        }
        for (seq, p) in &a.paid {
            if was.paid.get(seq) == Some(p) {
                continue;
            }
            let Some(t) = round.tranches.get(seq) else {
                errors.push(
                    "tranche",
                    other(crate::tr!(
                        "venture.no_tranche",
                        seq = seq,
                        n = round.tranches.len()
                    )),
                );
                continue;
            };
            if !t.condition.met_in(a.state) {
                errors.push(
                    "tranche",
                    other(crate::tr!(
                        "venture.condition_unmet",
                        seq = seq,
                        condition = t.condition.label(lang),
                        state = a.state.label(lang)
                    )),
                );
                continue;
            }
            let due = a
                .awarded_fen
                .and_then(|award| round.tranche_amount(*seq, award));
            if due != Some(p.amount_fen) {
                errors.push(
                    "tranche",
                    other(crate::tr!(
                        "venture.wrong_amount",
                        seq = seq,
                        due = due.map(money::format).unwrap_or_default()
                    )),
                );
            }
        }
        Ok(())
    }

    /// What the round's other applications were awarded, fen.
    fn awarded_in(&self, round: &str, except: &str) -> Result<u64, StoreError> {
        let mut sum = 0;
        for (k, v) in self
            .ov
            .scan(&keys::kind_prefix(keys::LIVE, Kind::Application))?
        {
            if &k[2..] == except.as_bytes() {
                continue;
            }
            if let Record::Application(x) = records::decode(Kind::Application, &v)? {
                if x.round == round && Round::counts_award(x.state) {
                    sum += x.awarded_fen.unwrap_or(0);
                }
            }
        }
        Ok(sum)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::model::venture::{AppState, Application, Mark, Payment, Round};
    use crate::model::{Labeled, OrgType, Organization, Record, RegState};
    use crate::store::{Command, Store, StoreError};

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
    }

    fn setup() -> (tempfile::TempDir, Store, String) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut o = Organization::new("北山街道老年协会", OrgType::SocialGroup);
        o.state = RegState::Registered;
        let org = store
            .execute(Command::Create {
                record: Record::Org(o),
            })
            .unwrap()
            .id;
        let mut r = Round::new("2026年公益创投", 2026, 10_000_000, 5_000_000);
        for (seq, t) in [(1, "40%:signing"), (2, "30%:midterm"), (3, "30%:final")] {
            r.tranches
                .insert(seq, crate::model::venture::parse_tranche(t).unwrap());
        }
        let round = store
            .execute(Command::Create {
                record: Record::Round(r),
            })
            .unwrap()
            .id;
        let app = Application::new(&round, &org, "银龄互助餐桌", 4_000_000, d(), d());
        let id = store
            .execute(Command::Create {
                record: Record::Application(app),
            })
            .unwrap()
            .id;
        (dir, store, id)
    }

    fn current(store: &Store, id: &str) -> Application {
        match store.get(crate::model::Kind::Application, id).unwrap() {
            Some(Record::Application(a)) => a,
            _ => panic!("gone"),
        }
    }

    fn step(store: &Store, id: &str, to: AppState) -> Result<(), StoreError> {
        let before = current(store, id);
        let mut after = before.clone();
        after.state = to;
        after.steps.insert(
            to.key().into(),
            Mark {
                date: d(),
                author: None,
                note: None,
            },
        );
        if to == AppState::Approved {
            after.awarded_fen = Some(4_000_000);
        }
        store
            .execute(Command::Update {
                id: id.into(),
                before: Record::Application(before),
                after: Record::Application(after),
            })
            .map(|_| ())
    }

    #[test]
    fn every_illegal_step_is_refused_and_every_legal_one_taken() {
        // Along every way a project can go, from every state every state
        // not one step away is refused, nothing written; the next is taken.
        let ways: [&[AppState]; 5] = {
            use AppState::*;
            [
                &[Ineligible, Closed],
                &[Eligible, Reviewed, Closed],
                &[Eligible, Reviewed, Shortlisted, Publicized, Closed],
                &[
                    Eligible,
                    Reviewed,
                    Shortlisted,
                    Publicized,
                    Approved,
                    InProgress,
                    MidtermToFix,
                    MidtermPassed,
                    FinalPassed,
                    Closed,
                ],
                &[
                    Eligible,
                    Reviewed,
                    Shortlisted,
                    Publicized,
                    Approved,
                    InProgress,
                    Terminated,
                    Closed,
                ],
            ]
        };
        let mut refused = 0;
        for way in ways {
            let (_dir, store, id) = setup();
            for next in way.iter() {
                let from = current(&store, &id).state;
                for to in AppState::ALL {
                    if from.can_step(*to) || *to == from {
                        continue;
                    }
                    let e = step(&store, &id, *to).unwrap_err();
                    assert!(
                        matches!(&e, StoreError::Invalid(v) if v.0[0].field == "step"),
                        "{from:?} -> {to:?}: {e:?}"
                    );
                    assert_eq!(current(&store, &id).state, from);
                    refused += 1;
                }
                step(&store, &id, *next).unwrap();
            }
        }
        assert!(refused > 100, "{refused}");
    }

    #[test]
    fn tranches_are_paid_only_when_due_and_for_their_exact_amount() {
        let (_dir, store, id) = setup();
        let pay = |seq: u32, amount: u64| {
            let before = current(&store, &id);
            let mut after = before.clone();
            after.paid.insert(
                seq,
                Payment {
                    date: d(),
                    amount_fen: amount,
                },
            );
            store.execute(Command::Update {
                id: id.clone(),
                before: Record::Application(before),
                after: Record::Application(after),
            })
        };
        assert!(pay(1, 1_600_000).is_err(), "not approved yet");
        for to in [
            AppState::Eligible,
            AppState::Reviewed,
            AppState::Shortlisted,
            AppState::Publicized,
            AppState::Approved,
        ] {
            step(&store, &id, to).unwrap();
        }
        assert!(pay(1, 1_500_000).is_err(), "not the plan's amount");
        assert!(pay(2, 1_200_000).is_err(), "mid-term not passed");
        assert!(pay(4, 1).is_err(), "no such tranche");
        pay(1, 1_600_000).unwrap();
        assert_eq!(current(&store, &id).paid_fen(), 1_600_000);
    }

    #[test]
    fn awards_stay_within_the_cap_and_the_budget() {
        let (_dir, store, id) = setup();
        for to in [
            AppState::Eligible,
            AppState::Reviewed,
            AppState::Shortlisted,
            AppState::Publicized,
        ] {
            step(&store, &id, to).unwrap();
        }
        let before = current(&store, &id);
        let mut after = before.clone();
        after.state = AppState::Approved;
        after.awarded_fen = Some(6_000_000);
        let e = store
            .execute(Command::Update {
                id: id.clone(),
                before: Record::Application(before),
                after: Record::Application(after),
            })
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(v) if v.0[0].field == "awarded"),
            "{e:?}"
        );
    }
}
