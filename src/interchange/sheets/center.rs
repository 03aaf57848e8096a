//! Centers' profiles as spreadsheet rows: one per office's center.

use super::{date, join, opt, Lookups};
use crate::model::center::Center;
use crate::model::{Kind, Labeled, Lang};

pub const CENTER: &[&str] = &[
    "id",
    "office",
    "name",
    "org",
    "org_name",
    "address",
    "office_area",
    "office_use",
    "equipment",
    "operation",
    "operator",
    "contract",
    "contract_to",
    "director",
    "staff_names",
    "board",
    "funding",
    "authority_contact",
    "street_contact",
    "complaints",
];

pub fn center(id: &str, c: &Center, lk: &Lookups, lang: Lang) -> Vec<String> {
    let board: Vec<String> = c
        .board
        .iter()
        .map(|(n, b)| format!("{n}({})", b.role.label(lang)))
        .collect();
    let funding: Vec<String> = c
        .funding
        .values()
        .map(|f| {
            format!(
                "{} {} {}",
                f.payer,
                crate::model::money::format(f.amount_fen),
                f.from.format("%Y")
            )
        })
        .collect();
    vec![
        id.to_string(),
        c.office.clone(),
        c.name.clone(),
        opt(&c.org),
        c.org
            .as_deref()
            .map(|o| lk.name(Kind::Org, o))
            .unwrap_or("")
            .to_string(),
        opt(&c.address),
        c.office_area_tenths
            .map(|t| crate::model::activity::tenths_text(u64::from(t)))
            .unwrap_or_default(),
        c.office_use.label(lang).to_string(),
        join(&c.equipment),
        c.operation.label(lang).to_string(),
        opt(&c.operator),
        opt(&c.contract),
        date(c.contract_to),
        opt(&c.director),
        join(c.staff.keys()),
        join(&board),
        join(&funding),
        opt(&c.authority_contact),
        opt(&c.street_contact),
        opt(&c.complaints),
    ]
}
