//! Filings (备案) as spreadsheet rows: the materials, where it stands, each
//! step (state, date, author, note) and each change in one cell each.

use super::{date, num, opt, Lookups};
use crate::model::filing::{Filing, FilingState};
use crate::model::{money, Kind, Labeled, Lang};

pub const FILING: &[&str] = &[
    "id",
    "name",
    "org",
    "org_name",
    "person_in_charge",
    "phone",
    "place",
    "community",
    "community_name",
    "charter",
    "members",
    "funds",
    "scope",
    "filing_state",
    "number",
    "applied_on",
    "filed_on",
    "registered_on",
    "steps",
    "changes",
    "notes",
];

pub fn filing(id: &str, f: &Filing, lk: &Lookups, lang: Lang) -> Vec<String> {
    let on = |s: FilingState| date(f.reached(s).map(|m| m.date));
    let mark = |label: &str, m: &crate::model::venture::Mark| {
        let mut s = format!("{label} {}", date(Some(m.date)));
        if let Some(a) = &m.author {
            s.push(' ');
            s.push_str(a);
        }
        if let Some(n) = &m.note {
            s.push_str(": ");
            s.push_str(n);
        }
        s
    };
    vec![
        id.to_string(),
        f.name.clone(),
        opt(&f.org),
        f.org
            .as_deref()
            .map(|o| lk.name(Kind::Org, o))
            .unwrap_or("")
            .to_string(),
        f.person_in_charge.clone(),
        opt(&f.phone),
        f.place.clone(),
        opt(&f.community),
        f.community
            .as_deref()
            .map(|c| lk.place(c))
            .unwrap_or("")
            .to_string(),
        if f.charter {
            crate::tr!("interchange.yes")
        } else {
            String::new()
        },
        num(f.members),
        f.funds_fen.map(money::format).unwrap_or_default(),
        opt(&f.scope),
        f.state.label(lang).to_string(),
        opt(&f.number),
        date(f.step_list().first().map(|(_, m)| m.date)),
        on(FilingState::Filed),
        on(FilingState::Registered),
        f.step_list()
            .iter()
            .map(|(s, m)| mark(s.label(lang), m))
            .collect::<Vec<_>>()
            .join("；"),
        f.change_list()
            .iter()
            .map(|m| mark("", m).trim_start().to_string())
            .collect::<Vec<_>>()
            .join("；"),
        opt(&f.notes),
    ]
}
