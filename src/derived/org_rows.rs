//! The organizations table as rows (the few fields the table, the filters
//! and the sort orders need), and [`OrgRows`]: the projection that keeps
//! them in name order beside the database (`DB/cache/org-rows.bin`), so the
//! app's first screen does not wait for every record to be read and
//! decoded (350-600 ms for 100,000). At start the rows are read back,
//! caught up from the change log (only organizations changed since are
//! read again) and completed with the names of their places, which the
//! file does not keep (a place renamed needs no new file).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{
    Domain, InspectionResult, Kind, OrgType, Organization, Party, Place, RatingLevel, Record,
    RegState,
};
use crate::store::{Projection, Store, StoreError};

/// Place names and parents, to show an organization's place and to filter
/// by a community (which takes in its grid cells).
#[derive(Debug, Clone, Default)]
pub struct PlaceNames {
    /// Code -> (name, parent code).
    by_code: HashMap<String, (String, Option<String>)>,
}

impl PlaceNames {
    pub fn new(places: &[Place]) -> Self {
        PlaceNames {
            by_code: places
                .iter()
                .map(|p| (p.code.clone(), (p.name.clone(), p.parent.clone())))
                .collect(),
        }
    }

    /// The name of a place (its code if unknown).
    pub fn name<'a>(&'a self, code: &'a str) -> &'a str {
        self.by_code
            .get(code)
            .map(|(n, _)| n.as_str())
            .unwrap_or(code)
    }

    /// `code` and the codes of every place under it (a community and its
    /// grid cells), for the place filter.
    pub fn covered(&self, code: &str) -> HashSet<String> {
        self.by_code
            .keys()
            .filter(|c| self.chain(c).iter().any(|x| x == code))
            .cloned()
            .chain(std::iter::once(code.to_string()))
            .collect()
    }

    /// The codes of `code` and every place above it, nearest first.
    pub fn chain(&self, code: &str) -> Vec<String> {
        let mut out = vec![code.to_string()];
        let mut cur = code;
        while let Some((_, Some(parent))) = self.by_code.get(cur) {
            if out.iter().any(|c| c == parent) || out.len() > 8 {
                break;
            }
            out.push(parent.clone());
            cur = parent;
        }
        out
    }
}

/// One organization as the table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub kind: OrgType,
    pub state: RegState,
    /// Name of the organization's place (grid cell or community); not
    /// kept in the file (places are renamed), filled in at load.
    #[serde(skip)]
    pub place: String,
    /// Code of that place.
    pub grid: Option<String>,
    pub rating: Option<RatingLevel>,
    pub party: Party,
    pub inspection: Option<(i32, InspectionResult)>,
    pub founded: Option<NaiveDate>,
    pub domains: Vec<Domain>,
    /// Person in charge and phone number (empty when unknown): the search
    /// finds organizations by them too.
    pub contact: Box<str>,
    pub phone: Box<str>,
    /// Pinyin collation key of the name.
    pub sort_key: String,
    /// Deleted in this session (kept so an undo can bring it back in place).
    #[serde(skip)]
    pub deleted: bool,
}

impl OrgRow {
    /// The row for `org`.
    pub fn new(id: String, org: &Organization, places: &PlaceNames) -> Self {
        let place = match &org.grid {
            Some(g) => places.name(g).to_string(),
            None => String::new(),
        };
        OrgRow {
            id,
            name: org.name.clone(),
            kind: org.kind,
            state: org.state,
            place,
            grid: org.grid.clone(),
            rating: org.rating.as_ref().map(|r| r.level),
            party: org.party,
            inspection: org.latest_inspection().map(|(y, i)| (y, i.result)),
            founded: org.founded,
            domains: org.domains.clone(),
            contact: org.contact.as_deref().unwrap_or("").into(),
            phone: org.phone.as_deref().unwrap_or("").into(),
            sort_key: crate::search::sort_key(&org.name),
            deleted: false,
        }
    }
}

/// Compares two rows by name (pinyin), then by the name itself and the id
/// so the order is total and stable.
pub fn cmp_name(a: &OrgRow, b: &OrgRow) -> Ordering {
    a.sort_key
        .cmp(&b.sort_key)
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.id.cmp(&b.id))
}

/// The rows of `orgs` (not sorted), on up to four threads for many.
pub fn build_rows(orgs: &[(String, Organization)], names: &PlaceNames) -> Vec<OrgRow> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4);
    if threads < 2 || orgs.len() < 5_000 {
        return orgs
            .iter()
            .map(|(id, org)| OrgRow::new(id.clone(), org, names))
            .collect();
    }
    let chunk = orgs.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = orgs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(id, org)| OrgRow::new(id.clone(), org, names))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut rows = Vec::with_capacity(orgs.len());
        for p in parts {
            match p.join() {
                Ok(mut r) => rows.append(&mut r),
                // A bug in row building: let it surface as the panic it is.
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        rows
    })
}

/// The organizations table, in name order ([`cmp_name`]).
#[derive(Debug, Clone, Default)]
pub struct OrgRows {
    places: PlaceNames,
}

impl OrgRows {
    /// Rows whose places are named by `places`.
    pub fn new(places: PlaceNames) -> Self {
        OrgRows { places }
    }

    /// Rows with the store's places.
    pub fn of(store: &Store) -> Result<Self, StoreError> {
        Ok(OrgRows::new(PlaceNames::new(&store.places()?)))
    }
}

impl Projection for OrgRows {
    type Item = OrgRow;
    /// 2: person in charge and phone; 3: the store's shared stamp; 4: one
    /// mechanism for every projection (the file's name in the stamp).
    const FORMAT: u32 = 4;

    fn kind(&self) -> Kind {
        Kind::Org
    }

    fn file_name(&self) -> String {
        "org-rows.bin".to_string()
    }

    fn id<'a>(&self, item: &'a OrgRow) -> &'a str {
        &item.id
    }

    fn derive(&self, id: &str, record: Record) -> Option<OrgRow> {
        match record {
            Record::Org(org) => Some(OrgRow::new(id.to_string(), &org, &self.places)),
            _ => None,
        }
    }

    /// Every organization decoded on two threads, rows built on up to four.
    fn full(&self, store: &Store) -> Result<Vec<OrgRow>, StoreError> {
        let mut rows = build_rows(&store.orgs()?, &self.places);
        rows.sort_by(cmp_name);
        Ok(rows)
    }

    fn order(&self, rows: &mut [OrgRow]) {
        rows.sort_by(cmp_name);
    }

    /// The place names, which the file does not keep.
    fn loaded(&self, rows: &mut [OrgRow]) -> bool {
        for row in rows.iter_mut() {
            if let Some(g) = &row.grid {
                row.place = self.places.name(g).to_string();
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Command;

    fn add(store: &Store, name: &str) -> String {
        store
            .execute(Command::Create {
                record: Record::Org(Organization::new(name, OrgType::Community)),
            })
            .unwrap()
            .id
    }

    fn names(rows: &[OrgRow]) -> Vec<&str> {
        rows.iter().map(|r| r.name.as_str()).collect()
    }

    fn save(store: &Store, rows: &[OrgRow]) {
        let basis = store.basis().unwrap();
        store
            .write_projection(&OrgRows::default(), rows, &basis)
            .unwrap();
    }

    #[test]
    fn catches_up_with_changes_made_after_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(&db).unwrap();
        let p = OrgRows::default();
        assert!(store.read_projection(&p).is_none(), "no cache yet");

        let a = add(&store, "保俶社区书画社");
        let b = add(&store, "宝石社区合唱团");
        let mut rows: Vec<OrgRow> = store
            .orgs()
            .unwrap()
            .iter()
            .map(|(id, o)| OrgRow::new(id.clone(), o, &p.places))
            .collect();
        rows.sort_by(cmp_name);
        save(&store, &rows);
        let back = store.project(&p).unwrap();
        assert!(back.write_back.is_none(), "not stale");
        assert_eq!(back.items, rows);

        // Changes after the cache: an edit, a delete, an addition.
        let before = store.org(&a).unwrap().unwrap();
        let mut after = before.clone();
        after.name = "安吉路书画社".into();
        store
            .execute(Command::Update {
                id: a.clone(),
                before: Record::Org(before),
                after: Record::Org(after),
            })
            .unwrap();
        store
            .execute(Command::Delete {
                kind: Kind::Org,
                id: b,
            })
            .unwrap();
        add(&store, "曙光社区太极拳队");
        assert!(store.read_projection(&p).is_some(), "the file is used");
        let back = store.project(&p).unwrap();
        assert!(back.write_back.is_some(), "stale");
        assert_eq!(names(&back.items), vec!["安吉路书画社", "曙光社区太极拳队"]);
    }

    #[test]
    fn rows_of_another_history_are_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(&db).unwrap();
        let p = OrgRows::default();
        add(&store, "保俶社区书画社");
        let rows: Vec<OrgRow> = store
            .orgs()
            .unwrap()
            .iter()
            .map(|(id, o)| OrgRow::new(id.clone(), o, &p.places))
            .collect();
        save(&store, &rows);
        assert!(store.read_projection(&p).is_some());
        // The same counters, another history (a database restored in place
        // from an older backup, then changed): the stamp no longer holds.
        let (mut basis, cached) = store.read_projection(&p).unwrap();
        basis.history.toggle(b"another", b"history");
        store.write_projection(&p, &cached, &basis).unwrap();
        assert!(store.read_projection(&p).is_none());
    }

    #[test]
    fn garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(&db).unwrap();
        let p = OrgRows::default();
        let path = store.cache_dir().join(p.file_name());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"\xff\xff\xff\xff\xff\xff\xff\xff\xff").unwrap();
        assert!(store.read_projection(&p).is_none());
    }

    #[test]
    fn place_names_are_filled_in_at_load() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let place = |name: &str| Place {
            code: "BSJ-01".into(),
            name: name.into(),
            level: crate::model::PlaceLevel::District,
            parent: None,
        };
        store
            .execute(Command::Create {
                record: Record::Place(place("宝石社区")),
            })
            .unwrap();
        let mut org = Organization::new("宝石社区合唱团", OrgType::Community);
        org.grid = Some("BSJ-01".into());
        store
            .execute(Command::Create {
                record: Record::Org(org),
            })
            .unwrap();
        store
            .projected(&OrgRows::new(PlaceNames::new(&[place("宝石社区")])))
            .unwrap();
        // The place renamed since the file was written: the file is still
        // used, with the new name.
        let p = OrgRows::new(PlaceNames::new(&[place("宝石新村社区")]));
        let (_, rows) = store.read_projection(&p).unwrap();
        assert_eq!(rows[0].place, "宝石新村社区");
        assert_eq!(store.project(&p).unwrap().items, rows);
    }
}
