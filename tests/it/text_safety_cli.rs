//! Text safety of the command line: control characters, direction
//! overrides, overlong text and far-off dates are refused on the way in
//! (exit 2, naming the field and the rule), and whatever is in the database
//! anyway (another office's bundle, an older copy) never reaches the
//! terminal as it is: lists, `show`, `log`, `sync status`, `sync conflicts`,
//! CSV, JSON and error messages escape it.

use std::path::Path;

use crate::cli_support::{add_places, Sanshe, PLACES};
use crate::hostile_support::EVIL;

fn assert_clean(what: &str, bytes: &[u8]) {
    crate::hostile_support::assert_clean(what, bytes, true);
}

fn zh(db: &Path) -> Sanshe {
    Sanshe::at(db).lang("zh")
}

fn en(db: &Path) -> Sanshe {
    Sanshe::at(db).lang("en")
}

#[test]
fn control_characters_and_overrides_in_flags_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    let s = zh(db);
    let err = s.refused(&["org", "add", "--name", "读书会\x1b]0;pwned\x07"], "名称");
    assert!(err.contains("U+001B") && err.contains("控制字符"), "{err}");
    assert_clean("the refusal", err.as_bytes());
    let err = en(db).refused(&["org", "add", "--name", "abc\u{202E}fed"], "name");
    assert!(err.contains("U+202E") && err.contains("direction"), "{err}");
    assert_clean("the refusal", err.as_bytes());
    let err = s.refused(&["org", "add", "--name", "第一行\n第二行"], "名称");
    assert!(err.contains("只能写一行"), "{err}");
    let err = s.refused(
        &[
            "org",
            "add",
            "--name",
            "读书会",
            "--address",
            "西湖\u{2066}路",
        ],
        "地址",
    );
    assert!(err.contains("U+2066"), "{err}");
    // Notes may have several lines, but not an escape sequence.
    let id = s.id(&[
        "org",
        "add",
        "--name",
        "读书会",
        "--notes",
        "第一行\n第二行",
    ]);
    let shown = s.json(&["org", "show", &id, "--format", "json"]);
    assert_eq!(shown["notes"], "第一行\n第二行");
    s.refused(
        &["org", "edit", &id, "--notes", "第一行\n\x1b[2J"],
        "U+001B",
    );
    // Other kinds, same rule: a need's title, an activity's title.
    add_places(db, &PLACES);
    s.refused(
        &[
            "need",
            "add",
            "--title",
            "助餐\x1b[2J",
            "--domain",
            "elderly",
            "--grid",
            "BSJ-01-01",
        ],
        "U+001B",
    );
    s.refused(
        &[
            "activity",
            "add",
            "--org",
            &id,
            "--date",
            "2026-11-03",
            "--title",
            "讲座\u{200F}",
        ],
        "U+200F",
    );
    let list = s.json(&["org", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "nothing else written");
}

#[test]
fn a_spreadsheet_cell_with_nul_or_escape_is_refused_by_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let path = dir.path().join("orgs.csv");
    std::fs::write(
        &path,
        "名称,地址\n好的组织,西湖路1号\n坏\0名字,西湖路2号\n坏地址,西湖\x1b[2J路\n",
    )
    .unwrap();
    let err = zh(&db).refused(&["import", "orgs", &path.to_string_lossy()], "U+0000");
    assert!(err.contains("第 3 行"), "{err}");
    assert!(err.contains("第 4 行") && err.contains("U+001B"), "{err}");
    assert_clean("the import report", err.as_bytes());
    // Nothing written: not even the database the import would have made.
    assert!(!db.exists(), "nothing written");
}

#[test]
fn overlong_text_is_refused_with_the_maximum() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    let s = zh(db);
    let name = "长".repeat(81);
    let err = s.refused(&["org", "add", "--name", &name], "名称");
    assert!(err.contains("80"), "{err}");
    s.id(&["org", "add", "--name", &"长".repeat(80)]);
    let notes = "注".repeat(4001);
    let err = en(db).refused(&["org", "add", "--name", "ok", "--notes", &notes], "notes");
    assert!(err.contains("4000"), "{err}");
    let tags: Vec<String> = (0..31).map(|i| format!("--tag=t{i}")).collect();
    let mut args = vec!["org", "add", "--name", "标签太多"];
    args.extend(tags.iter().map(String::as_str));
    let err = s.refused(&args, "标签");
    assert!(err.contains("30"), "{err}");
}

#[test]
fn dates_outside_their_range_are_refused_with_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    let s = zh(db);
    for founded in ["0000-01-01", "9999-12-31", "1899-12-31"] {
        let err = s.refused(
            &["org", "add", "--name", "读书会", "--founded", founded],
            "成立日期",
        );
        assert!(
            err.contains("1900-01-01") && err.contains("2099-12-31"),
            "{founded}: {err}"
        );
    }
    let id = s.id(&["org", "add", "--name", "读书会", "--founded", "1950-10-01"]);
    let err = en(db).refused(
        &[
            "activity",
            "add",
            "--org",
            &id,
            "--date",
            "9999-12-31",
            "--title",
            "x",
        ],
        "date",
    );
    assert!(
        err.contains("2000-01-01") && err.contains("2099-12-31"),
        "{err}"
    );
    s.refused(
        &[
            "inspection",
            "set",
            "--org",
            &id,
            "--year",
            "1990",
            "--result",
            "pass",
        ],
        "2000",
    );
    let path = dir.path().join("orgs.csv");
    std::fs::write(&path, "名称,成立日期\n远古组织,0001-01-01\n").unwrap();
    s.refused(&["import", "orgs", &path.to_string_lossy()], "1900-01-01");
}

#[test]
fn hostile_values_already_stored_are_escaped_on_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    let id = crate::hostile_support::seed_dir(db);
    let s = zh(db);
    let runs: Vec<Vec<&str>> = vec![
        vec!["org", "list"],
        vec!["org", "list", "--format", "csv"],
        vec!["org", "list", "--format", "json"],
        vec!["org", "show", &id],
        vec!["org", "show", &id, "--format", "csv"],
        vec!["org", "show", &id, "--format", "json"],
        vec!["log"],
        vec!["log", "--format", "csv"],
        vec!["log", "--format", "json"],
        vec!["sync", "status"],
        vec!["sync", "status", "--format", "csv"],
        vec!["sync", "status", "--format", "json"],
        vec!["sync", "conflicts"],
        vec!["sync", "conflicts", "--format", "csv"],
        vec!["sync", "conflicts", "--format", "json"],
        vec!["export", "orgs", "--out", "/nonexistent-dir/x.csv"],
        vec!["org", "list", "--format", "\x1b]0;pwned\x07"],
    ];
    for args in &runs {
        let o = s.run(args);
        assert_clean(&format!("sanshe {args:?} (stdout)"), &o.stdout);
        assert_clean(&format!("sanshe {args:?} (stderr)"), &o.stderr);
    }
    let list = s.ok(&["org", "list"]);
    assert!(list.contains("<U+001B>]0;pwned<U+0007>"), "visible: {list}");
    let shown = s.ok(&["org", "show", &id]);
    assert!(shown.contains("第一行\\n"), "notes on one line: {shown}");
    let log = s.ok(&["log"]);
    assert!(log.contains("<U+202E>"), "{log}");
    // JSON keeps the very value, as escapes.
    let json = s.json(&["org", "show", &id, "--format", "json"]);
    assert!(json["name"].as_str().unwrap().ends_with(EVIL), "{json}");
    let conflicts = s.json(&["sync", "conflicts", "--format", "json"]);
    assert_eq!(conflicts.as_array().map(Vec::len), Some(1), "{conflicts}");
    // Messages on standard error: the deletion names the record.
    let o = s.run(&["org", "rm", &id]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("<U+001B>"));
    assert_clean("org rm", &o.stderr);
}
