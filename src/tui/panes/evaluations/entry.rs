//! Score entry for one organization: the period (`2026`, `2026H1`), the
//! evaluator, then one number field per rubric indicator labelled with its
//! maximum; a value above the maximum is refused on its field before
//! anything is sent to the store.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::evaluation::{Period, Score};
use crate::model::{Evaluation, Rubric, Rule};
use crate::text::{lang, rule_message};
use crate::tui::widgets::{FieldKind, FieldSpec, Form};

/// Field keys.
pub const PERIOD: &str = "period";
pub const EVALUATOR: &str = "evaluators";

/// Keys of the indicator fields, in rubric order (the form needs static
/// keys; a rubric has far fewer indicators than this).
const SCORE_KEYS: [&str; 40] = [
    "i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "i10", "i11", "i12", "i13", "i14",
    "i15", "i16", "i17", "i18", "i19", "i20", "i21", "i22", "i23", "i24", "i25", "i26", "i27",
    "i28", "i29", "i30", "i31", "i32", "i33", "i34", "i35", "i36", "i37", "i38", "i39",
];

/// Longest evaluator name.
const EVALUATOR_MAX: usize = 40;

/// The form's title names the organization; `None` if the rubric has more
/// indicators than the form can hold.
pub fn new_form(org_name: &str, rubric: &Rubric, today: NaiveDate) -> Option<Form> {
    let indicators: Vec<_> = rubric.indicators().collect();
    if indicators.len() > SCORE_KEYS.len() {
        return None;
    }
    let mut fields = vec![
        FieldSpec::new(
            PERIOD,
            crate::text::t("activity.eval_tui.field.period"),
            FieldKind::Text { max: 12 },
        )
        .with_required(true)
        .with_hint(crate::text::t("activity.eval_tui.hint.period")),
        FieldSpec::new(
            EVALUATOR,
            crate::text::t("activity.eval_tui.field.evaluator"),
            FieldKind::Text { max: EVALUATOR_MAX },
        ),
    ];
    for (key, ind) in SCORE_KEYS.iter().zip(&indicators) {
        let label = crate::tr!(
            "activity.eval_tui.field.score",
            name = ind.label(lang()),
            max = ind.max
        );
        fields.push(
            FieldSpec::new(
                key,
                label,
                FieldKind::Number {
                    min: 0,
                    max: i64::from(ind.max),
                },
            )
            .with_required(true)
            .with_hint(crate::tr!("activity.eval_tui.hint.score", max = ind.max)),
        );
    }
    let title = crate::tr!("activity.eval_tui.form_title", org = org_name);
    let mut form = Form::new(title, fields);
    form.set_today(today);
    form.set_value(
        PERIOD,
        crate::tui::widgets::FieldValue::Text(default_period(today)),
    );
    Some(form)
}

/// The period offered first: the year before `today` (evaluations are of
/// a past year).
pub fn default_period(today: NaiveDate) -> String {
    use chrono::Datelike;
    (today.year() - 1).to_string()
}

/// The evaluation the form stands for, or the errors of its fields (keys
/// and messages): missing scores and values above an indicator's maximum
/// are refused here, before the store sees anything.
pub fn form_to_evaluation(
    form: &Form,
    org: &str,
    rubric: &Rubric,
) -> Result<Evaluation, Vec<(String, String)>> {
    let mut errors: Vec<(String, String)> = form
        .check(form.today())
        .into_iter()
        .map(|(k, r)| (k.to_string(), rule_message(&r)))
        .collect();
    let period = form.text(PERIOD).unwrap_or("").trim().to_string();
    if !period.is_empty() && Period::parse(&period).is_none() {
        errors.push((
            PERIOD.into(),
            rule_message(&Rule::OneOf {
                allowed: "2026, 2026H1, 2026H2".into(),
            }),
        ));
    }
    let mut scores = BTreeMap::new();
    for (key, ind) in SCORE_KEYS.iter().zip(rubric.indicators()) {
        let text = form.text(key).unwrap_or("").trim();
        match text.parse::<u32>() {
            Ok(p) if p <= ind.max => {
                scores.insert(
                    ind.key.clone(),
                    Score {
                        tenths: p * 10,
                        note: None,
                    },
                );
            }
            _ if text.is_empty() => {}
            _ => {
                if !errors.iter().any(|(k, _)| k == key) {
                    errors.push((
                        key.to_string(),
                        rule_message(&Rule::Number {
                            min: 0,
                            max: i64::from(ind.max),
                        }),
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let evaluator = form.text(EVALUATOR).unwrap_or("").trim().to_string();
    let mut ev = Evaluation {
        org: org.to_string(),
        period,
        evaluators: if evaluator.is_empty() {
            Vec::new()
        } else {
            vec![evaluator]
        },
        scores,
        date: form.today(),
        notes: None,
    };
    ev.normalize();
    let field_errors = |e: crate::model::ValidationErrors| {
        e.0.iter()
            .map(|fe| (fe.field.to_string(), rule_message(&fe.rule)))
            .collect::<Vec<_>>()
    };
    ev.validate().map_err(field_errors)?;
    ev.check_scores(rubric).map_err(field_errors)?;
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn fill(form: &mut Form, rubric: &Rubric, points: impl Fn(u32) -> u32) {
        for (key, ind) in SCORE_KEYS.iter().zip(rubric.indicators()) {
            form.focus(key);
            form.paste(&points(ind.max).to_string());
        }
    }

    #[test]
    fn labels_show_the_maximum_and_full_marks_grade_top() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let rubric = Rubric::shipped();
        let mut f = new_form("书画社", &rubric, today()).unwrap();
        assert_eq!(f.text(PERIOD), Some("2025"));
        fill(&mut f, &rubric, |max| max);
        let ev = form_to_evaluation(&f, "o1", &rubric).unwrap();
        assert_eq!(ev.period, "2025");
        let g = ev.grade(&rubric);
        assert_eq!(g.total_tenths, rubric.total() * 10);
        assert_eq!(
            g.band.map(|b| b.key.as_str()),
            Some(rubric.bands[0].key.as_str())
        );
    }

    #[test]
    fn a_value_above_the_maximum_is_refused_on_its_field() {
        let rubric = Rubric::shipped();
        let mut f = new_form("书画社", &rubric, today()).unwrap();
        fill(&mut f, &rubric, |max| max);
        f.focus("i1");
        f.paste("0");
        let errs = form_to_evaluation(&f, "o1", &rubric).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].0, "i1");
    }

    #[test]
    fn missing_scores_and_bad_periods_are_refused() {
        let rubric = Rubric::shipped();
        let mut f = new_form("书画社", &rubric, today()).unwrap();
        f.focus(PERIOD);
        f.paste("x");
        let errs = form_to_evaluation(&f, "o1", &rubric).unwrap_err();
        let keys: Vec<&str> = errs.iter().map(|(k, _)| k.as_str()).collect();
        assert!(keys.contains(&PERIOD) && keys.contains(&"i0"), "{keys:?}");
    }
}
