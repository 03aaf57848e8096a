//! Text safety of the terminal app: a pasted direction override is refused
//! by the form with the model's rule (nothing written), and hostile values
//! already in the database (another office's bundle) reach the terminal
//! with nothing a terminal would obey, on the real drawing path (`Screen`).

use crate::tui_support::Harness;
use ratatui::layout::Rect;
use sanshe::model::Lang;
use sanshe::tui::app::App;
use sanshe::tui::keymap::Keymap;
use sanshe::tui::popups::Popup;
use sanshe::tui::screen::Screen;
use sanshe::tui::theme::Theme;
use sanshe::tui::ui;

#[test]
fn a_pasted_override_or_escape_never_gets_into_a_saved_name() {
    let mut h = Harness::demo(Lang::En, 120, 40);
    let before = h.store.org_count();
    h.key("a");
    h.paste("读书会\x1b[2J\u{202E}cba");
    h.key("<C-s>");
    assert_eq!(h.store.org_count(), before, "nothing written");
    match h.app.shell.popups.last() {
        Some(Popup::Form(f)) => {
            let e = f.form.error("name").expect("an error on the name");
            assert!(e.contains("U+202E"), "{e}");
        }
        _ => panic!("the form stays open"),
    }
    // The escape itself was never taken in: only the override is left to
    // refuse, and once it is gone the name saves.
    for _ in 0..3 {
        h.key("<BS>");
    }
    h.key("<BS>");
    h.key("<C-s>");
    assert_eq!(h.store.org_count(), before + 1);
    let names: Vec<String> = h
        .store
        .orgs()
        .unwrap()
        .into_iter()
        .map(|(_, o)| o.name)
        .collect();
    assert!(names.contains(&"读书会[2J".to_string()), "{names:?}");
}

#[test]
fn hostile_stored_names_reach_the_terminal_harmless() {
    let mut h = Harness::new(Lang::Zh, Vec::new(), 120, 40);
    crate::hostile_support::seed(&h.store);
    // Start again on the seeded store, as the app would after an import.
    h.app = App::new(
        Keymap::default_map().unwrap(),
        Theme::monochrome(),
        crate::tui_support::today(),
    );
    h.app.resize(120, 40);
    let fx = h.app.start();
    h.pump(fx);
    assert!(h.screen().contains("读书会"), "{}", h.screen());
    let area = Rect::new(0, 0, 120, 40);
    let mut s = Screen::new(Vec::new());
    for keys in ["", "i", "<Enter>", "<Esc>", "6"] {
        h.keys(keys);
        s.writer_mut().clear();
        s.draw(area, |buf| ui::render(&h.app, area, buf)).unwrap();
        let bytes = s.writer().clone();
        // The first frame starts by clearing the screen itself.
        let bytes = bytes
            .strip_prefix(b"\x1b[0m\x1b[H\x1b[2J".as_slice())
            .unwrap_or(&bytes);
        crate::hostile_support::assert_clean(&format!("frame after {keys:?}"), bytes, false);
    }
}
