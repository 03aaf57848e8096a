//! The incubation base ([6/6]) through the real binary: spaces, the seat
//! rule (exit 2 naming the organization holding it), stages one at a time,
//! goals, services, planned exits in `due`, and the exports.

use crate::cli_support::Sanshe;

#[test]
fn a_desk_is_never_held_twice_and_a_stay_goes_from_entry_to_exit() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    let a = s.id(&["org", "add", "--name", "星光志愿队"]);
    let b = s.id(&["org", "add", "--name", "银龄互助会"]);
    // Chinese labels are taken as everywhere.
    s.id(&[
        "space", "add", "--code", "A-01", "--kind", "工位", "--seats", "1", "--area", "6.5",
    ]);
    s.id(&[
        "space", "add", "--code", "B-01", "--kind", "office", "--seats", "2",
    ]);
    s.refused(
        &[
            "space", "add", "--code", "A-01", "--kind", "desk", "--seats", "1",
        ],
        "A-01",
    );
    s.refused(
        &[
            "space", "add", "--code", "X", "--kind", "garage", "--seats", "1",
        ],
        "desk",
    );
    let e = s.id(&[
        "incubation",
        "enroll",
        "--org",
        "星光志愿队",
        "--space",
        "A-01",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--goal",
        "filing",
        "--goal",
        "party",
    ]);
    // The same desk for a period that overlaps: refused, naming who holds it.
    let err = s.refused(
        &[
            "incubation",
            "enroll",
            "--org",
            &b,
            "--space",
            "A-01",
            "--from",
            "2026-12-01",
            "--to",
            "2027-06-30",
        ],
        "星光志愿队",
    );
    assert!(err.contains("A-01"), "{err}");
    // Back to back is fine; so are two seats of a two-seat office.
    s.id(&[
        "incubation",
        "enroll",
        "--org",
        &b,
        "--space",
        "A-01",
        "--from",
        "2027-01-01",
        "--to",
        "2027-06-30",
    ]);
    s.id(&[
        "incubation",
        "enroll",
        "--org",
        &b,
        "--space",
        "B-01",
        "--seats",
        "2",
        "--from",
        "2026-03-01",
        "--to",
        "2026-09-30",
    ]);
    s.refused(
        &[
            "incubation",
            "enroll",
            "--org",
            &a,
            "--space",
            "B-01",
            "--from",
            "2026-09-01",
            "--to",
            "2026-10-31",
        ],
        "银龄互助会",
    );
    // One stage at a time.
    s.refused(&["incubation", "step", &e, "--to", "graduated"], "入壳");
    s.ok(&[
        "incubation",
        "step",
        &e,
        "--to",
        "incubating",
        "--date",
        "2026-01-08",
    ]);
    // An extension into the next stay on the desk is refused like an entry.
    s.refused(
        &[
            "incubation",
            "step",
            &e,
            "--to",
            "延期",
            "--until",
            "2027-03-31",
            "--date",
            "2026-12-01",
        ],
        "银龄互助会",
    );
    s.ok(&[
        "incubation",
        "step",
        &e,
        "--to",
        "延期",
        "--until",
        "2026-12-31",
        "--date",
        "2026-12-01",
    ]);
    let j = s.json(&["incubation", "show", &e, "--format", "json"]);
    assert_eq!(j["stage"], "extended");
    assert_eq!(j["to"], "2026-12-31");
    s.ok(&[
        "incubation",
        "goal",
        &e,
        "--goal",
        "filing",
        "--date",
        "2026-05-01",
    ]);
    s.id(&[
        "incubation",
        "service",
        "--org",
        &a,
        "--kind",
        "能力提升",
        "--hours",
        "2",
        "--staff",
        "张敏",
    ]);
    s.ok(&[
        "incubation",
        "step",
        &e,
        "--to",
        "graduated",
        "--date",
        "2026-12-20",
    ]);
    let j = s.json(&["incubation", "show", &e, "--format", "json"]);
    assert_eq!(j["stage"], "graduated");
    assert_eq!(j["exited"], "2026-12-20");
    assert_eq!(j["goals"][0]["goal"], "filing");
    assert_eq!(j["goals"][0]["met"], "2026-05-01");
    assert!(j["goals"][1]["met"].is_null());
    assert_eq!(j["party_at_entry"], "none");
    assert_eq!(j["party_at_exit"], "none");
    assert_eq!(j["services"].as_array().unwrap().len(), 1);
    let steps: Vec<&str> = j["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["stage"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["entered", "incubating", "extended", "graduated"]);
    s.refused(&["incubation", "step", &e, "--to", "incubating"], "出壳");
    // Lists and exports.
    let list = s.json(&["incubation", "list", "--all", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    let now = s.json(&["incubation", "list", "--format", "json"]);
    assert_eq!(now.as_array().unwrap().len(), 2, "the graduated one is out");
    let spaces = s.json(&["space", "list", "--format", "json"]);
    assert_eq!(spaces[0]["code"], "A-01");
    for kind in ["spaces", "enrollments", "services"] {
        let out = dir.path().join(format!("{kind}.csv"));
        s.ok(&["export", kind, "--out", out.to_str().unwrap()]);
        let body = std::fs::read_to_string(&out).unwrap();
        assert!(body.lines().count() >= 2, "{kind}: {body}");
    }
    let body = std::fs::read_to_string(dir.path().join("enrollments.csv")).unwrap();
    assert!(
        body.contains("星光志愿队") && body.contains("完成备案 2026-05-01"),
        "{body}"
    );
}

#[test]
fn planned_exits_are_in_the_due_list() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    let a = s.id(&["org", "add", "--name", "星光志愿队"]);
    s.id(&[
        "space", "add", "--code", "A-01", "--kind", "desk", "--seats", "1",
    ]);
    // Planned exit ten days from now.
    s.id(&[
        "incubation",
        "enroll",
        "--org",
        &a,
        "--space",
        "A-01",
        "--from",
        "-100",
        "--to",
        "-1",
    ]);
    let due = s.json(&["due", "--format", "json"]);
    let exit = due
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "incubation_exit")
        .unwrap_or_else(|| panic!("{due}"));
    assert_eq!(exit["org"], a.as_str());
    assert_eq!(exit["space"], "A-01");
    let table = s.ok(&["due"]);
    assert!(
        table.contains("计划出壳") && table.contains("星光志愿队"),
        "{table}"
    );
}

#[test]
fn an_application_takes_no_seat_and_the_exit_is_assessed_on_its_rubric() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    s.id(&["org", "add", "--name", "星光志愿队"]);
    s.id(&["org", "add", "--name", "银龄互助会"]);
    s.id(&[
        "space", "add", "--code", "A-01", "--kind", "desk", "--seats", "1",
    ]);
    let stay = [
        "--space",
        "A-01",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    ];
    let applied = s.id(&[
        &[
            "incubation",
            "enroll",
            "--org",
            "星光志愿队",
            "--stage",
            "申请",
        ][..],
        &stay[..],
    ]
    .concat());
    // An application holds no seat: another organization enters meanwhile.
    let other = s.id(&[
        &["incubation", "enroll", "--org", "银龄互助会"][..],
        &stay[..],
    ]
    .concat());
    s.refused(
        &[
            &[
                "incubation",
                "enroll",
                "--org",
                "银龄互助会",
                "--stage",
                "incubating",
            ][..],
            &stay[..],
        ]
        .concat(),
        "entered",
    );
    // Entering takes the seat: refused while the other holds it.
    s.ok(&["incubation", "step", &applied, "--to", "reviewed"]);
    s.refused(
        &["incubation", "step", &applied, "--to", "entered"],
        "银龄互助会",
    );
    let _ = other;
    // On a free desk, the same steps go through.
    s.id(&[
        "space", "add", "--code", "A-02", "--kind", "desk", "--seats", "1",
    ]);
    let applied = s.id(&[
        "incubation",
        "enroll",
        "--org",
        "星光志愿队",
        "--stage",
        "applied",
        "--space",
        "A-02",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    ]);
    s.ok(&["incubation", "step", &applied, "--to", "评审"]);
    s.ok(&["incubation", "step", &applied, "--to", "entered"]);
    let j = s.json(&["incubation", "show", &applied, "--format", "json"]);
    let stages: Vec<&str> = j["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["applied", "reviewed", "entered"]);
    assert!(j["assessment"].is_null());

    // The exit assessment: not before incubating, every indicator, within
    // each maximum.
    let full = [
        "governance_status=15",
        "governance_rules=12",
        "party_cover=10",
        "service_activities=13",
        "service_projects=8",
        "resources_people=8",
        "resources_funds=3",
        "resources_recognition=7.5",
    ];
    let assess = |scores: &[&str]| {
        let mut args = vec!["incubation".to_string(), "assess".into(), applied.clone()];
        for sc in scores {
            args.push("--score".into());
            args.push(sc.to_string());
        }
        args
    };
    let a = assess(&full);
    s.refused(&refs(&a), "入壳");
    s.ok(&["incubation", "step", &applied, "--to", "incubating"]);
    s.refused(&refs(&assess(&["party_cover=16"])), "party_cover");
    s.refused(
        &refs(&assess(&["governance_status=15"])),
        "governance_rules",
    );
    s.refused(&refs(&assess(&["nonsense=1"])), "nonsense");
    assert!(
        s.ok(&refs(&a)).is_empty(),
        "the message is on standard error"
    );
    let j = s.json(&["incubation", "show", &applied, "--format", "json"]);
    assert_eq!(j["assessment"]["rubric"], "incubation-exit");
    assert_eq!(j["assessment"]["total"], 76.5);
    assert_eq!(j["assessment"]["band"], "pass");
    assert_eq!(j["assessment"]["scores"]["resources_recognition"], 7.5);
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn cohorts_are_records_an_enrollment_names() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    s.id(&["org", "add", "--name", "星光志愿队"]);
    s.id(&[
        "space", "add", "--code", "A-01", "--kind", "desk", "--seats", "1",
    ]);
    let stay = [
        "--org",
        "星光志愿队",
        "--space",
        "A-01",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    ];
    // A cohort that does not exist is refused, naming those that do.
    s.id(&[
        "incubation",
        "cohort",
        "add",
        "--name",
        "2026年第一期",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--capacity",
        "8",
    ]);
    s.refused(
        &[
            "incubation",
            "cohort",
            "add",
            "--name",
            "2026年第一期",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
        ],
        "2026年第一期",
    );
    s.refused(
        &[
            &["incubation", "enroll", "--cohort", "第二期"][..],
            &stay[..],
        ]
        .concat(),
        "2026年第一期",
    );
    s.id(&[
        &["incubation", "enroll", "--cohort", "2026年第一期"][..],
        &stay[..],
    ]
    .concat());
    let list = s.json(&["incubation", "cohort", "list", "--format", "json"]);
    assert_eq!(list[0]["name"], "2026年第一期");
    assert_eq!(list[0]["enrollments"], 1);
    assert_eq!(list[0]["in_base"], 1);
    assert_eq!(list[0]["capacity"], 8);
    let table = s.ok(&["incubation", "cohort", "list"]);
    assert!(table.contains("1/8"), "{table}");
}
