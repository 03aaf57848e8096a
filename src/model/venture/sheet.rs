//! A reviewer's score sheet (评审表) for one application at one stage: the
//! application review, the mid-term or the final review. Each reviewer's
//! sheet is its own record, so reviewers scoring in different offices
//! never overwrite one another.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::AppState;
use crate::model::review::Sheet;
use crate::model::{bounds, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Which review a sheet belongs to.
    #[derive(Default)]
    pub enum Stage {
        #[default]
        Review = ("review", "立项评审", "Application review"),
        Midterm = ("midterm", "中期评估", "Mid-term review"),
        Final = ("final", "结项评估", "Final review"),
    }
}

impl Stage {
    /// The stage an application in `state` is reviewed at.
    pub fn of(state: AppState) -> Stage {
        use AppState::*;
        match state {
            Approved | InProgress | MidtermToFix => Stage::Midterm,
            MidtermPassed | FinalPassed | Failed => Stage::Final,
            _ => Stage::Review,
        }
    }

    /// The rubric a stage uses unless its round names another (the review).
    pub fn rubric(self) -> &'static str {
        match self {
            Stage::Review => "venture-review",
            Stage::Midterm => "venture-midterm",
            Stage::Final => "venture-final",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSheet {
    /// Id of the application.
    pub application: String,
    pub stage: Stage,
    pub reviewer: String,
    /// Points per indicator key, in tenths.
    pub scores: BTreeMap<String, u32>,
    /// A conflict of interest: kept, not counted.
    pub recused: bool,
    pub date: NaiveDate,
    pub notes: Option<String>,
}

impl ReviewSheet {
    pub fn normalize(&mut self) {
        self.application = self.application.trim().to_string();
        self.reviewer = self.reviewer.trim().to_string();
        if let Some(n) = &self.notes {
            let t = n.trim();
            self.notes = (!t.is_empty()).then(|| t.to_string());
        }
        bounds::unix_lines(&mut self.notes);
        if self.recused {
            self.scores.clear();
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Review;
        if self.application.is_empty() {
            e.push("application", Rule::Required);
        }
        crate::model::need::check_title(&mut e, k, "reviewer", &self.reviewer);
        bounds::texts(&mut e, k, "scores", self.scores.keys());
        if self.scores.values().any(|t| *t > 1000) {
            e.push("scores", Rule::Tenths { max: 100 });
        }
        if !self.recused && self.scores.is_empty() {
            e.push("scores", Rule::Required);
        }
        bounds::opt_date(&mut e, "date", Some(self.date));
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        e.into_result()
    }

    /// The sheet as the aggregation sees it.
    pub fn sheet(&self) -> Sheet {
        Sheet {
            reviewer: self.reviewer.clone(),
            scores: self.scores.clone(),
            recused: self.recused,
        }
    }
}

/// The sheets that count for one application and stage: one per reviewer
/// (if a reviewer's sheet was entered twice, in two offices say, the later
/// one by date, then id), in reviewer order.
pub fn latest_per_reviewer<'a>(
    sheets: impl IntoIterator<Item = (&'a str, &'a ReviewSheet)>,
) -> Vec<(&'a str, &'a ReviewSheet)> {
    let mut by: BTreeMap<&str, (&str, &ReviewSheet)> = BTreeMap::new();
    for (id, s) in sheets {
        match by.get(s.reviewer.as_str()) {
            Some((oid, o)) if (o.date, *oid) >= (s.date, id) => {}
            _ => {
                by.insert(s.reviewer.as_str(), (id, s));
            }
        }
    }
    by.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(reviewer: &str, date: &str, total: u32) -> ReviewSheet {
        ReviewSheet {
            application: "a".into(),
            stage: Stage::Review,
            reviewer: reviewer.into(),
            scores: BTreeMap::from([("x".to_string(), total)]),
            recused: false,
            date: date.parse().unwrap(),
            notes: None,
        }
    }

    #[test]
    fn a_reviewer_counts_once_with_the_later_sheet() {
        let a = sheet("甲", "2026-05-01", 800);
        let b = sheet("甲", "2026-05-02", 850);
        let c = sheet("乙", "2026-05-01", 700);
        let got = latest_per_reviewer([("1", &a), ("2", &b), ("3", &c)]);
        let totals: Vec<u32> = got.iter().map(|(_, s)| s.sheet().total()).collect();
        assert_eq!(totals, [700, 850], "乙 (U+4E59) before 甲");
        // Same date: the larger id, whatever the order they come in.
        let b2 = sheet("甲", "2026-05-01", 900);
        let got = latest_per_reviewer([("9", &b2), ("1", &a)]);
        assert_eq!(got[0].0, "9");
        let got = latest_per_reviewer([("1", &a), ("9", &b2)]);
        assert_eq!(got[0].0, "9");
    }

    #[test]
    fn a_sheet_needs_scores_unless_recused() {
        let mut s = sheet("甲", "2026-05-01", 800);
        s.scores.clear();
        assert!(s.validate().is_err());
        s.recused = true;
        assert!(s.validate().is_ok());
        s.scores.insert("x".into(), 1001);
        assert!(s.validate().is_err());
    }

    #[test]
    fn the_stage_follows_the_state() {
        assert_eq!(Stage::of(AppState::Eligible), Stage::Review);
        assert_eq!(Stage::of(AppState::InProgress), Stage::Midterm);
        assert_eq!(Stage::of(AppState::MidtermPassed), Stage::Final);
    }
}
