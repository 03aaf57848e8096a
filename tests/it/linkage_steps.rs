//! Pane 2 (三社联动) must not damage data: `>` asks before done, a need that
//! moved keeps the selection (a done one stays listed, greyed, until the
//! pane is left), a repeated step key for the same linkage is ignored for
//! a moment, every change is undone with `u`, a saved need is selected,
//! messages name records (never ids), and 待对接需求 is the same count here
//! and on the dashboard. Update tests on the demo township.

use std::collections::BTreeMap;

use crate::tui_support::Harness;
use sanshe::model::{Kind, Lang, Linkage, LinkageState, NeedState, Offer, Record};
use sanshe::store::Command;
use sanshe::tui::action::Action;
use sanshe::tui::panes::linkage::STEP_REPEAT;
use sanshe::tui::panes::Pane;
use sanshe::tui::popups::Popup;

/// The demo township with its linkage fixtures, on pane 2.
fn harness(lang: Lang, cols: u16, rows: u16) -> Harness {
    let mut h = Harness::demo(lang, cols, rows);
    sanshe::demo::load_linkage(&h.store).unwrap();
    h.key("2");
    h
}

fn linkages(h: &Harness) -> BTreeMap<String, Linkage> {
    h.store
        .all(Kind::Linkage)
        .unwrap()
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Linkage(l) => Some((id, l)),
            _ => None,
        })
        .collect()
}

fn need_state(h: &Harness, id: &str) -> NeedState {
    match h.store.get(Kind::Need, id).unwrap() {
        Some(Record::Need(n)) => n.state,
        other => panic!("{other:?}"),
    }
}

fn offer(h: &Harness, id: &str) -> Offer {
    match h.store.get(Kind::Offer, id).unwrap() {
        Some(Record::Offer(o)) => o,
        other => panic!("{other:?}"),
    }
}

fn selected(h: &Harness) -> String {
    h.app
        .panes
        .linkage
        .selected_need()
        .expect("a need selected")
        .id
        .clone()
}

fn status(h: &Harness) -> String {
    h.app
        .shell
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn confirm_open(h: &Harness) -> bool {
    matches!(h.app.shell.popups.last(), Some(Popup::Confirm(_)))
}

/// Moves down the need list until `want` holds for the selected need.
fn select_where(h: &mut Harness, want: impl Fn(&Harness) -> bool) {
    h.key("g");
    for _ in 0..h.app.panes.linkage.shown.len() {
        if want(h) {
            return;
        }
        h.key("<Down>");
    }
    panic!("no such need in the list");
}

/// The live linkage of the selected need: (id, state).
fn live(h: &Harness) -> Option<(String, LinkageState)> {
    let need = selected(h);
    linkages(h)
        .into_iter()
        .find(|(_, l)| l.need == need && !l.state.is_final())
        .map(|(id, l)| (id, l.state))
}

/// Selects a need whose linkage is in progress and whose next need in the
/// list has a linkage under way too (the one a stray `>` would move).
fn select_in_progress_with_a_live_neighbour(h: &mut Harness) -> (String, String, String) {
    select_where(h, |h| {
        let p = &h.app.panes.linkage;
        let d = p.data.as_ref().unwrap();
        let next = p.shown.get(p.needs.sel + 1).map(|&i| d.needs[i].id.clone());
        let live_of = |need: &str| {
            d.linkages
                .iter()
                .any(|(_, l)| l.need == need && !l.state.is_final())
        };
        live(h).is_some_and(|(_, s)| s == LinkageState::InProgress)
            && next.is_some_and(|n| live_of(&n))
    });
    let p = &h.app.panes.linkage;
    let d = p.data.as_ref().unwrap();
    let next = d.needs[p.shown[p.needs.sel + 1]].id.clone();
    (selected(h), live(h).unwrap().0, next)
}

#[test]
fn a_double_press_before_done_moves_no_other_linkage() {
    let mut h = harness(Lang::Zh, 120, 40);
    let (need, linkage, next) = select_in_progress_with_a_live_neighbour(&mut h);
    let before = linkages(&h);
    // `>` asks first: nothing is written, and a second `>` (the double
    // press) lands on the question, not on the need below.
    h.key(">");
    assert!(confirm_open(&h), "done asks first");
    let text = match h.app.shell.popups.last() {
        Some(Popup::Confirm(c)) => c.text.clone(),
        _ => unreachable!(),
    };
    let title = h
        .app
        .panes
        .linkage
        .selected_need()
        .unwrap()
        .need
        .title
        .clone();
    assert!(text.contains(&title), "{text}");
    assert!(!text.contains(&linkage), "no id in the question: {text}");
    h.key(">");
    assert_eq!(linkages(&h), before, "nothing written before the answer");
    h.key("y");
    assert!(!confirm_open(&h));
    assert_eq!(linkages(&h)[&linkage].state, LinkageState::Done);
    assert_eq!(need_state(&h, &need), NeedState::Done);
    // The done need stays listed and selected, greyed with its state.
    assert_eq!(selected(&h), need);
    assert!(h.screen().contains("已完成"), "{}", h.screen());
    // A further `>` moves nothing: not the next need's linkage.
    h.key(">");
    assert!(!confirm_open(&h));
    let after = linkages(&h);
    for (id, l) in &before {
        if *id != linkage {
            assert_eq!(&after[id], l, "linkage of another need untouched");
        }
    }
    assert!(after
        .values()
        .any(|l| l.need == next && !l.state.is_final()));
    assert_eq!(selected(&h), need);
    // Nor does Enter propose a new linkage for the done need.
    h.key("<Enter>");
    assert!(!confirm_open(&h));
    assert!(status(&h).contains("已完成"), "{}", status(&h));
    assert_eq!(linkages(&h).len(), before.len());
    // Leaving the pane and coming back: the done need has left the list.
    h.keys("1 2");
    let d = h.app.panes.linkage.data.as_ref().unwrap();
    assert!(h
        .app
        .panes
        .linkage
        .shown
        .iter()
        .all(|&i| d.needs[i].id != need));
}

#[test]
fn a_repeated_step_key_is_ignored_for_a_moment() {
    let mut h = harness(Lang::Zh, 80, 24);
    let need = selected(&h);
    h.keys("<Enter> y");
    let (id, state) = live(&h).expect("proposed");
    assert_eq!(state, LinkageState::Proposed);
    // A double press: one step only.
    h.keys("> >");
    assert_eq!(linkages(&h)[&id].state, LinkageState::Accepted);
    assert_eq!(selected(&h), need, "the need that moved stays selected");
    let msg = status(&h);
    assert!(msg.contains("已忽略"), "{msg}");
    assert!(!msg.contains(&id), "no id: {msg}");
    // Pressed again after the interval: the next step.
    std::thread::sleep(STEP_REPEAT);
    h.key(">");
    assert_eq!(linkages(&h)[&id].state, LinkageState::InProgress);
    assert_eq!(need_state(&h, &need), NeedState::InProgress);
}

#[test]
fn every_step_is_undone_with_u() {
    let mut h = harness(Lang::En, 120, 40);
    let need = selected(&h);
    let offer_id = h.app.panes.linkage.selected_offer().unwrap().0.to_string();
    let offer_before = offer(&h, &offer_id);
    let log = h.store.log(usize::MAX).unwrap().len();
    h.keys("<Enter> y");
    let (id, _) = live(&h).expect("proposed");
    h.key(">");
    assert_eq!(linkages(&h)[&id].state, LinkageState::Accepted);
    assert_eq!(need_state(&h, &need), NeedState::Matched);
    assert_eq!(offer(&h, &offer_id).committed, offer_before.committed + 1);
    assert!(
        h.app
            .panes
            .linkage
            .commands(&h.app.shell.shared)
            .contains(&Action::Undo),
        "u in the bottom bar"
    );
    // `u`: the step back, in one batch: linkage, need and offer.
    h.key("u");
    let msg = status(&h);
    assert!(msg.starts_with("Undone"), "{msg}");
    assert!(!msg.contains(&id), "no id: {msg}");
    assert_eq!(linkages(&h)[&id].state, LinkageState::Proposed);
    assert_eq!(need_state(&h, &need), NeedState::Open);
    assert_eq!(offer(&h, &offer_id), offer_before);
    assert_eq!(selected(&h), need);
    // `u` again: the proposal is gone.
    h.key("u");
    assert!(!linkages(&h).contains_key(&id));
    assert!(h.app.shell.shared.undo.is_empty());
    h.key("u");
    assert!(status(&h).contains("Nothing to undo"), "{}", status(&h));
    assert!(h.store.log(usize::MAX).unwrap().len() > log);
}

#[test]
fn a_cancel_is_undone_and_u_works_from_another_pane() {
    let mut h = harness(Lang::Zh, 120, 40);
    let need = selected(&h);
    h.keys("<Enter> y >");
    let (id, _) = live(&h).unwrap();
    let offer_id = linkages(&h)[&id].offers[0].clone();
    let held = offer(&h, &offer_id);
    h.keys("x y");
    assert_eq!(linkages(&h)[&id].state, LinkageState::Cancelled);
    assert_eq!(offer(&h, &offer_id).committed, held.committed - 1);
    // Pane 1's `u` undoes the session's last change, this one too.
    h.keys("1 u");
    assert!(status(&h).contains("已撤销"), "{}", status(&h));
    assert_eq!(linkages(&h)[&id].state, LinkageState::Accepted);
    assert_eq!(offer(&h, &offer_id), held);
    assert_eq!(need_state(&h, &need), NeedState::Matched);
    h.key("2");
    assert_eq!(h.app.panes.linkage.live().map(|(l, _)| l), Some(id));
}

#[test]
fn an_undo_is_refused_when_the_records_changed_since() {
    let mut h = harness(Lang::Zh, 120, 40);
    h.keys("<Enter> y >");
    let (id, _) = live(&h).unwrap();
    let offer_id = linkages(&h)[&id].offers[0].clone();
    // Another office's change to the offer's committed capacity arrives.
    let before = offer(&h, &offer_id);
    let mut after = before.clone();
    after.committed += 1;
    if let Some(c) = after.capacity.as_mut() {
        *c += 1;
    }
    h.store
        .execute(Command::Update {
            id: offer_id.clone(),
            before: Record::Offer(before),
            after: Record::Offer(after.clone()),
        })
        .unwrap();
    let log = h.store.log(usize::MAX).unwrap().len();
    h.key("u");
    let msg = status(&h);
    assert!(
        msg.contains(&after.title) && msg.contains("未撤销"),
        "{msg}"
    );
    assert_eq!(
        h.store.log(usize::MAX).unwrap().len(),
        log,
        "nothing written"
    );
    assert_eq!(linkages(&h)[&id].state, LinkageState::Accepted);
    assert!(!h.app.shell.shared.undo_busy);
}

#[test]
fn a_saved_need_is_selected_even_outside_the_place_filter() {
    let mut h = harness(Lang::Zh, 120, 40);
    // Filter on a community other than 宝石.
    h.keys("f p");
    h.paste("曙光社区");
    h.key("<Enter>");
    assert!(h.app.panes.linkage.place.is_some());
    h.key("a");
    h.type_text("三楼独居老人助浴");
    h.key("<Tab>");
    h.type_text("bsyw");
    h.key("<Enter>");
    h.key("<Tab>");
    h.type_text("yl");
    h.key("<Enter>");
    h.key("<C-s>");
    assert!(h.app.panes.linkage.form.is_none(), "{}", h.screen());
    let r = h.app.panes.linkage.selected_need().expect("selected");
    assert_eq!(r.need.title, "三楼独居老人助浴");
    assert!(
        h.app.panes.linkage.place.is_none(),
        "the filter hid it: dropped"
    );
    let msg = status(&h);
    assert!(
        msg.contains("三楼独居老人助浴") && !msg.contains(&r.id),
        "{msg}"
    );
    // Undone with `u` like any change of the pane.
    let id = r.id.clone();
    h.key("u");
    assert!(h.store.get(Kind::Need, &id).unwrap().is_none());
}

#[test]
fn needs_show_their_place_and_offers_their_provider_and_maxima() {
    for (w, rows) in [(80u16, 24u16), (120, 40)] {
        let h = harness(Lang::Zh, w, rows);
        let screen = h.screen();
        let p = &h.app.panes.linkage;
        let r = p.selected_need().unwrap();
        // 宝石一网格 is in 宝石社区: the cell's name says both.
        let label = r.place_label();
        assert!(!label.is_empty());
        assert!(screen.contains(&label), "{label}\n{screen}");
        assert!(screen.contains(&r.place_full()), "{screen}");
        assert!(screen.contains("满分"), "{screen}");
        assert!(screen.contains(" 100   35   25   10"), "{screen}");
        assert!(
            screen.contains("口碑：") && screen.contains("时效："),
            "{screen}"
        );
        let (_, o, _) = p.selected_offer().unwrap();
        let provider = p.data.as_ref().unwrap().provider_name(&o.provider);
        assert!(!provider.is_empty());
        if w == 120 {
            // Beside the offer in the table (cut to its column).
            let head: String = provider.chars().take(6).collect();
            assert!(
                screen
                    .lines()
                    .any(|l| l.contains(&o.title) && l.contains(&head) && !l.contains('：')),
                "{head}\n{screen}"
            );
        }
    }
}

#[test]
fn repeated_titles_are_told_apart_by_their_place() {
    let h = harness(Lang::Zh, 120, 40);
    let p = &h.app.panes.linkage;
    let d = p.data.as_ref().unwrap();
    let same: Vec<_> = p
        .shown
        .iter()
        .map(|&i| &d.needs[i])
        .filter(|r| r.need.title == "暑期青少年托管")
        .collect();
    assert!(same.len() >= 4, "{}", same.len());
    let screen = h.screen();
    let lines: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("暑期青少年托管"))
        .collect();
    assert!(lines.len() >= 2, "{screen}");
    for r in &same[..2] {
        let label = r.place_label();
        assert!(
            lines.iter().any(|l| l.contains(&label)),
            "{label}\n{screen}"
        );
    }
}

#[test]
fn messages_of_the_pane_name_records_never_ids() {
    let mut h = harness(Lang::En, 120, 40);
    let tag = sanshe::store::replica_tag(&h.store.info().replica);
    let mut seen = Vec::new();
    h.keys("<Enter> y");
    seen.push(status(&h));
    h.key(">");
    seen.push(status(&h));
    h.key("x");
    if let Some(Popup::Confirm(c)) = h.app.shell.popups.last() {
        seen.push(c.text.clone());
    }
    h.key("y");
    seen.push(status(&h));
    h.key("u");
    seen.push(status(&h));
    for s in &seen {
        assert!(!s.is_empty());
        assert!(!s.contains(&tag), "an id in {s:?}");
    }
    // Nor in the need detail's linkage lines.
    let screen = h.screen();
    assert!(!screen.contains(&tag), "{screen}");
}

#[test]
fn waiting_needs_are_counted_alike_here_and_on_the_dashboard() {
    let mut h = harness(Lang::Zh, 120, 40);
    sanshe::demo::load_activities(&h.store).unwrap();
    let open = h
        .store
        .all(Kind::Need)
        .unwrap()
        .into_iter()
        .filter(|(_, r)| matches!(r, Record::Need(n) if n.state == NeedState::Open))
        .count();
    let pane2 = h.app.panes.linkage.waiting();
    assert_eq!(pane2, open);
    assert!(
        pane2 < h.app.panes.linkage.shown.len(),
        "the list holds more"
    );
    assert!(
        h.screen().contains(&format!("待对接需求 {open} 条")),
        "{}",
        h.screen()
    );
    h.key("4");
    let d = h.app.panes.dashboard.data.as_ref().unwrap();
    assert_eq!(d.needs_open, pane2);
    // A step in pane 2: pane 4 counts again and still agrees.
    h.keys("2 <Enter> y >");
    let pane2 = h.app.panes.linkage.waiting();
    assert_eq!(pane2, open - 1);
    h.key("4");
    let d = h.app.panes.dashboard.data.as_ref().unwrap();
    assert_eq!(d.needs_open, pane2);
    let screen = h.screen();
    let line = screen
        .lines()
        .find(|l| l.contains("待对接需求"))
        .unwrap()
        .to_string();
    assert!(line.contains(&pane2.to_string()), "{line}");
}

#[test]
fn the_store_takes_a_step_back_but_never_skips_one() {
    let h = harness(Lang::Zh, 80, 24);
    let all = linkages(&h);
    let set = |id: &str, l: &Linkage, to: LinkageState| {
        let mut after = l.clone();
        after.state = to;
        h.store.execute(Command::Update {
            id: id.to_string(),
            before: Record::Linkage(l.clone()),
            after: Record::Linkage(after),
        })
    };
    let (id, l) = all
        .iter()
        .find(|(_, l)| l.state == LinkageState::Proposed)
        .expect("a proposed linkage");
    assert!(set(id, l, LinkageState::InProgress).is_err(), "two steps");
    set(id, l, LinkageState::Accepted).unwrap();
    let mut now = l.clone();
    now.state = LinkageState::Accepted;
    // The way back of one step (what `u` writes).
    set(id, &now, LinkageState::Proposed).unwrap();
    let (id, l) = all
        .iter()
        .find(|(_, l)| l.state == LinkageState::Done)
        .expect("a done linkage");
    assert!(set(id, l, LinkageState::Proposed).is_err(), "three back");
    assert!(set(id, l, LinkageState::Cancelled).is_err(), "done is done");
    set(id, l, LinkageState::InProgress).unwrap();
}

#[test]
fn the_store_worker_answers_in_the_apps_language() {
    use sanshe::tui::event::Event;
    use sanshe::tui::panes::linkage::data::{LinkRequest, LinkResponse};
    use sanshe::tui::worker::{spawn, Request, Response};
    sanshe::text::set_lang(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let store = sanshe::store::Store::open(dir.path()).unwrap();
    let (events, answers) = std::sync::mpsc::channel();
    let (tx, worker) = spawn(store, events).unwrap();
    tx.send(Request::Linkage(LinkRequest::Step {
        id: "gone-1".into(),
        to: LinkageState::Accepted,
        today: crate::tui_support::today(),
    }))
    .unwrap();
    let answer = answers
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap();
    drop(tx);
    worker.join().unwrap();
    let msg = match answer {
        Event::Store(r) => match *r {
            Response::Linkage(r) => match *r {
                LinkResponse::Changed { result: Err(e), .. } => e,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert!(msg.contains("no longer in the database"), "{msg}");
    assert!(!msg.contains("gone-1"), "no id: {msg}");
}
