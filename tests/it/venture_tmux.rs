//! End to end in tmux ([5/6]): the 创投 pane of the real binary on the
//! demo database (120x40). Two reviewers' sheets in a row, then the
//! project stepped on and its first tranche paid; checked with `sanshe
//! venture show --format json`. Skipped, with a message, when tmux is not
//! installed.
//!
//! Keys: `7` (创投); `Down` x3 to 社区少儿合唱团 (已评审); `r`; the
//! reviewer's name, `Tab` `Tab` (past 回避: 否), then each of the nine
//! points followed by `Tab`, `C-s`: saved, and a blank sheet for the next
//! reviewer is open; the second reviewer the same way; `Esc` ends. `s`,
//! `Enter` (拟立项, the first next state), `C-s` (the step's form is its
//! confirmation); then 公示中 and 已立项 (the amount is filled in with the
//! proposed award) the same way; `p`, `y` pays the first tranche.

use crate::tmux_support::*;

const POINTS: [&str; 9] = ["12", "8", "8", "7.5", "6", "12", "8", "10", "6"];

fn sheet(t: &Tmux, reviewer: &str) {
    t.type_text(reviewer);
    t.keys(&["Tab", "Tab"]);
    for p in POINTS {
        t.type_text(p);
        t.keys(&["Tab"]);
    }
    t.keys(&["C-s"]);
}

fn show(t: &Tmux, app: &str) -> serde_json::Value {
    let out = sanshe(&t.db(), &["venture", "show", app, "--format", "json"]);
    serde_json::from_str(&out).unwrap()
}

#[test]
fn two_sheets_in_a_row_then_a_step_and_a_payment() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["7"]);
    t.wait_for("2026年北山街道社区公益创投");
    t.keys(&["Down", "Down", "Down"]);
    t.wait_for("┌ 社区少儿合唱团");
    t.keys(&["r"]);
    t.wait_for("评审表 - 社区少儿合唱团（立项评审）");
    sheet(&t, "张老师");
    t.wait_for("已保存 张老师 的评审表（77.5 分），本轮第 1 份");
    sheet(&t, "李老师");
    t.wait_for("本轮第 2 份");
    t.wait_for("李老师 77.5");
    t.keys(&["Escape"]);
    t.wait_for("r 录入评审表");
    t.keys(&["s"]);
    t.wait_for("下一步");
    t.keys(&["Enter"]);
    t.wait_for("已评审 → 拟立项");
    t.keys(&["C-s"]);
    t.wait_for("「社区少儿合唱团」：已评审 → 拟立项");
    t.wait_for("拟立项（");
    for (to, now) in [
        ("拟立项 → 公示中", "公示中（"),
        ("公示中 → 已立项", "已立项（"),
    ] {
        t.keys(&["s"]);
        t.wait_for("下一步");
        t.keys(&["Enter"]);
        t.wait_for(to);
        t.keys(&["C-s"]);
        t.wait_for(&format!("「社区少儿合唱团」：{to}"));
        t.wait_for(now);
    }
    t.keys(&["p"]);
    t.wait_for("拨付「社区少儿合唱团」第 1 期 8000元");
    t.keys(&["y"]);
    t.wait_for("第 1 期已拨付 8000元");
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");

    let list = sanshe(&t.db(), &["venture", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let app = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "社区少儿合唱团")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let j = show(&t, &app);
    let reviews = j["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 7, "five from the demo and two typed");
    for who in ["张老师", "李老师"] {
        let r = reviews.iter().find(|r| r["reviewer"] == who).unwrap();
        assert_eq!(r["total"], 77.5);
    }
    assert_eq!(j["state"], "approved");
    assert_eq!(j["awarded"], 20000);
    assert_eq!(j["tranches"][0]["paid"], true);
    let steps = j["steps"].as_array().unwrap();
    assert!(steps
        .iter()
        .any(|s| s["state"] == "approved" && s["author"].is_string()));
}
