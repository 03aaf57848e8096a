//! What the linkage pane asks of the store, and the worker's side of it:
//! the pane's data (needs in the order staff work them, every offer
//! prepared for ranking, the linkages, the grid overview), proposing a
//! linkage and taking one a step further, undoing the pane's changes.
//! Every change answers with the data read again, so the pane never
//! patches its own copy, and with what to put in the undo log. Messages
//! name records by their titles, never by their ids.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::matching::places::PlaceIndex;
use crate::matching::transition::{need_has_other, step_commands, StepRequest};
use crate::matching::{overview, Matcher, Overview};
use crate::model::linkage::StepError;
use crate::model::{
    Kind, Labeled, Linkage, LinkageState, Need, NeedState, Offer, Partner, ProviderKind, Record,
    Worker,
};
use crate::search::sort_key;
use crate::store::{Command, Store, StoreError};
use crate::tui::undo::Change;

pub use super::form::Provider;

/// A request of the linkage pane.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum LinkRequest {
    /// Everything the pane shows, as of `today`.
    Load { today: NaiveDate },
    /// Propose a linkage of `need` with `offer`.
    Propose {
        need: String,
        offer: String,
        today: NaiveDate,
    },
    /// Take linkage `id` to state `to` (with its need and offers).
    Step {
        id: String,
        to: LinkageState,
        today: NaiveDate,
    },
    /// Create a record (a need or an offer) or, with `id`, change record
    /// `id` from `before` to `record`.
    Save {
        id: Option<String>,
        before: Option<Box<Record>>,
        record: Box<Record>,
        today: NaiveDate,
        /// Save even if it looks like a record already known (staff saw
        /// the warning and saved again).
        ack: bool,
    },
}

/// What a proposal or a step did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkDone {
    /// What to tell staff (names, never ids).
    pub message: String,
    /// The need's id (it stays selected).
    pub need: String,
    /// The linkage's state now.
    pub state: LinkageState,
    /// The change, for the undo log.
    pub undo: Change,
}

/// A record saved from a form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Saved {
    pub kind: Kind,
    pub id: String,
    /// Its title or name, for the message.
    pub title: String,
    /// The change, for the undo log.
    pub undo: Change,
}

/// An answer to a [`LinkRequest`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum LinkResponse {
    /// The pane's data.
    Loaded(Box<LinkData>),
    /// Not saved: a new record looks like these (saving again saves it).
    Warned(Vec<crate::store::Warning>),
    /// A proposal or a step: what it did (or why not), and the data read
    /// afterwards.
    Changed {
        result: Result<LinkDone, String>,
        data: Option<Box<LinkData>>,
    },
    /// A record saved from a form (or why not), and the data read
    /// afterwards.
    Saved {
        result: Result<Saved, StoreError>,
        data: Option<Box<LinkData>>,
    },
    /// Reading failed.
    Failed(String),
}

/// A need in the list, with the names of its place, community and grid
/// cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NeedRow {
    pub id: String,
    pub need: Need,
    /// The name of the need's place (a community, grid cell or micro-grid).
    pub place: String,
    /// The name of its community (empty if unknown).
    pub community: String,
    /// The name of its grid cell (empty for a need of a whole community).
    pub cell: String,
}

impl NeedRow {
    /// A need at `need.grid`, its places named from `places`.
    pub fn new(id: String, need: Need, places: &PlaceIndex) -> NeedRow {
        let chain = places.chain(&need.grid);
        let name = |pick: fn(&crate::matching::places::Chain) -> u32| {
            chain
                .and_then(|c| places.place(pick(c)))
                .map_or_else(String::new, |p| p.name.clone())
        };
        let (community, cell) = (name(|c| c.community), name(|c| c.grid));
        let place = chain
            .and_then(|c| places.place(c.id))
            .map_or_else(|| need.grid.clone(), |p| p.name.clone());
        NeedRow {
            id,
            need,
            place,
            community,
            cell,
        }
    }

    /// Community and grid cell in few columns, for the list: the cell's
    /// name alone when it starts with its community's (宝石一网格 is in
    /// 宝石社区), else both; the community alone for a need of a whole
    /// community.
    pub fn place_label(&self) -> String {
        let stem = self
            .community
            .strip_suffix("社区")
            .unwrap_or(&self.community);
        match (self.community.is_empty(), self.cell.is_empty()) {
            (true, true) => self.place.clone(),
            (false, true) => self.community.clone(),
            (true, false) => self.cell.clone(),
            _ if !stem.is_empty() && self.cell.starts_with(stem) => self.cell.clone(),
            _ => format!("{} {}", self.community, self.cell),
        }
    }

    /// Community, grid cell and place in full (each named once), for the
    /// detail.
    pub fn place_full(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for p in [&self.community, &self.cell, &self.place] {
            if !p.is_empty() && !parts.contains(&p.as_str()) {
                parts.push(p);
            }
        }
        parts.join(" ")
    }

    /// Done or closed: shown (greyed) only until the pane is left.
    pub fn finished(&self) -> bool {
        matches!(self.need.state, NeedState::Done | NeedState::Closed)
    }
}

/// Everything the pane shows.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct LinkData {
    /// Every need: open first, then matched and in progress (done and
    /// closed ones among those in progress, so one done in the pane stays
    /// where it was); the most urgent first; then the oldest. The pane
    /// lists the ones not done nor closed, and those it took to done.
    pub needs: Vec<NeedRow>,
    /// Every offer, prepared for ranking.
    pub matcher: Matcher,
    /// Every linkage, newest proposal first.
    pub linkages: Vec<(String, Linkage)>,
    /// Counts per community and grid cell.
    pub overview: Overview,
    /// Positions in `provider_list` in the order of the ids, to find a
    /// provider's name by id (a map would copy 100,000 ids and names).
    pub provider_by_id: Vec<u32>,
    /// Offer id -> its index in `matcher`.
    pub offer_at: HashMap<String, usize>,
    /// Organizations, then social workers, then partners, each by name:
    /// who can provide an offer.
    pub provider_list: Vec<Provider>,
    /// Social workers by id (to edit them as providers).
    pub workers: HashMap<String, Worker>,
    /// Partners by id (to edit them as providers).
    pub partners: HashMap<String, Partner>,
}

impl LinkData {
    /// The linkages of need `id`, newest first.
    pub fn linkages_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a (String, Linkage)> {
        self.linkages.iter().filter(move |(_, l)| l.need == id)
    }

    /// The title of offer `id` (empty if unknown).
    pub fn offer_title(&self, id: &str) -> &str {
        self.offer_at
            .get(id)
            .and_then(|&i| self.matcher.offer(i))
            .map_or("", |(_, o)| o.title.as_str())
    }

    /// The name of the provider of offer `id` (empty if unknown).
    pub fn offer_provider(&self, id: &str) -> &str {
        self.offer_at
            .get(id)
            .and_then(|&i| self.matcher.offer(i))
            .map_or("", |(_, o)| self.provider_name(&o.provider))
    }

    /// The name of provider `id` (empty if unknown: never the id).
    pub fn provider_name(&self, id: &str) -> &str {
        let list = &self.provider_list;
        let at = |i: u32| list.get(i as usize);
        self.provider_by_id
            .binary_search_by(|&i| at(i).map_or("", |p| p.id.as_str()).cmp(id))
            .ok()
            .and_then(|k| at(self.provider_by_id[k]))
            .map_or("", |p| p.name.as_str())
    }

    /// The linkage of need `id` that is still moving (not done nor
    /// cancelled), newest first.
    pub fn live_linkage<'a>(&'a self, id: &'a str) -> Option<&'a (String, Linkage)> {
        self.linkages_of(id).find(|(_, l)| !l.state.is_final())
    }
}

/// The order of the need list (see [`LinkData::needs`]).
pub fn need_order(a: &NeedRow, b: &NeedRow) -> std::cmp::Ordering {
    let key = |r: &NeedRow| {
        let state = if r.finished() {
            NeedState::InProgress
        } else {
            r.need.state
        };
        (
            state.index(),
            std::cmp::Reverse(r.need.urgency.index()),
            r.need.raised.unwrap_or(NaiveDate::MAX),
        )
    };
    key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
}

fn all<T>(
    store: &Store,
    kind: Kind,
    pick: fn(Record) -> Option<T>,
) -> Result<Vec<(String, T)>, StoreError> {
    Ok(store
        .all(kind)?
        .into_iter()
        .filter_map(|(id, r)| pick(r).map(|t| (id, t)))
        .collect())
}

fn pick_need(r: Record) -> Option<Need> {
    match r {
        Record::Need(n) => Some(n),
        _ => None,
    }
}

fn pick_offer(r: Record) -> Option<Offer> {
    match r {
        Record::Offer(o) => Some(o),
        _ => None,
    }
}

fn pick_worker(r: Record) -> Option<Worker> {
    match r {
        Record::Worker(w) => Some(w),
        _ => None,
    }
}

fn pick_partner(r: Record) -> Option<Partner> {
    match r {
        Record::Partner(p) => Some(p),
        _ => None,
    }
}

fn pick_linkage(r: Record) -> Option<Linkage> {
    match r {
        Record::Linkage(l) => Some(l),
        _ => None,
    }
}

/// Reads the pane's data.
pub fn load(store: &Store, today: NaiveDate) -> Result<LinkData, StoreError> {
    let places = store.places()?;
    let needs = all(store, Kind::Need, pick_need)?;
    let offers = all(store, Kind::Offer, pick_offer)?;
    let mut linkages = all(store, Kind::Linkage, pick_linkage)?;
    linkages.sort_by(|a, b| b.1.proposed.cmp(&a.1.proposed).then_with(|| b.0.cmp(&a.0)));
    let mut provider_list = Vec::new();
    for (kind, as_provider) in [
        (Kind::Org, ProviderKind::Org),
        (Kind::Worker, ProviderKind::Worker),
        (Kind::Partner, ProviderKind::Partner),
    ] {
        let mut names = store.names(kind)?;
        names.sort_by_cached_key(|(_, n)| sort_key(n));
        provider_list.extend(names.into_iter().map(|(id, name)| Provider {
            id,
            name,
            kind: as_provider,
        }));
    }
    let mut provider_by_id: Vec<u32> = (0..provider_list.len() as u32).collect();
    let id_at = |i: &u32| provider_list.get(*i as usize).map_or("", |p| p.id.as_str());
    provider_by_id.sort_unstable_by(|a, b| id_at(a).cmp(id_at(b)));
    let grades = crate::report::provider_grades(store);
    let matcher = Matcher::with_grades(&places, offers.clone(), &linkages, &grades);
    let overview = overview(matcher.places(), &needs, &offers, &linkages, today);
    let mut rows: Vec<NeedRow> = needs
        .into_iter()
        .map(|(id, need)| NeedRow::new(id, need, matcher.places()))
        .collect();
    rows.sort_by(need_order);
    let offer_at = (0..matcher.len())
        .filter_map(|i| matcher.offer(i).map(|(id, _)| (id.to_string(), i)))
        .collect();
    Ok(LinkData {
        offer_at,
        provider_list,
        workers: all(store, Kind::Worker, pick_worker)?.into_iter().collect(),
        partners: all(store, Kind::Partner, pick_partner)?
            .into_iter()
            .collect(),
        needs: rows,
        matcher,
        linkages,
        overview,
        provider_by_id,
    })
}

/// Answers one request.
pub fn serve(store: &Store, req: LinkRequest) -> LinkResponse {
    let reload = |today| load(store, today).ok().map(Box::new);
    match req {
        LinkRequest::Load { today } => match load(store, today) {
            Ok(d) => LinkResponse::Loaded(Box::new(d)),
            Err(e) => LinkResponse::Failed(e.message()),
        },
        LinkRequest::Propose { need, offer, today } => LinkResponse::Changed {
            result: propose(store, &need, offer, today),
            data: reload(today),
        },
        LinkRequest::Step { id, to, today } => LinkResponse::Changed {
            result: step(store, &id, to, today),
            data: reload(today),
        },
        LinkRequest::Save {
            id,
            before,
            record,
            today,
            ack,
        } => match (id.is_none() && !ack)
            .then(|| warned(store, &record))
            .flatten()
        {
            Some(warnings) => LinkResponse::Warned(warnings),
            None => LinkResponse::Saved {
                result: save(store, id, before, *record),
                data: reload(today),
            },
        },
    }
}

/// The records a new `record` looks like, if any (the store's check; an
/// error is left for the save to report).
fn warned(store: &Store, record: &Record) -> Option<Vec<crate::store::Warning>> {
    let cmd = Command::Create {
        record: record.clone(),
    };
    store.check(&cmd).ok().filter(|w| !w.is_empty())
}

/// Creates `record`, or changes record `id` from `before` to it.
fn save(
    store: &Store,
    id: Option<String>,
    before: Option<Box<Record>>,
    record: Record,
) -> Result<Saved, StoreError> {
    let (kind, title) = (record.kind(), record.title().to_string());
    let (cmd, change) = match (id, before) {
        (Some(id), Some(before)) => (
            Command::Update {
                id: id.clone(),
                before: (*before).clone(),
                after: record.clone(),
            },
            Some(Change::Updated {
                id,
                before,
                after: Box::new(record),
            }),
        ),
        _ => (Command::Create { record }, None),
    };
    let id = store.execute(cmd)?.id;
    let change = change.unwrap_or_else(|| Change::Created {
        kind,
        id: id.clone(),
        title: title.clone(),
    });
    Ok(Saved {
        kind,
        id,
        undo: Change::Linkage {
            title: title.clone(),
            changes: vec![change],
        },
        title,
    })
}

/// "This need is no longer in the database": names it by `what` (a
/// title; empty if unknown), never by its id.
fn gone(kind: Kind, what: &str) -> String {
    let kind = kind.label(crate::text::lang());
    if what.is_empty() {
        crate::tr!("linkage.tui.gone_unnamed", kind = kind)
    } else {
        crate::tr!("linkage.tui.gone", kind = kind, what = what)
    }
}

/// Record `id` of `kind` (`what` names it in the message if it is gone).
fn read(store: &Store, kind: Kind, id: &str, what: &str) -> Result<Record, String> {
    match store.get(kind, id) {
        Ok(Some(r)) if r.kind() == kind => Ok(r),
        Ok(_) => Err(gone(kind, what)),
        Err(e) => Err(e.message()),
    }
}

fn need_of(store: &Store, id: &str, what: &str) -> Result<Need, String> {
    match read(store, Kind::Need, id, what)? {
        Record::Need(n) => Ok(n),
        _ => Err(gone(Kind::Need, what)),
    }
}

fn offer_of(store: &Store, id: &str, what: &str) -> Result<Offer, String> {
    match read(store, Kind::Offer, id, what)? {
        Record::Offer(o) => Ok(o),
        _ => Err(gone(Kind::Offer, what)),
    }
}

fn propose(
    store: &Store,
    need_id: &str,
    offer_id: String,
    today: NaiveDate,
) -> Result<LinkDone, String> {
    let need = need_of(store, need_id, "")?;
    let offer = offer_of(store, &offer_id, &need.title)?;
    let mut l = Linkage::propose(need_id, &need, vec![offer_id], today);
    l.made_by = Some(store.author().to_string());
    let outcome = store
        .execute(Command::Create {
            record: Record::Linkage(l),
        })
        .map_err(|e| e.message())?;
    Ok(LinkDone {
        message: crate::tr!(
            "linkage.tui.proposed",
            need = need.title,
            offer = offer.title
        ),
        need: need_id.to_string(),
        state: LinkageState::Proposed,
        undo: Change::Linkage {
            title: crate::tr!(
                "linkage.tui.undo_propose",
                need = need.title,
                offer = offer.title
            ),
            changes: vec![Change::Created {
                kind: Kind::Linkage,
                id: outcome.id,
                title: need.title.clone(),
            }],
        },
    })
}

fn step(store: &Store, id: &str, to: LinkageState, today: NaiveDate) -> Result<LinkDone, String> {
    let l = match read(store, Kind::Linkage, id, "")? {
        Record::Linkage(l) => l,
        _ => return Err(gone(Kind::Linkage, "")),
    };
    let need = need_of(store, &l.need, &l.title)?;
    let mut offers = Vec::with_capacity(l.offers.len());
    for oid in &l.offers {
        offers.push((oid.clone(), offer_of(store, oid, &need.title)?));
    }
    let linkages = all(store, Kind::Linkage, pick_linkage).map_err(|e| e.message())?;
    let other = need_has_other(&linkages, &l.need, id);
    let req = StepRequest {
        to,
        satisfaction: None,
        note: None,
    };
    let cmds = step_commands(id, &l, &l.need, &need, &offers, &req, today, other)
        .map_err(|e| step_message(&e, &offers))?;
    let changes = cmds.iter().filter_map(change_of).collect();
    if !cmds.is_empty() {
        store.execute_all(cmds).map_err(|e| e.message())?;
    }
    let lang = crate::text::lang();
    let offer = offers.first().map_or("", |(_, o)| o.title.as_str());
    Ok(LinkDone {
        message: crate::tr!(
            "linkage.tui.stepped",
            need = need.title,
            offer = offer,
            state = to.label(lang)
        ),
        need: l.need.clone(),
        state: to,
        undo: Change::Linkage {
            title: crate::tr!(
                "linkage.tui.undo_step",
                need = need.title,
                from = l.state.label(lang),
                to = to.label(lang)
            ),
            changes,
        },
    })
}

/// The undo log's entry for an update of a step.
fn change_of(cmd: &Command) -> Option<Change> {
    match cmd {
        Command::Update { id, before, after } => Some(Change::Updated {
            id: id.clone(),
            before: Box::new(before.clone()),
            after: Box::new(after.clone()),
        }),
        _ => None,
    }
}

/// The message for a refused step, naming the offer by its title.
pub fn step_message(e: &StepError, offers: &[(String, Offer)]) -> String {
    let lang = crate::text::lang();
    match e {
        StepError::NotAllowed { from, to } => crate::tr!(
            "linkage.bad_step",
            from = from.label(lang),
            to = to.label(lang)
        ),
        StepError::NoCapacity { offer, remaining } => {
            let title = offers
                .iter()
                .find(|(id, _)| id == offer)
                .map_or("", |(_, o)| o.title.as_str());
            crate::tr!("linkage.tui.no_capacity", offer = title, n = remaining)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Urgency;

    fn row(id: &str, state: NeedState, urgency: Urgency, day: u32) -> NeedRow {
        NeedRow {
            id: id.into(),
            need: Need {
                state,
                urgency,
                raised: NaiveDate::from_ymd_opt(2026, 11, day),
                ..Default::default()
            },
            place: String::new(),
            community: String::new(),
            cell: String::new(),
        }
    }

    fn placed(community: &str, cell: &str, place: &str) -> NeedRow {
        NeedRow {
            place: place.into(),
            community: community.into(),
            cell: cell.into(),
            ..row("n", NeedState::Open, Urgency::Low, 1)
        }
    }

    #[test]
    fn a_place_label_names_community_and_cell_in_few_columns() {
        // The cell's name says its community.
        let r = placed("宝石社区", "宝石一网格", "宝石一网格");
        assert_eq!(r.place_label(), "宝石一网格");
        assert_eq!(r.place_full(), "宝石社区 宝石一网格");
        // It does not: both.
        let r = placed("宝石社区", "第一网格", "第一网格");
        assert_eq!(r.place_label(), "宝石社区 第一网格");
        // A whole community; a micro-grid in full.
        assert_eq!(placed("宝石社区", "", "宝石社区").place_label(), "宝石社区");
        let r = placed("宝石社区", "宝石一网格", "宝石一网格1号微网格");
        assert_eq!(r.place_label(), "宝石一网格");
        assert_eq!(r.place_full(), "宝石社区 宝石一网格 宝石一网格1号微网格");
        // An unknown place: its code.
        assert_eq!(placed("", "", "BSJ-99").place_label(), "BSJ-99");
    }

    #[test]
    fn places_come_from_the_index() {
        let places = vec![
            crate::model::Place {
                code: "BSJ-01".into(),
                name: "宝石社区".into(),
                level: crate::model::PlaceLevel::Community,
                parent: None,
            },
            crate::model::Place {
                code: "BSJ-01-01".into(),
                name: "宝石一网格".into(),
                level: crate::model::PlaceLevel::Grid,
                parent: Some("BSJ-01".into()),
            },
        ];
        let index = PlaceIndex::new(&places);
        let need = Need {
            grid: "BSJ-01-01".into(),
            ..Default::default()
        };
        let r = NeedRow::new("n".into(), need, &index);
        assert_eq!(
            (r.community.as_str(), r.cell.as_str(), r.place.as_str()),
            ("宝石社区", "宝石一网格", "宝石一网格")
        );
    }

    #[test]
    fn a_need_done_keeps_its_place_among_those_in_progress() {
        let mut v = [
            row("done", NeedState::Done, Urgency::Urgent, 2),
            row("b", NeedState::InProgress, Urgency::Urgent, 1),
            row("c", NeedState::InProgress, Urgency::Urgent, 3),
            row("open", NeedState::Open, Urgency::Low, 1),
        ];
        v.sort_by(need_order);
        let ids: Vec<&str> = v.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["open", "b", "done", "c"]);
    }

    #[test]
    fn open_first_then_urgent_then_oldest() {
        let mut v = [
            row("a", NeedState::Matched, Urgency::Urgent, 1),
            row("b", NeedState::Open, Urgency::Low, 1),
            row("c", NeedState::Open, Urgency::Urgent, 20),
            row("d", NeedState::Open, Urgency::Urgent, 3),
        ];
        v.sort_by(need_order);
        let ids: Vec<&str> = v.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["d", "c", "b", "a"]);
    }
}
