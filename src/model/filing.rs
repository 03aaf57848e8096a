//! 备案 of community organizations as a workflow ([6/6]): the application
//! with its materials (person in charge, activity place, charter, member
//! roster, funds, area of activity), the residents' committee's check, the
//! street's review, the filing number; later changes (变更) and
//! cancellation (注销); filed organizations preparing to register (拟登记)
//! followed to registration. Every step is dated and authored (a
//! [`Mark`]); an application returned (退回) may be handed in again, so a
//! state can be reached more than once: steps are kept by their sequence
//! (`01-applied`, `02-checked`, `03-returned`, `04-applied`...), never
//! overwritten. The rules that need the database (one step at a time, the
//! organization in the register) are the store's (`store/filing.rs`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::org::COUNT_MAX;
use super::venture::Mark;
use super::{bounds, money, phone, Kind, Labeled, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Where a filing stands.
    #[derive(Default)]
    pub enum FilingState {
        #[default]
        Applied = ("applied", "申请", "Applied"),
        Checked = ("checked", "社区审核", "Checked by the committee"),
        Reviewed = ("reviewed", "街道审查", "Reviewed by the street"),
        Filed = ("filed", "已备案", "Filed"),
        Preparing = ("preparing", "筹备登记", "Preparing to register"),
        Registered = ("registered", "已登记", "Registered"),
        Returned = ("returned", "退回", "Returned"),
        Cancelled = ("cancelled", "已注销", "Cancelled"),
    }
}

impl FilingState {
    /// The states one step from this one.
    pub fn next(self) -> &'static [FilingState] {
        use FilingState::*;
        match self {
            Applied => &[Checked, Returned],
            Checked => &[Reviewed, Returned],
            Reviewed => &[Filed, Returned],
            Returned => &[Applied],
            Filed => &[Preparing, Cancelled],
            Preparing => &[Registered, Cancelled],
            Registered | Cancelled => &[],
        }
    }

    /// Whether `to` is one step from here.
    pub fn can_step(self, to: FilingState) -> bool {
        self.next().contains(&to)
    }

    /// Waiting for the committee or the street (the due list's
    /// `filing_waiting`).
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            FilingState::Applied | FilingState::Checked | FilingState::Reviewed
        )
    }

    /// Filed at some point: a filing number is required.
    pub fn has_number(self) -> bool {
        matches!(
            self,
            FilingState::Filed
                | FilingState::Preparing
                | FilingState::Registered
                | FilingState::Cancelled
        )
    }
}

/// Steps kept at most (sequence numbers have two digits).
pub const STEPS_MAX: usize = 99;
/// Changes (变更) kept at most.
pub const CHANGES_MAX: usize = 99;

/// One filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    /// The group's name.
    pub name: String,
    /// Id of the organization in the register, once linked (made when the
    /// filing reaches 已备案 if none was named).
    pub org: Option<String>,
    /// Person in charge (负责人).
    pub person_in_charge: String,
    pub phone: Option<String>,
    /// Activity place (活动场所).
    pub place: String,
    /// Code of the community (or grid cell) it belongs to.
    pub community: Option<String>,
    /// A charter (章程) was handed in.
    pub charter: bool,
    /// Members on the roster handed in (成员名册).
    pub members: Option<u32>,
    /// Funds (活动资金), fen.
    pub funds_fen: Option<u64>,
    /// Area of activity (活动范围/业务范围).
    pub scope: Option<String>,
    pub state: FilingState,
    /// Every step taken, by `NN-state` (sequence, then the state's key).
    pub steps: BTreeMap<String, Mark>,
    /// 备案编号.
    pub number: Option<String>,
    /// Changes (变更) by sequence `NN`: what changed in the mark's note.
    pub changes: BTreeMap<String, Mark>,
    pub notes: Option<String>,
}

fn clean(o: &mut Option<String>) {
    if let Some(s) = o {
        let t = s.trim();
        *o = (!t.is_empty()).then(|| t.to_string());
    }
}

/// The sequence and state of a step's key (`03-returned`).
pub fn step_key(key: &str) -> Option<(u32, FilingState)> {
    let (n, s) = key.split_once('-')?;
    Some((n.parse().ok()?, FilingState::parse(s)?))
}

impl Filing {
    /// A new application (state 申请, no step yet: see [`Filing::push_step`]).
    pub fn new(name: &str, person: &str, place: &str) -> Filing {
        Filing {
            name: name.to_string(),
            org: None,
            person_in_charge: person.to_string(),
            phone: None,
            place: place.to_string(),
            community: None,
            charter: false,
            members: None,
            funds_fen: None,
            scope: None,
            state: FilingState::Applied,
            steps: BTreeMap::new(),
            number: None,
            changes: BTreeMap::new(),
            notes: None,
        }
    }

    /// The steps in the order taken.
    pub fn step_list(&self) -> Vec<(FilingState, &Mark)> {
        let mut v: Vec<(u32, FilingState, &Mark)> = self
            .steps
            .iter()
            .filter_map(|(k, m)| step_key(k).map(|(n, s)| (n, s, m)))
            .collect();
        v.sort_by_key(|(n, _, _)| *n);
        v.into_iter().map(|(_, s, m)| (s, m)).collect()
    }

    /// The last time `state` was reached.
    pub fn reached(&self, state: FilingState) -> Option<&Mark> {
        self.step_list()
            .into_iter()
            .rev()
            .find(|(s, _)| *s == state)
            .map(|(_, m)| m)
    }

    /// The mark of the last step taken.
    pub fn last_step(&self) -> Option<(FilingState, &Mark)> {
        self.step_list().into_iter().next_back()
    }

    /// Since when it has been in its state (the date of the last step).
    pub fn since(&self) -> Option<NaiveDate> {
        self.last_step().map(|(_, m)| m.date)
    }

    /// Moves to `to` with its mark (no rule checked here: the store checks
    /// that it is one step on).
    pub fn push_step(&mut self, to: FilingState, mark: Mark) {
        let n = self
            .steps
            .keys()
            .filter_map(|k| step_key(k).map(|(n, _)| n))
            .max()
            .unwrap_or(0)
            + 1;
        self.steps.insert(format!("{n:02}-{}", to.key()), mark);
        self.state = to;
    }

    /// This filing one step on (`Command::Update { before: self, after }`
    /// asks the store, which refuses a step that is not one of the next):
    /// `to` with its mark, and the filing number when one is given.
    pub fn stepped(&self, to: FilingState, mark: Mark, number: Option<String>) -> Filing {
        let mut after = self.clone();
        after.push_step(to, mark);
        if number.is_some() {
            after.number = number;
        }
        after.normalize();
        after
    }

    /// Records a change (变更): `mark.note` says what changed.
    pub fn push_change(&mut self, mark: Mark) {
        let n = self
            .changes
            .keys()
            .filter_map(|k| k.parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        self.changes.insert(format!("{n:02}"), mark);
    }

    /// The changes in the order made.
    pub fn change_list(&self) -> Vec<&Mark> {
        let mut v: Vec<(u32, &Mark)> = self
            .changes
            .iter()
            .map(|(k, m)| (k.parse().unwrap_or(u32::MAX), m))
            .collect();
        v.sort_by_key(|(n, _)| *n);
        v.into_iter().map(|(_, m)| m).collect()
    }

    pub fn normalize(&mut self) {
        self.name = self.name.trim().to_string();
        self.person_in_charge = self.person_in_charge.trim().to_string();
        self.place = self.place.trim().to_string();
        for o in [
            &mut self.org,
            &mut self.phone,
            &mut self.community,
            &mut self.scope,
            &mut self.number,
            &mut self.notes,
        ] {
            clean(o);
        }
        bounds::unix_lines(&mut self.notes);
        bounds::unix_lines(&mut self.scope);
        if let Some(p) = &self.phone {
            if let Some(n) = phone::normalize(p) {
                self.phone = Some(n);
            }
        }
        if let Some(c) = &self.community {
            self.community = Some(super::place::normalize_code(c));
        }
        for m in self.steps.values_mut().chain(self.changes.values_mut()) {
            clean(&mut m.author);
            clean(&mut m.note);
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Filing;
        for (f, v) in [
            ("name", &self.name),
            ("person_in_charge", &self.person_in_charge),
            ("place", &self.place),
        ] {
            if v.is_empty() {
                e.push(f, Rule::Required);
            } else {
                bounds::text(&mut e, k, f, v);
            }
        }
        for (f, v) in [
            ("org", &self.org),
            ("community", &self.community),
            ("scope", &self.scope),
            ("number", &self.number),
            ("notes", &self.notes),
        ] {
            bounds::opt_text(&mut e, k, f, v);
        }
        if let Some(p) = &self.phone {
            if !phone::is_valid(p) {
                e.push("phone", Rule::Phone);
            }
        }
        if self.members.is_some_and(|m| i64::from(m) > COUNT_MAX) {
            e.push(
                "members",
                Rule::Number {
                    min: 0,
                    max: COUNT_MAX,
                },
            );
        }
        if self.funds_fen.is_some_and(|f| f > money::MAX_FEN) {
            e.push(
                "funds",
                Rule::Money {
                    max: money::format(money::MAX_FEN),
                },
            );
        }
        if self.state.has_number() && self.number.is_none() {
            e.push("number", Rule::Required);
        }
        if self.steps.len() > STEPS_MAX {
            e.push("steps", Rule::TooMany { max: STEPS_MAX });
        }
        if self.changes.len() > CHANGES_MAX {
            e.push("changes", Rule::TooMany { max: CHANGES_MAX });
        }
        for (key, m) in &self.steps {
            if step_key(key).is_none() {
                e.push(
                    "steps",
                    Rule::OneOf {
                        allowed: FilingState::ALL
                            .iter()
                            .map(|s| format!("NN-{}", s.key()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                );
                break;
            }
            bounds::opt_date(&mut e, "date", Some(m.date));
            bounds::opt_text(&mut e, k, "note", &m.note);
        }
        for m in self.changes.values() {
            bounds::opt_date(&mut e, "date", Some(m.date));
            match &m.note {
                None => e.push("what", Rule::Required),
                Some(n) => bounds::text(&mut e, k, "what", n),
            }
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(d: u32) -> Mark {
        Mark {
            date: NaiveDate::from_ymd_opt(2026, 3, d).unwrap(),
            author: Some("王丽".into()),
            note: None,
        }
    }

    #[test]
    fn every_step_that_is_not_next_is_illegal() {
        use FilingState::*;
        let legal = [
            (Applied, Checked),
            (Applied, Returned),
            (Checked, Reviewed),
            (Checked, Returned),
            (Reviewed, Filed),
            (Reviewed, Returned),
            (Returned, Applied),
            (Filed, Preparing),
            (Filed, Cancelled),
            (Preparing, Registered),
            (Preparing, Cancelled),
        ];
        for from in FilingState::ALL {
            for to in FilingState::ALL {
                assert_eq!(
                    from.can_step(*to),
                    legal.contains(&(*from, *to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
        assert!(Registered.next().is_empty() && Cancelled.next().is_empty());
        assert!(Applied.is_waiting() && !Filed.is_waiting());
    }

    #[test]
    fn a_returned_application_keeps_every_step() {
        let mut f = Filing::new("北山书画社", "陈敏", "北山社区活动室");
        f.push_step(FilingState::Applied, mark(1));
        f.push_step(FilingState::Returned, mark(2));
        f.push_step(FilingState::Applied, mark(3));
        assert_eq!(f.steps.len(), 3);
        assert_eq!(f.reached(FilingState::Applied).unwrap().date, mark(3).date);
        assert_eq!(f.since(), Some(mark(3).date));
        let states: Vec<FilingState> = f.step_list().iter().map(|(s, _)| *s).collect();
        use FilingState::*;
        assert_eq!(states, [Applied, Returned, Applied]);
        assert!(f.validate().is_ok());
    }

    #[test]
    fn a_filed_state_needs_its_number_and_materials_are_checked() {
        let mut f = Filing::new("北山书画社", "陈敏", "北山社区活动室");
        f.state = FilingState::Filed;
        f.phone = Some("123".into());
        f.funds_fen = Some(money::MAX_FEN + 1);
        f.person_in_charge = String::new();
        let e = f.validate().unwrap_err();
        for field in ["number", "phone", "funds", "person_in_charge"] {
            assert!(e.for_field(field).is_some(), "{field}: {e:?}");
        }
        f.changes.insert(
            "01".into(),
            Mark {
                note: None,
                ..mark(4)
            },
        );
        assert!(f.validate().unwrap_err().for_field("what").is_some());
    }
}
