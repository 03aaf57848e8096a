//! Trainings, study tours and exchanges ([6/6]): events of the yearly
//! plan and who took part. Each participation (a person, an organization,
//! or a person of an organization) is its own record with a role and a
//! status; only signed-in participation counts.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::{bounds, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// What kind of event.
    #[derive(Default)]
    pub enum TrainingKind {
        #[default]
        Training = ("training", "培训", "Training"),
        StudyTour = ("study-tour", "考察见学", "Study tour"),
        Exchange = ("exchange", "交流研讨", "Exchange"),
        PartyStudy = ("party-study", "党建学习", "Party study"),
        Pitch = ("pitch", "路演", "Pitch day"),
    }
}

crate::labeled_enum! {
    /// Where a participation stands.
    #[derive(Default)]
    pub enum AttendStatus {
        #[default]
        Registered = ("registered", "已报名", "Registered"),
        Waitlisted = ("waitlisted", "候补", "Waitlisted"),
        SignedIn = ("signed-in", "已签到", "Signed in"),
        Absent = ("absent", "缺席", "Absent"),
        Excused = ("excused", "请假", "Excused"),
        Cancelled = ("cancelled", "取消", "Cancelled"),
    }
}

impl AttendStatus {
    /// Whether it takes a place: registered, and did or did not come.
    pub fn holds_place(self) -> bool {
        matches!(
            self,
            AttendStatus::Registered
                | AttendStatus::SignedIn
                | AttendStatus::Absent
                | AttendStatus::Excused
        )
    }
}

crate::labeled_enum! {
    /// A participant's role.
    #[derive(Default)]
    pub enum Role {
        #[default]
        Learner = ("learner", "学员", "Learner"),
        Trainer = ("trainer", "讲师", "Trainer"),
        Staff = ("staff", "工作人员", "Staff"),
        Volunteer = ("volunteer", "志愿者", "Volunteer"),
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub title: String,
    pub kind: TrainingKind,
    pub date: NaiveDate,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub venue: Option<String>,
    pub trainer: Option<String>,
    pub capacity: Option<u32>,
    /// Hours in tenths.
    pub hours_tenths: u32,
    pub notes: Option<String>,
    /// The item of its year's plan it carries out (its topic), if any.
    /// Last: a record stored before it existed reads with it absent.
    pub plan_item: Option<String>,
}

/// One item of a yearly plan, by its topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub kind: TrainingKind,
    /// The month it is planned for (1-12).
    pub month: Option<u32>,
    /// Hours planned, in tenths.
    pub hours_tenths: Option<u32>,
    /// Who it is for (新成立组织负责人, 财务人员...).
    pub audience: Option<String>,
}

/// The year's training plan (年度培训计划): its items by topic. One per
/// year; events name the item they carry out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingPlan {
    pub year: i32,
    pub title: String,
    pub budget_fen: Option<u64>,
    pub items: std::collections::BTreeMap<String, PlanItem>,
    pub notes: Option<String>,
}

impl TrainingPlan {
    pub fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        clean(&mut self.notes);
        bounds::unix_lines(&mut self.notes);
        let items = std::mem::take(&mut self.items);
        for (k, mut v) in items {
            clean(&mut v.audience);
            self.items.insert(k.trim().to_string(), v);
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::TrainingPlan;
        if let Some(r) = bounds::year_rule(self.year) {
            e.push("year", r);
        }
        super::need::check_title(&mut e, k, "title", &self.title);
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::texts(&mut e, k, "items", self.items.keys());
        for (topic, i) in &self.items {
            if topic.is_empty() {
                e.push("topic", Rule::Required);
            }
            if i.month.is_some_and(|m| !(1..=12).contains(&m)) {
                e.push("month", Rule::Number { min: 1, max: 12 });
            }
            if i.hours_tenths.is_some_and(|h| h == 0 || h > 2_400) {
                e.push("training_hours", Rule::Tenths { max: 240 });
            }
            bounds::opt_text(&mut e, k, "audience", &i.audience);
        }
        e.into_result()
    }
}

/// One participation in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    /// Id of the event.
    pub event: String,
    /// Id of the organization, if any.
    pub org: Option<String>,
    /// The person's name, if any.
    pub person: Option<String>,
    pub role: Role,
    pub status: AttendStatus,
}

fn clean(o: &mut Option<String>) {
    if let Some(s) = o {
        let t = s.trim();
        *o = (!t.is_empty()).then(|| t.to_string());
    }
}

impl Training {
    pub fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        clean(&mut self.venue);
        clean(&mut self.trainer);
        clean(&mut self.notes);
        clean(&mut self.plan_item);
        bounds::unix_lines(&mut self.notes);
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Training;
        super::need::check_title(&mut e, k, "title", &self.title);
        bounds::opt_date(&mut e, "date", Some(self.date));
        bounds::opt_text(&mut e, k, "venue", &self.venue);
        bounds::opt_text(&mut e, k, "trainer", &self.trainer);
        bounds::opt_text(&mut e, k, "notes", &self.notes);
        bounds::opt_text(&mut e, k, "plan_item", &self.plan_item);
        if self.hours_tenths == 0 || self.hours_tenths > 2_400 {
            e.push("training_hours", Rule::Tenths { max: 240 });
        }
        if self.capacity.is_some_and(|c| c == 0 || c > 10_000) {
            e.push(
                "capacity",
                Rule::Number {
                    min: 1,
                    max: 10_000,
                },
            );
        }
        if let (Some(a), Some(b)) = (self.start, self.end) {
            if b < a {
                e.push("end", Rule::DateOrder);
            }
        }
        e.into_result()
    }
}

impl Attendance {
    pub fn normalize(&mut self) {
        self.event = self.event.trim().to_string();
        clean(&mut self.org);
        clean(&mut self.person);
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Attendance;
        if self.event.is_empty() {
            e.push("event", Rule::Required);
        }
        if self.org.is_none() && self.person.is_none() {
            e.push("person", Rule::Required);
        }
        bounds::opt_text(&mut e, k, "person", &self.person);
        e.into_result()
    }

    /// Who it is, for matching one participation again: organization and
    /// person.
    pub fn who(&self) -> (Option<&str>, Option<&str>) {
        (self.org.as_deref(), self.person.as_deref())
    }
}

/// Signed in out of registered (0..1), `None` when nobody registered.
pub fn attendance_rate(statuses: impl IntoIterator<Item = AttendStatus>) -> Option<f64> {
    let (mut signed, mut registered) = (0u32, 0u32);
    for s in statuses {
        if s.holds_place() {
            registered += 1;
        }
        if s == AttendStatus::SignedIn {
            signed += 1;
        }
    }
    (registered > 0).then(|| f64::from(signed) / f64::from(registered))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Labeled;

    #[test]
    fn only_signed_in_counts_and_cancelled_or_waitlisted_do_not_register() {
        use AttendStatus::*;
        assert_eq!(attendance_rate([]), None);
        assert_eq!(attendance_rate([Waitlisted, Cancelled]), None);
        assert_eq!(
            attendance_rate([SignedIn, SignedIn, Absent, Excused, Cancelled, Waitlisted]),
            Some(0.5)
        );
        assert_eq!(AttendStatus::parse("已签到"), Some(SignedIn));
    }
}
