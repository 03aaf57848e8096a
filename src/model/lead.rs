//! Leads on illegal social organizations (非法社会组织线索, [6/6]): what was
//! reported, by which source, and where the lead stands. The reporter's
//! identity is confidential: kept (and synced, so the office that follows
//! the lead up has it) but never shown, listed, exported or put in a log,
//! a bulletin or a report ([`hides`]), except by `lead show
//! --show-reporter` for a user with that right.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::venture::Mark;
use super::{bounds, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Where the lead came from.
    #[derive(Default)]
    pub enum LeadSource {
        #[default]
        GridWorker = ("grid-worker", "网格员", "Grid worker"),
        Resident = ("resident", "群众举报", "Resident report"),
        Patrol = ("patrol", "巡查发现", "Patrol"),
        Referral = ("referral", "转办", "Referral"),
        Internet = ("internet", "网络发现", "Internet"),
    }
}

crate::labeled_enum! {
    /// What kind of illegality it would be.
    #[derive(Default)]
    pub enum LeadCategory {
        #[default]
        Unregistered = ("unregistered", "未经登记以社会组织名义活动", "Acting as a social organization without registration"),
        Preparatory = ("preparatory", "筹备期间超范围活动", "Acting beyond a preparatory approval"),
        Revoked = ("revoked", "被撤销登记后继续活动", "Acting after revocation"),
    }
}

crate::labeled_enum! {
    /// Where a lead stands.
    #[derive(Default)]
    pub enum LeadState {
        #[default]
        Lead = ("lead", "线索", "Lead"),
        Checking = ("checking", "核查中", "Being checked"),
        Reported = ("reported", "已上报", "Reported"),
        Transferred = ("transferred", "已移交", "Transferred"),
        Banned = ("banned", "已取缔", "Banned"),
        Dissuaded = ("dissuaded", "已劝散", "Dissuaded"),
        NotIllegal = ("not-illegal", "不构成", "Not illegal"),
        Closed = ("closed", "已结", "Closed"),
    }
}

impl LeadState {
    pub fn next(self) -> &'static [LeadState] {
        use LeadState::*;
        match self {
            Lead => &[Checking, NotIllegal],
            Checking => &[Reported, Transferred, NotIllegal],
            Reported | Transferred => &[Banned, Dissuaded, NotIllegal],
            Banned | Dissuaded | NotIllegal => &[Closed],
            Closed => &[],
        }
    }

    pub fn can_step(self, to: LeadState) -> bool {
        self.next().contains(&to)
    }
}

/// The confidential fields of a lead.
pub const CONFIDENTIAL: [&str; 2] = ["reporter", "reporter_phone"];

/// Whether field `path` of a `kind` record is confidential: its value is
/// never shown to people (logs, conflicts, held changes, exports).
pub fn hides(kind: Kind, path: &str) -> bool {
    kind == Kind::Lead && {
        let top = path.split('/').next().unwrap_or(path);
        CONFIDENTIAL.contains(&top)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    /// The name used by the group.
    pub name_used: String,
    /// Person in charge or founder.
    pub founder: Option<String>,
    /// Where it is active.
    pub place: String,
    /// Publicity channels (a set: 微信群, 抖音...).
    pub channels: Vec<String>,
    pub facts: String,
    pub evidence: Option<String>,
    pub source: LeadSource,
    pub category: LeadCategory,
    pub state: LeadState,
    pub steps: BTreeMap<String, Mark>,
    /// To whom it was reported or transferred.
    pub reported_to: Option<String>,
    /// Confidential: see [`hides`].
    pub reporter: Option<String>,
    /// Confidential: see [`hides`].
    pub reporter_phone: Option<String>,
    pub notes: Option<String>,
}

fn clean(o: &mut Option<String>) {
    if let Some(s) = o {
        let t = s.trim();
        *o = (!t.is_empty()).then(|| t.to_string());
    }
}

impl Lead {
    pub fn normalize(&mut self) {
        self.name_used = self.name_used.trim().to_string();
        self.place = self.place.trim().to_string();
        self.facts = self.facts.trim().to_string();
        for o in [
            &mut self.founder,
            &mut self.evidence,
            &mut self.reported_to,
            &mut self.reporter,
            &mut self.reporter_phone,
            &mut self.notes,
        ] {
            clean(o);
        }
        for c in self.channels.iter_mut() {
            *c = c.trim().to_string();
        }
        self.channels.retain(|c| !c.is_empty());
        self.channels.sort();
        self.channels.dedup();
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Lead;
        super::need::check_title(&mut e, k, "name_used", &self.name_used);
        if self.place.is_empty() {
            e.push("place", Rule::Required);
        } else {
            bounds::text(&mut e, k, "place", &self.place);
        }
        if self.facts.is_empty() {
            e.push("facts", Rule::Required);
        } else {
            bounds::text(&mut e, k, "facts", &self.facts);
        }
        for (f, v) in [
            ("founder", &self.founder),
            ("evidence", &self.evidence),
            ("reported_to", &self.reported_to),
            ("reporter", &self.reporter),
            ("notes", &self.notes),
        ] {
            bounds::opt_text(&mut e, k, f, v);
        }
        if let Some(p) = &self.reporter_phone {
            if !super::phone::is_valid(p) {
                e.push("reporter_phone", Rule::Phone);
            }
        }
        bounds::texts(&mut e, k, "channels", self.channels.iter());
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_reporter_is_hidden_and_states_go_one_step() {
        assert!(hides(Kind::Lead, "reporter"));
        assert!(hides(Kind::Lead, "reporter_phone"));
        assert!(!hides(Kind::Lead, "facts"));
        assert!(!hides(Kind::Org, "reporter"));
        assert!(LeadState::Lead.can_step(LeadState::Checking));
        assert!(!LeadState::Lead.can_step(LeadState::Banned));
        assert!(LeadState::Closed.next().is_empty());
    }
}
