//! Social workers (社工) and partners (资源方).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::need::{check_title, clean};
use super::{bounds, domain, phone, Domain, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Professional qualification of a social worker (职业水平).
    #[derive(Default)]
    pub enum Qualification {
        #[default]
        None = ("none", "无", "None"),
        Assistant = ("assistant", "助理社会工作师", "Assistant social worker"),
        SocialWorker = ("social-worker", "社会工作师", "Social worker"),
        Senior = ("senior", "高级社会工作师", "Senior social worker"),
    }
}

crate::labeled_enum! {
    /// Kind of partner (资源方类型).
    #[derive(Default)]
    pub enum PartnerType {
        Government = ("government", "政府部门", "Government department"),
        University = ("university", "高校", "University"),
        Enterprise = ("enterprise", "企业", "Enterprise"),
        Foundation = ("foundation", "基金会", "Foundation"),
        Expert = ("expert", "专家", "Expert"),
        #[default]
        Other = ("other", "其他", "Other"),
    }
}

/// A social worker. Only `name` is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    pub name: String,
    pub qualification: Qualification,
    /// Code of the community (or grid cell) the worker serves.
    pub community: Option<String>,
    pub domains: Vec<Domain>,
    pub phone: Option<String>,
    /// Organization the worker works for (id), if any.
    pub org: Option<String>,
    pub notes: Option<String>,
}

/// A cooperation agreement with a partner, keyed by its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// A partner: a department, university, enterprise, foundation or expert
/// that provides resources. Only `name` is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: PartnerType,
    pub contact: Option<String>,
    pub phone: Option<String>,
    /// What they can provide, in words.
    pub provides: Option<String>,
    pub domains: Vec<Domain>,
    /// Agreements by title.
    pub agreements: BTreeMap<String, Agreement>,
    pub notes: Option<String>,
}

fn normalize_phone(p: &mut Option<String>) {
    clean(p);
    if let Some(n) = p.as_deref().and_then(phone::normalize) {
        *p = Some(n);
    }
}

fn check_phone(e: &mut ValidationErrors, p: &Option<String>) {
    if let Some(p) = p {
        if !phone::is_valid(p) {
            e.push("phone", Rule::Phone);
        }
    }
}

impl Worker {
    pub fn normalize(&mut self) {
        self.name = self.name.trim().to_string();
        clean(&mut self.community);
        clean(&mut self.org);
        clean(&mut self.notes);
        bounds::unix_lines(&mut self.notes);
        normalize_phone(&mut self.phone);
        if let Some(c) = &self.community {
            self.community = Some(super::place::normalize_code(c));
        }
        domain::normalize(&mut self.domains);
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Worker;
        check_title(&mut e, k, "name", &self.name);
        check_phone(&mut e, &self.phone);
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::opt_text(&mut e, k, "org", &self.org);
        if let Some(c) = &self.community {
            if !super::place::code_ok(c) {
                e.push("community", Rule::PlaceCode);
            }
        }
        e.into_result()
    }
}

impl Partner {
    pub fn normalize(&mut self) {
        self.name = self.name.trim().to_string();
        clean(&mut self.contact);
        clean(&mut self.provides);
        clean(&mut self.notes);
        bounds::unix_lines(&mut self.notes);
        normalize_phone(&mut self.phone);
        domain::normalize(&mut self.domains);
        let agreements = std::mem::take(&mut self.agreements);
        for (title, a) in agreements {
            let t = title.trim().to_string();
            if !t.is_empty() {
                self.agreements.insert(t, a);
            }
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Partner;
        check_title(&mut e, k, "name", &self.name);
        check_phone(&mut e, &self.phone);
        for (field, v) in [
            ("contact", &self.contact),
            ("provides", &self.provides),
            ("notes", &self.notes),
        ] {
            bounds::opt_text(&mut e, k, field, v);
        }
        bounds::texts(&mut e, k, "agreements", self.agreements.keys());
        for a in self.agreements.values() {
            bounds::opt_date(&mut e, "agreements", Some(a.start));
            bounds::opt_date(&mut e, "agreements", a.end);
            if a.end.is_some_and(|end| end < a.start) {
                e.push("agreements", Rule::DateOrder);
            }
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_and_partner_rules() {
        let mut w = Worker {
            name: " 陈静 ".into(),
            phone: Some("+86 13812345678".into()),
            community: Some("bsj-02".into()),
            ..Default::default()
        };
        w.normalize();
        w.validate().unwrap();
        assert_eq!(w.phone.as_deref(), Some("13812345678"));
        assert_eq!(w.community.as_deref(), Some("BSJ-02"));
        w.phone = Some("123".into());
        assert!(w.validate().unwrap_err().for_field("phone").is_some());

        let mut p = Partner {
            name: "浙江大学社会学系".into(),
            kind: PartnerType::University,
            ..Default::default()
        };
        p.agreements.insert(
            " 实习基地协议 ".into(),
            Agreement {
                start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                end: NaiveDate::from_ymd_opt(2025, 1, 1),
            },
        );
        p.normalize();
        assert!(p.agreements.contains_key("实习基地协议"));
        assert_eq!(
            p.validate()
                .unwrap_err()
                .for_field("agreements")
                .unwrap()
                .rule,
            Rule::DateOrder
        );
        assert_eq!(
            crate::model::Labeled::parse("高校"),
            Some(PartnerType::University)
        );
    }
}
