//! Who may connect to this database through its server, kept in the
//! database's own (local) key space: never in a sync bundle, never in
//! another office's copy. The store only keeps the list; `server::access`
//! decides from it who a connecting Unix user is allowed to be.

use serde::{Deserialize, Serialize};

use super::{keys, Store, StoreError};

const META_ACCESS: &str = "access";

/// One admitted user (`wangli`) or group (`@staff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// A Unix login, or `@` and a Unix group.
    pub who: String,
    /// Browse and export only.
    pub read_only: bool,
    /// May see leads on illegal organizations.
    #[serde(default)]
    pub leads: bool,
    /// May see who reported a lead (`lead show --show-reporter`).
    #[serde(default)]
    pub reporter: bool,
}

impl Grant {
    /// The group this grant names (`@staff` -> `staff`).
    pub fn group(&self) -> Option<&str> {
        self.who.strip_prefix('@')
    }
}

impl Store {
    /// Who is admitted besides the database's owner, in the order added.
    pub fn grants(&self) -> Result<Vec<Grant>, StoreError> {
        match self
            .db
            .get(keys::meta(META_ACCESS))
            .map_err(super::storage)?
        {
            // Written by us only; an unreadable list admits nobody extra.
            Some(v) => Ok(serde_json::from_slice(&v).unwrap_or_default()),
            None => Ok(Vec::new()),
        }
    }

    /// Replaces the list of admitted users and groups; flushed before it
    /// returns.
    pub fn set_grants(&self, grants: &[Grant]) -> Result<(), StoreError> {
        let json = serde_json::to_vec(grants).map_err(|e| StoreError::Storage(e.to_string()))?;
        self.db
            .insert(keys::meta(META_ACCESS), json)
            .map_err(|e| self.write_error(e))?;
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_are_kept_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(store.grants().unwrap().is_empty());
        let g = vec![
            Grant {
                who: "wangli".into(),
                read_only: false,
                leads: true,
                reporter: false,
            },
            Grant {
                who: "@staff".into(),
                read_only: true,
                leads: false,
                reporter: false,
            },
        ];
        store.set_grants(&g).unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.grants().unwrap(), g);
        assert_eq!(g[1].group(), Some("staff"));
    }
}
