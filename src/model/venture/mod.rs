//! 公益创投 ([5/6]): rounds, applications, reviewers' sheets and monitoring
//! visits, and their rules: the states an application goes through, one
//! step at a time; a round's tranche plan ("40%:signing") and its
//! eligibility; the ranking that proposes awards.

mod application;
mod round;
mod sheet;
pub mod sheet_input;
mod visit;

pub use application::{parse_kpi, Application, Kpi, Mark, Payment};
pub use round::{Excluded, Round, DEFAULT_RUBRIC};
pub use sheet::{latest_per_reviewer, ReviewSheet, Stage};
pub use visit::{Visit, VisitKind};

use crate::model::Labeled;

crate::labeled_enum! {
    /// Where a venture application stands.
    pub enum AppState {
        Submitted = ("submitted", "已申报", "Submitted"),
        Eligible = ("eligible", "初审通过", "Eligible"),
        Ineligible = ("ineligible", "初审未通过", "Ineligible"),
        Reviewed = ("reviewed", "已评审", "Reviewed"),
        Shortlisted = ("shortlisted", "拟立项", "Shortlisted"),
        Publicized = ("publicized", "公示中", "Publicized"),
        Approved = ("approved", "已立项", "Approved"),
        InProgress = ("in-progress", "执行中", "In progress"),
        MidtermPassed = ("midterm-passed", "中期通过", "Mid-term passed"),
        MidtermToFix = ("midterm-to-fix", "中期整改", "Mid-term: to fix"),
        Terminated = ("terminated", "已终止", "Terminated"),
        FinalPassed = ("final-passed", "结项通过", "Final passed"),
        Failed = ("failed", "结项未通过", "Failed"),
        Closed = ("closed", "已归档", "Closed"),
    }
}

impl AppState {
    /// The states one step from this one.
    pub fn next(self) -> &'static [AppState] {
        use AppState::*;
        match self {
            Submitted => &[Eligible, Ineligible],
            Eligible => &[Reviewed],
            Ineligible => &[Closed],
            Reviewed => &[Shortlisted, Closed],
            Shortlisted => &[Publicized],
            Publicized => &[Approved, Closed],
            Approved => &[InProgress],
            InProgress => &[MidtermPassed, MidtermToFix, Terminated],
            MidtermToFix => &[MidtermPassed, Terminated],
            MidtermPassed => &[FinalPassed, Failed],
            Terminated | FinalPassed | Failed => &[Closed],
            Closed => &[],
        }
    }

    /// Whether `to` is one step from here.
    pub fn can_step(self, to: AppState) -> bool {
        self.next().contains(&to)
    }
}

crate::labeled_enum! {
    /// What must be true before a tranche is paid.
    pub enum Condition {
        Signing = ("signing", "签订协议", "Agreement signed"),
        Midterm = ("midterm", "中期通过", "Mid-term passed"),
        Final = ("final", "结项通过", "Final passed"),
    }
}

impl Condition {
    /// Whether an application in `state` has met the condition.
    pub fn met_in(self, state: AppState) -> bool {
        use AppState::*;
        match self {
            Condition::Signing => matches!(
                state,
                Approved | InProgress | MidtermPassed | MidtermToFix | FinalPassed | Closed
            ),
            Condition::Midterm => matches!(state, MidtermPassed | FinalPassed | Closed),
            Condition::Final => matches!(state, FinalPassed | Closed),
        }
    }
}

/// One tranche of a round's plan: a share of the award (percent) and its
/// condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tranche {
    pub percent: u32,
    pub condition: Condition,
}

/// Parses one tranche: `40%:signing` (or `40%:签订协议`, `40:signing`).
pub fn parse_tranche(s: &str) -> Option<Tranche> {
    let (share, cond) = s.split_once([':', '：'])?;
    let percent: u32 = share
        .trim()
        .trim_end_matches(['%', '％'])
        .trim()
        .parse()
        .ok()?;
    let condition = Condition::parse(cond)?;
    (1..=100)
        .contains(&percent)
        .then_some(Tranche { percent, condition })
}

/// Whether a plan's shares add up to the whole award.
pub fn plan_is_whole(plan: &[Tranche]) -> bool {
    plan.iter().map(|t| t.percent).sum::<u32>() == 100
}

/// One reviewed application, as the ranking sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub id: String,
    /// Aggregated score, tenths (`model::review::result`).
    pub total: u32,
    /// Amount requested, fen.
    pub requested: u64,
    /// Proposed award, fen (0: none within the budget).
    pub award: u64,
}

/// Ranks applications by total (highest first; on a tie the smaller
/// request, then the id) and proposes awards: each gets what it asked, at
/// most the cap, while the budget lasts; one that no longer fits gets none
/// and a later, smaller one may still fit. Staff confirm the proposal.
pub fn rank(mut apps: Vec<(String, u32, u64)>, budget: u64, cap: u64) -> Vec<Ranked> {
    apps.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(a.2.cmp(&b.2))
            .then_with(|| a.0.cmp(&b.0))
    });
    let mut left = budget;
    apps.into_iter()
        .map(|(id, total, requested)| {
            let want = requested.min(cap);
            let award = if want <= left { want } else { 0 };
            left -= award;
            Ranked {
                id,
                total,
                requested,
                award,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_steps_only_to_its_next_ones() {
        use AppState::*;
        let mut legal = 0;
        for &from in AppState::ALL {
            for &to in AppState::ALL {
                let ok = from.can_step(to);
                legal += usize::from(ok);
                if from == to || to == Submitted {
                    assert!(!ok, "{from:?} -> {to:?}");
                }
            }
        }
        assert_eq!(legal, 20, "the table above, step by step");
        assert!(Submitted.can_step(Eligible));
        assert!(!Submitted.can_step(Approved), "no skipping");
        assert!(!Approved.can_step(Publicized), "no going back");
        assert!(Closed.next().is_empty());
        // From submitted, every state is reachable.
        let mut seen = vec![Submitted];
        let mut i = 0;
        while i < seen.len() {
            for &n in seen[i].next() {
                if !seen.contains(&n) {
                    seen.push(n);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), AppState::ALL.len());
    }

    #[test]
    fn awards_follow_the_ranking_within_the_budget_and_the_cap() {
        let apps = vec![
            ("b".to_string(), 850, 5_000_000),
            ("a".to_string(), 900, 3_000_000),
            ("c".to_string(), 850, 2_000_000),
            ("d".to_string(), 700, 1_000_000),
        ];
        // Budget 80,000 yuan, cap 40,000 yuan (fen).
        let r = rank(apps, 8_000_000, 4_000_000);
        let got: Vec<(&str, u64)> = r.iter().map(|x| (x.id.as_str(), x.award)).collect();
        // a 30,000; then the tie at 85.0: c (smaller) 20,000, b capped 40,000
        // does not fit in the 30,000 left; d 10,000 does.
        assert_eq!(
            got,
            [
                ("a", 3_000_000),
                ("c", 2_000_000),
                ("b", 0),
                ("d", 1_000_000)
            ]
        );
        assert!(r.iter().map(|x| x.award).sum::<u64>() <= 8_000_000);
    }

    #[test]
    fn money_is_typed_in_yuan_and_kept_in_fen() {
        use crate::model::money::{parse, Unit};
        assert_eq!(parse("40000", Unit::Yuan), Some(4_000_000));
        assert_eq!(parse("3.5万", Unit::Yuan), Some(3_500_000));
        assert_eq!(parse("12,345.67元", Unit::Yuan), Some(1_234_567));
        assert_eq!(parse("-1", Unit::Yuan), None);
        assert_eq!(parse("0.001", Unit::Yuan), None);
    }

    #[test]
    fn tranches_parse_and_conditions_follow_the_state() {
        let t = parse_tranche("40%:signing").unwrap();
        assert_eq!((t.percent, t.condition), (40, Condition::Signing));
        assert_eq!(
            parse_tranche("30：中期通过").unwrap().condition,
            Condition::Midterm
        );
        assert_eq!(parse_tranche("0%:final"), None);
        assert_eq!(parse_tranche("40%"), None);
        assert_eq!(parse_tranche("40%:someday"), None);
        let plan: Vec<Tranche> = ["40%:signing", "30%:midterm", "30%:final"]
            .iter()
            .map(|s| parse_tranche(s).unwrap())
            .collect();
        assert!(plan_is_whole(&plan));
        assert!(!plan_is_whole(&plan[..2]));
        assert!(Condition::Signing.met_in(AppState::Approved));
        assert!(!Condition::Midterm.met_in(AppState::MidtermToFix));
        assert!(Condition::Final.met_in(AppState::FinalPassed));
        assert!(!Condition::Signing.met_in(AppState::Publicized));
    }
}
