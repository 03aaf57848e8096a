//! An organization's stay in the incubation base (入驻): where, how many
//! seats, from when to its planned exit, its stage (one step at a time,
//! each dated and authored), its goals and when each was met, its party
//! status at entry and at exit (同步孵化), the exit assessment's points.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::venture::Mark;
use crate::model::{bounds, Kind, Labeled, Party, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Where an enrollment stands.
    pub enum IncStage {
        Applied = ("applied", "申请", "Applied"),
        Reviewed = ("reviewed", "评审", "Reviewed"),
        Entered = ("entered", "入壳", "Entered"),
        Incubating = ("incubating", "孵化中", "Incubating"),
        Extended = ("extended", "延期", "Extended"),
        Graduated = ("graduated", "出壳", "Graduated"),
        Left = ("left", "退驻", "Left"),
        Ended = ("ended", "终止", "Ended"),
    }
}

impl IncStage {
    /// The stages one step from this one.
    pub fn next(self) -> &'static [IncStage] {
        use IncStage::*;
        match self {
            Applied => &[Reviewed, Ended],
            Reviewed => &[Entered, Ended],
            Entered => &[Incubating, Left, Ended],
            Incubating => &[Extended, Graduated, Left, Ended],
            Extended => &[Graduated, Left, Ended],
            Graduated | Left | Ended => &[],
        }
    }

    pub fn can_step(self, to: IncStage) -> bool {
        self.next().contains(&to)
    }

    /// Whether the organization is out of the base in this stage.
    pub fn is_out(self) -> bool {
        matches!(self, IncStage::Graduated | IncStage::Left | IncStage::Ended)
    }
}

crate::labeled_enum! {
    /// What an incubated organization is helped to reach.
    pub enum Goal {
        Filing = ("filing", "完成备案", "Filed"),
        Registration = ("registration", "完成登记", "Registered"),
        Party = ("party", "建立党组织", "Party organization set up"),
        Project = ("project", "承接项目", "Took on a project"),
        Rating = ("rating", "获评等级", "Rated"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollment {
    pub org: String,
    /// Id of the space.
    pub space: String,
    pub seats: u32,
    pub cohort: Option<String>,
    pub from: NaiveDate,
    /// Planned exit.
    pub to: NaiveDate,
    /// Actual exit (出壳, 退驻 or 终止).
    pub exited: Option<NaiveDate>,
    pub stage: IncStage,
    /// Each stage reached, by key.
    pub steps: BTreeMap<String, Mark>,
    pub agreement: Option<String>,
    /// The goals set at entry (a set).
    pub goals: Vec<Goal>,
    /// When each goal was met, by its key.
    pub goals_met: BTreeMap<String, NaiveDate>,
    pub party_at_entry: Option<Party>,
    pub party_at_exit: Option<Party>,
    /// The exit assessment: points per indicator of `incubation-exit`, tenths.
    pub assessment: BTreeMap<String, u32>,
    pub notes: Option<String>,
}

impl Enrollment {
    pub fn new(org: &str, space: &str, seats: u32, from: NaiveDate, to: NaiveDate) -> Enrollment {
        Enrollment {
            org: org.to_string(),
            space: space.to_string(),
            seats,
            cohort: None,
            from,
            to,
            exited: None,
            stage: IncStage::Entered,
            steps: BTreeMap::new(),
            agreement: None,
            goals: Vec::new(),
            goals_met: BTreeMap::new(),
            party_at_entry: None,
            party_at_exit: None,
            assessment: BTreeMap::new(),
            notes: None,
        }
    }

    pub fn normalize(&mut self) {
        self.org = self.org.trim().to_string();
        self.space = self.space.trim().to_string();
        // A goal met is a goal.
        for g in self.goals_met.keys() {
            if let Some(g) = Goal::parse(g) {
                self.goals.push(g);
            }
        }
        self.goals.sort();
        self.goals.dedup();
        for o in [&mut self.cohort, &mut self.agreement, &mut self.notes] {
            if let Some(s) = o {
                let t = s.trim();
                *o = (!t.is_empty()).then(|| t.to_string());
            }
        }
        for m in self.steps.values_mut() {
            for o in [&mut m.author, &mut m.note] {
                if let Some(s) = o {
                    let t = s.trim();
                    *o = (!t.is_empty()).then(|| t.to_string());
                }
            }
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Enrollment;
        for (field, v) in [("org", &self.org), ("space", &self.space)] {
            if v.is_empty() {
                e.push(field, Rule::Required);
            }
        }
        if self.seats == 0 || self.seats > super::space::SEATS_MAX {
            e.push(
                "seats",
                Rule::Number {
                    min: 1,
                    max: i64::from(super::space::SEATS_MAX),
                },
            );
        }
        bounds::opt_date(&mut e, "from", Some(self.from));
        bounds::opt_date(&mut e, "to", Some(self.to));
        bounds::opt_date(&mut e, "exited", self.exited);
        if self.to < self.from {
            e.push("to", Rule::DateOrder);
        }
        if self.exited.is_some_and(|x| x < self.from) {
            e.push("exited", Rule::DateOrder);
        }
        for (field, v) in [
            ("cohort", &self.cohort),
            ("agreement", &self.agreement),
            ("notes", &self.notes),
        ] {
            bounds::opt_text(&mut e, k, field, v);
        }
        for g in self.goals_met.keys() {
            if Goal::parse(g).is_none() {
                e.push(
                    "goals",
                    Rule::OneOf {
                        allowed: Goal::ALL
                            .iter()
                            .map(|g| g.key())
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                );
                break;
            }
        }
        e.into_result()
    }

    /// The last day a seat is held: the actual exit, else the planned one.
    pub fn until(&self) -> NaiveDate {
        self.exited.unwrap_or(self.to)
    }

    /// Whether it holds its seats at all (an application, or one ended
    /// before entering, holds none).
    pub fn holds_seats(&self) -> bool {
        let never_entered = self.reached(IncStage::Entered).is_none();
        match self.stage {
            IncStage::Applied | IncStage::Reviewed => false,
            IncStage::Ended => !never_entered,
            _ => true,
        }
    }

    /// When goal `g` was met, if it was.
    pub fn met(&self, g: Goal) -> Option<NaiveDate> {
        self.goals_met.get(g.key()).copied()
    }

    pub fn reached(&self, s: IncStage) -> Option<NaiveDate> {
        self.steps.get(s.key()).map(|m| m.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_go_one_step_at_a_time_to_an_exit() {
        use IncStage::*;
        let mut legal = 0;
        for &a in IncStage::ALL {
            for &b in IncStage::ALL {
                legal += usize::from(a.can_step(b));
                assert!(!(a.is_out() && a.can_step(b)), "{a:?} is final");
            }
        }
        assert_eq!(legal, 14);
        assert!(Incubating.can_step(Graduated));
        assert!(!Applied.can_step(Incubating), "no skipping");
        assert!(!Graduated.can_step(Incubating), "no going back");
    }
}
