//! The incubation base as staff read it: spaces, enrollments and services
//! read once, with the seats taken on a day, each organization's current
//! enrollment, planned exits due, and the figures of the dashboard and the
//! disclosure report.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use crate::model::incubation::{Enrollment, Service, Space, SpaceKind};
use crate::model::{Kind, Record};
use crate::store::{Store, StoreError};

/// Planned exits within this many days are due.
pub const EXIT_WINDOW_DAYS: u64 = 30;

/// Every space, enrollment and service, on a day.
#[derive(Debug, Clone, Default)]
pub struct Base {
    pub today: NaiveDate,
    /// By code.
    pub spaces: Vec<(String, Space)>,
    /// Newest first.
    pub enrollments: Vec<(String, Enrollment)>,
    pub services: Vec<(String, Service)>,
    org_names: HashMap<String, String>,
}

/// The base's figures on a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Occupancy {
    /// Seats of desks and offices.
    pub seats: u32,
    pub taken: u32,
    /// Organizations in the base now.
    pub incubating: usize,
    /// Graduated (出壳) in the year of the day.
    pub graduated_this_year: usize,
    /// Planned exits within 30 days or past.
    pub exits_due: usize,
}

impl Base {
    pub fn load(store: &Store, today: NaiveDate) -> Result<Base, StoreError> {
        let mut b = Base {
            today,
            ..Base::default()
        };
        for (id, r) in store.all_cached(Kind::Space)? {
            if let Record::Space(s) = r {
                b.spaces.push((id, s));
            }
        }
        for (id, r) in store.all_cached(Kind::Enrollment)? {
            if let Record::Enrollment(e) = r {
                b.enrollments.push((id, e));
            }
        }
        for (id, r) in store.all_cached(Kind::Service)? {
            if let Record::Service(s) = r {
                b.services.push((id, s));
            }
        }
        if !b.enrollments.is_empty() || !b.services.is_empty() {
            b.org_names = store.names(Kind::Org)?.into_iter().collect();
        }
        b.spaces.sort_by(|a, c| a.1.code.cmp(&c.1.code));
        b.enrollments
            .sort_by(|a, c| c.1.from.cmp(&a.1.from).then_with(|| a.0.cmp(&c.0)));
        b.services
            .sort_by(|a, c| c.1.date.cmp(&a.1.date).then_with(|| a.0.cmp(&c.0)));
        Ok(b)
    }

    pub fn org_name(&self, id: &str) -> &str {
        self.org_names.get(id).map_or("", String::as_str)
    }

    pub fn space(&self, id: &str) -> Option<&Space> {
        self.spaces.iter().find(|(i, _)| i == id).map(|(_, s)| s)
    }

    /// Seats of space `id` taken today.
    pub fn taken(&self, id: &str) -> u32 {
        self.enrollments
            .iter()
            .filter(|(_, e)| e.space == id && e.holds_seats())
            .filter(|(_, e)| e.from <= self.today && e.until() >= self.today)
            .map(|(_, e)| e.seats)
            .sum()
    }

    /// The enrollment an organization is in the base with today, if any.
    pub fn current_of(&self, org: &str) -> Option<&str> {
        self.enrollments
            .iter()
            .find(|(_, e)| e.org == org && !e.stage.is_out() && e.from <= self.today)
            .map(|(id, _)| id.as_str())
    }

    /// The services of an enrollment, newest first.
    pub fn services_of(&self, enrollment: &str) -> Vec<&(String, Service)> {
        self.services
            .iter()
            .filter(|(_, s)| s.enrollment.as_deref() == Some(enrollment))
            .collect()
    }

    /// Enrollments whose planned exit is within 30 days or past, still in
    /// the base, soonest first.
    pub fn exits_due(&self) -> Vec<&(String, Enrollment)> {
        let soon = self
            .today
            .checked_add_days(Days::new(EXIT_WINDOW_DAYS))
            .unwrap_or(self.today);
        let mut v: Vec<&(String, Enrollment)> = self
            .enrollments
            .iter()
            .filter(|(_, e)| e.holds_seats() && !e.stage.is_out() && e.to <= soon)
            .collect();
        v.sort_by_key(|(_, e)| e.to);
        v
    }

    pub fn occupancy(&self) -> Occupancy {
        use chrono::Datelike;
        let year = self.today.year();
        // Desks and offices: meeting and activity rooms are shared by the hour.
        let kept = |s: &Space| matches!(s.kind, SpaceKind::Desk | SpaceKind::Office);
        Occupancy {
            seats: self
                .spaces
                .iter()
                .filter(|(_, s)| kept(s))
                .map(|(_, s)| s.seats)
                .sum(),
            taken: self
                .spaces
                .iter()
                .filter(|(_, s)| kept(s))
                .map(|(id, _)| self.taken(id))
                .sum(),
            incubating: self
                .enrollments
                .iter()
                .filter(|(_, e)| !e.stage.is_out() && e.holds_seats() && e.from <= self.today)
                .count(),
            graduated_this_year: self
                .enrollments
                .iter()
                .filter(|(_, e)| {
                    e.stage == crate::model::incubation::IncStage::Graduated
                        && e.exited.is_some_and(|d| d.year() == year)
                })
                .count(),
            exits_due: self.exits_due().len(),
        }
    }
}
