//! Data derived from the records and kept beside the database
//! (`DB/cache/`): every projection in one list, so `sanshe cache rebuild`
//! and the tests treat them all alike. The mechanism is the store's
//! (`store/projection/`); the names and records of each kind are defined
//! there, the organizations table rows here (they need the pinyin sort key
//! of `search`, which the store does not use).

pub mod org_rows;

use std::path::PathBuf;

use crate::model::{Kind, Labeled};
use crate::store::{Derived, Names, Records, Store, StoreError};

/// Every projection of this database: names and records of every kind, and
/// the organizations table.
pub fn all(store: &Store) -> Result<Vec<Box<dyn Derived>>, StoreError> {
    let mut out: Vec<Box<dyn Derived>> = Vec::new();
    for &kind in Kind::ALL {
        out.push(Box::new(Names(kind)));
        out.push(Box::new(Records(kind)));
    }
    out.push(Box::new(org_rows::OrgRows::of(store)?));
    Ok(out)
}

/// Deletes `DB/cache/` and writes every projection again from the store:
/// each file written with the number of items in it.
pub fn rebuild(store: &Store) -> Result<Vec<(PathBuf, usize)>, StoreError> {
    store.rebuild_projections(&all(store)?)
}
