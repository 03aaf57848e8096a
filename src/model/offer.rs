//! What social organizations, social workers and partners offer (资源/服务).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::need::{check_count, check_title, clean};
use super::{bounds, domain, Domain, Kind, Rule, TargetGroup, ValidationErrors};

crate::labeled_enum! {
    /// What is offered (资源类型).
    #[derive(Default)]
    pub enum OfferType {
        #[default]
        Service = ("service", "服务", "Service"),
        Venue = ("venue", "场地", "Venue"),
        Funds = ("funds", "资金", "Funds"),
        Goods = ("goods", "物资", "Goods"),
        Skills = ("skills", "技能", "Skills"),
    }
}

impl OfferType {
    /// True for what is used up when a linkage is done (funds, goods); a
    /// service, venue or skill is freed again.
    pub fn consumed(self) -> bool {
        matches!(self, OfferType::Funds | OfferType::Goods)
    }
}

crate::labeled_enum! {
    /// What an offer costs the residents (费用).
    #[derive(Default)]
    pub enum Cost {
        #[default]
        Free = ("free", "免费", "Free"),
        Paid = ("paid", "收费", "Paid"),
        GovernmentPurchased = ("government-purchased", "政府购买", "Government-purchased"),
    }
}

crate::labeled_enum! {
    /// Who provides an offer.
    #[derive(Default)]
    pub enum ProviderKind {
        #[default]
        Org = ("org", "社会组织", "Organization"),
        Worker = ("worker", "社工", "Social worker"),
        Partner = ("partner", "资源方", "Partner"),
    }
}

/// An offer. `title`, `domains` and `provider` are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub title: String,
    #[serde(rename = "type")]
    pub kind: OfferType,
    pub description: Option<String>,
    pub domains: Vec<Domain>,
    /// Id of the organization, social worker or partner providing it.
    pub provider: String,
    pub provider_kind: ProviderKind,
    /// Codes of the places covered: grid cells, communities or the township.
    pub covers: Vec<String>,
    pub targets: Vec<TargetGroup>,
    /// Sessions or people per month; `None` when not limited.
    pub capacity: Option<u32>,
    /// Part of the capacity taken by accepted linkages.
    pub committed: u32,
    /// What the capacity counts (人次/月, 场/月...).
    pub unit: Option<String>,
    pub available_from: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
    /// When in the week or day (每周三下午...).
    pub schedule: Option<String>,
    pub cost: Cost,
    pub contact: Option<String>,
    pub notes: Option<String>,
}

impl Offer {
    /// Trims text, normalises place codes, orders sets.
    pub fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        self.provider = self.provider.trim().to_string();
        for f in [
            &mut self.description,
            &mut self.unit,
            &mut self.schedule,
            &mut self.contact,
            &mut self.notes,
        ] {
            clean(f);
        }
        bounds::unix_lines(&mut self.description);
        bounds::unix_lines(&mut self.notes);
        domain::normalize(&mut self.domains);
        for c in &mut self.covers {
            *c = super::place::normalize_code(c);
        }
        self.covers.retain(|c| !c.is_empty());
        self.covers.sort();
        self.covers.dedup();
        self.targets.sort();
        self.targets.dedup();
    }

    /// Checks every field (the store checks the provider and places exist).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Offer;
        check_title(&mut e, k, "title", &self.title);
        for (field, v) in [
            ("description", &self.description),
            ("unit", &self.unit),
            ("schedule", &self.schedule),
            ("contact", &self.contact),
            ("notes", &self.notes),
        ] {
            bounds::opt_text(&mut e, k, field, v);
        }
        if self.domains.is_empty() {
            e.push("domains", Rule::Required);
        }
        check_title(&mut e, k, "provider", &self.provider);
        if self.covers.len() > bounds::text_limit(k, "covers").items {
            bounds::texts(&mut e, k, "covers", self.covers.iter());
        } else if self.covers.iter().any(|c| !super::place::code_ok(c)) {
            e.push("covers", Rule::PlaceCode);
        }
        bounds::opt_date(&mut e, "available_from", self.available_from);
        bounds::opt_date(&mut e, "available_until", self.available_until);
        check_count(&mut e, "capacity", self.capacity);
        if let Some(cap) = self.capacity {
            if self.committed > cap {
                e.push(
                    "committed",
                    Rule::Number {
                        min: 0,
                        max: i64::from(cap),
                    },
                );
            }
        }
        if let (Some(a), Some(b)) = (self.available_from, self.available_until) {
            if b < a {
                e.push("available_until", Rule::DateOrder);
            }
        }
        e.into_result()
    }

    /// Capacity not yet committed; `None` when not limited.
    pub fn remaining(&self) -> Option<u32> {
        self.capacity.map(|c| c.saturating_sub(self.committed))
    }

    /// Whether the offer can take a new linkage on `day`: not expired and
    /// with capacity left.
    pub fn available(&self, day: NaiveDate) -> bool {
        self.available_until.is_none_or(|u| u >= day) && self.remaining() != Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_and_dates() {
        let mut o = Offer {
            title: "助餐配送".into(),
            domains: vec![Domain::Elderly],
            provider: "k1-1".into(),
            covers: vec![" bsj-01 ".into(), "BSJ-01".into(), "".into()],
            capacity: Some(10),
            committed: 4,
            ..Default::default()
        };
        o.normalize();
        assert_eq!(o.covers, vec!["BSJ-01".to_string()]);
        o.validate().unwrap();
        assert_eq!(o.remaining(), Some(6));
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert!(o.available(day));
        o.committed = 10;
        assert!(!o.available(day));
        o.committed = 11;
        assert!(o.validate().unwrap_err().for_field("committed").is_some());
        o.committed = 0;
        o.available_until = NaiveDate::from_ymd_opt(2026, 11, 27);
        assert!(!o.available(day));
        o.capacity = None;
        assert_eq!(o.remaining(), None);
    }

    #[test]
    fn required_fields() {
        let e = Offer::default().validate().unwrap_err();
        for f in ["title", "domains", "provider"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        assert!(OfferType::Goods.consumed() && !OfferType::Venue.consumed());
    }
}
