//! An evaluation as typed text (the `eval add` flags, the evaluations
//! pane's score entry), applied onto an [`Evaluation`] with every error
//! collected and the scores checked against the rubric: `7.5` is taken,
//! `8.5` for an indicator scored out of 8 is refused, alike everywhere.
//!
//! An error of one indicator's score is on the field `scores.<key>`
//! (`scores.staff`), so a form shows it on that indicator's field.

use chrono::NaiveDate;

use super::evaluation::{Period, Score};
use super::parse::{merge, parse_date, parse_tenths};
use super::{Evaluation, Rubric, Rule, ValidationErrors};

/// Separators between evaluators' names typed in one value.
pub const EVALUATOR_SEPARATORS: &[char] = &['、', ',', '，', ';', '；'];

/// An evaluation as typed; `None` leaves the field as it is. Scores are
/// set per indicator (others kept), notes go on scores given here or
/// already there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvaluationInput {
    /// `2026`, `2026H1`, `2026上半年`...
    pub period: Option<String>,
    /// Evaluators' names; one value may hold several (`李敏、王强`).
    /// Replace those there when given.
    pub evaluators: Option<Vec<String>>,
    /// (indicator key, points as typed: `7.5`).
    pub scores: Vec<(String, String)>,
    /// (indicator key, note on its score).
    pub notes: Vec<(String, String)>,
    /// Date of the evaluation.
    pub date: Option<String>,
}

/// The field of one indicator's score.
pub fn score_field(key: &str) -> String {
    format!("scores.{key}")
}

/// The rule a period breaks.
pub fn period_rule() -> Rule {
    Rule::OneOf {
        allowed: "2026, 2026H1, 2026H2".into(),
    }
}

/// A new evaluation of organization `org` dated `today`, to apply input
/// onto.
pub fn blank(org: &str, today: NaiveDate) -> Evaluation {
    Evaluation {
        org: org.to_string(),
        period: String::new(),
        evaluators: Vec::new(),
        scores: Default::default(),
        date: today,
        notes: None,
    }
}

/// Applies `f` onto `ev`, collecting every error (relative dates resolve
/// against `today`), then normalises `ev` and adds the errors of
/// [`Evaluation::validate`] and [`Evaluation::check_scores`] on fields not
/// already in error.
pub fn apply(
    f: &EvaluationInput,
    ev: &mut Evaluation,
    rubric: &Rubric,
    today: NaiveDate,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if let Some(v) = &f.period {
        if Period::parse(v).is_some() {
            ev.period = v.clone();
        } else {
            e.push("period", period_rule());
        }
    }
    if let Some(v) = &f.date {
        match parse_date(v, today) {
            Ok(d) => ev.date = d,
            Err(r) => e.push("date", r),
        }
    }
    if let Some(names) = &f.evaluators {
        ev.evaluators = names
            .iter()
            .flat_map(|n| n.split(EVALUATOR_SEPARATORS))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    for (key, points) in &f.scores {
        let key = key.trim();
        match rubric.indicator(key) {
            None => e.push("scores", unknown_indicator(rubric)),
            Some((_, ind)) => match parse_tenths(points, ind.max) {
                Ok(tenths) => {
                    let note = ev.scores.remove(key).and_then(|s| s.note);
                    ev.scores.insert(key.to_string(), Score { tenths, note });
                }
                Err(r) => e.push(&score_field(key), r),
            },
        }
    }
    for (key, text) in &f.notes {
        let key = key.trim();
        match ev.scores.get_mut(key) {
            Some(s) => s.note = Some(text.clone()),
            // A note needs the score it explains (unless that score was
            // typed wrong, which is reported already).
            None if e.for_field(&score_field(key)).is_some() => {}
            None => e.push(&score_field(key), Rule::Required),
        }
    }
    ev.normalize();
    merge(&mut e, ev.validate());
    merge(&mut e, ev.check_scores(rubric));
    e.into_result()
}

/// The rule an unknown indicator key breaks: one of the rubric's keys.
fn unknown_indicator(rubric: &Rubric) -> Rule {
    Rule::OneOf {
        allowed: rubric
            .indicators()
            .map(|i| i.key.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn scores(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn half_points_notes_and_evaluators() {
        let r = Rubric::shipped();
        let input = EvaluationInput {
            period: Some("2026上半年".into()),
            evaluators: Some(vec!["王强、李敏".into(), "赵六".into()]),
            scores: scores(&[("staff", "7.5"), ("finance", "８")]),
            notes: scores(&[("staff", "好")]),
            date: Some("-1".into()),
        };
        let mut ev = blank("k-1", today());
        apply(&input, &mut ev, &r, today()).unwrap();
        assert_eq!(ev.period, "2026H1");
        assert_eq!(ev.evaluators, ["李敏", "王强", "赵六"]);
        assert_eq!(ev.scores["staff"].tenths, 75);
        assert_eq!(ev.scores["staff"].note.as_deref(), Some("好"));
        assert_eq!(ev.scores["finance"].tenths, 80);
        assert_eq!(ev.date, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        // A corrected score keeps its note.
        let fix = EvaluationInput {
            scores: scores(&[("staff", "6")]),
            ..EvaluationInput::default()
        };
        apply(&fix, &mut ev, &r, today()).unwrap();
        assert_eq!(ev.scores["staff"].tenths, 60);
        assert_eq!(ev.scores["staff"].note.as_deref(), Some("好"));
    }

    #[test]
    fn each_score_error_is_on_its_indicator() {
        let r = Rubric::shipped();
        let (_, staff) = r.indicator("staff").unwrap();
        let input = EvaluationInput {
            period: Some("2026Q1".into()),
            scores: scores(&[("staff", "8.5"), ("finance", "0.25"), ("nope", "1")]),
            notes: scores(&[("satisfaction", "x"), ("staff", "y")]),
            date: Some("2026-02-30".into()),
            ..EvaluationInput::default()
        };
        let e = apply(&input, &mut blank("k-1", today()), &r, today()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "period",
                "date",
                "scores.staff",
                "scores.finance",
                "scores",
                "scores.satisfaction"
            ],
            "{e:?}"
        );
        assert_eq!(
            e.for_field("scores.staff").unwrap().rule,
            Rule::Tenths {
                max: i64::from(staff.max)
            }
        );
        assert_eq!(e.for_field("period").unwrap().rule, period_rule());
        assert_eq!(
            e.for_field("scores.satisfaction").unwrap().rule,
            Rule::Required
        );
    }
}
