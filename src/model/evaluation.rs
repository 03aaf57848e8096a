//! Performance evaluations (绩效评价): scores per rubric indicator for one
//! organization and period. The total and the grade are computed from the
//! rubric, never stored as truth.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rubric::{Band, Rubric};
use super::{bounds, Kind, Rule, ValidationErrors};

/// Points for one indicator, in tenths of a point, with a note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub tenths: u32,
    pub note: Option<String>,
}

/// An evaluation period: a year or a half-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    /// 0 for the whole year, 1 or 2 for a half.
    pub half: u8,
}

impl Period {
    /// `2026`, `2026H1`, `2026h2`, `2026上半年`, `2026下半年`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits != 4 {
            return None;
        }
        let year: i32 = s[..4].parse().ok()?;
        if bounds::year_rule(year).is_some() {
            return None;
        }
        let half = match &s[4..] {
            "" | "年" => 0,
            "H1" | "h1" | "上半年" => 1,
            "H2" | "h2" | "下半年" => 2,
            _ => return None,
        };
        Some(Period { year, half })
    }

    /// A key that sorts periods in time (a year after its halves).
    pub fn sort_key(self) -> (i32, u8) {
        (self.year, if self.half == 0 { 3 } else { self.half })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.half {
            0 => write!(f, "{}", self.year),
            h => write!(f, "{}H{h}", self.year),
        }
    }
}

/// One evaluation of one organization for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Id of the organization evaluated.
    pub org: String,
    /// `2026`, `2026H1` or `2026H2` (normalised).
    pub period: String,
    /// Names of the evaluators (a set).
    pub evaluators: Vec<String>,
    /// Scores by indicator key.
    pub scores: BTreeMap<String, Score>,
    pub date: NaiveDate,
    pub notes: Option<String>,
}

/// Limits on evaluation text: a score's note (see [`bounds::text_limit`]).
pub const NOTE_MAX: usize = bounds::TEXT_MAX;

/// Total and grade of an evaluation under a rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graded<'r> {
    /// Total in tenths of a point (indicators unknown to the rubric ignored).
    pub total_tenths: u32,
    /// Per dimension, in rubric order, in tenths.
    pub dimensions: Vec<u32>,
    pub band: Option<&'r Band>,
}

impl Evaluation {
    /// The parsed period.
    pub fn period(&self) -> Option<Period> {
        Period::parse(&self.period)
    }

    /// Trims text, normalises the period, orders sets.
    pub fn normalize(&mut self) {
        self.org = self.org.trim().to_string();
        if let Some(p) = Period::parse(&self.period) {
            self.period = p.to_string();
        }
        for e in self.evaluators.iter_mut() {
            *e = e.trim().to_string();
        }
        self.evaluators.retain(|e| !e.is_empty());
        self.evaluators.sort();
        self.evaluators.dedup();
        for s in self.scores.values_mut() {
            if let Some(n) = &s.note {
                let t = n.trim();
                s.note = (!t.is_empty()).then(|| t.to_string());
            }
        }
        if let Some(n) = &self.notes {
            let t = n.trim();
            self.notes = (!t.is_empty()).then(|| t.to_string());
        }
        bounds::unix_lines(&mut self.notes);
    }

    /// Checks the fields that do not need the rubric.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Evaluation;
        super::need::check_title(&mut e, k, "org", &self.org);
        if Period::parse(&self.period).is_none() {
            e.push(
                "period",
                Rule::OneOf {
                    allowed: "YYYY, YYYYH1, YYYYH2".into(),
                },
            );
        }
        if self.scores.is_empty() {
            e.push("scores", Rule::Required);
        }
        bounds::texts(&mut e, k, "scores", self.scores.keys());
        if let Some(rule) = self.scores.values().find_map(|s| {
            s.note
                .as_deref()
                .and_then(|n| bounds::text_rule(n, bounds::text_limit(k, "scores")))
        }) {
            e.push("scores", rule);
        }
        bounds::texts(&mut e, k, "evaluators", self.evaluators.iter());
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::opt_date(&mut e, "date", Some(self.date));
        e.into_result()
    }

    /// Checks the scores against a rubric: every indicator known, no score
    /// above its maximum.
    pub fn check_scores(&self, rubric: &Rubric) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        for (key, s) in &self.scores {
            match rubric.indicator(key) {
                None => e.push(
                    "scores",
                    Rule::OneOf {
                        allowed: rubric
                            .indicators()
                            .map(|i| i.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                ),
                Some((_, ind)) => {
                    if s.tenths > ind.max * 10 {
                        e.push(
                            "scores",
                            Rule::Number {
                                min: 0,
                                max: i64::from(ind.max),
                            },
                        );
                    }
                }
            }
        }
        e.into_result()
    }

    /// Total, per-dimension totals and grade under `rubric`.
    pub fn grade<'r>(&self, rubric: &'r Rubric) -> Graded<'r> {
        let dimensions: Vec<u32> = rubric
            .dimensions
            .iter()
            .map(|d| {
                d.scored()
                    .filter_map(|i| self.scores.get(&i.key))
                    .map(|s| s.tenths)
                    .sum()
            })
            .collect();
        let total_tenths = dimensions.iter().sum();
        Graded {
            total_tenths,
            band: rubric.grade(total_tenths),
            dimensions,
        }
    }
}

/// Points as text from tenths: 855 -> `85.5`.
pub fn points_text(tenths: u32) -> String {
    super::activity::tenths_text(u64::from(tenths))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(scores: &[(&str, u32)]) -> Evaluation {
        Evaluation {
            org: "k-1".into(),
            period: "2026h1".into(),
            evaluators: vec![" 王 ".into()],
            scores: scores
                .iter()
                .map(|(k, t)| {
                    (
                        k.to_string(),
                        Score {
                            tenths: *t,
                            note: None,
                        },
                    )
                })
                .collect(),
            date: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
            notes: None,
        }
    }

    #[test]
    fn periods() {
        assert_eq!(
            Period::parse("2026"),
            Some(Period {
                year: 2026,
                half: 0
            })
        );
        assert_eq!(Period::parse("2026h2").unwrap().to_string(), "2026H2");
        assert_eq!(Period::parse("2026上半年").unwrap().to_string(), "2026H1");
        assert_eq!(Period::parse("2026H3"), None);
        assert_eq!(Period::parse("26"), None);
        assert!(
            Period::parse("2025").unwrap().sort_key() < Period::parse("2026H1").unwrap().sort_key()
        );
        assert!(
            Period::parse("2026H2").unwrap().sort_key() < Period::parse("2026").unwrap().sort_key()
        );
    }

    #[test]
    fn total_and_grade_are_computed() {
        let r = Rubric::shipped();
        let mut e = eval(&[("staff", 80), ("methods", 85), ("satisfaction", 100)]);
        e.normalize();
        assert_eq!(e.period, "2026H1");
        assert_eq!(e.evaluators, vec!["王".to_string()]);
        assert!(e.validate().is_ok());
        assert!(e.check_scores(&r).is_ok());
        let g = e.grade(&r);
        assert_eq!(g.total_tenths, 265);
        assert_eq!(g.dimensions, vec![165, 0, 0, 100]);
        assert_eq!(g.band.unwrap().key, "fail");
        assert_eq!(points_text(g.total_tenths), "26.5");
    }

    #[test]
    fn scores_above_max_or_unknown_are_refused() {
        let r = Rubric::shipped();
        let e = eval(&[("staff", 81)]);
        let err = e.check_scores(&r).unwrap_err();
        assert_eq!(err.0[0].rule, Rule::Number { min: 0, max: 8 });
        let e = eval(&[("nope", 1)]);
        assert!(matches!(
            e.check_scores(&r).unwrap_err().0[0].rule,
            Rule::OneOf { .. }
        ));
        let mut e = eval(&[]);
        e.period = "2026Q1".into();
        let err = e.validate().unwrap_err();
        assert!(err.for_field("period").is_some());
        assert!(err.for_field("scores").is_some());
    }
}
