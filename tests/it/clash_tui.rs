//! Two people edit one organization ([4/6]): the form open on it says so
//! when the other saves, and on save shows both values of the field both
//! changed and lets the user choose.

use sanshe::model::{Kind, Lang, Record};
use sanshe::store::session::{self, Session};
use sanshe::store::Command;
use sanshe::tui::popups::Popup;

use crate::tui_support::Harness;

#[test]
fn a_form_saved_over_anothers_change_asks_whose_value_stays() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let id = h.app.panes.orgs.selected_row().unwrap().id.clone();
    let Some(Record::Org(org)) = h.store.get(Kind::Org, &id).unwrap() else {
        panic!()
    };
    h.key("e");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Form(_))));
    // 王丽, elsewhere, renames it and sets its phone.
    {
        let _as = session::enter(Session {
            user: "wangli".into(),
            may_write: true,
            may_see_leads: false,
            may_see_reporter: false,
        });
        let mut theirs = org.clone();
        theirs.name = "王丽改的名字".into();
        theirs.phone = Some("13900000000".into());
        h.store
            .execute(Command::Update {
                id: id.clone(),
                before: Record::Org(org.clone()),
                after: Record::Org(theirs),
            })
            .unwrap();
    }
    // This user renames it too, and saves.
    h.type_text("我改的名字");
    h.key("<C-s>");
    let screen = h.screen();
    assert!(
        screen.contains("王丽改的名字") && screen.contains("我改的名字"),
        "both values shown:\n{screen}"
    );
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Confirm(_))));
    // Theirs stays on the name; nothing of theirs is lost.
    h.key("n");
    let Some(Record::Org(now)) = h.store.get(Kind::Org, &id).unwrap() else {
        panic!()
    };
    assert_eq!(now.name, "王丽改的名字");
    assert_eq!(now.phone.as_deref(), Some("13900000000"));
    assert!(h.app.shell.popups.is_empty(), "{}", h.screen());
}
