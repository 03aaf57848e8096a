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

/// `demo --activities M` (issue [2/6], memory at district scale): M
/// activities of the generated organizations, written through the store,
/// the same for the same arguments; beyond the maximum refused with exit 2
/// naming the flag, before any database is created.
#[test]
fn activities_are_generated_for_the_organizations() {
    let dir = tempfile::tempdir().unwrap();
    let max = sanshe::demo::MAX_ACTIVITIES;
    let db = dir.path().join("refused");
    let n = (max + 1).to_string();
    let err = Sanshe::at(&db).refused(&["demo", "--activities", &n, "--no-tui"], "--activities");
    assert!(err.contains(&max.to_string()), "{err}");
    assert!(!db.exists(), "no database is created");

    let listed = |name: &str| {
        let db = dir.path().join(name);
        let s = Sanshe::at(&db);
        s.ok(&["demo", "--scale", "120", "--activities", "700", "--no-tui"]);
        let orgs = s.json(&["org", "list", "--format", "json"]);
        let ids: std::collections::HashSet<String> = orgs
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect();
        let acts = s.json(&["activity", "list", "--format", "json"]);
        let acts = acts.as_array().unwrap().clone();
        for a in &acts {
            for org in a["orgs"].as_array().unwrap() {
                assert!(ids.contains(org.as_str().unwrap()), "{a}");
            }
        }
        acts.iter()
            .map(|a| format!("{} {} {}", a["date"], a["title"], a["participants"]))
            .collect::<Vec<_>>()
    };
    let first = listed("a");
    assert_eq!(first.len(), 700);
    assert_eq!(first, listed("b"), "deterministic");
    let months: std::collections::HashSet<&str> = first.iter().map(|a| &a[1..8]).collect();
    assert!(months.len() >= 24, "{months:?}");
}
