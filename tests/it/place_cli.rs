//! Places through the real binary: renaming and moving keep the code that
//! records refer to; deleting is refused while anything still uses the
//! place (places or organizations under it, open needs, offers or social
//! workers naming it) and allowed once nothing does.

use crate::cli_support::{Sanshe, PLACES};

fn names(s: &Sanshe) -> Vec<(String, String, Option<String>)> {
    let v = s.json(&["place", "list", "--format", "json"]);
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
                p["parent"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn places_are_renamed_moved_and_deleted_only_when_unused() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db")).lang("en");
    s.add_places(&PLACES);
    s.ok(&[
        "place",
        "add",
        "--code",
        "BSJ-02",
        "--name",
        "保俶路社区",
        "--level",
        "community",
        "--parent",
        "BSJ",
    ]);

    // Renamed (any case of the code), then moved to the other community.
    let out = s.ok(&["place", "edit", "bsj-01-01", "--name", "宝石山一网格"]);
    assert_eq!(out.trim(), "BSJ-01-01");
    s.ok(&["place", "edit", "BSJ-01-01", "--parent", "BSJ-02"]);
    let grid = names(&s)
        .into_iter()
        .find(|(c, _, _)| c == "BSJ-01-01")
        .unwrap();
    assert_eq!(grid.1, "宝石山一网格");
    assert_eq!(grid.2.as_deref(), Some("BSJ-02"));
    // A parent of the wrong level is named.
    s.refused(&["place", "edit", "BSJ-01-01", "--parent", "XH"], "parent");
    s.refused(&["place", "edit", "NOPE", "--name", "x"], "NOPE");

    // A need raised in the grid keeps it.
    let need = s.id(&[
        "need",
        "add",
        "--title",
        "独居老人助餐",
        "--domain",
        "elderly",
        "--grid",
        "BSJ-01-01",
    ]);
    let err = s.refused(&["place", "rm", "BSJ-01-01"], "BSJ-01-01");
    assert!(err.contains("1 open needs"), "{err}");
    // A community with a grid under it stays too.
    s.refused(&["place", "rm", "BSJ-02"], "1 places");
    // Once the need is closed (a record of the past), the grid can go, and
    // then its community.
    s.ok(&["need", "close", &need, "--reason", "已解决"]);
    s.ok(&["place", "rm", "BSJ-01-01"]);
    s.ok(&["place", "rm", "bsj-02"]);
    let left: Vec<String> = names(&s).into_iter().map(|(c, _, _)| c).collect();
    assert_eq!(left, ["BSJ", "BSJ-01", "XH"]);
    s.refused(&["place", "rm", "BSJ-01-01"], "BSJ-01-01");
}
