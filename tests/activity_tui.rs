//! The 活动 (activities) pane through the app's update: switching to it,
//! newest first, the month filter and its totals, quick entry (saving, and
//! the second entry pre-filled), plus snapshots at 80x24 and 120x40 in
//! Chinese and English.

mod tui_support;

use sanshe::model::activity::month_key;
use sanshe::model::{Activity, Kind, Lang, Record};
use sanshe::tui::action::Action;
use sanshe::tui::app::PANE_ACTIVITIES;
use tui_support::{today, Harness};

/// The demo township with its activities, at `w` x `h`.
fn demo(lang: Lang, w: u16, h: u16) -> Harness {
    let h = Harness::demo(lang, w, h);
    sanshe::demo::load_activities(&h.store).unwrap();
    h
}

fn stored(h: &Harness) -> Vec<(String, Activity)> {
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

fn shown_dates(h: &Harness) -> Vec<chrono::NaiveDate> {
    let p = &h.app.activities;
    let d = p.data.as_ref().unwrap();
    p.shown
        .iter()
        .map(|&n| d.log.slot(n).unwrap().activity.date)
        .collect()
}

#[test]
fn pane_three_lists_newest_first_with_totals() {
    let mut h = demo(Lang::Zh, 120, 40);
    let all = stored(&h);
    h.key("3");
    assert_eq!(h.app.active, PANE_ACTIVITIES);
    let dates = shown_dates(&h);
    assert_eq!(dates.len(), all.len());
    assert!(dates.len() >= 1_000);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let p = &h.app.activities;
    assert_eq!(p.totals.activities as usize, all.len());
    let participants: u64 = all
        .iter()
        .map(|(_, a)| a.participants.unwrap_or(0) as u64)
        .sum();
    assert_eq!(p.totals.participants, participants);
    let screen = h.screen();
    assert!(screen.contains("3 活动"), "{screen}");
    assert!(screen.contains(&format!("共 {} 场", all.len())), "{screen}");
}

#[test]
fn month_filter_changes_totals() {
    let mut h = demo(Lang::Zh, 120, 40);
    let all = stored(&h);
    h.key("3");
    h.key("[");
    let now = month_key(today());
    assert_eq!(h.app.activities.filter.month, Some(now));
    let this: Vec<_> = all.iter().filter(|(_, a)| a.month() == now).collect();
    assert_eq!(h.app.activities.totals.activities as usize, this.len());
    h.key("[");
    let before = sanshe::model::activity::prev_month(now);
    let prev: Vec<_> = all.iter().filter(|(_, a)| a.month() == before).collect();
    assert!(!prev.is_empty());
    assert_eq!(h.app.activities.totals.activities as usize, prev.len());
    let hours: u64 = prev
        .iter()
        .map(|(_, a)| a.volunteer_tenths.unwrap_or(0) as u64)
        .sum();
    assert_eq!(h.app.activities.totals.volunteer_tenths, hours);
    assert!(shown_dates(&h).iter().all(|d| month_key(*d) == before));
    h.key("]");
    assert_eq!(h.app.activities.filter.month, Some(now));
    h.key("<Esc>");
    assert_eq!(h.app.activities.totals.activities as usize, all.len());
}

#[test]
fn kind_filter_uses_the_picker() {
    let mut h = demo(Lang::En, 120, 40);
    let all = stored(&h);
    h.key("3");
    h.keys("f k");
    h.type_text("training");
    h.key("<Enter>");
    let n = all
        .iter()
        .filter(|(_, a)| a.kind == sanshe::model::ActivityKind::Training)
        .count();
    assert!(n > 0);
    assert_eq!(h.app.activities.totals.activities as usize, n);
}

#[test]
fn organization_and_community_filters() {
    let mut h = demo(Lang::Zh, 120, 40);
    let all = stored(&h);
    let orgs = h.store.orgs().unwrap();
    let (id, _) = orgs
        .iter()
        .find(|(_, o)| o.name == "杭州市西湖区宝石山摄影协会")
        .unwrap();
    h.key("3");
    h.keys("f o");
    h.type_text("bsssy");
    h.key("<Enter>");
    assert_eq!(h.app.activities.filter.org.as_ref(), Some(id));
    let n = all.iter().filter(|(_, a)| a.orgs.contains(id)).count();
    assert!(n > 0);
    assert_eq!(h.app.activities.totals.activities as usize, n);
    assert!(h.screen().contains("宝石山摄影协会"));
    h.keys("f c");
    assert!(h.app.activities.filter.is_empty());
    // Community: the picker lists communities only.
    h.keys("f p");
    h.type_text("bssq");
    h.key("<Enter>");
    let c = h.app.activities.filter.community.clone().unwrap();
    let n = h.app.activities.totals.activities as usize;
    assert!(n > 0 && n < all.len(), "{c}: {n}");
}

#[test]
fn quick_entry_saves_and_remembers() {
    let mut h = demo(Lang::Zh, 120, 40);
    let before = stored(&h).len();
    let orgs = h.store.orgs().unwrap();
    h.key("3");
    h.key("a");
    // Saving an empty form shows errors on organization and title.
    h.key("<C-s>");
    let form = h.app.activities.form.as_ref().unwrap();
    assert!(form.error("orgs").is_some());
    assert!(form.error("title").is_some());
    assert_eq!(stored(&h).len(), before);
    // Pick the organization by its pinyin initials, accept with Tab.
    let (org_id, org) = orgs
        .iter()
        .find(|(_, o)| o.name == "杭州市西湖区宝石山摄影协会")
        .or_else(|| orgs.first())
        .unwrap();
    let initials: String = sanshe::search::initials(&org.name);
    h.app.activities.form.as_mut().unwrap().focus("orgs");
    h.type_text(&initials);
    h.key("<Tab>");
    h.keys("<C-u>");
    h.type_text("-1");
    h.key("<Tab>");
    h.type_text("重阳节敬老活动");
    h.key("<C-s>");
    assert!(h.app.activities.form.is_none(), "{}", h.screen());
    let now = stored(&h);
    assert_eq!(now.len(), before + 1);
    let (id1, a1) = now
        .iter()
        .find(|(_, a)| a.title == "重阳节敬老活动")
        .unwrap()
        .clone();
    assert_eq!(a1.orgs, vec![org_id.clone()]);
    assert_eq!(a1.date, today().pred_opt().unwrap());
    // The new one is in the list and the totals.
    let p = &h.app.activities;
    assert_eq!(p.totals.activities as usize, before + 1);
    assert_eq!(p.selected().map(|(id, _)| id.to_string()), Some(id1));
    // The second entry: `a`, the title, Ctrl-s.
    h.key("a");
    let form = h.app.activities.form.as_ref().unwrap();
    assert_eq!(form.focused_key(), "title");
    h.type_text("书法讲座");
    h.key("<C-s>");
    let a2 = stored(&h)
        .into_iter()
        .find(|(_, a)| a.title == "书法讲座")
        .unwrap()
        .1;
    assert_eq!(a2.orgs, a1.orgs);
    assert_eq!(a2.date, a1.date);
    assert_eq!(a2.grid, a1.grid);
    assert_eq!(h.app.activities.totals.activities as usize, before + 2);
}

#[test]
fn quick_entry_remembers_the_place() {
    let mut h = demo(Lang::En, 120, 40);
    h.key("3");
    let grid = h
        .app
        .shared
        .places
        .iter()
        .find(|p| p.level == sanshe::model::PlaceLevel::Grid)
        .unwrap()
        .code
        .clone();
    h.key("a");
    let org = h.app.activities.data.as_ref().unwrap().orgs[0].0.clone();
    {
        let f = h.app.activities.form.as_mut().unwrap();
        f.set_value(
            "orgs",
            sanshe::tui::widgets::FieldValue::Choice(Some(org.clone())),
        );
        f.set_value(
            "grid",
            sanshe::tui::widgets::FieldValue::Choice(Some(grid.clone())),
        );
        f.focus("title");
    }
    h.type_text("Park clean-up");
    h.key("<C-s>");
    assert!(h.app.activities.form.is_none());
    h.key("a");
    let f = h.app.activities.form.as_ref().unwrap();
    assert_eq!(
        f.value("grid"),
        Some(&sanshe::tui::widgets::FieldValue::Choice(Some(grid)))
    );
    assert_eq!(
        f.value("orgs"),
        Some(&sanshe::tui::widgets::FieldValue::Choice(Some(org)))
    );
    // Esc closes it without saving.
    h.key("<Esc>");
    assert!(h.app.activities.form.is_none());
}

#[test]
fn down_moves_the_selection() {
    let mut h = demo(Lang::Zh, 80, 24);
    h.key("3");
    h.action(Action::Down);
    h.action(Action::Down);
    assert_eq!(h.app.activities.sel, 2);
    h.action(Action::PageDown);
    assert!(h.app.activities.top > 0);
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

fn each(name: &str, setup: impl Fn(&mut Harness)) {
    for (lang, l) in LANGS {
        for (w, hgt) in SIZES {
            let mut h = demo(lang, w, hgt);
            setup(&mut h);
            insta::assert_snapshot!(format!("{name}_{l}_{w}x{hgt}"), h.screen());
        }
    }
}

#[test]
fn snapshot_pane() {
    each("activities", |h| h.key("3"));
}

#[test]
fn snapshot_month_filter() {
    each("activities_month", |h| h.keys("3 [ ["));
}

#[test]
fn snapshot_quick_entry_with_errors() {
    each("activities_quick", |h| h.keys("3 a <C-s>"));
}
