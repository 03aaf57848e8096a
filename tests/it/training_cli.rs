//! Trainings ([6/6]) through the real binary: an event, participation by
//! organization and by person with Chinese or English statuses, the
//! capacity (a registration beyond it is waitlisted), one participation
//! per participant, `show --format json` (participants, attendance_rate),
//! hours per organization, the exports.

use crate::cli_support::Sanshe;

#[test]
fn participation_counts_only_when_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    let a = s.id(&["org", "add", "--name", "星光志愿队"]);
    let b = s.id(&["org", "add", "--name", "银龄互助会"]);
    let t = s.id(&[
        "training",
        "add",
        "--title",
        "财务规范培训",
        "--date",
        "2026-11-10",
        "--hours",
        "3",
        "--capacity",
        "3",
        "--kind",
        "培训",
    ]);
    s.refused(
        &[
            "training",
            "add",
            "--title",
            "x",
            "--date",
            "2026-11-10",
            "--hours",
            "0",
        ],
        "学时",
    );
    s.id(&[
        "training",
        "attend",
        &t,
        "--org",
        "星光志愿队",
        "--status",
        "已报名",
    ]);
    s.id(&[
        "training",
        "attend",
        &t,
        "--org",
        &b,
        "--person",
        "王丽",
        "--status",
        "registered",
    ]);
    s.id(&[
        "training",
        "attend",
        &t,
        "--person",
        "张三",
        "--status",
        "registered",
    ]);
    // Full: the fourth goes on the waiting list.
    let o = s.run(&[
        "training",
        "attend",
        &t,
        "--person",
        "李四",
        "--status",
        "registered",
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("候补"));
    // Marking someone again changes their one participation.
    let first = s.id(&[
        "training",
        "attend",
        &t,
        "--org",
        &a,
        "--status",
        "signed-in",
    ]);
    let again = s.id(&["training", "attend", &t, "--org", &a, "--status", "已签到"]);
    assert_eq!(first, again);
    s.id(&[
        "training", "attend", &t, "--org", &b, "--person", "王丽", "--status", "缺席",
    ]);
    s.refused(
        &[
            "training", "attend", &t, "--person", "x", "--status", "maybe",
        ],
        "signed-in",
    );
    s.refused(
        &[
            "training",
            "attend",
            "nope-1",
            "--person",
            "x",
            "--status",
            "registered",
        ],
        "nope-1",
    );
    let j = s.json(&["training", "show", &t, "--format", "json"]);
    let p = j["participants"].as_array().unwrap();
    assert_eq!(p.len(), 4);
    let find = |org: Option<&str>, person: Option<&str>| {
        p.iter()
            .find(|x| x["org"].as_str() == org && x["person"].as_str() == person)
            .unwrap_or_else(|| panic!("{org:?} {person:?} in {p:?}"))
    };
    assert_eq!(find(Some(&a), None)["status"], "signed-in");
    assert_eq!(find(Some(&b), Some("王丽"))["status"], "absent");
    assert_eq!(find(None, Some("李四"))["status"], "waitlisted");
    // Signed in 1 of 3 registered (the waitlisted one does not count).
    assert!(
        (j["attendance_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9,
        "{j}"
    );
    let hours = s.json(&["training", "hours", "--year", "2026", "--format", "json"]);
    assert_eq!(hours.as_array().unwrap().len(), 1);
    assert_eq!(hours[0]["org"], a.as_str());
    assert_eq!(hours[0]["hours"], 3.0);
    let list = s.json(&["training", "list", "--year", "2026", "--format", "json"]);
    assert_eq!(list[0]["signed_in"], 1);
    for kind in ["trainings", "attendances"] {
        let out = dir.path().join(format!("{kind}.csv"));
        s.ok(&["export", kind, "--out", out.to_str().unwrap()]);
        let body = std::fs::read_to_string(&out).unwrap();
        assert!(body.lines().count() >= 2, "{kind}: {body}");
    }
}

#[test]
fn training_hours_score_the_rubric_indicator_that_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    let org = s.id(&["org", "add", "--name", "星光志愿队"]);
    for (title, date, hours, status) in [
        ("社会组织财务培训", "2026-03-10", "6", "signed-in"),
        ("项目设计工作坊", "2026-05-12", "3", "signed-in"),
        ("公益路演", "2026-06-20", "8", "absent"),
        ("上年度培训", "2025-11-02", "8", "signed-in"),
    ] {
        let ev = s.id(&[
            "training", "add", "--title", title, "--date", date, "--hours", hours,
        ]);
        s.ok(&["training", "attend", &ev, "--org", &org, "--status", status]);
    }
    // The shipped rubric scores `training` (max 8) from 16 hours a year:
    // 9 hours signed in during 2026 earn 4.5; the absence and 2025 do not count.
    let added = s.json(&[
        "eval", "add", "--org", &org, "--period", "2026", "--score", "staff=7", "--format", "json",
    ]);
    assert_eq!(added["total"], 11.5, "{added}");
    let list = s.json(&["eval", "list", "--org", &org, "--format", "json"]);
    let training = &list[0]["scores"]["training"];
    assert_eq!(training["points"], 4.5, "{list}");
    assert!(
        training["note"].as_str().unwrap().contains("9"),
        "{training}"
    );
    // Points typed by hand win.
    s.json(&[
        "eval",
        "add",
        "--org",
        &org,
        "--period",
        "2025",
        "--score",
        "training=2",
        "--format",
        "json",
    ]);
    let list = s.json(&["eval", "list", "--org", &org, "--format", "json"]);
    let e2025 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["period"] == "2025")
        .unwrap();
    assert_eq!(e2025["scores"]["training"]["points"], 2.0);
}

#[test]
fn the_yearly_plan_and_the_events_that_carry_out_its_items() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    s.id(&["org", "add", "--name", "星光志愿队"]);
    s.refused(
        &[
            "training", "plan", "item", "--year", "2026", "--topic", "财务",
        ],
        "sanshe training plan add",
    );
    s.id(&[
        "training", "plan", "add", "--year", "2026", "--budget", "5万",
    ]);
    s.refused(
        &["training", "plan", "add", "--year", "2026"],
        "一年一个计划",
    );
    for (topic, month) in [("财务与票据规范", "5"), ("项目设计", "9")] {
        s.ok(&[
            "training", "plan", "item", "--year", "2026", "--topic", topic, "--month", month,
            "--hours", "3",
        ]);
    }
    s.refused(
        &[
            "training", "plan", "item", "--year", "2026", "--topic", "x", "--month", "13",
        ],
        "月",
    );
    // An event names an item of its year's plan, or is refused naming them.
    s.refused(
        &[
            "training",
            "add",
            "--title",
            "财务培训",
            "--date",
            "2026-05-20",
            "--hours",
            "3",
            "--plan-item",
            "财务",
        ],
        "财务与票据规范",
    );
    s.refused(
        &[
            "training",
            "add",
            "--title",
            "财务培训",
            "--date",
            "2027-05-20",
            "--hours",
            "3",
            "--plan-item",
            "财务与票据规范",
        ],
        "2027",
    );
    s.id(&[
        "training",
        "add",
        "--title",
        "财务培训",
        "--date",
        "2026-05-20",
        "--hours",
        "3",
        "--plan-item",
        "财务与票据规范",
    ]);
    s.id(&[
        "training",
        "add",
        "--title",
        "临时加开",
        "--date",
        "2026-06-01",
        "--hours",
        "2",
    ]);
    let j = s.json(&[
        "training", "plan", "show", "--year", "2026", "--format", "json",
    ]);
    assert_eq!(j["planned"], 2);
    assert_eq!(j["done"], 1);
    assert_eq!(j["unplanned_events"], 1);
    assert_eq!(j["budget"], 50000);
    let items = j["items"].as_array().unwrap();
    assert_eq!(items[0]["topic"], "财务与票据规范", "by month planned");
    assert_eq!(items[0]["events"][0]["title"], "财务培训");
    assert_eq!(items[1]["done"], false);
    let table = s.ok(&["training", "plan", "show", "--year", "2026"]);
    assert!(table.contains("2项中已办1项"), "{table}");
    s.ok(&[
        "training",
        "plan",
        "item",
        "--year",
        "2026",
        "--topic",
        "项目设计",
        "--remove",
    ]);
    let j = s.json(&[
        "training", "plan", "show", "--year", "2026", "--format", "json",
    ]);
    assert_eq!(j["planned"], 1);
}
