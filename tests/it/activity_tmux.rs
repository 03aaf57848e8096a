//! End to end in tmux: quick entry of two activities in the real binary
//! (120x40, demo database), then `sanshe activity list --format json`.
//! Skipped, with a message, when tmux is not installed.
//!
//! Keys: `3` (活动), `a`, the organization's pinyin initials, `Tab`
//! (takes it, on to the date, pre-filled with today), `Tab` (title), the
//! Chinese title (`send-keys -l`), `C-s`; then the second activity of the
//! same organization with `a`, the title and `C-s` only; then a third one
//! of the day before: `a`, `S-Tab` (back to the date), `-1` (replaces the
//! date shown), `Tab`, the title, `C-s`. These are the keystrokes of
//! README's table.

use crate::tmux_support::*;

#[test]
fn quick_entry_logs_two_activities() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["3"]);
    t.wait_for("共 1200 场");
    t.keys(&["a"]);
    t.wait_for("记录活动");
    t.type_text("bsssy");
    t.wait_for("宝石山摄影协会");
    t.keys(&["Tab"]);
    t.keys(&["Tab"]);
    t.type_text("湖畔摄影采风");
    t.wait_for("湖畔摄影采风");
    t.keys(&["C-s"]);
    t.wait_for("已记录：湖畔摄影采风");
    t.wait_for("共 1201 场");
    t.keys(&["a"]);
    t.wait_for("记录活动");
    t.type_text("摄影作品点评会");
    t.wait_for("摄影作品点评会");
    t.keys(&["C-s"]);
    t.wait_for("已记录：摄影作品点评会");
    t.wait_for("共 1202 场");
    t.keys(&["a"]);
    t.wait_for("记录活动");
    t.keys(&["BTab"]);
    t.type_text("-1");
    t.keys(&["Tab"]);
    t.type_text("摄影器材交流");
    t.wait_for("摄影器材交流");
    t.keys(&["C-s"]);
    t.wait_for("已记录：摄影器材交流");
    t.wait_for("共 1203 场");
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");

    let json = sanshe(&t.db(), &["activity", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1203);
    let find = |title: &str| {
        list.iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("{title} not in the list"))
            .clone()
    };
    let (a, b) = (find("湖畔摄影采风"), find("摄影作品点评会"));
    let orgs = sanshe(&t.db(), &["org", "list", "--format", "json"]);
    let orgs: serde_json::Value = serde_json::from_str(&orgs).unwrap();
    let org = orgs
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "杭州市西湖区宝石山摄影协会")
        .expect("the demo organization");
    assert_eq!(a["orgs"], serde_json::json!([org["id"]]));
    assert_eq!(b["orgs"], a["orgs"]);
    assert_eq!(b["date"], a["date"]);
    let today = chrono::Local::now().date_naive();
    assert_eq!(a["date"], today.to_string().as_str());
    let c = find("摄影器材交流");
    assert_eq!(c["orgs"], a["orgs"]);
    let yesterday = today.pred_opt().unwrap().to_string();
    assert_eq!(c["date"], yesterday.as_str());
}
