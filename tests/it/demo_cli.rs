//! `sanshe demo` through the real binary: `--scale` beyond what the
//! generator can hold is refused (issue [1/6] 5: a huge N panicked), before
//! any database is created.

use crate::cli_support::Sanshe;

#[test]
fn a_huge_scale_is_refused_naming_the_flag_and_the_maximum() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let max = sanshe::demo::MAX_ORGS;
    for n in [max + 1, usize::MAX] {
        let n = n.to_string();
        let err = Sanshe::at(&db).refused(&["demo", "--scale", &n, "--no-tui"], "--scale");
        assert!(err.contains(&max.to_string()), "{err}");
        let err = Sanshe::at(&db)
            .lang("en")
            .refused(&["demo", "--scale", &n, "--no-tui"], "--scale");
        assert!(err.contains(&format!("from 0 to {max}")), "{err}");
    }
    assert!(!db.exists(), "no database is created");
    // Beyond any number: clap refuses it, also with exit code 2.
    Sanshe::at(&db).refused(
        &["demo", "--scale", "99999999999999999999999", "--no-tui"],
        "--scale",
    );
    // A small one loads.
    let out = Sanshe::at(&db).run(&["demo", "--scale", "20", "--no-tui"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
