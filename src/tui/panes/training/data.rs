//! What the 培训 pane asks of the store: every event with its
//! participants, the organizations to sign in (by pinyin initials), and
//! running a command (a participation signed in).

use crate::model::training::{AttendStatus, Attendance, Training};
use crate::report::training::Trainings;
use crate::store::{Command, Store, StoreError};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TrainRequest {
    /// Everything, with the plan of `today`'s year.
    Load {
        today: chrono::NaiveDate,
    },
    Execute(Box<Command>),
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum TrainResponse {
    Loaded(Box<TrainData>),
    Executed {
        cmd: Box<Command>,
        result: Result<String, StoreError>,
    },
    Failed(String),
}

/// One participation as shown: its id, the record, who in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Participant {
    pub id: String,
    pub record: Attendance,
    pub who: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventRow {
    pub id: String,
    pub record: Training,
    pub registered: usize,
    pub signed: usize,
    pub rate: Option<f64>,
    pub participants: Vec<Participant>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainData {
    /// Newest first.
    pub events: Vec<EventRow>,
    /// Organizations `(id, name)` to sign in, in pinyin order.
    pub orgs: Vec<(String, String)>,
    /// This year's plan: items held and items planned.
    pub plan: Option<(usize, usize)>,
}

pub fn serve(store: &Store, r: TrainRequest) -> TrainResponse {
    match r {
        TrainRequest::Load { today } => match load(store, today) {
            Ok(d) => TrainResponse::Loaded(Box::new(d)),
            Err(e) => TrainResponse::Failed(e.message()),
        },
        TrainRequest::Execute(cmd) => {
            let result = store.execute((*cmd).clone()).map(|o| o.id);
            TrainResponse::Executed { cmd, result }
        }
    }
}

fn load(store: &Store, today: chrono::NaiveDate) -> Result<TrainData, StoreError> {
    let t = Trainings::load(store)?;
    let short = crate::tui::panes::activities::data::short_name;
    let events = t
        .events
        .iter()
        .map(|(id, e)| {
            let (registered, signed) = t.counts(id);
            let mut participants: Vec<Participant> = t
                .of(id)
                .into_iter()
                .map(|(pid, a)| Participant {
                    id: pid.clone(),
                    who: match (&a.org, &a.person) {
                        (Some(o), Some(p)) => format!("{} {p}", short(t.org_name(o))),
                        (Some(o), None) => short(t.org_name(o)).to_string(),
                        (None, Some(p)) => p.clone(),
                        (None, None) => String::new(),
                    },
                    record: a.clone(),
                })
                .collect();
            // Signed in first, then by name.
            participants.sort_by(|a, b| {
                (b.record.status == AttendStatus::SignedIn)
                    .cmp(&(a.record.status == AttendStatus::SignedIn))
                    .then_with(|| a.who.cmp(&b.who))
            });
            EventRow {
                id: id.clone(),
                record: e.clone(),
                registered,
                signed,
                rate: t.rate(id),
                participants,
            }
        })
        .collect();
    let mut orgs: Vec<(String, String)> = store
        .names(crate::model::Kind::Org)?
        .into_iter()
        .map(|(id, n)| (id, short(&n).to_string()))
        .collect();
    orgs.sort_by_cached_key(|(_, n)| crate::search::sort_key(n));
    let year = chrono::Datelike::year(&today);
    let plan = Trainings::plan_of(store, year)?.map(|(_, p)| {
        let rows = t.plan_rows(&p);
        (
            rows.iter().filter(|r| !r.events.is_empty()).count(),
            rows.len(),
        )
    });
    Ok(TrainData { events, orgs, plan })
}
