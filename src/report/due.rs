//! What is due: annual inspections (年检/年报), rectifications, ratings
//! (等级评估) expiring or expired, and organizations eligible for rating.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

use crate::model::{InspectionResult, Organization, RegState};

/// The annual inspection of year Y is due by this month and day of year Y+1.
pub const INSPECTION_DEADLINE: (u32, u32) = (5, 31);
/// A rating expiring within this many days is listed.
pub const EXPIRY_WINDOW_DAYS: u64 = 90;
/// Full years of registration before an organization may be rated.
pub const RATING_AFTER_YEARS: u32 = 2;

/// One thing due for one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Due {
    /// Last year's inspection is not in yet; the deadline has not passed.
    InspectionDue { year: i32, deadline: NaiveDate },
    /// Last year's inspection is not in and the deadline has passed.
    InspectionOverdue { year: i32, deadline: NaiveDate },
    /// A 基本合格/不合格 conclusion whose rectification date has passed.
    RectificationOverdue { year: i32, due: NaiveDate },
    /// The rating expires within 90 days.
    RatingExpiring { level: String, expires: NaiveDate },
    /// The rating has expired.
    RatingExpired { level: String, expires: NaiveDate },
    /// Registered two full years and not (or no longer) rated.
    RatingEligible,
}

impl Due {
    /// The key used in JSON and text tables.
    pub fn key(&self) -> &'static str {
        match self {
            Due::InspectionDue { .. } => "inspection_due",
            Due::InspectionOverdue { .. } => "inspection_overdue",
            Due::RectificationOverdue { .. } => "rectification_overdue",
            Due::RatingExpiring { .. } => "rating_expiring",
            Due::RatingExpired { .. } => "rating_expired",
            Due::RatingEligible => "rating_eligible",
        }
    }

    /// The date it concerns, if any (for sorting and display).
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Due::InspectionDue { deadline, .. } | Due::InspectionOverdue { deadline, .. } => {
                Some(*deadline)
            }
            Due::RectificationOverdue { due, .. } => Some(*due),
            Due::RatingExpiring { expires, .. } | Due::RatingExpired { expires, .. } => {
                Some(*expires)
            }
            Due::RatingEligible => None,
        }
    }
}

/// Everything due for one organization on `today`.
pub fn due(org: &Organization, today: NaiveDate) -> Vec<Due> {
    let mut out = Vec::new();
    if org.state != RegState::Registered {
        return out;
    }
    let year = today.year() - 1;
    let existed = org.founded.is_none_or(|f| f.year() <= year);
    let deadline =
        NaiveDate::from_ymd_opt(today.year(), INSPECTION_DEADLINE.0, INSPECTION_DEADLINE.1)
            .unwrap_or(today);
    let submitted = org
        .inspections
        .get(&year)
        .is_some_and(|i| i.result != InspectionResult::Absent);
    if existed && !submitted {
        out.push(if today > deadline {
            Due::InspectionOverdue { year, deadline }
        } else {
            Due::InspectionDue { year, deadline }
        });
    }
    if let Some((y, i)) = org.latest_inspection() {
        if matches!(i.result, InspectionResult::Basic | InspectionResult::Fail) {
            if let Some(d) = i.rectify_due {
                if d < today {
                    out.push(Due::RectificationOverdue { year: y, due: d });
                }
            }
        }
    }
    let mut rated = false;
    if let Some(r) = &org.rating {
        // The level is written out only when something is due.
        let level = || r.level.to_string();
        match r.expires {
            Some(e) if e < today => out.push(Due::RatingExpired {
                level: level(),
                expires: e,
            }),
            Some(e) if e <= today + Days::new(EXPIRY_WINDOW_DAYS) => {
                rated = true;
                out.push(Due::RatingExpiring {
                    level: level(),
                    expires: e,
                });
            }
            _ => rated = true,
        }
    }
    let two_years = today.checked_sub_months(Months::new(12 * RATING_AFTER_YEARS));
    let old_enough = match (org.founded, two_years) {
        (Some(f), Some(limit)) => f <= limit,
        _ => false,
    };
    if !rated && old_enough {
        out.push(Due::RatingEligible);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Inspection, OrgType, Rating, RatingLevel};

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn registered(founded: NaiveDate) -> Organization {
        let mut o = Organization::new("甲", OrgType::SocialGroup);
        o.state = RegState::Registered;
        o.founded = Some(founded);
        o
    }

    #[test]
    fn inspection_due_then_overdue() {
        let o = registered(d(2020, 1, 1));
        let keys = |today| due(&o, today).iter().map(Due::key).collect::<Vec<_>>();
        assert_eq!(keys(d(2026, 3, 1)), ["inspection_due", "rating_eligible"]);
        assert_eq!(
            keys(d(2026, 6, 1)),
            ["inspection_overdue", "rating_eligible"]
        );
        let mut o2 = o.clone();
        o2.inspections.insert(
            2025,
            Inspection {
                result: InspectionResult::Basic,
                submitted: Some(d(2026, 4, 1)),
                rectify_due: Some(d(2026, 7, 1)),
            },
        );
        o2.rating = Some(Rating {
            level: RatingLevel::A3,
            expires: Some(d(2026, 9, 1)),
        });
        let k: Vec<_> = due(&o2, d(2026, 8, 1)).iter().map(Due::key).collect();
        assert_eq!(k, ["rectification_overdue", "rating_expiring"]);
        let k: Vec<_> = due(&o2, d(2026, 9, 2)).iter().map(Due::key).collect();
        assert_eq!(
            k,
            ["rectification_overdue", "rating_expired", "rating_eligible"]
        );
    }

    #[test]
    fn young_or_filed_organizations_owe_nothing() {
        // Founded this year: no inspection for last year, not eligible.
        let o = registered(d(2026, 2, 1));
        assert!(due(&o, d(2026, 8, 1)).is_empty());
        // Registered 2024-08-02: two full years on 2026-08-02.
        let o = registered(d(2024, 8, 2));
        assert!(!due(&o, d(2026, 8, 1)).contains(&Due::RatingEligible));
        assert!(due(&o, d(2026, 8, 2)).contains(&Due::RatingEligible));
        let mut f = registered(d(2010, 1, 1));
        f.state = RegState::Filed;
        assert!(due(&f, d(2026, 8, 1)).is_empty());
    }
}
