//! What the linkage pane asks of the store, and the worker's side of it:
//! the pane's data (needs in the order staff work them, every offer
//! prepared for ranking, the linkages, the grid overview), proposing a
//! linkage and taking one a step further. Every change answers with the
//! data read again, so the pane never patches its own copy.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::matching::transition::{need_has_other, step_commands, StepRequest};
use crate::matching::{overview, Matcher, Overview};
use crate::model::linkage::StepError;
use crate::model::{
    Kind, Labeled, Linkage, LinkageState, Need, NeedState, Offer, Partner, ProviderKind, Record,
    Worker,
};
use crate::search::sort_key;
use crate::store::{Command, Store, StoreError};

pub use super::form::Provider;

/// A request of the linkage pane.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    },
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkDone {
    /// A linkage was proposed: its id.
    Proposed(String),
    /// Linkage `id` is now in state `to`.
    Stepped { id: String, to: LinkageState },
}

/// An answer to a [`LinkRequest`].
#[derive(Debug)]
pub enum LinkResponse {
    /// The pane's data.
    Loaded(Box<LinkData>),
    /// A change: what it did (or why not), and the data read afterwards.
    Changed {
        result: Result<LinkDone, String>,
        data: Option<Box<LinkData>>,
    },
    /// A record saved from a form: its id (or why not), and the data read
    /// afterwards.
    Saved {
        result: Result<String, StoreError>,
        data: Option<Box<LinkData>>,
    },
    /// Reading failed.
    Failed(String),
}

/// A need in the list, with its place's name.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedRow {
    pub id: String,
    pub need: Need,
    pub place: String,
}

/// Everything the pane shows.
#[derive(Debug, Clone, Default)]
pub struct LinkData {
    /// Needs not done nor closed: open first, then matched and in
    /// progress; the most urgent first; then the oldest.
    pub needs: Vec<NeedRow>,
    /// Every offer, prepared for ranking.
    pub matcher: Matcher,
    /// Every linkage, newest proposal first.
    pub linkages: Vec<(String, Linkage)>,
    /// Counts per community and grid cell.
    pub overview: Overview,
    /// Organization, social worker and partner names by id.
    pub providers: HashMap<String, String>,
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

    /// The linkage of need `id` that is still moving (not done nor
    /// cancelled), newest first.
    pub fn live_linkage<'a>(&'a self, id: &'a str) -> Option<&'a (String, Linkage)> {
        self.linkages_of(id).find(|(_, l)| !l.state.is_final())
    }
}

/// The order of the need list (see [`LinkData::needs`]).
pub fn need_order(a: &NeedRow, b: &NeedRow) -> std::cmp::Ordering {
    let key = |r: &NeedRow| {
        (
            r.need.state.index(),
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
    let mut providers = HashMap::new();
    let mut provider_list = Vec::new();
    for (kind, as_provider) in [
        (Kind::Org, ProviderKind::Org),
        (Kind::Worker, ProviderKind::Worker),
        (Kind::Partner, ProviderKind::Partner),
    ] {
        let mut names = store.names(kind)?;
        names.sort_by_cached_key(|(_, n)| sort_key(n));
        provider_list.extend(names.iter().map(|(id, name)| Provider {
            id: id.clone(),
            name: name.clone(),
            kind: as_provider,
        }));
        providers.extend(names);
    }
    let grades = crate::report::provider_grades(store);
    let matcher = Matcher::with_grades(&places, offers.clone(), &linkages, &grades);
    let overview = overview(matcher.places(), &needs, &offers, &linkages, today);
    let names: HashMap<&str, &str> = places
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let mut rows: Vec<NeedRow> = needs
        .into_iter()
        .filter(|(_, n)| !matches!(n.state, NeedState::Done | NeedState::Closed))
        .map(|(id, need)| {
            let place = names
                .get(need.grid.as_str())
                .unwrap_or(&need.grid.as_str())
                .to_string();
            NeedRow { id, need, place }
        })
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
        providers,
    })
}

/// Answers one request.
pub fn serve(store: &Store, req: LinkRequest) -> LinkResponse {
    let (result, today) = match req {
        LinkRequest::Load { today } => {
            return match load(store, today) {
                Ok(d) => LinkResponse::Loaded(Box::new(d)),
                Err(e) => LinkResponse::Failed(e.message()),
            }
        }
        LinkRequest::Propose { need, offer, today } => (propose(store, &need, offer, today), today),
        LinkRequest::Step { id, to, today } => (step(store, &id, to, today), today),
        LinkRequest::Save {
            id,
            before,
            record,
            today,
        } => {
            let cmd = match (id, before) {
                (Some(id), Some(before)) => Command::Update {
                    id,
                    before: *before,
                    after: *record,
                },
                _ => Command::Create { record: *record },
            };
            let result = store.execute(cmd).map(|o| o.id);
            let data = load(store, today).ok().map(Box::new);
            return LinkResponse::Saved { result, data };
        }
    };
    let data = load(store, today).ok().map(Box::new);
    LinkResponse::Changed { result, data }
}

fn need_of(store: &Store, id: &str) -> Result<Need, String> {
    match store.get(Kind::Need, id) {
        Ok(Some(Record::Need(n))) => Ok(n),
        Ok(_) => Err(crate::tr!(
            "linkage.unknown_id",
            kind = Kind::Need.label(crate::text::lang()),
            id = id
        )),
        Err(e) => Err(e.message()),
    }
}

fn propose(
    store: &Store,
    need_id: &str,
    offer: String,
    today: NaiveDate,
) -> Result<LinkDone, String> {
    let need = need_of(store, need_id)?;
    let mut l = Linkage::propose(need_id, &need, vec![offer], today);
    l.made_by = Some(store.author().to_string());
    let outcome = store
        .execute(Command::Create {
            record: Record::Linkage(l),
        })
        .map_err(|e| e.message())?;
    Ok(LinkDone::Proposed(outcome.id))
}

fn step(store: &Store, id: &str, to: LinkageState, today: NaiveDate) -> Result<LinkDone, String> {
    let l = match store.get(Kind::Linkage, id) {
        Ok(Some(Record::Linkage(l))) => l,
        Ok(_) => {
            return Err(crate::tr!(
                "linkage.unknown_id",
                kind = Kind::Linkage.label(crate::text::lang()),
                id = id
            ))
        }
        Err(e) => return Err(e.message()),
    };
    let need = need_of(store, &l.need)?;
    let mut offers = Vec::with_capacity(l.offers.len());
    for oid in &l.offers {
        match store.get(Kind::Offer, oid) {
            Ok(Some(Record::Offer(o))) => offers.push((oid.clone(), o)),
            Ok(_) => {
                return Err(crate::tr!(
                    "linkage.unknown_id",
                    kind = Kind::Offer.label(crate::text::lang()),
                    id = oid
                ))
            }
            Err(e) => return Err(e.message()),
        }
    }
    let linkages = all(store, Kind::Linkage, pick_linkage).map_err(|e| e.message())?;
    let other = need_has_other(&linkages, &l.need, id);
    let req = StepRequest {
        to,
        satisfaction: None,
        note: None,
    };
    let cmds = step_commands(id, &l, &l.need, &need, &offers, &req, today, other)
        .map_err(|e| step_message(&e))?;
    if !cmds.is_empty() {
        store.execute_all(cmds).map_err(|e| e.message())?;
    }
    Ok(LinkDone::Stepped {
        id: id.to_string(),
        to,
    })
}

/// The message for a refused step.
pub fn step_message(e: &StepError) -> String {
    let lang = crate::text::lang();
    match e {
        StepError::NotAllowed { from, to } => crate::tr!(
            "linkage.bad_step",
            from = from.label(lang),
            to = to.label(lang)
        ),
        StepError::NoCapacity { offer, remaining } => {
            crate::tr!("linkage.no_capacity", offer = offer, n = remaining)
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
        }
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
