//! An annual inspection (年检) as typed text: the `inspection set` flags
//! and the inspection columns of a roster spreadsheet, read alike (`2024`,
//! `2024年`, `2024年度`; results by key or label).

use chrono::NaiveDate;

use super::parse::{optional, parse_date, parse_enum};
use super::{bounds, Inspection, InspectionResult, Lang, Rule, ValidationErrors};

/// An inspection as typed; dates `None` or empty are not known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectionInput {
    /// The year inspected.
    pub year: String,
    /// pass | basic | fail | absent, or a label (合格...).
    pub result: String,
    /// Date the report was submitted.
    pub submitted: Option<String>,
    /// Rectification due.
    pub rectify_due: Option<String>,
}

/// A year as rosters and staff write it: `2024`, `2024年`, `2024年度`.
pub fn parse_year(v: &str) -> Result<i32, Rule> {
    let t = v.trim().trim_end_matches('度').trim_end_matches('年');
    t.parse::<i32>()
        .ok()
        .filter(|y| bounds::year_rule(*y).is_none())
        .ok_or(Rule::Number {
            min: i64::from(bounds::YEAR_MIN),
            max: i64::from(bounds::YEAR_MAX),
        })
}

/// The year and the inspection `f` stands for, or every error with its
/// field (`year`, `result`, `submitted`, `rectify_due`).
pub fn apply(
    f: &InspectionInput,
    today: NaiveDate,
    lang: Lang,
) -> Result<(i32, Inspection), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let year = parse_year(&f.year).map_err(|r| e.push("year", r)).ok();
    let result = parse_enum::<InspectionResult>(f.result.trim(), lang)
        .map_err(|r| e.push("result", r))
        .ok();
    let mut date = |field: &str, v: &Option<String>| match v {
        Some(v) => optional(v, |v| parse_date(v, today))
            .map_err(|r| e.push(field, r))
            .ok()
            .flatten(),
        None => None,
    };
    let submitted = date("submitted", &f.submitted);
    let rectify_due = date("rectify_due", &f.rectify_due);
    match (year, result, e.is_empty()) {
        (Some(year), Some(result), true) => Ok((
            year,
            Inspection {
                result,
                submitted,
                rectify_due,
            },
        )),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn years_and_results_as_rosters_write_them() {
        for y in ["2024", " 2024年", "2024年度"] {
            assert_eq!(parse_year(y), Ok(2024), "{y}");
        }
        assert!(parse_year("24").is_err());
        let input = InspectionInput {
            year: "2025年度".into(),
            result: "pass".into(),
            submitted: Some("-1".into()),
            rectify_due: None,
        };
        let (year, i) = apply(&input, today(), Lang::Zh).unwrap();
        assert_eq!(year, 2025);
        assert_eq!(i.result, InspectionResult::Pass);
        assert_eq!(i.submitted, NaiveDate::from_ymd_opt(2026, 2, 28));
        let bad = InspectionInput {
            year: "去年".into(),
            result: "great".into(),
            submitted: Some("2-30".into()),
            rectify_due: Some(String::new()),
        };
        let e = apply(&bad, today(), Lang::Zh).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["year", "result", "submitted"]);
    }
}
