//! End to end in tmux ([6/6]): pane 0 中心 of the real binary on the demo
//! database. The checklist item on disclosure, still to be checked in the
//! demo, is answered by hand with its evidence; the summary line counts it
//! and `sanshe center show --format json` has it. The leads view never
//! shows who reported a lead.
//!
//! Keys: `0`, `]` (合规), `G` (the last item), `c`, `Tab`, the evidence,
//! `Ctrl-s`; `]` (备案), `]` `]` `]` (党建覆盖, 党建指导员, 线索).

use crate::tmux_support::*;

#[test]
fn a_checklist_item_answered_by_hand_in_the_app() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["0"]);
    t.wait_for("合规 9/11 项符合");
    t.keys(&["]"]);
    t.wait_for("检查项");
    t.keys(&["G"]);
    t.wait_for("c 人工核实");
    t.keys(&["c"]);
    t.wait_for("*证据");
    t.keys(&["Tab"]);
    t.type_text("公众号发布2025年度报告");
    t.keys(&["C-s"]);
    t.wait_for("合规 10/11 项符合");
    // 备案: the filings with their state.
    t.keys(&["]"]);
    t.wait_for("申请日期");
    // The views wrap: before 概况 is the last, 线索.
    t.keys(&["]", "]", "]"]);
    let screen = t.wait_for("所用名称");
    assert!(screen.contains("西湖国学文化研究会"), "{screen}");
    assert!(
        !screen.contains("匿名") && !screen.contains("1380000"),
        "{screen}"
    );
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");

    let out = sanshe(&t.db(), &["center", "show", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let item = j["compliance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "disclosure")
        .unwrap()
        .clone();
    assert_eq!(item["status"], "ok", "{item}");
    assert!(
        item["detail"]
            .as_str()
            .unwrap()
            .contains("公众号发布2025年度报告"),
        "{item}"
    );
}
