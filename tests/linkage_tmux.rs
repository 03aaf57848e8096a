//! End to end in tmux for the 三社联动 pane: the real binary on a demo
//! database in a detached tmux session of 120x40, driven with `send-keys`,
//! read with `capture-pane`. Press `2`, select a need, propose the top
//! offer (confirming), take the linkage to done with `>`, quit, and find it
//! `done` with `sanshe link list --format json`. Skipped, with a message,
//! when tmux is not installed.

mod tmux_support;

use tmux_support::*;

#[test]
fn propose_the_top_offer_and_take_it_to_done() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("三社联动");
    // The organizations are loaded (the bottom bar shows their keys).
    t.wait_for("退出");
    t.keys(&["2"]);
    t.wait_for("推荐资源");
    t.keys(&["Down", "Down"]);
    t.keys(&["Enter"]);
    t.wait_for("提议对接资源");
    t.keys(&["y"]);
    let screen = t.wait_for("已提议对接 ");
    let id = screen
        .split("已提议对接 ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("the new linkage's id")
        .to_string();
    for state in ["已接受", "服务中", "已完成"] {
        t.keys(&[">"]);
        t.wait_for(&format!("对接 {id} 现为「{state}」"));
    }
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");

    let json: serde_json::Value =
        serde_json::from_str(&sanshe(&t.db(), &["link", "list", "--format", "json"])).unwrap();
    let l = json
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id.as_str())
        .unwrap_or_else(|| panic!("linkage {id} in {json}"));
    assert_eq!(l["state"], "done", "{l}");
    assert!(l["finished"].is_string(), "{l}");
}
