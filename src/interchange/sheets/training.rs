//! Trainings and participation as spreadsheet rows.

use super::{date, opt, time, Lookups};
use crate::model::activity::tenths_text;
use crate::model::training::{Attendance, Training};
use crate::model::{Kind, Labeled, Lang};

pub const TRAINING: &[&str] = &[
    "id", "title", "kind", "date", "start", "end", "venue", "trainer", "capacity", "hours", "notes",
];

pub fn training(id: &str, t: &Training, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        t.title.clone(),
        t.kind.label(lang).to_string(),
        date(Some(t.date)),
        time(t.start),
        time(t.end),
        opt(&t.venue),
        opt(&t.trainer),
        t.capacity.map(|c| c.to_string()).unwrap_or_default(),
        tenths_text(u64::from(t.hours_tenths)),
        opt(&t.notes),
    ]
}

pub const ATTENDANCE: &[&str] = &[
    "id",
    "event",
    "event_name",
    "org",
    "org_name",
    "person",
    "role",
    "status",
];

pub fn attendance(id: &str, a: &Attendance, lk: &Lookups, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        a.event.clone(),
        lk.name(Kind::Training, &a.event).to_string(),
        a.org.clone().unwrap_or_default(),
        a.org
            .as_deref()
            .map(|o| lk.name(Kind::Org, o))
            .unwrap_or("")
            .to_string(),
        opt(&a.person),
        a.role.label(lang).to_string(),
        a.status.label(lang).to_string(),
    ]
}

pub const PLAN: &[&str] = &["id", "year", "title", "budget", "items"];

pub fn plan(id: &str, p: &crate::model::training::TrainingPlan, lang: Lang) -> Vec<String> {
    let items: Vec<String> = p
        .items
        .iter()
        .map(|(topic, i)| {
            let month = i.month.map(|m| format!(" {m}月")).unwrap_or_default();
            let hours = i
                .hours_tenths
                .map(|h| format!(" {}h", tenths_text(u64::from(h))))
                .unwrap_or_default();
            format!("{topic}（{}{month}{hours}）", i.kind.label(lang))
        })
        .collect();
    vec![
        id.to_string(),
        p.year.to_string(),
        p.title.clone(),
        p.budget_fen
            .map(crate::model::money::format)
            .unwrap_or_default(),
        super::join(&items),
    ]
}
