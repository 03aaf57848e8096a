//! On whose behalf this thread writes: a server serves each client on its
//! own thread and says there who the client is (from the kernel, see
//! `server::peer`) and whether it may write. Every transaction then names
//! that user as the author of its operations, and a read-only client's
//! write is refused before anything is written. Outside a server nothing
//! is set: the process's own user writes.

use std::cell::RefCell;

/// Who is served on this thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The client's Unix login: the author of its changes.
    pub user: String,
    /// False for a user admitted read-only: every write is refused.
    pub may_write: bool,
    /// May see leads on illegal organizations.
    pub may_see_leads: bool,
    /// May see who reported a lead.
    pub may_see_reporter: bool,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Serves `session` on this thread until the returned guard is dropped.
pub fn enter(session: Session) -> Guard {
    let before = SESSION.with(|s| s.replace(Some(session)));
    Guard { before }
}

/// Puts the previous session back when dropped.
#[must_use]
pub struct Guard {
    before: Option<Session>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let before = self.before.take();
        SESSION.with(|s| *s.borrow_mut() = before);
    }
}

/// The session served on this thread, if any.
pub fn current() -> Option<Session> {
    SESSION.with(|s| s.borrow().clone())
}

/// The user of this thread's session.
pub(super) fn user() -> Option<String> {
    SESSION.with(|s| s.borrow().as_ref().map(|s| s.user.clone()))
}

/// Whether this thread's user may see leads (`Some(false)`: a client
/// without the right; no session: this process's own user, the owner).
pub fn may_see_leads() -> bool {
    SESSION.with(|s| s.borrow().as_ref().is_none_or(|s| s.may_see_leads))
}

/// Whether this thread's user may see who reported a lead.
pub fn may_see_reporter() -> bool {
    SESSION.with(|s| s.borrow().as_ref().is_none_or(|s| s.may_see_reporter))
}

/// Refuses a write when this thread serves a read-only client.
pub(super) fn check_write() -> Result<(), super::StoreError> {
    SESSION.with(|s| match s.borrow().as_ref() {
        Some(s) if !s.may_write => Err(super::StoreError::ReadOnly {
            user: s.user.clone(),
        }),
        _ => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, OrgType, Organization, Record};
    use crate::store::{Command, Store};

    fn add(name: &str) -> Command {
        Command::Create {
            record: Record::Org(Organization::new(name, OrgType::Community)),
        }
    }

    #[test]
    fn a_session_names_the_author_and_read_only_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        {
            let _g = enter(Session {
                user: "wangli".into(),
                may_write: true,
                may_see_leads: true,
                may_see_reporter: false,
            });
            store.execute(add("望江门社区银龄互助会")).unwrap();
        }
        let log = store.log(100).unwrap();
        assert!(!log.is_empty());
        assert!(log.iter().all(|e| e.op.author == "wangli"), "{log:?}");
        let _g = enter(Session {
            user: "zhaoqiang".into(),
            may_write: false,
            may_see_leads: true,
            may_see_reporter: false,
        });
        let err = store.execute(add("湖滨晴雨志愿队")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(matches!(err, crate::store::StoreError::ReadOnly { .. }));
        assert_eq!(store.count(Kind::Org), 1);
    }
}
