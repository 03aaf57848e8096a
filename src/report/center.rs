//! The center's profile as the command line, the app and the disclosure
//! report read it: this office's center, its checklist on a day, and each
//! item in words of the user's language.

use chrono::NaiveDate;

use super::Data;
use crate::model::center::{self, Center, Fact, Item, Rules, Status};
use crate::model::{money, Kind, Labeled, Lang, Organization, Record};
use crate::store::{Store, StoreError};
use crate::text::{fill, t_in};

/// Every center (one per office) by id, this office's first.
pub fn all(store: &Store) -> Result<Vec<(String, Center)>, StoreError> {
    let office = store.office();
    let mut v: Vec<(String, Center)> = store
        .all(Kind::Center)?
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Center(c) => Some((id, c)),
            _ => None,
        })
        .collect();
    v.sort_by(|a, b| {
        (a.1.office != office, &a.1.office, &a.0).cmp(&(b.1.office != office, &b.1.office, &b.0))
    });
    Ok(v)
}

/// This office's center, if its profile exists.
pub fn own(store: &Store) -> Result<Option<(String, Center)>, StoreError> {
    let office = store.office();
    Ok(all(store)?.into_iter().find(|(_, c)| c.office == office))
}

/// The checklist of `c` on `today`, with the register from `data`.
pub fn checklist(c: &Center, data: &Data, rules: &Rules, today: NaiveDate) -> Vec<Item> {
    let org: Option<&Organization> = c.org.as_deref().and_then(|id| data.orgs.get(id));
    let served = data.stats.figures(0).active_orgs;
    checklist_with(c, org, served, rules, today)
}

/// The checklist of `c` on `today` read from the store without the report
/// data (for `center show` and pane 0: its own register record, and the
/// active organizations counted from the organizations the server keeps).
pub fn checklist_of(
    store: &Store,
    c: &Center,
    rules: &Rules,
    today: NaiveDate,
) -> Result<(Vec<Item>, Option<Organization>), StoreError> {
    let org = match &c.org {
        Some(id) => match store.get(Kind::Org, id)? {
            Some(Record::Org(o)) => Some(o),
            _ => None,
        },
        None => None,
    };
    let active = store
        .orgs_shared()?
        .iter()
        .filter(|(_, o)| {
            !matches!(
                o.state,
                crate::model::RegState::Deregistered | crate::model::RegState::Revoked
            )
        })
        .count();
    Ok((checklist_with(c, org.as_ref(), active, rules, today), org))
}

fn checklist_with(
    c: &Center,
    org: Option<&Organization>,
    served: usize,
    rules: &Rules,
    today: NaiveDate,
) -> Vec<Item> {
    center::compliance(
        &center::Facts {
            center: c,
            org,
            orgs_served: served,
            today,
        },
        rules,
    )
}

/// The words of a status.
pub fn status_text(s: Status, lang: Lang) -> &'static str {
    t_in(
        lang,
        match s {
            Status::Ok => "center.status.ok",
            Status::Fail => "center.status.fail",
            Status::Unknown => "center.status.unknown",
        },
    )
}

/// An item's name: the automatic items' from the text table, the others'
/// from the configuration.
pub fn item_label(item: &Item, rules: &Rules, lang: Lang) -> String {
    if item.manual {
        if let Some(m) = rules.checks.iter().find(|m| m.key == item.key) {
            return match lang {
                Lang::Zh => m.zh.clone(),
                Lang::En => m.en.clone(),
            };
        }
    }
    t_in(lang, &format!("center.item.{}", item.key)).to_string()
}

/// What an item found, in words.
pub fn detail_text(item: &Item, lang: Lang) -> String {
    let t = |k: &str| t_in(lang, k).to_string();
    match &item.fact {
        Fact::Missing if item.key == "registered" => t("center.fact.no_org"),
        Fact::Missing => t("center.fact.missing"),
        Fact::Registration { kind, state } => fill(
            &t("center.fact.registration"),
            &[
                ("kind", &kind.map(|k| k.label(lang)).unwrap_or("")),
                ("state", &state.map(|s| s.label(lang)).unwrap_or("")),
            ],
        ),
        Fact::Contacts { authority, street } => {
            let said = |b: bool| {
                if b {
                    t("center.fact.given")
                } else {
                    t("center.fact.not_given")
                }
            };
            fill(
                &t("center.fact.contacts"),
                &[("authority", &said(*authority)), ("street", &said(*street))],
            )
        }
        Fact::Area { tenths, min_m2 } => fill(
            &t("center.fact.area"),
            &[
                (
                    "area",
                    &crate::model::activity::tenths_text(u64::from(*tenths)),
                ),
                ("min", min_m2),
            ],
        ),
        Fact::Use(u) => u.label(lang).to_string(),
        Fact::Director(name) => fill(&t("center.fact.director"), &[("name", name)]),
        Fact::Staff { staff, orgs, per } => {
            if *per == 0 {
                fill(&t("center.fact.staff"), &[("staff", staff)])
            } else {
                fill(
                    &t("center.fact.staff_scaled"),
                    &[("staff", staff), ("orgs", orgs), ("per", per)],
                )
            }
        }
        Fact::Board { seats, until } => {
            let key = if item.status == Status::Ok {
                "center.fact.board"
            } else {
                "center.fact.board_no_chair"
            };
            fill(&t(key), &[("seats", seats), ("until", until)])
        }
        Fact::Funding { sources, fen } => fill(
            &t("center.fact.funding"),
            &[("sources", sources), ("amount", &money::format(*fen))],
        ),
        Fact::ByHand { evidence, mark } => fill(
            &t("center.fact.by_hand"),
            &[
                ("evidence", evidence),
                ("date", &mark.date),
                ("author", &mark.author.clone().unwrap_or_default()),
            ],
        ),
    }
}

/// The keys of the items answered by hand.
pub fn manual_keys(rules: &Rules) -> Vec<String> {
    rules.checks.iter().map(|m| m.key.clone()).collect()
}

/// The profile as (label, value) rows, only what is filled in: for
/// `center show`, the app and the disclosure report's 基本信息.
pub fn profile_rows(c: &Center, org_name: Option<&str>, lang: Lang) -> Vec<Vec<String>> {
    let t = |k: &str| t_in(lang, &format!("center.label.{k}")).to_string();
    let mut rows = vec![vec![t("name"), c.name.clone()]];
    let mut opt = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            rows.push(vec![t(k), v]);
        }
    };
    opt("org", org_name.map(str::to_string));
    opt("address", c.address.clone());
    opt(
        "office_area",
        c.office_area_tenths
            .map(|a| format!("{}㎡", crate::model::activity::tenths_text(u64::from(a)))),
    );
    opt("office_use", Some(c.office_use.label(lang).to_string()));
    opt("equipment", Some(c.equipment.join("、")));
    let operation = match (&c.operator, &c.contract) {
        (Some(o), Some(k)) => format!("{}（{o}，{k}）", c.operation.label(lang)),
        (Some(o), None) => format!("{}（{o}）", c.operation.label(lang)),
        _ => c.operation.label(lang).to_string(),
    };
    opt("operation", Some(operation));
    opt("director", c.director.clone());
    let staff: Vec<String> = c
        .staff
        .iter()
        .map(|(n, s)| {
            let kind = if s.full_time {
                t("full_time")
            } else {
                t("part_time")
            };
            format!("{n}（{kind}）")
        })
        .collect();
    opt("staff", Some(staff.join("、")));
    let mut seats: Vec<_> = c.board.iter().collect();
    // The chair first, then members, then supervisors.
    seats.sort_by_key(|(n, b)| (b.role, n.as_str()));
    let board: Vec<String> = seats
        .into_iter()
        .map(|(n, b)| format!("{n}（{}，{}—{}）", b.role.label(lang), b.from, b.to))
        .collect();
    opt("board", Some(board.join("、")));
    opt("authority_contact", c.authority_contact.clone());
    opt("street_contact", c.street_contact.clone());
    opt("complaints", c.complaints.clone());
    rows
}
