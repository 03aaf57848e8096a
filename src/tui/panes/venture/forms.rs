//! The 创投 pane's forms: one reviewer's sheet (reviewer, recusal, one
//! field per indicator labelled with its maximum, half points allowed), a
//! step (date; amount and agreement number on approval; a note), a
//! monitoring visit. What is typed is read by the same rules as `sanshe
//! venture review|step|visit add` (`model::venture::sheet_input`, the
//! store's rules on save).

use chrono::NaiveDate;

use crate::model::money;
use crate::model::venture::{sheet_input, AppState, Application, Mark, ReviewSheet, Stage};
use crate::model::venture::{Visit, VisitKind};
use crate::model::{Labeled, Rubric};
use crate::text::{lang, t};
use crate::tui::widgets::field::Choice;
use crate::tui::widgets::{FieldKind, FieldSpec, FieldValue, Form};

pub const REVIEWER: &str = "reviewer";
pub const RECUSED: &str = "recused";
pub const DATE: &str = "date";
pub const AMOUNT: &str = "amount";
pub const AGREEMENT: &str = "agreement";
pub const NOTE: &str = "note";
pub const KIND: &str = "kind";
pub const VISITORS: &str = "visitors";
pub const FINDINGS: &str = "findings";
pub const FOLLOW_UP: &str = "follow_up";

/// Keys of the indicator fields, in rubric order (static keys; a rubric
/// has far fewer indicators).
const SCORE_KEYS: [&str; 30] = [
    "i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "i10", "i11", "i12", "i13", "i14",
    "i15", "i16", "i17", "i18", "i19", "i20", "i21", "i22", "i23", "i24", "i25", "i26", "i27",
    "i28", "i29",
];

fn yes_no() -> Vec<Choice> {
    vec![
        Choice::new("no", t("interchange.no")),
        Choice::new("yes", t("interchange.yes")),
    ]
}

/// A blank sheet for the next reviewer of `title` at `stage`; `None` if
/// the rubric has more indicators than the form holds.
pub fn review_form(title: &str, stage: Stage, rubric: &Rubric, today: NaiveDate) -> Option<Form> {
    let indicators: Vec<_> = rubric.indicators().collect();
    if indicators.len() > SCORE_KEYS.len() {
        return None;
    }
    let mut fields = vec![
        FieldSpec::new(
            REVIEWER,
            crate::text::field_label("reviewer"),
            FieldKind::Text { max: 40 },
        )
        .with_required(true),
        FieldSpec::new(
            RECUSED,
            crate::text::field_label("recused"),
            FieldKind::Choice { options: yes_no() },
        ),
    ];
    for (key, ind) in SCORE_KEYS.iter().zip(&indicators) {
        let label = crate::tr!(
            "activity.eval_tui.field.score",
            name = ind.label(lang()),
            max = ind.max
        );
        fields.push(
            FieldSpec::new(key, label, FieldKind::Tenths { max: ind.max }).with_hint(crate::tr!(
                "activity.eval_tui.hint.score",
                max = ind.max,
                example = format!("{}.5", ind.max.saturating_sub(1))
            )),
        );
    }
    let title = crate::tr!(
        "venture.tui.review_title",
        title = title,
        stage = stage.label(lang())
    );
    let mut form = Form::new(title, fields);
    form.set_today(today);
    form.set_value(RECUSED, FieldValue::Choice(Some("no".into())));
    Some(form)
}

/// The sheet the form stands for (a reviewer who already has a sheet at
/// this stage corrects it: `existing`), or the errors of its fields.
pub fn read_review(
    form: &Form,
    app: &str,
    stage: Stage,
    rubric_key: &str,
    rubric: &Rubric,
    existing: Option<&ReviewSheet>,
) -> Result<ReviewSheet, Vec<(String, String)>> {
    let text = |key: &str| form.text(key).unwrap_or("").trim().to_string();
    let recused = matches!(form.value(RECUSED), Some(FieldValue::Choice(Some(k))) if k == "yes");
    let reviewer = text(REVIEWER);
    let mut sheet = match existing {
        Some(s) => s.clone(),
        None => ReviewSheet {
            application: app.to_string(),
            stage,
            reviewer: reviewer.clone(),
            scores: Default::default(),
            recused,
            date: form.today(),
            notes: None,
        },
    };
    sheet.reviewer = reviewer;
    sheet.recused = recused;
    sheet.date = form.today();
    let mut pairs = Vec::new();
    let mut field_of = Vec::new();
    for (key, ind) in SCORE_KEYS.iter().zip(rubric.indicators()) {
        let points = text(key);
        if !points.is_empty() {
            pairs.push((ind.key.clone(), points));
        }
        field_of.push((format!("scores.{}", ind.key), *key));
    }
    let mut applied = sheet_input::apply(&mut sheet, &pairs, rubric_key, rubric);
    if let Err(e) = &mut applied {
        for fe in &mut e.0 {
            if let Some((_, key)) = field_of.iter().find(|(f, _)| *f == fe.field) {
                fe.field = key.to_string();
            } else if fe.field == "scores" {
                // Indicators left empty: shown on the first of them.
                if let Some(k) = SCORE_KEYS
                    .iter()
                    .zip(rubric.indicators())
                    .find(|(k, _)| text(k).is_empty())
                    .map(|(k, _)| *k)
                {
                    fe.field = k.to_string();
                }
            }
        }
    }
    let errors = form.errors_with(applied);
    if errors.is_empty() {
        Ok(sheet)
    } else {
        Err(errors)
    }
}

/// The form of a step of `a` to `to`: its title says the step; approval
/// asks for the amount (the proposed award filled in) and the agreement.
pub fn step_form(a: &Application, to: AppState, proposed: Option<u64>, today: NaiveDate) -> Form {
    let mut fields = vec![
        FieldSpec::new(DATE, crate::text::field_label("date"), FieldKind::Date).with_required(true),
    ];
    if to == AppState::Approved {
        fields.push(
            FieldSpec::new(
                AMOUNT,
                crate::text::field_label("awarded"),
                FieldKind::Text { max: 20 },
            )
            .with_required(true)
            .with_hint(t("venture.tui.hint_amount")),
        );
        fields.push(FieldSpec::new(
            AGREEMENT,
            crate::text::field_label("agreement"),
            FieldKind::Text { max: 64 },
        ));
    }
    let note_label = if a.state == AppState::Publicized {
        crate::text::field_label("objections")
    } else {
        t("venture.tui.note").to_string()
    };
    fields.push(FieldSpec::new(
        NOTE,
        note_label,
        FieldKind::Text { max: 200 },
    ));
    let title = crate::tr!(
        "venture.stepped",
        title = a.title,
        from = a.state.label(lang()),
        to = to.label(lang())
    );
    let mut form = Form::new(title, fields);
    form.set_today(today);
    form.set_value(DATE, FieldValue::Date(Some(today)));
    if to == AppState::Approved {
        let amount = a
            .awarded_fen
            .or(proposed.filter(|p| *p > 0))
            .unwrap_or(a.requested_fen);
        form.set_value(AMOUNT, FieldValue::Text(yuan_text(amount)));
    }
    form
}

/// An amount as typed back in yuan (`40000`, `12345.6`).
fn yuan_text(fen: u64) -> String {
    let s = format!("{}.{:02}", fen / 100, fen % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `a` stepped to `to` as the form says, by `author`.
pub fn read_step(
    form: &Form,
    a: &Application,
    to: AppState,
    author: &str,
) -> Result<Application, Vec<(String, String)>> {
    let mut out = a.clone();
    let mut errors: Vec<(String, String)> = form.errors_with(Ok(()));
    let date = match form.value(DATE) {
        Some(FieldValue::Date(Some(d))) => *d,
        _ => form.today(),
    };
    let note = form.text(NOTE).unwrap_or("").trim().to_string();
    if to == AppState::Approved {
        let typed = form.text(AMOUNT).unwrap_or("");
        match money::parse(typed, money::Unit::Yuan) {
            Some(f) if f > 0 => out.awarded_fen = Some(f),
            _ => errors.push((
                AMOUNT.to_string(),
                crate::text::rule_message(&crate::model::Rule::Money {
                    max: money::format(money::MAX_FEN),
                }),
            )),
        }
        let agreement = form.text(AGREEMENT).unwrap_or("").trim();
        out.agreement = (!agreement.is_empty()).then(|| agreement.to_string());
        out.agreement_date = Some(date);
    }
    if a.state == AppState::Publicized && !note.is_empty() {
        out.objections.push(note.clone());
    }
    out.state = to;
    out.steps.insert(
        to.key().to_string(),
        Mark {
            date,
            author: (!author.is_empty()).then(|| author.to_string()),
            note: (!note.is_empty()).then_some(note),
        },
    );
    out.normalize();
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A monitoring visit to `title`.
pub fn visit_form(title: &str, today: NaiveDate) -> Form {
    let kinds = VisitKind::ALL
        .iter()
        .map(|k| Choice::new(k.key(), k.label(lang())))
        .collect();
    let fields = vec![
        FieldSpec::new(
            KIND,
            crate::text::field_label("kind"),
            FieldKind::Choice { options: kinds },
        )
        .with_required(true),
        FieldSpec::new(DATE, crate::text::field_label("date"), FieldKind::Date).with_required(true),
        FieldSpec::new(
            VISITORS,
            crate::text::field_label("visitors"),
            FieldKind::Text { max: 80 },
        ),
        FieldSpec::new(
            FINDINGS,
            crate::text::field_label("findings"),
            FieldKind::Text { max: 400 },
        ),
        FieldSpec::new(
            FOLLOW_UP,
            crate::text::field_label("follow_up"),
            FieldKind::Date,
        ),
    ];
    let mut form = Form::new(crate::tr!("venture.tui.visit_title", title = title), fields);
    form.set_today(today);
    form.set_value(KIND, FieldValue::Choice(Some(VisitKind::Site.key().into())));
    form.set_value(DATE, FieldValue::Date(Some(today)));
    form
}

/// The visit the form stands for.
pub fn read_visit(form: &Form, app: &str) -> Result<Visit, Vec<(String, String)>> {
    let date_of = |k: &str| match form.value(k) {
        Some(FieldValue::Date(d)) => *d,
        _ => None,
    };
    let kind = match form.value(KIND) {
        Some(FieldValue::Choice(Some(k))) => VisitKind::parse(k).unwrap_or_default(),
        _ => VisitKind::default(),
    };
    let mut v = Visit {
        application: app.to_string(),
        kind,
        date: date_of(DATE).unwrap_or(form.today()),
        visitors: form
            .text(VISITORS)
            .unwrap_or("")
            .split(['、', ',', '，', ' '])
            .map(str::to_string)
            .collect(),
        findings: Some(form.text(FINDINGS).unwrap_or("").to_string()),
        follow_up: date_of(FOLLOW_UP),
        closed: false,
    };
    v.normalize();
    let mut checked = v.validate();
    if let Err(e) = &mut checked {
        for fe in &mut e.0 {
            if fe.field == "visitors" {
                fe.field = VISITORS.into();
            }
        }
    }
    let errors = form.errors_with(checked);
    if errors.is_empty() {
        Ok(v)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 20).unwrap()
    }

    fn rubric() -> Rubric {
        crate::report::rubric_named(None, Some("venture-review")).unwrap()
    }

    #[test]
    fn a_sheet_takes_half_points_and_refuses_above_the_maximum() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let r = rubric();
        let mut f = review_form("长者助餐", Stage::Review, &r, today()).unwrap();
        f.focus(REVIEWER);
        f.paste("张三");
        for (k, ind) in SCORE_KEYS.iter().zip(r.indicators()) {
            f.focus(k);
            f.paste(&format!("{}.5", ind.max - 1));
        }
        let s = read_review(&f, "a1", Stage::Review, "venture-review", &r, None).unwrap();
        assert_eq!(s.reviewer, "张三");
        let want: u32 = r.indicators().map(|i| (i.max - 1) * 10 + 5).sum();
        assert_eq!(s.sheet().total(), want);
        f.focus("i0");
        f.handle_key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('u'),
            crossterm::event::KeyModifiers::CONTROL,
        ));
        f.paste("99");
        let errs = read_review(&f, "a1", Stage::Review, "venture-review", &r, None).unwrap_err();
        assert_eq!(errs[0].0, "i0");
    }

    #[test]
    fn approval_asks_the_amount_with_the_proposed_award_filled_in() {
        let a = Application::new(
            "r",
            "o",
            "长者助餐",
            4_000_000,
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        );
        let f = step_form(&a, AppState::Approved, Some(3_500_050), today());
        assert_eq!(f.text(AMOUNT), Some("35000.5"));
        let after = read_step(&f, &a, AppState::Approved, "wangli").unwrap();
        assert_eq!(after.awarded_fen, Some(3_500_050));
        assert_eq!(after.state, AppState::Approved);
        assert_eq!(after.steps["approved"].author.as_deref(), Some("wangli"));
    }
}
