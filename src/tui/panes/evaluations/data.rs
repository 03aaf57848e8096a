//! What the evaluations pane asks of the store, and the worker's side of
//! it: every organization with its evaluations graded under the rubric in
//! force (latest first for the list, all periods for the chart), saving,
//! correcting and deleting an evaluation, and writing a month's bulletin
//! beside the database.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::model::activity::{month_key, month_text};
use crate::model::{Evaluation, Kind, Record, Rubric};
use crate::report::{Bulletin, Data};
use crate::search::sort_key;
use crate::store::{Command, Store, StoreError};
use crate::tui::panes::activities::data::short_name;

/// A request of the evaluations pane.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum EvalRequest {
    /// Every organization with its evaluations, and the rubric.
    Load,
    /// One evaluation, to correct it.
    Fetch { id: String },
    /// Save a new evaluation, correct one or delete one.
    Execute(Box<Command>),
    /// Write the bulletin of the month of `today` as Markdown.
    Bulletin { today: NaiveDate },
}

/// An answer to an [`EvalRequest`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum EvalResponse {
    /// The pane's data.
    Loaded(Box<EvalData>),
    /// The evaluation asked for (`None`: it is gone), or why not.
    Fetched {
        id: String,
        result: Result<Option<Box<Evaluation>>, StoreError>,
    },
    /// A command was run: the evaluation's id and as stored afterwards
    /// (`None` once deleted), or why not.
    Executed {
        cmd: Box<Command>,
        result: Result<(String, Option<Box<Evaluation>>), StoreError>,
    },
    /// The bulletin's file, or why it could not be written.
    Bulletin(Result<PathBuf, String>),
    /// Reading failed, or the rubric in force is unusable.
    Failed(String),
}

/// One period of one organization, graded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Graded {
    /// The evaluation's id (to correct or delete it; the record itself is
    /// read when it is corrected, not kept for every organization).
    pub id: String,
    /// `2026`, `2026H1`...
    pub period: String,
    /// Total in tenths of a point.
    pub total: u32,
    /// Per dimension of the rubric, in tenths.
    pub dimensions: Vec<u32>,
    /// Key of the grade band (`None`: below every band).
    pub band: Option<String>,
}

/// One organization in the list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EvalRow {
    pub org: String,
    /// Name without city and district.
    pub name: String,
    /// Evaluations, oldest period first.
    pub history: Vec<Graded>,
}

impl EvalRow {
    /// The latest evaluation.
    pub fn latest(&self) -> Option<&Graded> {
        self.history.last()
    }
}

/// Everything the pane shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EvalData {
    pub rubric: Rubric,
    /// Every organization, in pinyin order.
    pub rows: Vec<EvalRow>,
}

impl EvalData {
    /// Organizations per band of their latest evaluation, in band order
    /// (highest first), then the number never evaluated.
    pub fn distribution(&self) -> (Vec<usize>, usize) {
        let mut counts = vec![0; self.rubric.bands.len()];
        let mut none = 0;
        for r in &self.rows {
            match r.latest() {
                Some(g) => {
                    let rank = g
                        .band
                        .as_deref()
                        .map_or(usize::MAX, |b| self.rubric.band_rank(b));
                    if let Some(c) = counts.get_mut(rank) {
                        *c += 1;
                    }
                }
                None => none += 1,
            }
        }
        (counts, none)
    }
}

/// Answers one request (on the worker thread).
pub fn serve(store: &Store, r: EvalRequest) -> EvalResponse {
    let rubric = match crate::report::load_rubric(crate::config::config_dir().as_deref()) {
        Ok(r) => r,
        Err(e) => return EvalResponse::Failed(e),
    };
    match r {
        EvalRequest::Load => match load(store, rubric) {
            Ok(d) => EvalResponse::Loaded(Box::new(d)),
            Err(e) => EvalResponse::Failed(e.message()),
        },
        EvalRequest::Fetch { id } => {
            let result = store.get(Kind::Evaluation, &id).map(|r| match r {
                Some(Record::Evaluation(e)) => Some(Box::new(e)),
                _ => None,
            });
            EvalResponse::Fetched { id, result }
        }
        EvalRequest::Execute(mut cmd) => {
            // A new evaluation: the indicators scored from training hours
            // and left blank are scored from the training records.
            if let Command::Create {
                record: Record::Evaluation(ev),
            } = cmd.as_mut()
            {
                if let Err(e) = crate::report::training::score_from_training(store, ev, &rubric) {
                    return EvalResponse::Executed {
                        cmd,
                        result: Err(e),
                    };
                }
            }
            let result = store.execute((*cmd).clone()).and_then(|o| {
                let stored = match store.get(Kind::Evaluation, &o.id)? {
                    Some(Record::Evaluation(e)) => Some(Box::new(e)),
                    _ => None,
                };
                Ok((o.id, stored))
            });
            EvalResponse::Executed { cmd, result }
        }
        EvalRequest::Bulletin { today } => {
            EvalResponse::Bulletin(write_bulletin(store, &rubric, today))
        }
    }
}

/// Every organization with its evaluations graded under `rubric`.
pub fn load(store: &Store, rubric: Rubric) -> Result<EvalData, StoreError> {
    let mut by_org: HashMap<String, Vec<(String, Evaluation)>> = HashMap::new();
    for (id, r) in store.all_cached(Kind::Evaluation)? {
        if let Record::Evaluation(e) = r {
            by_org.entry(e.org.clone()).or_default().push((id, e));
        }
    }
    // Sorted by the collation key of the full name (pinyin order); the
    // keys are not kept: 15 MB at 100,000 organizations.
    let mut rows: Vec<(String, EvalRow)> = store
        .names(Kind::Org)?
        .into_iter()
        .map(|(org, name)| {
            let mut evals = by_org.remove(&org).unwrap_or_default();
            let period_key = |e: &Evaluation| e.period().map(|p| p.sort_key()).unwrap_or((0, 0));
            evals.sort_by(|a, b| period_key(&a.1).cmp(&period_key(&b.1)).then(a.0.cmp(&b.0)));
            let history = evals
                .into_iter()
                .map(|(id, e)| {
                    let g = e.grade(&rubric);
                    Graded {
                        id,
                        period: e.period.clone(),
                        total: g.total_tenths,
                        dimensions: g.dimensions,
                        band: g.band.map(|b| b.key.clone()),
                    }
                })
                .collect();
            let row = EvalRow {
                name: short_name(&name).to_string(),
                org,
                history,
            };
            (sort_key(&name), row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.org.cmp(&b.1.org)));
    let rows = rows.into_iter().map(|(_, row)| row).collect();
    Ok(EvalData { rubric, rows })
}

/// Where the bulletin of `month` (`202611`) is written: `bulletins/` in
/// the database directory.
pub fn bulletin_path(db: &std::path::Path, month: u32) -> PathBuf {
    db.join("bulletins")
        .join(format!("{}.md", month_text(month)))
}

/// Writes the Markdown bulletin of the month of `today` (temporary file,
/// then renamed over the old one); returns its path.
pub fn write_bulletin(store: &Store, rubric: &Rubric, today: NaiveDate) -> Result<PathBuf, String> {
    let month = month_key(today);
    let data = Data::shared(store, today, rubric).map_err(|e| e.message())?;
    let text = Bulletin::build(
        month,
        &data.log,
        &data.orgs,
        &data.evaluations,
        rubric,
        crate::text::lang(),
    )
    .with_venture(&data.ventures)
    .markdown();
    let path = bulletin_path(&crate::config::outputs_dir(store.path()), month);
    let show = |e: std::io::Error| format!("{}: {e}", path.display());
    // Creates the directory too.
    crate::files::write_atomic(&path, text.as_bytes()).map_err(show)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulletins_go_beside_the_database_by_month() {
        let p = bulletin_path(std::path::Path::new("/data/db"), 202611);
        assert_eq!(p, PathBuf::from("/data/db/bulletins/2026-11.md"));
    }
}
