//! Spaces of the incubation base and the services it gives.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{bounds, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// What a space is.
    pub enum SpaceKind {
        Desk = ("desk", "工位", "Desk"),
        Office = ("office", "独立办公室", "Office"),
        Meeting = ("meeting", "会议室", "Meeting room"),
        Activity = ("activity", "活动室", "Activity room"),
    }
}

/// A space of the base: its code is what staff call it (`A-01`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Space {
    pub code: String,
    pub kind: SpaceKind,
    pub seats: u32,
    /// Area in tenths of a square metre.
    pub area_tenths: Option<u32>,
    pub notes: Option<String>,
}

/// Most seats a space may have.
pub const SEATS_MAX: u32 = 500;

impl Space {
    pub fn normalize(&mut self) {
        self.code = self.code.trim().to_string();
        if let Some(n) = &self.notes {
            let t = n.trim();
            self.notes = (!t.is_empty()).then(|| t.to_string());
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        crate::model::need::check_title(&mut e, Kind::Space, "code", &self.code);
        if self.seats == 0 || self.seats > SEATS_MAX {
            e.push(
                "seats",
                Rule::Number {
                    min: 1,
                    max: i64::from(SEATS_MAX),
                },
            );
        }
        if self.area_tenths.is_some_and(|a| a > 100_000) {
            e.push("area", Rule::Tenths { max: 10_000 });
        }
        bounds::opt_text(&mut e, Kind::Space, "notes", &self.notes);
        e.into_result()
    }
}

crate::labeled_enum! {
    /// The seven services of DB 3301/T 0346-2021.
    pub enum ServiceKind {
        Party = ("party", "党的建设", "Party building"),
        Capacity = ("capacity", "能力提升", "Capacity building"),
        Talent = ("talent", "人才培育", "Talent development"),
        Support = ("support", "扶持激励", "Support and incentives"),
        Supervision = ("supervision", "督导服务", "Supervision"),
        Assessment = ("assessment", "能力评估", "Capacity assessment"),
        FollowUp = ("follow-up", "跟踪服务", "Follow-up"),
    }
}

/// A service given to an organization (in the base or after it left).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub org: String,
    /// The enrollment it belongs to, if any.
    pub enrollment: Option<String>,
    pub kind: ServiceKind,
    pub date: NaiveDate,
    /// Staff who gave it (a set of names).
    pub staff_names: Vec<String>,
    /// Hours in tenths.
    pub hours_tenths: Option<u32>,
    pub notes: Option<String>,
}

impl Service {
    pub fn normalize(&mut self) {
        self.org = self.org.trim().to_string();
        for s in self.staff_names.iter_mut() {
            *s = s.trim().to_string();
        }
        self.staff_names.retain(|s| !s.is_empty());
        self.staff_names.sort();
        self.staff_names.dedup();
        if let Some(n) = &self.notes {
            let t = n.trim();
            self.notes = (!t.is_empty()).then(|| t.to_string());
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Service;
        if self.org.is_empty() {
            e.push("org", Rule::Required);
        }
        bounds::opt_date(&mut e, "date", Some(self.date));
        bounds::texts(&mut e, k, "staff_names", self.staff_names.iter());
        if self.hours_tenths.is_some_and(|h| h > 10_000) {
            e.push("hours", Rule::Tenths { max: 1_000 });
        }
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        e.into_result()
    }
}

/// A cohort (期) of the base: organizations entering together, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Organizations it takes.
    pub capacity: Option<u32>,
    pub notes: Option<String>,
}

impl Cohort {
    pub fn normalize(&mut self) {
        self.name = self.name.trim().to_string();
        if let Some(n) = &self.notes {
            let t = n.trim();
            self.notes = (!t.is_empty()).then(|| t.to_string());
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Cohort;
        if self.name.is_empty() {
            e.push("cohort", Rule::Required);
        }
        bounds::text(&mut e, k, "cohort", &self.name);
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::opt_date(&mut e, "from", Some(self.from));
        if self.to < self.from {
            e.push("to", Rule::DateOrder);
        }
        if self.capacity.is_some_and(|c| c == 0 || c > 500) {
            e.push("capacity", Rule::Number { min: 1, max: 500 });
        }
        e.into_result()
    }
}
