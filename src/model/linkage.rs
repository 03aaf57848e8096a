//! Linkages (对接): one need answered by one or more offers, and their life:
//! proposed -> accepted -> in progress -> done, one step at a time, or
//! cancelled from any state before done.
//!
//! [`advance`] is the whole rule: given a linkage, its need and its offers,
//! it returns all three as they must be after the step, so the caller writes
//! them in one atomic batch.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::need::clean;
use super::{bounds, Kind, Need, NeedState, Offer, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Where a linkage is in its life (对接状态).
    #[derive(Default)]
    pub enum LinkageState {
        #[default]
        Proposed = ("proposed", "已提议", "Proposed"),
        Accepted = ("accepted", "已接受", "Accepted"),
        InProgress = ("in-progress", "服务中", "In progress"),
        Done = ("done", "已完成", "Done"),
        Cancelled = ("cancelled", "已取消", "Cancelled"),
    }
}

impl LinkageState {
    /// The state one step further, if any.
    pub fn next(self) -> Option<LinkageState> {
        match self {
            LinkageState::Proposed => Some(LinkageState::Accepted),
            LinkageState::Accepted => Some(LinkageState::InProgress),
            LinkageState::InProgress => Some(LinkageState::Done),
            LinkageState::Done | LinkageState::Cancelled => None,
        }
    }

    /// Whether a linkage may go from `self` to `to`: one step forward, or
    /// cancelled from any state before done.
    pub fn can_go(self, to: LinkageState) -> bool {
        match to {
            LinkageState::Cancelled => !self.is_final(),
            to => self.next() == Some(to),
        }
    }

    /// Done and cancelled are final.
    pub fn is_final(self) -> bool {
        matches!(self, LinkageState::Done | LinkageState::Cancelled)
    }

    /// Accepted and in progress hold capacity of their offers.
    pub fn holds_capacity(self) -> bool {
        matches!(self, LinkageState::Accepted | LinkageState::InProgress)
    }
}

/// Satisfaction is 1 (very unsatisfied) to 5 (very satisfied).
pub const SATISFACTION_MAX: u8 = 5;

/// A linkage. `need` and `offers` are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Linkage {
    /// The need's title when the linkage was made (for lists and the log).
    pub title: String,
    /// Id of the need.
    pub need: String,
    /// Ids of the offers.
    pub offers: Vec<String>,
    pub state: LinkageState,
    /// Who made it (a staff member's name or user).
    pub made_by: Option<String>,
    /// Units of each offer's capacity the linkage takes (default 1).
    pub amount: u32,
    pub proposed: Option<NaiveDate>,
    pub accepted: Option<NaiveDate>,
    pub started: Option<NaiveDate>,
    pub finished: Option<NaiveDate>,
    pub cancelled: Option<NaiveDate>,
    /// Outcome notes.
    pub notes: Option<String>,
    /// The residents' satisfaction, 1-5.
    pub satisfaction: Option<u8>,
}

impl Linkage {
    /// A proposed linkage of `need` with `offers`, made on `day`.
    pub fn propose(need_id: &str, need: &Need, offers: Vec<String>, day: NaiveDate) -> Linkage {
        Linkage {
            title: need.title.clone(),
            need: need_id.to_string(),
            offers,
            amount: 1,
            proposed: Some(day),
            ..Default::default()
        }
    }

    pub fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        self.need = self.need.trim().to_string();
        for o in &mut self.offers {
            *o = o.trim().to_string();
        }
        self.offers.retain(|o| !o.is_empty());
        self.offers.sort();
        self.offers.dedup();
        clean(&mut self.made_by);
        clean(&mut self.notes);
        bounds::unix_lines(&mut self.notes);
        if self.amount == 0 {
            self.amount = 1;
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Linkage;
        super::need::check_title(&mut e, k, "need", &self.need);
        if self.offers.is_empty() {
            e.push("offers", Rule::Required);
        }
        bounds::texts(&mut e, k, "offers", self.offers.iter());
        bounds::text(&mut e, k, "title", &self.title);
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::opt_text(&mut e, k, "made_by", &self.made_by);
        for (field, d) in [
            ("proposed", self.proposed),
            ("accepted", self.accepted),
            ("started", self.started),
            ("finished", self.finished),
            ("cancelled", self.cancelled),
        ] {
            bounds::opt_date(&mut e, field, d);
        }
        if let Some(s) = self.satisfaction {
            if !(1..=SATISFACTION_MAX).contains(&s) {
                e.push(
                    "satisfaction",
                    Rule::Number {
                        min: 1,
                        max: i64::from(SATISFACTION_MAX),
                    },
                );
            }
        }
        if i64::from(self.amount) > super::need::PEOPLE_MAX {
            e.push(
                "amount",
                Rule::Number {
                    min: 1,
                    max: super::need::PEOPLE_MAX,
                },
            );
        }
        e.into_result()
    }
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// Not one step forward, nor a cancel before done.
    NotAllowed {
        from: LinkageState,
        to: LinkageState,
    },
    /// An offer has not enough capacity left (its id and what is left).
    NoCapacity { offer: String, remaining: u32 },
}

/// What a step changes: the linkage, its need and its offers, after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub linkage: Linkage,
    pub need: Need,
    pub offers: Vec<(String, Offer)>,
}

/// Takes a linkage one step to `to` on `day`:
/// - accepted: the need becomes matched and each offer commits `amount`
///   of its capacity (refused if one has not enough left);
/// - in progress: the need is in progress;
/// - done: the need is done; a service, venue or skill gives its capacity
///   back, funds and goods are used up (capacity and commitment both drop);
/// - cancelled: capacity held is given back, and the need opens again
///   unless `need_has_other` (another live linkage answers it).
///
/// `satisfaction` and `note` are recorded on the linkage when given.
pub fn advance(
    linkage: &Linkage,
    need: &Need,
    offers: &[(String, Offer)],
    to: LinkageState,
    day: NaiveDate,
    need_has_other: bool,
) -> Result<Step, StepError> {
    let from = linkage.state;
    if !from.can_go(to) {
        return Err(StepError::NotAllowed { from, to });
    }
    let mut l = linkage.clone();
    let mut n = need.clone();
    let mut os: Vec<(String, Offer)> = offers.to_vec();
    let amount = l.amount.max(1);
    l.state = to;
    match to {
        LinkageState::Accepted => {
            l.accepted = Some(day);
            for (id, o) in &mut os {
                if let Some(left) = o.remaining() {
                    if left < amount {
                        return Err(StepError::NoCapacity {
                            offer: id.clone(),
                            remaining: left,
                        });
                    }
                }
                o.committed = o.committed.saturating_add(amount);
            }
            if matches!(n.state, NeedState::Open) {
                n.state = NeedState::Matched;
            }
        }
        LinkageState::InProgress => {
            l.started = Some(day);
            if matches!(n.state, NeedState::Open | NeedState::Matched) {
                n.state = NeedState::InProgress;
            }
        }
        LinkageState::Done => {
            l.finished = Some(day);
            for (_, o) in &mut os {
                o.committed = o.committed.saturating_sub(amount);
                if o.kind.consumed() {
                    o.capacity = o.capacity.map(|c| c.saturating_sub(amount));
                }
            }
            n.state = NeedState::Done;
            n.close_reason = None;
        }
        LinkageState::Cancelled => {
            l.cancelled = Some(day);
            if from.holds_capacity() {
                for (_, o) in &mut os {
                    o.committed = o.committed.saturating_sub(amount);
                }
            }
            if !need_has_other && matches!(n.state, NeedState::Matched | NeedState::InProgress) {
                n.state = NeedState::Open;
            }
        }
        LinkageState::Proposed => {}
    }
    Ok(Step {
        linkage: l,
        need: n,
        offers: os,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, OfferType};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn setup(kind: OfferType) -> (Linkage, Need, Vec<(String, Offer)>) {
        let need = Need {
            title: "独居老人助餐".into(),
            domains: vec![Domain::Elderly],
            grid: "BSJ-01-01".into(),
            ..Default::default()
        };
        let offer = Offer {
            title: "爱心午餐".into(),
            kind,
            domains: vec![Domain::Elderly],
            provider: "o1".into(),
            capacity: Some(3),
            ..Default::default()
        };
        let l = Linkage::propose("n1", &need, vec!["f1".into()], day());
        (l, need, vec![("f1".into(), offer)])
    }

    #[test]
    fn one_step_at_a_time() {
        use LinkageState::*;
        assert!(Proposed.can_go(Accepted));
        assert!(!Proposed.can_go(InProgress));
        assert!(!Proposed.can_go(Done));
        assert!(Accepted.can_go(InProgress) && InProgress.can_go(Done));
        assert!(Proposed.can_go(Cancelled) && InProgress.can_go(Cancelled));
        assert!(!Done.can_go(Cancelled) && !Cancelled.can_go(Proposed));
        assert!(!Accepted.can_go(Proposed));
    }

    #[test]
    fn capacity_through_the_lifecycle_of_a_service() {
        let (l, n, os) = setup(OfferType::Service);
        let s = advance(&l, &n, &os, LinkageState::Accepted, day(), false).unwrap();
        assert_eq!(s.need.state, NeedState::Matched);
        assert_eq!(s.offers[0].1.committed, 1);
        assert_eq!(s.linkage.accepted, Some(day()));
        let s = advance(
            &s.linkage,
            &s.need,
            &s.offers,
            LinkageState::InProgress,
            day(),
            false,
        )
        .unwrap();
        assert_eq!(s.need.state, NeedState::InProgress);
        assert_eq!(s.offers[0].1.committed, 1);
        let s = advance(
            &s.linkage,
            &s.need,
            &s.offers,
            LinkageState::Done,
            day(),
            false,
        )
        .unwrap();
        assert_eq!(s.need.state, NeedState::Done);
        assert_eq!(s.offers[0].1.committed, 0);
        assert_eq!(s.offers[0].1.capacity, Some(3), "a service is freed");
        assert!(matches!(
            advance(
                &s.linkage,
                &s.need,
                &s.offers,
                LinkageState::Cancelled,
                day(),
                false
            ),
            Err(StepError::NotAllowed { .. })
        ));
    }

    #[test]
    fn goods_are_used_up_and_cancelling_gives_back() {
        let (mut l, n, os) = setup(OfferType::Goods);
        l.amount = 2;
        let s = advance(&l, &n, &os, LinkageState::Accepted, day(), false).unwrap();
        assert_eq!(s.offers[0].1.remaining(), Some(1));
        let c = advance(
            &s.linkage,
            &s.need,
            &s.offers,
            LinkageState::Cancelled,
            day(),
            false,
        )
        .unwrap();
        assert_eq!(c.offers[0].1.committed, 0);
        assert_eq!(c.need.state, NeedState::Open);
        let c2 = advance(
            &s.linkage,
            &s.need,
            &s.offers,
            LinkageState::Cancelled,
            day(),
            true,
        )
        .unwrap();
        assert_eq!(
            c2.need.state,
            NeedState::Matched,
            "another linkage answers it"
        );
        let s = advance(
            &s.linkage,
            &s.need,
            &s.offers,
            LinkageState::InProgress,
            day(),
            false,
        )
        .unwrap();
        let s = advance(
            &s.linkage,
            &s.need,
            &s.offers,
            LinkageState::Done,
            day(),
            false,
        )
        .unwrap();
        assert_eq!(s.offers[0].1.capacity, Some(1), "goods are used up");
        assert_eq!(s.offers[0].1.committed, 0);
    }

    #[test]
    fn no_capacity_refuses_acceptance() {
        let (mut l, n, mut os) = setup(OfferType::Service);
        os[0].1.committed = 3;
        let e = advance(&l, &n, &os, LinkageState::Accepted, day(), false).unwrap_err();
        assert_eq!(
            e,
            StepError::NoCapacity {
                offer: "f1".into(),
                remaining: 0
            }
        );
        // Cancelling a proposal does not touch capacity.
        l.state = LinkageState::Proposed;
        let c = advance(&l, &n, &os, LinkageState::Cancelled, day(), false).unwrap();
        assert_eq!(c.offers[0].1.committed, 3);
    }

    #[test]
    fn validation() {
        let mut l = Linkage {
            satisfaction: Some(6),
            ..Default::default()
        };
        let e = l.validate().unwrap_err();
        for f in ["need", "offers", "satisfaction"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        l.normalize();
        assert_eq!(l.amount, 1);
    }
}
