//! The evaluation rubric (绩效评价指标): dimensions, indicators with their
//! maximum points, and grade bands. Read from TOML (`fixtures/rubric.toml`
//! is shipped and embedded); a rubric that does not add up is refused.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::Lang;

/// The shipped rubric.
pub const SHIPPED: &str = include_str!("../../fixtures/rubric.toml");

/// The key of the performance rubric of function 6 (the default).
pub const PERFORMANCE: &str = "performance";

/// The rubrics shipped with sanshe, by key: the performance rubric first
/// (the default), then those of venture-philanthropy rounds.
pub const SHIPPED_ALL: &[(&str, &str)] = &[
    (PERFORMANCE, SHIPPED),
    (
        "venture-review",
        include_str!("../../fixtures/rubrics/venture-review.toml"),
    ),
    (
        "venture-midterm",
        include_str!("../../fixtures/rubrics/venture-midterm.toml"),
    ),
    (
        "venture-final",
        include_str!("../../fixtures/rubrics/venture-final.toml"),
    ),
    (
        INCUBATION_EXIT,
        include_str!("../../fixtures/rubrics/incubation-exit.toml"),
    ),
];

/// The key of the rubric an incubated organization is assessed on when it
/// leaves the base.
pub const INCUBATION_EXIT: &str = "incubation-exit";

/// One indicator: points are scored from 0 to `max`. An indicator may be
/// divided into finer ones (`[[dimension.indicator.indicator]]`, down to
/// [`MAX_LEVELS`] levels counting the dimension, as rating indicator sets
/// are), whose maxima add up to its own: then only the finest are scored
/// and it is their sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub max: u32,
    #[serde(rename = "indicator", default)]
    pub parts: Vec<Indicator>,
    /// Scored from the organization's training: this many hours signed in
    /// during the evaluation's year earn the maximum, fewer their share
    /// (`training_hours = 16` in the rubric file). Points typed by hand win.
    // No `skip_serializing_if`: rubrics travel to the app in bincode,
    // which needs every field.
    #[serde(default)]
    pub training_hours: Option<u32>,
}

/// Levels a rubric may have: dimension, indicator and two finer levels.
pub const MAX_LEVELS: usize = 4;

/// One dimension (维度) of the rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub max: u32,
    #[serde(rename = "indicator", default)]
    pub indicators: Vec<Indicator>,
}

/// A grade (等级) and the lowest total that reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub min: u32,
}

/// A checked rubric: dimensions in order, bands from the highest down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    /// Its name (the performance rubric's file has none: its default).
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(rename = "dimension")]
    pub dimensions: Vec<Dimension>,
    #[serde(rename = "band")]
    pub bands: Vec<Band>,
}

/// Why a rubric is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RubricError {
    #[error("not valid TOML: {0}")]
    Toml(String),
    #[error("no dimensions")]
    NoDimensions,
    #[error("dimension {0} has no indicators")]
    NoIndicators(String),
    #[error("dimension {dimension}: max {max} but its indicators add up to {sum}")]
    DimensionSum {
        dimension: String,
        max: u32,
        sum: u32,
    },
    #[error("indicator {indicator}: max {max} but its parts add up to {sum}")]
    IndicatorSum {
        indicator: String,
        max: u32,
        sum: u32,
    },
    #[error("indicator {0} is more than four levels deep")]
    TooDeep(String),
    #[error("indicator {0} has a maximum of 0")]
    ZeroMax(String),
    #[error("key {0} is used twice")]
    DuplicateKey(String),
    #[error("no grade bands")]
    NoBands,
    #[error("the lowest band starts at {0}, not 0")]
    BandsFromZero(u32),
    #[error("band {band} starts at {min}, above the total {total}")]
    BandAboveTotal { band: String, min: u32, total: u32 },
    #[error("two bands start at {0}")]
    DuplicateBandMin(u32),
}

impl RubricError {
    /// The line of `text` (1-based) where the part this error names is
    /// given (`key = "..."`), when it names one.
    pub fn line_in(&self, text: &str) -> Option<usize> {
        let key = match self {
            RubricError::NoIndicators(k)
            | RubricError::ZeroMax(k)
            | RubricError::DuplicateKey(k)
            | RubricError::TooDeep(k) => k,
            RubricError::IndicatorSum { indicator, .. } => indicator,
            RubricError::DimensionSum { dimension, .. } => dimension,
            RubricError::BandAboveTotal { band, .. } => band,
            _ => return None,
        };
        let wanted = format!("\"{key}\"");
        let lines: Vec<&str> = text.lines().collect();
        // The last mention for a key used twice: where it is used again.
        let mut found = lines.iter().enumerate().filter(|(_, l)| {
            let l = l.trim_start();
            l.starts_with("key") && l.contains(&wanted)
        });
        match self {
            RubricError::DuplicateKey(_) => found.next_back(),
            _ => found.next(),
        }
        .map(|(i, _)| i + 1)
    }
}

/// A localised name: the English one when asked and present.
fn pick<'a>(zh: &'a str, en: &'a Option<String>, lang: Lang) -> &'a str {
    match (lang, en) {
        (Lang::En, Some(e)) => e,
        _ => zh,
    }
}

impl Indicator {
    pub fn label(&self, lang: Lang) -> &str {
        pick(&self.name, &self.name_en, lang)
    }

    /// The points (tenths) `hours_tenths` of training earn on an indicator
    /// scored from training hours; `None` for other indicators.
    pub fn points_for_hours(&self, hours_tenths: u32) -> Option<u32> {
        let full = self.training_hours.filter(|h| *h > 0)?;
        let max = u64::from(self.max) * 10;
        // max × hours / full, hours in tenths: tenths of points, rounded down.
        let earned = max * u64::from(hours_tenths) / (u64::from(full) * 10);
        Some(earned.min(max) as u32)
    }
}

impl Dimension {
    pub fn label(&self, lang: Lang) -> &str {
        pick(&self.name, &self.name_en, lang)
    }

    /// The indicators of this dimension that are scored, in order.
    pub fn scored(&self) -> impl Iterator<Item = &Indicator> {
        let mut out = Vec::new();
        for i in &self.indicators {
            i.leaves(&mut out);
        }
        out.into_iter()
    }
}

impl Indicator {
    /// This indicator if it is scored, else its finest parts, in order.
    fn leaves<'a>(&'a self, out: &mut Vec<&'a Indicator>) {
        if self.parts.is_empty() {
            out.push(self);
        } else {
            for p in &self.parts {
                p.leaves(out);
            }
        }
    }
}

/// Checks an indicator at `level` (2 for a dimension's own) and its parts:
/// keys used once, maxima above 0, parts adding up, at most four levels.
fn check_indicator<'a>(
    i: &'a Indicator,
    level: usize,
    keys: &mut HashSet<&'a str>,
) -> Result<(), RubricError> {
    if level > MAX_LEVELS {
        return Err(RubricError::TooDeep(i.key.clone()));
    }
    if !keys.insert(i.key.as_str()) {
        return Err(RubricError::DuplicateKey(i.key.clone()));
    }
    if i.max == 0 {
        return Err(RubricError::ZeroMax(i.key.clone()));
    }
    if i.parts.is_empty() {
        return Ok(());
    }
    let mut sum = 0u32;
    for p in &i.parts {
        check_indicator(p, level + 1, keys)?;
        sum = sum.saturating_add(p.max);
    }
    if sum != i.max {
        return Err(RubricError::IndicatorSum {
            indicator: i.key.clone(),
            max: i.max,
            sum,
        });
    }
    Ok(())
}

impl Band {
    pub fn label(&self, lang: Lang) -> &str {
        pick(&self.name, &self.name_en, lang)
    }
}

impl Rubric {
    /// Parses and checks a rubric.
    pub fn from_toml(text: &str) -> Result<Rubric, RubricError> {
        let mut r: Rubric = toml::from_str(text).map_err(|e| RubricError::Toml(e.to_string()))?;
        r.check()?;
        r.bands.sort_by_key(|b| std::cmp::Reverse(b.min));
        Ok(r)
    }

    /// The shipped rubric (tested to be valid).
    pub fn shipped() -> Rubric {
        // The embedded file is checked by a unit test; should it ever be
        // broken, an empty rubric (no dimensions) is safer than a panic.
        Rubric::from_toml(SHIPPED).unwrap_or(Rubric {
            name: None,
            name_en: None,
            dimensions: Vec::new(),
            bands: Vec::new(),
        })
    }

    fn check(&self) -> Result<(), RubricError> {
        if self.dimensions.is_empty() {
            return Err(RubricError::NoDimensions);
        }
        let mut keys = HashSet::new();
        for d in &self.dimensions {
            if !keys.insert(d.key.as_str()) {
                return Err(RubricError::DuplicateKey(d.key.clone()));
            }
            if d.indicators.is_empty() {
                return Err(RubricError::NoIndicators(d.key.clone()));
            }
            let mut sum = 0u32;
            for i in &d.indicators {
                check_indicator(i, 2, &mut keys)?;
                sum = sum.saturating_add(i.max);
            }
            if sum != d.max {
                return Err(RubricError::DimensionSum {
                    dimension: d.key.clone(),
                    max: d.max,
                    sum,
                });
            }
        }
        if self.bands.is_empty() {
            return Err(RubricError::NoBands);
        }
        let total = self.total();
        let mut mins = HashSet::new();
        let mut band_keys = HashSet::new();
        for b in &self.bands {
            if !band_keys.insert(b.key.as_str()) {
                return Err(RubricError::DuplicateKey(b.key.clone()));
            }
            if !mins.insert(b.min) {
                return Err(RubricError::DuplicateBandMin(b.min));
            }
            if b.min > total {
                return Err(RubricError::BandAboveTotal {
                    band: b.key.clone(),
                    min: b.min,
                    total,
                });
            }
        }
        let lowest = self.bands.iter().map(|b| b.min).min().unwrap_or(0);
        if lowest != 0 {
            return Err(RubricError::BandsFromZero(lowest));
        }
        Ok(())
    }

    /// The highest possible total, in points.
    /// Its name in `lang`; `None` when the file gives none.
    pub fn label(&self, lang: Lang) -> Option<&str> {
        self.name.as_deref().map(|n| pick(n, &self.name_en, lang))
    }

    pub fn total(&self) -> u32 {
        self.dimensions.iter().map(|d| d.max).sum()
    }

    /// An indicator that is scored (one not divided into finer ones) and
    /// the dimension it belongs to.
    pub fn indicator(&self, key: &str) -> Option<(&Dimension, &Indicator)> {
        self.dimensions
            .iter()
            .find_map(|d| d.scored().find(|i| i.key == key).map(|i| (d, i)))
    }

    /// Every indicator that is scored, in order (the finest of each).
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.dimensions.iter().flat_map(|d| d.scored())
    }

    /// The band a total (in tenths of a point) falls in.
    pub fn grade(&self, total_tenths: u32) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| total_tenths >= b.min.saturating_mul(10))
    }

    /// The position of a band from the best (0) down, for sorting.
    pub fn band_rank(&self, key: &str) -> usize {
        self.bands
            .iter()
            .position(|b| b.key == key)
            .unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicators_nest_to_four_levels_and_only_the_finest_are_scored() {
        let text = "name = \"等级评估\"\n\
            [[dimension]]\nkey = \"basic\"\nname = \"基础条件\"\nmax = 40\n\
            [[dimension.indicator]]\nkey = \"legal\"\nname = \"法人资格\"\nmax = 30\n\
            [[dimension.indicator.indicator]]\nkey = \"cert\"\nname = \"登记证书\"\nmax = 10\n\
            [[dimension.indicator.indicator]]\nkey = \"charter\"\nname = \"章程\"\nmax = 20\n\
            [[dimension.indicator.indicator.indicator]]\nkey = \"charter_ok\"\nname = \"章程核准\"\nmax = 12\n\
            [[dimension.indicator.indicator.indicator]]\nkey = \"charter_kept\"\nname = \"按章程办事\"\nmax = 8\n\
            [[dimension.indicator]]\nkey = \"office\"\nname = \"办公场所\"\nmax = 10\n\
            [[band]]\nkey = \"ok\"\nname = \"合格\"\nmin = 0\n";
        let r = Rubric::from_toml(text).unwrap();
        let scored: Vec<&str> = r.indicators().map(|i| i.key.as_str()).collect();
        assert_eq!(scored, ["cert", "charter_ok", "charter_kept", "office"]);
        assert!(r.indicator("charter").is_none(), "divided: not scored");
        assert_eq!(r.indicator("charter_kept").unwrap().0.key, "basic");
        // Parts that do not add up: refused naming the indicator and its line.
        let bad = text.replace("max = 8\n", "max = 9\n");
        let e = Rubric::from_toml(&bad).unwrap_err();
        assert!(
            matches!(e, RubricError::IndicatorSum { ref indicator, max: 20, sum: 21 } if indicator == "charter"),
            "{e}"
        );
        assert_eq!(
            e.line_in(&bad),
            Some(bad.lines().position(|l| l.contains("\"charter\"")).unwrap() + 1)
        );
        // A fifth level is refused.
        let deep = text.replace(
            "[[dimension.indicator]]\nkey = \"office\"\nname = \"办公场所\"\nmax = 10\n",
            "[[dimension.indicator]]\nkey = \"office\"\nname = \"办公场所\"\nmax = 10\n\
             [[dimension.indicator.indicator]]\nkey = \"o1\"\nname = \"a\"\nmax = 10\n\
             [[dimension.indicator.indicator.indicator]]\nkey = \"o2\"\nname = \"b\"\nmax = 10\n\
             [[dimension.indicator.indicator.indicator.indicator]]\nkey = \"o3\"\nname = \"c\"\nmax = 10\n",
        );
        assert_eq!(
            Rubric::from_toml(&deep).unwrap_err(),
            RubricError::TooDeep("o3".into())
        );
    }

    #[test]
    fn every_shipped_rubric_adds_up() {
        for (key, text) in SHIPPED_ALL {
            let r = Rubric::from_toml(text).unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(r.total(), 100, "{key}");
        }
    }

    #[test]
    fn a_refusal_names_the_line_of_the_part() {
        let text = SHIPPED.replacen("max = 25", "max = 26", 1);
        let e = Rubric::from_toml(&text).unwrap_err();
        let line = e.line_in(&text).expect("a line");
        assert!(
            text.lines().nth(line - 1).unwrap().contains("professional"),
            "{line}"
        );
    }

    const SMALL: &str = r#"
[[dimension]]
key = "a"
name = "甲"
max = 10
[[dimension.indicator]]
key = "a1"
name = "甲一"
max = 6
[[dimension.indicator]]
key = "a2"
name = "甲二"
max = 4
[[band]]
key = "good"
name = "好"
min = 6
[[band]]
key = "bad"
name = "差"
min = 0
"#;

    #[test]
    fn shipped_rubric_is_valid_with_four_dimensions() {
        let r = Rubric::from_toml(SHIPPED).unwrap();
        let names: Vec<&str> = r.dimensions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["专业水平", "服务效率", "管理规范", "社会经济效益"]);
        assert_eq!(r.total(), 100);
        let bands: Vec<&str> = r.bands.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(bands, ["优秀", "良好", "合格", "不合格"]);
        assert_eq!(Rubric::shipped(), r);
    }

    #[test]
    fn grades_by_threshold() {
        let r = Rubric::shipped();
        assert_eq!(r.grade(1000).unwrap().key, "excellent");
        assert_eq!(r.grade(900).unwrap().key, "excellent");
        assert_eq!(r.grade(899).unwrap().key, "good");
        assert_eq!(r.grade(750).unwrap().key, "good");
        assert_eq!(r.grade(600).unwrap().key, "pass");
        assert_eq!(r.grade(599).unwrap().key, "fail");
        assert_eq!(r.grade(0).unwrap().key, "fail");
        assert_eq!(r.indicator("finance").unwrap().0.key, "management");
        assert!(r.indicator("nope").is_none());
    }

    #[test]
    fn refuses_rubrics_that_do_not_add_up() {
        assert!(Rubric::from_toml(SMALL).is_ok());
        let e = Rubric::from_toml(&SMALL.replace("max = 4", "max = 5")).unwrap_err();
        assert_eq!(
            e,
            RubricError::DimensionSum {
                dimension: "a".into(),
                max: 10,
                sum: 11
            }
        );
        let e = Rubric::from_toml(&SMALL.replace("key = \"a2\"", "key = \"a1\"")).unwrap_err();
        assert_eq!(e, RubricError::DuplicateKey("a1".into()));
        let e = Rubric::from_toml(&SMALL.replace("min = 0", "min = 2")).unwrap_err();
        assert_eq!(e, RubricError::BandsFromZero(2));
        let e = Rubric::from_toml(&SMALL.replace("min = 6", "min = 11")).unwrap_err();
        assert!(
            matches!(e, RubricError::BandAboveTotal { min: 11, .. }),
            "{e}"
        );
        let e = Rubric::from_toml(&SMALL.replace("min = 6", "min = 0")).unwrap_err();
        assert_eq!(e, RubricError::DuplicateBandMin(0));
        assert!(matches!(
            Rubric::from_toml("x = ").unwrap_err(),
            RubricError::Toml(_)
        ));
        assert_eq!(
            Rubric::from_toml("band = []\ndimension = []").unwrap_err(),
            RubricError::NoDimensions
        );
    }
}
