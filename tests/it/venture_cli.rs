//! `sanshe venture` ([5/6]) end to end through the real binary: a round,
//! projects, eligibility, several reviewers with a recusal, the ranking
//! with proposed awards, steps one at a time, tranches only when their
//! condition is met, visits, `show`, `list`, `due` and the export. The
//! flags, JSON fields and exit codes named in the issue are contracts.

use serde_json::Value;

use crate::cli_support::{text, Sanshe};

/// The nine indicators of the shipped `venture-review` rubric at `share`
/// (0..=1) of their maximum, as `--score KEY=POINTS` flags.
fn scores(s: &Sanshe, share: f64) -> Vec<String> {
    let r = s.json(&["rubric", "show", "venture-review", "--format", "json"]);
    let mut out = Vec::new();
    for d in r["dimensions"].as_array().unwrap() {
        for i in d["indicators"].as_array().unwrap() {
            let max = i["max"].as_f64().unwrap();
            // Half points.
            let p = (max * share * 2.0).round() / 2.0;
            out.push("--score".to_string());
            out.push(format!("{}={p}", i["key"].as_str().unwrap()));
        }
    }
    out
}

fn args<'a>(head: &[&'a str], tail: &'a [String]) -> Vec<&'a str> {
    head.iter()
        .copied()
        .chain(tail.iter().map(String::as_str))
        .collect()
}

struct World {
    s: Sanshe,
    _dir: tempfile::TempDir,
    round: String,
    /// Three eligible organizations.
    orgs: Vec<String>,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    let orgs = [
        "北山街道老年协会",
        "同心圆家庭教育指导中心",
        "恒爱助残服务社",
    ]
    .iter()
    .map(|n| s.id(&["org", "add", "--name", n, "--state", "registered"]))
    .collect();
    let round = s.id(&[
        "venture",
        "round",
        "add",
        "--title",
        "2026年北山街道公益创投",
        "--year",
        "2026",
        "--budget",
        "10万",
        "--cap",
        "50000",
        "--theme",
        "elderly",
        "--theme",
        "children",
        "--aggregate",
        "trimmed",
        "--tranche",
        "40%:signing",
        "--tranche",
        "30%:midterm",
        "--tranche",
        "30%:final",
    ]);
    World {
        s,
        _dir: dir,
        round,
        orgs,
    }
}

fn apply(w: &World, org: usize, title: &str, requested: &str) -> String {
    w.s.id(&[
        "venture",
        "apply",
        "--round",
        &w.round,
        "--org",
        &w.orgs[org],
        "--title",
        title,
        "--requested",
        requested,
        "--from",
        "2026-04-01",
        "--to",
        "2026-12-31",
        "--domain",
        "elderly",
        "--kpi",
        "服务人次=500",
    ])
}

fn show(w: &World, app: &str) -> Value {
    w.s.json(&["venture", "show", app, "--format", "json"])
}

fn step(w: &World, app: &str, to: &str) {
    w.s.ok(&["venture", "step", app, "--to", to]);
}

#[test]
fn a_round_from_call_to_the_last_tranche() {
    let w = world();
    let s = &w.s;
    let a = apply(&w, 0, "银龄互助餐桌", "4万");
    let b = apply(&w, 1, "四点半课堂", "3.5万");
    let j = show(&w, &a);
    for key in [
        "id",
        "round",
        "org",
        "title",
        "state",
        "requested",
        "awarded",
        "total",
        "reviews",
        "tranches",
    ] {
        assert!(j.get(key).is_some(), "show has no {key}: {j}");
    }
    assert_eq!(j["id"], a.as_str());
    assert_eq!(j["round"], w.round.as_str());
    assert_eq!(j["org"], w.orgs[0].as_str());
    assert_eq!(j["state"], "submitted");
    assert_eq!(j["requested"], 40000, "yuan, a number");
    assert!(j["awarded"].is_null() && j["total"].is_null(), "{j}");
    assert_eq!(j["tranches"].as_array().unwrap().len(), 3);
    assert_eq!(j["tranches"][0]["condition"], "signing");
    assert_eq!(j["tranches"][0]["paid"], false);

    // A step out of order: exit 2, nothing written.
    s.refused(
        &["venture", "step", &a, "--to", "approved", "--amount", "4万"],
        "已申报",
    );
    assert_eq!(show(&w, &a)["state"], "submitted");
    for app in [&a, &b] {
        step(&w, app, "eligible");
    }

    // Five reviewers of `a`, one of whom recuses, then a sixth.
    let shares = [0.9, 0.8, 0.85, 0.7];
    let names = ["周丽华", "陈建国", "王晓敏", "孙浩"];
    for (name, share) in names.iter().zip(shares) {
        let sc = scores(s, share);
        let id = s.id(&args(&["venture", "review", &a, "--reviewer", name], &sc));
        assert!(!id.is_empty());
    }
    let recused = s.id(&["venture", "review", &a, "--reviewer", "刘芳", "--recuse"]);
    let j = show(&w, &a);
    let reviews = j["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 5);
    let r = reviews
        .iter()
        .find(|r| r["id"] == recused.as_str())
        .unwrap();
    assert_eq!(
        (r["reviewer"].as_str(), r["recused"].as_bool()),
        (Some("刘芳"), Some(true))
    );
    assert!(r["total"].is_null());
    // Four counted sheets: the mean (trimming starts at five).
    let totals: Vec<f64> = reviews
        .iter()
        .filter(|r| r["recused"] == false)
        .map(|r| r["total"].as_f64().unwrap())
        .collect();
    let mean = totals.iter().sum::<f64>() / totals.len() as f64;
    assert!((j["total"].as_f64().unwrap() - mean).abs() < 0.051, "{j}");
    // A fifth counted sheet: highest and lowest left out.
    let sc = scores(s, 0.5);
    s.ok(&args(&["venture", "review", &a, "--reviewer", "赵静"], &sc));
    let j = show(&w, &a);
    let mut counted: Vec<f64> = j["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["recused"] == false)
        .map(|r| r["total"].as_f64().unwrap())
        .collect();
    counted.sort_by(f64::total_cmp);
    let trimmed = counted[1..counted.len() - 1].iter().sum::<f64>() / (counted.len() - 2) as f64;
    assert!(
        (j["total"].as_f64().unwrap() - trimmed).abs() < 0.051,
        "{j}"
    );

    // Above an indicator's maximum, or an unknown indicator: exit 2, no
    // sheet written.
    let before = show(&w, &b)["reviews"].as_array().unwrap().len();
    let mut over = scores(s, 0.8);
    over[1] = over[1].split('=').next().unwrap().to_string() + "=99";
    s.refused(
        &args(&["venture", "review", &b, "--reviewer", "周丽华"], &over),
        "need_evidence",
    );
    let mut unknown = scores(s, 0.8);
    unknown.extend(["--score".to_string(), "charisma=5".to_string()]);
    s.refused(
        &args(&["venture", "review", &b, "--reviewer", "周丽华"], &unknown),
        "charisma",
    );
    assert_eq!(show(&w, &b)["reviews"].as_array().unwrap().len(), before);
    // The same reviewer again corrects the sheet (one per reviewer).
    let first = s.id(&args(
        &["venture", "review", &b, "--reviewer", "周丽华"],
        &scores(s, 0.6),
    ));
    let again = s.id(&args(
        &["venture", "review", &b, "--reviewer", "周丽华"],
        &scores(s, 0.7),
    ));
    assert_eq!(first, again);
    assert_eq!(show(&w, &b)["reviews"].as_array().unwrap().len(), 1);

    for app in [&a, &b] {
        step(&w, app, "reviewed");
    }
    // The ranking: by total, awards within the budget (10万) and cap (5万).
    let rank = s.json(&["venture", "rank", &w.round, "--format", "json"]);
    let rank = rank.as_array().unwrap();
    assert_eq!(rank.len(), 2);
    assert_eq!(rank[0]["id"], a.as_str(), "a scores higher");
    assert!(rank[0]["total"].as_f64() >= rank[1]["total"].as_f64());
    assert_eq!(rank[0]["award"], 40000);
    assert_eq!(rank[1]["award"], 35000);

    // A tranche before its condition: exit 2, naming it.
    s.refused(&["venture", "pay", &a, "--tranche", "1"], "签订协议");
    for to in ["shortlisted", "publicized"] {
        step(&w, &a, to);
    }
    // Objections during publicity are kept.
    s.refused(&["venture", "step", &a, "--to", "approved"], "amount");
    s.ok(&[
        "venture",
        "step",
        &a,
        "--to",
        "approved",
        "--amount",
        "4万",
        "--agreement",
        "BS-2026-01",
        "--note",
        "有居民询问预算",
    ]);
    let j = show(&w, &a);
    assert_eq!(j["state"], "approved");
    assert_eq!(j["awarded"], 40000);
    assert_eq!(j["objections"][0], "有居民询问预算");
    s.ok(&[
        "venture",
        "pay",
        &a,
        "--tranche",
        "1",
        "--date",
        "2026-05-01",
    ]);
    s.refused(&["venture", "pay", &a, "--tranche", "1"], "已于");
    s.refused(&["venture", "pay", &a, "--tranche", "2"], "中期通过");
    s.refused(&["venture", "pay", &a, "--tranche", "9"], "9");
    for to in ["in-progress", "midterm-passed"] {
        step(&w, &a, to);
    }
    s.ok(&["venture", "pay", &a, "--tranche", "2"]);
    step(&w, &a, "final-passed");
    s.ok(&["venture", "pay", &a, "--tranche", "3"]);
    let j = show(&w, &a);
    let t = j["tranches"].as_array().unwrap();
    let amounts: Vec<i64> = t.iter().map(|x| x["amount"].as_i64().unwrap()).collect();
    assert_eq!(amounts, [16000, 12000, 12000]);
    assert!(t.iter().all(|x| x["paid"] == true));
    assert_eq!(j["paid"], 40000, "the tranches add up to the award");
    // Every step is recorded with its date and author.
    let steps: Vec<&str> = j["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "submitted",
            "eligible",
            "reviewed",
            "shortlisted",
            "publicized",
            "approved",
            "in-progress",
            "midterm-passed",
            "final-passed"
        ]
    );
    assert!(j["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["author"].is_string() && x["date"].is_string()));

    // Activities of the project make its figures and KPIs.
    s.ok(&[
        "activity",
        "add",
        "--org",
        &w.orgs[0],
        "--date",
        "2026-06-01",
        "--title",
        "助餐",
        "--participants",
        "120",
        "--project",
        &a,
    ]);
    s.ok(&[
        "activity",
        "add",
        "--org",
        &w.orgs[0],
        "--date",
        "2026-07-01",
        "--title",
        "助餐",
        "--participants",
        "80",
        "--project",
        &a,
    ]);
    s.refused(
        &[
            "activity",
            "add",
            "--org",
            &w.orgs[0],
            "--date",
            "2026-07-02",
            "--title",
            "助餐",
            "--project",
            "nope-1",
        ],
        "nope-1",
    );
    let j = show(&w, &a);
    assert_eq!(j["figures"]["activities"], 2);
    assert_eq!(j["kpis"][0]["name"], "服务人次");
    assert_eq!(j["kpis"][0]["reached"], 200);

    // Lists: JSON, CSV and table; by state.
    let all = s.json(&["venture", "list", "--round", &w.round, "--format", "json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let done = s.json(&[
        "venture",
        "list",
        "--state",
        "final-passed",
        "--format",
        "json",
    ]);
    assert_eq!(done.as_array().unwrap().len(), 1);
    let csv = s.ok(&["venture", "list", "--format", "csv"]);
    assert!(
        csv.contains("银龄互助餐桌") && csv.contains("结项通过"),
        "{csv}"
    );
    let table = s.ok(&["venture", "list"]);
    assert!(
        table.contains("四点半课堂") && !table.contains(&w.orgs[0]),
        "names, not ids: {table}"
    );
    let rounds = s.json(&["venture", "round", "list", "--format", "json"]);
    assert_eq!(rounds[0]["approved"], 1);
    assert_eq!(rounds[0]["paid"], 40000);

    // Visits and what is due.
    let v = s.id(&[
        "venture",
        "visit",
        "add",
        &b,
        "--kind",
        "site",
        "--date",
        "2026-05-10",
        "--visitor",
        "张敏",
        "--findings",
        "台账不全",
        "--follow-up",
        "2026-05-20",
    ]);
    let due = s.json(&["venture", "due", "--format", "json"]);
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "follow_up" && d["late"] == true),
        "{due}"
    );
    s.ok(&["venture", "visit", "close", &v]);
    let due = s.json(&["venture", "due", "--format", "json"]);
    assert!(
        !due.as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "follow_up"),
        "{due}"
    );

    // Exports of every venture kind.
    for kind in ["rounds", "applications", "reviews", "visits"] {
        let out = w._dir.path().join(format!("{kind}.csv"));
        s.ok(&["export", kind, "--out", out.to_str().unwrap()]);
        let body = std::fs::read_to_string(&out).unwrap();
        assert!(body.lines().count() >= 2, "{kind}: {body}");
    }
    let body = std::fs::read_to_string(w._dir.path().join("applications.csv")).unwrap();
    assert!(
        body.contains("银龄互助餐桌") && body.contains("北山街道老年协会"),
        "{body}"
    );
}

#[test]
fn eligibility_the_cap_and_bad_money_are_refused_with_the_reason() {
    let w = world();
    let s = &w.s;
    let gone = s.id(&[
        "org",
        "add",
        "--name",
        "已注销的舞蹈队",
        "--state",
        "deregistered",
    ]);
    let err = s.refused(
        &[
            "venture",
            "apply",
            "--round",
            &w.round,
            "--org",
            &gone,
            "--title",
            "广场舞",
            "--requested",
            "1万",
            "--from",
            "2026-04-01",
            "--to",
            "2026-12-31",
        ],
        "已注销",
    );
    assert!(err.contains("2026年北山街道公益创投"), "{err}");
    s.refused(
        &[
            "venture",
            "apply",
            "--round",
            &w.round,
            "--org",
            &w.orgs[0],
            "--title",
            "大项目",
            "--requested",
            "6万",
            "--from",
            "2026-04-01",
            "--to",
            "2026-12-31",
        ],
        "5万元",
    );
    s.refused(
        &[
            "venture",
            "apply",
            "--round",
            &w.round,
            "--org",
            &w.orgs[0],
            "--title",
            "x",
            "--requested",
            "很多",
            "--from",
            "2026-04-01",
            "--to",
            "2026-12-31",
        ],
        "申请金额",
    );
    s.refused(
        &[
            "venture",
            "round",
            "add",
            "--title",
            "坏计划",
            "--year",
            "2026",
            "--budget",
            "10万",
            "--cap",
            "1万",
            "--tranche",
            "40%:signing",
            "--tranche",
            "30%:final",
        ],
        "100%",
    );
    s.refused(
        &[
            "venture", "round", "add", "--title", "x", "--year", "2026", "--budget", "1万",
            "--cap", "2万",
        ],
        "单个项目上限",
    );
    // By title too, for people.
    let a = s.id(&[
        "venture",
        "apply",
        "--round",
        "2026年北山街道公益创投",
        "--org",
        "北山街道老年协会",
        "--title",
        "银龄",
        "--requested",
        "3.5万",
        "--from",
        "2026-04-01",
        "--to",
        "2026-12-31",
    ]);
    let j = s.json(&["venture", "show", &a, "--format", "json"]);
    assert_eq!(j["requested"], 35000);
    assert_eq!(
        s.json(&["venture", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // In English too, the field and the rule named.
    let o = Sanshe::at(&s.db)
        .lang("en")
        .run(&["venture", "step", &a, "--to", "closed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("Submitted"), "{}", text(&o.stderr));
}
