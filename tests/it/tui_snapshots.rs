//! Whole-screen snapshots on ratatui's `TestBackend` (as text; styles are
//! checked by the unit tests): the organizations pane, the detail panel,
//! the form with validation errors, help, at 80x24 and 120x40, in Chinese
//! and English. The database's id tag is replaced by `xxxxxx`; nothing on
//! screen depends on the clock.

use crate::tui_support::Harness;
use sanshe::model::Lang;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

fn each(name: &str, setup: impl Fn(&mut Harness)) {
    for (lang, l) in LANGS {
        for (w, hgt) in SIZES {
            let mut h = Harness::demo(lang, w, hgt);
            setup(&mut h);
            insta::assert_snapshot!(format!("{name}_{l}_{w}x{hgt}"), h.screen());
        }
    }
}

#[test]
fn orgs_pane() {
    each("orgs", |_| {});
}

#[test]
fn detail_panel() {
    // A registered organization with a credit code, a rating and
    // inspections, reached by a pinyin search kept with Enter.
    each("detail", |h| {
        h.key("/");
        h.type_text("yhjj");
        h.key("<Enter>");
    });
}

#[test]
fn form_with_validation_errors() {
    each("form_errors", |h| {
        h.key("a");
        h.key("<Tab>");
        h.key("<Tab>");
        h.key("<Tab>");
        h.key("<Tab>");
        // credit code with a wrong check character
        h.type_text("53100000500021676A");
        h.key("<Tab>");
        h.key("<Tab>");
        h.key("<Tab>");
        h.type_text("12345");
        h.key("<C-s>");
    });
}

#[test]
fn help() {
    each("help", |h| h.key("?"));
}

#[test]
fn delete_question_and_search_line() {
    for (lang, l) in LANGS {
        let mut h = Harness::demo(lang, 120, 40);
        h.key("/");
        h.type_text("bcsq");
        insta::assert_snapshot!(format!("search_{l}_120x40"), h.screen());
        h.key("<Enter>");
        h.key("d");
        insta::assert_snapshot!(format!("delete_{l}_120x40"), h.screen());
    }
}

#[test]
fn venture_pane() {
    // The demo's rounds on pane 7: this year's projects at every state,
    // the selected one's sheets and tranches; then the due list.
    each("venture", |h| {
        sanshe::demo::load_activities(&h.store).unwrap();
        sanshe::demo::load_venture(&h.store).unwrap();
        h.key("7");
        h.keys("j j j j j j j");
    });
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    sanshe::demo::load_activities(&h.store).unwrap();
    sanshe::demo::load_venture(&h.store).unwrap();
    h.key("7");
    h.key("d");
    insta::assert_snapshot!("venture_due_zh_120x40", h.screen());
}
