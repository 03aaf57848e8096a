//! Every form of every pane behaves the same ([3/6]): typed input becomes a
//! draft (kept on SIGHUP/SIGTERM, offered back at the next start), `Esc`
//! asks before throwing it away, and a save is undone with `u`. One table
//! of the six pane forms that save records (need, offer, social worker,
//! partner, activity, score entry); the organization form has its own
//! tests in `tui_app.rs`, the sync pane's office-and-network form its
//! draft test below.

use crate::tui_support::Harness;
use sanshe::model::{Kind, Lang};
use sanshe::tui::popups::Popup;

/// One pane form: how to reach it, type into it, and fill it validly.
struct Case {
    /// The draft key of the form.
    key: &'static str,
    /// Keys that open it (pane number first).
    open: &'static str,
    /// Types something into the form (it becomes dirty).
    type_some: fn(&mut Harness),
    /// Fills the open form so that it saves.
    fill: fn(&mut Harness),
    /// The kind of record it saves.
    kind: Kind,
}

fn harness() -> Harness {
    let h = Harness::demo(Lang::Zh, 120, 40);
    sanshe::demo::load_linkage(&h.store).unwrap();
    sanshe::demo::load_activities(&h.store).unwrap();
    h
}

fn form_open(h: &Harness) -> bool {
    h.app.pane().form().is_some()
}

fn focus(h: &mut Harness, field: &str) {
    let i = h.app.shell.active;
    let pane = h.app.panes.get_mut(i).unwrap();
    assert!(pane.form_mut().unwrap().focus(field), "{field}");
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            key: "need-form",
            open: "2 a",
            type_some: |h| h.type_text("草稿需求甲"),
            fill: |h| {
                h.type_text("草稿需求甲");
                h.key("<Tab>");
                h.type_text("bs");
                h.key("<Enter>");
                h.key("<Tab>");
                h.type_text("yl");
                h.key("<Enter>");
            },
            kind: Kind::Need,
        },
        Case {
            key: "offer-form",
            open: "2 A",
            type_some: |h| h.type_text("草稿资源甲"),
            fill: |h| {
                h.type_text("草稿资源甲");
                let provider = h.app.panes.linkage.data.as_ref().unwrap().provider_list[0].clone();
                h.key("<Tab>");
                h.paste(&provider.name);
                h.key("<Enter>");
                focus(h, "domains");
                h.type_text("yl");
                h.key("<Enter>");
            },
            kind: Kind::Offer,
        },
        Case {
            key: "worker-form",
            open: "2 W",
            type_some: |h| h.type_text("草稿社工甲"),
            fill: |h| {
                h.type_text("草稿社工甲");
                h.key("<Tab>");
                h.key("<Tab>");
                h.type_text("bs");
                h.key("<Enter>");
            },
            kind: Kind::Worker,
        },
        Case {
            key: "partner-form",
            open: "2 P",
            type_some: |h| h.type_text("草稿资源方甲"),
            fill: |h| h.type_text("草稿资源方甲"),
            kind: Kind::Partner,
        },
        Case {
            key: "activity-form",
            open: "3 a",
            type_some: |h| {
                focus(h, "title");
                h.type_text("草稿活动甲");
            },
            fill: |h| {
                let org = h.store.orgs().unwrap()[0].1.name.clone();
                focus(h, "orgs");
                h.type_text(&sanshe::search::initials(&org));
                h.key("<Tab>");
                focus(h, "title");
                h.type_text("草稿活动甲");
            },
            kind: Kind::Activity,
        },
        Case {
            key: "evaluation-form",
            open: "5 a",
            type_some: |h| {
                h.key("<Backspace>");
                h.type_text("6");
            },
            fill: |h| {
                h.key("<Backspace>");
                h.type_text("6");
                h.key("<Tab>");
                h.type_text("王芳");
                for ind in sanshe::model::Rubric::shipped().indicators() {
                    h.key("<Tab>");
                    h.type_text(&ind.max.to_string());
                }
            },
            kind: Kind::Evaluation,
        },
    ]
}

fn count(h: &Harness, kind: Kind) -> usize {
    h.store.all(kind).unwrap().len()
}

fn asking(h: &Harness) -> bool {
    matches!(h.app.shell.popups.last(), Some(Popup::Confirm(_)))
}

/// Typed input is a draft, of this form, with what was typed.
#[test]
fn typed_input_in_every_form_becomes_its_draft_and_comes_back() {
    for c in cases() {
        let mut h = harness();
        h.keys(c.open);
        assert!(form_open(&h), "{}: the form opens", c.key);
        assert!(h.app.drafts().is_empty(), "{}: nothing typed yet", c.key);
        (c.type_some)(&mut h);
        let drafts = h.app.drafts();
        assert_eq!(drafts.len(), 1, "{}", c.key);
        let d = drafts[0].clone();
        assert_eq!(d.key, c.key);
        // Kept in its own file, read back as it was.
        sanshe::tui::draft::save(h.dir.path(), &d).unwrap();
        let path = sanshe::tui::draft::path_of(h.dir.path(), c.key);
        assert!(path.exists(), "{}", path.display());
        let loaded = sanshe::tui::draft::load_all(h.dir.path());
        assert_eq!(loaded, vec![d.clone()], "{}", c.key);
        // Thrown away (after the question), then offered back.
        h.key("<Esc>");
        h.key("y");
        assert!(!form_open(&h), "{}", c.key);
        h.key("1");
        h.app.shell.popups.clear();
        h.app.offer_draft(loaded[0].clone());
        assert!(asking(&h), "{}: the draft is offered", c.key);
        h.key("y");
        assert!(form_open(&h), "{}: the form is back, its pane shown", c.key);
        assert_eq!(
            h.app.drafts()[0].form,
            d.form,
            "{}: with what was typed",
            c.key
        );
        assert!(h.other.contains(&sanshe::tui::app::Effect::RemoveDraft));
    }
}

/// `Esc` on a form with typed input asks; "no" keeps the form and what
/// was typed, "yes" closes it.
#[test]
fn esc_asks_before_throwing_away_typed_input_in_every_form() {
    for c in cases() {
        let mut h = harness();
        h.keys(c.open);
        (c.type_some)(&mut h);
        h.key("<Esc>");
        assert!(asking(&h), "{}: Esc asks", c.key);
        h.key("n");
        assert!(form_open(&h), "{}: no keeps the form", c.key);
        assert!(!h.app.drafts().is_empty(), "{}: and what was typed", c.key);
        h.key("<Esc>");
        h.key("y");
        assert!(!form_open(&h), "{}: yes closes it", c.key);
        assert!(h.app.drafts().is_empty(), "{}", c.key);
    }
}

/// A record saved from any form is taken back by `u`.
#[test]
fn a_save_from_every_form_is_undone_with_u() {
    for c in cases() {
        let mut h = harness();
        let before = count(&h, c.kind);
        h.keys(c.open);
        (c.fill)(&mut h);
        h.key("<C-s>");
        assert!(!form_open(&h), "{}: saved: {}", c.key, h.screen());
        assert_eq!(count(&h, c.kind), before + 1, "{}", c.key);
        h.key("u");
        assert_eq!(count(&h, c.kind), before, "{}: undone", c.key);
        assert!(h.screen().contains("已撤销"), "{}: {}", c.key, h.screen());
    }
}

/// At the next start, a draft of a pane not yet shown opens once that
/// pane has read its data.
#[test]
fn a_draft_of_another_pane_opens_once_its_data_is_read() {
    let mut h = harness();
    h.keys("2 a");
    h.type_text("下次再填的需求");
    let d = h.app.drafts().remove(0);
    let mut next = harness();
    assert!(next.app.panes.linkage.data.is_none(), "pane 2 not read yet");
    next.app.offer_draft(d);
    next.key("y");
    assert_eq!(next.app.shell.active, sanshe::tui::app::PANE_LINKAGE);
    let form = next
        .app
        .panes
        .linkage
        .form
        .as_ref()
        .expect("the form is open");
    assert_eq!(form.text("title"), Some("下次再填的需求"));
}

/// The sync pane's office-and-network question keeps its draft too.
#[test]
fn the_office_and_network_form_keeps_its_draft() {
    let mut h = Harness::new(Lang::Zh, Vec::new(), 120, 40);
    h.keys("6 x");
    assert!(h.app.panes.sync.setup.is_some());
    h.type_text("北山街道");
    let form = h.app.panes.sync.setup.as_ref().unwrap();
    assert_eq!(form.text("office"), Some("北山街道"), "{}", h.screen());
    assert!(form.is_dirty());
    let d = h.app.drafts().remove(0);
    assert_eq!(d.key, "sync-setup-form");
    h.keys("<Esc> y");
    assert!(h.app.panes.sync.setup.is_none());
    h.key("1");
    h.app.offer_draft(d.clone());
    h.key("y");
    assert_eq!(h.app.shell.active, sanshe::tui::app::PANE_SYNC);
    assert_eq!(h.app.drafts()[0].form, d.form);
}

/// A new need, offer, social worker or partner that looks like one already
/// known is checked before it is saved, as an organization is: the first
/// save shows the warning and writes nothing; saving again saves it.
#[test]
fn a_look_alike_record_is_checked_before_it_is_saved() {
    for c in cases()
        .into_iter()
        .filter(|c| c.kind != Kind::Activity && c.kind != Kind::Evaluation)
    {
        let mut h = harness();
        let before = count(&h, c.kind);
        h.keys(c.open);
        (c.fill)(&mut h);
        h.key("<C-s>");
        assert_eq!(count(&h, c.kind), before + 1, "{}", c.key);
        h.keys(c.open.split(' ').next_back().unwrap());
        (c.fill)(&mut h);
        h.key("<C-s>");
        assert!(form_open(&h), "{}: warned, not saved", c.key);
        assert_eq!(count(&h, c.kind), before + 1, "{}", c.key);
        let screen = h.screen();
        assert!(
            screen.contains("草稿"),
            "{}: the look-alike is named: {screen}",
            c.key
        );
        h.key("<C-s>");
        assert!(!form_open(&h), "{}: saved the second time", c.key);
        assert_eq!(count(&h, c.kind), before + 2, "{}", c.key);
    }
}
