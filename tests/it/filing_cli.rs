//! Filing (备案, [6/6]) through the real binary: an application with its
//! materials, the committee's check and the street's review, a return and
//! a resubmission, the filing number (required), the organization made in
//! the register when filed and moved along at registration, a change,
//! every illegal step refused naming the allowed ones (nothing written),
//! the due list (waiting, with days), stats, the export, `show --format
//! json`.

use crate::cli_support::{stop_server, Sanshe};

#[test]
fn a_filing_goes_from_application_to_registration() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let s = Sanshe::at(&db);
    s.add_places(&[
        ("XH", "西湖区", "district", None),
        ("BSJ", "北山街道", "township", Some("XH")),
        ("BSJ-01", "宝石社区", "community", Some("BSJ")),
    ]);
    let f = s.id(&[
        "filing",
        "add",
        "--name",
        "宝石山书画社",
        "--person",
        "陈敏",
        "--place",
        "宝石社区活动室",
        "--phone",
        "13800001111",
        "--community",
        "BSJ-01",
        "--charter",
        "--members",
        "15",
        "--funds",
        "5000",
        "--scope",
        "文化娱乐、书画交流",
        "--date",
        "2026-09-01",
    ]);
    // Bad input names the field; nothing is written.
    s.refused(
        &[
            "filing", "add", "--name", "x", "--person", "y", "--place", "z", "--phone", "123",
        ],
        "电话",
    );
    s.refused(
        &[
            "filing",
            "add",
            "--name",
            "x",
            "--person",
            "y",
            "--place",
            "z",
            "--community",
            "NOPE",
        ],
        "NOPE",
    );
    assert_eq!(
        s.json(&["filing", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Illegal steps from 申请: refused naming 社区审核 and 退回.
    for to in [
        "reviewed",
        "filed",
        "preparing",
        "registered",
        "cancelled",
        "applied",
    ] {
        let err = s.refused(&["filing", "step", &f, "--to", to], "社区审核");
        assert!(err.contains("退回"), "{err}");
    }
    s.refused(&["filing", "step", &f, "--to", "nonsense"], "");
    let due = s.json(&["due", "--format", "json"]);
    let waiting: Vec<&serde_json::Value> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "filing_waiting")
        .collect();
    assert_eq!(waiting.len(), 1, "{due}");
    assert_eq!(waiting[0]["filing"], f.as_str());
    assert!(waiting[0]["days"].as_i64().unwrap() > 0);
    let table = s.ok(&["due"]);
    assert!(
        table.contains("备案待审") && table.contains("申请，已等"),
        "{table}"
    );
    let csv = s.ok(&["due", "--format", "csv"]);
    assert!(csv.contains("filing_waiting") && csv.contains(&f), "{csv}");
    s.ok(&[
        "filing",
        "step",
        &f,
        "--to",
        "社区审核",
        "--date",
        "2026-09-05",
    ]);
    s.ok(&[
        "filing",
        "step",
        &f,
        "--to",
        "returned",
        "--date",
        "2026-09-06",
        "--note",
        "章程缺少活动范围",
    ]);
    s.ok(&[
        "filing",
        "step",
        "宝石山书画社",
        "--to",
        "applied",
        "--date",
        "2026-09-10",
    ]);
    s.ok(&[
        "filing",
        "step",
        &f,
        "--to",
        "checked",
        "--date",
        "2026-09-12",
    ]);
    s.ok(&[
        "filing",
        "step",
        &f,
        "--to",
        "reviewed",
        "--date",
        "2026-09-20",
    ]);
    // Before the step it follows: refused.
    s.refused(
        &[
            "filing",
            "step",
            &f,
            "--to",
            "filed",
            "--date",
            "2026-09-01",
            "--number",
            "BS-1",
        ],
        "",
    );
    // Filed needs its number; nothing is written without it.
    s.refused(
        &[
            "filing",
            "step",
            &f,
            "--to",
            "filed",
            "--date",
            "2026-09-25",
        ],
        "备案编号",
    );
    assert_eq!(s.org_ids().len(), 0);
    s.ok(&[
        "filing",
        "step",
        &f,
        "--to",
        "已备案",
        "--date",
        "2026-09-25",
        "--number",
        "北山备字〔2026〕7号",
    ]);
    let j = s.json(&["filing", "show", &f, "--format", "json"]);
    assert_eq!(j["state"], "filed");
    assert_eq!(j["number"], "北山备字〔2026〕7号");
    let org = j["org"].as_str().expect("linked").to_string();
    assert_eq!(j["org_name"], "宝石山书画社");
    let states: Vec<&str> = j["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["applied", "checked", "returned", "applied", "checked", "reviewed", "filed"]
    );
    assert_eq!(j["steps"][2]["note"], "章程缺少活动范围");
    assert!(j["steps"][0]["author"].is_string());
    assert_eq!(j["funds_fen"], 500_000);
    let o = s.json(&["org", "show", &org, "--format", "json"]);
    assert_eq!(o["state"], "filed");
    assert_eq!(o["filing_number"], "北山备字〔2026〕7号");
    assert_eq!(o["grid"], "BSJ-01");
    assert_eq!(o["domains"], serde_json::json!(["culture"]));
    // Filed: not waiting any more.
    let due = s.ok(&["due", "--format", "json"]);
    assert!(!due.contains("filing_waiting"), "{due}");
    s.ok(&[
        "filing",
        "change",
        &f,
        "--what",
        "负责人变更为王芳",
        "--date",
        "2026-10-01",
    ]);
    for to in ["applied", "checked", "reviewed", "returned", "registered"] {
        s.refused(&["filing", "step", &f, "--to", to], "筹备登记");
    }
    s.ok(&[
        "filing",
        "step",
        &f,
        "--to",
        "preparing",
        "--date",
        "2026-10-10",
    ]);
    s.ok(&[
        "filing",
        "step",
        &f,
        "--to",
        "registered",
        "--date",
        "2026-11-20",
    ]);
    s.refused(&["filing", "step", &f, "--to", "cancelled"], "没有下一步");
    let o = s.json(&["org", "show", &org, "--format", "json"]);
    assert_eq!(o["state"], "registered");
    let j = s.json(&["filing", "show", &f, "--format", "json"]);
    assert_eq!(j["changes"][0]["what"], "负责人变更为王芳");
    assert_eq!(j["next"], serde_json::json!([]));
    // Lists, stats, export.
    let list = s.ok(&["filing", "list"]);
    assert!(
        list.contains("宝石山书画社") && list.contains("已登记"),
        "{list}"
    );
    let csv = s.ok(&["filing", "list", "--state", "已登记", "--format", "csv"]);
    assert!(csv.contains("registered"), "{csv}");
    assert_eq!(
        s.json(&["filing", "list", "--state", "applied", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let stats = s.json(&["stats", "--format", "json"]);
    assert_eq!(stats["filings"]["by_state"]["registered"], 1);
    let out = dir.path().join("filings.csv");
    s.ok(&["export", "filings", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("北山备字〔2026〕7号") && text.contains("宝石社区"),
        "{text}"
    );
    assert!(text.contains("退回 2026-09-06"), "{text}");
    // The log says it in words.
    let log = s.ok(&["log", "--limit", "200"]);
    assert!(log.contains("备案状态") && log.contains("已登记"), "{log}");
    stop_server(&db);
}

#[test]
fn a_filing_is_cancelled_and_its_organization_deregistered() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    let org = s.id(&[
        "org",
        "add",
        "--name",
        "曙光读书会",
        "--state",
        "incubating",
    ]);
    let f = s.id(&[
        "filing",
        "add",
        "--name",
        "曙光读书会",
        "--person",
        "李华",
        "--place",
        "曙光社区",
        "--org",
        "曙光读书会",
    ]);
    for to in ["checked", "reviewed"] {
        s.ok(&["filing", "step", &f, "--to", to]);
    }
    s.ok(&["filing", "step", &f, "--to", "filed", "--number", "BS-2"]);
    assert_eq!(s.org_ids().len(), 1);
    let o = s.json(&["org", "show", &org, "--format", "json"]);
    assert_eq!(o["state"], "filed");
    s.ok(&[
        "filing",
        "step",
        &f,
        "--to",
        "cancelled",
        "--note",
        "自行解散",
    ]);
    let o = s.json(&["org", "show", &org, "--format", "json"]);
    assert_eq!(o["state"], "deregistered");
    s.refused(&["filing", "step", &f, "--to", "filed"], "");
    // Another filing may not take the number.
    let g = s.id(&[
        "filing",
        "add",
        "--name",
        "曙光合唱团",
        "--person",
        "李华",
        "--place",
        "曙光社区",
    ]);
    for to in ["checked", "reviewed"] {
        s.ok(&["filing", "step", &g, "--to", to]);
    }
    s.refused(
        &["filing", "step", &g, "--to", "filed", "--number", "BS-2"],
        "BS-2",
    );
    let en = s.clone().lang("en");
    let err = en.refused(&["filing", "step", &g, "--to", "applied"], "Filed");
    assert!(err.contains("Returned"), "{err}");
}
