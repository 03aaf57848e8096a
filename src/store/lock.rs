//! Who holds a database: sled locks its files while a process has it open;
//! the holder also writes `holder.json` (user, process, since when) beside
//! them, so that another process refused the lock can say who has it.
//! The file is removed when the store is dropped (best effort: after a crash
//! a stale file remains, and is only read when the lock is really held).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::api::Holder;

/// The holder file of a database directory.
pub fn holder_path(dir: &Path) -> PathBuf {
    dir.join("holder.json")
}

/// Holder files larger than this are not ours; not read.
const MAX_HOLDER_BYTES: u64 = 4096;

/// Reads the holder file, if there is a readable one.
pub fn read_holder(dir: &Path) -> Option<Holder> {
    let path = holder_path(dir);
    let meta = fs::metadata(&path).ok()?;
    if meta.len() > MAX_HOLDER_BYTES {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Who we are, now.
pub fn this_process(user: &str) -> Holder {
    Holder {
        user: user.to_string(),
        pid: std::process::id(),
        since: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// Writes the holder file (through a temporary file and a rename, so a
/// reader never sees half of it). The temporary file is created as
/// `files::write_atomic` creates its own (exclusively, a random name, mode
/// 0600: nothing planted in the folder is followed or reused), without the
/// sync: the holder file is a courtesy, not data. Failure is not fatal: it
/// only makes the in-use message less precise.
pub fn write_holder(dir: &Path, holder: &Holder) -> bool {
    let Ok(json) = serde_json::to_string(holder) else {
        return false;
    };
    let Ok(mut tmp) = tempfile::Builder::new()
        .prefix(".holder.json.")
        .tempfile_in(dir)
    else {
        return false;
    };
    if tmp.write_all(json.as_bytes()).is_err() {
        return false;
    }
    tmp.persist(holder_path(dir)).is_ok()
}

/// Removes the holder file if it is still ours.
pub fn remove_holder(dir: &Path, pid: u32) {
    if read_holder(dir).is_some_and(|h| h.pid == pid) {
        let _ = fs::remove_file(holder_path(dir));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_read_remove() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_holder(dir.path()), None);
        let h = this_process("zhang");
        assert!(write_holder(dir.path(), &h));
        assert_eq!(read_holder(dir.path()), Some(h.clone()));
        // Someone else's file stays.
        remove_holder(dir.path(), h.pid + 1);
        assert!(read_holder(dir.path()).is_some());
        remove_holder(dir.path(), h.pid);
        assert_eq!(read_holder(dir.path()), None);
    }

    /// A neighbour who could write the folder plants a link where the
    /// temporary file used to go (`holder.json.PID`): it is not followed.
    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let h = this_process("zhang");
        std::os::unix::fs::symlink(&victim, dir.path().join(format!("holder.json.{}", h.pid)))
            .unwrap();
        assert!(write_holder(dir.path(), &h));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(holder_path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(holder_path(dir.path()), "不是 JSON").unwrap();
        assert_eq!(read_holder(dir.path()), None);
    }
}
