//! Reports: the dashboard figures kept incrementally ([`Stats`]), the
//! activities indexed by month ([`ActivityLog`]), what is due ([`due`]),
//! the monthly publicity bulletin ([`Bulletin`]) and the evaluation rubric
//! in force ([`load_rubric`]).

pub mod bulletin;
pub mod center;
pub mod disclosure;
pub mod document;
pub mod due;
pub mod filing;
pub mod incubation;
pub mod log;
pub mod party;
pub mod stats;
pub mod totals;
pub mod training;
pub mod venture;
pub mod year;

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

pub use bulletin::Bulletin;
pub use due::Due;
pub use log::{ActivityLog, Filter, Slot};
pub use stats::{community_map, Figures, Stats};
pub use totals::Totals;

use crate::model::{Evaluation, Kind, Organization, Place, Record, Rubric, RubricError};
use crate::store::{Store, StoreError};
use crate::tr;

/// File name of a rubric in the configuration directory that replaces the
/// shipped one.
pub const RUBRIC_FILE: &str = "rubric.toml";

/// The rubric in force: `rubric.toml` in `config_dir` if there is one, else
/// the shipped rubric. A file that does not add up is an error naming the
/// file and the problem (in the user's language).
pub fn load_rubric(config_dir: Option<&Path>) -> Result<Rubric, String> {
    let Some(dir) = config_dir else {
        return Ok(Rubric::shipped());
    };
    let path = dir.join(RUBRIC_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Rubric::from_toml(&text).map_err(|e| refused(&path, &text, &e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Rubric::shipped()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// A rubric file refused: its path and line, and the problem.
fn refused(path: &Path, text: &str, e: &RubricError) -> String {
    let file = match e.line_in(text) {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    };
    tr!(
        "activity.rubric.refused",
        file = file,
        problem = rubric_error_text(e)
    )
}

/// Folder of named rubrics in the configuration directory: each
/// `KEY.toml` adds a rubric, or replaces the shipped one of that key.
pub const RUBRICS_DIR: &str = "rubrics";

/// Every rubric by key: the shipped ones (the performance rubric first,
/// replaced by `rubric.toml` when there is one), then those of the
/// configuration's `rubrics/` folder, which replace a shipped one of the
/// same key. A file that does not add up is refused, naming it and the
/// line.
pub fn load_rubrics(config_dir: Option<&Path>) -> Result<Vec<(String, Rubric)>, String> {
    use crate::model::rubric::{PERFORMANCE, SHIPPED_ALL};
    let mut out = Vec::new();
    for (key, text) in SHIPPED_ALL {
        let r = if *key == PERFORMANCE {
            load_rubric(config_dir)?
        } else {
            Rubric::from_toml(text).map_err(|e| rubric_error_text(&e))?
        };
        out.push((key.to_string(), r));
    }
    let Some(dir) = config_dir.map(|d| d.join(RUBRICS_DIR)) else {
        return Ok(out);
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(out);
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for path in files {
        let Some(key) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let bytes = crate::files::read_input(&path, 1 << 20)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let r = Rubric::from_toml(&text).map_err(|e| refused(&path, &text, &e))?;
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = r,
            None => out.push((key, r)),
        }
    }
    Ok(out)
}

/// The rubric of `key` (`None`: the performance rubric), or why not.
pub fn rubric_named(config_dir: Option<&Path>, key: Option<&str>) -> Result<Rubric, String> {
    let Some(key) = key else {
        return load_rubric(config_dir);
    };
    let all = load_rubrics(config_dir)?;
    let keys: Vec<&str> = all.iter().map(|(k, _)| k.as_str()).collect();
    let known = keys.join(", ");
    all.iter()
        .find(|(k, _)| k == key)
        .map(|(_, r)| r.clone())
        .ok_or_else(|| tr!("activity.rubric.unknown", key = key, known = known))
}

/// Why a rubric is refused, in the user's language.
pub fn rubric_error_text(e: &RubricError) -> String {
    match e {
        RubricError::Toml(m) => tr!("activity.rubric.toml", message = m),
        RubricError::NoDimensions => tr!("activity.rubric.no_dimensions"),
        RubricError::NoIndicators(d) => tr!("activity.rubric.no_indicators", dimension = d),
        RubricError::DimensionSum {
            dimension,
            max,
            sum,
        } => tr!(
            "activity.rubric.dimension_sum",
            dimension = dimension,
            max = max,
            sum = sum
        ),
        RubricError::IndicatorSum {
            indicator,
            max,
            sum,
        } => tr!(
            "activity.rubric.indicator_sum",
            indicator = indicator,
            max = max,
            sum = sum
        ),
        RubricError::TooDeep(k) => tr!("activity.rubric.too_deep", key = k),
        RubricError::ZeroMax(k) => tr!("activity.rubric.zero_max", key = k),
        RubricError::DuplicateKey(k) => tr!("activity.rubric.duplicate_key", key = k),
        RubricError::NoBands => tr!("activity.rubric.no_bands"),
        RubricError::BandsFromZero(m) => tr!("activity.rubric.bands_from_zero", min = m),
        RubricError::BandAboveTotal { band, min, total } => tr!(
            "activity.rubric.band_above_total",
            band = band,
            min = min,
            total = total
        ),
        RubricError::DuplicateBandMin(m) => tr!("activity.rubric.duplicate_band_min", min = m),
    }
}

/// Everything the reports read, loaded from a store once.
pub struct Data {
    pub places: Vec<Place>,
    pub orgs: HashMap<String, Organization>,
    pub log: ActivityLog,
    pub evaluations: Vec<(String, Evaluation)>,
    pub stats: Stats,
    /// 公益创投 rounds and projects, with their activities' figures.
    pub ventures: venture::Ventures,
}

/// The community of an activity: its place's, else its first organization's.
pub fn activity_community(
    a: &crate::model::Activity,
    orgs: &HashMap<String, Organization>,
    community_of: &HashMap<String, String>,
) -> Option<String> {
    a.grid
        .as_deref()
        .or_else(|| {
            a.orgs
                .iter()
                .find_map(|id| orgs.get(id).and_then(|o| o.grid.as_deref()))
        })
        .and_then(|g| community_of.get(g))
        .cloned()
}

type Records = Vec<(String, Record)>;

/// Every organization, activity and evaluation, through the cache beside
/// the database (`Store::all_cached`). Two files to decode: the activities
/// and evaluations on a second thread while this one decodes the
/// organizations.
fn read_all(store: &Store) -> Result<(Records, Records, Records), StoreError> {
    std::thread::scope(|s| {
        let others = s.spawn(|| {
            Ok::<_, StoreError>((
                store.all_cached(Kind::Activity)?,
                store.all_cached(Kind::Evaluation)?,
            ))
        });
        let orgs = store.all_cached(Kind::Org);
        let others = others
            .join()
            .unwrap_or_else(|_| Err(StoreError::Storage("reader thread failed".into())));
        let (activities, evaluations) = others?;
        Ok::<_, StoreError>((orgs?, activities, evaluations))
    })
}

/// The places and the figures for `today`, as [`Data::load`] computes them,
/// without keeping the records: for the dashboard, which shows figures
/// only. Reads each record once and builds neither the activity log nor a
/// map of organizations (at district scale about half the peak memory of
/// `Data::load`).
pub fn figures_only(
    store: &Store,
    today: NaiveDate,
    rubric: &Rubric,
) -> Result<(Vec<Place>, Stats), StoreError> {
    let places = store.places()?;
    let (orgs, activities, evaluations) = read_all(store)?;
    let stats = Stats::build(
        today,
        &places,
        orgs.iter().filter_map(|(id, r)| match r {
            Record::Org(o) => Some((id.as_str(), o)),
            _ => None,
        }),
        activities.iter().filter_map(|(_, r)| match r {
            Record::Activity(a) => Some(a),
            _ => None,
        }),
        evaluations.iter().filter_map(|(id, r)| match r {
            Record::Evaluation(e) => Some((id.as_str(), e)),
            _ => None,
        }),
        rubric,
    );
    Ok((places, stats))
}

impl Data {
    /// Reads places, organizations, activities and evaluations from `store`
    /// and computes the figures for `today`. The records come through the
    /// cache beside the database (`Store::all_cached`).
    /// [`load`](Self::load), kept by a store that keeps things in memory
    /// (the server) until the next commit: every client's `stats`, `due`,
    /// reports and evaluations pane read it once.
    pub fn shared(
        store: &Store,
        today: NaiveDate,
        rubric: &Rubric,
    ) -> Result<std::sync::Arc<Data>, StoreError> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        serde_json::to_string(rubric)
            .unwrap_or_default()
            .hash(&mut h);
        let key = format!("report-data:{today}:{:x}", h.finish());
        store.memo(&key, || Data::load(store, today, rubric))
    }

    pub fn load(store: &Store, today: NaiveDate, rubric: &Rubric) -> Result<Data, StoreError> {
        let places = store.places()?;
        let (orgs, activities, evaluations) = read_all(store)?;
        let orgs: HashMap<String, Organization> = orgs
            .into_iter()
            .filter_map(|(id, r)| match r {
                Record::Org(o) => Some((id, o)),
                _ => None,
            })
            .collect();
        let community_of = community_map(&places);
        let mut slots = Vec::with_capacity(activities.len());
        for (id, r) in activities {
            if let Record::Activity(a) = r {
                let community = activity_community(&a, &orgs, &community_of);
                slots.push(Slot {
                    id,
                    activity: a,
                    community,
                });
            }
        }
        let evaluations: Vec<(String, Evaluation)> = evaluations
            .into_iter()
            .filter_map(|(id, r)| match r {
                Record::Evaluation(e) => Some((id, e)),
                _ => None,
            })
            .collect();
        let stats = Stats::build(
            today,
            &places,
            orgs.iter().map(|(id, o)| (id.as_str(), o)),
            slots.iter().map(|s| &s.activity),
            evaluations.iter().map(|(id, e)| (id.as_str(), e)),
            rubric,
        );
        let mut ventures = venture::Ventures::load(store)?;
        for s in &slots {
            ventures.add_activity(&s.activity);
        }
        let log = ActivityLog::build(slots);
        Ok(Data {
            places,
            orgs,
            log,
            evaluations,
            stats,
            ventures,
        })
    }
}

/// The latest evaluations' shares for the providers' record in matching
/// (`matching::evaluation_grades`), read from the store with the rubric in force; none when the user's rubric does not
/// load (its error is reported where rubrics are used).
pub fn provider_grades(store: &crate::store::Store) -> std::collections::HashMap<String, f32> {
    let Ok(rubric) = load_rubric(crate::config::config_dir().as_deref()) else {
        return std::collections::HashMap::new();
    };
    let Ok(all) = store.all_cached(crate::model::Kind::Evaluation) else {
        return std::collections::HashMap::new();
    };
    let evaluations: Vec<(String, crate::model::Evaluation)> = all
        .into_iter()
        .filter_map(|(id, r)| match r {
            crate::model::Record::Evaluation(e) => Some((id, e)),
            _ => None,
        })
        .collect();
    crate::matching::evaluation_grades(&evaluations, &rubric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dashboard's figures are those of the reports.
    #[test]
    fn figures_only_are_the_figures_of_data_load() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        crate::demo::load(&store, crate::demo::fixture_records().unwrap()).unwrap();
        crate::demo::load_activities(&store).unwrap();
        let today = crate::demo::REFERENCE_DATE;
        let rubric = Rubric::shipped();
        let data = Data::load(&store, today, &rubric).unwrap();
        let (places, stats) = figures_only(&store, today, &rubric).unwrap();
        assert_eq!(places, data.places);
        assert_eq!(stats.figures(12), data.stats.figures(12));
        assert_eq!(stats.due_list(), data.stats.due_list());
        assert!(stats.figures(12).activities.activities >= 1_000);
    }
}
