//! End to end in tmux ([6/6]): pane 8 孵化 of the real binary on the demo
//! database. The first enrollment (in the base, soonest planned exit) is
//! extended by three months, a service is recorded for it, and `sanshe
//! incubation show --format json` says so.
//!
//! Keys: `8`; `s`, `Enter` (延期, the first next stage), `Tab` (to the
//! planned exit), the new date, `Ctrl-s`; `v`, `nltis` (能力提升 by its
//! initials), `Tab`, `Tab` (past the date), `1.5`, `Ctrl-s`.

use crate::tmux_support::*;

#[test]
fn a_stay_is_extended_and_a_service_recorded() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["8"]);
    t.wait_for("在孵");
    t.wait_for("┌ 颐养居家养老服务中心（筹）");
    t.keys(&["s"]);
    t.wait_for("目前为");
    t.keys(&["Enter"]);
    t.wait_for("孵化中 → 延期");
    t.keys(&["Tab", "C-u"]);
    t.type_text("2027-04-07");
    t.keys(&["C-s"]);
    t.wait_for("孵化中 → 延期   ");
    t.wait_for("2027-04-07");
    t.keys(&["v"]);
    t.wait_for("孵化服务 - 颐养居家养老服务中心（筹）");
    t.type_text("nltis");
    t.keys(&["Tab", "Tab"]);
    t.type_text("1.5");
    t.keys(&["C-s"]);
    t.wait_for("已记录孵化服务");
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");

    let list = sanshe(&t.db(), &["incubation", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let e = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["org_name"]
                .as_str()
                .is_some_and(|n| n.contains("颐养居家养老服务中心"))
        })
        .unwrap()
        .clone();
    assert_eq!(e["stage"], "extended");
    assert_eq!(e["to"], "2027-04-07");
    let services = e["services"].as_array().unwrap();
    assert!(
        services
            .iter()
            .any(|s| s["kind"] == "capacity" && s["hours"] == 1.5),
        "{services:?}"
    );
    let steps = e["steps"].as_array().unwrap();
    assert!(steps
        .iter()
        .any(|s| s["stage"] == "extended" && s["author"].is_string()));
}
