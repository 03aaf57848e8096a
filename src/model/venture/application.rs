//! An application to a round (创投项目): what an organization proposes,
//! where it stands (each step with its date and author), what it was
//! awarded and what has been paid.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::AppState;
use crate::model::{bounds, domain, money, Domain, Kind, Labeled, Rule, ValidationErrors};

/// A KPI (绩效指标) with its target; `reached` when staff record it by hand
/// (KPIs named like a measure of activities are counted from them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kpi {
    pub target: u32,
    pub reached: Option<u32>,
}

/// One step taken: when, by whom, with what note (an objection during
/// publicity, a reason for terminating...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub date: NaiveDate,
    pub author: Option<String>,
    pub note: Option<String>,
}

/// One tranche paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub date: NaiveDate,
    pub amount_fen: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// Id of the round.
    pub round: String,
    /// Id of the applying organization.
    pub org: String,
    pub title: String,
    pub domains: Vec<Domain>,
    pub target_group: Option<String>,
    /// Codes of the places served (a set).
    pub places: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The project's whole budget, fen.
    pub budget_fen: Option<u64>,
    pub requested_fen: u64,
    /// Matching funds (配套资金), fen.
    pub matching_fen: Option<u64>,
    /// KPIs by name.
    pub kpis: BTreeMap<String, Kpi>,
    pub state: AppState,
    /// Each state reached, by its key (a state is reached at most once).
    pub steps: BTreeMap<String, Mark>,
    pub awarded_fen: Option<u64>,
    /// Agreement number and date (on approval).
    pub agreement: Option<String>,
    pub agreement_date: Option<NaiveDate>,
    /// Objections raised during publicity (a set of texts).
    pub objections: Vec<String>,
    /// Tranches paid, by sequence number.
    pub paid: BTreeMap<u32, Payment>,
    /// A brand project (品牌项目): shown in the bulletin.
    pub brand: bool,
    pub notes: Option<String>,
}

fn clean(opt: &mut Option<String>) {
    if let Some(s) = opt {
        let t = s.trim();
        *opt = (!t.is_empty()).then(|| t.to_string());
    }
}

impl Application {
    pub fn new(
        round: impl Into<String>,
        org: impl Into<String>,
        title: impl Into<String>,
        requested_fen: u64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Application {
        Application {
            round: round.into(),
            org: org.into(),
            title: title.into(),
            domains: Vec::new(),
            target_group: None,
            places: Vec::new(),
            from,
            to,
            budget_fen: None,
            requested_fen,
            matching_fen: None,
            kpis: BTreeMap::new(),
            state: AppState::Submitted,
            steps: BTreeMap::new(),
            awarded_fen: None,
            agreement: None,
            agreement_date: None,
            objections: Vec::new(),
            paid: BTreeMap::new(),
            brand: false,
            notes: None,
        }
    }

    pub fn normalize(&mut self) {
        self.round = self.round.trim().to_string();
        self.org = self.org.trim().to_string();
        self.title = self.title.trim().to_string();
        clean(&mut self.target_group);
        clean(&mut self.agreement);
        clean(&mut self.notes);
        bounds::unix_lines(&mut self.notes);
        domain::normalize(&mut self.domains);
        for p in self.places.iter_mut() {
            *p = crate::model::place::normalize_code(p);
        }
        self.places.retain(|p| !p.is_empty());
        self.places.sort();
        self.places.dedup();
        for o in self.objections.iter_mut() {
            *o = o.trim().to_string();
        }
        self.objections.retain(|o| !o.is_empty());
        self.objections.sort();
        self.objections.dedup();
        for m in self.steps.values_mut() {
            clean(&mut m.author);
            clean(&mut m.note);
        }
        self.kpis = std::mem::take(&mut self.kpis)
            .into_iter()
            .map(|(k, v)| (k.trim().to_string(), v))
            .filter(|(k, _)| !k.is_empty())
            .collect();
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Application;
        for (field, v) in [("round", &self.round), ("org", &self.org)] {
            if v.is_empty() {
                e.push(field, Rule::Required);
            } else {
                bounds::text(&mut e, k, field, v);
            }
        }
        crate::model::need::check_title(&mut e, k, "title", &self.title);
        bounds::opt_text(&mut e, k, "target_group", &self.target_group);
        bounds::opt_text(&mut e, k, "agreement", &self.agreement);
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::texts(&mut e, k, "objections", self.objections.iter());
        bounds::texts(&mut e, k, "kpis", self.kpis.keys());
        for p in &self.places {
            crate::model::need::check_place_code(&mut e, "places", p);
        }
        bounds::opt_date(&mut e, "from", Some(self.from));
        bounds::opt_date(&mut e, "to", Some(self.to));
        bounds::opt_date(&mut e, "agreement_date", self.agreement_date);
        if self.to < self.from {
            e.push("to", Rule::DateOrder);
        }
        let money_rule = || Rule::Money {
            max: money::format(money::MAX_FEN),
        };
        if self.requested_fen == 0 || self.requested_fen > money::MAX_FEN {
            e.push("requested", money_rule());
        }
        for (field, v) in [
            ("budget", self.budget_fen),
            ("matching", self.matching_fen),
            ("awarded", self.awarded_fen),
        ] {
            if v.is_some_and(|v| v > money::MAX_FEN) {
                e.push(field, money_rule());
            }
        }
        for kpi in self.kpis.values() {
            if kpi.target > crate::model::activity::PEOPLE_MAX
                || kpi
                    .reached
                    .is_some_and(|r| r > crate::model::activity::PEOPLE_MAX)
            {
                e.push(
                    "kpis",
                    Rule::Number {
                        min: 0,
                        max: i64::from(crate::model::activity::PEOPLE_MAX),
                    },
                );
                break;
            }
        }
        if self.state == AppState::Approved && self.awarded_fen.is_none() {
            e.push("awarded", Rule::Required);
        }
        e.into_result()
    }

    /// The date the application reached `state`, if it did.
    pub fn reached(&self, state: AppState) -> Option<NaiveDate> {
        self.steps.get(state.key()).map(|m| m.date)
    }

    /// What has been paid, fen.
    pub fn paid_fen(&self) -> u64 {
        self.paid.values().map(|p| p.amount_fen).sum()
    }

    /// Whether the project runs (approved, not yet finished).
    pub fn is_running(&self) -> bool {
        use AppState::*;
        matches!(
            self.state,
            Approved | InProgress | MidtermPassed | MidtermToFix
        )
    }
}

/// Parses a KPI as typed: `服务人次=500` (target a whole number).
pub fn parse_kpi(s: &str) -> Option<(String, u32)> {
    let (name, target) = s.split_once(['=', '＝'])?;
    let name = name.trim();
    let target = u32::try_from(crate::model::parse::whole_number(target.trim())?).ok()?;
    (!name.is_empty()).then(|| (name.to_string(), target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_application_needs_its_money_and_dates_in_order() {
        let mut a = Application::new(
            "r",
            "o",
            "长者助餐",
            4_000_000,
            d("2026-03-01"),
            d("2026-12-31"),
        );
        assert!(a.validate().is_ok());
        a.to = d("2026-01-01");
        a.requested_fen = 0;
        a.state = AppState::Approved;
        let e = a.validate().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["to", "requested", "awarded"]);
    }

    #[test]
    fn kpis_parse_as_typed() {
        assert_eq!(parse_kpi("服务人次=500"), Some(("服务人次".into(), 500)));
        assert_eq!(parse_kpi("活动场次＝１２"), Some(("活动场次".into(), 12)));
        assert_eq!(parse_kpi("=5"), None);
        assert_eq!(parse_kpi("服务人次"), None);
        assert_eq!(parse_kpi("服务人次=很多"), None);
    }
}
