//! The rules of filings (备案) that need the database, and what a step does
//! to the register.
//!
//! Rules: the organization and community a filing names exist; a filing
//! moves one state at a time, each step recorded with its mark, never dated
//! before the step it follows; a filing number is used by one filing only.
//!
//! The register: a filing that reaches 已备案 is in the register. If it
//! names no organization, the live organization of exactly its name is
//! linked, else a new one is made (type 社区社会组织, state 已备案, the
//! filing's number, person, phone, place, community, members, and its
//! scope as the business scope and as service domains where the words are
//! domains). Reaching 已备案 also makes a linked incubating organization
//! 已备案; 已登记 makes the organization 已登记; 已注销 makes a filed (or
//! incubating) one 已注销. The organization is written by this same
//! transaction, before the filing and only after every rule of the step
//! passed: both or neither reach the database (sled applies the batch
//! whole), so no crash leaves a filing without its organization. Were the
//! two ever written apart (an older office, a restored backup), the step
//! is simply taken again: the organization is found by its name.

use super::api::{Command, StoreError};
use super::tx::Tx;
use crate::model::filing::{Filing, FilingState};
use crate::model::{
    Domain, Kind, Labeled, OrgType, Organization, Record, RegState, Rule, ValidationErrors,
};

fn other(message: String) -> Rule {
    Rule::Other { message }
}

/// The service domains named in a filing's area of activity (养老服务、
/// 文体活动...); words that are not domains are left out.
pub fn domains_of(scope: &str) -> Vec<Domain> {
    let lang = crate::text::lang();
    let mut out: Vec<Domain> = scope
        .split(['、', ',', '，', ';', '；', ' ', '\n'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .filter_map(|w| crate::model::parse::parse_enum::<Domain>(w, lang).ok())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The organization's state once a filing reached `state`, from `now`
/// (`None`: unchanged).
fn org_state(state: FilingState, now: Option<RegState>) -> Option<RegState> {
    use FilingState::*;
    match (state, now) {
        (Filed | Preparing, None) => Some(RegState::Filed),
        (Filed | Preparing, Some(RegState::Incubating)) => Some(RegState::Filed),
        (Registered, _) => Some(RegState::Registered),
        (Cancelled, None) => Some(RegState::Deregistered),
        (Cancelled, Some(RegState::Filed | RegState::Incubating)) => Some(RegState::Deregistered),
        _ => None,
    }
}

impl Tx<'_> {
    /// The organization and community a filing names exist.
    pub(super) fn check_filing_refs(
        &self,
        f: &Filing,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        if let Some(org) = &f.org {
            if self.live(Kind::Org, org)?.is_none() {
                errors.push("org", other(crate::tr!("activity.unknown_org", id = org)));
            }
        }
        if let Some(code) = &f.community {
            if self.live_place(code)?.is_none() {
                errors.push("community", Rule::UnknownPlace { code: code.clone() });
            }
        }
        Ok(())
    }

    /// A filing, new (`was` none, `id` empty) or changed: its rules, then
    /// (when every rule passed) the organization its step puts in the
    /// register, written first in this transaction and linked.
    pub(super) fn check_filing(
        &mut self,
        id: &str,
        was: Option<&Filing>,
        record: &mut Record,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let Record::Filing(f) = record else {
            return Ok(());
        };
        self.check_filing_refs(f, errors)?;
        let lang = crate::text::lang();
        // A step is a new state or a new mark (a step to the state it is
        // in is a step too, and not one of the next).
        let stepped = was.is_none_or(|w| w.state != f.state || f.steps.len() > w.steps.len());
        if let Some(w) = was.filter(|_| stepped) {
            {
                if !w.state.can_step(f.state) {
                    let next: Vec<&str> = w.state.next().iter().map(|s| s.label(lang)).collect();
                    errors.push(
                        "step",
                        other(crate::tr!(
                            "venture.out_of_order",
                            from = w.state.label(lang),
                            to = f.state.label(lang),
                            next = if next.is_empty() {
                                crate::tr!("incubation.no_next")
                            } else {
                                next.join("、")
                            }
                        )),
                    );
                } else if f.steps.len() <= w.steps.len()
                    || f.last_step().map(|(s, _)| s) != Some(f.state)
                {
                    // The step's date and author are part of it.
                    errors.push("step", Rule::Required);
                } else if let (Some(before), Some(now)) = (w.since(), f.since()) {
                    if now < before {
                        errors.push("date", Rule::DateOrder);
                    }
                }
            }
        }
        if let Some(n) = &f.number {
            for (other_id, r) in self.live_all(Kind::Filing)? {
                let Record::Filing(o) = r else { continue };
                if other_id != id && o.number.as_deref() == Some(n.as_str()) {
                    errors.push(
                        "number",
                        other(crate::tr!("filing.number_used", number = n, name = o.name)),
                    );
                }
            }
        }
        if !errors.is_empty() || !stepped || !f.state.has_number() {
            return Ok(());
        }
        self.filing_in_register(f, errors)
    }

    /// Links (or makes) the organization of a filing that reached a filed
    /// state, and moves its registration state along.
    fn filing_in_register(
        &mut self,
        f: &mut Filing,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let linked = match &f.org {
            Some(id) => Some(id.clone()),
            None => {
                let same: Vec<String> = self
                    .live_all(Kind::Org)?
                    .into_iter()
                    .filter(|(_, r)| matches!(r, Record::Org(o) if o.name == f.name))
                    .map(|(id, _)| id)
                    .collect();
                match same.as_slice() {
                    [] => None,
                    [one] => Some(one.clone()),
                    many => {
                        errors.push(
                            "org",
                            other(crate::tr!(
                                "venture.ambiguous",
                                text = f.name,
                                kind = crate::text::label(Kind::Org),
                                names = many.join(", ")
                            )),
                        );
                        return Ok(());
                    }
                }
            }
        };
        match linked {
            Some(id) => {
                let Some(Record::Org(before)) = self.live(Kind::Org, &id)? else {
                    return Ok(());
                };
                let mut after = before.clone();
                if let Some(s) = org_state(f.state, Some(before.state)) {
                    after.state = s;
                }
                if after.filing_number.is_none() {
                    after.filing_number = f.number.clone();
                }
                if after != before {
                    self.command(Command::Update {
                        id: id.clone(),
                        before: Record::Org(before),
                        after: Record::Org(after),
                    })?;
                }
                f.org = Some(id);
            }
            None => {
                let mut o = Organization::new(f.name.clone(), OrgType::Community);
                o.state = org_state(f.state, None).unwrap_or(RegState::Filed);
                o.filing_number = f.number.clone();
                o.contact = Some(f.person_in_charge.clone());
                o.phone = f.phone.clone();
                o.address = Some(f.place.clone());
                o.grid = f.community.clone();
                o.members = f.members;
                o.business_scope = f.scope.clone();
                o.domains = f.scope.as_deref().map(domains_of).unwrap_or_default();
                o.founded = f.reached(FilingState::Filed).map(|m| m.date);
                let out = self.command(Command::Create {
                    record: Record::Org(o),
                })?;
                f.org = Some(out.id);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::venture::Mark;
    use crate::store::{Store, StoreError};

    fn mark(m: u32, d: u32) -> Mark {
        Mark {
            date: NaiveDate::from_ymd_opt(2026, m, d).unwrap(),
            author: Some("王丽".into()),
            note: None,
        }
    }

    fn get(store: &Store, id: &str) -> Filing {
        match store.get(Kind::Filing, id).unwrap() {
            Some(Record::Filing(f)) => f,
            r => panic!("{r:?}"),
        }
    }

    /// Steps filing `id` to `to` (dated `d` of November, number `no`).
    fn step(store: &Store, id: &str, to: FilingState, d: u32) -> Result<Filing, StoreError> {
        let before = get(store, id);
        let mut after = before.clone();
        after.push_step(to, mark(11, d));
        if to == FilingState::Filed && after.number.is_none() {
            after.number = Some(format!("北山备字第{id}号"));
        }
        store.execute(Command::Update {
            id: id.to_string(),
            before: Record::Filing(before),
            after: Record::Filing(after),
        })?;
        Ok(get(store, id))
    }

    fn new_filing(store: &Store, name: &str) -> String {
        let mut f = Filing::new(name, "陈敏", "北山社区活动室");
        f.scope = Some("文化娱乐、养老服务、读书".into());
        f.push_step(FilingState::Applied, mark(11, 1));
        store
            .execute(Command::Create {
                record: Record::Filing(f),
            })
            .unwrap()
            .id
    }

    fn invalid_on(e: StoreError, field: &str) {
        match e {
            StoreError::Invalid(v) => assert!(v.for_field(field).is_some(), "{v:?}"),
            e => panic!("{e:?}"),
        }
    }

    /// Every step that is not one of the next states is refused by the
    /// store, naming the states that are, and writes nothing.
    #[test]
    fn every_illegal_step_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // A filing in each state, reached the legal way.
        let path: &[(FilingState, &[FilingState])] = &[
            (FilingState::Applied, &[]),
            (FilingState::Checked, &[FilingState::Checked]),
            (
                FilingState::Reviewed,
                &[FilingState::Checked, FilingState::Reviewed],
            ),
            (FilingState::Returned, &[FilingState::Returned]),
            (
                FilingState::Filed,
                &[
                    FilingState::Checked,
                    FilingState::Reviewed,
                    FilingState::Filed,
                ],
            ),
            (
                FilingState::Preparing,
                &[
                    FilingState::Checked,
                    FilingState::Reviewed,
                    FilingState::Filed,
                    FilingState::Preparing,
                ],
            ),
            (
                FilingState::Registered,
                &[
                    FilingState::Checked,
                    FilingState::Reviewed,
                    FilingState::Filed,
                    FilingState::Preparing,
                    FilingState::Registered,
                ],
            ),
            (
                FilingState::Cancelled,
                &[
                    FilingState::Checked,
                    FilingState::Reviewed,
                    FilingState::Filed,
                    FilingState::Cancelled,
                ],
            ),
        ];
        for (i, (state, steps)) in path.iter().enumerate() {
            let id = new_filing(&store, &format!("试验组织{i}"));
            for (d, s) in steps.iter().enumerate() {
                step(&store, &id, *s, 2 + d as u32).unwrap();
            }
            assert_eq!(get(&store, &id).state, *state);
            for to in FilingState::ALL {
                if state.can_step(*to) {
                    continue;
                }
                let ops = store.log(usize::MAX).unwrap().len();
                let e = step(&store, &id, *to, 20).unwrap_err();
                let StoreError::Invalid(v) = &e else {
                    panic!("{e:?}")
                };
                let msg = crate::text::rule_message(&v.for_field("step").unwrap().rule);
                for n in state.next() {
                    assert!(msg.contains(n.zh()), "{state:?}->{to:?}: {msg}");
                }
                assert_eq!(store.log(usize::MAX).unwrap().len(), ops, "{to:?}");
                assert_eq!(get(&store, &id).state, *state);
            }
        }
    }

    #[test]
    fn filed_puts_it_in_the_register_and_registration_follows() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let id = new_filing(&store, "北山书画社");
        step(&store, &id, FilingState::Checked, 2).unwrap();
        step(&store, &id, FilingState::Reviewed, 3).unwrap();
        // Filed without a number: refused, no organization made.
        let before = get(&store, &id);
        let mut after = before.clone();
        after.push_step(FilingState::Filed, mark(11, 4));
        let e = store
            .execute(Command::Update {
                id: id.clone(),
                before: Record::Filing(before.clone()),
                after: Record::Filing(after),
            })
            .unwrap_err();
        invalid_on(e, "number");
        assert_eq!(store.count(Kind::Org), 0);
        // Dated before the step it follows: refused.
        let mut after = before.clone();
        after.push_step(FilingState::Filed, mark(10, 4));
        after.number = Some("北山备字001号".into());
        let e = store
            .execute(Command::Update {
                id: id.clone(),
                before: Record::Filing(before),
                after: Record::Filing(after),
            })
            .unwrap_err();
        invalid_on(e, "date");
        assert_eq!(store.count(Kind::Org), 0);
        let f = step(&store, &id, FilingState::Filed, 4).unwrap();
        let org = f.org.clone().expect("linked");
        let Some(Record::Org(o)) = store.get(Kind::Org, &org).unwrap() else {
            panic!()
        };
        assert_eq!(o.state, RegState::Filed);
        assert_eq!(o.filing_number, f.number);
        assert_eq!(o.contact.as_deref(), Some("陈敏"));
        assert_eq!(o.domains, [Domain::Elderly, Domain::Culture]);
        step(&store, &id, FilingState::Preparing, 5).unwrap();
        step(&store, &id, FilingState::Registered, 6).unwrap();
        let Some(Record::Org(o)) = store.get(Kind::Org, &org).unwrap() else {
            panic!()
        };
        assert_eq!(o.state, RegState::Registered);
        assert_eq!(store.count(Kind::Org), 1);
        // Another filing of the same number: refused.
        let other = new_filing(&store, "北山合唱团");
        step(&store, &other, FilingState::Checked, 2).unwrap();
        step(&store, &other, FilingState::Reviewed, 3).unwrap();
        let before = get(&store, &other);
        let mut after = before.clone();
        after.push_step(FilingState::Filed, mark(11, 4));
        after.number = f.number.clone();
        let e = store
            .execute(Command::Update {
                id: other.clone(),
                before: Record::Filing(before),
                after: Record::Filing(after),
            })
            .unwrap_err();
        invalid_on(e, "number");
    }

    #[test]
    fn an_organization_of_the_name_is_linked_and_cancelling_deregisters_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut o = Organization::new("北山书画社", OrgType::Community);
        o.state = RegState::Incubating;
        let org = store
            .execute(Command::Create {
                record: Record::Org(o),
            })
            .unwrap()
            .id;
        let id = new_filing(&store, "北山书画社");
        for (d, s) in [
            FilingState::Checked,
            FilingState::Reviewed,
            FilingState::Filed,
        ]
        .into_iter()
        .enumerate()
        {
            step(&store, &id, s, 2 + d as u32).unwrap();
        }
        assert_eq!(get(&store, &id).org.as_deref(), Some(org.as_str()));
        assert_eq!(store.count(Kind::Org), 1);
        let state = |store: &Store| match store.get(Kind::Org, &org).unwrap() {
            Some(Record::Org(o)) => o.state,
            _ => panic!(),
        };
        assert_eq!(state(&store), RegState::Filed);
        step(&store, &id, FilingState::Cancelled, 9).unwrap();
        assert_eq!(state(&store), RegState::Deregistered);
    }

    #[test]
    fn scope_words_that_are_domains() {
        assert_eq!(domains_of("读书、写字"), []);
        assert_eq!(domains_of("养老服务，养老服务"), [Domain::Elderly]);
    }
}
