//! The demo township's 公益创投 (`fixtures/demo/venture.toml`): last year's
//! round, finished, and this year's with projects at every state. Each
//! project is taken from 已申报 to its state one step at a time through the
//! store's commands, so the demo obeys the rules a person meets: sheets
//! before the review, eligibility, the cap and budget, tranches only when
//! their condition is met.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Deserialize;

use super::{ActivityLoadError, DemoError};
use crate::model::money::{self, Unit};
use crate::model::review::Aggregate;
use crate::model::venture::{
    parse_kpi, parse_tranche, AppState, Application, Mark, Payment, ReviewSheet, Round, Stage,
    Visit, VisitKind,
};
use crate::model::{Domain, FieldError, Kind, Labeled, Record, Rule, ValidationErrors};
use crate::store::{Command, Store};

const FILE: &str = "fixtures/demo/venture.toml";
const TOML: &str = include_str!("../../fixtures/demo/venture.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VentureFile {
    round: Vec<RoundEntry>,
    project: Vec<ProjectEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoundEntry {
    key: String,
    title: String,
    year: i32,
    funder: String,
    budget: String,
    cap: String,
    themes: Vec<Domain>,
    tranches: Vec<String>,
    aggregate: Aggregate,
    call_from: NaiveDate,
    call_to: NaiveDate,
    review_on: NaiveDate,
    publicity_days: u32,
    midterm_due: NaiveDate,
    final_due: NaiveDate,
    /// Name and lean (points added to the project's score share).
    reviewers: Vec<(String, i32)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VisitEntry {
    kind: VisitKind,
    date: NaiveDate,
    visitors: Vec<String>,
    findings: String,
    follow_up: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectEntry {
    round: String,
    org: String,
    title: String,
    requested: String,
    award: Option<String>,
    from: NaiveDate,
    to: NaiveDate,
    domains: Vec<Domain>,
    #[serde(default)]
    kpis: Vec<String>,
    score: Option<i32>,
    final_score: Option<i32>,
    state: AppState,
    path: Option<Vec<AppState>>,
    #[serde(default)]
    dates: Vec<NaiveDate>,
    #[serde(default)]
    brand: bool,
    #[serde(default)]
    recuse: Vec<String>,
    visit: Option<VisitEntry>,
}

fn invalid(title: &str, field: &str, message: String) -> DemoError {
    DemoError::Invalid {
        file: FILE.to_string(),
        title: title.to_string(),
        errors: ValidationErrors(vec![FieldError::new(field, Rule::Other { message })]),
    }
}

fn yuan(title: &str, field: &str, v: &str) -> Result<u64, DemoError> {
    money::parse(v, Unit::Yuan).ok_or_else(|| invalid(title, field, v.to_string()))
}

/// The usual way from 已申报 to `to`.
fn path_to(to: AppState) -> Vec<AppState> {
    use AppState::*;
    let main = [
        Eligible,
        Reviewed,
        Shortlisted,
        Publicized,
        Approved,
        InProgress,
        MidtermPassed,
        FinalPassed,
        Closed,
    ];
    let upto = |s: AppState| -> Vec<AppState> {
        let i = main.iter().position(|x| *x == s).unwrap_or(0);
        main[..=i].to_vec()
    };
    match to {
        Submitted => Vec::new(),
        Ineligible => vec![Ineligible],
        MidtermToFix | Terminated => {
            let mut p = upto(InProgress);
            p.push(to);
            p
        }
        Failed => {
            let mut p = upto(MidtermPassed);
            p.push(Failed);
            p
        }
        s => upto(s),
    }
}

/// Points of every indicator of `rubric` at `percent` of its maximum,
/// rounded to half points.
fn sheet_scores(rubric: &crate::model::Rubric, percent: i32) -> BTreeMap<String, u32> {
    let p = percent.clamp(0, 100) as u32;
    rubric
        .indicators()
        .map(|i| {
            // Tenths, to the nearest half point.
            let tenths = i.max * 10 * p / 100;
            (i.key.clone(), (tenths + 2) / 5 * 5)
        })
        .collect()
}

/// Loads the demo rounds and projects into a store holding the demo
/// organizations and activities; returns how many records were created.
pub fn load_venture(store: &Store) -> Result<usize, ActivityLoadError> {
    let file: VentureFile = toml::from_str(TOML).map_err(|e| DemoError::Toml {
        file: FILE.to_string(),
        source: Box::new(e),
    })?;
    let orgs: HashMap<String, String> = store
        .names(Kind::Org)?
        .into_iter()
        .map(|(id, name)| (name, id))
        .collect();
    let rubric_of = |stage: Stage| {
        crate::report::rubric_named(None, Some(stage.rubric()))
            .map_err(|e| invalid(stage.rubric(), "rubric", e))
    };
    let rubrics: HashMap<Stage, crate::model::Rubric> =
        [Stage::Review, Stage::Midterm, Stage::Final]
            .into_iter()
            .map(|s| rubric_of(s).map(|r| (s, r)))
            .collect::<Result<_, _>>()?;
    let mut created = 0;
    let mut rounds: HashMap<String, (String, RoundEntry, Round)> = HashMap::new();
    for r in file.round {
        let mut round = Round::new(
            &r.title,
            r.year,
            yuan(&r.title, "budget", &r.budget)?,
            yuan(&r.title, "cap", &r.cap)?,
        );
        round.funder = Some(r.funder.clone());
        round.themes = r.themes.clone();
        for (i, t) in r.tranches.iter().enumerate() {
            let t = parse_tranche(t).ok_or_else(|| invalid(&r.title, "tranches", t.clone()))?;
            round.tranches.insert(i as u32 + 1, t);
        }
        round.aggregate = r.aggregate;
        round.call_from = Some(r.call_from);
        round.call_to = Some(r.call_to);
        round.review_on = Some(r.review_on);
        round.publicity_days = Some(r.publicity_days);
        round.midterm_due = Some(r.midterm_due);
        round.final_due = Some(r.final_due);
        let id = store
            .execute(Command::Create {
                record: Record::Round(round.clone()),
            })?
            .id;
        created += 1;
        rounds.insert(r.key.clone(), (id, r, round));
    }
    let activities = store.all(Kind::Activity)?;
    for p in file.project {
        let Some((round_id, entry, round)) = rounds.get(&p.round) else {
            return Err(invalid(&p.title, "round", p.round.clone()).into());
        };
        let org = orgs
            .get(&p.org)
            .cloned()
            .ok_or_else(|| invalid(&p.title, "org", p.org.clone()))?;
        let requested = yuan(&p.title, "requested", &p.requested)?;
        let mut app = Application::new(round_id, &org, &p.title, requested, p.from, p.to);
        app.domains = p.domains.clone();
        for k in &p.kpis {
            let (name, target) =
                parse_kpi(k).ok_or_else(|| invalid(&p.title, "kpis", k.clone()))?;
            app.kpis.entry(name).or_default().target = target;
        }
        app.steps.insert(
            AppState::Submitted.key().to_string(),
            Mark {
                date: entry.call_to,
                author: None,
                note: None,
            },
        );
        let id = store
            .execute(Command::Create {
                record: Record::Application(app.clone()),
            })?
            .id;
        created += 1;
        let path = p.path.clone().unwrap_or_else(|| path_to(p.state));
        let mut date = entry.call_to;
        for (i, to) in path.iter().enumerate() {
            date = p.dates.get(i).copied().unwrap_or(date);
            // The sheets come before the result they decide.
            let sheets = match to {
                AppState::Reviewed => Some((Stage::Review, p.score, entry.reviewers.len())),
                AppState::MidtermPassed | AppState::MidtermToFix => {
                    Some((Stage::Midterm, p.score, 2))
                }
                AppState::FinalPassed | AppState::Failed => {
                    Some((Stage::Final, p.final_score.or(p.score), 2))
                }
                _ => None,
            };
            if let Some((stage, Some(score), n)) = sheets {
                for (name, lean) in entry.reviewers.iter().take(n) {
                    let recused = p.recuse.contains(name);
                    let sheet = ReviewSheet {
                        application: id.clone(),
                        stage,
                        reviewer: name.clone(),
                        scores: if recused {
                            BTreeMap::new()
                        } else {
                            sheet_scores(&rubrics[&stage], score + lean)
                        },
                        recused,
                        date,
                        notes: None,
                    };
                    store.execute(Command::Create {
                        record: Record::Review(sheet),
                    })?;
                    created += 1;
                }
            }
            let before = app.clone();
            app.state = *to;
            app.steps.insert(
                to.key().to_string(),
                Mark {
                    date,
                    author: None,
                    note: None,
                },
            );
            if *to == AppState::Approved {
                let award = p.award.as_deref().unwrap_or(&p.requested);
                app.awarded_fen = Some(yuan(&p.title, "award", award)?);
                app.agreement = Some(format!("BS-GYCT-{}-{:02}", entry.year, created % 100));
                app.agreement_date = Some(date);
            }
            store.execute(Command::Update {
                id: id.clone(),
                before: Record::Application(before),
                after: Record::Application(app.clone()),
            })?;
            // A tranche whose condition this step met is paid the same day.
            let before = app.clone();
            if let Some(award) = app.awarded_fen {
                for (seq, t) in round.plan() {
                    if t.condition.met_in(app.state) && !app.paid.contains_key(&seq) {
                        app.paid.insert(
                            seq,
                            Payment {
                                date,
                                amount_fen: round.tranche_amount(seq, award).unwrap_or(0),
                            },
                        );
                    }
                }
            }
            if app != before {
                store.execute(Command::Update {
                    id: id.clone(),
                    before: Record::Application(before),
                    after: Record::Application(app.clone()),
                })?;
            }
        }
        if app.awarded_fen.is_some() {
            if app.brand != p.brand {
                let before = app.clone();
                app.brand = p.brand;
                store.execute(Command::Update {
                    id: id.clone(),
                    before: Record::Application(before),
                    after: Record::Application(app.clone()),
                })?;
            }
            // The organization's activities in the project's period are
            // the project's (at most twelve).
            let mut linked = 0;
            for (aid, r) in &activities {
                let Record::Activity(a) = r else { continue };
                if linked == 12 || !a.orgs.contains(&org) || a.date < p.from || a.date > p.to {
                    continue;
                }
                let mut after = a.clone();
                after.project = Some(id.clone());
                store.execute(Command::Update {
                    id: aid.clone(),
                    before: r.clone(),
                    after: Record::Activity(after),
                })?;
                linked += 1;
            }
        }
        if let Some(v) = &p.visit {
            store.execute(Command::Create {
                record: Record::Visit(Visit {
                    application: id.clone(),
                    kind: v.kind,
                    date: v.date,
                    visitors: v.visitors.clone(),
                    findings: Some(v.findings.clone()),
                    follow_up: v.follow_up,
                    closed: false,
                }),
            })?;
            created += 1;
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_rounds_load_with_projects_at_every_state() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        super::super::load(&store, super::super::fixture_records().unwrap()).unwrap();
        super::super::load_activities(&store).unwrap();
        load_venture(&store).unwrap();
        let v = crate::report::venture::Ventures::with_figures(&store).unwrap();
        assert_eq!(v.rounds.len(), 2);
        for s in AppState::ALL {
            assert!(v.apps.iter().any(|(_, a)| a.state == *s), "no project {s}");
        }
        // Last year's round is finished: every project closed, fully paid.
        let (old, _) = v.rounds.iter().find(|(_, r)| r.year == 2025).unwrap();
        for (id, a) in v.apps_of(old) {
            assert_eq!(a.state, AppState::Closed);
            if let Some(award) = a.awarded_fen {
                assert_eq!(a.paid_fen(), award, "{id}");
                assert!(v.figures(id).activities > 0, "{}", a.title);
            }
        }
        // This year's ranking proposes awards within the budget.
        let (new, r) = v.rounds.iter().find(|(_, r)| r.year == 2026).unwrap();
        let ranked = v.rank(new);
        assert!(ranked.len() >= 8);
        assert!(ranked.iter().map(|x| x.award).sum::<u64>() <= r.budget_fen);
        assert!(!v
            .due(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap())
            .is_empty());
    }
}
