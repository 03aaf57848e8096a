//! The changes made in this session, newest last, and the commands that
//! undo each: a create is undone by a delete, an update by the update
//! back (before and after swapped), a delete by a restore; changes made
//! together in pane 2 (a linkage step) are undone together.

use crate::model::{Kind, Record};
use crate::store::Command;

/// One change made through the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Created {
        kind: Kind,
        id: String,
        title: String,
    },
    Updated {
        id: String,
        /// As it was before the change.
        before: Box<Record>,
        /// As the store kept it after the change.
        after: Box<Record>,
    },
    Deleted {
        kind: Kind,
        id: String,
        title: String,
    },
    /// Changes made together in pane 2 (三社联动): a linkage step writes
    /// the linkage, its need and its offers in one batch. Undone in one
    /// batch by the linkage pane, which first checks that nobody changed
    /// them since.
    Linkage { title: String, changes: Vec<Change> },
}

impl Change {
    /// The commands that undo this change, to run in one batch.
    pub fn inverse(&self) -> Vec<Command> {
        match self {
            Change::Created { kind, id, .. } => vec![Command::Delete {
                kind: *kind,
                id: id.clone(),
            }],
            Change::Updated { id, before, after } => vec![Command::Update {
                id: id.clone(),
                before: (**after).clone(),
                after: (**before).clone(),
            }],
            Change::Deleted { kind, id, .. } => vec![Command::Restore {
                kind: *kind,
                id: id.clone(),
            }],
            Change::Linkage { changes, .. } => {
                changes.iter().rev().flat_map(Change::inverse).collect()
            }
        }
    }

    /// The name of the record, for messages.
    pub fn title(&self) -> &str {
        match self {
            Change::Created { title, .. }
            | Change::Deleted { title, .. }
            | Change::Linkage { title, .. } => title,
            Change::Updated { before, .. } => before.title(),
        }
    }
}

/// The session's changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UndoLog {
    changes: Vec<Change>,
}

impl UndoLog {
    /// Records a change.
    pub fn push(&mut self, c: Change) {
        self.changes.push(c);
    }

    /// The newest change, without removing it.
    pub fn last(&self) -> Option<&Change> {
        self.changes.last()
    }

    /// Removes and returns the newest change.
    pub fn pop(&mut self) -> Option<Change> {
        self.changes.pop()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.changes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgType, Organization};

    #[test]
    fn inverses() {
        let c = Change::Created {
            kind: Kind::Org,
            id: "x".into(),
            title: "甲".into(),
        };
        assert_eq!(
            c.inverse(),
            [Command::Delete {
                kind: Kind::Org,
                id: "x".into()
            }]
        );
        let a = Record::Org(Organization::new("甲", OrgType::Community));
        let b = Record::Org(Organization::new("乙", OrgType::Community));
        let u = Change::Updated {
            id: "x".into(),
            before: Box::new(a.clone()),
            after: Box::new(b.clone()),
        };
        assert_eq!(
            u.inverse(),
            [Command::Update {
                id: "x".into(),
                before: b.clone(),
                after: a.clone()
            }]
        );
        assert_eq!(u.title(), "甲");
        let d = Change::Deleted {
            kind: Kind::Org,
            id: "x".into(),
            title: "甲".into(),
        };
        assert_eq!(
            d.inverse(),
            [Command::Restore {
                kind: Kind::Org,
                id: "x".into()
            }]
        );
        // Changes made together are undone together, the last first.
        let both = Change::Linkage {
            title: "对接".into(),
            changes: vec![c, u],
        };
        assert_eq!(
            both.inverse(),
            [
                Command::Update {
                    id: "x".into(),
                    before: b,
                    after: a
                },
                Command::Delete {
                    kind: Kind::Org,
                    id: "x".into()
                }
            ]
        );
        assert_eq!(both.title(), "对接");
    }

    #[test]
    fn log_is_last_in_first_out() {
        let mut l = UndoLog::default();
        assert!(l.is_empty());
        for id in ["a", "b"] {
            l.push(Change::Created {
                kind: Kind::Org,
                id: id.into(),
                title: id.into(),
            });
        }
        assert_eq!(l.len(), 2);
        assert_eq!(l.pop().map(|c| c.title().to_string()), Some("b".into()));
        assert_eq!(l.last().map(|c| c.title()), Some("a"));
    }
}
