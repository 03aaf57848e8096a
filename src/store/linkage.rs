//! The rules of the three-society records (needs, offers, social workers,
//! partners, linkages) that need other records: the places, providers, need
//! and offers they name must exist, and a linkage moves one step at a time.

use super::api::{StoreError, Value};
use super::commands::touches;
use super::tx::Tx;
use crate::model::{Kind, Labeled, PlaceLevel, ProviderKind, Record, Rule, ValidationErrors};

/// "No {kind} with id {id}" as a rule.
fn unknown(kind: Kind, id: &str) -> Rule {
    Rule::Other {
        message: crate::tr!(
            "linkage.unknown_id",
            kind = crate::text::label(kind),
            id = id
        ),
    }
}

impl Tx<'_> {
    /// A need's place exists and is a community, grid cell or micro-grid.
    fn check_need_place(
        &mut self,
        code: &str,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        if code.is_empty() {
            return Ok(());
        }
        match self.live_place(code)? {
            None => errors.push(
                "grid",
                Rule::UnknownPlace {
                    code: code.to_string(),
                },
            ),
            Some(p)
                if !matches!(
                    p.level,
                    PlaceLevel::Community | PlaceLevel::Grid | PlaceLevel::MicroGrid
                ) =>
            {
                errors.push(
                    "grid",
                    Rule::PlaceLevel {
                        expected: PlaceLevel::Grid.key().to_string(),
                    },
                )
            }
            Some(_) => {}
        }
        Ok(())
    }

    fn check_places(
        &mut self,
        field: &str,
        codes: &[String],
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        for code in codes {
            if self.live_place(code)?.is_none() {
                errors.push(field, Rule::UnknownPlace { code: code.clone() });
            }
        }
        Ok(())
    }

    fn check_ids(
        &mut self,
        field: &str,
        kind: Kind,
        ids: &[String],
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        for id in ids {
            if !id.is_empty() && self.live(kind, id)?.is_none() {
                errors.push(field, unknown(kind, id));
            }
        }
        Ok(())
    }

    fn check_provider(
        &mut self,
        kind: ProviderKind,
        id: &str,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let kind = match kind {
            ProviderKind::Org => Kind::Org,
            ProviderKind::Worker => Kind::Worker,
            ProviderKind::Partner => Kind::Partner,
        };
        self.check_ids("provider", kind, &[id.to_string()], errors)
    }

    /// Every reference of a new or restored record. A linkage made without
    /// a title takes its need's title.
    pub(super) fn check_linkage_refs(
        &mut self,
        record: &mut Record,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        match record {
            Record::Need(n) => self.check_need_place(&n.grid, errors)?,
            Record::Offer(o) => {
                if !o.provider.is_empty() {
                    self.check_provider(o.provider_kind, &o.provider, errors)?;
                }
                self.check_places("covers", &o.covers, errors)?;
            }
            Record::Worker(w) => {
                if let Some(c) = &w.community {
                    self.check_places("community", std::slice::from_ref(c), errors)?;
                }
                if let Some(org) = &w.org {
                    self.check_ids("org", Kind::Org, std::slice::from_ref(org), errors)?;
                }
            }
            Record::Partner(_) => {}
            Record::Linkage(l) => {
                if !l.need.is_empty() {
                    match self.live(Kind::Need, &l.need)? {
                        Some(Record::Need(n)) => {
                            if l.title.is_empty() {
                                l.title = n.title;
                            }
                        }
                        _ => errors.push("need", unknown(Kind::Need, &l.need)),
                    }
                }
                self.check_ids("offers", Kind::Offer, &l.offers, errors)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The references an update changes, and a linkage's step (one step
    /// forward, a cancel before done, or the way back from one of them).
    pub(super) fn check_linkage_update(
        &mut self,
        id: &str,
        after: &Record,
        changes: &[(String, Option<Value>)],
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        match after {
            Record::Need(n) if touches(changes, "grid") => {
                self.check_need_place(&n.grid, errors)?;
            }
            Record::Offer(o) => {
                if touches(changes, "provider") || touches(changes, "provider_kind") {
                    self.check_provider(o.provider_kind, &o.provider, errors)?;
                }
                if touches(changes, "covers") {
                    self.check_places("covers", &o.covers, errors)?;
                }
            }
            Record::Worker(_) if touches(changes, "community") || touches(changes, "org") => {
                let mut r = after.clone();
                self.check_linkage_refs(&mut r, errors)?;
            }
            Record::Linkage(l) => {
                if touches(changes, "need") || touches(changes, "offers") {
                    let mut r = after.clone();
                    self.check_linkage_refs(&mut r, errors)?;
                }
                // One step, or one step undone (the app's undo writes the
                // state back).
                if touches(changes, "state") {
                    if let Some(Record::Linkage(now)) = self.live(Kind::Linkage, id)? {
                        if now.state != l.state
                            && !now.state.can_go(l.state)
                            && !l.state.can_go(now.state)
                        {
                            errors.push(
                                "link_state",
                                Rule::Other {
                                    message: crate::tr!(
                                        "linkage.bad_step",
                                        from = crate::text::label(now.state),
                                        to = crate::text::label(l.state)
                                    ),
                                },
                            );
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::model::{
        Agreement, Domain, Kind, Linkage, LinkageState, Need, Offer, Partner, Record, TargetGroup,
        Worker,
    };
    use crate::store::fields::{flatten, unflatten};

    #[test]
    fn every_linkage_record_survives_its_fields() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut partner = Partner {
            name: "杭州银行北山支行".into(),
            domains: vec![Domain::Assistance],
            ..Default::default()
        };
        partner.agreements.insert(
            "党建联建共建协议".into(),
            Agreement {
                start: day,
                end: None,
            },
        );
        let records = [
            Record::Need(Need {
                title: "独居老人助餐".into(),
                domains: vec![Domain::Elderly, Domain::Health],
                grid: "BSJ-01-03".into(),
                targets: vec![TargetGroup::Elderly],
                people: Some(6),
                raised: Some(day),
                ..Default::default()
            }),
            Record::Offer(Offer {
                title: "爱心午餐".into(),
                domains: vec![Domain::Elderly],
                provider: "k1-1".into(),
                covers: vec!["BSJ-01".into(), "BSJ-01-03".into()],
                capacity: Some(10),
                committed: 3,
                ..Default::default()
            }),
            Record::Worker(Worker {
                name: "陈静".into(),
                community: Some("BSJ-02".into()),
                ..Default::default()
            }),
            Record::Partner(partner),
            Record::Linkage(Linkage {
                title: "独居老人助餐".into(),
                need: "k1-2".into(),
                offers: vec!["k1-3".into(), "k1-4".into()],
                state: LinkageState::Done,
                amount: 1,
                satisfaction: Some(5),
                finished: Some(day),
                ..Default::default()
            }),
        ];
        for r in records {
            let f = flatten(&r).unwrap();
            assert_eq!(unflatten(r.kind(), &f), Some(r.clone()), "{:?}", r.kind());
            let bytes = super::super::records::encode(&r).unwrap();
            assert_eq!(super::super::records::decode(r.kind(), &bytes).unwrap(), r);
        }
        for k in [
            Kind::Need,
            Kind::Offer,
            Kind::Worker,
            Kind::Partner,
            Kind::Linkage,
        ] {
            assert_eq!(Kind::from_tag(k.tag()), Some(k));
        }
    }
}
