//! Words, not ids, in the app (`update()` tests on the demo township): the
//! bottom-bar messages after save, delete and undo in panes 1 and 3, the
//! confirmation before a delete, the possible-duplicate note after a save
//! and the form's message for a credit code already in use name records by
//! their names; no record id reaches the screen. (The sync pane's conflict
//! list: `tests/sync_tui.rs`, `conflicts_are_shown_in_words`.)

use crate::tui_support::Harness;
use sanshe::model::{Kind, Lang};
use sanshe::tui::app::PANE_ACTIVITIES;
use sanshe::tui::popups::Popup;

/// Every id in the database: none may be in `text`.
fn assert_no_id(h: &Harness, text: &str) {
    for kind in [Kind::Org, Kind::Activity] {
        for (id, _) in h.store.all(kind).unwrap() {
            assert!(!text.contains(&id), "{id}: {text}");
        }
    }
}

fn status(h: &Harness) -> String {
    h.app
        .shell
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Saves a new organization named `name` in grid `grid` (a second save
/// confirms a possible duplicate); returns the bottom bar after it.
fn add_org(h: &mut Harness, name: &str, grid: &str) -> String {
    h.key("a");
    h.type_text(name);
    h.key("<Tab>");
    h.key("<Tab>");
    h.type_text(grid);
    h.key("<Enter>");
    h.key("<C-s>");
    if !h.app.shell.popups.is_empty() {
        h.key("<C-s>");
    }
    assert!(h.app.shell.popups.is_empty(), "saved");
    status(h)
}

#[test]
fn pane_1_names_what_was_saved_deleted_and_undone() {
    for lang in [Lang::Zh, Lang::En] {
        let mut h = Harness::demo(lang, 120, 40);
        // A name close to 保俶社区门球队 in the same township: the note after
        // the save names the other organization, not its id.
        let said = add_org(&mut h, "保俶社区门球队", "BSJ-02-01");
        assert!(said.matches("保俶社区门球队").count() >= 2, "{said}");
        assert_no_id(&h, &said);
        h.key("d");
        let Some(Popup::Confirm(c)) = h.app.shell.popups.last() else {
            panic!("asks first");
        };
        let asked = c.text.clone();
        assert!(asked.contains("保俶社区门球队"), "{asked}");
        assert_no_id(&h, &asked);
        h.key("y");
        let said = status(&h);
        assert!(said.contains("保俶社区门球队"), "{said}");
        assert_no_id(&h, &said);
        h.key("u");
        let said = status(&h);
        assert!(said.contains("保俶社区门球队"), "{said}");
        assert_no_id(&h, &said);
        assert_no_id(&h, &h.screen());
    }
}

#[test]
fn a_credit_code_in_use_is_named_by_its_holder() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let (id, holder) = h
        .store
        .orgs()
        .unwrap()
        .into_iter()
        .find(|(_, o)| o.credit_code.is_some())
        .expect("an organization with a credit code");
    let code = holder.credit_code.clone().unwrap();
    h.key("a");
    h.type_text("测试社区读书会");
    for _ in 0..4 {
        h.key("<Tab>");
    }
    let Some(Popup::Form(f)) = h.app.shell.popups.last() else {
        panic!("form");
    };
    assert_eq!(f.form.focused_key(), "credit_code");
    h.type_text(&code);
    h.key("<C-s>");
    let Some(Popup::Form(f)) = h.app.shell.popups.last() else {
        panic!("refused: the form stays open");
    };
    let e = f.form.error("credit_code").expect("the field says why");
    assert!(e.contains(&holder.name) && !e.contains(&id), "{e}");
}

#[test]
fn pane_3_names_what_was_saved_deleted_and_undone() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    sanshe::demo::load_activities(&h.store).unwrap();
    h.key(&(PANE_ACTIVITIES + 1).to_string());
    let title = h
        .app
        .panes
        .activities
        .selected()
        .map(|(_, a)| a.title.clone())
        .expect("an activity");
    h.key("d");
    h.key("y");
    let said = status(&h);
    assert!(said.contains(&title), "{said}");
    assert_no_id(&h, &said);
    h.key("u");
    let said = status(&h);
    assert!(said.contains(&title), "{said}");
    assert_no_id(&h, &said);
    assert_no_id(&h, &h.screen());
}
