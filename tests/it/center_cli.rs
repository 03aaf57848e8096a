//! The center's own profile, its compliance checklist and the yearly
//! disclosure report ([6/6]): items turn from fail to ok as the data
//! changes, the threshold comes from `[center]` in the configuration, the
//! report's figures are those of `stats --year`, and no reporter of a lead
//! is ever in it.

use serde_json::Value;

use crate::cli_support::Sanshe;

fn status(show: &Value, key: &str) -> String {
    show["compliance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == key)
        .unwrap_or_else(|| panic!("no item {key}: {show}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn items_turn_from_fail_to_ok_as_the_profile_changes() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[center]\nmin_office_m2 = 100\n",
    )
    .unwrap();
    let s = Sanshe::at(&dir.path().join("db")).config(&config);
    // Nothing to show before the profile exists; creating it needs a name.
    s.refused(&["center", "edit", "--office-area", "80"], "名称");
    s.ok(&[
        "center",
        "edit",
        "--name",
        "宝石街道社会组织服务中心",
        "--office-area",
        "80",
    ]);
    let show = s.json(&["center", "show", "--format", "json"]);
    assert_eq!(status(&show, "office_area"), "fail", "80 < 100 configured");
    assert_eq!(status(&show, "director"), "fail");
    assert_eq!(status(&show, "funding"), "fail");
    assert_eq!(status(&show, "board"), "fail");
    assert_eq!(status(&show, "registered"), "unknown");
    assert_eq!(status(&show, "disclosure"), "unknown");
    for item in show["compliance"].as_array().unwrap() {
        assert!(!item["clause"].as_str().unwrap().is_empty(), "{item}");
        assert!(!item["detail"].as_str().unwrap().is_empty(), "{item}");
    }

    // Bad input names the field and changes nothing.
    s.refused(&["center", "edit", "--office-area", "八十"], "办公面积");
    s.refused(&["center", "edit", "--office-use", "rented"], "场所使用");
    s.refused(
        &["center", "check", "nonsense", "--ok", "--evidence", "x"],
        "disclosure",
    );
    s.refused(
        &[
            "center",
            "board",
            "甲",
            "--role",
            "chair",
            "--from",
            "2026-01-01",
            "--to",
            "2025-01-01",
        ],
        "任期结束",
    );

    let org = s.id(&[
        "org",
        "add",
        "--name",
        "杭州市西湖区宝石街道社会组织服务中心",
        "--type",
        "service-org",
        "--state",
        "registered",
    ]);
    s.ok(&[
        "center",
        "edit",
        "--office-area",
        "120",
        "--director",
        "周敏",
        "--org",
        &org,
    ]);
    let year = chrono::Local::now().format("%Y").to_string();
    s.ok(&[
        "center",
        "fund",
        "--kind",
        "政府购买服务",
        "--payer",
        "宝石街道办事处",
        "--amount",
        "30万",
        "--from",
        &format!("{year}-01-01"),
        "--to",
        &format!("{year}-12-31"),
    ]);
    s.ok(&[
        "center",
        "board",
        "郑建国",
        "--role",
        "理事长",
        "--from",
        "2024-01-01",
        "--to",
        "2099-12-31",
    ]);
    s.ok(&[
        "center",
        "check",
        "disclosure",
        "--ok",
        "--evidence",
        "公众号年报",
    ]);
    let show = s.json(&["center", "show", "--format", "json"]);
    for k in [
        "office_area",
        "director",
        "funding",
        "board",
        "registered",
        "disclosure",
    ] {
        assert_eq!(status(&show, k), "ok", "{k}: {show}");
    }
    assert_eq!(show["org_name"], "杭州市西湖区宝石街道社会组织服务中心");
    assert_eq!(show["funding"][0]["amount"], 300000);
    // And back: the chair leaves the board.
    s.ok(&["center", "board", "郑建国", "--remove"]);
    let show = s.json(&["center", "show", "--format", "json"]);
    assert_eq!(status(&show, "board"), "fail");
    // The table names the items in words.
    let table = s.ok(&["center", "show"]);
    assert!(
        table.contains("固定办公场所面积不少于规定") && table.contains("符合"),
        "{table}"
    );
    assert!(!table.contains("office_area"), "{table}");
}

#[test]
fn the_disclosure_report_has_the_figures_of_stats_and_no_reporter() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    s.ok(&["demo", "--no-tui"]);
    let stats = s.json(&["stats", "--year", "2026", "--format", "json"]);
    let report = s.json(&["report", "disclosure", "--year", "2026", "--format", "json"]);
    assert_eq!(report["work"], stats["year"], "one set of figures");
    let work = &report["work"];
    for k in [
        "orgs_served",
        "incubated",
        "trainings",
        "training_signed_in",
        "activities",
        "venture_approved",
        "linkages_done",
        "leads_reported",
        "filed",
        "registered",
        "party_covered",
        "party_set_up",
        "instructor_visits",
    ] {
        assert!(work[k].as_u64().unwrap() > 0, "the demo covers {k}: {work}");
    }
    let md = s.ok(&["report", "disclosure", "--year", "2026"]);
    for h in ["一、基本信息", "二、年度工作", "三、财务", "四、评估与合规"] {
        assert!(md.contains(h), "{h}: {md}");
    }
    // The figures as printed are those of stats.
    let stats_table = s.ok(&["stats", "--year", "2026"]);
    for k in ["activities", "trainings", "linkages_done", "leads_reported"] {
        let n = work[k].to_string();
        assert!(md.contains(&format!("| {n} |")), "{k}={n}: {md}");
        assert!(stats_table.contains(&n), "{k}={n}");
    }
    let out = dir.path().join("年报.html");
    s.ok(&[
        "report",
        "disclosure",
        "--year",
        "2026",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("三、财务"));
    // The demo's leads have reporters; none is in any form of the report.
    let full = s.ok(&[
        "lead",
        "show",
        &lead_with_reporter(&s),
        "--show-reporter",
        "--format",
        "json",
    ]);
    let full: Value = serde_json::from_str(&full).unwrap();
    let name = full["reporter"].as_str().unwrap().to_string();
    let phone = full["reporter_phone"].as_str().unwrap().to_string();
    for text in [&md, &html, &report.to_string()] {
        assert!(!text.contains(&name) && !text.contains(&phone));
    }
    // Who checked an item by hand is not published either.
    assert!(!md.contains("核实）"), "{md}");
    s.refused(&["report", "disclosure", "--year", "20x6"], "年度");
}

fn lead_with_reporter(s: &Sanshe) -> String {
    let leads = s.json(&["lead", "list", "--format", "json"]);
    for l in leads.as_array().unwrap() {
        let id = l["id"].as_str().unwrap();
        let full = s.json(&["lead", "show", id, "--show-reporter", "--format", "json"]);
        if full["reporter"].is_string() && full["reporter_phone"].is_string() {
            return id.to_string();
        }
    }
    panic!("the demo has a lead with a reporter");
}
