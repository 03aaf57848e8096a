//! Several reviewers scoring one thing ([5/6]: a venture application, a
//! mid-term or final review, an organization's evaluation): one score sheet
//! each, aggregated as the round or rubric says. Points are in tenths
//! (half points allowed); a reviewer who recuses is kept but not counted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One reviewer's sheet: points per indicator key, in tenths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub reviewer: String,
    pub scores: BTreeMap<String, u32>,
    /// A conflict of interest: the sheet is kept, not counted.
    pub recused: bool,
}

impl Sheet {
    /// The sheet's total, in tenths.
    pub fn total(&self) -> u32 {
        self.scores.values().sum()
    }
}

crate::labeled_enum! {
    /// How the sheets of one thing make its result: the mean of the counted
    /// sheets, or (`trimmed`) the mean without the highest and the lowest
    /// sheet when five or more are counted (else the mean): one generous or
    /// harsh reviewer does not decide.
    #[derive(Default)]
    pub enum Aggregate {
        #[default]
        Mean = ("mean", "平均分", "Mean"),
        Trimmed = ("trimmed", "去掉最高分和最低分", "Mean without highest and lowest"),
    }
}

/// Sheets needed before the highest and lowest are left out.
pub const TRIM_FROM: usize = 5;

/// The result of `sheets` in tenths (rounded half up), or `None` before any
/// counted sheet.
pub fn result(sheets: &[Sheet], how: Aggregate) -> Option<u32> {
    aggregate(
        sheets
            .iter()
            .filter(|s| !s.recused)
            .map(Sheet::total)
            .collect(),
        how,
    )
}

/// [`result`] from the totals of the counted sheets, in tenths.
pub fn aggregate(mut totals: Vec<u32>, how: Aggregate) -> Option<u32> {
    if totals.is_empty() {
        return None;
    }
    totals.sort_unstable();
    let counted: &[u32] = if how == Aggregate::Trimmed && totals.len() >= TRIM_FROM {
        &totals[1..totals.len() - 1]
    } else {
        &totals
    };
    let sum: u64 = counted.iter().map(|&t| u64::from(t)).sum();
    let n = counted.len() as u64;
    // Round half up, in integers (no float ever decides a ranking).
    Some(((2 * sum + n) / (2 * n)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Labeled;

    fn sheet(reviewer: &str, total: u32, recused: bool) -> Sheet {
        Sheet {
            reviewer: reviewer.into(),
            scores: BTreeMap::from([
                ("a".to_string(), total / 2),
                ("b".to_string(), total - total / 2),
            ]),
            recused,
        }
    }

    #[test]
    fn the_mean_counts_every_sheet_but_the_recused() {
        let s = [
            sheet("甲", 800, false),
            sheet("乙", 900, false),
            sheet("丙", 100, true),
        ];
        assert_eq!(s[0].total(), 800);
        assert_eq!(result(&s, Aggregate::Mean), Some(850));
        assert_eq!(result(&[], Aggregate::Mean), None);
        assert_eq!(result(&[sheet("丙", 100, true)], Aggregate::Mean), None);
    }

    #[test]
    fn trimmed_leaves_out_the_highest_and_lowest_from_five_sheets() {
        let four = [
            sheet("甲", 600, false),
            sheet("乙", 700, false),
            sheet("丙", 800, false),
            sheet("丁", 990, false),
        ];
        // Fewer than five: the mean.
        assert_eq!(result(&four, Aggregate::Trimmed), Some(773));
        let mut five = four.to_vec();
        five.push(sheet("戊", 750, false));
        // Without 600 and 990: (700 + 750 + 800) / 3 = 750.
        assert_eq!(result(&five, Aggregate::Trimmed), Some(750));
        // A recused sixth changes nothing.
        five.push(sheet("己", 0, true));
        assert_eq!(result(&five, Aggregate::Trimmed), Some(750));
        // Ties at the ends: one of each is left out.
        let tied: Vec<Sheet> = [700, 700, 800, 900, 900]
            .iter()
            .enumerate()
            .map(|(i, &t)| sheet(&i.to_string(), t, false))
            .collect();
        assert_eq!(result(&tied, Aggregate::Trimmed), Some(800));
    }

    #[test]
    fn half_tenths_round_up_and_names_parse() {
        // (851 + 852) / 2 = 851.5 -> 852.
        let s = [sheet("甲", 851, false), sheet("乙", 852, false)];
        assert_eq!(result(&s, Aggregate::Mean), Some(852));
        assert_eq!(Aggregate::parse("trimmed"), Some(Aggregate::Trimmed));
        assert_eq!(Aggregate::parse("平均分"), Some(Aggregate::Mean));
        assert_eq!(Aggregate::parse("median"), None);
        assert_eq!(Aggregate::Trimmed.key(), "trimmed");
    }
}
