//! Dates as staff type them: `2026-11-03`, `2026/11/3`, `11-3`, `t`/`today`,
//! `-1` (yesterday), `+7`, `20261103`, `2026年11月3日`.

use chrono::{Datelike, Duration, NaiveDate};

/// Parses a date relative to `today`. `None` if it is not a date or does not exist.
pub fn parse(input: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = input.trim();
    let lower = s.to_lowercase();
    match lower.as_str() {
        "t" | "today" | "今天" | "今日" => return Some(today),
        "y" | "yesterday" | "昨天" => return Some(today - Duration::days(1)),
        _ => {}
    }
    if let Some(rest) = s.strip_prefix(['-', '+']) {
        if !rest.is_empty() && rest.len() <= 5 && rest.bytes().all(|b| b.is_ascii_digit()) {
            let n: i64 = rest.parse().ok()?;
            return if s.starts_with('-') {
                today.checked_sub_signed(Duration::days(n))
            } else {
                today.checked_add_signed(Duration::days(n))
            };
        }
    }
    let unified: String = s
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            '日' | '号' => ' ',
            c => c,
        })
        .collect();
    let unified = unified.trim();
    let parts: Vec<&str> = unified.split('-').collect();
    let num = |p: &str| -> Option<i64> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            p.parse().ok()
        }
    };
    match parts.as_slice() {
        [ys, m, d] => {
            let (y, m, d) = (num(ys)?, num(m)?, num(d)?);
            // `26-11-3` is 2026; `0026-11-03` is the year 26 (refused by the
            // record's date range), not a two-digit year.
            let y = if ys.len() <= 2 { 2000 + y } else { y };
            NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
        }
        [m, d] => NaiveDate::from_ymd_opt(today.year(), num(m)? as u32, num(d)? as u32),
        [compact] if compact.len() == 8 && compact.bytes().all(|b| b.is_ascii_digit()) => {
            NaiveDate::parse_from_str(compact, "%Y%m%d").ok()
        }
        _ => None,
    }
}

/// Parses a strict ISO date (`YYYY-MM-DD`), as the command line requires.
pub fn parse_iso(input: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn forms() {
        let today = d(2026, 11, 28);
        assert_eq!(parse("2026-11-03", today), Some(d(2026, 11, 3)));
        assert_eq!(parse("2026/11/3", today), Some(d(2026, 11, 3)));
        assert_eq!(parse("11-3", today), Some(d(2026, 11, 3)));
        assert_eq!(parse("t", today), Some(today));
        assert_eq!(parse("today", today), Some(today));
        assert_eq!(parse("-1", today), Some(d(2026, 11, 27)));
        assert_eq!(parse("+3", today), Some(d(2026, 12, 1)));
        assert_eq!(parse("20261103", today), Some(d(2026, 11, 3)));
        assert_eq!(parse("2026年11月3日", today), Some(d(2026, 11, 3)));
    }

    #[test]
    fn impossible_dates() {
        let today = d(2026, 11, 28);
        assert_eq!(parse("2026-02-30", today), None);
        assert_eq!(parse("13-1", today), None);
        assert_eq!(parse("abc", today), None);
        assert_eq!(parse("", today), None);
        assert_eq!(parse("26-11-3", today), Some(d(2026, 11, 3)));
        assert_eq!(parse("0000-01-01", today), NaiveDate::from_ymd_opt(0, 1, 1));
        assert_eq!(
            parse("0026-11-03", today),
            NaiveDate::from_ymd_opt(26, 11, 3)
        );
        assert_eq!(parse_iso("2026-2-30"), None);
        assert_eq!(parse_iso("2026-02-28"), Some(d(2026, 2, 28)));
    }
}
