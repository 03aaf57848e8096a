//! The 三社联动 (linkage) pane: update() tests on the demo township with its
//! needs, offers and linkages, and whole-screen snapshots at 80x24 and
//! 120x40 in Chinese and English (record ids replaced by `ID`).

use crate::tui_support::Harness;
use sanshe::model::{Kind, Labeled, Lang, LinkageState, Need, Record, Urgency};
use sanshe::tui::action::Action;
use sanshe::tui::app::PANE_LINKAGE;
use sanshe::tui::panes::Pane;
use sanshe::tui::popups::Popup;

/// The demo township with its linkage fixtures, on pane 2.
fn harness(lang: Lang, cols: u16, rows: u16) -> Harness {
    let mut h = Harness::demo(lang, cols, rows);
    sanshe::demo::load_linkage(&h.store).unwrap();
    h.key("2");
    h
}

fn linkage_states(h: &Harness, need: &str) -> Vec<LinkageState> {
    h.store
        .all(Kind::Linkage)
        .unwrap()
        .into_iter()
        .filter_map(|(_, r)| match r {
            Record::Linkage(l) if l.need == need => Some(l.state),
            _ => None,
        })
        .collect()
}

fn selected_need(h: &Harness) -> String {
    h.app.panes.linkage.selected_need().unwrap().id.clone()
}

fn top_offer(h: &Harness) -> String {
    h.app.panes.linkage.selected_offer().unwrap().0.to_string()
}

#[test]
fn key_2_shows_the_pane_with_open_needs_urgent_first() {
    let h = harness(Lang::Zh, 120, 40);
    assert_eq!(h.app.shell.active, PANE_LINKAGE);
    assert_eq!(
        h.app.pane_titles().get(PANE_LINKAGE),
        Some(&"linkage.tui.title")
    );
    let p = &h.app.panes.linkage;
    let d = p.data.as_ref().expect("loaded");
    assert!(p.shown.len() > 20, "{} needs", p.shown.len());
    let rows: Vec<_> = p.shown.iter().map(|&i| &d.needs[i].need).collect();
    // Open first; among the open ones the most urgent first.
    let first_not_open = rows
        .iter()
        .position(|n| n.state != sanshe::model::NeedState::Open)
        .unwrap_or(rows.len());
    assert!(rows[first_not_open..]
        .iter()
        .all(|n| n.state != sanshe::model::NeedState::Open));
    for w in rows[..first_not_open].windows(2) {
        assert!(w[0].urgency.index() >= w[1].urgency.index());
    }
    assert_eq!(rows[0].urgency, Urgency::Urgent);
    assert!(!p.ranked.is_empty(), "offers ranked for the first need");
    // Best first.
    for w in p.ranked.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
    let screen = h.screen();
    assert!(screen.contains("三社联动"), "{screen}");
    assert!(screen.contains("推荐资源"), "{screen}");
}

#[test]
fn moving_changes_the_ranked_offers() {
    let mut h = harness(Lang::Zh, 120, 40);
    let first = selected_need(&h);
    let before = h.app.panes.linkage.ranked.clone();
    h.key("<Down>");
    assert_ne!(selected_need(&h), first);
    let after = &h.app.panes.linkage.ranked;
    assert!(!after.is_empty());
    assert_ne!(&before, after);
    // The offers list takes the moving keys after <Right>.
    h.key("<Right>");
    h.key("<Down>");
    assert_eq!(h.app.panes.linkage.offers.sel, 1);
    h.key("<Left>");
    h.key("<Up>");
    assert_eq!(selected_need(&h), first);
    assert_eq!(h.app.panes.linkage.offers.sel, 0);
}

#[test]
fn enter_proposes_after_confirming_and_steps_go_to_done() {
    let mut h = harness(Lang::En, 120, 40);
    let need = selected_need(&h);
    let offer = top_offer(&h);
    let before = linkage_states(&h, &need).len();
    h.key("<Enter>");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Confirm(_))));
    // No: nothing is written.
    h.key("n");
    assert!(h.app.shell.popups.is_empty());
    assert_eq!(linkage_states(&h, &need).len(), before);
    h.key("<Enter>");
    h.key("y");
    assert!(h.app.shell.popups.is_empty());
    let states = linkage_states(&h, &need);
    assert_eq!(states.len(), before + 1);
    assert!(states.contains(&LinkageState::Proposed));
    assert!(h.screen().contains("Proposed"), "{}", h.screen());
    // The need stays selected, its new linkage shown, the offer no longer ranked.
    assert_eq!(selected_need(&h), need);
    assert!(h.app.panes.linkage.ranked.iter().all(|r| {
        h.app
            .panes
            .linkage
            .data
            .as_ref()
            .unwrap()
            .matcher
            .offer(r.index)
            .unwrap()
            .0
            != offer
    }));
    h.action(Action::LinkageNext);
    assert!(linkage_states(&h, &need).contains(&LinkageState::Accepted));
    // The same linkage again within a moment: a double press, ignored.
    h.action(Action::LinkageNext);
    assert!(linkage_states(&h, &need).contains(&LinkageState::Accepted));
    std::thread::sleep(sanshe::tui::panes::linkage::STEP_REPEAT);
    h.action(Action::LinkageNext);
    assert!(
        linkage_states(&h, &need).contains(&LinkageState::InProgress),
        "{:?} {:?}",
        linkage_states(&h, &need),
        h.app.shell.status
    );
    // Done asks first.
    std::thread::sleep(sanshe::tui::panes::linkage::STEP_REPEAT);
    h.action(Action::LinkageNext);
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Confirm(_))));
    assert!(linkage_states(&h, &need).contains(&LinkageState::InProgress));
    h.key("y");
    assert!(linkage_states(&h, &need).contains(&LinkageState::Done));
    let rec = h.store.get(Kind::Need, &need).unwrap();
    match rec {
        Some(Record::Need(n)) => assert_eq!(n.state, sanshe::model::NeedState::Done),
        other => panic!("{other:?}"),
    }
    // The done need stays selected until the pane is left; then it leaves
    // the list.
    assert_eq!(selected_need(&h), need);
    h.keys("1 2");
    let p = &h.app.panes.linkage;
    let d = p.data.as_ref().unwrap();
    assert!(p.shown.iter().all(|&i| d.needs[i].id != need));
}

#[test]
fn cancel_asks_first_and_reopens_the_need() {
    let mut h = harness(Lang::Zh, 80, 24);
    let need = selected_need(&h);
    h.keys("<Enter> y");
    h.key(">");
    assert!(linkage_states(&h, &need).contains(&LinkageState::Accepted));
    h.key("x");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Confirm(_))));
    h.key("y");
    assert!(linkage_states(&h, &need).contains(&LinkageState::Cancelled));
    match h.store.get(Kind::Need, &need).unwrap() {
        Some(Record::Need(n)) => assert_eq!(n.state, sanshe::model::NeedState::Open),
        other => panic!("{other:?}"),
    }
    // Nothing left to advance: a message, no request.
    h.key(">");
    assert!(h.app.shell.status.is_some());
}

#[test]
fn place_filter_and_overview() {
    let mut h = harness(Lang::Zh, 120, 40);
    let all = h.app.panes.linkage.shown.len();
    let grid = h
        .app
        .panes
        .linkage
        .selected_need()
        .unwrap()
        .need
        .grid
        .clone();
    h.keys("f p");
    assert!(matches!(h.app.shell.popups.last(), Some(Popup::Picker(_))));
    h.paste(&grid);
    h.key("<Enter>");
    assert!(h.app.shell.popups.is_empty());
    let p = &h.app.panes.linkage;
    assert_eq!(
        p.place.as_ref().map(|f| f.code.as_str()),
        Some(grid.as_str())
    );
    assert!(p.shown.len() < all && !p.shown.is_empty());
    let d = p.data.as_ref().unwrap();
    assert!(p
        .shown
        .iter()
        .all(|&i| d.needs[i].need.grid.starts_with(&grid)));
    h.key("<Esc>");
    assert_eq!(h.app.panes.linkage.shown.len(), all);
    h.key("o");
    assert!(h.app.panes.linkage.overview);
    let screen = h.screen();
    assert!(screen.contains("网格概览"), "{screen}");
    let ov = &h.app.panes.linkage.data.as_ref().unwrap().overview;
    assert!(ov.rows.iter().any(|r| r.open_needs > 0));
    h.key("<Esc>");
    assert!(!h.app.panes.linkage.overview);
}

/// Record ids (`xxxxxx-1234` once the harness hid the database's tag) with
/// their number as `#`s, so a fixture added elsewhere changes no snapshot.
fn no_ids(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("xxxxxx-") {
        out.push_str(&rest[..i + 7]);
        rest = &rest[i + 7..];
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        out.push_str(&"#".repeat(digits));
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

#[test]
fn snapshots() {
    for (lang, l) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        for (w, hgt) in [(80u16, 24u16), (120, 40)] {
            let mut h = harness(lang, w, hgt);
            h.keys("<Down> <Down>");
            insta::assert_snapshot!(format!("linkage_{l}_{w}x{hgt}"), no_ids(&h.screen()));
            h.keys("<Enter> y >");
            insta::assert_snapshot!(
                format!("linkage_stepped_{l}_{w}x{hgt}"),
                no_ids(&h.screen())
            );
            h.key("o");
            insta::assert_snapshot!(
                format!("linkage_overview_{l}_{w}x{hgt}"),
                no_ids(&h.screen())
            );
        }
    }
}

#[test]
fn reload_reads_changes_made_elsewhere() {
    let mut h = harness(Lang::Zh, 80, 24);
    let need = selected_need(&h);
    let offer = top_offer(&h);
    let n = match h.store.get(Kind::Need, &need).unwrap() {
        Some(Record::Need(n)) => n,
        other => panic!("{other:?}"),
    };
    // As `sanshe link add` would, in another process.
    let l = sanshe::model::Linkage::propose(&need, &n, vec![offer], crate::tui_support::today());
    h.store
        .execute(sanshe::store::Command::Create {
            record: Record::Linkage(l),
        })
        .unwrap();
    assert!(h
        .app
        .panes
        .linkage
        .commands(&h.app.shell.shared)
        .iter()
        .all(|a| *a != Action::LinkageNext));
    h.key("r");
    assert!(h
        .app
        .panes
        .linkage
        .commands(&h.app.shell.shared)
        .contains(&Action::LinkageNext));
    assert!(h.screen().contains("已提议"), "{}", h.screen());
}

#[test]
fn help_lists_the_pane_keys() {
    let mut h = harness(Lang::En, 120, 40);
    h.key("?");
    let screen = h.screen();
    assert!(screen.contains("propose linkage"), "{screen}");
    assert!(screen.contains("grid overview"), "{screen}");
}

fn needs_titled(h: &Harness, title: &str) -> Vec<(String, sanshe::model::Need)> {
    h.store
        .all(Kind::Need)
        .unwrap()
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Need(n) if n.title == title => Some((id, n)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_need_is_added_through_the_form_with_pinyin_pickers() {
    let mut h = harness(Lang::Zh, 120, 40);
    h.key("a");
    assert!(h.app.panes.linkage.form.is_some());
    assert!(h.screen().contains("新增需求"), "{}", h.screen());
    // Title, then the place by pinyin initials, then the domain.
    h.type_text("三楼独居老人助浴");
    h.key("<Tab>");
    h.type_text("bs");
    h.key("<Enter>");
    h.key("<Tab>");
    h.type_text("yl");
    h.key("<Enter>");
    h.key("<C-s>");
    assert!(h.app.panes.linkage.form.is_none(), "{}", h.screen());
    let saved = needs_titled(&h, "三楼独居老人助浴");
    assert_eq!(saved.len(), 1);
    let (id, n) = &saved[0];
    let place = h
        .app
        .shell
        .shared
        .places
        .iter()
        .find(|p| p.code == n.grid)
        .expect("a known place");
    assert!(place.name.starts_with("宝石"), "{}", place.name);
    assert_eq!(n.domains, vec![sanshe::model::Domain::Elderly]);
    assert_eq!(n.raised, Some(crate::tui_support::today()));
    // The pane read its data again: the new need is in the list.
    let d = h.app.panes.linkage.data.as_ref().unwrap();
    assert!(d.needs.iter().any(|r| &r.id == id));
    assert!(h.screen().contains("已保存"), "{}", h.screen());
}

#[test]
fn a_need_with_errors_is_not_saved() {
    let mut h = harness(Lang::Zh, 120, 40);
    let before = h.store.all(Kind::Need).unwrap().len();
    h.key("a");
    h.type_text("只有名称");
    h.key("<C-s>");
    // The form stays open, showing the errors; nothing is written.
    let form = h.app.panes.linkage.form.as_ref().expect("form still open");
    assert!(form.error("grid").is_some());
    assert!(form.error("domains").is_some());
    assert_eq!(h.store.all(Kind::Need).unwrap().len(), before);
    // Esc asks before throwing the typed title away: no keeps the form,
    // yes closes it, writing nothing.
    h.key("<Esc>");
    h.key("n");
    assert!(h.app.panes.linkage.form.is_some());
    assert_eq!(
        h.app.panes.linkage.form.as_ref().unwrap().text("title"),
        Some("只有名称")
    );
    h.key("<Esc>");
    h.key("y");
    assert!(h.app.panes.linkage.form.is_none());
    assert_eq!(h.store.all(Kind::Need).unwrap().len(), before);
}

#[test]
fn e_edits_the_selected_needs_urgency() {
    let mut h = harness(Lang::En, 120, 40);
    // The last need in the list is the least urgent.
    h.key("<End>");
    let id = selected_need(&h);
    let before = h.app.panes.linkage.selected_need().unwrap().need.clone();
    assert_ne!(before.urgency, Urgency::Urgent);
    h.key("e");
    let form = h.app.panes.linkage.form.as_mut().expect("edit form");
    assert_eq!(form.text("title"), Some(before.title.as_str()));
    form.focus("urgency");
    h.type_text("urgent");
    h.key("<Enter>");
    h.key("<C-s>");
    assert!(h.app.panes.linkage.form.is_none(), "{}", h.screen());
    let after = match h.store.get(Kind::Need, &id).unwrap() {
        Some(Record::Need(n)) => n,
        other => panic!("{other:?}"),
    };
    assert_eq!(after.urgency, Urgency::Urgent);
    assert_eq!(
        Need {
            urgency: before.urgency,
            ..after.clone()
        },
        before,
        "only the urgency changed"
    );
    // Now among the most urgent: still selected, near the top.
    assert_eq!(selected_need(&h), id);
}

#[test]
fn an_offer_is_added_with_a_picked_provider() {
    let mut h = harness(Lang::Zh, 120, 40);
    let before = h.store.all(Kind::Offer).unwrap().len();
    h.key("A");
    assert!(h.screen().contains("新增资源"), "{}", h.screen());
    h.type_text("上门理发");
    let provider = h.app.panes.linkage.data.as_ref().unwrap().provider_list[0].clone();
    h.key("<Tab>");
    h.paste(&provider.name);
    h.key("<Enter>");
    let form = h.app.panes.linkage.form.as_mut().unwrap();
    form.focus("domains");
    h.type_text("yl");
    h.key("<Enter>");
    h.key("<C-s>");
    assert!(h.app.panes.linkage.form.is_none(), "{}", h.screen());
    let offers: Vec<_> = h
        .store
        .all(Kind::Offer)
        .unwrap()
        .into_iter()
        .filter_map(|(_, r)| match r {
            Record::Offer(o) if o.title == "上门理发" => Some(o),
            _ => None,
        })
        .collect();
    assert_eq!(h.store.all(Kind::Offer).unwrap().len(), before + 1);
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].provider, provider.id);
    assert_eq!(offers[0].provider_kind, provider.kind);
    assert_eq!(offers[0].domains, vec![sanshe::model::Domain::Elderly]);
}

#[test]
fn form_snapshots() {
    for (key, name) in [("a", "need"), ("A", "offer")] {
        let mut h = harness(Lang::Zh, 80, 24);
        h.key(key);
        let screen = h.screen();
        insta::assert_snapshot!(format!("linkage_{name}_form_zh_80x24"), no_ids(&screen));
        assert!(h.cursor().is_some(), "the caret is in the title");
    }
}

#[test]
fn workers_and_partners_are_added_and_become_providers() {
    let mut h = harness(Lang::Zh, 120, 40);
    h.key("W");
    assert!(h.screen().contains("新增社工"), "{}", h.screen());
    h.type_text("陈小静");
    h.key("<Tab>");
    h.key("<Tab>");
    h.type_text("bs");
    h.key("<Enter>");
    h.key("<C-s>");
    assert!(h.app.panes.linkage.form.is_none(), "{}", h.screen());
    h.key("P");
    h.type_text("浙江某某大学社会学系");
    h.key("<C-s>");
    assert!(h.app.panes.linkage.form.is_none(), "{}", h.screen());
    let d = h.app.panes.linkage.data.as_ref().unwrap();
    let find = |name: &str| d.provider_list.iter().find(|p| p.name == name).cloned();
    let w = find("陈小静").expect("the worker is a provider");
    assert_eq!(w.kind, sanshe::model::ProviderKind::Worker);
    match h.store.get(Kind::Worker, &w.id).unwrap() {
        Some(Record::Worker(rec)) => {
            let c = rec.community.expect("a community");
            let place = h
                .app
                .shell
                .shared
                .places
                .iter()
                .find(|p| p.code == c)
                .unwrap();
            assert_eq!(place.level, sanshe::model::PlaceLevel::Community);
            assert!(place.name.starts_with("宝石"), "{}", place.name);
        }
        other => panic!("{other:?}"),
    }
    let p = find("浙江某某大学社会学系").expect("the partner is a provider");
    assert_eq!(p.kind, sanshe::model::ProviderKind::Partner);
}

fn offer_in_store(h: &Harness, id: &str) -> sanshe::model::Offer {
    match h.store.get(Kind::Offer, id).unwrap() {
        Some(Record::Offer(o)) => o,
        other => panic!("{other:?}"),
    }
}

/// Clears the focused text field and types `s`.
fn retype(h: &mut Harness, s: &str) {
    for _ in 0..40 {
        h.key("<BS>");
    }
    h.type_text(s);
}

#[test]
fn e_on_the_offers_edits_the_selected_offers_capacity() {
    let mut h = harness(Lang::En, 120, 40);
    h.key("<Right>");
    let id = top_offer(&h);
    let before = offer_in_store(&h, &id);
    h.key("e");
    let form = h.app.panes.linkage.form.as_mut().expect("offer edit form");
    assert_eq!(form.text("title"), Some(before.title.as_str()));
    assert!(h.screen().contains("Edit offer"), "{}", h.screen());
    let capacity = before.capacity.unwrap_or(0).max(before.committed) + 7;
    h.app.panes.linkage.form.as_mut().unwrap().focus("capacity");
    retype(&mut h, &capacity.to_string());
    h.key("<C-s>");
    assert!(h.app.panes.linkage.form.is_none(), "{}", h.screen());
    let after = offer_in_store(&h, &id);
    assert_eq!(after.capacity, Some(capacity));
    assert_eq!(
        sanshe::model::Offer {
            capacity: before.capacity,
            ..after
        },
        before,
        "only the capacity changed"
    );
    assert!(h.screen().contains("saved"), "{}", h.screen());
}

#[test]
fn an_offer_edit_that_breaks_the_rules_is_refused() {
    let mut h = harness(Lang::Zh, 120, 40);
    h.key("<Right>");
    // An offer with capacity already committed to linkages.
    let mut found = None;
    for _ in 0..h.app.panes.linkage.ranked.len() {
        let (id, o, _) = h.app.panes.linkage.selected_offer().unwrap();
        if o.committed > 0 {
            found = Some(id.to_string());
            break;
        }
        h.key("<Down>");
    }
    let id = found.expect("a ranked offer with committed capacity");
    let before = offer_in_store(&h, &id);
    let log = h.store.log(usize::MAX).unwrap().len();
    h.key("e");
    h.app.panes.linkage.form.as_mut().unwrap().focus("capacity");
    retype(&mut h, &(before.committed - 1).to_string());
    h.key("<C-s>");
    let form = h.app.panes.linkage.form.as_ref().expect("form still open");
    let msg = form.error("capacity").expect("capacity refused");
    assert!(msg.contains(&before.committed.to_string()), "{msg}");
    // An empty title is refused too.
    h.app.panes.linkage.form.as_mut().unwrap().focus("title");
    retype(&mut h, "");
    h.key("<C-s>");
    let form = h.app.panes.linkage.form.as_ref().expect("form still open");
    assert!(form.error("title").is_some());
    assert_eq!(offer_in_store(&h, &id), before);
    assert_eq!(
        h.store.log(usize::MAX).unwrap().len(),
        log,
        "nothing written"
    );
    h.key("<Esc>");
    h.key("y");
    assert!(h.app.panes.linkage.form.is_none());
    assert_eq!(offer_in_store(&h, &id), before);
}

#[test]
fn shift_e_edits_the_offers_worker_or_partner_keeping_the_rest() {
    use sanshe::model::ProviderKind;
    let mut h = harness(Lang::Zh, 120, 40);
    h.key("<Right>");
    let mut found = None;
    for _ in 0..h.app.panes.linkage.ranked.len() {
        let (_, o, _) = h.app.panes.linkage.selected_offer().unwrap();
        if o.provider_kind != ProviderKind::Org {
            found = Some((o.provider.clone(), o.provider_kind));
            break;
        }
        h.key("<Down>");
    }
    let (id, kind) = found.expect("a ranked offer by a social worker or partner");
    let store_kind = match kind {
        ProviderKind::Worker => Kind::Worker,
        _ => Kind::Partner,
    };
    let before = h.store.get(store_kind, &id).unwrap().expect("provider");
    h.key("E");
    let title = if kind == ProviderKind::Worker {
        "修改社工"
    } else {
        "修改资源方"
    };
    assert!(h.screen().contains(title), "{}", h.screen());
    h.app.panes.linkage.form.as_mut().unwrap().focus("notes");
    retype(&mut h, "周末也可");
    h.key("<C-s>");
    assert!(h.app.panes.linkage.form.is_none(), "{}", h.screen());
    let after = h.store.get(store_kind, &id).unwrap().expect("provider");
    match (before, after) {
        (Record::Worker(b), Record::Worker(a)) => {
            assert_eq!(a.notes.as_deref(), Some("周末也可"));
            assert_eq!(
                sanshe::model::Worker {
                    notes: b.notes.clone(),
                    ..a
                },
                b
            );
        }
        (Record::Partner(b), Record::Partner(a)) => {
            assert_eq!(a.notes.as_deref(), Some("周末也可"));
            assert_eq!(
                sanshe::model::Partner {
                    notes: b.notes.clone(),
                    ..a
                },
                b
            );
        }
        other => panic!("{other:?}"),
    }
}

/// The same `Esc` in every pane's form: nothing typed closes at once;
/// typed input asks (need form here; activity, score entry and sync
/// set-up share `panes::cancel_form`).
#[test]
fn esc_on_an_untouched_form_closes_at_once() {
    let mut h = harness(Lang::Zh, 120, 40);
    h.key("a");
    assert!(h.app.panes.linkage.form.is_some());
    h.key("<Esc>");
    assert!(
        h.app.panes.linkage.form.is_none(),
        "nothing typed: no question"
    );
    assert!(h.app.shell.popups.is_empty());
}
