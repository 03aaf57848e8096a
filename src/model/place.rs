//! Places: district -> township/street -> community/village -> grid cell -> micro-grid.
//!
//! A place is identified by its code, chosen by the office (`BSJ`,
//! `BSJ-01`, `BSJ-01-03`). The code is the record's id and never changes.

use serde::{Deserialize, Serialize};

use super::{bounds, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Level of a place in the grid hierarchy.
    pub enum PlaceLevel {
        District = ("district", "区县", "District"),
        Township = ("township", "乡镇街道", "Township/street"),
        Community = ("community", "社区村", "Community/village"),
        Grid = ("grid", "网格", "Grid cell"),
        MicroGrid = ("micro-grid", "微网格", "Micro-grid"),
    }
}

impl PlaceLevel {
    /// The level a parent must have.
    pub fn parent_level(self) -> Option<PlaceLevel> {
        match self {
            PlaceLevel::District => None,
            PlaceLevel::Township => Some(PlaceLevel::District),
            PlaceLevel::Community => Some(PlaceLevel::Township),
            PlaceLevel::Grid => Some(PlaceLevel::Community),
            PlaceLevel::MicroGrid => Some(PlaceLevel::Grid),
        }
    }
}

/// A place. `code` is its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub level: PlaceLevel,
    pub parent: Option<String>,
}

/// Normalises a place code: trimmed, upper-case ASCII.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// Rule for a place code: 1-32 characters of A-Z, 0-9, `-`, `_`, `.`.
pub fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

impl Place {
    pub fn normalize(&mut self) {
        self.code = normalize_code(&self.code);
        self.name = self.name.trim().to_string();
        if let Some(p) = &self.parent {
            let p = normalize_code(p);
            self.parent = if p.is_empty() { None } else { Some(p) };
        }
    }

    /// Checks what can be checked without other records (the store checks
    /// that the parent exists and has the right level).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if !code_ok(&self.code) {
            e.push("code", Rule::PlaceCode);
        }
        super::need::check_title(&mut e, Kind::Place, "name", &self.name);
        bounds::opt_text(&mut e, Kind::Place, "parent", &self.parent);
        if self.level != PlaceLevel::District && self.parent.is_none() {
            e.push("parent", Rule::Required);
        }
        e.into_result()
    }
}
