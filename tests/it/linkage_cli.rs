//! The three-society commands run as scripts run them: `need`, `offer`,
//! `worker`, `partner`, `match`, `link`; output, exit codes, and that
//! refused input writes nothing.

use std::path::Path;

use crate::cli_support::{add_places, config_dir, id, json, ok, refused};

/// A township with two communities of two grid cells, and a neighbour.
fn township(db: &Path) {
    add_places(
        db,
        &[
            ("XH", "西湖区", "district", None),
            ("BSJ", "北山街道", "township", Some("XH")),
            ("BSJ-01", "宝石社区", "community", Some("BSJ")),
            ("BSJ-01-01", "宝石一网格", "grid", Some("BSJ-01")),
            ("BSJ-01-02", "宝石二网格", "grid", Some("BSJ-01")),
            ("BSJ-02", "西湖社区", "community", Some("BSJ")),
            ("BSJ-02-01", "西湖一网格", "grid", Some("BSJ-02")),
            ("LYJ", "灵隐街道", "township", Some("XH")),
            ("LYJ-01", "玉泉社区", "community", Some("LYJ")),
            ("LYJ-01-01", "玉泉一网格", "grid", Some("LYJ-01")),
        ],
    );
}

fn org(db: &Path, name: &str, grid: &str) -> String {
    id(
        db,
        &[
            "org", "add", "--name", name, "--grid", grid, "--domain", "elderly",
        ],
    )
}

#[test]
fn a_need_is_matched_linked_and_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    township(db);
    let near = org(db, "宝石社区银龄互助会", "BSJ-01-01");
    let same_community = org(db, "宝石社区助老服务队", "BSJ-01-02");
    let far = org(db, "玉泉社区爱心厨房", "LYJ-01-01");
    let need = id(
        db,
        &[
            "need",
            "add",
            "--title",
            "独居老人助餐",
            "--domain",
            "elderly",
            "--grid",
            "BSJ-01-01",
            "--urgency",
            "urgent",
            "--people",
            "6",
            "--target",
            "elderly",
        ],
    );
    let n = json(db, &["need", "show", &need, "--format", "json"]);
    assert_eq!(n["state"], "open");
    assert_eq!(n["urgency"], "urgent");
    assert_eq!(n["grid"], "BSJ-01-01");
    assert_eq!(n["id"], need.as_str());

    // Offers without --covers cover their provider's grid cell.
    let offer = |title: &str, provider: &str, domain: &str, capacity: &str| {
        id(
            db,
            &[
                "offer",
                "add",
                "--title",
                title,
                "--domain",
                domain,
                "--provider",
                provider,
                "--capacity",
                capacity,
            ],
        )
    };
    let o_near = offer("爱心午餐配送", &near, "elderly", "2");
    let o_comm = offer("助老上门服务", &same_community, "elderly", "10");
    let o_far = offer("社区食堂", &far, "elderly", "10");
    let o_other = offer("广场舞教学", &near, "sports", "10");
    let o = json(db, &["offer", "show", &o_near, "--format", "json"]);
    assert_eq!(o["covers"], serde_json::json!(["BSJ-01-01"]));
    assert_eq!(o["provider"], near.as_str());
    assert_eq!(o["provider_kind"], "org");
    assert_eq!(o["committed"], 0);

    let ranked = json(db, &["match", "--need", &need, "--format", "json"]);
    let order: Vec<&str> = ranked
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["offer_id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [&o_near, &o_comm, &o_far, &o_other]);
    let top = &ranked[0];
    let parts = [
        "domain", "distance", "capacity", "target", "record", "timing",
    ];
    let sum: f64 = parts.iter().map(|p| top[*p].as_f64().unwrap()).sum();
    assert!((sum - top["score"].as_f64().unwrap()).abs() < 0.35, "{top}");
    assert_eq!(top["distance"].as_f64(), Some(25.0));
    let two = json(
        db,
        &["match", "--need", &need, "--top", "2", "--format", "json"],
    );
    assert_eq!(two.as_array().unwrap().len(), 2);
    let table = ok(db, &["match", "--need", &need]);
    assert!(table.contains("爱心午餐配送"), "{table}");

    // Propose, then one step at a time.
    let link = id(db, &["link", "add", "--need", &need, "--offer", &o_near]);
    let state = |db: &Path| {
        let l = json(db, &["link", "list", "--format", "json"]);
        l.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == link.as_str())
            .unwrap()["state"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(state(db), "proposed");
    refused(db, &["link", "set", &link, "--state", "done"], "已提议");
    assert_eq!(state(db), "proposed");
    ok(db, &["link", "set", &link, "--state", "accepted"]);
    assert_eq!(
        json(db, &["need", "show", &need, "--format", "json"])["state"],
        "matched"
    );
    assert_eq!(
        json(db, &["offer", "show", &o_near, "--format", "json"])["committed"],
        1
    );
    // The linked offer no longer shows for this need.
    let ranked = json(db, &["match", "--need", &need, "--format", "json"]);
    assert!(ranked
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["offer_id"] != o_near.as_str()));
    ok(db, &["link", "set", &link, "--state", "in-progress"]);
    assert_eq!(
        json(db, &["need", "show", &need, "--format", "json"])["state"],
        "in-progress"
    );
    refused(
        db,
        &[
            "link",
            "set",
            &link,
            "--state",
            "done",
            "--satisfaction",
            "6",
        ],
        "",
    );
    assert_eq!(state(db), "in-progress");
    ok(
        db,
        &[
            "link",
            "set",
            &link,
            "--state",
            "done",
            "--satisfaction",
            "5",
            "--note",
            "老人很满意",
        ],
    );
    assert_eq!(state(db), "done");
    let l = json(db, &["link", "show", &link, "--format", "json"]);
    assert_eq!(l["satisfaction"], 5);
    assert_eq!(l["notes"], "老人很满意");
    assert_eq!(l["title"], "独居老人助餐");
    assert_eq!(
        json(db, &["need", "show", &need, "--format", "json"])["state"],
        "done"
    );
    assert_eq!(
        json(db, &["offer", "show", &o_near, "--format", "json"])["committed"],
        0
    );
    refused(db, &["link", "set", &link, "--state", "cancelled"], "");
    let done = json(db, &["link", "list", "--state", "done", "--format", "json"]);
    assert_eq!(done.as_array().unwrap().len(), 1);
    let listed = ok(db, &["link", "list"]);
    assert!(listed.contains("已完成"), "{listed}");
}

#[test]
fn cancelling_frees_capacity_and_reopens_the_need() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    township(db);
    let o = org(db, "西湖社区邻里帮", "BSJ-02-01");
    let need = id(
        db,
        &[
            "need",
            "add",
            "--title",
            "楼道堆物清理",
            "--domain",
            "environment",
            "--grid",
            "BSJ-02-01",
        ],
    );
    let offer = id(
        db,
        &[
            "offer",
            "add",
            "--title",
            "清洁志愿队",
            "--domain",
            "environment",
            "--provider",
            &o,
            "--capacity",
            "1",
            "--type",
            "服务",
        ],
    );
    let link = id(db, &["link", "add", "--need", &need, "--offer", &offer]);
    ok(db, &["link", "set", &link, "--state", "accepted"]);
    // Full: a second linkage cannot be accepted.
    let need2 = id(
        db,
        &[
            "need",
            "add",
            "--title",
            "单元门口垃圾清运",
            "--domain",
            "environment",
            "--grid",
            "BSJ-02-01",
        ],
    );
    let link2 = id(db, &["link", "add", "--need", &need2, "--offer", &offer]);
    refused(db, &["link", "set", &link2, "--state", "accepted"], "容量");
    ok(db, &["link", "set", &link, "--state", "cancelled"]);
    assert_eq!(
        json(db, &["need", "show", &need, "--format", "json"])["state"],
        "open"
    );
    assert_eq!(
        json(db, &["offer", "show", &offer, "--format", "json"])["committed"],
        0
    );
    ok(db, &["link", "set", &link2, "--state", "accepted"]);
}

#[test]
fn unknown_ids_domains_and_places_are_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    township(db);
    let o = org(db, "宝石社区银龄互助会", "BSJ-01-01");
    refused(
        db,
        &[
            "need",
            "add",
            "--title",
            "助餐",
            "--domain",
            "cooking",
            "--grid",
            "BSJ-01-01",
        ],
        "服务领域",
    );
    refused(
        db,
        &[
            "need", "add", "--title", "助餐", "--domain", "elderly", "--grid", "NOPE-9",
        ],
        "NOPE-9",
    );
    // A township is not a place for a need.
    refused(
        db,
        &[
            "need", "add", "--title", "助餐", "--domain", "elderly", "--grid", "BSJ",
        ],
        "",
    );
    refused(
        db,
        &["need", "add", "--domain", "elderly", "--grid", "BSJ-01-01"],
        "",
    );
    refused(
        db,
        &[
            "need",
            "add",
            "--title",
            "助餐",
            "--domain",
            "elderly",
            "--grid",
            "BSJ-01-01",
            "--urgency",
            "asap",
        ],
        "",
    );
    assert_eq!(
        json(db, &["need", "list", "--format", "json"]),
        serde_json::json!([])
    );
    refused(
        db,
        &[
            "offer",
            "add",
            "--title",
            "午餐",
            "--domain",
            "elderly",
            "--provider",
            "zz-404",
        ],
        "zz-404",
    );
    refused(
        db,
        &[
            "offer",
            "add",
            "--title",
            "午餐",
            "--domain",
            "elderly",
            "--provider",
            &o,
            "--covers",
            "NOPE",
        ],
        "",
    );
    assert_eq!(
        json(db, &["offer", "list", "--format", "json"]),
        serde_json::json!([])
    );
    let need = id(
        db,
        &[
            "need", "add", "--title", "助餐", "--domain", "elderly", "--grid", "BSJ-01",
        ],
    );
    refused(
        db,
        &["link", "add", "--need", &need, "--offer", "zz-1"],
        "zz-1",
    );
    refused(
        db,
        &["link", "add", "--need", "zz-2", "--offer", "zz-1"],
        "",
    );
    assert_eq!(
        json(db, &["link", "list", "--format", "json"]),
        serde_json::json!([])
    );
    refused(db, &["match", "--need", "zz-3"], "");
    refused(db, &["link", "set", "zz-4", "--state", "accepted"], "");
    refused(db, &["need", "show", "zz-5"], "");
    // Closing needs a reason; a closed need says so.
    refused(db, &["need", "close", &need, "--reason", " "], "");
    ok(db, &["need", "close", &need, "--reason", "居民已搬离"]);
    let n = json(db, &["need", "show", &need, "--format", "json"]);
    assert_eq!(n["state"], "closed");
    assert_eq!(n["close_reason"], "居民已搬离");
    let closed = json(
        db,
        &["need", "list", "--state", "closed", "--format", "json"],
    );
    assert_eq!(closed.as_array().unwrap().len(), 1);
}

#[test]
fn workers_and_partners_provide_offers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    township(db);
    let w = id(
        db,
        &[
            "worker",
            "add",
            "--name",
            "陈静",
            "--qualification",
            "社会工作师",
            "--community",
            "BSJ-02",
            "--domain",
            "children",
            "--phone",
            "13812345678",
        ],
    );
    let p = id(
        db,
        &[
            "partner",
            "add",
            "--name",
            "浙江大学社会学系",
            "--type",
            "university",
            "--provides",
            "学生志愿者、督导",
            "--agreement",
            "实习基地协议:2026-01-01:2028-12-31",
        ],
    );
    let wj = json(db, &["worker", "show", &w, "--format", "json"]);
    assert_eq!(wj["qualification"], "social-worker");
    assert_eq!(wj["community"], "BSJ-02");
    let pj = json(db, &["partner", "show", &p, "--format", "json"]);
    assert_eq!(pj["type"], "university");
    assert_eq!(pj["agreements"]["实习基地协议"]["start"], "2026-01-01");
    refused(
        db,
        &[
            "partner",
            "add",
            "--name",
            "某企业",
            "--agreement",
            "没有日期",
        ],
        "",
    );
    refused(db, &["worker", "add", "--name", "李", "--phone", "123"], "");
    refused(
        db,
        &["worker", "add", "--name", "李", "--community", "NOPE"],
        "",
    );
    ok(db, &["worker", "edit", &w, "--qualification", "senior"]);
    assert_eq!(
        json(db, &["worker", "show", &w, "--format", "json"])["qualification"],
        "senior"
    );
    ok(db, &["partner", "edit", &p, "--phone", "0571-87951234"]);
    assert_eq!(
        json(db, &["partner", "list", "--format", "json"])[0]["phone"],
        "0571-87951234"
    );
    let list = ok(db, &["worker", "list"]);
    assert!(
        list.contains("陈静") && list.contains("高级社会工作师"),
        "{list}"
    );

    // A worker's offer covers the worker's community; a partner's names its places.
    let ow = id(
        db,
        &[
            "offer",
            "add",
            "--title",
            "四点半课堂作业辅导",
            "--domain",
            "children",
            "--provider",
            &w,
        ],
    );
    let owj = json(db, &["offer", "show", &ow, "--format", "json"]);
    assert_eq!(owj["provider_kind"], "worker");
    assert_eq!(owj["covers"], serde_json::json!(["BSJ-02"]));
    let op = id(
        db,
        &[
            "offer",
            "add",
            "--title",
            "大学生暑期支教",
            "--domain",
            "education",
            "--provider",
            &p,
            "--covers",
            "BSJ",
            "--type",
            "skills",
            "--from",
            "2026-07-01",
        ],
    );
    assert_eq!(
        json(db, &["offer", "show", &op, "--format", "json"])["provider_kind"],
        "partner"
    );
    ok(
        db,
        &[
            "offer",
            "edit",
            &op,
            "--capacity",
            "30",
            "--cost",
            "政府购买",
        ],
    );
    let opj = json(db, &["offer", "show", &op, "--format", "json"]);
    assert_eq!(opj["capacity"], 30);
    assert_eq!(opj["cost"], "government-purchased");
    let offers = json(db, &["offer", "list", "--provider", &p, "--format", "json"]);
    assert_eq!(offers.as_array().unwrap().len(), 1);
}

#[test]
fn weights_come_from_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    township(db);
    let near = org(db, "宝石社区银龄互助会", "BSJ-01-01");
    let far = org(db, "玉泉社区爱心厨房", "LYJ-01-01");
    let need = id(
        db,
        &[
            "need",
            "add",
            "--title",
            "助餐",
            "--domain",
            "elderly",
            "--grid",
            "BSJ-01-01",
        ],
    );
    let o_near = id(
        db,
        &[
            "offer",
            "add",
            "--title",
            "健身指导",
            "--domain",
            "sports",
            "--provider",
            &near,
        ],
    );
    let o_far = id(
        db,
        &[
            "offer",
            "add",
            "--title",
            "老年餐",
            "--domain",
            "elderly",
            "--provider",
            &far,
        ],
    );
    let first = |db: &Path| {
        json(db, &["match", "--need", &need, "--format", "json"])[0]["offer_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(first(db), o_far, "domains count most by default");
    let config = config_dir(db);
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[matching]\ndomain = 0\ndistance = 100\n",
    )
    .unwrap();
    assert_eq!(first(db), o_near, "distance counts most now");
    std::fs::write(config.join("config.toml"), "[matching]\ndomian = 1\n").unwrap();
    refused(db, &["match", "--need", &need], "");
}

#[test]
fn the_demo_township_has_needs_offers_and_linkages_in_every_state() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    ok(db, &["demo", "--no-tui"]);
    let needs = json(db, &["need", "list", "--format", "json"]);
    let needs = needs.as_array().unwrap();
    assert!(needs.len() >= 200, "{} needs", needs.len());
    for s in ["open", "matched", "in-progress", "done", "closed"] {
        assert!(needs.iter().any(|n| n["state"] == s), "no need {s}");
    }
    // Open needs come first, the most urgent first.
    assert_eq!(needs[0]["state"], "open");
    assert_eq!(needs[0]["urgency"], "urgent");
    let offers = json(db, &["offer", "list", "--format", "json"]);
    assert!(offers.as_array().unwrap().len() >= 150);
    assert_eq!(
        json(db, &["worker", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        20
    );
    assert_eq!(
        json(db, &["partner", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        15
    );
    let links = json(db, &["link", "list", "--format", "json"]);
    for s in ["proposed", "accepted", "in-progress", "done", "cancelled"] {
        assert!(
            links.as_array().unwrap().iter().any(|l| l["state"] == s),
            "no linkage {s}"
        );
    }
    let need = needs[0]["id"].as_str().unwrap();
    let ranked = json(
        db,
        &["match", "--need", need, "--top", "5", "--format", "json"],
    );
    let ranked = ranked.as_array().unwrap();
    assert_eq!(ranked.len(), 5);
    let scores: Vec<f64> = ranked
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}
