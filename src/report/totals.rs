//! Sums of activities: count, participants, beneficiaries, volunteer hours.

use serde::Serialize;

use crate::model::Activity;

/// Sums over a set of activities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Totals {
    pub activities: u64,
    pub participants: u64,
    pub beneficiaries: u64,
    /// Volunteer hours in tenths.
    pub volunteer_tenths: u64,
}

impl Totals {
    /// Counts an activity in.
    pub fn add(&mut self, a: &Activity) {
        self.count(a.participants, a.beneficiaries, a.volunteer_tenths);
    }

    /// Counts in an activity of these counts.
    pub fn count(
        &mut self,
        participants: Option<u32>,
        beneficiaries: Option<u32>,
        volunteer_tenths: Option<u32>,
    ) {
        self.activities += 1;
        self.participants += u64::from(participants.unwrap_or(0));
        self.beneficiaries += u64::from(beneficiaries.unwrap_or(0));
        self.volunteer_tenths += u64::from(volunteer_tenths.unwrap_or(0));
    }

    /// Counts an activity out (the inverse of [`add`](Self::add)).
    pub fn sub(&mut self, a: &Activity) {
        self.activities = self.activities.saturating_sub(1);
        self.participants = self
            .participants
            .saturating_sub(u64::from(a.participants.unwrap_or(0)));
        self.beneficiaries = self
            .beneficiaries
            .saturating_sub(u64::from(a.beneficiaries.unwrap_or(0)));
        self.volunteer_tenths = self
            .volunteer_tenths
            .saturating_sub(u64::from(a.volunteer_tenths.unwrap_or(0)));
    }

    /// Volunteer hours as text (`12.5`).
    pub fn hours_text(&self) -> String {
        crate::model::activity::tenths_text(self.volunteer_tenths)
    }
}
