//! Named rubrics ([5/6], first part): `sanshe rubric list` and `rubric show
//! [KEY]`; an office's own in the configuration's `rubrics/`; a rubric
//! that does not add up refused naming the file and the line.

use crate::cli_support::{text, Sanshe};

fn sanshe(dir: &std::path::Path) -> Sanshe {
    Sanshe::at(&dir.join("db")).config(&dir.join("config"))
}

#[test]
fn the_shipped_rubrics_are_listed_and_shown_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let s = sanshe(dir.path());
    let list = s.json(&["rubric", "list", "--format", "json"]);
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "performance",
            "venture-review",
            "venture-midterm",
            "venture-final",
            "incubation-exit"
        ]
    );
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["total"] == 100 && r["name"].is_string()));
    let review = s.json(&["rubric", "show", "venture-review", "--format", "json"]);
    assert_eq!(review["key"], "venture-review");
    assert_eq!(review["name"], "公益创投项目评审");
    assert_eq!(review["total"], 100);
    // Without a key: the performance rubric, as before.
    let perf = s.json(&["rubric", "show", "--format", "json"]);
    assert_eq!(perf["key"], "performance");
    assert!(perf["dimensions"].as_array().unwrap().len() >= 4);
    let o = s.run(&["rubric", "show", "no-such-rubric"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("venture-review"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn an_offices_own_rubric_is_added_and_one_that_does_not_add_up_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let s = sanshe(dir.path());
    let rubrics = dir.path().join("config").join("rubrics");
    std::fs::create_dir_all(&rubrics).unwrap();
    let own = "name = \"等级评估指标（社区社会组织）\"\n\n\
        [[dimension]]\nkey = \"basic\"\nname = \"基础条件\"\nmax = 40\n\n\
        [[dimension.indicator]]\nkey = \"basic_place\"\nname = \"活动场所\"\nmax = 40\n\n\
        [[dimension]]\nkey = \"work\"\nname = \"工作绩效\"\nmax = 60\n\n\
        [[dimension.indicator]]\nkey = \"work_service\"\nname = \"服务开展\"\nmax = 60\n\n\
        [[band]]\nkey = \"a\"\nname = \"AAAA\"\nmin = 80\n\n\
        [[band]]\nkey = \"none\"\nname = \"未达等级\"\nmin = 0\n";
    std::fs::write(rubrics.join("rating.toml"), own).unwrap();
    let list = s.json(&["rubric", "list", "--format", "json"]);
    let rating = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "rating")
        .expect("the office's own rubric is listed");
    assert_eq!(rating["name"], "等级评估指标（社区社会组织）");
    // A part that does not add up: refused, naming the file and the line.
    let broken = own.replace(
        "key = \"work\"\nname = \"工作绩效\"\nmax = 60",
        "key = \"work\"\nname = \"工作绩效\"\nmax = 70",
    );
    std::fs::write(rubrics.join("rating.toml"), broken).unwrap();
    let o = s.run(&["rubric", "list"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("rating.toml:14"), "{err}");
    assert!(err.contains("work") && err.contains("70"), "{err}");
}

#[test]
fn a_rating_indicator_set_of_four_levels_is_shown_nested_and_scored_at_its_finest() {
    let dir = tempfile::tempdir().unwrap();
    let s = sanshe(dir.path());
    let rubrics = dir.path().join("config").join("rubrics");
    std::fs::create_dir_all(&rubrics).unwrap();
    let own = "name = \"社区社会组织等级评估指标\"\n\n\
        [[dimension]]\nkey = \"basic\"\nname = \"基础条件\"\nmax = 30\n\n\
        [[dimension.indicator]]\nkey = \"legal\"\nname = \"法人资格\"\nmax = 30\n\n\
        [[dimension.indicator.indicator]]\nkey = \"cert\"\nname = \"登记证书\"\nmax = 10\n\n\
        [[dimension.indicator.indicator]]\nkey = \"charter\"\nname = \"章程\"\nmax = 20\n\n\
        [[dimension.indicator.indicator.indicator]]\nkey = \"charter_ok\"\nname = \"章程核准\"\nmax = 12\n\n\
        [[dimension.indicator.indicator.indicator]]\nkey = \"charter_kept\"\nname = \"按章程办事\"\nmax = 8\n\n\
        [[dimension]]\nkey = \"work\"\nname = \"工作绩效\"\nmax = 70\n\n\
        [[dimension.indicator]]\nkey = \"service\"\nname = \"服务开展\"\nmax = 70\n\n\
        [[band]]\nkey = \"a\"\nname = \"AAAA\"\nmin = 80\n\n\
        [[band]]\nkey = \"none\"\nname = \"未达等级\"\nmin = 0\n";
    std::fs::write(rubrics.join("rating.toml"), own).unwrap();
    let r = s.json(&["rubric", "show", "rating", "--format", "json"]);
    assert_eq!(r["total"], 100);
    let legal = &r["dimensions"][0]["indicators"][0];
    assert_eq!(legal["key"], "legal");
    let charter = &legal["indicators"][1];
    assert_eq!(charter["key"], "charter");
    assert_eq!(charter["indicators"][0]["key"], "charter_ok");
    assert_eq!(charter["indicators"][1]["max"], 8);
    assert!(r["dimensions"][1]["indicators"][0]
        .get("indicators")
        .is_none());
    let table = s.ok(&["rubric", "show", "rating"]);
    assert!(table.contains("    按章程办事"), "two levels in: {table}");
    // Parts that do not add up: the indicator and its line.
    let broken = own.replace("max = 8\n", "max = 9\n");
    std::fs::write(rubrics.join("rating.toml"), &broken).unwrap();
    let o = s.run(&["rubric", "show", "rating"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    let line = broken
        .lines()
        .position(|l| l.contains("\"charter\""))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("rating.toml:{line}")) && err.contains("charter"),
        "{err}"
    );
}
