//! Activities, evaluations, inspections, ratings, due lists, dashboard
//! figures and bulletins through the real binary.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use chrono::{Datelike, Local, Months, NaiveDate};
use serde_json::Value;

fn sanshe(db: &Path, config: &Path) -> Command {
    let mut c = Command::cargo_bin("sanshe").expect("binary");
    c.arg("--db").arg(db).arg("--lang").arg("zh");
    c.env("SANSHE_CONFIG_DIR", config);
    c.env_remove("SANSHE_DB");
    c
}

struct Env {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    config: std::path::PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let config = dir.path().join("config");
        std::fs::create_dir_all(&config).unwrap();
        Env {
            _dir: dir,
            db,
            config,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        sanshe(&self.db, &self.config)
            .args(args)
            .output()
            .expect("run sanshe")
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "sanshe {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&o.stderr),
            String::from_utf8_lossy(&o.stdout)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Runs, expects exit code 2, returns standard error.
    fn refused(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "sanshe {args:?}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        assert!(
            o.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        String::from_utf8_lossy(&o.stderr).into_owned()
    }

    /// A township with two communities, and three organizations.
    fn township(&self) -> (String, String, String) {
        for args in [
            &["--code", "XH", "--name", "西湖区", "--level", "district"][..],
            &[
                "--code",
                "BS",
                "--name",
                "北山街道",
                "--level",
                "township",
                "--parent",
                "XH",
            ],
            &[
                "--code",
                "BS-01",
                "--name",
                "宝石山社区",
                "--level",
                "community",
                "--parent",
                "BS",
            ],
            &[
                "--code",
                "BS-01-01",
                "--name",
                "一网格",
                "--level",
                "grid",
                "--parent",
                "BS-01",
            ],
            &[
                "--code",
                "BS-02",
                "--name",
                "北山社区",
                "--level",
                "community",
                "--parent",
                "BS",
            ],
        ] {
            let mut a = vec!["place", "add"];
            a.extend_from_slice(args);
            self.ok(&a);
        }
        let id = |s: String| s.trim().to_string();
        let a = id(self.ok(&[
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
        ]));
        let b = id(self.ok(&[
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
        ]));
        let c = id(self.ok(&["org", "add", "--name", "旧时光合唱团", "--state", "revoked"]));
        (a, b, c)
    }
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn month_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

#[test]
fn activity_add_and_list() {
    let env = Env::new();
    let (a, b, _) = env.township();
    let id = env.ok(&[
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
    let id = id.trim();
    assert!(!id.is_empty() && !id.contains('\n'));
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
    let env = Env::new();
    let (a, _, _) = env.township();
    let base = ["activity", "add", "--org", &a, "--title", "x"];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        let mut v: Vec<&str> = base.to_vec();
        v.extend_from_slice(extra);
        v
    }
    let e = env.refused(&with(&base, &["--date", "2026-02-30"]));
    assert!(e.contains("日期"), "{e}");
    env.refused(&with(&base, &["--date", "2026-11-3x"]));
    env.refused(&with(
        &base,
        &["--date", "2026-11-03", "--participants", "-1"],
    ));
    env.refused(&with(&base, &["--date", "2026-11-03", "--hours", "1.25"]));
    env.refused(&with(&base, &["--date", "2026-11-03", "--kind", "party"]));
    env.refused(&with(&base, &["--date", "2026-11-03", "--grid", "NOPE"]));
    let e = env.refused(&[
        "activity",
        "add",
        "--org",
        "nope-1",
        "--date",
        "2026-11-03",
        "--title",
        "x",
    ]);
    assert!(e.contains("nope-1"), "{e}");
    env.refused(&["activity", "list", "--month", "2026-13"]);
    let list = env.json(&["activity", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[test]
fn evaluations_are_graded_from_the_rubric() {
    let env = Env::new();
    let (a, _, _) = env.township();
    let o = env.run(&[
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
    ]);
    assert!(o.status.success());
    let first = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let err = String::from_utf8_lossy(&o.stderr);
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
    let e = env.refused(&[
        "eval", "add", "--org", &a, "--period", "2026", "--score", "staff=9",
    ]);
    assert!(e.contains("staff"), "{e}");
    env.refused(&[
        "eval", "add", "--org", &a, "--period", "2026", "--score", "nope=1",
    ]);
    env.refused(&[
        "eval", "add", "--org", &a, "--period", "2026Q1", "--score", "staff=1",
    ]);
    env.refused(&[
        "eval", "add", "--org", "x-9", "--period", "2026", "--score", "staff=1",
    ]);
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
    let env = Env::new();
    let shipped = env.json(&["rubric", "show", "--format", "json"]);
    assert_eq!(shipped["total"], 100);
    assert_eq!(shipped["dimensions"][0]["name"], "专业水平");
    assert_eq!(shipped["dimensions"][3]["name"], "社会经济效益");
    assert_eq!(shipped["bands"][0]["name"], "优秀");
    let text = include_str!("../fixtures/rubric.toml").replacen("max = 25", "max = 26", 1);
    std::fs::write(env.config.join("rubric.toml"), text).unwrap();
    let e = env.refused(&["rubric", "show"]);
    assert!(
        e.contains("rubric.toml") && e.contains("professional"),
        "{e}"
    );
    assert!(e.contains("26") && e.contains("25"), "{e}");
}

#[test]
fn inspections_ratings_and_due_lists() {
    let env = Env::new();
    let (_, b, _) = env.township();
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
    env.refused(&[
        "inspection",
        "set",
        "--org",
        &b,
        "--year",
        "2025",
        "--result",
        "good",
    ]);
    env.refused(&["rating", "set", "--org", &b, "--level", "6A"]);
    env.refused(&[
        "rating",
        "set",
        "--org",
        &b,
        "--level",
        "3A",
        "--expires",
        "2026-02-30",
    ]);
    env.refused(&["rating", "set", "--org", "none-1", "--level", "3A"]);
}

#[test]
fn stats_match_hand_computed_figures() {
    let env = Env::new();
    let (a, b, _) = env.township();
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
    let env = Env::new();
    let (a, b, _) = env.township();
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
    let o = env.run(&[
        "report",
        "bulletin",
        "--month",
        "2026-10",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
    assert!(html.contains("重阳节敬老 &lt;午宴&gt;"));
    assert!(!html.contains("<午宴>"));
    assert!(html.trim_end().ends_with("</html>"));
    env.refused(&["report", "bulletin", "--month", "2026-13"]);
}

#[test]
fn activity_edit_changes_only_the_fields_given() {
    let env = Env::new();
    let (a, b, _) = env.township();
    let id = env.ok(&[
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
    let id = id.trim();
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
    let o = env.run(&[
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
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains(id));
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
    let e = env.refused(&["activity", "edit", id, "--participants", "-5"]);
    assert!(e.contains("参与人次"), "{e}");
    let e = env.refused(&[
        "activity",
        "edit",
        id,
        "--title",
        "不该写入",
        "--hours",
        "1.25",
    ]);
    assert!(e.contains("志愿时长"), "{e}");
    let e = env.refused(&["activity", "edit", id, "--date", "2026-02-30"]);
    assert!(e.contains("日期"), "{e}");
    let e = env.refused(&["activity", "edit", id, "--grid", "NOPE"]);
    assert!(e.contains("NOPE"), "{e}");
    let e = env.refused(&["activity", "edit", id, "--clear", "title"]);
    assert!(e.contains("participants"), "{e}");
    assert_eq!(get(), before);
    // An unknown activity.
    let e = env.refused(&["activity", "edit", "nope-1", "--title", "x"]);
    assert!(e.contains("nope-1"), "{e}");
}

#[test]
fn activity_rm_removes_it_from_the_list() {
    let env = Env::new();
    let (a, _, _) = env.township();
    let keep = env.ok(&[
        "activity",
        "add",
        "--org",
        &a,
        "--date",
        "2026-11-03",
        "--title",
        "书画展",
    ]);
    let id = env.ok(&[
        "activity",
        "add",
        "--org",
        &a,
        "--date",
        "2026-11-04",
        "--title",
        "重阳敬老",
    ]);
    let id = id.trim();
    let o = env.run(&["activity", "rm", id]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let e = String::from_utf8_lossy(&o.stderr);
    // What was removed is named: id, date, title, organization.
    assert!(e.contains(id) && e.contains("2026-11-04"), "{e}");
    assert!(e.contains("重阳敬老") && e.contains("银龄互助会"), "{e}");
    let list = env.json(&["activity", "list", "--format", "json"]);
    let arr = list.as_array().unwrap();
    assert_eq!(arr.len(), 1);
    assert_eq!(arr[0]["id"], keep.trim());
    let stats = env.json(&["stats", "--format", "json"]);
    assert_eq!(stats["activities"]["total"], 1);
    // Again, or an id that never was: exit 2.
    let e = env.refused(&["activity", "rm", id]);
    assert!(e.contains(id), "{e}");
    let e = env.refused(&["activity", "rm", "nope-1"]);
    assert!(e.contains("nope-1"), "{e}");
}

#[test]
fn activity_add_names_the_missing_fields() {
    let env = Env::new();
    let (a, _, _) = env.township();
    let e = env.refused(&["activity", "add", "--org", &a]);
    assert!(e.contains("日期") && e.contains("标题"), "{e}");
    let e = env.refused(&["activity", "add", "--date", "2026-11-03", "--title", "x"]);
    assert!(e.contains("组织"), "{e}");
}
