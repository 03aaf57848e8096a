//! What the 中心 pane asks of the store: this office's center and its
//! checklist, and the center's other registers (filings, party coverage
//! and instructors, leads), each as a view of rows in
//! words (built where the store is, in the user's language), and running
//! a command (an item answered by hand). Leads are in it only for staff
//! allowed to see them, and never with who reported them.

use chrono::NaiveDate;

use crate::model::center::{Center, Rules};
use crate::model::lead::{Lead, LeadState};
use crate::model::{Kind, Labeled, Record};
use crate::report::center as rc;
use crate::store::{session, Command, Store, StoreError};
use crate::text::{field_label, lang, t};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum CenterRequest {
    /// Everything, with the checklist on `today` under `rules` (the
    /// app's configuration).
    Load {
        today: NaiveDate,
        rules: Rules,
    },
    Execute(Box<Command>),
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum CenterResponse {
    Loaded(Box<CenterData>),
    Executed {
        cmd: Box<Command>,
        result: Result<String, StoreError>,
    },
    Failed(String),
}

/// One row of a view: its cells, and what the detail box shows for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub cells: Vec<String>,
    pub detail: Vec<(String, String)>,
    /// A checklist item answered by hand: its key.
    pub check: Option<String>,
    /// Shown dim (an item met, a lead closed).
    pub dim: bool,
}

/// One view of the pane: a list of rows under a header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct View {
    pub title: String,
    pub header: Vec<String>,
    /// Column widths in cells; the last takes what is left.
    pub widths: Vec<u16>,
    pub rows: Vec<Row>,
    /// What the list says when there is no row.
    pub empty: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CenterData {
    /// This office's center (id and record), if its profile exists.
    pub center: Option<(String, Center)>,
    /// The line above the views (name and the checklist in figures).
    pub summary: String,
    pub views: Vec<View>,
}

pub fn serve(store: &Store, r: CenterRequest) -> CenterResponse {
    match r {
        CenterRequest::Load { today, rules } => match load(store, today, &rules) {
            Ok(d) => CenterResponse::Loaded(Box::new(d)),
            Err(e) => CenterResponse::Failed(e.message()),
        },
        CenterRequest::Execute(mut cmd) => {
            // An item answered now is answered by whoever writes.
            if let Command::Update {
                before: Record::Center(b),
                after: Record::Center(a),
                ..
            } = cmd.as_mut()
            {
                for (k, c) in a.checks.iter_mut() {
                    if c.mark.author.is_none() && b.checks.get(k) != Some(c) {
                        c.mark.author = Some(store.writing_user());
                    }
                }
            }
            let result = store.execute((*cmd).clone()).map(|o| o.id);
            CenterResponse::Executed { cmd, result }
        }
    }
}

fn col(k: &str) -> String {
    t(&format!("center.tui.col.{k}")).to_string()
}

fn load(store: &Store, today: NaiveDate, rules: &Rules) -> Result<CenterData, StoreError> {
    let lg = lang();
    let own = rc::own(store)?;
    let mut views = Vec::new();
    let summary;
    match &own {
        Some((_, c)) => {
            let (items, org) = rc::checklist_of(store, c, rules, today)?;
            let ok = items
                .iter()
                .filter(|i| i.status == crate::model::center::Status::Ok)
                .count();
            summary = crate::tr!(
                "center.tui.summary",
                name = c.name,
                ok = ok,
                n = items.len()
            );
            let org_name = org.as_ref().map(|o| o.name.as_str());
            let mut rows: Vec<Row> = rc::profile_rows(c, org_name, lg)
                .into_iter()
                .map(|r| Row {
                    detail: vec![(r[0].clone(), r[1].clone())],
                    cells: r,
                    check: None,
                    dim: false,
                })
                .collect();
            let year = chrono::Datelike::year(&today);
            for f in c.funding_in(year) {
                let v = format!(
                    "{} {} {}（{}—{}）",
                    f.kind.label(lg),
                    f.payer,
                    crate::model::money::format(f.amount_fen),
                    f.from,
                    f.to
                );
                rows.push(Row {
                    cells: vec![t("center.label.funding").to_string(), v.clone()],
                    detail: vec![(t("center.label.funding").to_string(), v)],
                    check: None,
                    dim: false,
                });
            }
            for m in c.meetings.values().rev() {
                let v = format!("{} {} {}", m.date, m.with, m.topic);
                rows.push(Row {
                    cells: vec![t("center.label.meetings").to_string(), v.clone()],
                    detail: vec![(t("center.label.meetings").to_string(), v)],
                    check: None,
                    dim: true,
                });
            }
            views.push(View {
                title: t("center.tui.view.profile").to_string(),
                header: vec![col("item"), col("value")],
                widths: vec![18, 0],
                rows,
                empty: String::new(),
            });
            views.push(View {
                title: t("center.tui.view.compliance").to_string(),
                header: vec![col("clause"), col("status"), col("check")],
                widths: vec![8, 8, 0],
                rows: items
                    .iter()
                    .map(|i| {
                        let label = rc::item_label(i, rules, lg);
                        let status = rc::status_text(i.status, lg).to_string();
                        Row {
                            detail: vec![
                                (col("check"), label.clone()),
                                (col("clause"), i.clause.clone()),
                                (col("status"), status.clone()),
                                (col("detail"), rc::detail_text(i, lg)),
                            ],
                            cells: vec![i.clause.clone(), status, label],
                            check: i.manual.then(|| i.key.clone()),
                            dim: i.status == crate::model::center::Status::Ok,
                        }
                    })
                    .collect(),
                empty: String::new(),
            });
        }
        None => {
            summary = t("center.tui.no_profile").to_string();
        }
    }
    views.push(filings_view(store)?);
    views.extend(party_views(store)?);
    if session::may_see_leads() {
        views.push(leads_view(store)?);
    }
    Ok(CenterData {
        center: own,
        summary,
        views,
    })
}

/// The leads, newest first; never the reporter (`model::lead::hides`).
fn leads_view(store: &Store) -> Result<View, StoreError> {
    let lg = lang();
    let mut leads: Vec<(String, Lead)> = store
        .all(Kind::Lead)?
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Lead(l) => Some((id, l)),
            _ => None,
        })
        .collect();
    let came = |l: &Lead| l.steps.get(LeadState::Lead.key()).map(|m| m.date);
    leads.sort_by(|a, b| came(&b.1).cmp(&came(&a.1)).then_with(|| a.0.cmp(&b.0)));
    let rows = leads
        .iter()
        .map(|(_, l)| {
            let f = |k: &str| field_label(k);
            let mut detail = vec![
                (f("name_used"), l.name_used.clone()),
                (f("place"), l.place.clone()),
                (f("facts"), l.facts.clone()),
                (f("source"), l.source.label(lg).to_string()),
                (f("category"), l.category.label(lg).to_string()),
            ];
            for (k, v) in [
                ("founder", &l.founder),
                ("evidence", &l.evidence),
                ("reported_to", &l.reported_to),
            ] {
                if let Some(v) = v {
                    detail.push((f(k), v.clone()));
                }
            }
            if !l.channels.is_empty() {
                detail.push((f("channels"), l.channels.join("、")));
            }
            for s in LeadState::ALL {
                if let Some(m) = l.steps.get(s.key()) {
                    detail.push((
                        s.label(lg).to_string(),
                        format!("{} {}", m.date, m.author.clone().unwrap_or_default()),
                    ));
                }
            }
            Row {
                cells: vec![
                    came(l).map(|d| d.to_string()).unwrap_or_default(),
                    l.state.label(lg).to_string(),
                    l.name_used.clone(),
                ],
                detail,
                check: None,
                dim: matches!(l.state, LeadState::Closed | LeadState::NotIllegal),
            }
        })
        .collect();
    Ok(View {
        title: t("center.tui.view.leads").to_string(),
        header: vec![col("date"), col("state"), col("name_used")],
        widths: vec![10, 8, 0],
        rows,
        empty: t("center.tui.no_leads").to_string(),
    })
}

/// The filings, newest application first, with their materials and steps.
fn filings_view(store: &Store) -> Result<View, StoreError> {
    use crate::model::filing::step_key;
    let lg = lang();
    let f = |k: &str| field_label(k);
    let filings = crate::report::filing::Filings::load(store)?;
    let rows = filings
        .rows
        .iter()
        .map(|r| {
            let x = &r.filing;
            let mut detail = vec![
                (f("name"), x.name.clone()),
                (col("state"), x.state.label(lg).to_string()),
                (f("person_in_charge"), x.person_in_charge.clone()),
                (f("place"), x.place.clone()),
            ];
            let mut opt = |k: &str, v: Option<String>| {
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    detail.push((f(k), v));
                }
            };
            opt("number", x.number.clone());
            opt("community", r.community_name.clone());
            opt("members", x.members.map(|m| m.to_string()));
            opt("funds", x.funds_fen.map(crate::model::money::format));
            opt("scope", x.scope.clone());
            opt("org", r.org_name.clone());
            for (k, m) in &x.steps {
                let label = step_key(k)
                    .map(|(_, s)| s.label(lg).to_string())
                    .unwrap_or_else(|| k.clone());
                let who = m.author.clone().unwrap_or_default();
                let note = m.note.clone().unwrap_or_default();
                detail.push((label, format!("{} {who} {note}", m.date).trim().to_string()));
            }
            for m in x.changes.values() {
                detail.push((
                    f("changes"),
                    format!("{} {}", m.date, m.note.clone().unwrap_or_default()),
                ));
            }
            Row {
                cells: vec![
                    r.applied.map(|d| d.to_string()).unwrap_or_default(),
                    x.state.label(lg).to_string(),
                    x.name.clone(),
                ],
                detail,
                check: None,
                dim: false,
            }
        })
        .collect();
    Ok(View {
        title: t("center.tui.view.filings").to_string(),
        header: vec![col("applied"), col("state"), col("name")],
        widths: vec![10, 8, 0],
        rows,
        empty: t("center.tui.no_filings").to_string(),
    })
}

/// Party building: coverage by community, then the instructors with
/// their organizations and visits.
fn party_views(store: &Store) -> Result<Vec<View>, StoreError> {
    let (communities, total) = crate::report::party::coverage(store)?;
    let cover_row = |name: String, c: &crate::report::party::CommunityCoverage| Row {
        cells: vec![
            format!("{}%", c.rate),
            format!("{}/{}", c.covered, c.active),
            name.clone(),
        ],
        detail: vec![
            (col("community"), name),
            (col("coverage"), format!("{}%", c.rate)),
            (t("center.tui.own").to_string(), c.own.to_string()),
            (t("center.tui.joint").to_string(), c.joint.to_string()),
            (
                t("center.tui.instructor").to_string(),
                c.instructor.to_string(),
            ),
        ],
        check: None,
        dim: false,
    };
    let mut rows: Vec<Row> = communities
        .iter()
        .map(|c| cover_row(c.name.clone().unwrap_or_else(|| c.code.clone()), c))
        .collect();
    rows.push(cover_row(t("center.tui.all").to_string(), &total));
    let coverage = View {
        title: t("center.tui.view.party").to_string(),
        header: vec![col("coverage"), col("covered"), col("community")],
        widths: vec![7, 9, 0],
        rows,
        empty: String::new(),
    };
    let ins = crate::report::party::Instructors::load(store)?;
    let rows = ins
        .rows
        .iter()
        .map(|(_, i)| {
            let last = crate::report::party::Instructors::last_visit(i)
                .map(|d| d.to_string())
                .unwrap_or_default();
            let mut detail = vec![
                (field_label("name"), i.name.clone()),
                (field_label("unit"), i.unit.clone()),
            ];
            if let Some(p) = &i.phone {
                detail.push((field_label("phone"), p.clone()));
            }
            for o in &i.orgs {
                detail.push((col("covers"), ins.org_name(o).to_string()));
            }
            for v in i.visits.values().rev() {
                detail.push((
                    v.date.to_string(),
                    format!("{} {}", ins.org_name(&v.org), v.note),
                ));
            }
            Row {
                cells: vec![
                    last,
                    i.orgs.len().to_string(),
                    format!("{} {}", i.name, i.unit),
                ],
                detail,
                check: None,
                dim: false,
            }
        })
        .collect();
    let instructors = View {
        title: t("center.tui.view.instructors").to_string(),
        header: vec![col("last_visit"), col("orgs"), col("instructor")],
        widths: vec![10, 4, 0],
        rows,
        empty: t("center.tui.no_instructors").to_string(),
    };
    Ok(vec![coverage, instructors])
}
