//! 公益创投 as staff read it: every round, project, review sheet and visit
//! read once, with what is derived from them: a project's aggregated
//! score (one sheet per reviewer, the round's aggregation), the ranking
//! with proposed awards, the tranches and what is payable, the figures
//! from the project's activities and its KPIs reached, what is due, and a
//! round's totals. Used alike by `sanshe venture`, the app's pane, the
//! spreadsheets and the bulletin.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::model::venture::{
    latest_per_reviewer, rank, AppState, Application, Condition, Ranked, ReviewSheet, Round, Stage,
    Visit,
};
use crate::model::{Activity, Kind, Record};
use crate::store::{Store, StoreError};

/// A follow-up or report due within this many days is listed.
pub const DUE_WINDOW_DAYS: u64 = 30;

/// What a project's activities add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub activities: u32,
    pub participants: u64,
    pub beneficiaries: u64,
    /// Volunteer hours in tenths.
    pub hours_tenths: u64,
}

impl Figures {
    fn add(&mut self, a: &Activity) {
        self.activities += 1;
        self.participants += u64::from(a.participants.unwrap_or(0));
        self.beneficiaries += u64::from(a.beneficiaries.unwrap_or(0));
        self.hours_tenths += u64::from(a.volunteer_tenths.unwrap_or(0));
    }

    /// The figure a KPI of this name measures, if its name is one of a
    /// measure (活动场次, 参与人次, 受益人次, 志愿服务时长 and their
    /// usual variants).
    pub fn measure(&self, kpi: &str) -> Option<u64> {
        let k: String = kpi.chars().filter(|c| !c.is_whitespace()).collect();
        Some(match k.as_str() {
            "活动场次" | "活动次数" | "活动数" | "开展活动" | "activities" => {
                u64::from(self.activities)
            }
            "参与人次" | "服务人次" | "参与人数" | "participants" => self.participants,
            "受益人次" | "受益人数" | "beneficiaries" => self.beneficiaries,
            "志愿服务时长" | "志愿时长" | "服务时长" | "hours" => {
                self.hours_tenths / 10
            }
            _ => return None,
        })
    }
}

/// One tranche of a project: its amount, condition and payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrancheRow {
    pub seq: u32,
    pub percent: u32,
    pub amount_fen: u64,
    pub condition: Condition,
    pub paid: Option<NaiveDate>,
    /// Unpaid and its condition met.
    pub payable: bool,
}

/// What is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueWhat {
    Midterm,
    Final,
    Tranche { seq: u32 },
    FollowUp { visit: String },
}

impl DueWhat {
    pub fn text(&self) -> String {
        match self {
            DueWhat::Midterm => crate::tr!("venture.due.midterm"),
            DueWhat::Final => crate::tr!("venture.due.final"),
            DueWhat::Tranche { seq } => crate::tr!("venture.due.tranche", seq = seq),
            DueWhat::FollowUp { .. } => crate::tr!("venture.due.follow_up"),
        }
    }
}

/// One thing due for one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    pub application: String,
    #[serde(flatten)]
    pub what: DueWhat,
    /// When it is due (for a payable tranche: since when).
    pub date: Option<NaiveDate>,
    pub late: bool,
}

/// A round's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RoundTotals {
    pub applications: usize,
    pub approved: usize,
    pub awarded_fen: u64,
    pub paid_fen: u64,
    pub figures: Figures,
}

/// Every venture record, read once.
#[derive(Debug, Clone, Default)]
pub struct Ventures {
    pub rounds: Vec<(String, Round)>,
    pub apps: Vec<(String, Application)>,
    pub sheets: Vec<(String, ReviewSheet)>,
    pub visits: Vec<(String, Visit)>,
    /// Figures of each project's activities, by project id.
    pub figures: HashMap<String, Figures>,
    /// Organization names by id (for what people read).
    pub org_names: HashMap<String, String>,
    /// Positions in `apps` by id, and in `sheets` by project id (made by
    /// [`Ventures::sort`]): a round of 2,000 projects with five sheets each
    /// is scored without scanning every sheet for every project.
    app_at: HashMap<String, usize>,
    sheets_at: HashMap<String, Vec<usize>>,
}

impl Ventures {
    /// Reads every round, project, sheet and visit, and the names of the
    /// organizations (not the activities: [`Ventures::with_figures`]).
    pub fn load(store: &Store) -> Result<Ventures, StoreError> {
        let mut v = Ventures::default();
        // The sheets, the most numerous, are decoded on a second thread.
        let sheets = std::thread::scope(|s| {
            let sheets = s.spawn(|| store.all_cached(Kind::Review));
            for (id, r) in store.all_cached(Kind::Round)? {
                if let Record::Round(r) = r {
                    v.rounds.push((id, r));
                }
            }
            for (id, r) in store.all_cached(Kind::Application)? {
                if let Record::Application(a) = r {
                    v.apps.push((id, a));
                }
            }
            for (id, r) in store.all_cached(Kind::Visit)? {
                if let Record::Visit(x) = r {
                    v.visits.push((id, x));
                }
            }
            if !v.apps.is_empty() {
                v.org_names = store.names(Kind::Org)?.into_iter().collect();
            }
            sheets
                .join()
                .unwrap_or_else(|_| Err(StoreError::Storage("reader thread failed".into())))
        })?;
        for (id, r) in sheets {
            if let Record::Review(s) = r {
                v.sheets.push((id, s));
            }
        }
        v.sort();
        Ok(v)
    }

    /// [`Ventures::load`] with the figures of the activities that name a
    /// project (every activity is read: what `show`, the pane and the
    /// bulletin need, not the ranking or the lists).
    pub fn with_figures(store: &Store) -> Result<Ventures, StoreError> {
        let mut v = Ventures::load(store)?;
        if !v.apps.is_empty() {
            for (_, r) in store.all_cached(Kind::Activity)? {
                if let Record::Activity(a) = r {
                    v.add_activity(&a);
                }
            }
        }
        Ok(v)
    }

    /// [`Ventures::load`], kept by a store that keeps things in memory (the
    /// server) until the next commit: every client's `venture rank`,
    /// `list` and `due` read it once.
    pub fn shared(store: &Store) -> Result<std::sync::Arc<Ventures>, StoreError> {
        store.memo("ventures", || Ventures::load(store))
    }

    /// [`Ventures::with_figures`], kept the same way (`venture show`, pane 7).
    pub fn shared_with_figures(store: &Store) -> Result<std::sync::Arc<Ventures>, StoreError> {
        store.memo("ventures+figures", || Ventures::with_figures(store))
    }

    /// Counts activity `a` in its project's figures (if it names one).
    pub fn add_activity(&mut self, a: &Activity) {
        if let Some(p) = &a.project {
            self.figures.entry(p.clone()).or_default().add(a);
        }
    }

    /// Rounds newest year first, then title; projects by round, then
    /// title; then the indexes by id.
    pub fn sort(&mut self) {
        self.rounds.sort_by(|a, b| {
            b.1.year
                .cmp(&a.1.year)
                .then_with(|| a.1.title.cmp(&b.1.title))
                .then_with(|| a.0.cmp(&b.0))
        });
        self.apps
            .sort_by(|a, b| (&a.1.round, &a.1.title, &a.0).cmp(&(&b.1.round, &b.1.title, &b.0)));
        self.app_at = self
            .apps
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.clone(), i))
            .collect();
        self.sheets_at.clear();
        for (i, (_, s)) in self.sheets.iter().enumerate() {
            self.sheets_at
                .entry(s.application.clone())
                .or_default()
                .push(i);
        }
    }

    pub fn round(&self, id: &str) -> Option<&Round> {
        self.rounds.iter().find(|(i, _)| i == id).map(|(_, r)| r)
    }

    pub fn app(&self, id: &str) -> Option<&Application> {
        match self.app_at.get(id) {
            Some(&i) => self.apps.get(i).map(|(_, a)| a),
            // Not indexed (built by hand, without `sort`).
            None => self.apps.iter().find(|(i, _)| i == id).map(|(_, a)| a),
        }
    }

    /// The projects of a round.
    pub fn apps_of<'a>(
        &'a self,
        round: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Application)> {
        self.apps
            .iter()
            .filter(move |(_, a)| a.round == round)
            .map(|(i, a)| (i.as_str(), a))
    }

    pub fn org_name(&self, id: &str) -> &str {
        self.org_names.get(id).map_or("", String::as_str)
    }

    /// The sheets that count for a project at a stage: one per reviewer.
    pub fn sheets_of(&self, app: &str, stage: Stage) -> Vec<(&str, &ReviewSheet)> {
        let all: Vec<&(String, ReviewSheet)> = match self.sheets_at.get(app) {
            Some(at) => at.iter().filter_map(|&i| self.sheets.get(i)).collect(),
            // Not indexed (built by hand, without `sort`).
            None => self.sheets.iter().collect(),
        };
        latest_per_reviewer(
            all.into_iter()
                .filter(|(_, s)| s.application == app && s.stage == stage)
                .map(|(i, s)| (i.as_str(), s)),
        )
    }

    /// A project's aggregated score at a stage, tenths (`None` before any
    /// counted sheet).
    pub fn total(&self, app: &str, stage: Stage) -> Option<u32> {
        let how = self
            .app(app)
            .and_then(|a| self.round(&a.round))
            .map(|r| r.aggregate)
            .unwrap_or_default();
        let totals: Vec<u32> = self
            .sheets_of(app, stage)
            .into_iter()
            .filter(|(_, s)| !s.recused)
            .map(|(_, s)| s.scores.values().sum())
            .collect();
        crate::model::review::aggregate(totals, how)
    }

    /// A round's reviewed projects ranked by their review score, with the
    /// awards proposed within the budget and the cap.
    pub fn rank(&self, round: &str) -> Vec<Ranked> {
        let Some(r) = self.round(round) else {
            return Vec::new();
        };
        let apps: Vec<(String, u32, u64)> = self
            .apps_of(round)
            .filter(|(_, a)| rankable(a))
            .filter_map(|(id, a)| {
                self.total(id, Stage::Review)
                    .map(|t| (id.to_string(), t, a.requested_fen))
            })
            .collect();
        rank(apps, r.budget_fen, r.cap_fen)
    }

    /// A project's tranches under its round's plan.
    pub fn tranches(&self, app: &str) -> Vec<TrancheRow> {
        let Some(a) = self.app(app) else {
            return Vec::new();
        };
        let Some(r) = self.round(&a.round) else {
            return Vec::new();
        };
        r.plan()
            .into_iter()
            .map(|(seq, t)| {
                let paid = a.paid.get(&seq).map(|p| p.date);
                TrancheRow {
                    seq,
                    percent: t.percent,
                    amount_fen: a
                        .paid
                        .get(&seq)
                        .map(|p| p.amount_fen)
                        .or_else(|| a.awarded_fen.and_then(|f| r.tranche_amount(seq, f)))
                        .unwrap_or(0),
                    condition: t.condition,
                    paid,
                    payable: paid.is_none()
                        && a.awarded_fen.is_some()
                        && t.condition.met_in(a.state),
                }
            })
            .collect()
    }

    /// The figures of a project's activities.
    pub fn figures(&self, app: &str) -> Figures {
        self.figures.get(app).copied().unwrap_or_default()
    }

    /// A project's KPIs: name, target, reached (counted from its activities
    /// when the name is a measure, else as recorded).
    pub fn kpis(&self, app: &str) -> Vec<(String, u32, Option<u64>)> {
        let Some(a) = self.app(app) else {
            return Vec::new();
        };
        let f = self.figures(app);
        a.kpis
            .iter()
            .map(|(name, k)| {
                let reached = f.measure(name).or(k.reached.map(u64::from));
                (name.clone(), k.target, reached)
            })
            .collect()
    }

    /// The visits to a project, latest first.
    pub fn visits_of(&self, app: &str) -> Vec<(&str, &Visit)> {
        let mut v: Vec<(&str, &Visit)> = self
            .visits
            .iter()
            .filter(|(_, x)| x.application == app)
            .map(|(i, x)| (i.as_str(), x))
            .collect();
        v.sort_by(|a, b| b.1.date.cmp(&a.1.date).then(b.0.cmp(a.0)));
        v
    }

    /// What is due on `today`: mid-term and final reports due within 30
    /// days or late, tranches payable, visit follow-ups due within 30 days
    /// or overdue. Late first, then by date.
    pub fn due(&self, today: NaiveDate) -> Vec<DueItem> {
        let soon = today
            .checked_add_days(Days::new(DUE_WINDOW_DAYS))
            .unwrap_or(today);
        let mut out = Vec::new();
        for (id, a) in &self.apps {
            let Some(r) = self.round(&a.round) else {
                continue;
            };
            use AppState::*;
            let report = match a.state {
                Approved | InProgress | MidtermToFix => {
                    r.midterm_due.map(|d| (DueWhat::Midterm, d))
                }
                MidtermPassed => r.final_due.map(|d| (DueWhat::Final, d)),
                _ => None,
            };
            if let Some((what, d)) = report {
                if d <= soon {
                    out.push(DueItem {
                        application: id.clone(),
                        what,
                        date: Some(d),
                        late: d < today,
                    });
                }
            }
            for t in self.tranches(id).into_iter().filter(|t| t.payable) {
                out.push(DueItem {
                    application: id.clone(),
                    what: DueWhat::Tranche { seq: t.seq },
                    date: met_on(a, t.condition),
                    late: false,
                });
            }
        }
        for (vid, v) in &self.visits {
            if let Some(f) = v.follow_up.filter(|f| !v.closed && *f <= soon) {
                out.push(DueItem {
                    application: v.application.clone(),
                    what: DueWhat::FollowUp { visit: vid.clone() },
                    date: Some(f),
                    late: f < today,
                });
            }
        }
        out.sort_by(|a, b| {
            b.late
                .cmp(&a.late)
                .then(a.date.cmp(&b.date))
                .then_with(|| a.application.cmp(&b.application))
        });
        out
    }

    /// A round's totals.
    pub fn totals(&self, round: &str) -> RoundTotals {
        let mut t = RoundTotals::default();
        for (id, a) in self.apps_of(round) {
            t.applications += 1;
            if a.reached(AppState::Approved).is_some() {
                t.approved += 1;
                t.awarded_fen += a.awarded_fen.unwrap_or(0);
            }
            t.paid_fen += a.paid_fen();
            let f = self.figures(id);
            t.figures.activities += f.activities;
            t.figures.participants += f.participants;
            t.figures.beneficiaries += f.beneficiaries;
            t.figures.hours_tenths += f.hours_tenths;
        }
        t
    }
}

/// Whether a project takes part in its round's ranking: reviewed and not
/// turned down before approval.
fn rankable(a: &Application) -> bool {
    use AppState::*;
    match a.state {
        Submitted | Eligible | Ineligible => false,
        Closed => a.reached(Approved).is_some(),
        _ => true,
    }
}

/// When a project met a tranche's condition.
fn met_on(a: &Application, c: Condition) -> Option<NaiveDate> {
    match c {
        Condition::Signing => a.agreement_date.or(a.reached(AppState::Approved)),
        Condition::Midterm => a.reached(AppState::MidtermPassed),
        Condition::Final => a.reached(AppState::FinalPassed),
    }
}
