//! Issue [1/6] 3: a command that only reads (or changes records that must
//! exist) never creates a database. A mistyped `--db` (or `SANSHE_DB`) is
//! refused with exit 2, naming the path and how to create a database, and
//! nothing is left on disk; commands that add records create one and say
//! so, and take it back when they are refused.

use std::path::Path;

use crate::cli_support::{assert_refused, text, Sanshe};
use assert_cmd::Command;

/// Every file and folder under `dir`.
fn entries(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn reading_a_mistyped_db_is_refused_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let typo = tmp.path().join("x").join("typo");
    let config = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&typo).config(config.path());
    let out = tmp.path().join("out.csv");
    let out = out.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["org", "list"],
        &["org", "show", "k5d2wa-1"],
        &["org", "rm", "k5d2wa-1"],
        &["place", "list"],
        &["need", "list"],
        &["link", "list"],
        &["activity", "list"],
        &["stats"],
        &["due"],
        &["log"],
        &["export", "orgs", "--out", out],
        &["report", "bulletin", "--month", "2026-10"],
        &["sync", "status"],
        &["sync", "keygen"],
    ];
    for args in commands {
        let err = s.refused(args, &typo.display().to_string());
        assert!(err.contains("没有数据库"), "{args:?}: {err}");
        assert!(err.contains("sanshe --db"), "says how to create one: {err}");
        assert!(!tmp.path().join("x").exists(), "{args:?} created a folder");
        assert!(!Path::new(out).exists());
    }
    let err = s
        .clone()
        .lang("en")
        .refused(&["org", "list"], "There is no database at");
    assert!(err.contains(&typo.display().to_string()), "{err}");
    assert!(err.contains("sanshe --db"), "{err}");
    assert!(
        entries(config.path()).is_empty(),
        "{:?}",
        entries(config.path())
    );

    // The same through SANSHE_DB.
    let o = Command::cargo_bin("sanshe")
        .unwrap()
        .args(["org", "list"])
        .env("SANSHE_DB", &typo)
        .env("SANSHE_CONFIG_DIR", config.path())
        .output()
        .unwrap();
    assert_refused(&["org", "list"], &o, &typo.display().to_string());
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn an_empty_folder_is_not_a_database() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Sanshe::at(tmp.path()).config(&tmp.path().join("config"));
    s.refused(&["org", "list"], &tmp.path().display().to_string());
    assert!(entries(tmp.path()).is_empty(), "{:?}", entries(tmp.path()));
}

#[test]
fn adding_creates_the_database_and_says_so_once() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("new").join("db");
    let s = Sanshe::at(&db).config(&tmp.path().join("config"));
    let o = s.run(&[
        "place",
        "add",
        "--code",
        "XH",
        "--name",
        "西湖区",
        "--level",
        "district",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert_eq!(
        err.matches(&format!("已在 {} 新建数据库", db.display()))
            .count(),
        1,
        "{err}"
    );
    assert_eq!(text(&o.stdout).trim(), "XH");
    let o = s.run(&[
        "place",
        "add",
        "--code",
        "BSJ",
        "--name",
        "北山街道",
        "--level",
        "township",
        "--parent",
        "XH",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("新建"), "{}", text(&o.stderr));
    assert!(s.ok(&["place", "list"]).contains("北山街道"));

    let en = Sanshe::at(&tmp.path().join("en")).lang("en");
    let o = en.run(&[
        "sync",
        "init",
        "--office",
        "北山街道",
        "--network",
        "西湖区",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(&format!("Created a new database at {}", en.db.display())),
        "{}",
        text(&o.stderr)
    );
}

/// Exit 2 means nothing written, a new database included.
#[test]
fn a_refused_add_leaves_no_database_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("a").join("b");
    let s = Sanshe::at(&db).config(&tmp.path().join("config"));
    // A township needs a parent.
    let err = s.refused(
        &[
            "place",
            "add",
            "--code",
            "BSJ",
            "--name",
            "北山街道",
            "--level",
            "township",
        ],
        "",
    );
    assert!(!err.contains("新建"), "{err}");
    assert!(!tmp.path().join("a").exists(), "{:?}", entries(tmp.path()));

    // In an existing folder, only what was created goes.
    let folder = tmp.path().join("kept");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    let s = Sanshe::at(&folder).config(&tmp.path().join("config"));
    s.refused(
        &["org", "add", "--name", "某组织", "--grid", "NOPE"],
        "NOPE",
    );
    assert_eq!(entries(&folder), vec!["notes.txt".to_string()]);

    // A spreadsheet that is not there: nothing created either.
    let missing = tmp.path().join("none.csv");
    let o = s.run(&["import", "orgs", missing.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    assert_eq!(entries(&folder), vec!["notes.txt".to_string()]);
}
