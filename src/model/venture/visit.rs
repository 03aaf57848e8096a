//! Monitoring visits (督导走访) to a funded project: what was found and
//! what must follow, by when.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{bounds, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// How the project was checked.
    #[derive(Default)]
    pub enum VisitKind {
        #[default]
        Site = ("site", "实地走访", "Site visit"),
        Phone = ("phone", "电话回访", "Phone call"),
        Documents = ("documents", "资料检查", "Document check"),
        Meeting = ("meeting", "座谈会", "Meeting"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// Id of the application visited.
    pub application: String,
    pub kind: VisitKind,
    pub date: NaiveDate,
    /// Staff who went (a set of names).
    pub visitors: Vec<String>,
    pub findings: Option<String>,
    /// When the follow-up is due, if one is needed.
    pub follow_up: Option<NaiveDate>,
    /// The follow-up is done.
    pub closed: bool,
}

impl Visit {
    pub fn normalize(&mut self) {
        self.application = self.application.trim().to_string();
        for s in self.visitors.iter_mut() {
            *s = s.trim().to_string();
        }
        self.visitors.retain(|s| !s.is_empty());
        self.visitors.sort();
        self.visitors.dedup();
        if let Some(f) = &self.findings {
            let t = f.trim();
            self.findings = (!t.is_empty()).then(|| t.to_string());
        }
        bounds::unix_lines(&mut self.findings);
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Visit;
        if self.application.is_empty() {
            e.push("application", Rule::Required);
        }
        bounds::opt_date(&mut e, "date", Some(self.date));
        bounds::opt_date(&mut e, "follow_up", self.follow_up);
        if self.follow_up.is_some_and(|f| f < self.date) {
            e.push("follow_up", Rule::DateOrder);
        }
        bounds::texts(&mut e, k, "visitors", self.visitors.iter());
        bounds::opt_text(&mut e, k, "findings", &self.findings);
        e.into_result()
    }

    /// A follow-up due before `today` and not done.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        !self.closed && self.follow_up.is_some_and(|f| f < today)
    }
}
