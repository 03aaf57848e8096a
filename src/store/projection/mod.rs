//! Projections: data derived from the records of one kind and kept in a
//! file beside the database (`DB/cache/`), so a reader need not walk the
//! store (sled iterates at 1.5-2 µs a key before a record is decoded).
//! One mechanism for all of them: the names of a kind ([`Names`], for
//! search), every record of a kind ([`Records`], for the reports) and the
//! organizations table (`derived::org_rows`, for the app's first screen).
//!
//! A [`Projection`] says what an item is, how a record becomes one, its
//! file and its order. [`Store::project`] reads the file, checks that its
//! stamp holds for this database (`stamp.rs`: replica id, version vector
//! and digest of the history up to it), catches up from the change log by
//! deriving again only the records changed since, and says when the file is
//! worth writing again. A missing or damaged file, another format, another
//! database or history, or too much changed means the store is read
//! instead: never a wrong answer. Only one process opens a database at a
//! time, so nobody races on a file. Every projection is listed once, in
//! `derived::all`, which `sanshe cache rebuild` uses.

mod names;
mod records;
pub(super) mod stamp;

use std::collections::HashMap;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use names::Names;
pub use records::Records;
pub use stamp::{Basis, Vector};

use super::{Store, StoreError};
use crate::model::{Kind, Record};

/// Above this many changed records the store is read instead.
pub const MAX_CATCH_UP: usize = 20_000;
/// A file is written again (for its stamp alone) once a catch-up has to
/// read this many operations, even if none changed its kind.
const REWRITE_AFTER_OPS: usize = 10_000;

/// Data derived from every live record of one kind, one item per record
/// (or none), kept in `DB/cache/` under [`file_name`](Self::file_name).
pub trait Projection {
    /// What a record becomes.
    type Item: Serialize + DeserializeOwned + PartialEq;
    /// Bumped whenever the layout of the file's body changes.
    const FORMAT: u32;

    /// The kind of the records it is derived from.
    fn kind(&self) -> Kind;
    /// Its file in `DB/cache/`.
    fn file_name(&self) -> String;
    /// The id of the record `item` was derived from.
    fn id<'a>(&self, item: &'a Self::Item) -> &'a str;
    /// The item of a live record, if it has one.
    fn derive(&self, id: &str, record: Record) -> Option<Self::Item>;

    /// Every item, from the store, in order.
    fn full(&self, store: &Store) -> Result<Vec<Self::Item>, StoreError> {
        let mut items: Vec<Self::Item> = store
            .all(self.kind())?
            .into_iter()
            .filter_map(|(id, r)| self.derive(&id, r))
            .collect();
        self.order(&mut items);
        Ok(items)
    }
    /// Puts items in order after a catch-up (changed ones were replaced in
    /// place, new ones put at the end). No order by default.
    fn order(&self, _items: &mut [Self::Item]) {}
    /// The file's body; `None` when these items cannot be kept in a file.
    fn encode(&self, items: &[Self::Item]) -> Option<Vec<u8>> {
        bincode::serde::encode_to_vec(items, stamp::config()).ok()
    }
    /// The items of a body, if it decodes whole.
    fn decode(&self, body: &[u8]) -> Option<Vec<Self::Item>> {
        let (items, used): (Vec<Self::Item>, usize) =
            bincode::serde::decode_from_slice(body, stamp::config()).ok()?;
        (used == body.len()).then_some(items)
    }
    /// Completes items read from the file (what is not kept in it); false
    /// when they are not this projection's after all.
    fn loaded(&self, _items: &mut [Self::Item]) -> bool {
        true
    }
}

/// What [`Store::project`] found.
#[derive(Debug)]
pub struct Projected<T> {
    /// Every item, up to date.
    pub items: Vec<T>,
    /// Set when the file is worth writing again: the basis to stamp it
    /// with ([`Store::write_projection`]).
    pub write_back: Option<Basis>,
}

impl Store {
    /// The items of a projection, up to date: from its file caught up from
    /// the change log, else from the store. Nothing is written: a caller in
    /// a hurry shows the items first and writes `write_back` afterwards.
    pub fn project<P: Projection>(&self, p: &P) -> Result<Projected<P::Item>, StoreError> {
        let now = self.version_vector()?;
        if let Some((then, mut items)) = self.read_projection(p) {
            if let Some((ids, ops_read)) = self.changed_since(p.kind(), &then.vv, &now)? {
                let mut changed = HashMap::with_capacity(ids.len());
                for id in ids {
                    let item = self.get(p.kind(), &id)?.and_then(|r| p.derive(&id, r));
                    changed.insert(id, item);
                }
                let differs = catch_up(p, &mut items, changed);
                if differs {
                    p.order(&mut items);
                }
                let write_back = if differs || ops_read >= REWRITE_AFTER_OPS {
                    Some(self.basis_at(now)?)
                } else {
                    None
                };
                return Ok(Projected { items, write_back });
            }
        }
        let items = p.full(self)?;
        Ok(Projected {
            items,
            write_back: Some(self.basis_at(now)?),
        })
    }

    /// [`project`](Self::project), and the file written when it is behind
    /// (a failure to write is ignored: the file is only a shortcut).
    pub fn projected<P: Projection>(&self, p: &P) -> Result<Vec<P::Item>, StoreError> {
        let got = self.project(p)?;
        if let Some(basis) = &got.write_back {
            let _ = self.write_projection(p, &got.items, basis);
        }
        Ok(got.items)
    }

    /// The items in a projection's file and what they reflect, if the file
    /// is usable: readable, whole, of this format, and stamped with an
    /// earlier state of this very database ([`basis_holds`](Self::basis_holds)).
    pub fn read_projection<P: Projection>(&self, p: &P) -> Option<(Basis, Vec<P::Item>)> {
        let name = p.file_name();
        let (basis, bytes, at) = stamp::read(&self.cache_dir().join(&name), &name, P::FORMAT)?;
        if !self.basis_holds(&basis).unwrap_or(false) {
            return None;
        }
        let mut items = p.decode(&bytes[at..])?;
        p.loaded(&mut items).then_some((basis, items))
    }

    /// Writes a projection's file atomically: `items` (in order) as of
    /// `basis`. False when the projection cannot keep them (nothing written).
    pub fn write_projection<P: Projection>(
        &self,
        p: &P,
        items: &[P::Item],
        basis: &Basis,
    ) -> std::io::Result<bool> {
        let Some(body) = p.encode(items) else {
            return Ok(false);
        };
        let name = p.file_name();
        stamp::write(
            &self.cache_dir().join(&name),
            &name,
            P::FORMAT,
            basis,
            &body,
        )?;
        Ok(true)
    }

    /// Deletes every file in [`cache_dir`](Self::cache_dir) and writes each
    /// of `projections` again from the store (`derived::all` lists them
    /// all); for support, and after anything odd. Returns each file
    /// written with the number of items in it.
    pub fn rebuild_projections(
        &self,
        projections: &[Box<dyn Derived>],
    ) -> Result<Vec<(PathBuf, usize)>, StoreError> {
        let dir = self.cache_dir();
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(super::db::io_error(&dir, e)),
        }
        let mut out = Vec::new();
        for p in projections {
            if let Some(n) = p.rebuild(self)? {
                out.push((dir.join(p.file_name()), n));
            }
        }
        Ok(out)
    }
}

/// A projection whatever its item type: what a list of them holds.
pub trait Derived {
    /// Its file in `DB/cache/`.
    fn file_name(&self) -> String;
    /// Derives every item from the store and writes the file; the number of
    /// items, or `None` when they cannot be kept in a file.
    fn rebuild(&self, store: &Store) -> Result<Option<usize>, StoreError>;
    /// Whether its file would be used as it is (readable, of this
    /// database's history).
    fn usable(&self, store: &Store) -> bool;
}

impl<P: Projection> Derived for P {
    fn file_name(&self) -> String {
        Projection::file_name(self)
    }

    fn rebuild(&self, store: &Store) -> Result<Option<usize>, StoreError> {
        let basis = store.basis()?;
        let items = self.full(store)?;
        let file = store.cache_dir().join(Projection::file_name(self));
        let written = store
            .write_projection(self, &items, &basis)
            .map_err(|e| super::db::io_error(&file, e))?;
        Ok(written.then_some(items.len()))
    }

    fn usable(&self, store: &Store) -> bool {
        store.read_projection(self).is_some()
    }
}

/// Applies changes to items: `changed` maps a record's id to its item now,
/// or `None` when it has none (deleted). Items keep their place; new ones
/// go at the end. True when anything differs.
fn catch_up<P: Projection>(
    p: &P,
    items: &mut Vec<P::Item>,
    mut changed: HashMap<String, Option<P::Item>>,
) -> bool {
    if changed.is_empty() {
        return false;
    }
    let mut differs = false;
    items.retain_mut(|item| match changed.remove(p.id(item)) {
        None => true,
        Some(None) => {
            differs = true;
            false
        }
        Some(Some(now)) => {
            if now != *item {
                *item = now;
                differs = true;
            }
            true
        }
    });
    for item in changed.into_values().flatten() {
        items.push(item);
        differs = true;
    }
    differs
}
