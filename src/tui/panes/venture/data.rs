//! What the 创投 pane asks of the store, and the worker's side of it:
//! every round with its projects as staff read them (score, reviews,
//! tranches, visits, KPIs, what is due), the rubrics the review sheets
//! use, and running a command (a sheet, a step, a payment, a visit).
//! Everything derived comes from `report::venture`, as for the command
//! line.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::venture::{AppState, Application, Stage};
use crate::model::{Labeled, Rubric};
use crate::report::venture::{DueItem, Figures, TrancheRow, Ventures};
use crate::store::{Command, Store, StoreError};

/// A request of the venture pane.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum VentureRequest {
    /// Every round and project, on `today` (for what is due).
    Load { today: NaiveDate },
    /// Save a sheet, a step, a payment or a visit.
    Execute(Box<Command>),
}

/// An answer to a [`VentureRequest`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum VentureResponse {
    Loaded(Box<VentureData>),
    /// A command was run: the record's id, or why not.
    Executed {
        cmd: Box<Command>,
        result: Result<String, StoreError>,
    },
    /// Reading failed (or a rubric in use is unusable).
    Failed(String),
}

/// One round.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoundRow {
    pub id: String,
    pub title: String,
    pub year: i32,
    pub budget_fen: u64,
    pub cap_fen: u64,
    pub applications: usize,
    pub approved: usize,
    pub awarded_fen: u64,
    pub paid_fen: u64,
}

/// One reviewer's sheet as the pane shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SheetRow {
    pub id: String,
    pub stage: Stage,
    pub reviewer: String,
    pub total: u32,
    pub recused: bool,
    pub record: crate::model::venture::ReviewSheet,
}

/// One visit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VisitRow {
    pub id: String,
    pub date: NaiveDate,
    pub kind: String,
    pub findings: String,
    pub follow_up: Option<NaiveDate>,
    pub closed: bool,
}

/// One project with what is derived from it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AppRow {
    pub id: String,
    pub org_name: String,
    /// The project as stored (a step or a payment changes it).
    pub record: Application,
    /// Aggregated score of the review, tenths.
    pub total: Option<u32>,
    pub midterm: Option<u32>,
    pub final_total: Option<u32>,
    /// Proposed award from the round's ranking, fen.
    pub proposed: Option<u64>,
    pub sheets: Vec<SheetRow>,
    pub tranches: Vec<TrancheRowData>,
    pub visits: Vec<VisitRow>,
    /// KPIs: name, target, reached.
    pub kpis: Vec<(String, u32, Option<u64>)>,
    pub activities: u32,
    pub participants: u64,
    pub beneficiaries: u64,
    pub hours_tenths: u64,
}

/// A tranche, serialisable.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TrancheRowData {
    pub seq: u32,
    pub percent: u32,
    pub amount_fen: u64,
    pub condition: String,
    pub paid: Option<NaiveDate>,
    pub payable: bool,
}

impl From<TrancheRow> for TrancheRowData {
    fn from(t: TrancheRow) -> Self {
        TrancheRowData {
            seq: t.seq,
            percent: t.percent,
            amount_fen: t.amount_fen,
            condition: t.condition.key().to_string(),
            paid: t.paid,
            payable: t.payable,
        }
    }
}

/// One thing due.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DueRow {
    pub app: String,
    pub title: String,
    pub org_name: String,
    pub what: String,
    pub date: Option<NaiveDate>,
    pub late: bool,
}

/// Everything the pane shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct VentureData {
    /// Newest year first.
    pub rounds: Vec<RoundRow>,
    /// Projects by round id, each round's by title.
    pub apps: BTreeMap<String, Vec<AppRow>>,
    /// The rubrics sheets use, by key (a round's review rubric, the
    /// mid-term and final ones).
    pub rubrics: BTreeMap<String, Rubric>,
    /// The review rubric of each round, by round id.
    pub round_rubric: BTreeMap<String, String>,
    pub due: Vec<DueRow>,
}

impl VentureData {
    /// The rubric a project's sheets use at `stage`.
    pub fn rubric_for(&self, round: &str, stage: Stage) -> Option<(&str, &Rubric)> {
        let key = match stage {
            Stage::Review => self.round_rubric.get(round)?.as_str(),
            s => s.rubric(),
        };
        self.rubrics
            .get_key_value(key)
            .map(|(k, r)| (k.as_str(), r))
    }
}

/// Answers one request (on the worker thread, or in the server).
pub fn serve(store: &Store, r: VentureRequest) -> VentureResponse {
    match r {
        VentureRequest::Load { today } => match load(store, today) {
            Ok(d) => VentureResponse::Loaded(Box::new(d)),
            Err(e) => VentureResponse::Failed(e),
        },
        VentureRequest::Execute(mut cmd) => {
            // A step taken in the app names who took it: the user the
            // server serves (or this process's).
            if let Command::Update {
                before: crate::model::Record::Application(b),
                after: crate::model::Record::Application(a),
                ..
            } = cmd.as_mut()
            {
                for (k, m) in a.steps.iter_mut() {
                    if m.author.is_none() && !b.steps.contains_key(k) {
                        m.author = Some(store.writing_user());
                    }
                }
            }
            let result = store.execute((*cmd).clone()).map(|o| o.id);
            VentureResponse::Executed { cmd, result }
        }
    }
}

fn load(store: &Store, today: NaiveDate) -> Result<VentureData, String> {
    let v = Ventures::shared_with_figures(store).map_err(|e| e.message())?;
    let config = crate::config::config_dir();
    let mut rubrics = BTreeMap::new();
    let mut round_rubric = BTreeMap::new();
    for (id, r) in &v.rounds {
        round_rubric.insert(id.clone(), r.rubric.clone());
    }
    let wanted = round_rubric
        .values()
        .cloned()
        .chain([Stage::Midterm, Stage::Final].map(|s| s.rubric().to_string()));
    for key in wanted {
        if rubrics.contains_key(&key) {
            continue;
        }
        // A rubric that cannot be read: its sheets cannot be entered in
        // the app, the rest of the pane still works.
        if let Ok(r) = crate::report::rubric_named(config.as_deref(), Some(&key)) {
            rubrics.insert(key, r);
        }
    }
    let rounds = v
        .rounds
        .iter()
        .map(|(id, r)| {
            let t = v.totals(id);
            RoundRow {
                id: id.clone(),
                title: r.title.clone(),
                year: r.year,
                budget_fen: r.budget_fen,
                cap_fen: r.cap_fen,
                applications: t.applications,
                approved: t.approved,
                awarded_fen: t.awarded_fen,
                paid_fen: t.paid_fen,
            }
        })
        .collect();
    let mut apps: BTreeMap<String, Vec<AppRow>> = BTreeMap::new();
    for (rid, _) in &v.rounds {
        let proposed: BTreeMap<String, u64> =
            v.rank(rid).into_iter().map(|r| (r.id, r.award)).collect();
        let mut rows: Vec<AppRow> = v
            .apps_of(rid)
            .map(|(id, a)| app_row(&v, id, a, proposed.get(id).copied()))
            .collect();
        // In the order of the way a project goes; then by score.
        rows.sort_by(|a, b| {
            a.record
                .state
                .index()
                .cmp(&b.record.state.index())
                .then(b.total.cmp(&a.total))
                .then_with(|| a.record.title.cmp(&b.record.title))
        });
        apps.insert(rid.clone(), rows);
    }
    let due = v
        .due(today)
        .into_iter()
        .map(|d: DueItem| {
            let app = v.app(&d.application);
            DueRow {
                app: d.application.clone(),
                title: app.map(|a| a.title.clone()).unwrap_or_default(),
                org_name: app
                    .map(|a| v.org_name(&a.org).to_string())
                    .unwrap_or_default(),
                what: d.what.text(),
                date: d.date,
                late: d.late,
            }
        })
        .collect();
    Ok(VentureData {
        rounds,
        apps,
        rubrics,
        round_rubric,
        due,
    })
}

fn app_row(v: &Ventures, id: &str, a: &Application, proposed: Option<u64>) -> AppRow {
    let sheets = [Stage::Review, Stage::Midterm, Stage::Final]
        .iter()
        .flat_map(|st| v.sheets_of(id, *st))
        .map(|(sid, s)| SheetRow {
            id: sid.to_string(),
            stage: s.stage,
            reviewer: s.reviewer.clone(),
            total: s.sheet().total(),
            recused: s.recused,
            record: s.clone(),
        })
        .collect();
    let lang = crate::text::lang();
    let f: Figures = v.figures(id);
    AppRow {
        id: id.to_string(),
        org_name: crate::tui::panes::activities::data::short_name(v.org_name(&a.org)).to_string(),
        record: a.clone(),
        total: v.total(id, Stage::Review),
        midterm: v.total(id, Stage::Midterm),
        final_total: v.total(id, Stage::Final),
        proposed,
        sheets,
        tranches: v.tranches(id).into_iter().map(Into::into).collect(),
        visits: v
            .visits_of(id)
            .into_iter()
            .map(|(vid, x)| VisitRow {
                id: vid.to_string(),
                date: x.date,
                kind: x.kind.label(lang).to_string(),
                findings: x.findings.clone().unwrap_or_default(),
                follow_up: x.follow_up,
                closed: x.closed,
            })
            .collect(),
        kpis: v.kpis(id),
        activities: f.activities,
        participants: f.participants,
        beneficiaries: f.beneficiaries,
        hours_tenths: f.hours_tenths,
    }
}

/// The states a project may step to now.
pub fn next_states(a: &Application) -> &'static [AppState] {
    a.state.next()
}
