//! The yearly disclosure report (policy section 六(五), 信息公开): the
//! center's basic information, the year's work in figures (the very
//! figures of `sanshe stats --year`), funding by source, and the
//! compliance checklist. Only publishable facts: counts and sums, the
//! center's own profile, never a person from a lead, never who checked an
//! item by hand.

use chrono::{Datelike, NaiveDate};

use super::center::{checklist, detail_text, item_label, profile_rows, status_text};
use super::document::{Document, Section, Table};
use super::year::YearFigures;
use super::Data;
use crate::model::center::{Center, Fact, Rules};
use crate::model::{money, Labeled, Lang};
use crate::text::{fill, t_in};

/// What the report is made from.
pub struct Inputs<'a> {
    pub center: &'a Center,
    pub data: &'a Data,
    pub figures: &'a YearFigures,
    pub rules: &'a Rules,
    /// The day the checklist is answered on: the year's last day, or today
    /// for the current year.
    pub day: NaiveDate,
}

/// The day a year's checklist is answered on.
pub fn day_of(year: i32, today: NaiveDate) -> NaiveDate {
    if year >= today.year() {
        today
    } else {
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today)
    }
}

pub fn build(i: &Inputs, lang: Lang) -> Document {
    let t = |k: &str| t_in(lang, &format!("disclosure.{k}")).to_string();
    let c = i.center;
    let year = i.figures.year;
    let org_name = c
        .org
        .as_deref()
        .and_then(|o| i.data.orgs.get(o))
        .map(|o| o.name.as_str());
    let basic = Section {
        heading: t("basic"),
        tables: vec![Table {
            rows: profile_rows(c, org_name, lang),
            ..Table::default()
        }],
        empty: String::new(),
    };
    let mut work_rows = i.figures.rows(lang);
    let meetings = c
        .meetings
        .values()
        .filter(|m| m.date.year() == year)
        .count();
    work_rows.push(vec![t("meetings"), meetings.to_string()]);
    let work = Section {
        heading: t("work"),
        tables: vec![Table {
            rows: work_rows,
            numeric: vec![1],
            ..Table::default()
        }],
        empty: String::new(),
    };
    let funding: Vec<_> = c.funding_in(year).collect();
    let finance = Section {
        heading: t("finance"),
        tables: if funding.is_empty() {
            vec![]
        } else {
            let mut rows: Vec<Vec<String>> = funding
                .iter()
                .map(|f| {
                    vec![
                        f.kind.label(lang).to_string(),
                        f.payer.clone(),
                        f.contract.clone().unwrap_or_default(),
                        money::format(f.amount_fen),
                        format!("{}—{}", f.from, f.to),
                    ]
                })
                .collect();
            let total: u64 = funding.iter().map(|f| f.amount_fen).sum();
            rows.push(vec![
                t("total"),
                String::new(),
                String::new(),
                money::format(total),
                String::new(),
            ]);
            vec![Table {
                header: ["kind", "payer", "contract", "amount", "period"]
                    .iter()
                    .map(|k| t(k))
                    .collect(),
                rows,
                numeric: vec![3],
            }]
        },
        empty: t("no_funding"),
    };
    let items = checklist(c, i.data, i.rules, i.day);
    let col = |k: &str| t_in(lang, &format!("center.col.{k}")).to_string();
    let compliance = Section {
        heading: t("compliance"),
        tables: vec![Table {
            header: vec![col("clause"), col("item"), col("status"), col("detail")],
            rows: items
                .iter()
                .map(|it| {
                    // By hand: the evidence, not who checked it.
                    let detail = match &it.fact {
                        Fact::ByHand { evidence, .. } => evidence.clone(),
                        _ => detail_text(it, lang),
                    };
                    vec![
                        it.clause.clone(),
                        item_label(it, i.rules, lang),
                        status_text(it.status, lang).to_string(),
                        detail,
                    ]
                })
                .collect(),
            numeric: vec![],
        }],
        empty: String::new(),
    };
    Document {
        title: fill(
            &t("title"),
            &[("center", &c.name), ("year", &year.to_string())],
        ),
        lang,
        sections: vec![basic, work, finance, compliance],
    }
}
