//! Needs, offers and linkages (三社联动) as spreadsheet rows.

use super::{date, join, labels, num, opt, Lookups};
use crate::model::{Kind, Labeled, Lang, Linkage, Need, Offer, ProviderKind};

/// Columns of a need.
pub const NEED: &[&str] = &[
    "id",
    "title",
    "need_state",
    "urgency",
    "domains",
    "targets",
    "people",
    "grid",
    "grid_name",
    "community_name",
    "raised_by",
    "raiser_contact",
    "raised",
    "wanted_by",
    "description",
    "close_reason",
];

pub fn need(id: &str, n: &Need, lk: &Lookups, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        n.title.clone(),
        n.state.label(lang).to_string(),
        n.urgency.label(lang).to_string(),
        labels(&n.domains, lang),
        labels(&n.targets, lang),
        num(n.people),
        n.grid.clone(),
        lk.place(&n.grid).to_string(),
        lk.community(&n.grid).to_string(),
        n.raised_by.label(lang).to_string(),
        opt(&n.contact),
        date(n.raised),
        date(n.wanted_by),
        opt(&n.description),
        opt(&n.close_reason),
    ]
}

/// Columns of an offer.
pub const OFFER: &[&str] = &[
    "id",
    "title",
    "offer_type",
    "domains",
    "targets",
    "provider_kind",
    "provider",
    "provider_name",
    "covers",
    "covers_name",
    "capacity",
    "committed",
    "remaining",
    "unit",
    "available_from",
    "available_until",
    "schedule",
    "cost",
    "contact_person",
    "description",
    "notes",
];

pub fn offer(id: &str, o: &Offer, lk: &Lookups, lang: Lang) -> Vec<String> {
    let provider = match o.provider_kind {
        ProviderKind::Org => Kind::Org,
        ProviderKind::Worker => Kind::Worker,
        ProviderKind::Partner => Kind::Partner,
    };
    vec![
        id.to_string(),
        o.title.clone(),
        o.kind.label(lang).to_string(),
        labels(&o.domains, lang),
        labels(&o.targets, lang),
        o.provider_kind.label(lang).to_string(),
        o.provider.clone(),
        lk.name(provider, &o.provider).to_string(),
        join(&o.covers),
        lk.place_names(&o.covers),
        num(o.capacity),
        o.committed.to_string(),
        num(o.remaining()),
        opt(&o.unit),
        date(o.available_from),
        date(o.available_until),
        opt(&o.schedule),
        o.cost.label(lang).to_string(),
        opt(&o.contact),
        opt(&o.description),
        opt(&o.notes),
    ]
}

/// Columns of a linkage.
pub const LINKAGE: &[&str] = &[
    "id",
    "title",
    "link_state",
    "need",
    "need_name",
    "offers",
    "offer_name",
    "amount",
    "made_by",
    "proposed",
    "accepted",
    "started",
    "finished",
    "cancelled",
    "satisfaction",
    "notes",
];

pub fn linkage(id: &str, l: &Linkage, lk: &Lookups, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        l.title.clone(),
        l.state.label(lang).to_string(),
        l.need.clone(),
        lk.name(Kind::Need, &l.need).to_string(),
        join(&l.offers),
        lk.names(Kind::Offer, &l.offers),
        l.amount.to_string(),
        opt(&l.made_by),
        date(l.proposed),
        date(l.accepted),
        date(l.started),
        date(l.finished),
        date(l.cancelled),
        num(l.satisfaction),
        opt(&l.notes),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::tests::{cell, lookups};
    use super::super::{sheet, Sheet};
    use crate::model::{Cost, Domain, LinkageState, NeedState, OfferType, RaisedBy};
    use crate::model::{Lang, Linkage, Need, Offer, ProviderKind, Record};
    use crate::model::{TargetGroup, Urgency};
    use chrono::NaiveDate;

    fn one(r: Record, lang: Lang) -> Sheet {
        let kind = r.kind();
        sheet(kind, &[("x1-1".into(), r)], &lookups(), lang).unwrap()
    }

    fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, dd)
    }

    #[test]
    fn need_in_words_with_its_grid_and_community() {
        let n = Need {
            title: "独居老人助餐".into(),
            description: Some("每天午餐".into()),
            domains: vec![Domain::Elderly, Domain::Assistance],
            grid: "BSJ-01-01".into(),
            raised_by: RaisedBy::GridWorker,
            contact: Some("王阿姨 13812345678".into()),
            targets: vec![TargetGroup::Elderly, TargetGroup::Disabled],
            people: Some(6),
            urgency: Urgency::High,
            raised: d(2026, 11, 3),
            wanted_by: d(2026, 12, 1),
            state: NeedState::InProgress,
            close_reason: None,
        };
        let zh = one(Record::Need(n.clone()), Lang::Zh);
        assert_eq!(
            zh.rows[0],
            [
                "x1-1",
                "独居老人助餐",
                "服务中",
                "紧急",
                "养老服务、困难帮扶",
                "老年人、残疾人",
                "6",
                "BSJ-01-01",
                "第一网格",
                "宝石山社区",
                "网格员",
                "王阿姨 13812345678",
                "2026-11-03",
                "2026-12-01",
                "每天午餐",
                "",
            ]
        );
        let en = one(Record::Need(n), Lang::En);
        assert_eq!(cell(&en, "need_state"), "In progress");
        assert_eq!(cell(&en, "urgency"), "High");
        assert_eq!(cell(&en, "targets"), "Elderly、People with disabilities");
        assert_eq!(cell(&en, "raised_by"), "Grid worker");
        assert_eq!(cell(&en, "grid_name"), "第一网格");
    }

    #[test]
    fn offer_with_provider_and_places_by_name() {
        let o = Offer {
            title: "爱心午餐".into(),
            kind: OfferType::Goods,
            domains: vec![Domain::Elderly],
            provider: "w1-1".into(),
            provider_kind: ProviderKind::Worker,
            covers: vec!["BSJ-01".into(), "BSJ-01-01".into()],
            targets: vec![TargetGroup::Elderly],
            capacity: Some(10),
            committed: 4,
            unit: Some("份/月".into()),
            available_from: d(2026, 1, 1),
            cost: Cost::GovernmentPurchased,
            ..Default::default()
        };
        let zh = one(Record::Offer(o.clone()), Lang::Zh);
        assert_eq!(
            zh.rows[0],
            [
                "x1-1",
                "爱心午餐",
                "物资",
                "养老服务",
                "老年人",
                "社工",
                "w1-1",
                "陈静",
                "BSJ-01、BSJ-01-01",
                "宝石山社区、第一网格",
                "10",
                "4",
                "6",
                "份/月",
                "2026-01-01",
                "",
                "",
                "政府购买",
                "",
                "",
                "",
            ]
        );
        let en = one(Record::Offer(o), Lang::En);
        assert_eq!(cell(&en, "offer_type"), "Goods");
        assert_eq!(cell(&en, "provider_kind"), "Social worker");
        assert_eq!(cell(&en, "cost"), "Government-purchased");
        // An unlimited offer has no capacity and nothing remaining.
        let free = one(Record::Offer(Offer::default()), Lang::Zh);
        assert_eq!(cell(&free, "capacity"), "");
        assert_eq!(cell(&free, "remaining"), "");
        assert_eq!(cell(&free, "committed"), "0");
    }

    #[test]
    fn linkage_with_need_and_offer_titles() {
        let l = Linkage {
            title: "独居老人助餐".into(),
            need: "n1-1".into(),
            offers: vec!["f1-1".into(), "f1-9".into()],
            state: LinkageState::Done,
            made_by: Some("李".into()),
            amount: 2,
            proposed: d(2026, 11, 1),
            accepted: d(2026, 11, 2),
            finished: d(2026, 11, 30),
            satisfaction: Some(5),
            ..Default::default()
        };
        let zh = one(Record::Linkage(l.clone()), Lang::Zh);
        assert_eq!(
            zh.rows[0],
            [
                "x1-1",
                "独居老人助餐",
                "已完成",
                "n1-1",
                "独居老人助餐",
                "f1-1、f1-9",
                "爱心午餐",
                "2",
                "李",
                "2026-11-01",
                "2026-11-02",
                "",
                "2026-11-30",
                "",
                "5",
                "",
            ]
        );
        let en = one(Record::Linkage(l), Lang::En);
        assert_eq!(cell(&en, "link_state"), "Done");
    }
}
