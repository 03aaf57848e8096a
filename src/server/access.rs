//! Who may connect to a database's server, and how far: its owner (the
//! Unix user who owns the database folder, who created it) and root
//! always, with every right, and may change the list; the users and
//! groups of the list (`store::access`) as it says (read-only or not);
//! nobody else. The user is the kernel's word (`peer.rs`), never the
//! client's.
//!
//! Files: the database's files stay private to its owner whatever the
//! list says (the server, running as the owner, reads them). Only the way
//! in opens up when someone is admitted: with one admitted group and
//! nobody else, the folder (search only) and the socket go to that group;
//! otherwise others may search the folder and connect to the socket, and
//! the server refuses whoever is not on the list.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::store::access::Grant;
use crate::store::Store;
use crate::tr;

use super::peer::Peer;

/// A client the server lets in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admitted {
    /// Login name (the number when the system does not know it).
    pub user: String,
    pub read_only: bool,
    /// The owner or root: may change the access list.
    pub manager: bool,
    /// May see leads on illegal organizations, and who reported them.
    pub leads: bool,
    pub reporter: bool,
}

/// The owner of the database folder (the user who created it).
pub fn owner(db: &Path) -> Option<u32> {
    std::fs::metadata(db).ok().map(|m| m.uid())
}

/// The login name of `uid`, or the number.
pub fn login(uid: u32) -> String {
    super::peer::user_name(uid).unwrap_or_else(|| uid.to_string())
}

/// The name to show for `login`: the first part of the system's full name
/// of the user (GECOS) when there is one, else the login.
pub fn display_name(login: &str) -> String {
    use uzers::os::unix::UserExt;
    uzers::get_user_by_name(login)
        .and_then(|u| {
            let full = u.gecos().to_string_lossy().into_owned();
            let first = full.split(',').next().unwrap_or("").trim().to_string();
            (!first.is_empty()).then_some(first)
        })
        .unwrap_or_else(|| login.to_string())
}

/// Whether `peer` may connect to the database at `db`, and how.
pub fn admit(store: &Store, db: &Path, peer: Peer) -> Result<Admitted, String> {
    let user = login(peer.uid);
    let owner = owner(db);
    if peer.uid == 0 || Some(peer.uid) == owner {
        return Ok(Admitted {
            user,
            read_only: false,
            manager: true,
            leads: true,
            reporter: true,
        });
    }
    let grants = store.grants().unwrap_or_default();
    let groups: Vec<String> = uzers::get_user_groups(user.as_str(), peer.gid)
        .unwrap_or_default()
        .iter()
        .map(|g| g.name().to_string_lossy().into_owned())
        .collect();
    let applies = |g: &Grant| match g.group() {
        Some(group) => groups.iter().any(|n| n == group),
        None => g.who == user,
    };
    let mine: Vec<&Grant> = grants.iter().filter(|g| applies(g)).collect();
    if mine.is_empty() {
        let owner = owner.map(login).unwrap_or_default();
        return Err(tr!(
            "server.not_admitted",
            user = user,
            db = db.display(),
            owner = owner
        ));
    }
    Ok(Admitted {
        user,
        // The widest right any of the user's grants gives.
        read_only: mine.iter().all(|g| g.read_only),
        manager: false,
        leads: mine.iter().any(|g| g.leads),
        reporter: mine.iter().any(|g| g.leads && g.reporter),
    })
}

/// Whether `who` (`wangli`, `@staff`) names a user or group the system
/// knows.
pub fn exists(who: &str) -> bool {
    match who.strip_prefix('@') {
        Some(group) => uzers::get_group_by_name(group).is_some(),
        None => uzers::get_user_by_name(who).is_some(),
    }
}

/// Sets the modes of the way in (the folder and the socket) for `grants`
/// (see the module's notes). Best effort: reported, not fatal.
pub fn open_the_way(db: &Path, grants: &[Grant]) -> std::io::Result<()> {
    let socket = super::socket::path(db);
    let set =
        |p: &Path, mode: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
    if grants.is_empty() {
        set(db, 0o700)?;
        if socket.exists() {
            set(&socket, 0o600)?;
        }
        return Ok(());
    }
    let only_group = match grants {
        [g] => g.group().and_then(uzers::get_group_by_name),
        _ => None,
    };
    if let Some(group) = only_group {
        let gid = Some(group.gid());
        let to_group = std::os::unix::fs::chown(db, None, gid).and_then(|_| {
            if socket.exists() {
                std::os::unix::fs::chown(&socket, None, gid)
            } else {
                Ok(())
            }
        });
        if to_group.is_ok() {
            set(db, 0o710)?;
            if socket.exists() {
                set(&socket, 0o660)?;
            }
            return Ok(());
        }
    }
    set(db, 0o711)?;
    if socket.exists() {
        set(&socket, 0o666)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Peer {
        // SAFETY: getuid/getgid cannot fail.
        unsafe {
            Peer {
                pid: std::process::id(),
                uid: libc::getuid(),
                gid: libc::getgid(),
            }
        }
    }

    #[test]
    fn the_owner_manages_and_a_stranger_is_named_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = admit(&store, dir.path(), me()).unwrap();
        assert!(a.manager && !a.read_only);
        // A uid nobody has: not the owner, on no list.
        let stranger = Peer {
            pid: 1,
            uid: 54_321,
            gid: 54_321,
        };
        let why = admit(&store, dir.path(), stranger).unwrap_err();
        assert!(why.contains("54321"), "{why}");
        assert!(why.contains(&dir.path().display().to_string()), "{why}");
        store
            .set_grants(&[Grant {
                who: "54321".into(),
                read_only: true,
                leads: false,
                reporter: false,
            }])
            .unwrap();
        let a = admit(&store, dir.path(), stranger).unwrap();
        assert!(a.read_only && !a.manager);
    }

    #[test]
    fn the_way_in_opens_only_when_someone_is_admitted() {
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        open_the_way(dir.path(), &[]).unwrap();
        assert_eq!(mode(dir.path()), 0o700);
        let g = [Grant {
            who: "wangli".into(),
            read_only: false,
            leads: false,
            reporter: false,
        }];
        open_the_way(dir.path(), &g).unwrap();
        assert_eq!(mode(dir.path()), 0o711, "search, never list or read");
        open_the_way(dir.path(), &[]).unwrap();
        assert_eq!(mode(dir.path()), 0o700);
    }
}
