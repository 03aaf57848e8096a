//! A 公益创投 round (创投轮次): the call, its money, who may apply, how
//! applications are reviewed and how awards are paid.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AppState, Tranche};
use crate::model::review::Aggregate;
use crate::model::{
    bounds, domain, money, Domain, InspectionResult, Kind, Labeled, Organization, RatingLevel,
    RegState, Rule, ValidationErrors,
};

/// The rubric a round reviews with unless it names another.
pub const DEFAULT_RUBRIC: &str = "venture-review";

/// One round of venture philanthropy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub title: String,
    pub year: i32,
    /// Who pays (民政局, 街道, 基金会...).
    pub funder: Option<String>,
    /// The round's whole budget, fen.
    pub budget_fen: u64,
    /// At most this per project, fen.
    pub cap_fen: u64,
    /// Service domains the round funds (a set; empty: any).
    pub themes: Vec<Domain>,
    /// Codes of the places it serves (a set; empty: the whole township).
    pub places: Vec<String>,
    /// Registration states that may apply (a set; empty: filed or registered).
    pub eligible_states: Vec<RegState>,
    /// The lowest rating an applicant must hold, if any.
    pub min_rating: Option<RatingLevel>,
    /// Organizations on the abnormal list (latest annual inspection failed
    /// or not taken) are refused.
    pub exclude_abnormal: bool,
    pub call_from: Option<NaiveDate>,
    pub call_to: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    /// Key of the review rubric (`venture-review`).
    pub rubric: String,
    pub aggregate: Aggregate,
    /// Days a shortlist is publicised (公示期).
    pub publicity_days: Option<u32>,
    /// The tranche plan by sequence number (`1`, `2`...): share and condition.
    pub tranches: BTreeMap<u32, Tranche>,
    /// When mid-term and final reports are due.
    pub midterm_due: Option<NaiveDate>,
    pub final_due: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// Why a round refuses an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excluded {
    State(RegState),
    Rating(Option<RatingLevel>),
    Abnormal { year: i32, result: InspectionResult },
}

fn clean(opt: &mut Option<String>) {
    if let Some(s) = opt {
        let t = s.trim();
        *opt = (!t.is_empty()).then(|| t.to_string());
    }
}

impl Round {
    pub fn new(title: impl Into<String>, year: i32, budget_fen: u64, cap_fen: u64) -> Round {
        Round {
            title: title.into(),
            year,
            funder: None,
            budget_fen,
            cap_fen,
            themes: Vec::new(),
            places: Vec::new(),
            eligible_states: Vec::new(),
            min_rating: None,
            exclude_abnormal: true,
            call_from: None,
            call_to: None,
            review_on: None,
            rubric: DEFAULT_RUBRIC.to_string(),
            aggregate: Aggregate::Mean,
            publicity_days: None,
            tranches: BTreeMap::new(),
            midterm_due: None,
            final_due: None,
            notes: None,
        }
    }

    pub fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        self.rubric = self.rubric.trim().to_string();
        if self.rubric.is_empty() {
            self.rubric = DEFAULT_RUBRIC.to_string();
        }
        clean(&mut self.funder);
        clean(&mut self.notes);
        bounds::unix_lines(&mut self.notes);
        domain::normalize(&mut self.themes);
        for p in self.places.iter_mut() {
            *p = crate::model::place::normalize_code(p);
        }
        self.places.retain(|p| !p.is_empty());
        self.places.sort();
        self.places.dedup();
        self.eligible_states.sort();
        self.eligible_states.dedup();
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Round;
        crate::model::need::check_title(&mut e, k, "title", &self.title);
        if let Some(rule) = bounds::year_rule(self.year) {
            e.push("year", rule);
        }
        bounds::opt_text(&mut e, k, "funder", &self.funder);
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::text(&mut e, k, "rubric", &self.rubric);
        let max = || Rule::Money {
            max: money::format(money::MAX_FEN),
        };
        if self.budget_fen == 0 || self.budget_fen > money::MAX_FEN {
            e.push("budget", max());
        }
        if self.cap_fen == 0 || self.cap_fen > money::MAX_FEN {
            e.push("cap", max());
        } else if self.cap_fen > self.budget_fen {
            e.push(
                "cap",
                Rule::Other {
                    message: crate::tr!("venture.cap_over_budget"),
                },
            );
        }
        for p in &self.places {
            crate::model::need::check_place_code(&mut e, "places", p);
        }
        if self.places.len() > 200 {
            e.push("places", Rule::TooMany { max: 200 });
        }
        for (field, d) in [
            ("call_from", self.call_from),
            ("call_to", self.call_to),
            ("review_on", self.review_on),
            ("midterm_due", self.midterm_due),
            ("final_due", self.final_due),
        ] {
            bounds::opt_date(&mut e, field, d);
        }
        if let (Some(a), Some(b)) = (self.call_from, self.call_to) {
            if b < a {
                e.push("call_to", Rule::DateOrder);
            }
        }
        if let Some(d) = self.publicity_days {
            if d > 90 {
                e.push("publicity_days", Rule::Number { min: 0, max: 90 });
            }
        }
        if !self.tranches.is_empty() {
            let plan: Vec<Tranche> = self.tranches.values().copied().collect();
            if !super::plan_is_whole(&plan) || self.tranches.len() > 9 {
                e.push(
                    "tranches",
                    Rule::Other {
                        message: crate::tr!("venture.plan_not_whole"),
                    },
                );
            }
        }
        e.into_result()
    }

    /// The states that may apply: the round's list, or filed and registered.
    pub fn states(&self) -> Vec<RegState> {
        if self.eligible_states.is_empty() {
            vec![RegState::Filed, RegState::Registered]
        } else {
            self.eligible_states.clone()
        }
    }

    /// Why `org` may not apply to this round, if it may not.
    pub fn excludes(&self, org: &Organization) -> Option<Excluded> {
        if !self.states().contains(&org.state) {
            return Some(Excluded::State(org.state));
        }
        if let Some(min) = self.min_rating {
            let level = org.rating.as_ref().map(|r| r.level);
            if level.is_none_or(|l| l < min) {
                return Some(Excluded::Rating(level));
            }
        }
        if self.exclude_abnormal {
            if let Some((year, i)) = org.latest_inspection() {
                if matches!(i.result, InspectionResult::Fail | InspectionResult::Absent) {
                    return Some(Excluded::Abnormal {
                        year,
                        result: i.result,
                    });
                }
            }
        }
        None
    }

    /// Exclusion in words.
    pub fn excluded_text(&self, why: &Excluded) -> String {
        let lang = crate::text::lang();
        match why {
            Excluded::State(s) => crate::tr!(
                "venture.excluded_state",
                state = s.label(lang),
                allowed = self
                    .states()
                    .iter()
                    .map(|s| s.label(lang))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            Excluded::Rating(level) => crate::tr!(
                "venture.excluded_rating",
                min = self.min_rating.map(|m| m.label(lang)).unwrap_or_default(),
                level = level
                    .map(|l| l.label(lang).to_string())
                    .unwrap_or_else(|| crate::tr!("venture.no_rating"))
            ),
            Excluded::Abnormal { year, result } => crate::tr!(
                "venture.excluded_abnormal",
                year = year,
                result = result.label(lang)
            ),
        }
    }

    /// The tranche plan in order.
    pub fn plan(&self) -> Vec<(u32, Tranche)> {
        self.tranches.iter().map(|(s, t)| (*s, *t)).collect()
    }

    /// Amount of tranche `seq` of an award, fen: its share, the last
    /// tranche taking what rounding left, so the tranches add up to the award
    /// exactly.
    pub fn tranche_amount(&self, seq: u32, awarded_fen: u64) -> Option<u64> {
        let plan = self.plan();
        let pos = plan.iter().position(|(s, _)| *s == seq)?;
        if pos + 1 == plan.len() {
            let before: u64 = plan[..pos]
                .iter()
                .map(|(_, t)| share(awarded_fen, t.percent))
                .sum();
            Some(awarded_fen.saturating_sub(before))
        } else {
            Some(share(awarded_fen, plan[pos].1.percent))
        }
    }

    /// Whether an application in `state` counts towards what the round
    /// has given (approved and after, not terminated before any payment).
    pub fn counts_award(state: AppState) -> bool {
        use AppState::*;
        matches!(
            state,
            Approved
                | InProgress
                | MidtermPassed
                | MidtermToFix
                | FinalPassed
                | Failed
                | Closed
                | Terminated
        )
    }
}

/// `percent` of `fen`, rounded down to the fen.
fn share(fen: u64, percent: u32) -> u64 {
    fen * u64::from(percent) / 100
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Inspection, OrgType, Rating};

    fn round() -> Round {
        let mut r = Round::new("2026年公益创投", 2026, 30_000_000, 5_000_000);
        for (seq, s) in [(1, "40%:signing"), (2, "30%:midterm"), (3, "30%:final")] {
            r.tranches
                .insert(seq, super::super::parse_tranche(s).unwrap());
        }
        r
    }

    #[test]
    fn tranches_add_up_to_the_award_exactly() {
        let r = round();
        assert!(r.validate().is_ok());
        for award in [1u64, 99, 100, 3_333_333, 4_000_001, 5_000_000] {
            let sum: u64 = (1..=3).map(|s| r.tranche_amount(s, award).unwrap()).sum();
            assert_eq!(sum, award, "{award}");
        }
        assert_eq!(r.tranche_amount(1, 4_000_000), Some(1_600_000));
        assert_eq!(r.tranche_amount(4, 4_000_000), None);
    }

    #[test]
    fn a_plan_must_be_whole_and_the_cap_within_the_budget() {
        let mut r = round();
        r.tranches.remove(&3);
        r.cap_fen = r.budget_fen + 1;
        let e = r.validate().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["cap", "tranches"]);
    }

    #[test]
    fn eligibility_names_the_reason() {
        let mut r = round();
        let mut o = Organization::new("星光志愿队", OrgType::Community);
        assert_eq!(r.excludes(&o), None, "filed may apply");
        o.state = RegState::Incubating;
        assert_eq!(r.excludes(&o), Some(Excluded::State(RegState::Incubating)));
        o.state = RegState::Registered;
        r.min_rating = Some(RatingLevel::A3);
        assert_eq!(r.excludes(&o), Some(Excluded::Rating(None)));
        o.rating = Some(Rating {
            level: RatingLevel::A4,
            expires: None,
        });
        assert_eq!(r.excludes(&o), None);
        o.inspections.insert(
            2025,
            Inspection {
                result: InspectionResult::Absent,
                submitted: None,
                rectify_due: None,
            },
        );
        assert!(matches!(
            r.excludes(&o),
            Some(Excluded::Abnormal { year: 2025, .. })
        ));
        r.exclude_abnormal = false;
        assert_eq!(r.excludes(&o), None);
    }
}
