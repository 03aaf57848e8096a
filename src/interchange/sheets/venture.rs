//! 公益创投 rounds, projects, review sheets and visits as spreadsheet rows.

use super::{date, join, labels, num, opt, yes_no, Lookups};
use crate::model::evaluation::points_text;
use crate::model::money;
use crate::model::venture::{Application, ReviewSheet, Round, Visit};
use crate::model::{Kind, Labeled, Lang};

/// Columns of a round.
pub const ROUND: &[&str] = &[
    "id",
    "title",
    "year",
    "funder",
    "budget",
    "cap",
    "themes",
    "places",
    "place_names",
    "eligible_states",
    "min_rating",
    "exclude_abnormal",
    "call_from",
    "call_to",
    "review_on",
    "rubric",
    "aggregate",
    "publicity_days",
    "tranches",
    "midterm_due",
    "final_due",
    "notes",
];

fn amount(fen: Option<u64>) -> String {
    fen.map(money::format).unwrap_or_default()
}

pub fn round(id: &str, r: &Round, lk: &Lookups, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        r.title.clone(),
        r.year.to_string(),
        opt(&r.funder),
        amount(Some(r.budget_fen)),
        amount(Some(r.cap_fen)),
        labels(&r.themes, lang),
        join(&r.places),
        lk.place_names(&r.places),
        labels(&r.states(), lang),
        r.min_rating
            .map(|l| l.label(lang))
            .unwrap_or("")
            .to_string(),
        yes_no(r.exclude_abnormal, lang),
        date(r.call_from),
        date(r.call_to),
        date(r.review_on),
        r.rubric.clone(),
        r.aggregate.label(lang).to_string(),
        num(r.publicity_days),
        join(
            r.plan()
                .iter()
                .map(|(_, t)| format!("{}%:{}", t.percent, t.condition.label(lang))),
        ),
        date(r.midterm_due),
        date(r.final_due),
        opt(&r.notes),
    ]
}

/// Columns of a project.
pub const APPLICATION: &[&str] = &[
    "id",
    "title",
    "round",
    "round_name",
    "org",
    "org_name",
    "venture_state",
    "total",
    "domains",
    "target_group",
    "places",
    "place_names",
    "from",
    "to",
    "budget",
    "requested",
    "matching",
    "awarded",
    "paid",
    "agreement",
    "agreement_date",
    "kpis",
    "objections",
    "brand",
    "notes",
];

pub fn application(id: &str, a: &Application, lk: &Lookups, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        a.title.clone(),
        a.round.clone(),
        lk.name(Kind::Round, &a.round).to_string(),
        a.org.clone(),
        lk.name(Kind::Org, &a.org).to_string(),
        a.state.label(lang).to_string(),
        lk.totals
            .get(id)
            .map(|t| points_text(*t))
            .unwrap_or_default(),
        labels(&a.domains, lang),
        opt(&a.target_group),
        join(&a.places),
        lk.place_names(&a.places),
        date(Some(a.from)),
        date(Some(a.to)),
        amount(a.budget_fen),
        amount(Some(a.requested_fen)),
        amount(a.matching_fen),
        amount(a.awarded_fen),
        amount(Some(a.paid_fen()).filter(|p| *p > 0)),
        opt(&a.agreement),
        date(a.agreement_date),
        join(a.kpis.iter().map(|(k, v)| format!("{k}={}", v.target))),
        join(&a.objections),
        yes_no(a.brand, lang),
        opt(&a.notes),
    ]
}

/// Columns of a review sheet.
pub const REVIEW: &[&str] = &[
    "id",
    "application",
    "application_name",
    "stage",
    "reviewer",
    "date",
    "recused",
    "scores",
    "total",
    "notes",
];

pub fn review(id: &str, s: &ReviewSheet, lk: &Lookups, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        s.application.clone(),
        lk.name(Kind::Application, &s.application).to_string(),
        s.stage.label(lang).to_string(),
        s.reviewer.clone(),
        date(Some(s.date)),
        yes_no(s.recused, lang),
        join(
            s.scores
                .iter()
                .map(|(k, t)| format!("{k}={}", points_text(*t))),
        ),
        if s.recused {
            String::new()
        } else {
            points_text(s.sheet().total())
        },
        opt(&s.notes),
    ]
}

/// Columns of a monitoring visit.
pub const VISIT: &[&str] = &[
    "id",
    "application",
    "application_name",
    "kind",
    "date",
    "visitors",
    "findings",
    "follow_up",
    "closed",
];

pub fn visit(id: &str, v: &Visit, lk: &Lookups, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        v.application.clone(),
        lk.name(Kind::Application, &v.application).to_string(),
        v.kind.label(lang).to_string(),
        date(Some(v.date)),
        join(&v.visitors),
        opt(&v.findings),
        date(v.follow_up),
        yes_no(v.closed, lang),
    ]
}
