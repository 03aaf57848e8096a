//! The 活动 (activities) pane through the app's update: switching to it,
//! newest first, the month filter and its totals, quick entry, snapshots at
//! 80x24 and 120x40 in Chinese and English; then editing, deleting and
//! undoing both (the totals and the dashboard's figures following).

use crate::tui_support::{today, Harness};
use sanshe::model::activity::month_key;
use sanshe::model::{Activity, Kind, Lang, Record};
use sanshe::tui::action::Action;
use sanshe::tui::app::PANE_ACTIVITIES;

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
    let p = &h.app.panes.activities;
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
    assert_eq!(h.app.shell.active, PANE_ACTIVITIES);
    let dates = shown_dates(&h);
    assert_eq!(dates.len(), all.len());
    assert!(dates.len() >= 1_000);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let p = &h.app.panes.activities;
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
    assert_eq!(h.app.panes.activities.filter.month, Some(now));
    let this: Vec<_> = all.iter().filter(|(_, a)| a.month() == now).collect();
    assert_eq!(
        h.app.panes.activities.totals.activities as usize,
        this.len()
    );
    h.key("[");
    let before = sanshe::model::activity::prev_month(now);
    let prev: Vec<_> = all.iter().filter(|(_, a)| a.month() == before).collect();
    assert!(!prev.is_empty());
    assert_eq!(
        h.app.panes.activities.totals.activities as usize,
        prev.len()
    );
    let hours: u64 = prev
        .iter()
        .map(|(_, a)| a.volunteer_tenths.unwrap_or(0) as u64)
        .sum();
    assert_eq!(h.app.panes.activities.totals.volunteer_tenths, hours);
    assert!(shown_dates(&h).iter().all(|d| month_key(*d) == before));
    h.key("]");
    assert_eq!(h.app.panes.activities.filter.month, Some(now));
    h.key("<Esc>");
    assert_eq!(h.app.panes.activities.totals.activities as usize, all.len());
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
    assert_eq!(h.app.panes.activities.totals.activities as usize, n);
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
    assert_eq!(h.app.panes.activities.filter.org.as_ref(), Some(id));
    let n = all.iter().filter(|(_, a)| a.orgs.contains(id)).count();
    assert!(n > 0);
    assert_eq!(h.app.panes.activities.totals.activities as usize, n);
    assert!(h.screen().contains("宝石山摄影协会"));
    h.keys("f c");
    assert!(h.app.panes.activities.filter.is_empty());
    // Community: the picker lists communities only.
    h.keys("f p");
    h.type_text("bssq");
    h.key("<Enter>");
    let c = h.app.panes.activities.filter.community.clone().unwrap();
    let n = h.app.panes.activities.totals.activities as usize;
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
    let form = h.app.panes.activities.form.as_ref().unwrap();
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
    h.app.panes.activities.form.as_mut().unwrap().focus("orgs");
    h.type_text(&initials);
    h.key("<Tab>");
    h.keys("<C-u>");
    h.type_text("-1");
    h.key("<Tab>");
    h.type_text("重阳节敬老活动");
    h.key("<C-s>");
    assert!(h.app.panes.activities.form.is_none(), "{}", h.screen());
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
    let p = &h.app.panes.activities;
    assert_eq!(p.totals.activities as usize, before + 1);
    assert_eq!(p.selected().map(|(id, _)| id.to_string()), Some(id1));
    // The second entry: `a`, the title, Ctrl-s.
    h.key("a");
    let form = h.app.panes.activities.form.as_ref().unwrap();
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
    assert_eq!(
        h.app.panes.activities.totals.activities as usize,
        before + 2
    );
}

#[test]
fn quick_entry_remembers_the_place() {
    let mut h = demo(Lang::En, 120, 40);
    h.key("3");
    let grid = h
        .app
        .shell
        .shared
        .places
        .iter()
        .find(|p| p.level == sanshe::model::PlaceLevel::Grid)
        .unwrap()
        .code
        .clone();
    h.key("a");
    let org = h.app.panes.activities.data.as_ref().unwrap().orgs[0]
        .0
        .clone();
    {
        let f = h.app.panes.activities.form.as_mut().unwrap();
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
    assert!(h.app.panes.activities.form.is_none());
    h.key("a");
    let f = h.app.panes.activities.form.as_ref().unwrap();
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
    assert!(h.app.panes.activities.form.is_none());
}

#[test]
fn down_moves_the_selection() {
    let mut h = demo(Lang::Zh, 80, 24);
    h.key("3");
    h.action(Action::Down);
    h.action(Action::Down);
    assert_eq!(h.app.panes.activities.list.sel, 2);
    h.action(Action::PageDown);
    assert!(h.app.panes.activities.list.top > 0);
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

#[test]
fn snapshot_edit_form() {
    each("activities_edit", |h| h.keys("3 e"));
}

#[test]
fn snapshot_delete_question() {
    each("activities_delete", |h| h.keys("3 d"));
}

fn stored_one(h: &Harness, id: &str) -> Option<Activity> {
    match h.store.get(Kind::Activity, id).unwrap() {
        Some(Record::Activity(a)) => Some(a),
        _ => None,
    }
}

fn selected(h: &Harness) -> (String, Activity) {
    let (id, a) = h
        .app
        .panes
        .activities
        .selected()
        .expect("a selected activity");
    (id.to_string(), a.clone())
}

/// The dashboard's figures as the pane keeps them, and as computed again
/// from the store (`r`): they must agree after changes made in pane 3.
fn dashboard_agrees(h: &mut Harness) {
    let kept = h.app.panes.dashboard.data.as_ref().unwrap().figures.clone();
    h.key("4");
    h.action(Action::DashboardReload);
    let fresh = h.app.panes.dashboard.data.as_ref().unwrap().figures.clone();
    assert_eq!(kept.activities, fresh.activities);
    assert_eq!(kept.months, fresh.months);
    h.key("3");
}

#[test]
fn edit_changes_the_title_and_undo_takes_it_back() {
    let mut h = demo(Lang::Zh, 120, 40);
    h.key("4"); // the dashboard computed before the edit
    h.key("3");
    h.key("j");
    let (id, before) = selected(&h);
    let totals = h.app.panes.activities.totals;
    h.key("e");
    let form = h.app.panes.activities.form.as_ref().expect("edit form");
    assert_eq!(form.focused_key(), "title");
    assert_eq!(form.text("title"), Some(before.title.as_str()));
    assert!(h.screen().contains("修改活动"), "{}", h.screen());
    h.key("<C-u>");
    h.type_text("敬老助餐（已更正）");
    // Participants corrected too: totals and dashboard must follow.
    h.app
        .panes
        .activities
        .form
        .as_mut()
        .unwrap()
        .focus("participants");
    h.key("<C-u>");
    h.type_text("77");
    h.key("<C-s>");
    assert!(h.app.panes.activities.form.is_none(), "{}", h.screen());
    let now = stored_one(&h, &id).unwrap();
    assert_eq!(now.title, "敬老助餐（已更正）");
    assert_eq!(now.participants, Some(77));
    // What the form does not show is kept.
    assert_eq!(now.date, before.date);
    assert_eq!(now.orgs, before.orgs);
    assert_eq!(now.venue, before.venue);
    assert_eq!(now.tags, before.tags);
    assert_eq!(selected(&h), (id.clone(), now.clone()));
    assert!(h.screen().contains("敬老助餐（已更正）"), "{}", h.screen());
    let t = h.app.panes.activities.totals;
    assert_eq!(t.activities, totals.activities);
    assert_eq!(
        t.participants + u64::from(before.participants.unwrap_or(0)),
        totals.participants + 77
    );
    dashboard_agrees(&mut h);
    // Undo: the title as it was, in the store and the list.
    h.key("u");
    assert_eq!(stored_one(&h, &id).unwrap(), before);
    assert_eq!(h.app.panes.activities.totals, totals);
    assert!(
        h.app
            .panes
            .activities
            .data
            .as_ref()
            .unwrap()
            .log
            .get(&id)
            .unwrap()
            .activity
            == before
    );
    dashboard_agrees(&mut h);
}

#[test]
fn edit_with_a_bad_value_writes_nothing() {
    let mut h = demo(Lang::En, 120, 40);
    h.key("3");
    let (id, before) = selected(&h);
    h.key("e");
    h.app.panes.activities.form.as_mut().unwrap().focus("hours");
    h.key("<C-u>");
    h.type_text("1.25");
    h.key("<C-s>");
    let form = h.app.panes.activities.form.as_ref().expect("still open");
    assert!(form.error("hours").is_some());
    assert_eq!(stored_one(&h, &id).unwrap(), before);
    // Esc asks first (something was typed); yes closes it, nothing written.
    h.key("<Esc>");
    assert!(
        h.app.panes.activities.form.is_some(),
        "asks before throwing input away"
    );
    h.key("y");
    assert!(h.app.panes.activities.form.is_none());
    assert!(h.app.panes.activities.editing.is_none());
    assert_eq!(stored_one(&h, &id).unwrap(), before);
    // Saving without a change writes nothing and says so.
    h.key("e");
    h.key("<C-s>");
    assert!(h.app.panes.activities.form.is_none());
    assert!(h.app.shell.shared.undo.is_empty());
}

#[test]
fn delete_asks_then_removes_and_undo_restores() {
    let mut h = demo(Lang::Zh, 120, 40);
    h.key("4");
    h.key("3");
    h.key("[");
    let month = h.app.panes.activities.totals;
    assert!(month.activities > 0);
    h.key("j");
    let sel = h.app.panes.activities.list.sel;
    let (id, a) = selected(&h);
    // No: nothing happens.
    h.key("d");
    assert!(asking(&h));
    let screen = h.screen();
    assert!(screen.contains("删除活动"), "{screen}");
    assert!(screen.contains("确认"), "{screen}");
    // Other keys do nothing while it asks.
    h.key("x");
    assert!(asking(&h));
    h.key("n");
    assert!(!asking(&h));
    assert!(stored_one(&h, &id).is_some());
    // Yes: gone from the store, the list and the month's totals.
    h.key("d");
    h.key("y");
    assert!(!asking(&h));
    assert!(stored_one(&h, &id).is_none());
    let t = h.app.panes.activities.totals;
    assert_eq!(t.activities, month.activities - 1);
    assert_eq!(
        t.participants,
        month.participants - u64::from(a.participants.unwrap_or(0))
    );
    assert!(h
        .app
        .panes
        .activities
        .data
        .as_ref()
        .unwrap()
        .log
        .get(&id)
        .is_none());
    assert_eq!(
        h.app.panes.activities.list.sel, sel,
        "the selection stays in place"
    );
    assert!(h.screen().contains("已删除"), "{}", h.screen());
    dashboard_agrees(&mut h);
    // Undo brings it back.
    h.key("u");
    assert_eq!(stored_one(&h, &id).unwrap(), a);
    assert_eq!(h.app.panes.activities.totals, month);
    assert_eq!(selected(&h).0, id);
    dashboard_agrees(&mut h);
}

#[test]
fn a_logged_activity_can_be_undone_from_the_organizations_pane() {
    let mut h = demo(Lang::Zh, 120, 40);
    h.key("4");
    h.key("3");
    let before = h.app.panes.activities.totals;
    let org = h.app.panes.activities.data.as_ref().unwrap().orgs[0]
        .0
        .clone();
    h.key("a");
    h.app
        .panes
        .activities
        .form
        .as_mut()
        .unwrap()
        .set_value("orgs", sanshe::tui::widgets::FieldValue::Choice(Some(org)));
    h.app.panes.activities.form.as_mut().unwrap().focus("title");
    h.type_text("社区议事会");
    h.key("<C-s>");
    assert_eq!(
        h.app.panes.activities.totals.activities,
        before.activities + 1
    );
    dashboard_agrees(&mut h);
    // `u` in pane 1 undoes it too: one undo log for the session.
    h.key("1");
    h.key("u");
    assert!(stored(&h).iter().all(|(_, a)| a.title != "社区议事会"));
    assert_eq!(h.app.panes.activities.totals, before);
    dashboard_agrees(&mut h);
}

#[test]
fn vim_keymap_deletes_with_dd() {
    let keymap = sanshe::tui::keymap::Keymap::shipped("vim")
        .unwrap()
        .unwrap();
    let mut h = Harness::with_keymap(
        Lang::Zh,
        sanshe::demo::fixture_records().unwrap(),
        120,
        40,
        keymap,
    );
    sanshe::demo::load_activities(&h.store).unwrap();
    h.key("3");
    let (id, _) = selected(&h);
    h.keys("d d");
    assert!(asking(&h));
    h.key("y");
    assert!(stored_one(&h, &id).is_none());
    h.key("u");
    assert!(stored_one(&h, &id).is_some());
}

/// Whether the delete question is open (the app's confirm popup).
fn asking(h: &Harness) -> bool {
    matches!(
        h.app.shell.popups.last(),
        Some(sanshe::tui::popups::Popup::Confirm(c))
            if c.asks::<sanshe::tui::panes::activities::Question>()
    )
}
