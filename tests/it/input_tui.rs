//! Typing as staff type, through the app's update: Chinese punctuation
//! keys (`、` `？`) act as `/` and `?`, a Chinese character over a list
//! starts a search, a pre-filled value is replaced by the first character
//! typed, pickers in filters and forms match alike (`bs4`), pane 1 finds by
//! person in charge and phone, keys do nothing while the window is too
//! small, `Esc` with nothing to close says nothing, and `?` lists the
//! editing keys.

use crate::tui_support::Harness;
use chrono::NaiveDate;
use sanshe::model::{Kind, Lang, Record};
use sanshe::tui::popups::help::HelpLine;
use sanshe::tui::popups::Popup;
use sanshe::tui::widgets::FieldValue;

#[test]
fn chinese_punctuation_keys_act_as_their_ascii_keys() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    // `、` is what `/` sends in Chinese punctuation mode.
    h.type_text("、");
    assert!(h.app.panes.orgs.searching, "、 starts the search");
    assert_eq!(h.app.panes.orgs.query(), "", "and is not typed into it");
    h.key("<Esc>");
    assert!(!h.app.panes.orgs.searching);
    // `？` opens help, and closes it.
    h.type_text("？");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Help(_))));
    h.type_text("？");
    assert!(h.app.shell.popups.is_empty());
    // In a text field they are typed as they are.
    h.key("/");
    h.type_text("、");
    assert_eq!(h.app.panes.orgs.query(), "、");
}

#[test]
fn a_chinese_character_over_the_list_starts_a_search_with_it() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let all = h.app.panes.orgs.view.len();
    h.type_text("望江门");
    assert!(h.app.panes.orgs.searching);
    assert_eq!(h.app.panes.orgs.query(), "望江门");
    assert!(h.app.panes.orgs.view.len() < all && !h.app.panes.orgs.view.is_empty());
    assert!(h
        .app
        .panes
        .orgs
        .selected_row()
        .unwrap()
        .name
        .contains("望江门"));
    h.key("<Esc>");
    // A paste over the list (an input method may send one) too.
    h.paste("保俶");
    assert!(h.app.panes.orgs.searching);
    assert_eq!(h.app.panes.orgs.query(), "保俶");
    // Letters keep their keys: `a` adds, it does not search.
    h.keys("<Esc> a");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Form(_))));
}

#[test]
fn bs4_finds_the_same_grid_in_filter_and_form_pickers() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    // The place filter (its options are the place names).
    h.keys("f p");
    h.type_text("bs4");
    h.key("<Enter>");
    let f = h
        .app
        .panes
        .orgs
        .filters
        .place
        .clone()
        .expect("a place picked");
    assert_eq!(
        (f.code.as_str(), f.name.as_str()),
        ("BSJ-01-04", "宝石四网格")
    );
    h.key("<Esc>");
    // The organization form's grid field (community / grid (code)).
    h.key("a");
    let Some(Popup::Form(p)) = h.app.shell.popups.last_mut() else {
        panic!("the form opens");
    };
    assert!(p.form.focus("grid"));
    h.type_text("bs4");
    h.key("<Enter>");
    let Some(Popup::Form(p)) = h.app.shell.popups.last() else {
        panic!("the form stays");
    };
    assert_eq!(
        p.form.value("grid"),
        Some(&FieldValue::Choice(Some("BSJ-01-04".into())))
    );
}

#[test]
fn pane_one_finds_by_person_in_charge_and_phone() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let org = "杭州市西湖区北山街道社区社会组织联合会";
    h.key("/");
    h.type_text("曹凤海");
    assert_eq!(h.app.panes.orgs.selected_row().unwrap().name, org);
    assert!(h.screen().contains("负责人 曹凤海"), "{}", h.screen());
    // By pinyin initials, as names are.
    h.key("<C-u>");
    h.type_text("cfh");
    assert!(h
        .app
        .panes
        .orgs
        .view
        .iter()
        .any(|&k| h.app.panes.orgs.rows[k as usize].name == org));
    // By any run of the phone number's digits.
    h.key("<C-u>");
    h.type_text("99374590");
    assert_eq!(h.app.panes.orgs.view.len(), 1);
    assert_eq!(h.app.panes.orgs.selected_row().unwrap().name, org);
    assert!(h.screen().contains("电话 19937459081"), "{}", h.screen());
    // A new person in charge is found at once (typed over the old one,
    // which the edit form shows selected).
    h.keys("<Enter> e");
    let Some(Popup::Form(p)) = h.app.shell.popups.last_mut() else {
        panic!("the edit form opens");
    };
    assert!(p.form.focus("contact"));
    h.type_text("邝美云");
    h.key("<C-s>");
    assert!(h.app.shell.popups.is_empty(), "{}", h.screen());
    h.keys("<Esc> /");
    h.type_text("邝美云");
    assert_eq!(h.app.panes.orgs.selected_row().unwrap().name, org);
    h.key("<C-u>");
    h.type_text("曹凤海");
    assert!(h
        .app
        .panes
        .orgs
        .view
        .iter()
        .all(|&k| h.app.panes.orgs.rows[k as usize].name != org));
}

#[test]
fn keys_do_nothing_while_the_window_is_too_small() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.app.resize(60, 20);
    assert!(h.screen().contains("窗口太小"), "{}", h.screen());
    for k in ["a", "2", "d", "/", "<Enter>", "j"] {
        h.key(k);
        assert!(h.app.shell.quiet, "{k} draws nothing");
    }
    h.paste("湖滨");
    assert!(h.app.shell.popups.is_empty());
    assert_eq!(h.app.shell.active, 0);
    assert_eq!(h.app.panes.orgs.list.sel, 0);
    assert!(!h.app.panes.orgs.searching);
    // Large enough again: keys work.
    h.app.resize(80, 24);
    h.key("2");
    assert_eq!(h.app.shell.active, 1);
    // Quitting still works, and the message says how.
    h.app.resize(60, 20);
    h.key("1");
    assert_eq!(h.app.shell.active, 1);
    assert!(h.screen().contains("q 退出"), "{}", h.screen());
    h.key("q");
    assert!(h.app.shell.quit);
}

#[test]
fn esc_with_nothing_to_close_is_silent() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    // Pane 1 without a search or filter.
    h.key("<Esc>");
    assert_eq!(h.app.shell.status, None);
    assert!(h.app.shell.quiet, "nothing to draw");
    // Panes without an Esc binding.
    for pane in ["4", "6"] {
        h.key(pane);
        h.key("<Esc>");
        assert_eq!(h.app.shell.status, None, "pane {pane}");
        assert!(h.app.shell.quiet, "pane {pane}");
    }
    // Another unbound key still says how to get help.
    h.key("z");
    assert!(h.app.shell.status.is_some());
    // Esc then clears that message (a change: drawn).
    h.key("<Esc>");
    assert_eq!(h.app.shell.status, None);
    assert!(!h.app.shell.quiet);
}

#[test]
fn the_prefilled_date_of_quick_entry_is_replaced_by_what_is_typed() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.keys("3 a");
    assert!(h.app.panes.activities.form.is_some());
    h.type_text("bsssy");
    h.key("<Tab>");
    let form = h.app.panes.activities.form.as_ref().unwrap();
    assert_eq!(form.focused_key(), "date");
    assert_eq!(form.text("date"), Some("2026-11-28"));
    // No Ctrl-U: the first character replaces today's date.
    h.type_text("-1");
    assert_eq!(
        h.app.panes.activities.form.as_ref().unwrap().value("date"),
        Some(&FieldValue::Date(NaiveDate::from_ymd_opt(2026, 11, 27)))
    );
    h.key("<Tab>");
    h.type_text("摄影采风");
    h.key("<C-s>");
    assert!(h.app.panes.activities.form.is_none(), "{}", h.screen());
    let saved = h
        .store
        .all(Kind::Activity)
        .unwrap()
        .into_iter()
        .find_map(|(_, r)| match r {
            Record::Activity(a) if a.title == "摄影采风" => Some(a),
            _ => None,
        })
        .expect("saved");
    assert_eq!(saved.date, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
}

#[test]
fn help_lists_the_editing_keys() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.key("/");
    h.key("<F1>");
    let Some(Popup::Help(help)) = h.app.shell.popups.last() else {
        panic!("help opens from the search line");
    };
    let entries: Vec<(&str, &str)> = help
        .lines
        .iter()
        .filter_map(|l| match l {
            HelpLine::Entry { keys, desc } => Some((keys.as_str(), desc.as_str())),
            _ => None,
        })
        .collect();
    for (key, what) in [
        ("C-u", "删除到开头"),
        ("C-w", "删除左边一个词"),
        ("Home", "到开头"),
        ("End", "到末尾"),
    ] {
        assert!(
            entries
                .iter()
                .any(|(k, d)| k.split(" / ").any(|x| x == key) && *d == what),
            "{key}: {entries:?}"
        );
    }
    assert!(entries.iter().any(|(_, d)| d.contains("预填")));
}
