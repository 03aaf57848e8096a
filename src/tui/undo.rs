//! The changes made in this session, newest last, and the commands that
//! undo each: a create is undone by a delete, an update by the update
//! back (before and after swapped), a delete by a restore; changes made
//! together in pane 2 (a linkage step) are undone together.

use crate::model::{Kind, Labeled, LinkageState, Record};
use crate::store::fields::{diff, flatten};
use crate::store::{Command, Store};

/// One change made through the app.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

    /// The one record the change was made to (`None`: several, a linkage
    /// step), to select once it is undone.
    pub fn target(&self) -> Option<(Kind, &str)> {
        match self {
            Change::Created { kind, id, .. } | Change::Deleted { kind, id, .. } => {
                Some((*kind, id))
            }
            Change::Updated { id, before, .. } => Some((before.kind(), id)),
            Change::Linkage { .. } => None,
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

/// Runs an undo (on the store worker): `cmds` in one batch, unless a
/// record they restore was changed since the change (by a sync import, or
/// another member of staff): then nothing is written and the message says
/// which record.
pub fn serve(store: &Store, cmds: Vec<Command>) -> Result<(), String> {
    for cmd in &cmds {
        still_as_left(store, cmd)?;
    }
    store.execute_all(cmds).map_err(|e| e.message())?;
    Ok(())
}

/// Whether the record an undo command writes is still as the change left
/// it: every field the undo writes holds what the change wrote; a linkage
/// to delete (a proposal undone) is still only proposed.
fn still_as_left(store: &Store, cmd: &Command) -> Result<(), String> {
    let changed = |r: &Record| crate::tr!("tui.undo_changed", what = r.title());
    match cmd {
        Command::Update { id, before, after } => {
            let now = read(store, after.kind(), id, before.title())?;
            let (mut left, mut back) = (before.clone(), after.clone());
            left.normalize();
            back.normalize();
            let (Ok(now_f), Ok(left_f), Ok(back_f)) =
                (flatten(&now), flatten(&left), flatten(&back))
            else {
                return Err(changed(&now));
            };
            let same = diff(&left_f, &back_f)
                .iter()
                .all(|(path, _)| now_f.get(path) == left_f.get(path));
            if same {
                Ok(())
            } else {
                Err(changed(&now))
            }
        }
        Command::Delete { kind, id } => match read(store, *kind, id, "")? {
            Record::Linkage(l) if l.state != LinkageState::Proposed => {
                Err(changed(&Record::Linkage(l)))
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Record `id` of `kind` as it is now (`what` names it if it is gone).
fn read(store: &Store, kind: Kind, id: &str, what: &str) -> Result<Record, String> {
    match store.get(kind, id) {
        Ok(Some(r)) if r.kind() == kind => Ok(r),
        Ok(_) => Err(if what.is_empty() {
            crate::tr!(
                "tui.undo_gone_unnamed",
                kind = kind.label(crate::text::lang())
            )
        } else {
            crate::tr!(
                "tui.undo_gone",
                kind = kind.label(crate::text::lang()),
                what = what
            )
        }),
        Err(e) => Err(e.message()),
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
