//! What the 孵化 pane asks of the store, and the worker's side of it: the
//! base on a day (`report::incubation`), and running a command (a step, a
//! service).

use chrono::NaiveDate;

use crate::model::incubation::Enrollment;
use crate::model::Labeled;
use crate::report::incubation::{Base, Occupancy};
use crate::store::{Command, Store, StoreError};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum IncRequest {
    Load { today: NaiveDate },
    Execute(Box<Command>),
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum IncResponse {
    Loaded(Box<IncData>),
    Executed {
        cmd: Box<Command>,
        result: Result<String, StoreError>,
    },
    Failed(String),
}

/// One enrollment as the pane shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IncRow {
    pub id: String,
    pub org_name: String,
    pub space_code: String,
    pub record: Enrollment,
    /// Services: date, kind (label), hours in tenths.
    pub services: Vec<(NaiveDate, String, Option<u32>)>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IncData {
    /// Spaces: code, kind (label), seats, taken today.
    pub spaces: Vec<(String, String, u32, u32)>,
    /// In the base first (soonest planned exit first), then those out
    /// (latest exit first).
    pub rows: Vec<IncRow>,
    pub occupancy: Occupancy,
}

pub fn serve(store: &Store, r: IncRequest) -> IncResponse {
    match r {
        IncRequest::Load { today } => match load(store, today) {
            Ok(d) => IncResponse::Loaded(Box::new(d)),
            Err(e) => IncResponse::Failed(e.message()),
        },
        IncRequest::Execute(mut cmd) => {
            // A step taken in the app names who took it.
            if let Command::Update {
                before: crate::model::Record::Enrollment(b),
                after: crate::model::Record::Enrollment(a),
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
            IncResponse::Executed { cmd, result }
        }
    }
}

fn load(store: &Store, today: NaiveDate) -> Result<IncData, StoreError> {
    let b = Base::load(store, today)?;
    let lang = crate::text::lang();
    let spaces = b
        .spaces
        .iter()
        .map(|(id, s)| {
            (
                s.code.clone(),
                s.kind.label(lang).to_string(),
                s.seats,
                b.taken(id),
            )
        })
        .collect();
    let mut rows: Vec<IncRow> = b
        .enrollments
        .iter()
        .map(|(id, e)| IncRow {
            id: id.clone(),
            org_name: crate::tui::panes::activities::data::short_name(b.org_name(&e.org))
                .to_string(),
            space_code: b
                .space(&e.space)
                .map(|s| s.code.clone())
                .unwrap_or_default(),
            record: e.clone(),
            services: b
                .services_of(id)
                .iter()
                .map(|(_, s)| (s.date, s.kind.label(lang).to_string(), s.hours_tenths))
                .collect(),
        })
        .collect();
    rows.sort_by(|a, c| {
        let (ra, rc) = (&a.record, &c.record);
        ra.stage
            .is_out()
            .cmp(&rc.stage.is_out())
            .then_with(|| {
                if ra.stage.is_out() {
                    rc.until().cmp(&ra.until())
                } else {
                    ra.until().cmp(&rc.until())
                }
            })
            .then_with(|| a.id.cmp(&c.id))
    });
    Ok(IncData {
        spaces,
        rows,
        occupancy: b.occupancy(),
    })
}
