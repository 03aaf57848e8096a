//! Activities (活动) that organizations hold: what the center keeps statistics of.

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::{bounds, Domain, Kind, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Kind of activity.
    #[derive(Default)]
    pub enum ActivityKind {
        #[default]
        Service = ("service", "服务活动", "Service"),
        Training = ("training", "培训", "Training"),
        Meeting = ("meeting", "会议", "Meeting"),
        CultureSports = ("culture-sports", "文体活动", "Culture/sports event"),
        Volunteer = ("volunteer", "志愿服务", "Volunteer action"),
        Publicity = ("publicity", "宣传", "Publicity"),
        PartyBuilding = ("party-building", "党建活动", "Party building"),
        Other = ("other", "其他", "Other"),
    }
}

/// The tag that marks a brand project (品牌项目) on organizations and activities.
pub const BRAND_TAG: &str = "品牌项目";
/// Limits on activity text (see [`bounds::text_limit`]).
pub const TITLE_MAX: usize = bounds::NAME_MAX;
pub const SUMMARY_MAX: usize = bounds::NOTES_MAX;
/// Upper bound for participant and beneficiary counts.
pub const PEOPLE_MAX: u32 = 1_000_000;
/// Upper bound for volunteer hours, in tenths of an hour (100,000 hours).
pub const TENTHS_MAX: u32 = 1_000_000;

/// An activity. Only `orgs` (at least one), `date` and `title` are required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Ids of the organizations that held it (a set).
    pub orgs: Vec<String>,
    pub date: NaiveDate,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub title: String,
    pub kind: ActivityKind,
    pub domain: Option<Domain>,
    /// Code of the grid cell or community where it took place.
    pub grid: Option<String>,
    /// Free-text venue.
    pub venue: Option<String>,
    pub participants: Option<u32>,
    pub beneficiaries: Option<u32>,
    /// Volunteer hours in tenths of an hour (12.5 h = 125).
    pub volunteer_tenths: Option<u32>,
    /// Ids of linked needs (a set; from the linkage records, optional).
    pub needs: Vec<String>,
    /// Ids of linked linkages (a set).
    pub linkages: Vec<String>,
    pub summary: Option<String>,
    /// May be published in bulletins.
    pub publishable: bool,
    pub tags: Vec<String>,
    /// Id of the venture project (创投项目) it belongs to, if any: the
    /// project's figures come from its activities.
    pub project: Option<String>,
}

fn clean(opt: &mut Option<String>) {
    if let Some(s) = opt {
        let t = s.trim();
        if t.is_empty() {
            *opt = None;
        } else if t.len() != s.len() {
            *opt = Some(t.to_string());
        }
    }
}

fn clean_set(v: &mut Vec<String>) {
    for s in v.iter_mut() {
        *s = s.trim().to_string();
    }
    v.retain(|s| !s.is_empty());
    v.sort();
    v.dedup();
}

/// A month as a sortable number: `2026-11` is 202611.
pub fn month_key(d: NaiveDate) -> u32 {
    d.year().max(0) as u32 * 100 + d.month()
}

/// Parses `YYYY-MM` into a month key; `None` for a month that does not exist.
pub fn parse_month(s: &str) -> Option<u32> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || !(1..=2).contains(&m.len()) {
        return None;
    }
    let y: u32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (1..=12).contains(&m).then_some(y * 100 + m)
}

/// `202611` as `2026-11`.
pub fn month_text(key: u32) -> String {
    format!("{:04}-{:02}", key / 100, key % 100)
}

/// The month before a month key.
pub fn prev_month(key: u32) -> u32 {
    if key % 100 <= 1 {
        (key / 100 - 1) * 100 + 12
    } else {
        key - 1
    }
}

/// The month after a month key (`202612` -> `202701`).
pub fn next_month(key: u32) -> u32 {
    if key % 100 >= 12 {
        (key / 100 + 1) * 100 + 1
    } else {
        key + 1
    }
}

/// Hours in tenths parsed from `12.5`, `3`, `0.5`; `None` if not such a number.
pub fn parse_tenths(s: &str) -> Option<u32> {
    let s = s.trim();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 1 || int.len() > 7 {
        return None;
    }
    let i: u32 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: u32 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some(i * 10 + f)
}

/// Tenths as text: 125 -> `12.5`, 30 -> `3`.
pub fn tenths_text(t: u64) -> String {
    if t.is_multiple_of(10) {
        format!("{}", t / 10)
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}

impl Activity {
    /// A new activity of one organization with only the required fields.
    pub fn new(org: impl Into<String>, date: NaiveDate, title: impl Into<String>) -> Self {
        Activity {
            orgs: vec![org.into()],
            date,
            start: None,
            end: None,
            title: title.into(),
            kind: ActivityKind::default(),
            domain: None,
            grid: None,
            venue: None,
            participants: None,
            beneficiaries: None,
            volunteer_tenths: None,
            needs: Vec::new(),
            linkages: Vec::new(),
            summary: None,
            publishable: false,
            tags: Vec::new(),
            project: None,
        }
    }

    /// The month key of its date.
    pub fn month(&self) -> u32 {
        month_key(self.date)
    }

    /// Trims text, normalises the place code, orders sets.
    pub fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        clean(&mut self.grid);
        clean(&mut self.venue);
        clean(&mut self.summary);
        clean(&mut self.project);
        bounds::unix_lines(&mut self.summary);
        if let Some(g) = &self.grid {
            self.grid = Some(super::place::normalize_code(g));
        }
        clean_set(&mut self.orgs);
        clean_set(&mut self.needs);
        clean_set(&mut self.linkages);
        clean_set(&mut self.tags);
    }

    /// Checks every field; returns every error found.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Activity;
        if self.orgs.is_empty() {
            e.push("orgs", Rule::Required);
        }
        super::need::check_title(&mut e, k, "title", &self.title);
        for (field, set) in [
            ("orgs", &self.orgs),
            ("needs", &self.needs),
            ("linkages", &self.linkages),
            ("tags", &self.tags),
        ] {
            bounds::texts(&mut e, k, field, set.iter());
        }
        bounds::opt_text(&mut e, k, "venue", &self.venue);
        bounds::opt_text(&mut e, k, "grid", &self.grid);
        bounds::opt_text(&mut e, k, "summary", &self.summary);
        bounds::opt_date(&mut e, "date", Some(self.date));
        if let (Some(s), Some(end)) = (self.start, self.end) {
            if end < s {
                e.push("end", Rule::DateOrder);
            }
        }
        for (field, v) in [
            ("participants", self.participants),
            ("beneficiaries", self.beneficiaries),
        ] {
            if v.is_some_and(|n| n > PEOPLE_MAX) {
                e.push(
                    field,
                    Rule::Number {
                        min: 0,
                        max: PEOPLE_MAX as i64,
                    },
                );
            }
        }
        if self.volunteer_tenths.is_some_and(|t| t > TENTHS_MAX) {
            e.push(
                "hours",
                Rule::Number {
                    min: 0,
                    max: (TENTHS_MAX / 10) as i64,
                },
            );
        }
        e.into_result()
    }

    /// True when the activity is a brand project (tag 品牌项目).
    pub fn is_brand(&self) -> bool {
        self.tags.iter().any(|t| t == BRAND_TAG)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn minimal_activity_is_valid_and_requires_org_and_title() {
        let a = Activity::new("k-1", d(2026, 11, 3), "重阳敬老");
        assert!(a.validate().is_ok());
        let mut b = Activity::new(" ", d(2026, 11, 3), " ");
        b.normalize();
        let e = b.validate().unwrap_err();
        assert_eq!(e.for_field("orgs").unwrap().rule, Rule::Required);
        assert_eq!(e.for_field("title").unwrap().rule, Rule::Required);
    }

    #[test]
    fn times_must_be_in_order_and_counts_bounded() {
        let mut a = Activity::new("k-1", d(2026, 11, 3), "讲座");
        a.start = NaiveTime::from_hms_opt(15, 0, 0);
        a.end = NaiveTime::from_hms_opt(14, 0, 0);
        a.participants = Some(PEOPLE_MAX + 1);
        let e = a.validate().unwrap_err();
        assert_eq!(e.for_field("end").unwrap().rule, Rule::DateOrder);
        assert!(e.for_field("participants").is_some());
    }

    #[test]
    fn normalize_orders_sets_and_codes() {
        let mut a = Activity::new("k-2", d(2026, 1, 1), " 义诊 ");
        a.orgs.push("k-1".into());
        a.orgs.push("k-2".into());
        a.grid = Some(" bsj-01 ".into());
        a.tags = vec![BRAND_TAG.into(), "".into()];
        a.normalize();
        assert_eq!(a.orgs, vec!["k-1".to_string(), "k-2".to_string()]);
        assert_eq!(a.title, "义诊");
        assert_eq!(a.grid.as_deref(), Some("BSJ-01"));
        assert!(a.is_brand());
    }

    #[test]
    fn months_and_tenths() {
        assert_eq!(month_key(d(2026, 11, 30)), 202611);
        assert_eq!(parse_month("2026-11"), Some(202611));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("26-1"), None);
        assert_eq!(month_text(202601), "2026-01");
        assert_eq!(prev_month(202601), 202512);
        assert_eq!(next_month(202612), 202701);
        assert_eq!(next_month(202611), 202612);
        assert_eq!(prev_month(next_month(202612)), 202612);
        assert_eq!(prev_month(202611), 202610);
        assert_eq!(parse_tenths("12.5"), Some(125));
        assert_eq!(parse_tenths("3"), Some(30));
        assert_eq!(parse_tenths(".5"), Some(5));
        assert_eq!(parse_tenths("1.25"), None);
        assert_eq!(parse_tenths("-1"), None);
        assert_eq!(parse_tenths(""), None);
        assert_eq!(tenths_text(125), "12.5");
        assert_eq!(tenths_text(30), "3");
    }
}
