//! End to end in tmux ([6/6]): quick sign-in on pane 9 培训 of the real
//! binary, demo database. Two organizations signed in to the pitch day by
//! their pinyin initials, one after another; checked with `sanshe training
//! show --format json`.
//!
//! Keys: `9`, `Down` (the pitch day, below the December event), `i`, then
//! per organization its initials and `Ctrl-s` (the highlighted match is
//! taken and a blank entry opens for the next); `Esc` ends.

use crate::tmux_support::*;

#[test]
fn quick_sign_in_by_initials_one_after_another() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["9"]);
    t.wait_for("场活动");
    t.keys(&["Down"]);
    t.wait_for("┌ 2026年公益创投项目路演");
    t.keys(&["i"]);
    t.wait_for("签到 - 2026年公益创投项目路演");
    t.type_text("bsjzyzxh");
    t.wait_for("北山街道志愿者协会");
    t.keys(&["C-s"]);
    t.wait_for("已签到：北山街道志愿者协会（本次第 1 位）");
    t.type_text("bsjqnzyzxh");
    t.wait_for("北山街道青年志愿者协会");
    t.keys(&["C-s"]);
    t.wait_for("（本次第 2 位）");
    t.keys(&["Escape"]);
    t.wait_for("i 签到");
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");

    let out = sanshe(
        &t.db(),
        &[
            "training",
            "show",
            "2026年公益创投项目路演",
            "--format",
            "json",
        ],
    );
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    for name in [
        "杭州市西湖区北山街道志愿者协会",
        "杭州市西湖区北山街道青年志愿者协会",
    ] {
        let p = j["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["org_name"] == name)
            .unwrap_or_else(|| panic!("{name} not in {j}"));
        assert_eq!(p["status"], "signed-in");
    }
}
