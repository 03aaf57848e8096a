//! What a commit changed, announced to whoever watches the store: the
//! app's panes now (one notice after each request its store worker
//! serves), every connected app when a server owns the database ([4/6]).
//! A pane follows a change from the notice alone (an organization renamed,
//! an activity added), whoever made it: this session, an undo, a sync
//! import.
//!
//! Watching is off unless asked for ([`Store::watch`](super::Store::watch)):
//! the command line never pays for it.

use std::collections::HashMap;

use crate::model::{Kind, Record};

/// At most this many changed records are carried, with their values, per
/// kind; past it the kind is listed in [`Notice::many`] and watchers read
/// it again (a large import).
pub const MAX_CARRIED: usize = 1_000;

/// One record a commit changed: as it was before the first commit since
/// the last notice and as it is now (`None`: not live, deleted or never
/// existed).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Changed {
    pub kind: Kind,
    pub id: String,
    /// Who made the change (the last one, when changed twice): the Unix
    /// user of the process or, through a server, of its client.
    pub author: String,
    pub before: Option<Record>,
    pub after: Option<Record>,
}

/// The records changed since the last notice.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    pub changes: Vec<Changed>,
    /// Kinds changed too much to carry: read again whatever shows them.
    pub many: Vec<Kind>,
}

impl Notice {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.many.is_empty()
    }

    /// True when records of `kind` changed.
    pub fn touches(&self, kind: Kind) -> bool {
        self.many.contains(&kind) || self.changes.iter().any(|c| c.kind == kind)
    }

    /// True when records of `kind` changed beyond what the notice carries.
    pub fn too_many(&self, kind: Kind) -> bool {
        self.many.contains(&kind)
    }

    /// The changes of `kind` carried.
    pub fn of(&self, kind: Kind) -> impl Iterator<Item = &Changed> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }
}

/// Gathers changes (within a transaction, then across commits until taken):
/// a record changed twice keeps its first `before` and its last `after`.
#[derive(Debug, Default)]
pub(super) struct Journal {
    notice: Notice,
    at: HashMap<(Kind, String), usize>,
}

impl Journal {
    pub(super) fn record(
        &mut self,
        kind: Kind,
        id: &str,
        author: &str,
        before: Option<&Record>,
        after: Option<&Record>,
    ) {
        if self.notice.many.contains(&kind) {
            return;
        }
        if let Some(&i) = self.at.get(&(kind, id.to_string())) {
            self.notice.changes[i].after = after.cloned();
            self.notice.changes[i].author = author.to_string();
            return;
        }
        if self.notice.of(kind).count() >= MAX_CARRIED {
            self.notice.many.push(kind);
            self.notice.changes.retain(|c| c.kind != kind);
            self.reindex();
            return;
        }
        self.at
            .insert((kind, id.to_string()), self.notice.changes.len());
        self.notice.changes.push(Changed {
            kind,
            id: id.to_string(),
            author: author.to_string(),
            before: before.cloned(),
            after: after.cloned(),
        });
    }

    /// Adds what another journal gathered (a committed transaction).
    pub(super) fn extend(&mut self, other: Journal) {
        for k in other.notice.many {
            if !self.notice.many.contains(&k) {
                self.notice.many.push(k);
                self.notice.changes.retain(|c| c.kind != k);
                self.reindex();
            }
        }
        for c in other.notice.changes {
            self.record(
                c.kind,
                &c.id,
                &c.author,
                c.before.as_ref(),
                c.after.as_ref(),
            );
        }
    }

    /// The notice so far, leaving the journal empty.
    pub(super) fn take(&mut self) -> Notice {
        self.at.clear();
        let mut n = std::mem::take(&mut self.notice);
        // A record changed and changed back is no change.
        n.changes.retain(|c| c.before != c.after);
        n
    }

    fn reindex(&mut self) {
        self.at = self
            .notice
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.kind, c.id.clone()), i))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgType, Organization};

    fn org(name: &str) -> Record {
        Record::Org(Organization::new(name, OrgType::Community))
    }

    #[test]
    fn a_record_changed_twice_keeps_its_first_before_and_last_after() {
        let mut j = Journal::default();
        j.record(Kind::Org, "a", "wang", None, Some(&org("一")));
        j.record(Kind::Org, "a", "li", Some(&org("一")), Some(&org("二")));
        let n = j.take();
        assert_eq!(n.changes.len(), 1);
        assert_eq!(n.changes[0].before, None);
        assert_eq!(n.changes[0].after, Some(org("二")));
        assert_eq!(n.changes[0].author, "li");
        assert!(j.take().is_empty());
    }

    #[test]
    fn changed_and_changed_back_is_no_change() {
        let mut j = Journal::default();
        j.record(Kind::Org, "a", "wang", Some(&org("一")), Some(&org("二")));
        j.record(Kind::Org, "a", "wang", Some(&org("二")), Some(&org("一")));
        assert!(j.take().is_empty());
    }

    #[test]
    fn too_many_changes_of_a_kind_say_read_it_again() {
        let mut j = Journal::default();
        for i in 0..=MAX_CARRIED {
            j.record(Kind::Activity, &i.to_string(), "wang", None, None);
        }
        j.record(Kind::Org, "a", "wang", None, Some(&org("一")));
        let n = j.take();
        assert!(n.too_many(Kind::Activity));
        assert!(n.touches(Kind::Activity));
        assert_eq!(n.changes.len(), 1);
        assert!(n.touches(Kind::Org) && !n.too_many(Kind::Org));
    }
}
