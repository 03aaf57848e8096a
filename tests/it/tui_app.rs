//! `update()` tests: keys and actions in, state out, no terminal. The app
//! runs on a real store in a temporary directory; the worker's answers are
//! delivered synchronously (see `tui_support`).

use crate::tui_support::Harness;
use sanshe::model::{Lang, OrgType, RegState};
use sanshe::tui::action::Action;
use sanshe::tui::app::{Effect, Tone};
use sanshe::tui::keymap::Keymap;
use sanshe::tui::popups::Popup;

fn selected_name(h: &Harness) -> String {
    h.app
        .panes
        .orgs
        .selected_row()
        .map(|r| r.name.clone())
        .unwrap_or_default()
}

fn store_names(h: &Harness) -> Vec<String> {
    h.store
        .orgs()
        .unwrap()
        .into_iter()
        .map(|(_, o)| o.name)
        .collect()
}

#[test]
fn loads_and_shows_the_first_rows_in_pinyin_order() {
    let h = Harness::demo(Lang::Zh, 120, 40);
    assert!(!h.app.shell.loading);
    assert!(h.app.panes.orgs.has_index());
    assert_eq!(h.app.panes.orgs.view.len(), h.store.org_count());
    let keys: Vec<&str> = h
        .app
        .panes
        .orgs
        .view
        .iter()
        .take(50)
        .map(|&k| h.app.panes.orgs.rows[k as usize].sort_key.as_str())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // The detail of the first row was asked for and arrived.
    let d = h.app.panes.orgs.detail.as_ref().expect("detail");
    assert_eq!(d.id, h.app.panes.orgs.selected_row().unwrap().id);
    assert_eq!(h.app.shell.awaiting, 0);
}

#[test]
fn navigation_keys_move_and_fetch_the_detail() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let page = h.app.panes.orgs.page;
    h.keys("j j <Down>");
    assert_eq!(h.app.panes.orgs.list.sel, 3);
    assert_eq!(
        h.app.panes.orgs.detail.as_ref().unwrap().id,
        h.app.panes.orgs.selected_row().unwrap().id
    );
    h.key("k");
    assert_eq!(h.app.panes.orgs.list.sel, 2);
    h.key("<PageDown>");
    assert_eq!(h.app.panes.orgs.list.sel, 2 + page);
    assert_eq!(h.app.panes.orgs.list.top, page);
    h.key("<PageUp>");
    assert_eq!(
        (h.app.panes.orgs.list.sel, h.app.panes.orgs.list.top),
        (2, 0)
    );
    h.key("G");
    assert_eq!(h.app.panes.orgs.list.sel, h.app.panes.orgs.view.len() - 1);
    assert!(h.app.panes.orgs.list.top + page >= h.app.panes.orgs.view.len());
    h.key("g");
    assert_eq!(
        (h.app.panes.orgs.list.sel, h.app.panes.orgs.list.top),
        (0, 0)
    );
    h.key("<End>");
    h.key("<Home>");
    assert_eq!(h.app.panes.orgs.list.sel, 0);
    // Moving past the bottom of the screen scrolls by half a page.
    for _ in 0..page {
        h.key("<Down>");
    }
    assert_eq!(h.app.panes.orgs.list.sel, page);
    assert_eq!(h.app.panes.orgs.list.top, page / 2 + 1);
}

#[test]
fn search_is_live_keeps_on_enter_and_clears_on_esc() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let total = h.app.panes.orgs.view.len();
    h.key("/");
    assert!(h.app.panes.orgs.searching);
    assert!(h.app.text_focus());
    h.type_text("bcsqmq");
    assert_eq!(selected_name(&h), "保俶社区门球队");
    assert!(h.app.panes.orgs.view.len() < total);
    let key = h.app.panes.orgs.view[0];
    let marks = h.app.panes.orgs.highlights.get(&key).expect("highlighted");
    assert_eq!(marks, &vec![0, 1, 2, 3, 4, 5]);
    // `q` is typed, not quit.
    h.type_text("q");
    assert!(!h.app.shell.quit);
    assert_eq!(h.app.panes.orgs.search.value(), "bcsqmqq");
    h.key("<Backspace>");
    h.key("<Enter>");
    assert!(!h.app.panes.orgs.searching);
    assert_eq!(h.app.panes.orgs.query(), "bcsqmq");
    let kept = h.app.panes.orgs.view.len();
    assert!(kept < total);
    h.key("j");
    h.key("<Esc>");
    assert_eq!(h.app.panes.orgs.query(), "");
    assert_eq!(h.app.panes.orgs.view.len(), total);
    // Esc while typing clears too.
    h.key("/");
    h.type_text("湖滨");
    h.key("<Esc>");
    assert!(!h.app.panes.orgs.searching);
    assert_eq!(h.app.panes.orgs.view.len(), total);
}

#[test]
fn search_by_initials_and_chinese() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.key("/");
    h.type_text("门球");
    assert!(selected_name(&h).contains("门球"));
    h.key("<Esc>");
    h.key("/");
    h.paste("bcsq\nmqd");
    assert_eq!(h.app.panes.orgs.search.value(), "bcsq mqd");
}

#[test]
fn add_an_organization_through_the_form_then_undo() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let before = h.store.org_count();
    h.key("a");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Form(_))));
    // The cursor is in the name field, inside the popup.
    let (x, y) = h.cursor().expect("cursor shown in the form");
    assert!(x > 20 && y >= 2, "{x},{y}");
    h.type_text("测试社区读书会");
    h.key("<C-s>");
    assert!(h.app.shell.popups.is_empty(), "form closed after saving");
    assert_eq!(h.store.org_count(), before + 1);
    assert!(store_names(&h).contains(&"测试社区读书会".to_string()));
    assert_eq!(selected_name(&h), "测试社区读书会");
    assert_eq!(h.app.shell.status.as_ref().unwrap().tone, Tone::Ok);
    let saved = h
        .store
        .orgs()
        .unwrap()
        .into_iter()
        .find(|(_, o)| o.name == "测试社区读书会")
        .unwrap()
        .1;
    assert_eq!(saved.kind, OrgType::Community);
    h.key("u");
    assert_eq!(h.store.org_count(), before);
    assert!(!store_names(&h).contains(&"测试社区读书会".to_string()));
    assert!(!h
        .app
        .panes
        .orgs
        .view
        .iter()
        .any(|&k| h.app.panes.orgs.rows[k as usize].name == "测试社区读书会"));
    h.key("u");
    assert!(h
        .app
        .shell
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("没有可撤销"));
}

#[test]
fn a_form_with_errors_is_not_saved() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let before = h.store.org_count();
    h.key("a");
    h.key("<C-s>");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Form(_))));
    assert_eq!(h.store.org_count(), before);
    match h.app.shell.popups.last() {
        Some(Popup::Form(f)) => assert_eq!(f.form.error("name"), Some("必填")),
        _ => unreachable!(),
    }
    // A bad phone number is refused with its rule, nothing written.
    h.type_text("甲乙丙读书会");
    for _ in 0..7 {
        h.key("<Tab>");
    }
    match h.app.shell.popups.last() {
        Some(Popup::Form(f)) => assert_eq!(f.form.focused_key(), "phone"),
        _ => unreachable!(),
    }
    h.type_text("12345");
    h.key("<C-s>");
    assert_eq!(h.store.org_count(), before);
    match h.app.shell.popups.last() {
        Some(Popup::Form(f)) => assert!(f.form.error("phone").is_some()),
        _ => unreachable!(),
    }
}

#[test]
fn esc_asks_before_throwing_away_typed_input() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.key("a");
    h.key("<Esc>");
    assert!(
        h.app.shell.popups.is_empty(),
        "nothing typed: closes at once"
    );
    h.key("a");
    h.type_text("半截");
    h.key("<Esc>");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Confirm(_))));
    h.key("n");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Form(_))));
    assert!(h.app.form_draft().is_some());
    h.key("<Esc>");
    h.key("y");
    assert!(h.app.shell.popups.is_empty());
}

#[test]
fn a_possible_duplicate_is_shown_and_a_second_save_confirms() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let before = h.store.org_count();
    h.key("a");
    h.type_text("保俶社区门球队");
    h.key("<Tab>");
    h.key("<Tab>");
    match h.app.shell.popups.last() {
        Some(Popup::Form(f)) => assert_eq!(f.form.focused_key(), "grid"),
        _ => unreachable!(),
    }
    h.type_text("BSJ-02-01");
    h.key("<Enter>");
    h.key("<C-s>");
    assert_eq!(h.store.org_count(), before, "warned, not saved");
    match h.app.shell.popups.last() {
        Some(Popup::Form(f)) => {
            let w = f.form.warning().expect("duplicate warning");
            assert!(w.contains("保俶社区门球队"), "{w}");
        }
        _ => panic!("form closed"),
    }
    h.key("<C-s>");
    assert_eq!(h.store.org_count(), before + 1);
    assert!(h.app.shell.popups.is_empty());
}

#[test]
fn edit_then_undo_restores_the_old_values() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.key("/");
    h.type_text("bcsqmqd");
    h.key("<Enter>");
    let id = h.app.panes.orgs.selected_row().unwrap().id.clone();
    h.key("e");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Form(_))));
    h.key("<End>");
    h.type_text("二队");
    h.key("<C-s>");
    assert!(h.app.shell.popups.is_empty());
    assert_eq!(
        h.store.org(&id).unwrap().unwrap().name,
        "保俶社区门球队二队"
    );
    assert_eq!(
        h.app
            .panes
            .orgs
            .detail
            .as_ref()
            .unwrap()
            .org
            .as_ref()
            .unwrap()
            .name,
        "保俶社区门球队二队"
    );
    h.key("u");
    let org = h.store.org(&id).unwrap().unwrap();
    assert_eq!(org.name, "保俶社区门球队");
    assert_eq!(org.phone.as_deref(), Some("15132974271"));
}

#[test]
fn delete_asks_then_undo_restores() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let before = h.store.org_count();
    let id = h.app.panes.orgs.selected_row().unwrap().id.clone();
    h.key("d");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Confirm(_))));
    h.key("n");
    assert_eq!(h.store.org_count(), before);
    h.key("d");
    h.key("y");
    assert_eq!(h.store.org_count(), before - 1);
    assert!(h.store.org(&id).unwrap().is_none());
    assert_ne!(h.app.panes.orgs.selected_row().unwrap().id, id);
    assert_eq!(h.app.panes.orgs.live(), before - 1);
    h.key("u");
    assert_eq!(h.store.org_count(), before);
    assert!(h.store.org(&id).unwrap().is_some());
    assert_eq!(h.app.panes.orgs.selected_row().unwrap().id, id);
}

#[test]
fn filters_through_pickers_and_clear() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let total = h.app.panes.orgs.view.len();
    h.keys("f t");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Picker(_))));
    h.type_text("jjh");
    h.key("<Enter>");
    assert!(h.app.shell.popups.is_empty());
    assert_eq!(h.app.panes.orgs.filters.kind, Some(OrgType::Foundation));
    assert!(h.app.panes.orgs.view.len() < total);
    assert!(h
        .app
        .panes
        .orgs
        .view
        .iter()
        .all(|&k| h.app.panes.orgs.rows[k as usize].kind == OrgType::Foundation));
    h.keys("f s");
    h.type_text("ydj");
    h.key("<Enter>");
    assert_eq!(h.app.panes.orgs.filters.state, Some(RegState::Registered));
    h.keys("f p");
    h.type_text("bc");
    h.key("<Esc>");
    assert!(
        h.app.panes.orgs.filters.place.is_none(),
        "Esc leaves the filter as it was"
    );
    h.key("<Esc>");
    assert!(h.app.panes.orgs.filters.is_empty());
    assert_eq!(h.app.panes.orgs.view.len(), total);
    // A community takes in its grid cells.
    h.keys("f p");
    h.type_text("BSJ-02");
    h.key("<Enter>");
    let f = h.app.panes.orgs.filters.place.clone().unwrap();
    assert_eq!(f.code, "BSJ-02");
    assert!(!h.app.panes.orgs.view.is_empty());
    assert!(h
        .app
        .panes
        .orgs
        .view
        .iter()
        .all(|&k| h.app.panes.orgs.rows[k as usize]
            .grid
            .as_deref()
            .unwrap_or("")
            .starts_with("BSJ-02")));
}

#[test]
fn sort_orders() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.keys("s f");
    let dates: Vec<_> = h
        .app
        .panes
        .orgs
        .view
        .iter()
        .filter_map(|&k| h.app.panes.orgs.rows[k as usize].founded)
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    h.keys("s r");
    let first = &h.app.panes.orgs.rows[h.app.panes.orgs.view[0] as usize];
    assert!(first.rating.is_some());
    h.keys("s -");
    assert!(h.app.panes.orgs.reverse);
    let last = &h.app.panes.orgs.rows[*h.app.panes.orgs.view.last().unwrap() as usize];
    assert!(last.rating.is_some());
}

#[test]
fn help_opens_and_closes_and_q_quits() {
    let mut h = Harness::demo(Lang::En, 80, 24);
    h.key("?");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Help(_))));
    h.key("j");
    h.key("q");
    assert!(h.app.shell.popups.is_empty());
    assert!(!h.app.shell.quit);
    h.key("q");
    assert!(h.app.shell.quit);
}

#[test]
fn chords_wait_for_the_next_key() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.key("f");
    assert_eq!(h.app.shell.pending.len(), 1);
    assert!(h.screen().contains("按社区/网格筛选"), "which-key box");
    h.key("x");
    assert!(h.app.shell.pending.is_empty());
    assert!(h.app.shell.popups.is_empty());
    assert!(h.app.shell.status.is_some(), "unbound chord reported");
    h.key("s");
    h.key("<Esc>");
    assert!(h.app.shell.pending.is_empty());
    assert!(h.app.shell.status.is_none(), "Esc drops a chord quietly");
    assert_eq!(h.app.panes.orgs.query(), "");
}

#[test]
fn pane_keys() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.key("<Tab>");
    assert_eq!(h.app.shell.active, 1);
    h.key("1");
    assert_eq!(h.app.shell.active, 0);
    h.key("2");
    assert_eq!(h.app.shell.active, 1, "2 is 三社联动");
    h.key("<Tab>");
    assert_eq!(h.app.shell.active, 2, "then 活动");
    h.key("<Tab>");
    assert_eq!(h.app.shell.active, 3, "then 概览");
    let n = h.app.pane_titles().len();
    for i in 4..n {
        h.key("<Tab>");
        assert_eq!(h.app.shell.active, i, "then pane {}", i + 1);
    }
    h.key("<Tab>");
    assert_eq!(h.app.shell.active, 0, "Tab goes round");
    // A digit key with no pane behind it says so (while there is one).
    if n < 9 {
        let missing = (n + 1).to_string();
        h.key(&missing);
        let status = h.app.shell.status.as_ref().unwrap();
        assert!(status.text.contains(&missing));
        assert_eq!(h.app.shell.active, 0);
    }
}

#[test]
fn unknown_keys_say_so() {
    let mut h = Harness::demo(Lang::En, 120, 40);
    h.key("z");
    assert!(h
        .app
        .shell
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("not bound"));
    h.key("j");
    assert!(
        h.app.shell.status.is_none(),
        "a message lasts until the next key"
    );
}

#[test]
fn small_windows_ask_for_more_room() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.app.resize(60, 20);
    let s = h.screen();
    // The message only (wrapped to the width), nothing else.
    assert!(
        s.lines().filter(|l| !l.trim().is_empty()).count() <= 3,
        "{s}"
    );
    assert!(s.contains("80x24"), "{s}");
    assert!(!s.contains("组织"), "{s}");
    h.app.resize(80, 24);
    assert!(h.screen().contains("组织"));
}

#[test]
fn the_emacs_keymap_uses_chords() {
    let mut h = Harness::with_keymap(
        Lang::Zh,
        sanshe::demo::fixture_records().unwrap(),
        120,
        40,
        Keymap::load(Some("emacs"), None).unwrap(),
    );
    h.key("<C-n>");
    assert_eq!(h.app.panes.orgs.list.sel, 1);
    h.key("<C-x>");
    h.key("<C-c>");
    assert!(h.app.shell.quit);
}

#[test]
fn an_unsaved_form_becomes_a_draft_and_comes_back() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    assert!(h.app.form_draft().is_none());
    h.key("a");
    assert!(h.app.form_draft().is_none(), "nothing typed yet");
    h.type_text("望江门社区银龄互助会");
    let draft = h.app.form_draft().expect("draft");
    sanshe::tui::draft::save(h.dir.path(), &draft).unwrap();
    // Next start: the draft is offered once the data is loaded.
    let loaded = sanshe::tui::draft::load(h.dir.path()).unwrap();
    let mut h2 = Harness::demo(Lang::Zh, 120, 40);
    h2.app.offer_draft(loaded);
    assert!(matches!(
        h2.app.shell.popups.last(),
        Some(Popup::Confirm(_))
    ));
    assert!(h2.screen().contains("望江门社区银龄互助会"));
    h2.key("y");
    match h2.app.shell.popups.last() {
        Some(Popup::Form(f)) => assert_eq!(f.form.text("name"), Some("望江门社区银龄互助会")),
        _ => panic!("form expected"),
    }
    assert!(h2.other.contains(&Effect::RemoveDraft));
    h2.key("<C-s>");
    assert!(store_names(&h2).contains(&"望江门社区银龄互助会".to_string()));
}

#[test]
fn actions_run_without_keys() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    h.action(Action::Down);
    h.action(Action::Down);
    assert_eq!(h.app.panes.orgs.list.sel, 2);
    h.action(Action::DetailToggle);
    assert!(!h.app.panes.orgs.detail_shown);
    let page_without = h.app.panes.orgs.page;
    h.action(Action::DetailToggle);
    assert!(h.app.panes.orgs.page < page_without);
    h.action(Action::Quit);
    assert!(h.app.shell.quit);
}

#[test]
fn the_bottom_bar_follows_the_keymap() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[orgs]\nkeymap = [ { on = \"n\", run = \"org.add\" }, { on = \"a\", run = \"noop\" } ]\n",
    )
    .unwrap();
    let keymap = Keymap::load(None, Some(dir.path())).unwrap();
    let h = Harness::with_keymap(
        Lang::Zh,
        sanshe::demo::fixture_records().unwrap(),
        120,
        40,
        keymap,
    );
    let last = h.screen().lines().last().unwrap().to_string();
    assert!(last.contains("n 新增"), "{last}");
    assert!(!last.contains("a 新增"), "{last}");
}

#[test]
fn the_loop_knows_a_detail_is_on_its_way() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    // A move asks for the new row's detail: the loop waits for it (briefly)
    // so the move and the detail go out as one frame.
    let fx = h
        .app
        .on_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    assert_eq!(h.app.shell.awaiting, 1);
    h.pump(fx);
    assert_eq!(h.app.shell.awaiting, 0);
    // Typing a search that changes the selection does too.
    h.key("/");
    let fx = h
        .app
        .on_key(KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE));
    assert_eq!(h.app.shell.awaiting, fx.len());
    h.pump(fx);
    assert_eq!(h.app.shell.awaiting, 0);
}

/// At 80x24 the detail panel cannot show every line of an organization
/// with roster fields; `I` gives the detail the whole pane (the id last)
/// and takes it back.
#[test]
fn the_whole_detail_fits_on_a_small_screen() {
    let mut h = Harness::demo(Lang::Zh, 80, 24);
    let id = h.app.panes.orgs.selected_row().unwrap().id.clone();
    let mut org = h.store.org(&id).unwrap().unwrap();
    let before = org.clone();
    org.legal_representative = Some("孙丽".into());
    org.registration_number = Some("浙西民证字第0101号".into());
    org.business_scope = Some("邻里互助".into());
    h.store
        .execute(sanshe::store::Command::Update {
            id: id.clone(),
            before: sanshe::model::Record::Org(before),
            after: sanshe::model::Record::Org(org),
        })
        .unwrap();
    h.action(Action::Down);
    h.action(Action::Up);
    // The screen shows ids masked but for their sequence number.
    let seq = &id[id.rfind('-').unwrap()..];
    assert!(
        !h.screen().contains(seq),
        "cut from the panel: {}",
        h.screen()
    );
    h.key("I");
    let screen = h.screen();
    assert!(screen.contains(seq), "{screen}");
    assert!(screen.contains("浙西民证字第0101号"), "{screen}");
    h.key("I");
    assert!(!h.screen().contains(seq));
}
