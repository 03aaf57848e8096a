//! A year's work in figures: what `sanshe stats --year` prints and the
//! 年度工作 section of the disclosure report shows, computed by one
//! function so the two can never disagree.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::incubation::Base;
use super::training::Trainings;
use super::Data;
use crate::model::incubation::IncStage;
use crate::model::lead::LeadState;
use crate::model::linkage::LinkageState;
use crate::model::venture::AppState;
use crate::model::{Kind, Labeled, Record};
use crate::store::{Store, StoreError};

/// The year's figures. Only counts and sums: publishable as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YearFigures {
    pub year: i32,
    /// Organizations in the register, neither deregistered nor revoked
    /// (today).
    pub orgs_active: usize,
    /// Organizations the center worked with in the year: named by an
    /// activity, signed in at a training, given an incubation service,
    /// in the incubation base, or with a venture project approved.
    pub orgs_served: usize,
    /// Filings that reached 已备案 in the year.
    pub filed: usize,
    /// Filings that reached 已登记 in the year.
    pub registered: usize,
    /// Organizations in the incubation base on any day of the year.
    pub incubated: usize,
    /// Stays ended by 出壳 in the year.
    pub graduated: usize,
    /// Training events in the year.
    pub trainings: usize,
    /// Signed-in participations at them.
    pub training_signed_in: usize,
    /// Signed in / registered at them (0..1).
    pub attendance_rate: Option<f64>,
    /// The year's activities.
    pub activities: u64,
    pub participants: u64,
    pub beneficiaries: u64,
    pub volunteer_hours: f64,
    /// Venture projects approved (已立项) in the year, the sum awarded to
    /// them, and the tranches paid in the year (any round).
    pub venture_approved: usize,
    pub venture_awarded_fen: u64,
    pub venture_paid_fen: u64,
    /// Linkages finished (已完成) in the year.
    pub linkages_done: usize,
    /// Leads reported or transferred in the year (a count only).
    pub leads_reported: usize,
    /// Active organizations with a party organization or instructor
    /// (today), and their share of the active ones in percent.
    pub party_covered: usize,
    pub party_coverage: f64,
    /// Party organizations set up in the year.
    pub party_set_up: usize,
    /// Party-building instructors' visits in the year.
    pub instructor_visits: usize,
}

fn in_year(d: NaiveDate, year: i32) -> bool {
    d.year() == year
}

impl YearFigures {
    /// The figures of `year`, from the report data and the other kinds.
    pub fn compute(store: &Store, data: &Data, year: i32) -> Result<YearFigures, StoreError> {
        let mut f = YearFigures {
            year,
            orgs_active: data.stats.figures(0).active_orgs,
            ..YearFigures::default()
        };
        let mut served: HashSet<String> = HashSet::new();

        let (totals, named) = data.log.year(year);
        served.extend(named.into_iter().map(str::to_string));
        f.activities = totals.activities;
        f.participants = totals.participants;
        f.beneficiaries = totals.beneficiaries;
        f.volunteer_hours = totals.volunteer_tenths as f64 / 10.0;

        let t = Trainings::load(store)?;
        let (events, signed, rate) = t.year_figures(year);
        f.trainings = events;
        f.training_signed_in = signed;
        f.attendance_rate = rate;
        served.extend(t.hours_by_org(year).into_keys());

        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let base = Base::load(store, end)?;
        let mut incubated: HashSet<&str> = HashSet::new();
        for (_, e) in &base.enrollments {
            let last = e.exited.unwrap_or(e.to);
            if e.from <= end && last >= start {
                incubated.insert(&e.org);
            }
            if e.stage == IncStage::Graduated && e.exited.is_some_and(|d| in_year(d, year)) {
                f.graduated += 1;
            }
        }
        f.incubated = incubated.len();
        served.extend(incubated.into_iter().map(str::to_string));
        for (_, s) in &base.services {
            if in_year(s.date, year) {
                served.insert(s.org.clone());
            }
        }

        for (_, a) in &data.ventures.apps {
            if a.steps
                .get(AppState::Approved.key())
                .is_some_and(|m| in_year(m.date, year))
            {
                f.venture_approved += 1;
                f.venture_awarded_fen += a.awarded_fen.unwrap_or(0);
                served.insert(a.org.clone());
            }
            f.venture_paid_fen += a
                .paid
                .values()
                .filter(|p| in_year(p.date, year))
                .map(|p| p.amount_fen)
                .sum::<u64>();
        }

        for (_, r) in store.all_cached(Kind::Linkage)? {
            if let Record::Linkage(l) = r {
                if l.state == LinkageState::Done && l.finished.is_some_and(|d| in_year(d, year)) {
                    f.linkages_done += 1;
                }
            }
        }
        for (_, r) in store.all(Kind::Lead)? {
            if let Record::Lead(l) = r {
                let reported = [LeadState::Reported, LeadState::Transferred]
                    .iter()
                    .any(|s| l.steps.get(s.key()).is_some_and(|m| in_year(m.date, year)));
                f.leads_reported += usize::from(reported);
            }
        }
        let (filed, registered) = super::filing::year_figures(store, year)?;
        f.filed = filed;
        f.registered = registered;
        let party = super::party::year_figures(store, year)?;
        f.party_covered = party.covered;
        f.party_coverage = party.rate;
        f.party_set_up = party.set_up;
        f.instructor_visits = party.visits;
        // Only organizations still in the register count as served.
        served.retain(|id| data.orgs.contains_key(id));
        f.orgs_served = served.len();
        Ok(f)
    }
}

impl YearFigures {
    /// The figures as (label, value) rows in `lang`: the stats table and
    /// the disclosure report's 年度工作.
    pub fn rows(&self, lang: crate::model::Lang) -> Vec<Vec<String>> {
        let t = |k: &str| crate::text::t_in(lang, &format!("year.{k}")).to_string();
        let n = |v: usize| v.to_string();
        let rate = self
            .attendance_rate
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_else(|| "—".into());
        let money = crate::model::money::format;
        vec![
            vec![t("orgs_active"), n(self.orgs_active)],
            vec![t("orgs_served"), n(self.orgs_served)],
            vec![t("filed"), n(self.filed)],
            vec![t("registered"), n(self.registered)],
            vec![t("incubated"), n(self.incubated)],
            vec![t("graduated"), n(self.graduated)],
            vec![t("trainings"), n(self.trainings)],
            vec![t("training_signed_in"), n(self.training_signed_in)],
            vec![t("attendance_rate"), rate],
            vec![t("activities"), self.activities.to_string()],
            vec![t("participants"), self.participants.to_string()],
            vec![t("beneficiaries"), self.beneficiaries.to_string()],
            vec![t("volunteer_hours"), format!("{}", self.volunteer_hours)],
            vec![t("venture_approved"), n(self.venture_approved)],
            vec![t("venture_awarded"), money(self.venture_awarded_fen)],
            vec![t("venture_paid"), money(self.venture_paid_fen)],
            vec![t("linkages_done"), n(self.linkages_done)],
            vec![t("leads_reported"), n(self.leads_reported)],
            vec![
                t("party_coverage"),
                format!("{}%（{}）", self.party_coverage, self.party_covered),
            ],
            vec![t("party_set_up"), n(self.party_set_up)],
            vec![t("instructor_visits"), n(self.instructor_visits)],
        ]
    }
}
