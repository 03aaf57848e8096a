//! A cache of the organizations table beside the database, so the app's
//! first screen does not wait for every record to be read and decoded.
//!
//! The file holds the rows in name order under the store's shared stamp
//! (`store::Basis`: the database, its version vector and the digest of its
//! history up to there; see `records_cache`). At start the rows are read
//! back, if the stamp holds for this database, and brought up to date from
//! the change log: every operation made since that vector (by this office
//! or imported) names the records it touched, and only those are read
//! again. A missing, unreadable, foreign or too-old cache means a full
//! load, never wrong rows; the store stays the only source of truth.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::panes::orgs::rows::{cmp_name, OrgRow, PlaceNames};
use crate::model::{Domain, InspectionResult, Kind, OrgType, Party, RatingLevel, RegState};
use crate::store::{read_stamped, write_stamped, Basis, Store};

/// Bumped whenever the layout of the file changes (2: person in charge
/// and phone; 3: the store's shared stamp).
const FORMAT: u32 = 3;
/// Above this many changed records a full load is as quick.
const MAX_CATCH_UP: usize = 20_000;

#[derive(Serialize, Deserialize)]
struct CachedRow {
    id: String,
    name: String,
    kind: OrgType,
    state: RegState,
    grid: Option<String>,
    rating: Option<RatingLevel>,
    party: Party,
    inspection: Option<(i32, InspectionResult)>,
    founded: Option<chrono::NaiveDate>,
    domains: Vec<Domain>,
    contact: String,
    phone: String,
    sort_key: String,
}

/// Where the cache of a database lives.
pub fn path(db: &Path) -> PathBuf {
    crate::store::cache_dir(db).join("org-rows.bin")
}

/// Rows from the cache, brought up to date with the store; `None` when
/// there is no usable cache (the caller then loads everything). The second
/// value is true when the rows differ from the file (worth writing back).
pub fn load(db: &Path, store: &Store, places: &PlaceNames) -> Option<(Vec<OrgRow>, bool)> {
    let (basis, cached): (Basis, Vec<CachedRow>) = read_stamped(&path(db), FORMAT)?;
    if !store.basis_holds(&basis).ok()? {
        return None;
    }
    let now = store.version_vector().ok()?;
    // Organizations touched since (operations after a gap included: they
    // change records without moving the vector).
    let (changed, _) = store.changed_since(Kind::Org, &basis.vv, &now).ok()??;
    if changed.len() > MAX_CATCH_UP {
        return None;
    }
    let mut rows: Vec<OrgRow> = cached
        .into_iter()
        .filter(|r| !changed.contains(&r.id))
        .map(|r| OrgRow {
            place: r
                .grid
                .as_deref()
                .map(|g| places.name(g).to_string())
                .unwrap_or_default(),
            id: r.id,
            name: r.name,
            kind: r.kind,
            state: r.state,
            grid: r.grid,
            rating: r.rating,
            party: r.party,
            inspection: r.inspection,
            founded: r.founded,
            domains: r.domains,
            contact: r.contact.into(),
            phone: r.phone.into(),
            sort_key: r.sort_key,
            deleted: false,
        })
        .collect();
    let stale = !changed.is_empty();
    if stale {
        for id in changed {
            if let Some(org) = store.org(&id).ok()? {
                rows.push(OrgRow::new(id, &org, places));
            }
        }
        rows.sort_by(cmp_name);
    }
    Some((rows, stale))
}

/// Builds the organizations table from the store and writes its cache
/// (`sanshe cache rebuild`); returns the path and the number of rows.
pub fn rebuild(store: &Store) -> Result<(PathBuf, usize), crate::store::StoreError> {
    let names = PlaceNames::new(&store.places()?);
    let mut rows = super::worker::build_rows(&store.orgs()?, &names);
    rows.sort_by(cmp_name);
    let file = path(store.path());
    save(store.path(), store, &rows)
        .map_err(|e| crate::store::StoreError::Storage(e.to_string()))?;
    Ok((file, rows.len()))
}

/// Writes `rows` (in name order) stamped with the store's current basis,
/// atomically (temporary file, then rename). Errors are ignored by callers:
/// the cache is only a shortcut.
pub fn save(db: &Path, store: &Store, rows: &[OrgRow]) -> std::io::Result<()> {
    let basis = store
        .basis()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let rows: Vec<CachedRow> = rows
        .iter()
        .filter(|r| !r.deleted)
        .map(|r| CachedRow {
            id: r.id.clone(),
            name: r.name.clone(),
            kind: r.kind,
            state: r.state,
            grid: r.grid.clone(),
            rating: r.rating,
            party: r.party,
            inspection: r.inspection,
            founded: r.founded,
            domains: r.domains.clone(),
            contact: r.contact.to_string(),
            phone: r.phone.to_string(),
            sort_key: r.sort_key.clone(),
        })
        .collect();
    write_stamped(&path(db), FORMAT, &basis, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Organization, Record};
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

    #[test]
    fn catches_up_with_changes_made_after_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(&db).unwrap();
        let places = PlaceNames::new(&[]);
        assert!(load(&db, &store, &places).is_none(), "no cache yet");

        let a = add(&store, "保俶社区书画社");
        let b = add(&store, "宝石社区合唱团");
        let mut rows: Vec<OrgRow> = store
            .orgs()
            .unwrap()
            .iter()
            .map(|(id, o)| OrgRow::new(id.clone(), o, &places))
            .collect();
        rows.sort_by(cmp_name);
        save(&db, &store, &rows).unwrap();
        let (back, stale) = load(&db, &store, &places).unwrap();
        assert!(!stale);
        assert_eq!(back, rows);

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
        let (back, stale) = load(&db, &store, &places).unwrap();
        assert!(stale);
        assert_eq!(names(&back), vec!["安吉路书画社", "曙光社区太极拳队"]);
    }

    #[test]
    fn rows_of_another_history_are_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(&db).unwrap();
        let places = PlaceNames::new(&[]);
        add(&store, "保俶社区书画社");
        let rows: Vec<OrgRow> = store
            .orgs()
            .unwrap()
            .iter()
            .map(|(id, o)| OrgRow::new(id.clone(), o, &places))
            .collect();
        save(&db, &store, &rows).unwrap();
        assert!(load(&db, &store, &places).is_some());
        // The same counters, another history (a database restored in place
        // from an older backup, then changed): the stamp no longer holds.
        let (mut basis, cached): (Basis, Vec<CachedRow>) =
            read_stamped(&path(&db), FORMAT).unwrap();
        basis.history.toggle(b"another", b"history");
        write_stamped(&path(&db), FORMAT, &basis, &cached).unwrap();
        assert!(load(&db, &store, &places).is_none());
    }

    #[test]
    fn garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(&db).unwrap();
        std::fs::create_dir_all(path(&db).parent().unwrap()).unwrap();
        std::fs::write(path(&db), b"\xff\xff\xff\xff\xff\xff\xff\xff\xff").unwrap();
        assert!(load(&db, &store, &PlaceNames::new(&[])).is_none());
    }
}
