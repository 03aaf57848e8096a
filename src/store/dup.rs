//! The possible-duplicate check: an organization whose name is very close
//! (`model::names`) to another live organization's in the same township.
//!
//! The township of an organization is the township ancestor (or self) of its
//! grid place. An organization without one (no grid, or placed at a
//! district) could be anywhere: it compares with every organization, and
//! every township's organizations compare with it. A township's names are read once per
//! transaction from the by-grid index (the township's places found through
//! the by-parent index) and kept in an [`Index`] of their comparison keys,
//! so a batch of 200,000 new organizations reads each township once, and
//! compares each name only with the few of its township that could be
//! similar (not with every one: that was quadratic).

mod index;

use std::collections::{HashMap, HashSet};

use super::api::{StoreError, Warning};
use super::db::Overlay;
use super::keys::{self, BY_GRID, BY_PARENT};
use super::tx::Tx;
use crate::model::names::NameKey;
use crate::model::{Labeled, Organization, PlaceLevel};
pub use index::{Entry, Index};

/// At most this many possible duplicates are reported for one save.
pub const MAX_WARNINGS: usize = 5;

/// The township code, or `None` for organizations outside any township.
pub type Scope = Option<String>;

/// Whether the names compared in `scope` include those of organizations of
/// `of`: a township's are its own and those outside any township; outside
/// any township, every organization's.
fn holds(scope: &Scope, of: &Scope) -> bool {
    scope.is_none() || of.is_none() || scope == of
}

/// What has been read for the check. The store keeps it between
/// transactions (it is the only writer, and every change goes through
/// [`Tx::dup_changed`]); a transaction that fails drops it, and one that
/// changed it without committing (a check) drops it too.
#[derive(Debug, Default)]
pub struct DupCache {
    /// Grid code -> township.
    townships: HashMap<String, Scope>,
    /// Township -> its organizations.
    scopes: HashMap<Scope, Index>,
    /// Changed by records not (yet) committed.
    dirty: bool,
}

impl DupCache {
    /// Forgets everything (a place changed: townships may have moved).
    pub fn clear(&mut self) {
        self.townships.clear();
        self.scopes.clear();
    }

    /// Whether it holds changes of an uncommitted transaction.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Number of townships read.
    #[cfg(test)]
    pub fn loaded(&self) -> usize {
        self.scopes.len()
    }

    /// Marks it as matching the committed database.
    pub fn committed(mut self) -> Self {
        self.dirty = false;
        self
    }
}

/// Codes of a place and of every place under it (through the by-parent index).
pub fn place_and_descendants(ov: &Overlay, code: &str) -> Result<Vec<String>, StoreError> {
    let mut out = vec![code.to_string()];
    let mut seen: HashSet<String> = out.iter().cloned().collect();
    let mut i = 0;
    while i < out.len() {
        for k in ov.scan_keys(&keys::pair_prefix(BY_PARENT, &out[i]))? {
            if let Some(c) = keys::pair_suffix(&k) {
                if !c.is_empty() && seen.insert(c.to_string()) {
                    out.push(c.to_string());
                }
            }
        }
        i += 1;
    }
    Ok(out)
}

impl Tx<'_> {
    /// The township of a grid place.
    pub fn township_of(&mut self, grid: Option<&str>) -> Result<Scope, StoreError> {
        let Some(grid) = grid else {
            return Ok(None);
        };
        if let Some(t) = self.dup.townships.get(grid) {
            return Ok(t.clone());
        }
        let mut code = grid.to_string();
        let mut found = None;
        // Levels strictly rise going up, so five steps reach the top.
        for _ in 0..PlaceLevel::ALL.len() {
            let Some(p) = self.live_place(&code)? else {
                break;
            };
            if p.level == PlaceLevel::Township {
                found = Some(code);
                break;
            }
            match (p.level, p.parent) {
                (PlaceLevel::District, _) | (_, None) => break,
                (_, Some(parent)) => code = parent,
            }
        }
        self.dup.townships.insert(grid.to_string(), found.clone());
        Ok(found)
    }

    /// Prefixes of the by-grid keys of the organizations `scope` compares
    /// with (see [`holds`]).
    fn scope_prefixes(&self, scope: &Scope) -> Result<Vec<Vec<u8>>, StoreError> {
        let Some(t) = scope else {
            // Outside any township: every organization.
            return Ok(vec![vec![BY_GRID]]);
        };
        // The township's places, then no grid and the districts (places
        // without a parent): those outside any township.
        let mut grids = place_and_descendants(&self.ov, t)?;
        grids.push(String::new());
        for k in self.ov.scan_keys(&keys::pair_prefix(BY_PARENT, ""))? {
            if let Some(c) = keys::pair_suffix(&k) {
                grids.push(c.to_string());
            }
        }
        Ok(grids
            .iter()
            .map(|g| keys::pair_prefix(BY_GRID, g))
            .collect())
    }

    fn load_scope(&mut self, scope: &Scope) -> Result<(), StoreError> {
        if self.dup.scopes.contains_key(scope) {
            return Ok(());
        }
        let mut entries = Index::default();
        for prefix in self.scope_prefixes(scope)? {
            for (k, v) in self.ov.scan(&prefix)? {
                let (Some(id), Ok(name)) = (keys::pair_suffix(&k), String::from_utf8(v)) else {
                    continue;
                };
                entries.add(Entry {
                    id: id.to_string(),
                    key: NameKey::new(&name),
                    name,
                });
            }
        }
        self.dup.scopes.insert(scope.clone(), entries);
        Ok(())
    }

    /// Live organizations other than `id` whose name is very close to `name`
    /// in the township of `grid` (in the whole database when `grid` is in
    /// no township).
    pub fn possible_duplicates(
        &mut self,
        id: &str,
        name: &str,
        grid: Option<&str>,
    ) -> Result<Vec<Warning>, StoreError> {
        let scope = self.township_of(grid)?;
        self.load_scope(&scope)?;
        let key = NameKey::new(name);
        let Some(entries) = self.dup.scopes.get(&scope) else {
            return Ok(Vec::new());
        };
        Ok(entries
            .similar(&key, id, MAX_WARNINGS)
            .into_iter()
            .map(|e| Warning::PossibleDuplicate {
                id: e.id.clone(),
                name: e.name.clone(),
            })
            .collect())
    }

    /// Keeps loaded townships in step with a changed organization.
    pub fn dup_changed(
        &mut self,
        id: &str,
        old: Option<&Organization>,
        new: Option<&Organization>,
    ) -> Result<(), StoreError> {
        if self.dup.scopes.is_empty() {
            return Ok(());
        }
        if let Some(o) = old {
            let of = self.township_of(o.grid.as_deref())?;
            for (scope, entries) in self.dup.scopes.iter_mut() {
                if holds(scope, &of) {
                    entries.remove(id);
                    self.dup.dirty = true;
                }
            }
        }
        if let Some(n) = new {
            let of = self.township_of(n.grid.as_deref())?;
            for (scope, entries) in self.dup.scopes.iter_mut() {
                if holds(scope, &of) {
                    entries.add(Entry {
                        id: id.to_string(),
                        name: n.name.clone(),
                        key: NameKey::new(&n.name),
                    });
                    self.dup.dirty = true;
                }
            }
        }
        Ok(())
    }
}
