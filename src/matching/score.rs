//! Scoring one offer for one need: each part is a number from 0 to 1, the
//! score is their sum weighted by [`Weights`] (0 to the sum of the weights,
//! 100 with the defaults).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Domain, Labeled, TargetGroup, Urgency};

/// How much each part counts. Set in `config.toml` under `[matching]`;
/// any weight left out keeps its default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Shared service domains.
    pub domain: f32,
    /// Distance on the grid.
    pub distance: f32,
    /// Capacity left.
    pub capacity: f32,
    /// Target group fit.
    pub target: f32,
    /// The provider's record: completed linkages and satisfaction.
    pub record: f32,
    /// Urgency of the need against when the offer is available.
    pub timing: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            domain: 35.0,
            distance: 25.0,
            capacity: 10.0,
            target: 10.0,
            record: 10.0,
            timing: 10.0,
        }
    }
}

impl Weights {
    /// The highest score: the sum of the weights (sanitized), 100 with the
    /// defaults. Each part's maximum is its weight.
    pub fn total(&self) -> f32 {
        let w = self.sanitized();
        w.domain + w.distance + w.capacity + w.target + w.record + w.timing
    }

    /// Negative or non-finite weights count as 0.
    pub fn sanitized(self) -> Weights {
        let f = |w: f32| if w.is_finite() && w > 0.0 { w } else { 0.0 };
        Weights {
            domain: f(self.domain),
            distance: f(self.distance),
            capacity: f(self.capacity),
            target: f(self.target),
            record: f(self.record),
            timing: f(self.timing),
        }
    }
}

/// The parts of a score, each from 0 to 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Parts {
    pub domain: f32,
    pub distance: f32,
    pub capacity: f32,
    pub target: f32,
    pub record: f32,
    pub timing: f32,
}

impl Parts {
    /// The weighted sum.
    pub fn score(&self, w: &Weights) -> f32 {
        self.domain * w.domain
            + self.distance * w.distance
            + self.capacity * w.capacity
            + self.target * w.target
            + self.record * w.record
            + self.timing * w.timing
    }

    /// `(name, part, weight)` in display order; the names are the JSON keys.
    pub fn named(&self, w: &Weights) -> [(&'static str, f32, f32); 6] {
        [
            ("domain", self.domain, w.domain),
            ("distance", self.distance, w.distance),
            ("capacity", self.capacity, w.capacity),
            ("target", self.target, w.target),
            ("record", self.record, w.record),
            ("timing", self.timing, w.timing),
        ]
    }
}

/// Distance values: same grid cell (or covering the need's place), same
/// community, same township, elsewhere.
pub const SAME_PLACE: f32 = 1.0;
pub const SAME_COMMUNITY: f32 = 0.6;
pub const SAME_TOWNSHIP: f32 = 0.3;
pub const ELSEWHERE: f32 = 0.0;

/// Bit set of domains.
pub fn domain_mask(domains: &[Domain]) -> u32 {
    domains.iter().fold(0, |m, d| m | (1 << d.index()))
}

/// Bit set of target groups.
pub fn target_mask(targets: &[TargetGroup]) -> u32 {
    targets.iter().fold(0, |m, t| m | (1 << t.index()))
}

/// Share of the need's domains the offer has.
pub fn domain_part(need: u32, offer: u32) -> f32 {
    let n = need.count_ones();
    if n == 0 {
        return 0.0;
    }
    (need & offer).count_ones() as f32 / n as f32
}

/// Target fit: 1 when they share a group, 0.8 when the offer serves all
/// residents, 0.5 when either side names none, else 0.
pub fn target_part(need: u32, offer: u32) -> f32 {
    let all = 1 << TargetGroup::All.index();
    if need == 0 || offer == 0 {
        0.5
    } else if need & offer & !all != 0 || (need & all != 0 && offer & all != 0) {
        1.0
    } else if offer & all != 0 {
        0.8
    } else {
        0.0
    }
}

/// Capacity left, as a share of the capacity (1 when not limited).
pub fn capacity_part(capacity: Option<u32>, committed: u32) -> f32 {
    match capacity {
        None => 1.0,
        Some(0) => 0.0,
        Some(c) => c.saturating_sub(committed) as f32 / c as f32,
    }
}

/// The provider's record: half experience (completed linkages, 3 make 0.5),
/// half satisfaction (neutral 0.5 until rated); for an evaluated
/// organization, a third each with its latest evaluation (`grade`, the
/// total's share of the rubric's maximum).
pub fn record_part(done: u32, rated: u32, satisfaction_sum: u32, grade: Option<f32>) -> f32 {
    let experience = done as f32 / (done as f32 + 3.0);
    let satisfaction = if rated == 0 {
        0.5
    } else {
        ((satisfaction_sum as f32 / rated as f32) - 1.0).clamp(0.0, 4.0) / 4.0
    };
    match grade {
        Some(g) => (experience + satisfaction + g.clamp(0.0, 1.0)) / 3.0,
        None => 0.5 * experience + 0.5 * satisfaction,
    }
}

/// Timing: 1 when the offer is available now; when it starts later, 0 if
/// after the need's wanted-by date, else less the more urgent the need.
pub fn timing_part(
    from: Option<NaiveDate>,
    today: NaiveDate,
    urgency: Urgency,
    wanted_by: Option<NaiveDate>,
) -> f32 {
    match from {
        None => 1.0,
        Some(f) if f <= today => 1.0,
        Some(f) if wanted_by.is_some_and(|w| f > w) => 0.0,
        Some(_) => match urgency {
            Urgency::Low => 0.8,
            Urgency::Normal => 0.6,
            Urgency::High => 0.3,
            Urgency::Urgent => 0.0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn domain_share() {
        let need = domain_mask(&[Domain::Elderly, Domain::Health]);
        assert_eq!(domain_part(need, domain_mask(&[Domain::Elderly])), 0.5);
        assert_eq!(domain_part(need, need), 1.0);
        assert_eq!(domain_part(need, domain_mask(&[Domain::Sports])), 0.0);
        assert_eq!(domain_part(0, need), 0.0);
    }

    #[test]
    fn target_fit() {
        let elderly = target_mask(&[TargetGroup::Elderly]);
        let children = target_mask(&[TargetGroup::Children]);
        let all = target_mask(&[TargetGroup::All]);
        assert_eq!(target_part(elderly, elderly | children), 1.0);
        assert_eq!(target_part(elderly, all), 0.8);
        assert_eq!(target_part(elderly, children), 0.0);
        assert_eq!(target_part(0, children), 0.5);
        assert_eq!(target_part(all, all), 1.0);
    }

    #[test]
    fn capacity_share() {
        assert_eq!(capacity_part(None, 5), 1.0);
        assert_eq!(capacity_part(Some(10), 5), 0.5);
        assert_eq!(capacity_part(Some(10), 12), 0.0);
        assert_eq!(capacity_part(Some(0), 0), 0.0);
    }

    #[test]
    fn record_grows_with_experience_and_satisfaction() {
        let none = record_part(0, 0, 0, None);
        assert_eq!(none, 0.25);
        let some = record_part(3, 3, 15, None);
        assert!((some - 0.75).abs() < 1e-6, "{some}");
        assert!(record_part(3, 3, 3, None) < record_part(3, 0, 0, None));
        // A well-evaluated organization ranks above a poorly evaluated one
        // with the same linkages.
        assert!(record_part(3, 3, 15, Some(0.9)) > record_part(3, 3, 15, Some(0.4)));
        assert!(record_part(0, 0, 0, Some(1.0)) > none);
    }

    #[test]
    fn timing_by_urgency() {
        let today = d(11, 28);
        assert_eq!(timing_part(None, today, Urgency::Urgent, None), 1.0);
        assert_eq!(
            timing_part(Some(d(11, 1)), today, Urgency::Urgent, None),
            1.0
        );
        let later = Some(d(12, 10));
        assert_eq!(timing_part(later, today, Urgency::Low, None), 0.8);
        assert_eq!(timing_part(later, today, Urgency::Urgent, None), 0.0);
        assert_eq!(timing_part(later, today, Urgency::Low, Some(d(12, 1))), 0.0);
    }

    #[test]
    fn weights_sum_to_100_and_sanitize() {
        let w = Weights::default();
        let all = Parts {
            domain: 1.0,
            distance: 1.0,
            capacity: 1.0,
            target: 1.0,
            record: 1.0,
            timing: 1.0,
        };
        assert!((all.score(&w) - 100.0).abs() < 1e-4);
        assert!((w.total() - 100.0).abs() < 1e-4);
        let bad = Weights {
            domain: -1.0,
            distance: f32::NAN,
            ..w
        }
        .sanitized();
        assert_eq!((bad.domain, bad.distance), (0.0, 0.0));
        let parsed: Weights = toml::from_str("domain = 50\n").unwrap();
        assert_eq!(parsed.domain, 50.0);
        assert_eq!(parsed.distance, 25.0);
        assert!(toml::from_str::<Weights>("domian = 1\n").is_err());
    }
}
