//! The demo township's three-society records (`fixtures/demo/workers.toml`,
//! `partners.toml`, `needs.toml`, `offers.toml`, `linkages.toml`, written by
//! `fixtures/demo/generate_linkage.py`), embedded in the binary.
//!
//! The files name organizations, social workers and partners by name, and
//! needs and offers by a key of the file (`N001`, `F001`); loading creates
//! the records kind by kind and resolves the names and keys to the ids the
//! store gave them.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::DemoError;
use crate::model::{
    Agreement, Cost, Domain, FieldError, Kind, Linkage, LinkageState, Need, NeedState, Offer,
    OfferType, Partner, PartnerType, ProviderKind, Qualification, RaisedBy, Record, Rule,
    TargetGroup, Urgency, ValidationErrors, Worker,
};
use crate::store::{Command, Store, StoreError};

pub const WORKERS_FILE: &str = "fixtures/demo/workers.toml";
pub const PARTNERS_FILE: &str = "fixtures/demo/partners.toml";
pub const NEEDS_FILE: &str = "fixtures/demo/needs.toml";
pub const OFFERS_FILE: &str = "fixtures/demo/offers.toml";
pub const LINKAGES_FILE: &str = "fixtures/demo/linkages.toml";

const WORKERS_TOML: &str = include_str!("../../fixtures/demo/workers.toml");
const PARTNERS_TOML: &str = include_str!("../../fixtures/demo/partners.toml");
const NEEDS_TOML: &str = include_str!("../../fixtures/demo/needs.toml");
const OFFERS_TOML: &str = include_str!("../../fixtures/demo/offers.toml");
const LINKAGES_TOML: &str = include_str!("../../fixtures/demo/linkages.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkersFile {
    #[serde(default)]
    worker: Vec<WorkerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkerEntry {
    name: String,
    #[serde(default)]
    qualification: Qualification,
    community: Option<String>,
    #[serde(default)]
    domains: Vec<Domain>,
    phone: Option<String>,
    /// An organization's name.
    org: Option<String>,
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnersFile {
    #[serde(default)]
    partner: Vec<PartnerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnerEntry {
    name: String,
    #[serde(rename = "type", default)]
    kind: PartnerType,
    contact: Option<String>,
    phone: Option<String>,
    provides: Option<String>,
    #[serde(default)]
    domains: Vec<Domain>,
    #[serde(default)]
    agreement: Vec<AgreementEntry>,
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgreementEntry {
    title: String,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NeedsFile {
    #[serde(default)]
    need: Vec<NeedEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NeedEntry {
    key: String,
    title: String,
    description: Option<String>,
    domains: Vec<Domain>,
    grid: String,
    #[serde(default)]
    raised_by: RaisedBy,
    contact: Option<String>,
    #[serde(default)]
    targets: Vec<TargetGroup>,
    people: Option<u32>,
    #[serde(default)]
    urgency: Urgency,
    raised: Option<NaiveDate>,
    wanted_by: Option<NaiveDate>,
    #[serde(default)]
    state: NeedState,
    close_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OffersFile {
    #[serde(default)]
    offer: Vec<OfferEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfferEntry {
    key: String,
    title: String,
    #[serde(rename = "type", default)]
    kind: OfferType,
    description: Option<String>,
    domains: Vec<Domain>,
    /// The provider's name.
    provider: String,
    #[serde(default)]
    provider_kind: ProviderKind,
    #[serde(default)]
    covers: Vec<String>,
    #[serde(default)]
    targets: Vec<TargetGroup>,
    capacity: Option<u32>,
    #[serde(default)]
    committed: u32,
    unit: Option<String>,
    available_from: Option<NaiveDate>,
    available_until: Option<NaiveDate>,
    schedule: Option<String>,
    #[serde(default)]
    cost: Cost,
    contact: Option<String>,
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkagesFile {
    #[serde(default)]
    linkage: Vec<LinkageEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkageEntry {
    /// A need's key.
    need: String,
    /// Offer keys.
    offers: Vec<String>,
    #[serde(default)]
    state: LinkageState,
    made_by: Option<String>,
    amount: Option<u32>,
    proposed: Option<NaiveDate>,
    accepted: Option<NaiveDate>,
    started: Option<NaiveDate>,
    finished: Option<NaiveDate>,
    cancelled: Option<NaiveDate>,
    satisfaction: Option<u8>,
    notes: Option<String>,
}

/// The parsed files: records whose references are still names and keys.
pub struct LinkageFixtures {
    /// Workers, with `org` an organization's name.
    pub workers: Vec<Worker>,
    pub partners: Vec<Partner>,
    /// Needs with their keys.
    pub needs: Vec<(String, Need)>,
    /// Offers with their keys; `provider` is a name.
    pub offers: Vec<(String, Offer)>,
    /// Linkages; `need` and `offers` are keys.
    pub linkages: Vec<Linkage>,
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, DemoError> {
    toml::from_str(text).map_err(|e| DemoError::Toml {
        file: file.to_string(),
        source: Box::new(e),
    })
}

fn checked(file: &str, mut r: Record) -> Result<Record, DemoError> {
    r.normalize();
    match r.validate() {
        Ok(()) => Ok(r),
        Err(errors) => Err(DemoError::Invalid {
            file: file.to_string(),
            title: r.title().to_string(),
            errors,
        }),
    }
}

/// Parses and validates the embedded files.
pub fn linkage_fixtures() -> Result<LinkageFixtures, DemoError> {
    let workers: WorkersFile = parse(WORKERS_FILE, WORKERS_TOML)?;
    let partners: PartnersFile = parse(PARTNERS_FILE, PARTNERS_TOML)?;
    let needs: NeedsFile = parse(NEEDS_FILE, NEEDS_TOML)?;
    let offers: OffersFile = parse(OFFERS_FILE, OFFERS_TOML)?;
    let linkages: LinkagesFile = parse(LINKAGES_FILE, LINKAGES_TOML)?;
    let mut out = LinkageFixtures {
        workers: Vec::new(),
        partners: Vec::new(),
        needs: Vec::new(),
        offers: Vec::new(),
        linkages: Vec::new(),
    };
    for w in workers.worker {
        let r = checked(
            WORKERS_FILE,
            Record::Worker(Worker {
                name: w.name,
                qualification: w.qualification,
                community: w.community,
                domains: w.domains,
                phone: w.phone,
                org: w.org,
                notes: w.notes,
            }),
        )?;
        if let Record::Worker(w) = r {
            out.workers.push(w);
        }
    }
    for p in partners.partner {
        let r = checked(
            PARTNERS_FILE,
            Record::Partner(Partner {
                name: p.name,
                kind: p.kind,
                contact: p.contact,
                phone: p.phone,
                provides: p.provides,
                domains: p.domains,
                agreements: p
                    .agreement
                    .into_iter()
                    .map(|a| {
                        (
                            a.title,
                            Agreement {
                                start: a.start,
                                end: a.end,
                            },
                        )
                    })
                    .collect(),
                notes: p.notes,
            }),
        )?;
        if let Record::Partner(p) = r {
            out.partners.push(p);
        }
    }
    for n in needs.need {
        let r = checked(
            NEEDS_FILE,
            Record::Need(Need {
                title: n.title,
                description: n.description,
                domains: n.domains,
                grid: n.grid,
                raised_by: n.raised_by,
                contact: n.contact,
                targets: n.targets,
                people: n.people,
                urgency: n.urgency,
                raised: n.raised,
                wanted_by: n.wanted_by,
                state: n.state,
                close_reason: n.close_reason,
            }),
        )?;
        if let Record::Need(need) = r {
            out.needs.push((n.key, need));
        }
    }
    for o in offers.offer {
        let r = checked(
            OFFERS_FILE,
            Record::Offer(Offer {
                title: o.title,
                kind: o.kind,
                description: o.description,
                domains: o.domains,
                provider: o.provider,
                provider_kind: o.provider_kind,
                covers: o.covers,
                targets: o.targets,
                capacity: o.capacity,
                committed: o.committed,
                unit: o.unit,
                available_from: o.available_from,
                available_until: o.available_until,
                schedule: o.schedule,
                cost: o.cost,
                contact: o.contact,
                notes: o.notes,
            }),
        )?;
        if let Record::Offer(offer) = r {
            out.offers.push((o.key, offer));
        }
    }
    for l in linkages.linkage {
        let r = checked(
            LINKAGES_FILE,
            Record::Linkage(Linkage {
                title: String::new(),
                need: l.need,
                offers: l.offers,
                state: l.state,
                made_by: l.made_by,
                amount: l.amount.unwrap_or(1),
                proposed: l.proposed,
                accepted: l.accepted,
                started: l.started,
                finished: l.finished,
                cancelled: l.cancelled,
                notes: l.notes,
                satisfaction: l.satisfaction,
            }),
        )?;
        if let Record::Linkage(l) = r {
            out.linkages.push(l);
        }
    }
    Ok(out)
}

/// Why the demo linkage data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LinkageLoadError {
    #[error(transparent)]
    Demo(#[from] DemoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn unresolved(file: &str, title: &str, field: &str, name: &str) -> DemoError {
    DemoError::Invalid {
        file: file.to_string(),
        title: title.to_string(),
        errors: ValidationErrors(vec![FieldError::new(
            field,
            Rule::Other {
                message: format!("unknown {name}"),
            },
        )]),
    }
}

/// Creates `records` in one batch; returns their ids in order.
fn create(store: &Store, records: Vec<Record>) -> Result<Vec<String>, StoreError> {
    let cmds = records
        .into_iter()
        .map(|record| Command::Create { record })
        .collect();
    Ok(store.execute_all(cmds)?.into_iter().map(|o| o.id).collect())
}

fn names(store: &Store, kind: Kind) -> Result<HashMap<String, String>, StoreError> {
    Ok(store
        .names(kind)?
        .into_iter()
        .map(|(id, name)| (name, id))
        .collect())
}

/// Loads the demo workers, partners, needs, offers and linkages into a store
/// that holds the demo places and organizations; returns how many records
/// were created.
pub fn load_linkage(store: &Store) -> Result<usize, LinkageLoadError> {
    let f = linkage_fixtures()?;
    let orgs = names(store, Kind::Org)?;
    let mut workers = Vec::with_capacity(f.workers.len());
    for mut w in f.workers {
        if let Some(name) = &w.org {
            let id = orgs
                .get(name)
                .ok_or_else(|| unresolved(WORKERS_FILE, &w.name, "org", name))?;
            w.org = Some(id.clone());
        }
        workers.push(Record::Worker(w));
    }
    let mut n = create(store, workers)?.len();
    n += create(store, f.partners.into_iter().map(Record::Partner).collect())?.len();
    let workers = names(store, Kind::Worker)?;
    let partners = names(store, Kind::Partner)?;

    let (need_keys, needs): (Vec<String>, Vec<Record>) = f
        .needs
        .into_iter()
        .map(|(k, need)| (k, Record::Need(need)))
        .unzip();
    let need_ids: HashMap<String, String> =
        need_keys.into_iter().zip(create(store, needs)?).collect();

    let mut offer_keys = Vec::with_capacity(f.offers.len());
    let mut offers = Vec::with_capacity(f.offers.len());
    for (key, mut o) in f.offers {
        let by_name = match o.provider_kind {
            ProviderKind::Org => &orgs,
            ProviderKind::Worker => &workers,
            ProviderKind::Partner => &partners,
        };
        o.provider = by_name
            .get(&o.provider)
            .ok_or_else(|| unresolved(OFFERS_FILE, &o.title, "provider", &o.provider))?
            .clone();
        offer_keys.push(key);
        offers.push(Record::Offer(o));
    }
    let offer_ids: HashMap<String, String> =
        offer_keys.into_iter().zip(create(store, offers)?).collect();

    let mut linkages = Vec::with_capacity(f.linkages.len());
    for mut l in f.linkages {
        let key = l.need.clone();
        l.need = need_ids
            .get(&key)
            .ok_or_else(|| unresolved(LINKAGES_FILE, &key, "need", &key))?
            .clone();
        for o in &mut l.offers {
            *o = offer_ids
                .get(o.as_str())
                .ok_or_else(|| unresolved(LINKAGES_FILE, &key, "offers", o))?
                .clone();
        }
        linkages.push(Record::Linkage(l));
    }
    n += need_ids.len() + offer_ids.len() + create(store, linkages)?.len();
    Ok(n)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::Labeled;

    #[test]
    fn fixtures_have_enough_of_everything() {
        let f = linkage_fixtures().unwrap();
        assert!(f.needs.len() >= 200, "{} needs", f.needs.len());
        assert!(f.offers.len() >= 150, "{} offers", f.offers.len());
        assert_eq!(f.workers.len(), 20);
        assert_eq!(f.partners.len(), 15);
        for s in LinkageState::ALL {
            assert!(f.linkages.iter().any(|l| l.state == *s), "no linkage {s}");
        }
        for s in NeedState::ALL {
            assert!(f.needs.iter().any(|(_, n)| n.state == *s), "no need {s}");
        }
        for u in Urgency::ALL {
            assert!(f.needs.iter().any(|(_, n)| n.urgency == *u), "no {u}");
        }
        for k in PartnerType::ALL {
            assert!(f.partners.iter().any(|p| p.kind == *k), "no partner {k}");
        }
        for k in ProviderKind::ALL {
            assert!(
                f.offers.iter().any(|(_, o)| o.provider_kind == *k),
                "no {k}"
            );
        }
        let keys: HashSet<&str> = f.needs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys.len(), f.needs.len(), "need keys are unique");
        assert!(f.needs.iter().any(|(_, n)| n.title == "独居老人助餐"));
    }

    #[test]
    fn loads_with_consistent_states_and_capacity() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        super::super::load(&store, super::super::fixture_records().unwrap()).unwrap();
        let n = load_linkage(&store).unwrap();
        let f = linkage_fixtures().unwrap();
        let total =
            f.workers.len() + f.partners.len() + f.needs.len() + f.offers.len() + f.linkages.len();
        assert_eq!(n, total);
        assert_eq!(store.count(Kind::Need), f.needs.len());
        assert_eq!(store.count(Kind::Linkage), f.linkages.len());
        let all = |k| store.all(k).unwrap();
        let mut held: HashMap<String, u32> = HashMap::new();
        let needs: HashMap<String, Need> = all(Kind::Need)
            .into_iter()
            .filter_map(|(id, r)| match r {
                Record::Need(n) => Some((id, n)),
                _ => None,
            })
            .collect();
        for (_, r) in all(Kind::Linkage) {
            let Record::Linkage(l) = r else { continue };
            assert_eq!(l.title, needs[&l.need].title, "title from the need");
            let expected = match l.state {
                LinkageState::Accepted => Some(NeedState::Matched),
                LinkageState::InProgress => Some(NeedState::InProgress),
                LinkageState::Done => Some(NeedState::Done),
                _ => None,
            };
            if let Some(s) = expected {
                assert_eq!(needs[&l.need].state, s);
            }
            if l.state.holds_capacity() {
                for o in &l.offers {
                    *held.entry(o.clone()).or_default() += l.amount;
                }
            }
        }
        for (id, r) in all(Kind::Offer) {
            let Record::Offer(o) = r else { continue };
            assert_eq!(
                o.committed,
                held.get(&id).copied().unwrap_or(0),
                "{}",
                o.title
            );
        }
    }
}
