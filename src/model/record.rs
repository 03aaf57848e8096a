//! The kinds of record the store keeps, as one enum for generic handling.

use serde::{Deserialize, Serialize};

use super::Labeled;

use super::center::Center;
use super::filing::Filing;
use super::incubation::{Cohort, Enrollment, Service, Space};
use super::lead::Lead;
use super::party::Instructor;
use super::training::{Attendance, Training, TrainingPlan};
use super::venture::{Application, ReviewSheet, Round, Visit};
use super::{Activity, Evaluation, Organization, Place, ValidationErrors};
use super::{Linkage, Need, Offer, Partner, Worker};

crate::labeled_enum! {
    /// Kind of record.
    pub enum Kind {
        Place = ("place", "地点", "Place"),
        Org = ("org", "组织", "Organization"),
        Need = ("need", "需求", "Need"),
        Offer = ("offer", "资源", "Offer"),
        Worker = ("worker", "社工", "Social worker"),
        Partner = ("partner", "资源方", "Partner"),
        Linkage = ("linkage", "对接", "Linkage"),
        Activity = ("activity", "活动", "Activity"),
        Evaluation = ("evaluation", "评价", "Evaluation"),
        Round = ("round", "创投轮次", "Venture round"),
        Application = ("application", "创投项目", "Venture project"),
        Review = ("review", "评审表", "Review sheet"),
        Visit = ("visit", "督导走访", "Monitoring visit"),
        Space = ("space", "孵化场地", "Incubation space"),
        Enrollment = ("enrollment", "入驻", "Enrollment"),
        Service = ("service", "孵化服务", "Incubation service"),
        Training = ("training", "培训活动", "Training"),
        Attendance = ("attendance", "培训参与", "Participation"),
        Lead = ("lead", "非法社会组织线索", "Illegal-organization lead"),
        Center = ("center", "服务中心", "Service center"),
        TrainingPlan = ("training-plan", "年度培训计划", "Training plan"),
        Cohort = ("cohort", "孵化期次", "Incubation cohort"),
        Filing = ("filing", "备案", "Filing"),
        Instructor = ("instructor", "党建指导员", "Party-building instructor"),
    }
}

impl Kind {
    /// One byte that prefixes this kind's keys in the store. Never reuse one.
    pub fn tag(self) -> u8 {
        match self {
            Kind::Place => 1,
            Kind::Org => 2,
            Kind::Need => 3,
            Kind::Offer => 4,
            Kind::Worker => 5,
            Kind::Partner => 6,
            Kind::Linkage => 7,
            Kind::Activity => 8,
            Kind::Evaluation => 9,
            Kind::Round => 10,
            Kind::Application => 11,
            Kind::Review => 12,
            Kind::Visit => 13,
            Kind::Space => 14,
            Kind::Enrollment => 15,
            Kind::Service => 16,
            Kind::Training => 17,
            Kind::Attendance => 18,
            Kind::Lead => 19,
            Kind::Center => 20,
            Kind::TrainingPlan => 23,
            Kind::Cohort => 24,
            Kind::Filing => 21,
            Kind::Instructor => 22,
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
    Need(Need),
    Offer(Offer),
    Worker(Worker),
    Partner(Partner),
    Linkage(Linkage),
    Activity(Activity),
    Evaluation(Evaluation),
    Round(Round),
    Application(Application),
    Review(ReviewSheet),
    Visit(Visit),
    Space(Space),
    Enrollment(Enrollment),
    Service(Service),
    Training(Training),
    Attendance(Attendance),
    Lead(Lead),
    Center(Center),
    TrainingPlan(TrainingPlan),
    Cohort(Cohort),
    Filing(Filing),
    Instructor(Instructor),
}

impl Record {
    pub fn kind(&self) -> Kind {
        match self {
            Record::Place(_) => Kind::Place,
            Record::Org(_) => Kind::Org,
            Record::Need(_) => Kind::Need,
            Record::Offer(_) => Kind::Offer,
            Record::Worker(_) => Kind::Worker,
            Record::Partner(_) => Kind::Partner,
            Record::Linkage(_) => Kind::Linkage,
            Record::Activity(_) => Kind::Activity,
            Record::Evaluation(_) => Kind::Evaluation,
            Record::Round(_) => Kind::Round,
            Record::Application(_) => Kind::Application,
            Record::Review(_) => Kind::Review,
            Record::Visit(_) => Kind::Visit,
            Record::Space(_) => Kind::Space,
            Record::Enrollment(_) => Kind::Enrollment,
            Record::Service(_) => Kind::Service,
            Record::Training(_) => Kind::Training,
            Record::Attendance(_) => Kind::Attendance,
            Record::Lead(_) => Kind::Lead,
            Record::Center(_) => Kind::Center,
            Record::TrainingPlan(_) => Kind::TrainingPlan,
            Record::Cohort(_) => Kind::Cohort,
            Record::Filing(_) => Kind::Filing,
            Record::Instructor(_) => Kind::Instructor,
        }
    }

    pub fn normalize(&mut self) {
        match self {
            Record::Place(p) => p.normalize(),
            Record::Org(o) => o.normalize(),
            Record::Need(n) => n.normalize(),
            Record::Offer(o) => o.normalize(),
            Record::Worker(w) => w.normalize(),
            Record::Partner(p) => p.normalize(),
            Record::Linkage(l) => l.normalize(),
            Record::Activity(a) => a.normalize(),
            Record::Evaluation(e) => e.normalize(),
            Record::Round(r) => r.normalize(),
            Record::Application(a) => a.normalize(),
            Record::Review(s) => s.normalize(),
            Record::Visit(v) => v.normalize(),
            Record::Space(s) => s.normalize(),
            Record::Enrollment(e) => e.normalize(),
            Record::Service(s) => s.normalize(),
            Record::Training(t) => t.normalize(),
            Record::Attendance(a) => a.normalize(),
            Record::Lead(l) => l.normalize(),
            Record::Center(c) => c.normalize(),
            Record::TrainingPlan(p) => p.normalize(),
            Record::Cohort(c) => c.normalize(),
            Record::Filing(f) => f.normalize(),
            Record::Instructor(i) => i.normalize(),
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        match self {
            Record::Place(p) => p.validate(),
            Record::Org(o) => o.validate(),
            Record::Need(n) => n.validate(),
            Record::Offer(o) => o.validate(),
            Record::Worker(w) => w.validate(),
            Record::Partner(p) => p.validate(),
            Record::Linkage(l) => l.validate(),
            Record::Activity(a) => a.validate(),
            Record::Evaluation(e) => e.validate(),
            Record::Round(r) => r.validate(),
            Record::Application(a) => a.validate(),
            Record::Review(s) => s.validate(),
            Record::Visit(v) => v.validate(),
            Record::Space(s) => s.validate(),
            Record::Enrollment(e) => e.validate(),
            Record::Service(s) => s.validate(),
            Record::Training(t) => t.validate(),
            Record::Attendance(a) => a.validate(),
            Record::Lead(l) => l.validate(),
            Record::Center(c) => c.validate(),
            Record::TrainingPlan(p) => p.validate(),
            Record::Cohort(c) => c.validate(),
            Record::Filing(f) => f.validate(),
            Record::Instructor(i) => i.validate(),
        }
    }

    /// A short human name for logs and messages.
    pub fn title(&self) -> &str {
        match self {
            Record::Place(p) => &p.name,
            Record::Org(o) => &o.name,
            Record::Need(n) => &n.title,
            Record::Offer(o) => &o.title,
            Record::Worker(w) => &w.name,
            Record::Partner(p) => &p.name,
            Record::Linkage(l) => &l.title,
            Record::Activity(a) => &a.title,
            Record::Evaluation(e) => &e.period,
            Record::Round(r) => &r.title,
            Record::Application(a) => &a.title,
            Record::Review(s) => &s.reviewer,
            Record::Visit(v) => v.kind.zh(),
            Record::Space(s) => &s.code,
            Record::Enrollment(e) => e.stage.zh(),
            Record::Service(s) => s.kind.zh(),
            Record::Training(t) => &t.title,
            Record::Attendance(a) => a.status.zh(),
            Record::Lead(l) => &l.name_used,
            Record::Center(c) => &c.name,
            Record::TrainingPlan(p) => &p.title,
            Record::Cohort(c) => &c.name,
            Record::Filing(f) => &f.name,
            Record::Instructor(i) => &i.name,
        }
    }
}
