//! The kinds of record the store keeps, as one enum for generic handling.

use serde::{Deserialize, Serialize};

use super::{Organization, Place, ValidationErrors};

crate::labeled_enum! {
    /// Kind of record.
    pub enum Kind {
        Place = ("place", "地点", "Place"),
        Org = ("org", "组织", "Organization"),
    }
}

impl Kind {
    /// One byte that prefixes this kind's keys in the store. Never reuse one.
    pub fn tag(self) -> u8 {
        match self {
            Kind::Place => 1,
            Kind::Org => 2,
        }
    }

    pub fn from_tag(t: u8) -> Option<Kind> {
        use crate::model::Labeled;
        Kind::ALL.iter().copied().find(|k| k.tag() == t)
    }
}

/// A record of any kind. (Variants differ in size; records are moved a few
/// times per command, so boxing would buy nothing.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Record {
    Place(Place),
    Org(Organization),
}

impl Record {
    pub fn kind(&self) -> Kind {
        match self {
            Record::Place(_) => Kind::Place,
            Record::Org(_) => Kind::Org,
        }
    }

    pub fn normalize(&mut self) {
        match self {
            Record::Place(p) => p.normalize(),
            Record::Org(o) => o.normalize(),
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        match self {
            Record::Place(p) => p.validate(),
            Record::Org(o) => o.validate(),
        }
    }

    /// A short human name for logs and messages.
    pub fn title(&self) -> &str {
        match self {
            Record::Place(p) => &p.name,
            Record::Org(o) => &o.name,
        }
    }
}
