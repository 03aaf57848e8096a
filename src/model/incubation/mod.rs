//! The incubation base and 双孵化 ([6/6], DB 3301/T 0346-2021): spaces
//! with their seats, enrollments of organizations (入壳 -> 孵化 -> 出壳, one
//! step at a time, goals met with their dates, party status at entry and
//! at exit), and the services given. A seat never holds two enrollments
//! whose dates overlap: the store checks it ([`occupied`]).

mod enrollment;
mod space;

pub use enrollment::{Enrollment, Goal, IncStage};
pub use space::{Cohort, Service, ServiceKind, Space, SpaceKind};

use chrono::NaiveDate;

/// Seats of a space taken on some day of `from..=to` by `others` (each
/// `(seats, from, until)`), at the busiest day: enrollments overlapping
/// the period all count, as a seat is held for a whole enrollment.
pub fn occupied(from: NaiveDate, to: NaiveDate, others: &[(u32, NaiveDate, NaiveDate)]) -> u32 {
    // The busiest day is the start of one of the overlapping periods (or
    // `from`): count at each.
    let overlapping: Vec<&(u32, NaiveDate, NaiveDate)> = others
        .iter()
        .filter(|(_, a, b)| *a <= to && *b >= from)
        .collect();
    let mut days: Vec<NaiveDate> = overlapping.iter().map(|(_, a, _)| (*a).max(from)).collect();
    days.push(from);
    days.into_iter()
        .map(|d| {
            overlapping
                .iter()
                .filter(|(_, a, b)| *a <= d && *b >= d)
                .map(|(n, _, _)| *n)
                .sum::<u32>()
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn seats_are_counted_on_the_busiest_day_of_the_period() {
        let others = [
            (1, d("2026-01-01"), d("2026-03-31")),
            (1, d("2026-04-01"), d("2026-06-30")),
            (2, d("2026-06-01"), d("2026-12-31")),
        ];
        assert_eq!(occupied(d("2026-02-01"), d("2026-02-28"), &others), 1);
        // Two back to back never overlap.
        assert_eq!(occupied(d("2026-03-15"), d("2026-04-15"), &others), 1);
        assert_eq!(occupied(d("2026-06-15"), d("2026-06-20"), &others), 3);
        assert_eq!(occupied(d("2027-01-01"), d("2027-12-31"), &others), 0);
    }
}
