//! Party building ([6/6]) through the real binary: an organization's party
//! organization (by `party org` and by `org edit --party-*`, one set of
//! rules), details refused where there is none and a reason refused where
//! there is one; instructors, their visits (an organization visited is
//! covered), coverage by community in `party coverage` and `stats`,
//! 同步孵化 from an enrollment, the export.

use crate::cli_support::{stop_server, Sanshe};

#[test]
fn instructors_visits_party_organizations_and_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let s = Sanshe::at(&db);
    s.add_places(&[
        ("XH", "西湖区", "district", None),
        ("BSJ", "北山街道", "township", Some("XH")),
        ("BSJ-01", "宝石社区", "community", Some("BSJ")),
        ("BSJ-02", "曙光社区", "community", Some("BSJ")),
    ]);
    let a = s.id(&["org", "add", "--name", "宝石志愿队", "--grid", "BSJ-01"]);
    let b = s.id(&["org", "add", "--name", "宝石读书会", "--grid", "BSJ-01"]);
    let c = s.id(&["org", "add", "--name", "曙光合唱团", "--grid", "BSJ-02"]);
    // Details without a party organization: refused, naming the field.
    s.refused(&["party", "org", &a, "--secretary", "周建国"], "党组织书记");
    s.refused(
        &["org", "edit", &a, "--party-set-up", "2025-07-01"],
        "党组织建立时间",
    );
    s.ok(&[
        "party",
        "org",
        "宝石志愿队",
        "--party",
        "own",
        "--name",
        "宝石志愿队党支部",
        "--secretary",
        "周建国",
        "--set-up",
        "2025-07-01",
        "--members",
        "5",
        "--probationary",
        "1",
    ]);
    let o = s.json(&["org", "show", &a, "--format", "json"]);
    assert_eq!(o["party"], "own");
    assert_eq!(o["party_secretary"], "周建国");
    assert_eq!(o["party_set_up"], "2025-07-01");
    assert_eq!(o["party_probationary"], 1);
    // A reason while there is one: refused; the same rule through org edit.
    s.refused(
        &["party", "org", &a, "--reason", "党员不足"],
        "未建党组织原因",
    );
    s.refused(
        &["org", "edit", &a, "--party-reason", "党员不足"],
        "未建党组织原因",
    );
    s.ok(&[
        "org",
        "edit",
        &b,
        "--party-reason",
        "党员不足三人",
        "--party-planned",
        "2027-06-30",
    ]);
    s.refused(&["party", "org", &b, "--set-up", "2026-13-40"], "");
    let show = s.ok(&["org", "show", &b]);
    assert!(show.contains("党员不足三人"), "{show}");
    // Instructors.
    let i = s.id(&[
        "party",
        "instructor",
        "add",
        "--name",
        "周建国",
        "--unit",
        "北山街道党工委",
        "--phone",
        "0571-87001234",
        "--org",
        "宝石志愿队",
    ]);
    s.refused(
        &[
            "party",
            "instructor",
            "add",
            "--name",
            "x",
            "--unit",
            "y",
            "--phone",
            "12",
        ],
        "电话",
    );
    s.refused(
        &[
            "party",
            "instructor",
            "add",
            "--name",
            "x",
            "--unit",
            "y",
            "--org",
            "没有这个组织",
        ],
        "没有这个组织",
    );
    s.ok(&[
        "party",
        "visit",
        "周建国",
        "--org",
        &c,
        "--date",
        "2026-11-03",
        "--note",
        "指导筹建联合党支部",
    ]);
    s.refused(
        &[
            "party",
            "visit",
            &i,
            "--org",
            &c,
            "--note",
            "x",
            "--date",
            "yesterday?",
        ],
        "",
    );
    let j = s.json(&["party", "instructor", "show", &i, "--format", "json"]);
    assert_eq!(j["visits"][0]["org_name"], "曙光合唱团");
    assert_eq!(j["visits"][0]["note"], "指导筹建联合党支部");
    assert!(j["visits"][0]["author"].is_string());
    assert_eq!(j["orgs"].as_array().unwrap().len(), 2);
    let list = s.json(&["party", "instructor", "list", "--format", "json"]);
    assert_eq!(list[0]["visit_count"], 1);
    assert!(s
        .ok(&["party", "instructor", "list"])
        .contains("北山街道党工委"));
    // Coverage: 宝石 1 of 2 (own), 曙光 0 of 1 (visits do not change the
    // organization's own status).
    let cov = s.json(&["party", "coverage", "--format", "json"]);
    let communities = cov["communities"].as_array().unwrap();
    assert_eq!(communities[0]["code"], "BSJ-01");
    assert_eq!(communities[0]["active"], 2);
    assert_eq!(communities[0]["covered"], 1);
    assert_eq!(communities[0]["rate"], 50.0);
    assert_eq!(communities[1]["covered"], 0);
    assert_eq!(cov["total"]["covered"], 1);
    let stats = s.json(&["stats", "--format", "json"]);
    let by = stats["party_by_community"].as_array().unwrap();
    assert_eq!(by[0]["name"], "宝石社区");
    assert_eq!(
        (by[0]["active"].as_u64(), by[0]["covered"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(stats["orgs"]["party_covered"], 1);
    let table = s.ok(&["party", "coverage"]);
    assert!(
        table.contains("宝石社区") && table.contains("50%"),
        "{table}"
    );
    // 同步孵化: a stay entered without a party organization, which has one
    // set up during the stay.
    let space = s.id(&[
        "space", "add", "--code", "A-01", "--kind", "desk", "--seats", "2",
    ]);
    s.id(&[
        "incubation",
        "enroll",
        "--org",
        &c,
        "--space",
        &space,
        "--from",
        "2025-03-01",
        "--to",
        "2026-12-31",
    ]);
    let cov = s.json(&["party", "coverage", "--format", "json"]);
    assert_eq!(cov["synced"], 0, "{cov}");
    s.ok(&[
        "party",
        "org",
        &c,
        "--party",
        "联合组建",
        "--name",
        "北山街道文体类社会组织联合党支部",
        "--set-up",
        "2026-06-01",
    ]);
    let cov = s.json(&["party", "coverage", "--format", "json"]);
    assert_eq!(cov["synced"], 1, "{cov}");
    assert_eq!(cov["synced_orgs"][0]["name"], "曙光合唱团");
    assert_eq!(cov["communities"][1]["covered"], 1);
    let out = dir.path().join("instructors.csv");
    s.ok(&["export", "instructors", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("周建国")
            && text.contains("指导筹建联合党支部")
            && text.contains("曙光合唱团"),
        "{text}"
    );
    let orgs = dir.path().join("orgs.csv");
    s.ok(&["export", "orgs", "--out", orgs.to_str().unwrap()]);
    let text = std::fs::read_to_string(&orgs).unwrap();
    assert!(
        text.contains("党组织书记") && text.contains("宝石志愿队党支部"),
        "{text}"
    );
    stop_server(&db);
}
