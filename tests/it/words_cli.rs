//! Words, not ids, through the real binary: `sanshe log` names records,
//! fields and values in the user's language (JSON keeps the raw keys and
//! ids, with the words beside them); the messages after `edit`, `rm`,
//! `restore`, `close`, `link set` and a possible duplicate name the record;
//! `sanshe sync conflicts` and its restore message name records, fields and
//! values. Standard output of `add` stays the id alone.

use std::path::Path;

use crate::cli_support::{text, Sanshe};

/// A township with two grid cells, an organization, a need, an offer and
/// a linkage taken to done, the organization edited: what a day leaves in
/// the log. Returns the ids made, by name.
fn day_of_work(s: &Sanshe) -> Vec<(&'static str, String)> {
    s.add_places(&[
        ("XH", "西湖区", "district", None),
        ("BSJ", "北山街道", "township", Some("XH")),
        ("BSJ-01", "宝石社区", "community", Some("BSJ")),
        ("BSJ-01-01", "宝石一网格", "grid", Some("BSJ-01")),
        ("BSJ-01-02", "宝石二网格", "grid", Some("BSJ-01")),
    ]);
    let org = s.id(&[
        "org",
        "add",
        "--name",
        "宝石社区银龄互助会",
        "--grid",
        "BSJ-01-01",
        "--domain",
        "elderly",
    ]);
    s.ok(&[
        "org",
        "edit",
        &org,
        "--state",
        "registered",
        "--grid",
        "BSJ-01-02",
    ]);
    let need = s.id(&[
        "need",
        "add",
        "--title",
        "独居老人助餐",
        "--domain",
        "elderly",
        "--grid",
        "BSJ-01-02",
        "--urgency",
        "urgent",
    ]);
    let offer = s.id(&[
        "offer",
        "add",
        "--title",
        "爱心午餐配送",
        "--domain",
        "elderly",
        "--provider",
        &org,
        "--capacity",
        "3",
    ]);
    let link = s.id(&["link", "add", "--need", &need, "--offer", &offer]);
    for state in ["accepted", "in-progress", "done"] {
        s.ok(&["link", "set", &link, "--state", state]);
    }
    vec![
        ("宝石社区银龄互助会", org),
        ("独居老人助餐", need),
        ("爱心午餐配送", offer),
        ("link", link),
    ]
}

/// The field and value columns of the log as a table, and the whole text.
fn log_table(s: &Sanshe) -> String {
    s.ok(&["log", "--limit", "1000"])
}

#[test]
fn the_log_speaks_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let zh = Sanshe::at(dir.path()).lang("zh");
    let ids = day_of_work(&zh);
    let en = zh.clone().lang("en");
    // Member names and stored keys that must not reach people. (In
    // English some member names are the label too: `need`, `committed`.)
    let zh_raw = [
        "state",
        "need",
        "committed",
        "done",
        "in-progress",
        "offers/[",
        "domains/[",
        "elderly",
        "urgent",
        "provider",
        "registered",
    ];
    let en_raw = [
        "link_state",
        "in-progress",
        "offers/[",
        "domains/[",
        " elderly",
        " urgent",
        "provider_kind",
        " registered",
        " done",
    ];
    for (s, words, raw) in [
        (
            &zh,
            &[
                "需求状态",
                "对接状态",
                "已完成",
                "服务中",
                "已占用",
                "登记状态",
                "已登记",
                "添加 养老服务",
                "添加 爱心午餐配送",
                "宝石二网格",
                "特急",
            ][..],
            &zh_raw[..],
        ),
        (
            &en,
            &[
                "need state",
                "linkage state",
                "Done",
                "In progress",
                "registration state",
                "Registered",
                "added Elderly care",
                "added 爱心午餐配送",
                "宝石二网格",
                "Urgent",
            ][..],
            &en_raw[..],
        ),
    ] {
        let log = log_table(s);
        for w in words {
            assert!(log.contains(w), "{w}\n{log}");
        }
        for w in raw {
            assert!(!log.contains(w), "{w:?}\n{log}");
        }
        for (_, id) in &ids {
            assert!(!log.contains(id.as_str()), "{id}\n{log}");
        }
        // The record column names the linkage by its title, the offer's
        // provider by the organization's name.
        assert!(log.contains("宝石社区银龄互助会"), "{log}");
    }
    // JSON keeps the raw kind, id, field and value, the words beside them.
    let json = zh.json(&["log", "--limit", "1000", "--format", "json"]);
    let entries = json.as_array().unwrap();
    let (_, link) = &ids[3];
    let done = entries
        .iter()
        .find(|e| e["id"] == link.as_str() && e["value"]["Text"] == "done")
        .expect("the linkage's step to done");
    assert_eq!(done["kind"], "linkage");
    assert_eq!(done["field"], "state");
    assert_eq!(done["field_label"], "对接状态");
    assert_eq!(done["value_text"], "已完成");
    assert_eq!(done["record"], "独居老人助餐");
    assert_eq!(done["kind_label"], "对接");
    // CSV (for spreadsheets and scripts) has the id beside the name.
    let csv = zh.ok(&["log", "--limit", "1000", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("记录") && header.contains("编号"),
        "{header}"
    );
    assert!(
        csv.contains(&format!("独居老人助餐,{link},对接状态,已完成")),
        "{csv}"
    );
}

fn stderr_of(s: &Sanshe, args: &[&str]) -> String {
    let o = s.run(args);
    assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
    text(&o.stderr)
}

#[test]
fn messages_name_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(dir.path()).lang("zh");
    let ids = day_of_work(&s);
    let (org, need) = (&ids[0].1, &ids[1].1);
    let id_free = |msg: &str, name: &str| {
        assert!(msg.contains(name), "{name}: {msg}");
        for (_, id) in &ids {
            assert!(!msg.contains(id.as_str()), "{id}: {msg}");
        }
    };
    id_free(
        &stderr_of(&s, &["org", "edit", org, "--phone", "13800001111"]),
        "已修改组织「宝石社区银龄互助会」",
    );
    id_free(
        &stderr_of(
            &s,
            &[
                "inspection",
                "set",
                "--org",
                org,
                "--year",
                "2025",
                "--result",
                "pass",
            ],
        ),
        "宝石社区银龄互助会",
    );
    // A similar name in the township: the warning names the other one;
    // standard output is still the new id alone.
    let o = s.run(&[
        "org",
        "add",
        "--name",
        "宝石社区银龄互助会 ",
        "--grid",
        "BSJ-01-01",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let twin = text(&o.stdout).trim().to_string();
    assert!(!twin.is_empty() && !twin.contains('\n'), "{twin:?}");
    id_free(&text(&o.stderr), "「宝石社区银龄互助会」");
    id_free(
        &stderr_of(&s, &["need", "edit", need, "--people", "4"]),
        "需求「独居老人助餐」",
    );
    let o = s.run(&[
        "need",
        "add",
        "--title",
        "助浴",
        "--domain",
        "elderly",
        "--grid",
        "BSJ-01-01",
    ]);
    let bath = text(&o.stdout).trim().to_string();
    id_free(
        &stderr_of(&s, &["need", "close", &bath, "--reason", "重复登记"]),
        "助浴",
    );
    id_free(
        &stderr_of(&s, &["org", "rm", &twin]),
        "已删除组织「宝石社区银龄互助会",
    );
    let refused = s.run(&["org", "restore", org]);
    assert_eq!(refused.status.code(), Some(2));
    id_free(&text(&refused.stderr), "宝石社区银龄互助会");
    let o = s.run(&["org", "restore", &twin]);
    id_free(&text(&o.stderr), "已恢复组织「宝石社区银龄互助会");
    assert_eq!(
        text(&o.stdout).trim(),
        twin,
        "restore prints the id for scripts"
    );
    let en = s.clone().lang("en");
    id_free(
        &stderr_of(&en, &["org", "edit", org, "--phone", "13800002222"]),
        "Changed Organization \"宝石社区银龄互助会\"",
    );
}

/// Two offices on one network, the town's organization edited at both
/// at once: its registration state and grid cell conflict.
fn two_offices(root: &Path) -> (Sanshe, Sanshe, String) {
    let town = Sanshe::at(&root.join("town")).config(&root.join("town-config"));
    let district = Sanshe::at(&root.join("district")).config(&root.join("district-config"));
    town.ok(&[
        "sync",
        "init",
        "--office",
        "北山街道",
        "--network",
        "西湖区",
    ]);
    district.ok(&[
        "sync",
        "init",
        "--office",
        "西湖区中心",
        "--network",
        "西湖区",
    ]);
    town.add_places(&[
        ("XH", "西湖区", "district", None),
        ("BSJ", "北山街道", "township", Some("XH")),
        ("BSJ-01", "宝石社区", "community", Some("BSJ")),
        ("BSJ-01-01", "宝石一网格", "grid", Some("BSJ-01")),
        ("BSJ-01-02", "宝石二网格", "grid", Some("BSJ-01")),
        ("BSJ-01-03", "宝石三网格", "grid", Some("BSJ-01")),
    ]);
    let id = town.id(&["org", "add", "--name", "北山读书会", "--grid", "BSJ-01-01"]);
    let file = |n: &str| root.join(n).to_string_lossy().into_owned();
    town.ok(&[
        "sync",
        "export",
        "--out",
        &file("t1.ssb"),
        "--peer",
        "西湖区中心",
    ]);
    district.ok(&["sync", "import", &file("t1.ssb")]);
    town.ok(&[
        "org",
        "edit",
        &id,
        "--state",
        "deregistered",
        "--grid",
        "BSJ-01-02",
    ]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    district.ok(&[
        "org",
        "edit",
        &id,
        "--state",
        "registered",
        "--grid",
        "BSJ-01-03",
    ]);
    district.ok(&[
        "sync",
        "export",
        "--out",
        &file("d1.ssb"),
        "--peer",
        "北山街道",
    ]);
    town.ok(&["sync", "import", &file("d1.ssb")]);
    (town, district, id)
}

#[test]
fn sync_conflicts_name_records_fields_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let (town, _district, id) = two_offices(dir.path());
    let table = town.ok(&["sync", "conflicts"]);
    for w in [
        "组织「北山读书会」",
        "登记状态",
        "已登记",
        "已注销",
        "网格",
        "宝石二网格",
        "宝石三网格",
    ] {
        assert!(table.contains(w), "{w}\n{table}");
    }
    for w in [id.as_str(), "state", "registered", "grid", "BSJ-01"] {
        assert!(!table.contains(w), "{w}\n{table}");
    }
    let json = town.json(&["sync", "conflicts", "--format", "json"]);
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{json}");
    let state = rows.iter().find(|r| r["field"] == "state").expect("state");
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["field_label"], "登记状态");
    assert_eq!(
        state["kept"]["value"],
        serde_json::json!({"Text": "registered"})
    );
    assert_eq!(state["kept"]["value_text"], "已登记");
    let n = state["n"].as_u64().unwrap().to_string();
    let msg = stderr_of(&town, &["sync", "conflicts", "--restore", &n]);
    assert!(
        msg.contains("组织「北山读书会」") && msg.contains("已注销"),
        "{msg}"
    );
    assert!(
        !msg.contains(id.as_str()) && !msg.contains("deregistered"),
        "{msg}"
    );
}

#[test]
fn a_linkage_names_its_need_and_offers() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(dir.path()).lang("zh");
    let ids = day_of_work(&s);
    let (need, offer, link) = (&ids[1].1, &ids[2].1, &ids[3].1);
    // The table: the linkage's own id (to type in `link set`), then names.
    let list = s.ok(&["link", "list"]);
    assert!(list.contains(link.as_str()), "{list}");
    assert!(list.contains("爱心午餐配送"), "{list}");
    assert!(
        !list.contains(need.as_str()) && !list.contains(offer.as_str()),
        "{list}"
    );
    // CSV keeps the ids for scripts.
    let csv = s.ok(&["link", "list", "--format", "csv"]);
    assert!(
        csv.contains(need.as_str()) && csv.contains(offer.as_str()),
        "{csv}"
    );
    let shown = s.ok(&["link", "show", link]);
    assert!(shown.contains(&format!("独居老人助餐 ({need})")), "{shown}");
}
