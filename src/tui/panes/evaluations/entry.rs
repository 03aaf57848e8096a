//! Score entry for one organization: the period (`2026`, `2026H1`), the
//! evaluators, then one field per rubric indicator labelled with its
//! maximum, in points with at most one decimal (`7.5`, as `sanshe eval add`
//! takes them); a value above the maximum is refused on its field before
//! anything is sent to the store. The same form, filled in, corrects an
//! evaluation ([`edit_form`], [`apply_form`]). What is typed is read as a
//! `model::EvaluationInput`, as the flags of `sanshe eval add` are.

use chrono::NaiveDate;

use crate::model::{evaluation_input, Evaluation, EvaluationInput, Rubric};
use crate::text::lang;
use crate::tui::widgets::{FieldKind, FieldSpec, FieldValue, Form};

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

/// Longest evaluators field (several names, separated by `、` or commas).
const EVALUATOR_MAX: usize = 80;

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
        )
        .with_hint(crate::text::t("activity.eval_tui.hint.evaluator")),
    ];
    for (key, ind) in SCORE_KEYS.iter().zip(&indicators) {
        let label = crate::tr!(
            "activity.eval_tui.field.score",
            name = ind.label(lang()),
            max = ind.max
        );
        fields.push(
            FieldSpec::new(key, label, FieldKind::Tenths { max: ind.max })
                .with_required(true)
                .with_hint(crate::tr!(
                    "activity.eval_tui.hint.score",
                    max = ind.max,
                    example = format!("{}.5", ind.max.saturating_sub(1))
                )),
        );
    }
    let title = crate::tr!("activity.eval_tui.form_title", org = org_name);
    let mut form = Form::new(title, fields);
    form.set_today(today);
    form.set_value(PERIOD, FieldValue::Text(default_period(today)));
    Some(form)
}

/// The form for correcting evaluation `ev` of `org_name`: every field
/// filled in from it (a value typed replaces what is there).
pub fn edit_form(
    org_name: &str,
    rubric: &Rubric,
    ev: &Evaluation,
    today: NaiveDate,
) -> Option<Form> {
    let mut form = new_form(org_name, rubric, today)?;
    let title = crate::tr!(
        "activity.eval_tui.edit_title",
        org = org_name,
        period = ev.period
    );
    form.set_title(title);
    form.set_value(PERIOD, FieldValue::Text(ev.period.clone()));
    let sep = crate::text::t("tui.form.list_sep");
    form.set_value(EVALUATOR, FieldValue::Text(ev.evaluators.join(sep)));
    for (key, ind) in SCORE_KEYS.iter().zip(rubric.indicators()) {
        let tenths = ev.scores.get(&ind.key).map(|s| i64::from(s.tenths));
        form.set_value(key, FieldValue::Number(tenths));
    }
    form.focus(SCORE_KEYS[0]);
    Some(form)
}

/// `before` corrected as the form says (date, notes and the notes of the
/// scores kept), or the errors of its fields.
pub fn apply_form(
    form: &Form,
    before: &Evaluation,
    rubric: &Rubric,
) -> Result<Evaluation, Vec<(String, String)>> {
    let mut base = before.clone();
    // Every indicator of the rubric is in the form; scores of others go.
    base.scores.retain(|k, _| rubric.indicator(k).is_some());
    read(form, base, rubric)
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
    read(form, evaluation_input::blank(org, form.today()), rubric)
}

/// `base` with what the form says, read as an [`EvaluationInput`]: the
/// same rules as `sanshe eval add` (an indicator's error, on field
/// `scores.<key>`, is shown on that indicator's field).
fn read(
    form: &Form,
    base: Evaluation,
    rubric: &Rubric,
) -> Result<Evaluation, Vec<(String, String)>> {
    let text = |key: &str| form.text(key).unwrap_or("").to_string();
    let mut scores = Vec::new();
    let mut field_of = Vec::new();
    for (key, ind) in SCORE_KEYS.iter().zip(rubric.indicators()) {
        let points = text(key);
        // An empty score is the form's own error (each one is required).
        if !points.trim().is_empty() {
            scores.push((ind.key.clone(), points));
        }
        field_of.push((evaluation_input::score_field(&ind.key), *key));
    }
    let input = EvaluationInput {
        period: Some(text(PERIOD)),
        evaluators: Some(vec![text(EVALUATOR)]),
        scores,
        ..EvaluationInput::default()
    };
    let mut ev = base;
    let mut applied = evaluation_input::apply(&input, &mut ev, rubric, form.today());
    if let Err(e) = &mut applied {
        for fe in &mut e.0 {
            if let Some((_, key)) = field_of.iter().find(|(f, _)| *f == fe.field) {
                fe.field = key.to_string();
            }
        }
    }
    let errors = form.errors_with(applied);
    if errors.is_empty() {
        Ok(ev)
    } else {
        Err(errors)
    }
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
    fn half_points_are_taken_as_the_command_line_takes_them() {
        let rubric = Rubric::shipped();
        let mut f = new_form("书画社", &rubric, today()).unwrap();
        fill(&mut f, &rubric, |max| max);
        let first = rubric.indicators().next().unwrap();
        f.focus("i0");
        f.handle_key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('u'),
            crossterm::event::KeyModifiers::CONTROL,
        ));
        f.paste(&format!("{}.5", first.max - 1));
        let ev = form_to_evaluation(&f, "o1", &rubric).unwrap();
        assert_eq!(
            ev.scores[&first.key].tenths,
            (first.max - 1) * 10 + 5,
            "{:?}",
            f.text("i0")
        );
        // Two decimals, or above the maximum, are refused on the field.
        f.focus("i1");
        f.paste("0.25");
        let errs = form_to_evaluation(&f, "o1", &rubric).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, "i1");
    }

    #[test]
    fn the_edit_form_corrects_and_keeps_what_it_does_not_show() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let rubric = Rubric::shipped();
        let mut f = new_form("书画社", &rubric, today()).unwrap();
        fill(&mut f, &rubric, |max| max);
        let mut before = form_to_evaluation(&f, "o1", &rubric).unwrap();
        before.evaluators = vec!["李敏".into(), "王强".into()];
        before.notes = Some("复核".into());
        let first = rubric.indicators().next().unwrap().key.clone();
        before.scores.get_mut(&first).unwrap().note = Some("有证书".into());
        before.date = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let mut f = edit_form("书画社", &rubric, &before, today()).unwrap();
        assert_eq!(f.text(EVALUATOR), Some("李敏、王强"));
        assert_eq!(f.focused_key(), "i0");
        // The first character typed replaces the score shown.
        for c in "3.5".chars() {
            f.handle_key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            ));
        }
        let after = apply_form(&f, &before, &rubric).unwrap();
        assert_eq!(after.scores[&first].tenths, 35);
        assert_eq!(after.scores[&first].note.as_deref(), Some("有证书"));
        assert_eq!(after.evaluators, before.evaluators);
        assert_eq!((after.date, &after.notes), (before.date, &before.notes));
        assert_eq!(after.period, before.period);
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
