//! Activities, evaluations, inspections, ratings, due lists, dashboard
//! figures and bulletins through the real binary.

use crate::cli_support::{assert_success, text, Place, Sanshe};
use chrono::{Datelike, Local, Months, NaiveDate};
use serde_json::Value;

/// A scratch database (`DIR/db`) and configuration directory
/// (`DIR/config`, created), in Chinese; both go when `DIR` is dropped.
fn scratch() -> (tempfile::TempDir, Sanshe) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let s = Sanshe::at(&dir.path().join("db"))
        .config(&config)
        .lang("zh");
    (dir, s)
}

/// 西湖区 XH > 北山街道 BS > 宝石山社区 BS-01 (> 一网格 BS-01-01) and
/// 北山社区 BS-02.
const TOWNSHIP: [Place; 5] = [
    ("XH", "西湖区", "district", None),
    ("BS", "北山街道", "township", Some("XH")),
    ("BS-01", "宝石山社区", "community", Some("BS")),
    ("BS-01-01", "一网格", "grid", Some("BS-01")),
    ("BS-02", "北山社区", "community", Some("BS")),
];

/// [`TOWNSHIP`] and three organizations: 银龄互助会 (grid BS-01-01, own
/// party organization, brand project), 北山书画社 (BS-02, registered social
/// group founded 2019) and 旧时光合唱团 (revoked, no place). Returns their
/// ids.
fn township(s: &Sanshe) -> (String, String, String) {
    s.add_places(&TOWNSHIP);
    let a = s.id(&[
        "org",
        "add",
        "--name",
        "银龄互助会",
        "--grid",
        "BS-01-01",
        "--party",
        "own",
        "--tag",
        "品牌项目",
    ]);
    let b = s.id(&[
        "org",
        "add",
        "--name",
        "北山书画社",
        "--grid",
        "BS-02",
        "--type",
        "social-group",
        "--state",
        "registered",
        "--founded",
        "2019-03-01",
    ]);
    let c = s.id(&["org", "add", "--name", "旧时光合唱团", "--state", "revoked"]);
    (a, b, c)
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn month_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

#[test]
fn activity_add_and_list() {
    let (_dir, env) = scratch();
    let (a, b, _) = township(&env);
    let id = env.id(&[
        "activity",
        "add",
        "--org",
        &a,
        "--date",
        "2026-11-03",
        "--title",
        "重阳敬老",
        "--kind",
        "volunteer",
        "--participants",
        "30",
        "--beneficiaries",
        "45",
        "--hours",
        "12.5",
        "--grid",
        "BS-01",
        "--publish",
    ]);
    env.ok(&[
        "activity",
        "add",
        "--org",
        &b,
        "--date",
        "2026-10-31",
        "--title",
        "书画展",
    ]);
    let list = env.json(&["activity", "list", "--format", "json"]);
    let arr = list.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    // Newest first.
    assert_eq!(arr[0]["id"], id);
    assert_eq!(arr[0]["title"], "重阳敬老");
    assert_eq!(arr[0]["kind"], "volunteer");
    assert_eq!(arr[0]["participants"], 30);
    assert_eq!(arr[0]["volunteer_hours"], 12.5);
    assert_eq!(arr[0]["publishable"], true);
    assert_eq!(arr[0]["orgs"][0], a.as_str());
    assert_eq!(arr[1]["kind"], "service");
    let nov = env.json(&["activity", "list", "--month", "2026-11", "--format", "json"]);
    assert_eq!(nov.as_array().unwrap().len(), 1);
    let of_b = env.json(&["activity", "list", "--org", &b, "--format", "json"]);
    assert_eq!(of_b[0]["title"], "书画展");
    let csv = env.ok(&["activity", "list", "--format", "csv"]);
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("重阳敬老"));
    let table = env.ok(&["activity", "list"]);
    assert!(table.contains("银龄互助会"), "{table}");
}

#[test]
fn invalid_activities_write_nothing() {
    let (_dir, env) = scratch();
    let (a, _, _) = township(&env);
    let base = ["activity", "add", "--org", &a, "--title", "x"];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        let mut v: Vec<&str> = base.to_vec();
        v.extend_from_slice(extra);
        v
    }
    env.refused(&with(&base, &["--date", "2026-02-30"]), "日期");
    env.refused(&with(&base, &["--date", "2026-11-3x"]), "");
    env.refused(
        &with(&base, &["--date", "2026-11-03", "--participants", "-1"]),
        "",
    );
    env.refused(
        &with(&base, &["--date", "2026-11-03", "--hours", "1.25"]),
        "",
    );
    env.refused(
        &with(&base, &["--date", "2026-11-03", "--kind", "party"]),
        "",
    );
    env.refused(
        &with(&base, &["--date", "2026-11-03", "--grid", "NOPE"]),
        "",
    );
    env.refused(
        &[
            "activity",
            "add",
            "--org",
            "nope-1",
            "--date",
            "2026-11-03",
            "--title",
            "x",
        ],
        "nope-1",
    );
    env.refused(&["activity", "list", "--month", "2026-13"], "");
    let list = env.json(&["activity", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[test]
fn evaluations_are_graded_from_the_rubric() {
    let (_dir, env) = scratch();
    let (a, _, _) = township(&env);
    let args = [
        "eval",
        "add",
        "--org",
        &a,
        "--period",
        "2025",
        "--score",
        "staff=7.5",
        "--score",
        "satisfaction=10",
        "--evaluator",
        "王芳",
    ];
    let o = env.run(&args);
    assert_success(&args, &o);
    let first = text(&o.stdout).trim().to_string();
    let err = text(&o.stderr);
    assert!(err.contains("17.5") && err.contains("不合格"), "{err}");
    // Full marks but one point: 99 -> 优秀.
    let rubric = env.json(&["rubric", "show", "--format", "json"]);
    let mut args: Vec<String> = ["eval", "add", "--org", &a, "--period", "2026h1"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let dims = rubric["dimensions"].as_array().unwrap();
    assert_eq!(dims.len(), 4);
    let mut first_indicator = true;
    for d in dims {
        for i in d["indicators"].as_array().unwrap() {
            let max = i["max"].as_u64().unwrap();
            let pts = if first_indicator { max - 1 } else { max };
            first_indicator = false;
            args.push("--score".into());
            args.push(format!("{}={pts}", i["key"].as_str().unwrap()));
        }
    }
    args.push("--format".into());
    args.push("json".into());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let v = env.json(&refs);
    assert_eq!(v["total"], 99.0);
    assert_eq!(v["grade"], "excellent");
    assert!(v["id"].as_str().unwrap().len() > 2);
    // Refused: above the maximum, unknown indicator, bad period, unknown org.
    env.refused(
        &[
            "eval", "add", "--org", &a, "--period", "2026", "--score", "staff=9",
        ],
        "staff",
    );
    env.refused(
        &[
            "eval", "add", "--org", &a, "--period", "2026", "--score", "nope=1",
        ],
        "",
    );
    env.refused(
        &[
            "eval", "add", "--org", &a, "--period", "2026Q1", "--score", "staff=1",
        ],
        "",
    );
    env.refused(
        &[
            "eval", "add", "--org", "x-9", "--period", "2026", "--score", "staff=1",
        ],
        "",
    );
    let list = env.json(&["eval", "list", "--org", &a, "--format", "json"]);
    let arr = list.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["id"], first.as_str());
    assert_eq!(arr[0]["period"], "2025");
    assert_eq!(arr[0]["total"], 17.5);
    assert_eq!(arr[0]["scores"]["staff"]["points"], 7.5);
    assert_eq!(arr[1]["period"], "2026H1");
    assert_eq!(arr[1]["change"], 81.5);
    assert_eq!(arr[1]["dimensions"]["professional"], 24.0);
}

#[test]
fn a_rubric_that_does_not_add_up_is_refused() {
    let (_dir, env) = scratch();
    let shipped = env.json(&["rubric", "show", "--format", "json"]);
    assert_eq!(shipped["total"], 100);
    assert_eq!(shipped["dimensions"][0]["name"], "专业水平");
    assert_eq!(shipped["dimensions"][3]["name"], "社会经济效益");
    assert_eq!(shipped["bands"][0]["name"], "优秀");
    let text = include_str!("../../fixtures/rubric.toml").replacen("max = 25", "max = 26", 1);
    std::fs::write(env.config.join("rubric.toml"), text).unwrap();
    let e = env.refused(&["rubric", "show"], "rubric.toml");
    assert!(e.contains("professional"), "{e}");
    assert!(e.contains("26") && e.contains("25"), "{e}");
}

#[test]
fn inspections_ratings_and_due_lists() {
    let (_dir, env) = scratch();
    let (_, b, _) = township(&env);
    let t = today();
    let last_year = (t.year() - 1).to_string();
    // Registered 2019, no inspection for last year, never rated.
    let due = env.json(&["due", "--format", "json"]);
    let kinds: Vec<&str> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["org"] == b.as_str())
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"rating_eligible"), "{due}");
    assert!(
        kinds.contains(&"inspection_due") || kinds.contains(&"inspection_overdue"),
        "{due}"
    );
    env.ok(&[
        "inspection",
        "set",
        "--org",
        &b,
        "--year",
        &last_year,
        "--result",
        "pass",
    ]);
    let expires = (t + chrono::Days::new(30)).to_string();
    env.ok(&[
        "rating",
        "set",
        "--org",
        &b,
        "--level",
        "3A",
        "--expires",
        &expires,
    ]);
    let shown = env.json(&["org", "show", &b, "--format", "json"]);
    assert_eq!(shown["rating"]["level"], "3A");
    assert_eq!(shown["inspections"][&last_year]["result"], "pass");
    let due = env.json(&["due", "--format", "json"]);
    let mine: Vec<&Value> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["org"] == b.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{due}");
    assert_eq!(mine[0]["kind"], "rating_expiring");
    assert_eq!(mine[0]["name"], "北山书画社");
    env.refused(
        &[
            "inspection",
            "set",
            "--org",
            &b,
            "--year",
            "2025",
            "--result",
            "good",
        ],
        "",
    );
    env.refused(&["rating", "set", "--org", &b, "--level", "6A"], "");
    env.refused(
        &[
            "rating",
            "set",
            "--org",
            &b,
            "--level",
            "3A",
            "--expires",
            "2026-02-30",
        ],
        "",
    );
    env.refused(&["rating", "set", "--org", "none-1", "--level", "3A"], "");
}

#[test]
fn stats_match_hand_computed_figures() {
    let (_dir, env) = scratch();
    let (a, b, _) = township(&env);
    let t = today();
    let this = t.with_day(1).unwrap();
    let last = this.checked_sub_months(Months::new(1)).unwrap();
    let old = this.checked_sub_months(Months::new(13)).unwrap();
    for (org, day, p, h) in [
        (&a, this, "10", "2"),
        (&a, this, "5", "0.5"),
        (&b, last, "7", "3"),
        (&b, old, "100", "1"),
    ] {
        env.ok(&[
            "activity",
            "add",
            "--org",
            org,
            "--date",
            &day.to_string(),
            "--title",
            "活动",
            "--participants",
            p,
            "--hours",
            h,
        ]);
    }
    let s = env.json(&["stats", "--format", "json"]);
    assert_eq!(s["orgs"]["total"], 3);
    assert_eq!(s["orgs"]["active"], 2);
    assert_eq!(s["orgs"]["by_type"]["community"], 2);
    assert_eq!(s["orgs"]["by_type"]["social-group"], 1);
    assert_eq!(s["orgs"]["by_state"]["revoked"], 1);
    assert_eq!(s["orgs"]["party_covered"], 1);
    assert_eq!(s["orgs"]["party_coverage"], 50.0);
    let communities = s["orgs"]["by_community"].as_array().unwrap();
    let count = |code: &str| {
        communities
            .iter()
            .find(|c| c["code"] == code)
            .map(|c| c["orgs"].as_u64().unwrap())
    };
    assert_eq!(count("BS-01"), Some(1));
    assert_eq!(count("BS-02"), Some(1));
    assert_eq!(count(""), Some(1));
    assert_eq!(s["activities"]["total"], 4);
    assert_eq!(s["activities"]["participants"], 122);
    assert_eq!(s["activities"]["volunteer_hours"], 6.5);
    let months = s["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[11]["month"], month_text(this).as_str());
    assert_eq!(months[11]["activities"], 2);
    assert_eq!(months[11]["participants"], 15);
    assert_eq!(months[11]["volunteer_hours"], 2.5);
    assert_eq!(months[10]["participants"], 7);
    // Thirteen months ago is outside the twelve shown.
    let shown: u64 = months
        .iter()
        .map(|m| m["activities"].as_u64().unwrap())
        .sum();
    assert_eq!(shown, 3);
    let table = env.ok(&["stats"]);
    assert!(
        table.contains("党组织覆盖率") && table.contains("50%"),
        "{table}"
    );
}

#[test]
fn bulletin_markdown_and_html() {
    let (_dir, env) = scratch();
    let (a, b, _) = township(&env);
    for (org, title, p, ben, publish) in [
        (&a, "重阳节敬老 <午宴>", "80", "120", true),
        (&b, "内部理事会", "300", "0", false),
        (&b, "书画进社区", "40", "500", true),
    ] {
        let mut args = vec![
            "activity",
            "add",
            "--org",
            org,
            "--date",
            "2026-10-20",
            "--title",
            title,
            "--participants",
            p,
            "--beneficiaries",
            ben,
        ];
        if publish {
            args.push("--publish");
        }
        env.ok(&args);
    }
    env.ok(&[
        "eval", "add", "--org", &b, "--period", "2026H1", "--score", "staff=8",
    ]);
    let md = env.ok(&["report", "bulletin", "--month", "2026-10"]);
    assert!(md.starts_with("# 2026年10月"), "{md}");
    assert!(md.contains("| 参与人次 | 420 |"), "{md}");
    assert!(md.contains("重阳节敬老 \\<午宴\\>"), "{md}");
    assert!(md.contains("书画进社区"), "{md}");
    assert!(!md.contains("内部理事会"), "{md}");
    assert!(md.contains("北山书画社"), "{md}");
    // Brand projects: the organization tagged 品牌项目.
    let brands = md.split("## 品牌项目").nth(1).unwrap();
    assert!(brands.contains("银龄互助会"), "{md}");
    let out = env.db.parent().unwrap().join("bulletin.html");
    let stdout = env.ok(&[
        "report",
        "bulletin",
        "--month",
        "2026-10",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stdout.is_empty(), "{stdout}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
    assert!(html.contains("重阳节敬老 &lt;午宴&gt;"));
    assert!(!html.contains("<午宴>"));
    assert!(html.trim_end().ends_with("</html>"));
    env.refused(&["report", "bulletin", "--month", "2026-13"], "");
}

#[test]
fn activity_edit_changes_only_the_fields_given() {
    let (_dir, env) = scratch();
    let (a, b, _) = township(&env);
    let id = env.id(&[
        "activity",
        "add",
        "--org",
        &a,
        "--date",
        "2026-11-03",
        "--title",
        "重阳敬老",
        "--participants",
        "30",
        "--hours",
        "12.5",
        "--grid",
        "BS-01",
        "--venue",
        "社区活动室",
        "--publish",
    ]);
    let id = id.as_str();
    let get = || {
        let list = env.json(&["activity", "list", "--format", "json"]);
        list.as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == id)
            .cloned()
            .unwrap()
    };
    // Edit: title, date, participants, organizations; the id is named on
    // standard error, nothing on standard output.
    let args = [
        "activity",
        "edit",
        id,
        "--title",
        "重阳节敬老活动",
        "--date",
        "2026-10-29",
        "--participants",
        "42",
        "--org",
        &b,
    ];
    let o = env.run(&args);
    assert_success(&args, &o);
    assert!(o.stdout.is_empty());
    // The message names the activity, not its id.
    let e = text(&o.stderr);
    assert!(e.contains("重阳节敬老活动") && !e.contains(id), "{e}");
    let v = get();
    assert_eq!(v["title"], "重阳节敬老活动");
    assert_eq!(v["date"], "2026-10-29");
    assert_eq!(v["participants"], 42);
    assert_eq!(v["orgs"], serde_json::json!([b]));
    // Untouched fields stay.
    assert_eq!(v["volunteer_hours"], 12.5);
    assert_eq!(v["venue"], "社区活动室");
    assert_eq!(v["publishable"], true);
    // Clear: hours, place and publishing.
    env.ok(&[
        "activity", "edit", id, "--clear", "hours", "--clear", "grid", "--clear", "publish",
    ]);
    let v = get();
    assert_eq!(v["volunteer_hours"], Value::Null);
    assert_eq!(v["grid"], Value::Null);
    assert_eq!(v["publishable"], false);
    assert_eq!(v["title"], "重阳节敬老活动");
    // Bad values: exit 2, the field named, nothing written.
    let before = get();
    env.refused(
        &["activity", "edit", id, "--participants", "-5"],
        "参与人次",
    );
    env.refused(
        &[
            "activity",
            "edit",
            id,
            "--title",
            "不该写入",
            "--hours",
            "1.25",
        ],
        "志愿时长",
    );
    env.refused(&["activity", "edit", id, "--date", "2026-02-30"], "日期");
    env.refused(&["activity", "edit", id, "--grid", "NOPE"], "NOPE");
    env.refused(
        &["activity", "edit", id, "--clear", "title"],
        "participants",
    );
    assert_eq!(get(), before);
    // An unknown activity.
    env.refused(&["activity", "edit", "nope-1", "--title", "x"], "nope-1");
}

#[test]
fn activity_rm_removes_it_from_the_list() {
    let (_dir, env) = scratch();
    let (a, _, _) = township(&env);
    let keep = env.id(&[
        "activity",
        "add",
        "--org",
        &a,
        "--date",
        "2026-11-03",
        "--title",
        "书画展",
    ]);
    let id = env.id(&[
        "activity",
        "add",
        "--org",
        &a,
        "--date",
        "2026-11-04",
        "--title",
        "重阳敬老",
    ]);
    let id = id.as_str();
    let args = ["activity", "rm", id];
    let o = env.run(&args);
    assert_success(&args, &o);
    let e = text(&o.stderr);
    // What was removed is named: date, title, organization (not its id).
    assert!(!e.contains(id) && e.contains("2026-11-04"), "{e}");
    assert!(e.contains("重阳敬老") && e.contains("银龄互助会"), "{e}");
    let list = env.json(&["activity", "list", "--format", "json"]);
    let arr = list.as_array().unwrap();
    assert_eq!(arr.len(), 1);
    assert_eq!(arr[0]["id"], keep.as_str());
    let stats = env.json(&["stats", "--format", "json"]);
    assert_eq!(stats["activities"]["total"], 1);
    // Again, or an id that never was: exit 2.
    env.refused(&["activity", "rm", id], id);
    env.refused(&["activity", "rm", "nope-1"], "nope-1");
    // Put back: listed and counted again; twice, or a live one: exit 2.
    assert_eq!(env.id(&["activity", "restore", id]), id);
    let stats = env.json(&["stats", "--format", "json"]);
    assert_eq!(stats["activities"]["total"], 2);
    // Restoring one that is not deleted names it.
    env.refused(&["activity", "restore", id], "重阳敬老");
    env.refused(&["activity", "restore", "nope-1"], "nope-1");
}

#[test]
fn activity_add_names_the_missing_fields() {
    let (_dir, env) = scratch();
    let (a, _, _) = township(&env);
    let e = env.refused(&["activity", "add", "--org", &a], "日期");
    assert!(e.contains("标题"), "{e}");
    env.refused(
        &["activity", "add", "--date", "2026-11-03", "--title", "x"],
        "组织",
    );
}

#[test]
fn dates_as_staff_type_them_and_hours_with_one_decimal() {
    let (_dir, env) = scratch();
    let (a, _, _) = township(&env);
    let t = today();
    let add = |date: &str| {
        env.id(&[
            "activity", "add", "--org", &a, "--date", date, "--title", "x",
        ])
    };
    let today_id = add("t");
    let yesterday_id = add("-1");
    let november_id = add("11-3");
    let list = env.json(&["activity", "list", "--format", "json"]);
    let date_of = |id: &str| {
        let arr = list.as_array().unwrap();
        let v = arr
            .iter()
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {list}"));
        v["date"].as_str().unwrap().to_string()
    };
    assert_eq!(date_of(&today_id), t.to_string());
    assert_eq!(date_of(&yesterday_id), t.pred_opt().unwrap().to_string());
    let november = NaiveDate::from_ymd_opt(t.year(), 11, 3).unwrap();
    assert_eq!(date_of(&november_id), november.to_string());
    assert_eq!(list.as_array().unwrap().len(), 3);
    // Two decimals: refused, the field named, nothing written.
    let hours = [
        "activity", "add", "--org", &a, "--date", "t", "--title", "y", "--hours", "1.55",
    ];
    let e = env.refused(&hours, "一位小数");
    assert!(e.contains("志愿时长"), "{e}");
    let e = env.clone().lang("en").refused(&hours, "one decimal");
    assert!(e.contains("volunteer hours"), "{e}");
    let list = env.json(&["activity", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
}
