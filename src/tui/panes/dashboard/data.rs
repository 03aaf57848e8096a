//! What the dashboard asks of the store, and the worker's side of it: the
//! figures of [`crate::report::Stats`] plus what the linkage records say,
//! computed once per load on the worker thread, never while drawing.

use chrono::NaiveDate;

use crate::model::rubric::Band;
use crate::model::{Kind, Record};
use crate::report::{Due, Figures};
use crate::store::{Store, StoreError};
use crate::tui::panes::activities::data::short_name;

/// Months shown in the chart.
pub const MONTHS: usize = 12;

/// Names of organizations with an inspection due kept for the pane.
pub const NAMES_KEPT: usize = 20;

/// A request of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DashRequest {
    /// Compute the figures for `today`.
    Load { today: NaiveDate },
}

/// An answer to a [`DashRequest`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum DashResponse {
    Loaded(Box<Dash>),
    /// Reading failed, or the rubric in force is unusable.
    Failed(String),
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Dash {
    /// The report figures (as `sanshe stats`).
    pub figures: Figures,
    /// Communities `(name, organizations)`, most organizations first;
    /// `None` is organizations without a place.
    pub communities: Vec<(Option<String>, usize)>,
    /// Of each of `communities`, in the same order: active organizations
    /// and those covered by party building (`report::party`).
    pub party: Vec<(usize, usize)>,
    /// Filings waiting for the committee or the street (`report::filing`).
    pub filings_waiting: usize,
    /// Needs waiting for a linkage (待对接需求, as pane 2 counts them:
    /// [`crate::matching::waiting_count`]).
    pub needs_open: usize,
    /// Linkages proposed, accepted or in progress.
    pub linkages_active: usize,
    /// Names (without city and district) of organizations whose inspection
    /// is due or overdue, in the order of `sanshe due` (at most
    /// [`NAMES_KEPT`]).
    pub inspection_names: Vec<String>,
    /// The grade bands of the rubric in force, highest first.
    pub bands: Vec<Band>,
    /// The newest 公益创投 round's figures, if there is a round.
    pub venture: Option<VentureFigures>,
    /// The incubation base today (seats, taken, planned exits due).
    pub base: crate::report::incubation::Occupancy,
}

/// The newest venture round as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VentureFigures {
    pub title: String,
    pub applications: usize,
    pub approved: usize,
    pub awarded_fen: u64,
    pub paid_fen: u64,
    /// Reports, tranches and follow-ups due or late (every round).
    pub due: usize,
}

/// Answers one request (on the worker thread).
pub fn serve(store: &Store, r: DashRequest) -> DashResponse {
    match r {
        DashRequest::Load { today } => {
            let rubric = match crate::report::load_rubric(crate::config::config_dir().as_deref()) {
                Ok(r) => r,
                Err(e) => return DashResponse::Failed(e),
            };
            match load(store, today, &rubric) {
                Ok(d) => DashResponse::Loaded(Box::new(d)),
                Err(e) => DashResponse::Failed(e.message()),
            }
        }
    }
}

/// Computes the dashboard for `today` with `rubric`.
pub fn load(
    store: &Store,
    today: NaiveDate,
    rubric: &crate::model::Rubric,
) -> Result<Dash, StoreError> {
    let (places, stats) = crate::report::figures_only(store, today, rubric)?;
    let figures = stats.figures(MONTHS);
    let place_name = |code: &str| {
        places
            .iter()
            .find(|p| p.code == code)
            .map_or_else(|| code.to_string(), |p| p.name.clone())
    };
    let mut communities: Vec<(Option<String>, usize)> = figures
        .by_community
        .iter()
        .map(|(c, n)| ((!c.is_empty()).then(|| place_name(c)), *n))
        .collect();
    communities.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let party = communities
        .iter()
        .map(|(name, _)| {
            figures
                .party_by_community
                .iter()
                .find(|(c, _)| match name {
                    Some(n) => !c.is_empty() && place_name(c) == *n,
                    None => c.is_empty(),
                })
                .map_or((0, 0), |(_, p)| *p)
        })
        .collect();
    let filings_waiting = crate::report::filing::Filings::load(store)?
        .waiting(today)
        .len();
    let inspection_names = stats
        .due_list()
        .into_iter()
        .filter(|(_, d)| matches!(d, Due::InspectionDue { .. } | Due::InspectionOverdue { .. }))
        .take(NAMES_KEPT)
        .map(|(id, _)| match store.org(id) {
            Ok(Some(o)) => short_name(&o.name).to_string(),
            _ => id.to_string(),
        })
        .collect();
    let needs = store.all(Kind::Need)?;
    let needs_open = crate::matching::waiting_count(needs.iter().filter_map(|(_, r)| match r {
        Record::Need(n) => Some(n),
        _ => None,
    }));
    let linkages_active = store
        .all(Kind::Linkage)?
        .into_iter()
        .filter(|(_, r)| matches!(r, Record::Linkage(l) if !l.state.is_final()))
        .count();
    let v = crate::report::venture::Ventures::load(store)?;
    let venture = v.rounds.first().map(|(id, r)| {
        let t = v.totals(id);
        VentureFigures {
            title: r.title.clone(),
            applications: t.applications,
            approved: t.approved,
            awarded_fen: t.awarded_fen,
            paid_fen: t.paid_fen,
            due: v.due(today).len(),
        }
    });
    Ok(Dash {
        figures,
        communities,
        party,
        filings_waiting,
        needs_open,
        linkages_active,
        inspection_names,
        bands: rubric.bands.clone(),
        venture,
        base: crate::report::incubation::Base::load(store, today)?.occupancy(),
    })
}
