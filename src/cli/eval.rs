//! `sanshe eval add|list`, `sanshe rubric show` (inspections and ratings
//! are with the organization commands: `org/`).

use std::collections::HashMap;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::today;
use crate::model::evaluation::points_text;
use crate::model::{Evaluation, EvaluationInput, Kind, Record, Rubric, Rule, ValidationErrors};
use crate::store::{Command, Store};
use crate::text::lang;
use crate::tr;

/// `sanshe eval ...`
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Record an evaluation; prints its id (total and grade on standard error)
    Add(EvalAddArgs),
    /// List evaluations with totals, grades and the change since the last period
    List(EvalListArgs),
}

/// Output of `eval add`: the id alone, or one JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AddFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EvalAddArgs {
    /// Organization id
    #[arg(long)]
    pub org: String,
    /// 2026, 2026H1 or 2026H2
    #[arg(long)]
    pub period: String,
    /// INDICATOR=POINTS (repeatable), e.g. --score staff=7.5
    #[arg(long = "score", value_name = "INDICATOR=POINTS", required = true)]
    pub scores: Vec<String>,
    /// INDICATOR=TEXT: a note on one score (repeatable)
    #[arg(long = "note", value_name = "INDICATOR=TEXT")]
    pub notes: Vec<String>,
    /// Evaluator name (repeatable)
    #[arg(long = "evaluator", value_name = "NAME")]
    pub evaluators: Vec<String>,
    /// Date of the evaluation, YYYY-MM-DD (default today)
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: AddFormat,
}

#[derive(Debug, Args)]
pub struct EvalListArgs {
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `sanshe rubric ...`
#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// The rubrics: the performance rubric (the default), those of venture-philanthropy rounds, an office's own
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show a rubric (the performance rubric unless KEY is given)
    Show {
        /// The rubric's key (sanshe rubric list)
        key: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// The rubric in force, or a usage error naming what is wrong with it.
pub fn rubric() -> CliResult<Rubric> {
    crate::report::load_rubric(crate::config::config_dir().as_deref()).map_err(CliError::Usage)
}

pub fn run_eval(store: &Store, cmd: EvalCommand) -> CliResult {
    match cmd {
        EvalCommand::Add(a) => add(store, a),
        EvalCommand::List(a) => list(store, a),
    }
}

/// Parses `KEY=VALUE`.
fn pair(s: &str) -> Option<(String, String)> {
    let (k, v) = s.split_once('=')?;
    let k = k.trim();
    (!k.is_empty()).then(|| (k.to_string(), v.trim().to_string()))
}

/// Builds the evaluation from the flags and checks it against the rubric
/// (see [`crate::model::evaluation_input::apply`]: the rules of the app's
/// score entry too). `INDICATOR=POINTS` and `INDICATOR=TEXT` are the
/// flags' own syntax.
fn build(store: &Store, a: &EvalAddArgs, rubric: &Rubric) -> CliResult<Evaluation> {
    let mut ev = parse_add(a, rubric)?;
    crate::report::training::score_from_training(store, &mut ev, rubric)?;
    Ok(ev)
}

/// The evaluation as typed, checked against `rubric`.
fn parse_add(a: &EvalAddArgs, rubric: &Rubric) -> CliResult<Evaluation> {
    let mut e = ValidationErrors::default();
    let mut pairs = |values: &[String], syntax: &str| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for v in values {
            match pair(v) {
                Some(p) => out.push(p),
                None => e.push(
                    "scores",
                    Rule::OneOf {
                        allowed: syntax.into(),
                    },
                ),
            }
        }
        out
    };
    let input = EvaluationInput {
        period: Some(a.period.clone()),
        evaluators: Some(a.evaluators.clone()),
        scores: pairs(&a.scores, "INDICATOR=POINTS"),
        notes: pairs(&a.notes, "INDICATOR=TEXT"),
        date: a.date.clone(),
    };
    let mut ev = crate::model::evaluation_input::blank(&a.org, today());
    if let Err(found) = crate::model::evaluation_input::apply(&input, &mut ev, rubric, today()) {
        e.0.extend(found.0);
    }
    e.into_result()?;
    Ok(ev)
}

fn add(store: &Store, a: EvalAddArgs) -> CliResult {
    let rubric = rubric()?;
    let ev = build(store, &a, &rubric)?;
    let graded = ev.grade(&rubric);
    let total = points_text(graded.total_tenths);
    let band = graded.band.cloned();
    let outcome = store.execute(Command::Create {
        record: Record::Evaluation(ev),
    })?;
    let grade_name = band
        .as_ref()
        .map(|b| b.label(lang()).to_string())
        .unwrap_or_default();
    match a.format {
        AddFormat::Json => output::print(&output::json(&json!({
            "id": outcome.id,
            "total": f64::from(graded.total_tenths) / 10.0,
            "grade": band.as_ref().map(|b| b.key.clone()),
            "grade_name": grade_name,
        }))?),
        AddFormat::Text => {
            output::message(&tr!(
                "activity.eval.graded",
                total = total,
                max = rubric.total(),
                grade = grade_name
            ));
            output::print(&format!("{}\n", outcome.id))
        }
    }
}

/// Every live evaluation with its id.
pub fn all_evaluations(store: &Store) -> CliResult<Vec<(String, Evaluation)>> {
    Ok(store
        .all_cached(Kind::Evaluation)?
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Evaluation(e) => Some((id, e)),
            _ => None,
        })
        .collect())
}

/// An evaluation as JSON with its computed total, grade, dimensions and
/// change since the organization's previous period.
fn eval_json(id: &str, e: &Evaluation, rubric: &Rubric, change: Option<i64>) -> Json {
    let g = e.grade(rubric);
    let scores: serde_json::Map<String, Json> = e
        .scores
        .iter()
        .map(|(k, s)| {
            (
                k.clone(),
                json!({ "points": f64::from(s.tenths) / 10.0, "note": s.note }),
            )
        })
        .collect();
    let dims: serde_json::Map<String, Json> = rubric
        .dimensions
        .iter()
        .zip(&g.dimensions)
        .map(|(d, t)| (d.key.clone(), json!(f64::from(*t) / 10.0)))
        .collect();
    json!({
        "id": id,
        "org": e.org,
        "period": e.period,
        "evaluators": e.evaluators,
        "date": e.date,
        "scores": scores,
        "dimensions": dims,
        "total": f64::from(g.total_tenths) / 10.0,
        "grade": g.band.map(|b| b.key.clone()),
        "change": change.map(|c| c as f64 / 10.0),
    })
}

fn list(store: &Store, args: EvalListArgs) -> CliResult {
    let rubric = rubric()?;
    if let Some(org) = &args.org {
        super::org::load(store, org)?;
    }
    let mut evals: Vec<(String, Evaluation)> = all_evaluations(store)?
        .into_iter()
        .filter(|(_, e)| args.org.as_ref().is_none_or(|o| &e.org == o))
        .collect();
    let key = |e: &Evaluation| e.period().map(|p| p.sort_key()).unwrap_or((0, 0));
    evals.sort_by(|a, b| {
        a.1.org
            .cmp(&b.1.org)
            .then(key(&a.1).cmp(&key(&b.1)))
            .then(a.0.cmp(&b.0))
    });
    // Change since the organization's previous evaluation (in tenths).
    let mut changes = Vec::with_capacity(evals.len());
    let mut last: Option<(&str, i64)> = None;
    for (_, e) in &evals {
        let total = i64::from(e.grade(&rubric).total_tenths);
        changes.push(match last {
            Some((org, prev)) if org == e.org => Some(total - prev),
            _ => None,
        });
        last = Some((e.org.as_str(), total));
    }
    match args.format {
        Format::Json => {
            let arr: Vec<Json> = evals
                .iter()
                .zip(&changes)
                .map(|((id, e), c)| eval_json(id, e, &rubric, *c))
                .collect();
            output::print(&output::json(&Json::Array(arr))?)
        }
        Format::Table | Format::Csv => {
            let names: HashMap<String, String> = store.names(Kind::Org)?.into_iter().collect();
            let header: Vec<String> = [
                "id",
                "org",
                "name",
                "period",
                "total",
                "grade",
                "change",
                "evaluators",
                "date",
            ]
            .iter()
            .map(|k| tr!(&format!("activity.eval.col.{k}")))
            .collect();
            let rows: Vec<Vec<String>> = evals
                .iter()
                .zip(&changes)
                .map(|((id, e), c)| {
                    let g = e.grade(&rubric);
                    vec![
                        id.clone(),
                        e.org.clone(),
                        names.get(&e.org).cloned().unwrap_or_default(),
                        e.period.clone(),
                        points_text(g.total_tenths),
                        g.band
                            .map(|b| b.label(lang()).to_string())
                            .unwrap_or_default(),
                        c.map(|c| {
                            let sign = if c >= 0 { "+" } else { "-" };
                            format!("{sign}{}", points_text(c.unsigned_abs() as u32))
                        })
                        .unwrap_or_default(),
                        e.evaluators.join("、"),
                        e.date.to_string(),
                    ]
                })
                .collect();
            if args.format == Format::Csv {
                output::print(&output::csv(&header, &rows)?)
            } else {
                let mut text = output::table(&header, &rows);
                text.push_str(&tr!("cli.count", n = evals.len()));
                text.push('\n');
                output::print(&text)
            }
        }
    }
}

/// An indicator as JSON: `key`, `name`, `max`, and `indicators` (its finer
/// parts, the same way) when it is divided.
fn indicator_json(i: &crate::model::rubric::Indicator, l: crate::model::Lang) -> Json {
    let mut j = json!({ "key": i.key, "name": i.label(l), "max": i.max });
    if !i.parts.is_empty() {
        j["indicators"] = Json::Array(i.parts.iter().map(|p| indicator_json(p, l)).collect());
    }
    j
}

pub fn run_rubric(cmd: RubricCommand) -> CliResult {
    let (key, format) = match cmd {
        RubricCommand::List { format } => return list_rubrics(format),
        RubricCommand::Show { key, format } => (key, format),
    };
    let config = crate::config::config_dir();
    let rubric =
        crate::report::rubric_named(config.as_deref(), key.as_deref()).map_err(CliError::Usage)?;
    let key = key.unwrap_or_else(|| crate::model::rubric::PERFORMANCE.to_string());
    let l = lang();
    match format {
        Format::Json => {
            let dims: Vec<Json> = rubric
                .dimensions
                .iter()
                .map(|d| {
                    json!({
                        "key": d.key,
                        "name": d.label(l),
                        "max": d.max,
                        "indicators": d.indicators.iter().map(|i| indicator_json(i, l)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let bands: Vec<Json> = rubric
                .bands
                .iter()
                .map(|b| json!({ "key": b.key, "name": b.label(l), "min": b.min }))
                .collect();
            output::print(&output::json(&json!({
                "key": key,
                "name": rubric_name(&key, &rubric),
                "total": rubric.total(),
                "dimensions": dims,
                "bands": bands,
            }))?)
        }
        Format::Table | Format::Csv => {
            let header: Vec<String> = ["dimension", "indicator", "key", "max"]
                .iter()
                .map(|k| tr!(&format!("activity.rubric.col.{k}")))
                .collect();
            let mut rows = Vec::new();
            // Finer parts indented under the indicator they divide.
            fn walk(
                d: &str,
                i: &crate::model::rubric::Indicator,
                depth: usize,
                l: crate::model::Lang,
                rows: &mut Vec<Vec<String>>,
            ) {
                rows.push(vec![
                    d.to_string(),
                    format!("{}{}", "  ".repeat(depth), i.label(l)),
                    i.key.clone(),
                    i.max.to_string(),
                ]);
                for p in &i.parts {
                    walk(d, p, depth + 1, l, rows);
                }
            }
            for d in &rubric.dimensions {
                for i in &d.indicators {
                    walk(d.label(l), i, 0, l, &mut rows);
                }
            }
            if format == Format::Csv {
                return output::print(&output::csv(&header, &rows)?);
            }
            let mut text = output::table(&header, &rows);
            text.push('\n');
            let bands: Vec<Vec<String>> = rubric
                .bands
                .iter()
                .map(|b| vec![b.label(l).to_string(), format!("≥ {}", b.min)])
                .collect();
            text.push_str(&output::table(
                &[
                    tr!("activity.rubric.col.band"),
                    tr!("activity.rubric.col.min"),
                ],
                &bands,
            ));
            output::print(&text)
        }
    }
}

/// A rubric's name in the user's language (the performance rubric's file
/// names none).
fn rubric_name(key: &str, r: &Rubric) -> String {
    match r.label(lang()) {
        Some(n) => n.to_string(),
        None if key == crate::model::rubric::PERFORMANCE => tr!("activity.rubric.performance"),
        None => key.to_string(),
    }
}

/// `sanshe rubric list`: key, name and total of each rubric.
fn list_rubrics(format: Format) -> CliResult {
    let config = crate::config::config_dir();
    let all = crate::report::load_rubrics(config.as_deref()).map_err(CliError::Usage)?;
    match format {
        Format::Json => {
            let v: Vec<Json> = all
                .iter()
                .map(|(k, r)| json!({ "key": k, "name": rubric_name(k, r), "total": r.total() }))
                .collect();
            output::print(&output::json(&Json::Array(v))?)
        }
        Format::Table | Format::Csv => {
            let header: Vec<String> = ["key", "name", "total"]
                .iter()
                .map(|k| tr!(&format!("activity.rubric.col.list_{k}")))
                .collect();
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|(k, r)| vec![k.clone(), rubric_name(k, r), r.total().to_string()])
                .collect();
            if format == Format::Csv {
                return output::print(&output::csv(&header, &rows)?);
            }
            output::print(&output::table(&header, &rows))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(scores: &[&str]) -> EvalAddArgs {
        EvalAddArgs {
            org: "k-1".into(),
            period: "2026".into(),
            scores: scores.iter().map(|s| s.to_string()).collect(),
            notes: vec!["staff=好".into()],
            evaluators: vec![],
            date: Some("2026-07-01".into()),
            format: AddFormat::Text,
        }
    }

    #[test]
    fn scores_are_checked_against_the_rubric() {
        let r = Rubric::shipped();
        let ev = parse_add(&args(&["staff=7.5", "finance=8"]), &r).unwrap();
        assert_eq!(ev.scores["staff"].tenths, 75);
        assert_eq!(ev.scores["staff"].note.as_deref(), Some("好"));
        assert!(parse_add(&args(&["staff=8.5"]), &r).is_err());
        assert!(parse_add(&args(&["nope=1", "staff=1"]), &r).is_err());
        assert!(parse_add(&args(&["staff"]), &r).is_err());
        let mut a = args(&["staff=1"]);
        a.date = Some("2026-02-30".into());
        assert!(parse_add(&a, &r).is_err());
    }
}
