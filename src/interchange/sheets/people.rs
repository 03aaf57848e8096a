//! Places, social workers and partners as spreadsheet rows.

use super::{date, join, labels, opt, Lookups};
use crate::model::{Kind, Labeled, Lang, Partner, Place, Worker};

/// Columns of a place (its code is its id).
pub const PLACE: &[&str] = &["code", "name", "level", "parent", "parent_name"];

pub fn place(p: &Place, lk: &Lookups, lang: Lang) -> Vec<String> {
    let parent = p.parent.as_deref().unwrap_or("");
    vec![
        p.code.clone(),
        p.name.clone(),
        p.level.label(lang).to_string(),
        parent.to_string(),
        lk.place(parent).to_string(),
    ]
}

/// Columns of a social worker.
pub const WORKER: &[&str] = &[
    "id",
    "name",
    "qualification",
    "phone",
    "community",
    "community_name",
    "org",
    "org_name",
    "domains",
    "notes",
];

pub fn worker(id: &str, w: &Worker, lk: &Lookups, lang: Lang) -> Vec<String> {
    let community = w.community.as_deref().unwrap_or("");
    let org = w.org.as_deref().unwrap_or("");
    vec![
        id.to_string(),
        w.name.clone(),
        w.qualification.label(lang).to_string(),
        opt(&w.phone),
        community.to_string(),
        lk.place(community).to_string(),
        org.to_string(),
        lk.name(Kind::Org, org).to_string(),
        labels(&w.domains, lang),
        opt(&w.notes),
    ]
}

/// Columns of a partner.
pub const PARTNER: &[&str] = &[
    "id",
    "name",
    "partner_type",
    "contact_person",
    "phone",
    "provides",
    "domains",
    "agreements",
    "notes",
];

pub fn partner(id: &str, p: &Partner, lang: Lang) -> Vec<String> {
    let agreements = join(p.agreements.iter().map(|(title, a)| {
        let start = date(Some(a.start));
        match a.end {
            Some(end) => crate::text::fill(
                crate::text::t_in(lang, "interchange.agreement"),
                &[
                    ("title", title),
                    ("start", &start),
                    ("end", &date(Some(end))),
                ],
            ),
            None => crate::text::fill(
                crate::text::t_in(lang, "interchange.agreement_open"),
                &[("title", title), ("start", &start)],
            ),
        }
    }));
    vec![
        id.to_string(),
        p.name.clone(),
        p.kind.label(lang).to_string(),
        opt(&p.contact),
        opt(&p.phone),
        opt(&p.provides),
        labels(&p.domains, lang),
        agreements,
        opt(&p.notes),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::tests::{cell, lookups};
    use super::super::{sheet, Sheet};
    use crate::model::{Agreement, Domain, Lang, PartnerType, PlaceLevel, Qualification, Record};
    use crate::model::{Partner, Place, Worker};
    use chrono::NaiveDate;

    fn one(r: Record, lang: Lang) -> Sheet {
        let kind = r.kind();
        sheet(kind, &[("x1-1".into(), r)], &lookups(), lang).unwrap()
    }

    #[test]
    fn place_with_its_parents_name() {
        let p = Place {
            code: "BSJ-01-01".into(),
            name: "第一网格".into(),
            level: PlaceLevel::Grid,
            parent: Some("BSJ-01".into()),
        };
        let zh = one(Record::Place(p.clone()), Lang::Zh);
        assert_eq!(
            zh.rows[0],
            ["BSJ-01-01", "第一网格", "网格", "BSJ-01", "宝石山社区"]
        );
        let en = one(Record::Place(p), Lang::En);
        assert_eq!(cell(&en, "level"), "Grid cell");
    }

    #[test]
    fn worker_with_community_and_organization_names() {
        let w = Worker {
            name: "陈静".into(),
            qualification: Qualification::SocialWorker,
            community: Some("BSJ-01".into()),
            domains: vec![Domain::Elderly, Domain::Health],
            phone: Some("13812345678".into()),
            org: Some("k1-1".into()),
            notes: None,
        };
        let zh = one(Record::Worker(w.clone()), Lang::Zh);
        assert_eq!(
            zh.rows[0],
            [
                "x1-1",
                "陈静",
                "社会工作师",
                "13812345678",
                "BSJ-01",
                "宝石山社区",
                "k1-1",
                "宝石山读书会",
                "养老服务、医疗健康",
                "",
            ]
        );
        let en = one(Record::Worker(w), Lang::En);
        assert_eq!(cell(&en, "qualification"), "Social worker");
        assert_eq!(cell(&en, "domains"), "Elderly care、Health");
    }

    #[test]
    fn partner_with_agreements_spelled_out() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let mut p = Partner {
            name: "浙江大学社会学系".into(),
            kind: PartnerType::University,
            contact: Some("李老师".into()),
            ..Default::default()
        };
        p.agreements.insert(
            "实习基地".into(),
            Agreement {
                start: d(2026, 1, 1),
                end: Some(d(2026, 12, 31)),
            },
        );
        p.agreements.insert(
            "督导".into(),
            Agreement {
                start: d(2025, 9, 1),
                end: None,
            },
        );
        let zh = one(Record::Partner(p.clone()), Lang::Zh);
        assert_eq!(cell(&zh, "partner_type"), "高校");
        assert_eq!(cell(&zh, "contact_person"), "李老师");
        assert_eq!(
            cell(&zh, "agreements"),
            "实习基地（2026-01-01 至 2026-12-31）、督导（2025-09-01 起）"
        );
        let en = one(Record::Partner(p), Lang::En);
        assert_eq!(cell(&en, "partner_type"), "University");
        assert_eq!(
            cell(&en, "agreements"),
            "实习基地 (2026-01-01 to 2026-12-31)、督导 (from 2025-09-01)"
        );
    }
}
