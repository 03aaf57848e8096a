//! Issue [1/6] 2: on a shared server, what the program writes is private
//! to the user even under the usual umask 022 (the database folder and
//! every file sled makes in it, caches, exports, bulletins, bundles, the
//! configuration folder and signing keys), and a database, signing key or
//! trusted-keys folder that others can reach is warned about, naming it
//! and the `chmod` that fixes it.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::cli_support::{text, Sanshe};

/// The umask staff usually have; the binary inherits it.
fn usual_umask() {
    // SAFETY: umask only sets the process's file-creation mask. Every test
    // in this file sets the same value.
    unsafe {
        libc::umask(0o022);
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
}

/// `dir` and everything under it.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(&out[i])
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect();
            out.append(&mut inner);
        }
        i += 1;
    }
    out
}

fn assert_private(p: &Path) {
    for f in walk(p) {
        assert_eq!(mode(&f) & 0o077, 0, "{} is {:o}", f.display(), mode(&f));
    }
}

#[test]
fn everything_written_is_private_under_umask_022() {
    usual_umask();
    let tmp = tempfile::tempdir().unwrap();
    chmod(tmp.path(), 0o755);
    let db = tmp.path().join("db");
    let config = tmp.path().join("config");
    let s = Sanshe::at(&db).config(&config);
    let o = s.run(&["demo", "--no-tui"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("警告"), "{}", text(&o.stderr));
    // Commands that write caches beside the database.
    s.ok(&["org", "list"]);
    s.ok(&["stats"]);
    let out = tmp.path().join("out");
    let export = out.join("orgs.csv");
    s.ok(&["export", "orgs", "--out", export.to_str().unwrap()]);
    let bulletin = tmp.path().join("bulletin.md");
    s.ok(&[
        "report",
        "bulletin",
        "--month",
        "2026-10",
        "--out",
        bulletin.to_str().unwrap(),
    ]);
    s.ok(&["sync", "keygen"]);
    s.ok(&[
        "sync",
        "init",
        "--office",
        "北山街道",
        "--network",
        "西湖区",
    ]);
    let bundle = tmp.path().join("北山街道.bundle");
    s.ok(&[
        "sync",
        "export",
        "--sign",
        "--out",
        bundle.to_str().unwrap(),
    ]);

    assert_eq!(mode(&db), 0o700);
    assert!(db.join("cache").is_dir() && db.join("db").is_file());
    assert_private(&db);
    assert_eq!(mode(&out), 0o700);
    assert_eq!(mode(&export), 0o600);
    assert_eq!(mode(&bulletin), 0o600);
    assert_eq!(mode(&bundle), 0o600);
    assert_eq!(mode(&config), 0o700);
    assert_private(&config);
}

#[test]
fn a_database_others_can_open_is_warned_about_once() {
    usual_umask();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let s = Sanshe::at(&db).config(&tmp.path().join("config"));
    s.ok(&["demo", "--no-tui"]);
    chmod(&db, 0o755);
    let o = s.run(&["org", "list"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!o.stdout.is_empty());
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("755"), "{err}");
    assert!(
        err.contains(&format!("chmod 700 {}", db.display())),
        "{err}"
    );
    // Said, not changed.
    assert_eq!(mode(&db), 0o755);
    let err = text(&s.clone().lang("en").run(&["stats"]).stderr);
    assert!(err.contains("other users can open"), "{err}");
    chmod(&db, 0o700);
    assert!(text(&s.run(&["org", "list"]).stderr).is_empty());
}

#[test]
fn keys_others_could_misuse_are_warned_about() {
    usual_umask();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let config = tmp.path().join("config");
    let s = Sanshe::at(&db).config(&config).lang("en");
    s.ok(&[
        "sync",
        "init",
        "--office",
        "北山街道",
        "--network",
        "西湖区",
    ]);
    s.ok(&["sync", "keygen"]);
    let key = config.join("sync.key");
    assert_eq!(mode(&key), 0o600);
    assert!(text(&s.run(&["sync", "status"]).stderr).is_empty());

    chmod(&key, 0o644);
    let err = text(&s.run(&["sync", "status"]).stderr);
    assert!(err.contains(&key.display().to_string()), "{err}");
    assert!(err.contains("chmod 600"), "{err}");
    // Only where keys are used.
    assert!(text(&s.run(&["place", "list"]).stderr).is_empty());
    chmod(&key, 0o600);

    let trusted = config.join("trusted");
    std::fs::create_dir(&trusted).unwrap();
    chmod(&trusted, 0o777);
    let err = text(&s.run(&["sync", "status"]).stderr);
    assert!(err.contains(&trusted.display().to_string()), "{err}");
    assert!(err.contains("chmod go-w"), "{err}");

    chmod(&config, 0o777);
    let err = text(&s.run(&["place", "list"]).stderr);
    assert!(err.contains("configuration folder"), "{err}");
}
