//! Cells of a roster as they come, made into what the `org add` flags
//! accept: empty markers (无, 暂无, —, -, /, 空) are no value, a date typed
//! as an Excel serial number is a date, a bare number in a 万元 (or 元)
//! column gets its unit, ratings written `AAA` are `3A`, a validity period
//! (`2019-06-10 至 2024-06-09`) is two dates. The words rosters use for
//! types, states, 直接登记 and yes/no are read by `model::org_input`, so
//! the flags accept them too.

use chrono::NaiveDate;

use crate::model::money::Unit;

/// Cells that mean "no value".
const EMPTY: &[&str] = &[
    "无", "暂无", "—", "——", "-", "--", "－", "/", "／", "空", "null", "n/a", "未填", "不详",
];

/// Fields whose 无 / 否 means "no" rather than "no value".
const YES_NO: &[&str] = &["party", "deregistered", "direct_registration"];

/// Whether a cell (trimmed) is an empty marker.
pub fn is_empty_marker(v: &str) -> bool {
    let t = v.trim();
    EMPTY.iter().any(|m| m.eq_ignore_ascii_case(t))
}

/// Fields that hold a date.
fn is_date(field: &str) -> bool {
    matches!(
        field,
        "founded"
            | "rating_expires"
            | "incubation_start"
            | "incubation_end"
            | "valid_from"
            | "valid_until"
    )
}

/// An Excel date serial number (days since 1899-12-30, 1900 leap bug
/// included) from 1927 to 2173, as `YYYY-MM-DD`: a date column whose cells
/// are formatted as numbers.
fn excel_serial(v: &str) -> Option<String> {
    if v.len() != 5 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = v.parse().ok()?;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let d = base.checked_add_days(chrono::Days::new(n))?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// `AAA`, `3A级`, `AAAAA级` -> `3A`, `5A`.
fn rating(v: &str) -> String {
    let t = v.trim().trim_end_matches('级').to_uppercase();
    if !t.is_empty() && t.len() <= 5 && t.bytes().all(|b| b == b'A') {
        format!("{}A", t.len())
    } else {
        t
    }
}

/// A cell of `field` as the flag takes it; `None` for no value. `unit`
/// is the unit the column's header names (capital).
pub fn normalise(field: &str, raw: &str, unit: Option<Unit>) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() || (is_empty_marker(v) && !YES_NO.contains(&field)) {
        return None;
    }
    if is_date(field) {
        if let Some(d) = excel_serial(v) {
            return Some(d);
        }
    }
    Some(match field {
        "capital" => {
            let bare = v.ends_with(|c: char| c.is_ascii_digit());
            match (bare, unit) {
                (true, Some(Unit::Yuan)) => format!("{v}元"),
                (true, _) => format!("{v}万元"),
                _ => v.to_string(),
            }
        }
        "rating" if matches!(v, "未评估" | "未参评" | "无等级") => return None,
        "rating" => rating(v),
        _ => v.to_string(),
    })
}

/// A validity period as two dates: `A 至 B`, `A-B`, `A～B`, `A到B`, each
/// date in any form a date cell takes. `None` if it is not two dates.
pub fn period(v: &str) -> Option<(String, String)> {
    let v = v.trim();
    let any = NaiveDate::from_ymd_opt(2000, 1, 1)?;
    let date = |s: &str| crate::model::date::parse(s.trim(), any).filter(|_| !s.trim().is_empty());
    for (i, c) in v.char_indices() {
        if !matches!(c, '至' | '～' | '~' | '到' | '—' | '-' | '－') {
            continue;
        }
        let (a, b) = (&v[..i], &v[i + c.len_utf8()..]);
        // Relative forms (`-1`, `11-3`) are no part of a period.
        let full = |s: &str| s.trim().chars().filter(|c| c.is_ascii_digit()).count() >= 6;
        if let (true, true, Some(a), Some(b)) = (full(a), full(b), date(a), date(b)) {
            return Some((a.to_string(), b.to_string()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_markers_are_no_value() {
        for m in ["无", "暂无", "—", "-", "/", "空", " 无 ", "——"] {
            assert_eq!(normalise("address", m, None), None, "{m}");
        }
        assert_eq!(normalise("party", "无", None), Some("无".into()));
        assert_eq!(
            normalise("address", "文三路1号", None),
            Some("文三路1号".into())
        );
    }

    #[test]
    fn dates_units_and_ratings() {
        assert_eq!(
            normalise("founded", "43626", None),
            Some("2019-06-10".into())
        );
        assert_eq!(
            normalise("founded", "20190610", None),
            Some("20190610".into())
        );
        assert_eq!(normalise("members", "43626", None), Some("43626".into()));
        assert_eq!(
            normalise("capital", "10.5", Some(Unit::Wan)),
            Some("10.5万元".into())
        );
        assert_eq!(normalise("capital", "3", None), Some("3万元".into()));
        assert_eq!(
            normalise("capital", "500", Some(Unit::Yuan)),
            Some("500元".into())
        );
        assert_eq!(
            normalise("capital", "10万元", Some(Unit::Yuan)),
            Some("10万元".into())
        );
        assert_eq!(normalise("rating", "AAA", None), Some("3A".into()));
        assert_eq!(normalise("rating", "4A级", None), Some("4A".into()));
        assert_eq!(normalise("rating", "未评估", None), None);
    }

    #[test]
    fn periods_split_in_two() {
        let p = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        let want = p("2019-06-10", "2024-06-09");
        assert_eq!(period("2019-06-10 至 2024-06-09"), want);
        assert_eq!(period("2019-06-10-2024-06-09"), want);
        assert_eq!(period("2019/6/10～2024/6/9"), want);
        assert_eq!(period("2019年6月10日至2024年6月9日"), want);
        assert_eq!(period("20190610-20240609"), want);
        assert_eq!(period("2019.6.10-2024.6.9"), want);
        assert_eq!(period("2019-06-10"), None);
        assert_eq!(period("长期"), None);
    }
}
