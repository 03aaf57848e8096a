//! A database restored from an older copy of its folder is never served a
//! stale file from `DB/cache/`, whichever way the two got mixed up: an older
//! database beside the newer cache folder (files copied back over the
//! database but not over the cache), or a newer database beside the cache
//! folder of another branch of its history. Every projection
//! (`derived::all`) refuses its file, and every answer is the store's.

use std::path::Path;

use sanshe::derived::{self, org_rows::OrgRows};
use sanshe::model::{Activity, Kind, Labeled, OrgType, Organization, Record};
use sanshe::store::{Command, Projection, Store};

/// `cp -a from/. to`: over existing files in place (the main file keeps
/// its inode, so the database keeps its identity: the fault is reproduced).
fn cp(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let ok = std::process::Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", from.display()))
        .arg(to)
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

/// Puts the copy `from` back in place of `db`, then the cache folder
/// `cache` in place of its own.
fn restore(db: &Path, from: &Path, cache: &Path) {
    for e in std::fs::read_dir(db).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with("snap.") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    cp(from, db);
    std::fs::remove_dir_all(db.join("cache")).unwrap();
    cp(cache, &db.join("cache"));
}

fn add(s: &Store, name: &str) {
    let id = s
        .execute(Command::Create {
            record: Record::Org(Organization::new(name, OrgType::Community)),
        })
        .unwrap()
        .id;
    let date = chrono::NaiveDate::from_ymd_opt(2025, 6, 3).unwrap();
    s.execute(Command::Create {
        record: Record::Activity(Activity::new(&id, date, format!("{name}活动"))),
    })
    .unwrap();
}

/// Every projection has its file, and none of them is usable.
fn every_file_refused(s: &Store) {
    let all = derived::all(s).unwrap();
    assert_eq!(all.len(), 2 * Kind::ALL.len() + 1);
    for p in &all {
        let file = s.cache_dir().join(p.file_name());
        assert!(file.is_file(), "{}", p.file_name());
        assert!(
            !p.usable(s),
            "{} is stale and was not refused",
            p.file_name()
        );
    }
}

/// Every answer through a projection is the store's own.
fn answers_are_the_stores(s: &Store) -> Vec<String> {
    for &kind in Kind::ALL {
        let mut names = s.names(kind).unwrap();
        names.sort();
        let all = s.all(kind).unwrap();
        let mut titles: Vec<(String, String)> = all
            .iter()
            .map(|(id, r)| (id.clone(), r.title().to_string()))
            .collect();
        titles.sort();
        assert_eq!(names, titles, "{kind:?}");
        assert_eq!(s.all_cached(kind).unwrap(), all, "{kind:?}");
    }
    let table = OrgRows::of(s).unwrap();
    let rows = s.projected(&table).unwrap();
    assert_eq!(rows, table.full(s).unwrap());
    rows.into_iter().map(|r| r.name).collect()
}

#[test]
fn an_older_database_beside_newer_files_refuses_each_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup, newer_cache) = (
        dir.path().join("db"),
        dir.path().join("backup"),
        dir.path().join("newer-cache"),
    );
    let s = Store::open(&db).unwrap();
    add(&s, "甲读书会");
    derived::rebuild(&s).unwrap();
    drop(s);
    cp(&db, &backup);
    let s = Store::open(&db).unwrap();
    add(&s, "乙读书会");
    derived::rebuild(&s).unwrap();
    let (replica, vv) = (s.basis().unwrap().replica, s.version_vector().unwrap());
    drop(s);
    cp(&db.join("cache"), &newer_cache);

    restore(&db, &backup, &newer_cache);
    let s = Store::open(&db).unwrap();
    assert_eq!(
        s.basis().unwrap().replica,
        replica,
        "the same identity: only the stamp can tell"
    );
    // The files are ahead of the database.
    every_file_refused(&s);
    // Other changes up to the very same counters: only the history differs.
    add(&s, "丙读书会");
    assert_eq!(s.version_vector().unwrap(), vv);
    every_file_refused(&s);
    assert_eq!(answers_are_the_stores(&s), ["丙读书会", "甲读书会"]);
    // Written again, they are used again.
    for p in derived::all(&s).unwrap() {
        assert!(p.usable(&s), "{}", p.file_name());
    }
}

#[test]
fn a_newer_database_beside_files_of_another_branch_refuses_each_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup, newer, branch_cache) = (
        dir.path().join("db"),
        dir.path().join("backup"),
        dir.path().join("newer"),
        dir.path().join("branch-cache"),
    );
    let s = Store::open(&db).unwrap();
    add(&s, "甲读书会");
    derived::rebuild(&s).unwrap();
    drop(s);
    cp(&db, &backup);
    let s = Store::open(&db).unwrap();
    add(&s, "乙读书会");
    derived::rebuild(&s).unwrap();
    let (replica, vv) = (s.basis().unwrap().replica, s.version_vector().unwrap());
    drop(s);
    cp(&db, &newer);

    // The older copy put back and changed otherwise: its files are of
    // another branch of the history, up to the same counters.
    restore(&db, &backup, &backup.join("cache"));
    let s = Store::open(&db).unwrap();
    add(&s, "丙读书会");
    derived::rebuild(&s).unwrap();
    assert_eq!(s.version_vector().unwrap(), vv);
    drop(s);
    cp(&db.join("cache"), &branch_cache);

    // The newer database back, beside the other branch's files.
    restore(&db, &newer, &branch_cache);
    let s = Store::open(&db).unwrap();
    assert_eq!(
        s.basis().unwrap().replica,
        replica,
        "the same identity: only the stamp can tell"
    );
    assert_eq!(s.version_vector().unwrap(), vv);
    every_file_refused(&s);
    assert_eq!(answers_are_the_stores(&s), ["甲读书会", "乙读书会"]);
}
