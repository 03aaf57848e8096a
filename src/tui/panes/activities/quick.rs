//! Quick entry of an activity: organization (picked by pinyin initials),
//! date (`t`, `-1`, `11-20`), title; then the optional kind, counts,
//! volunteer hours, place and whether it may be published. The pane
//! remembers the last organization, date and place, so the next entry
//! starts on the title with them filled in.
//!
//! The same form, filled in from a stored activity, edits it
//! ([`edit_form`], [`apply_form`]): the fields it does not show (venue,
//! times, summary, tags, further organizations...) are kept as they are.
//!
//! What is typed is read as a `model::ActivityInput`, as the flags of
//! `sanshe activity add|edit` are: the same text, the same value or error.

use chrono::NaiveDate;

use crate::model::activity::{tenths_text, PEOPLE_MAX, TITLE_MAX};
use crate::model::{activity_input, Activity, ActivityInput, ActivityKind, Labeled, Place};
use crate::store::StoreError;
use crate::text::{label, lang, rule_message};
use crate::tui::org_form::place_choices;
use crate::tui::widgets::{Choice, FieldKind, FieldSpec, FieldValue, Form};

/// What the last saved entry leaves for the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memory {
    pub org: Option<String>,
    pub date: Option<NaiveDate>,
    pub grid: Option<String>,
}

/// Field keys, in form order (as the model names its fields, so model and
/// store errors land on them).
pub const ORG: &str = "orgs";
pub const DATE: &str = "date";
pub const TITLE: &str = "title";
pub const KIND: &str = "kind";
pub const PARTICIPANTS: &str = "participants";
pub const BENEFICIARIES: &str = "beneficiaries";
pub const HOURS: &str = "hours";
pub const GRID: &str = "grid";
pub const PUBLISH: &str = "publishable";

fn spec(key: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec::new(
        key,
        crate::text::t(&format!("activity.tui.field.{key}")),
        kind,
    )
}

fn people() -> FieldKind {
    FieldKind::Number {
        min: 0,
        max: PEOPLE_MAX as i64,
    }
}

/// The quick-entry form: `orgs` are `(id, name)` in the order to offer
/// them; `memory` pre-fills organization, date and place (the cursor then
/// starts on the title); without a remembered date the date is `today`.
pub fn new_form(
    orgs: &[(String, String)],
    places: &[Place],
    memory: &Memory,
    today: NaiveDate,
) -> Form {
    let title = crate::text::t("activity.tui.form_title").to_string();
    build_form(title, orgs, places, memory, today)
}

fn build_form(
    title: String,
    orgs: &[(String, String)],
    places: &[Place],
    memory: &Memory,
    today: NaiveDate,
) -> Form {
    let org_options = orgs
        .iter()
        .map(|(id, name)| Choice::new(id.clone(), name.clone()))
        .collect();
    let kinds = ActivityKind::ALL
        .iter()
        .map(|&k| Choice::new(k.key(), label(k)))
        .collect();
    let yes_no = vec![
        Choice::new("no", crate::text::t("activity.tui.no")),
        Choice::new("yes", crate::text::t("activity.tui.yes")),
    ];
    let fields = vec![
        spec(
            ORG,
            FieldKind::Choice {
                options: org_options,
            },
        )
        .with_required(true)
        .with_hint(crate::text::t("activity.tui.hint.org")),
        spec(DATE, FieldKind::Date)
            .with_required(true)
            .with_hint(crate::text::t("activity.tui.hint.date")),
        spec(TITLE, FieldKind::Text { max: TITLE_MAX }).with_required(true),
        spec(KIND, FieldKind::Choice { options: kinds }),
        spec(PARTICIPANTS, people()),
        spec(BENEFICIARIES, people()),
        spec(HOURS, FieldKind::Text { max: 10 })
            .with_hint(crate::text::t("activity.tui.hint.hours")),
        spec(
            GRID,
            FieldKind::Place {
                options: place_choices(places),
            },
        ),
        spec(PUBLISH, FieldKind::Choice { options: yes_no }),
    ];
    let mut form = Form::new(title, fields);
    form.set_today(today);
    form.set_value(DATE, FieldValue::Date(Some(memory.date.unwrap_or(today))));
    form.set_value(
        KIND,
        FieldValue::Choice(Some(ActivityKind::default().key().into())),
    );
    form.set_value(PUBLISH, FieldValue::Choice(Some("no".into())));
    if let Some(g) = &memory.grid {
        form.set_value(GRID, FieldValue::Choice(Some(g.clone())));
    }
    if let Some(o) = &memory.org {
        form.set_value(ORG, FieldValue::Choice(Some(o.clone())));
        form.focus(TITLE);
    }
    form
}

/// The form filled in from activity `a`, to edit it (focus on the title).
pub fn edit_form(
    orgs: &[(String, String)],
    places: &[Place],
    a: &Activity,
    today: NaiveDate,
) -> Form {
    let title = crate::text::t("activity.tui.edit_title").to_string();
    let mut form = build_form(title, orgs, places, &Memory::default(), today);
    form.set_value(ORG, FieldValue::Choice(a.orgs.first().cloned()));
    form.set_value(DATE, FieldValue::Date(Some(a.date)));
    form.set_value(TITLE, FieldValue::Text(a.title.clone()));
    form.set_value(KIND, FieldValue::Choice(Some(a.kind.key().into())));
    for (key, n) in [
        (PARTICIPANTS, a.participants),
        (BENEFICIARIES, a.beneficiaries),
    ] {
        form.set_value(key, FieldValue::Number(n.map(i64::from)));
    }
    let hours = a
        .volunteer_tenths
        .map(|t| tenths_text(u64::from(t)))
        .unwrap_or_default();
    form.set_value(HOURS, FieldValue::Text(hours));
    form.set_value(GRID, FieldValue::Choice(a.grid.clone()));
    let publish = if a.publishable { "yes" } else { "no" };
    form.set_value(PUBLISH, FieldValue::Choice(Some(publish.into())));
    form.focus(TITLE);
    form
}

/// `before` changed as the edit form says, or the errors of its fields.
/// The form's organization replaces `before`'s first one; the others, and
/// every field the form does not show, are kept.
pub fn apply_form(form: &Form, before: &Activity) -> Result<Activity, Vec<(String, String)>> {
    let mut orgs = before.orgs.clone();
    match (choice(form, ORG), orgs.first_mut()) {
        (Some(o), Some(first)) => *first = o,
        (Some(o), None) => orgs.push(o),
        (None, _) => {}
    }
    read(form, orgs, before.clone())
}

fn choice(form: &Form, key: &str) -> Option<String> {
    match form.value(key) {
        Some(FieldValue::Choice(k)) => k.clone(),
        _ => None,
    }
}

/// The activity the form stands for, or the errors of its fields (keys and
/// messages).
pub fn form_to_activity(form: &Form) -> Result<Activity, Vec<(String, String)>> {
    let orgs = choice(form, ORG).into_iter().collect();
    read(form, orgs, activity_input::blank(form.today()))
}

/// `base` with what the form says (the organizations given as `orgs`),
/// read as an [`ActivityInput`]: the same rules as `sanshe activity`.
fn read(form: &Form, orgs: Vec<String>, base: Activity) -> Result<Activity, Vec<(String, String)>> {
    let text = |key: &str| Some(form.text(key).unwrap_or("").to_string());
    let input = ActivityInput {
        orgs: Some(orgs),
        date: text(DATE),
        title: text(TITLE),
        kind: choice(form, KIND),
        participants: text(PARTICIPANTS),
        beneficiaries: text(BENEFICIARIES),
        hours: text(HOURS),
        grid: Some(choice(form, GRID).unwrap_or_default()),
        publishable: choice(form, PUBLISH),
        ..ActivityInput::default()
    };
    let mut a = base;
    let applied = activity_input::apply(&input, &mut a, form.today(), lang());
    let errors = form.errors_with(applied);
    if errors.is_empty() {
        Ok(a)
    } else {
        Err(errors)
    }
}

/// Shows errors on their fields (unknown fields at the top of the form)
/// and moves to the first.
pub fn show_errors(form: &mut Form, errors: &[(String, String)]) {
    form.clear_errors();
    let keys: Vec<&str> = form.keys().collect();
    let mut other = Vec::new();
    for (k, m) in errors {
        if keys.contains(&k.as_str()) {
            form.set_error(k, m.clone());
        } else {
            other.push(m.clone());
        }
    }
    if !other.is_empty() {
        form.set_warning(other.join("; "));
    }
    form.focus_first_error();
}

/// Shows a store error in the form.
pub fn show_store_error(form: &mut Form, e: &StoreError) {
    match e {
        StoreError::Invalid(v) => {
            let errors: Vec<(String, String)> =
                v.0.iter()
                    .map(|fe| (fe.field.to_string(), rule_message(&fe.rule)))
                    .collect();
            show_errors(form, &errors);
        }
        _ => form.set_warning(crate::tr!("tui.store_error", message = e.message())),
    }
}

/// What the saved activity leaves for the next entry.
pub fn memory_of(a: &Activity) -> Memory {
    Memory {
        org: a.orgs.first().cloned(),
        date: Some(a.date),
        grid: a.grid.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn orgs() -> Vec<(String, String)> {
        vec![
            ("o1".into(), "宝石社区书画社".into()),
            ("o2".into(), "朝晖志愿服务队".into()),
        ]
    }

    #[test]
    fn empty_form_needs_org_and_title() {
        let f = new_form(&orgs(), &[], &Memory::default(), day(11, 28));
        assert_eq!(f.focused_key(), ORG);
        let errs = form_to_activity(&f).unwrap_err();
        let keys: Vec<&str> = errs.iter().map(|(k, _)| k.as_str()).collect();
        assert!(keys.contains(&ORG) && keys.contains(&TITLE), "{keys:?}");
        assert!(!keys.contains(&DATE), "date is pre-filled: {keys:?}");
    }

    #[test]
    fn memory_prefills_and_starts_on_title() {
        let m = Memory {
            org: Some("o2".into()),
            date: Some(day(11, 20)),
            grid: None,
        };
        let mut f = new_form(&orgs(), &[], &m, day(11, 28));
        assert_eq!(f.focused_key(), TITLE);
        f.paste("敬老助餐");
        let a = form_to_activity(&f).unwrap();
        assert_eq!(a.orgs, vec!["o2".to_string()]);
        assert_eq!(a.date, day(11, 20));
        assert_eq!(a.title, "敬老助餐");
        assert_eq!(memory_of(&a).org.as_deref(), Some("o2"));
    }

    #[test]
    fn edit_form_is_filled_in_and_keeps_what_it_does_not_show() {
        let mut a = Activity::new("o2", day(11, 3), "重阳敬老");
        a.orgs.push("o9".into());
        a.participants = Some(30);
        a.volunteer_tenths = Some(125);
        a.venue = Some("社区活动室".into());
        a.tags = vec!["品牌项目".into()];
        a.publishable = true;
        a.normalize();
        let mut f = edit_form(&orgs(), &[], &a, day(11, 28));
        assert_eq!(f.focused_key(), TITLE);
        assert_eq!(f.text(TITLE), Some("重阳敬老"));
        assert_eq!(f.text(HOURS), Some("12.5"));
        assert!(!f.is_dirty());
        // Unchanged form: the same activity.
        assert_eq!(apply_form(&f, &a).unwrap(), a);
        f.set_value(TITLE, FieldValue::Text("重阳节敬老".into()));
        f.set_value(PARTICIPANTS, FieldValue::Number(None));
        f.set_value(ORG, FieldValue::Choice(Some("o1".into())));
        let b = apply_form(&f, &a).unwrap();
        assert_eq!(b.title, "重阳节敬老");
        assert_eq!(b.participants, None);
        assert_eq!(b.orgs, vec!["o1".to_string(), "o9".to_string()]);
        assert_eq!(b.venue, a.venue);
        assert_eq!(b.tags, a.tags);
        assert_eq!(b.volunteer_tenths, Some(125));
        assert!(b.publishable);
    }

    #[test]
    fn bad_hours_are_refused() {
        let m = Memory {
            org: Some("o1".into()),
            ..Default::default()
        };
        let mut f = new_form(&orgs(), &[], &m, day(11, 28));
        f.paste("x");
        f.focus(HOURS);
        f.paste("abc");
        let errs = form_to_activity(&f).unwrap_err();
        assert_eq!(errs[0].0, HOURS);
    }
}
