//! End to end in tmux for the 三社联动 pane: the real binary on a demo
//! database in a detached tmux session of 120x40, driven with `send-keys`,
//! read with `capture-pane`. Press `2`, select a need, propose the top
//! offer (confirming), take the linkage to done with `>` (a double press
//! moves it one step; done asks first), quit, and find it `done` with
//! `sanshe link list --format json`. Skipped, with a message, when tmux is
//! not installed.

use crate::tmux_support::*;

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
    let screen = t.wait_for("已为需求「");
    let need = screen
        .split("已为需求「")
        .nth(1)
        .and_then(|s| s.split('」').next())
        .expect("the need's title")
        .to_string();
    // A double press moves the linkage one step.
    t.keys(&[">", ">"]);
    t.wait_for("现为「已接受」");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let screen = t.capture();
    assert!(screen.contains("已接受："), "{screen}");
    assert!(!screen.contains("服务中："), "{screen}");
    std::thread::sleep(sanshe::tui::panes::linkage::STEP_REPEAT);
    t.keys(&[">"]);
    t.wait_for("现为「服务中」");
    std::thread::sleep(sanshe::tui::panes::linkage::STEP_REPEAT);
    // Done asks first.
    t.keys(&[">"]);
    t.wait_for("需求就此结束");
    t.keys(&["y"]);
    t.wait_for("现为「已完成」");
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");
    // One linkage of that need proposed and done today.
    let today = chrono::Local::now().date_naive().to_string();
    let json: serde_json::Value =
        serde_json::from_str(&sanshe(&t.db(), &["link", "list", "--format", "json"])).unwrap();
    let done: Vec<_> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["title"] == need.as_str() && l["proposed"] == today.as_str())
        .collect();
    assert_eq!(done.len(), 1, "{json}");
    assert_eq!(done[0]["state"], "done", "{}", done[0]);
    assert_eq!(done[0]["finished"], today.as_str(), "{}", done[0]);
}
