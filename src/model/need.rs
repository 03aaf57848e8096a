//! Residents' needs (需求), collected grid by grid.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{bounds, domain, Domain, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// How soon a need must be answered (紧急程度).
    #[derive(Default)]
    pub enum Urgency {
        Low = ("low", "一般", "Low"),
        #[default]
        Normal = ("normal", "较急", "Normal"),
        High = ("high", "紧急", "High"),
        Urgent = ("urgent", "特急", "Urgent"),
    }
}

crate::labeled_enum! {
    /// Where a need is in its life (需求状态).
    #[derive(Default)]
    pub enum NeedState {
        #[default]
        Open = ("open", "待对接", "Open"),
        Matched = ("matched", "已对接", "Matched"),
        InProgress = ("in-progress", "服务中", "In progress"),
        Done = ("done", "已完成", "Done"),
        Closed = ("closed", "已关闭", "Closed"),
    }
}

crate::labeled_enum! {
    /// Who raised a need (提出人).
    #[derive(Default)]
    pub enum RaisedBy {
        #[default]
        Resident = ("resident", "居民", "Resident"),
        Household = ("household", "家庭户", "Household"),
        Committee = ("committee", "社区居委会", "Community committee"),
        GridWorker = ("grid-worker", "网格员", "Grid worker"),
    }
}

crate::labeled_enum! {
    /// A group of residents a need concerns or an offer serves (服务对象).
    pub enum TargetGroup {
        Elderly = ("elderly", "老年人", "Elderly"),
        Children = ("children", "儿童", "Children"),
        Youth = ("youth", "青少年", "Youth"),
        Disabled = ("disabled", "残疾人", "People with disabilities"),
        Women = ("women", "妇女", "Women"),
        Families = ("families", "家庭", "Families"),
        LowIncome = ("low-income", "困难群众", "Low-income residents"),
        Veterans = ("veterans", "退役军人", "Veterans"),
        Newcomers = ("newcomers", "新居民", "Newcomers"),
        All = ("all", "全体居民", "All residents"),
    }
}

/// Upper bound of "people affected" and of offer capacities.
pub const PEOPLE_MAX: i64 = 1_000_000;

/// A need raised in a grid cell or community. `title`, `domains` and `grid`
/// are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub title: String,
    pub description: Option<String>,
    pub domains: Vec<Domain>,
    /// Code of the grid cell (or community) where the need is.
    pub grid: String,
    pub raised_by: RaisedBy,
    /// Name and way to reach whoever raised it.
    pub contact: Option<String>,
    pub targets: Vec<TargetGroup>,
    /// People affected.
    pub people: Option<u32>,
    pub urgency: Urgency,
    /// Date raised.
    pub raised: Option<NaiveDate>,
    /// Wanted by this date.
    pub wanted_by: Option<NaiveDate>,
    pub state: NeedState,
    /// Why a closed need was closed without being done.
    pub close_reason: Option<String>,
}

pub(crate) fn clean(opt: &mut Option<String>) {
    if let Some(s) = opt {
        let t = s.trim();
        if t.is_empty() {
            *opt = None;
        } else if t.len() != s.len() {
            *opt = Some(t.to_string());
        }
    }
}

/// A required title or name, within its bounds.
pub(crate) fn check_title(e: &mut ValidationErrors, kind: Kind, field: &str, v: &str) {
    if v.is_empty() {
        e.push(field, Rule::Required);
    } else {
        bounds::text(e, kind, field, v);
    }
}

pub(crate) fn check_count(e: &mut ValidationErrors, field: &str, v: Option<u32>) {
    if let Some(v) = v {
        if i64::from(v) > PEOPLE_MAX {
            e.push(
                field,
                Rule::Number {
                    min: 0,
                    max: PEOPLE_MAX,
                },
            );
        }
    }
}

pub(crate) fn check_place_code(e: &mut ValidationErrors, field: &str, code: &str) {
    if code.is_empty() {
        e.push(field, Rule::Required);
    } else if !super::place::code_ok(code) {
        e.push(field, Rule::PlaceCode);
    }
}

impl Need {
    /// Trims text, normalises the place code, orders sets.
    pub fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        self.grid = super::place::normalize_code(&self.grid);
        for f in [
            &mut self.description,
            &mut self.contact,
            &mut self.close_reason,
        ] {
            clean(f);
        }
        bounds::unix_lines(&mut self.description);
        domain::normalize(&mut self.domains);
        self.targets.sort();
        self.targets.dedup();
    }

    /// Checks every field (the store checks that the place exists).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Need;
        check_title(&mut e, k, "title", &self.title);
        for (field, v) in [
            ("description", &self.description),
            ("contact", &self.contact),
            ("close_reason", &self.close_reason),
        ] {
            bounds::opt_text(&mut e, k, field, v);
        }
        bounds::opt_date(&mut e, "raised", self.raised);
        bounds::opt_date(&mut e, "wanted_by", self.wanted_by);
        if self.domains.is_empty() {
            e.push("domains", Rule::Required);
        }
        check_place_code(&mut e, "grid", &self.grid);
        check_count(&mut e, "people", self.people);
        if let (Some(a), Some(b)) = (self.raised, self.wanted_by) {
            if b < a {
                e.push("wanted_by", Rule::DateOrder);
            }
        }
        if self.state == NeedState::Closed && self.close_reason.is_none() {
            e.push("close_reason", Rule::Required);
        }
        e.into_result()
    }

    /// True while the need still waits for someone to take it on.
    pub fn is_open(&self) -> bool {
        self.state == NeedState::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need() -> Need {
        Need {
            title: " 独居老人助餐 ".into(),
            domains: vec![Domain::Elderly],
            grid: "bsj-01-03".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_need_is_valid_after_normalising() {
        let mut n = need();
        n.normalize();
        assert_eq!(n.title, "独居老人助餐");
        assert_eq!(n.grid, "BSJ-01-03");
        n.validate().unwrap();
        assert_eq!(n.state, NeedState::Open);
        assert_eq!(n.urgency, Urgency::Normal);
    }

    #[test]
    fn errors_name_fields() {
        let n = Need {
            state: NeedState::Closed,
            raised: NaiveDate::from_ymd_opt(2026, 5, 2),
            wanted_by: NaiveDate::from_ymd_opt(2026, 5, 1),
            grid: "网格".into(),
            ..Default::default()
        };
        let e = n.validate().unwrap_err();
        for f in ["title", "domains", "close_reason", "wanted_by"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        assert_eq!(e.for_field("grid").unwrap().rule, Rule::PlaceCode);
    }

    #[test]
    fn states_serialise_as_the_cli_spells_them() {
        use crate::model::Labeled;
        let keys: Vec<&str> = NeedState::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys, ["open", "matched", "in-progress", "done", "closed"]);
        assert_eq!(Urgency::parse("特急"), Some(Urgency::Urgent));
    }
}
