//! The 评价 (evaluations) pane through the app's update: key `5` lists the
//! organizations with their latest evaluation as `sanshe eval list` gives
//! them, `s` sorts, `a` enters scores (a value above an indicator's
//! maximum is refused on its field and nothing is written; a valid entry
//! is saved with the rubric's total and grade), `b` writes this month's
//! bulletin beside the database; snapshots at 80x24 and 120x40.

use std::collections::HashMap;

use crate::tui_support::Harness;
use assert_cmd::Command;
use sanshe::model::{Evaluation, Kind, Lang, Record, Rubric};
use sanshe::store::Store;
use sanshe::tui::app::PANE_EVALUATIONS;
use sanshe::tui::panes::evaluations::Sort;

fn demo(lang: Lang, w: u16, h: u16) -> Harness {
    let h = Harness::demo(lang, w, h);
    sanshe::demo::load_activities(&h.store).unwrap();
    h
}

fn evaluations(store: &Store) -> Vec<Evaluation> {
    store
        .all(Kind::Evaluation)
        .unwrap()
        .into_iter()
        .filter_map(|(_, r)| match r {
            Record::Evaluation(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// Full organization names by id.
fn names(store: &Store) -> HashMap<String, String> {
    store.names(Kind::Org).unwrap().into_iter().collect()
}

#[test]
fn key_five_lists_the_latest_grades_as_eval_list() {
    // `sanshe eval list` on the same demo data (another database: ids
    // differ, so organizations are matched by name).
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = Store::open(&db).unwrap();
        sanshe::demo::load(&store, sanshe::demo::fixture_records().unwrap()).unwrap();
        sanshe::demo::load_activities(&store).unwrap();
    }
    let out = Command::cargo_bin("sanshe")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["--lang", "zh", "eval", "list", "--format", "json"])
        .env("SANSHE_CONFIG_DIR", dir.path().join("config"))
        .env_remove("SANSHE_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    crate::cli_support::stop_server(&db);
    let cli_names = names(&Store::open(&db).unwrap());
    // The list is by organization, oldest period first: the last entry of
    // each organization is its latest.
    let mut latest: HashMap<String, &serde_json::Value> = HashMap::new();
    for e in &list {
        let name = cli_names[e["org"].as_str().unwrap()].clone();
        latest.insert(name, e);
    }
    assert!(latest.len() > 10, "the demo evaluates organizations");

    let mut h = demo(Lang::Zh, 120, 40);
    h.key("5");
    assert_eq!(h.app.shell.active, PANE_EVALUATIONS);
    let d = h
        .app
        .panes
        .evaluations
        .data
        .as_ref()
        .expect("evaluations loaded");
    let tui_names = names(&h.store);
    let mut seen = 0;
    for row in &d.rows {
        let name = &tui_names[&row.org];
        match (row.latest(), latest.get(name)) {
            (Some(g), Some(e)) => {
                assert_eq!(g.period, e["period"].as_str().unwrap(), "{name}");
                assert_eq!(
                    f64::from(g.total) / 10.0,
                    e["total"].as_f64().unwrap(),
                    "{name}"
                );
                assert_eq!(g.band.as_deref(), e["grade"].as_str(), "{name}");
                seen += 1;
            }
            (None, None) => {}
            (g, e) => panic!("{name}: pane {g:?}, eval list {e:?}"),
        }
    }
    assert_eq!(seen, latest.len());
    // The distribution counts every organization once.
    let (counts, none) = d.distribution();
    assert_eq!(counts.iter().sum::<usize>() + none, d.rows.len());
    assert_eq!(none, d.rows.len() - latest.len());
    let screen = h.screen();
    assert!(screen.contains("5 评价"), "{screen}");
    assert!(screen.contains("等级分布"), "{screen}");
    assert!(screen.contains(&format!("未评价 {none}")), "{screen}");

    // `s` sorts by total, highest first, then by grade.
    h.key("s");
    let p = &h.app.panes.evaluations;
    assert_eq!(p.sort, Sort::Total);
    let d = p.data.as_ref().unwrap();
    let totals: Vec<Option<u32>> = p
        .order
        .iter()
        .map(|&i| d.rows[i].latest().map(|g| g.total))
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    h.key("s");
    assert_eq!(h.app.panes.evaluations.sort, Sort::Grade);
    assert!(h.screen().contains("排序：等级"));
}

/// Opens score entry on the first organization, sets the period to
/// `2026` and the evaluator, and types `points(max)` for each indicator.
fn enter_scores(h: &mut Harness, points: impl Fn(usize, u32) -> u32) {
    h.keys("5 a");
    assert!(h.app.panes.evaluations.form.is_some(), "score entry opens");
    // The period starts as last year: make it this one.
    h.key("<Backspace>");
    h.type_text("6");
    h.key("<Tab>");
    h.type_text("王芳");
    for (i, ind) in Rubric::shipped().indicators().enumerate() {
        h.key("<Tab>");
        h.type_text(&points(i, ind.max).to_string());
    }
    h.key("<C-s>");
}

#[test]
fn a_score_above_its_maximum_is_refused_and_nothing_is_written() {
    let mut h = demo(Lang::Zh, 120, 40);
    let before = evaluations(&h.store).len();
    enter_scores(&mut h, |i, max| if i == 2 { max + 1 } else { max });
    let form = h
        .app
        .panes
        .evaluations
        .form
        .as_ref()
        .expect("the form stays open");
    assert!(form.error("i2").is_some(), "error on the third indicator");
    assert!(form.error("i0").is_none());
    assert_eq!(evaluations(&h.store).len(), before, "nothing written");
    // The label shows the maximum.
    let screen = h.screen();
    let third = Rubric::shipped().indicators().nth(2).unwrap().clone();
    assert!(
        screen.contains(&format!("{} (max {})", third.name, third.max)),
        "{screen}"
    );
}

#[test]
fn a_valid_entry_is_saved_with_the_rubrics_total_and_grade() {
    let mut h = demo(Lang::En, 80, 24);
    let before = evaluations(&h.store).len();
    let org = {
        h.key("5");
        h.app.panes.evaluations.selected().unwrap().org.clone()
    };
    // Everything one point below its maximum.
    enter_scores(&mut h, |_, max| max - 1);
    assert!(h.app.panes.evaluations.form.is_none(), "the form closes");
    let all = evaluations(&h.store);
    assert_eq!(all.len(), before + 1);
    let saved = all
        .iter()
        .find(|e| e.org == org && e.period == "2026")
        .expect("saved for the selected organization");
    assert_eq!(saved.evaluators, vec!["王芳".to_string()]);
    let rubric = Rubric::shipped();
    let n = rubric.indicators().count() as u32;
    let g = saved.grade(&rubric);
    assert_eq!(g.total_tenths, (rubric.total() - n) * 10);
    // The list shows it as the organization's latest.
    let row = h.app.panes.evaluations.selected().unwrap();
    assert_eq!(row.org, org);
    let latest = row.latest().unwrap();
    assert_eq!(latest.period, "2026");
    assert_eq!(latest.total, g.total_tenths);
    assert_eq!(latest.band.as_deref(), g.band.map(|b| b.key.as_str()));
}

#[test]
fn b_writes_this_months_bulletin_beside_the_database() {
    let mut h = demo(Lang::Zh, 80, 24);
    h.keys("5 b");
    let path = h.dir.path().join("bulletins").join("2026-11.md");
    let text = std::fs::read_to_string(&path).expect("bulletin written");
    assert!(text.contains("2026"), "{text}");
    assert!(text.contains("11"), "{text}");
    let status = h
        .app
        .shell
        .status
        .as_ref()
        .expect("says where")
        .text
        .clone();
    assert!(status.contains("2026-11.md"), "{status}");
}

/// Selects the first organization (in the pane's order) whose evaluations
/// include `period`; returns its id.
fn select_evaluated(h: &mut Harness, period: &str) -> String {
    h.key("5");
    let p = &h.app.panes.evaluations;
    let d = p.data.as_ref().unwrap();
    let pos = p
        .order
        .iter()
        .position(|&i| d.rows[i].history.iter().any(|g| g.period == period))
        .expect("the demo evaluates this period");
    let org = d.rows[p.order[pos]].org.clone();
    h.app.panes.evaluations.list.sel = pos;
    org
}

fn evaluations_of(store: &Store, org: &str) -> Vec<(String, Evaluation)> {
    store
        .all(Kind::Evaluation)
        .unwrap()
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Evaluation(e) if e.org == org => Some((id, e)),
            _ => None,
        })
        .collect()
}

#[test]
fn slash_searches_the_evaluations_as_in_pane_one() {
    let mut h = demo(Lang::Zh, 120, 40);
    h.key("5");
    let all = h.app.panes.evaluations.order.len();
    h.key("/");
    assert!(
        h.app.panes.evaluations.searching,
        "the search line has the focus"
    );
    h.type_text("wjm");
    let p = &h.app.panes.evaluations;
    let d = p.data.as_ref().unwrap();
    assert!(!p.order.is_empty() && p.order.len() < all);
    for &i in &p.order {
        assert!(
            sanshe::search::match_name("wjm", &d.rows[i].name).is_some(),
            "{}",
            d.rows[i].name
        );
    }
    let first = d.rows[p.order[0]].name.clone();
    let screen = h.screen();
    assert!(screen.contains("/ wjm"), "{screen}");
    assert!(
        screen.contains(&format!("{}/{all}", p.order.len())),
        "{screen}"
    );
    assert!(screen.contains(&first), "{screen}");
    // Enter keeps the filter and gives the keys back to the list.
    h.key("<Enter>");
    assert!(!h.app.panes.evaluations.searching);
    assert_eq!(h.app.panes.evaluations.query(), "wjm");
    h.key("j");
    assert_eq!(
        h.app.panes.evaluations.list.sel,
        1.min(h.app.panes.evaluations.order.len() - 1)
    );
    // Esc clears it.
    h.key("<Esc>");
    assert_eq!(h.app.panes.evaluations.query(), "");
    assert_eq!(h.app.panes.evaluations.order.len(), all);
    // Typing a Chinese character over the list starts a search with it.
    h.type_text("望江");
    assert!(h.app.panes.evaluations.searching);
    assert_eq!(h.app.panes.evaluations.query(), "望江");
    // Esc on the search line cancels it.
    h.key("<Esc>");
    assert!(!h.app.panes.evaluations.searching);
    assert_eq!(h.app.panes.evaluations.order.len(), all);
}

#[test]
fn the_latest_evaluation_is_corrected_with_half_points_and_the_correction_undone() {
    let mut h = demo(Lang::Zh, 120, 40);
    let org = select_evaluated(&mut h, "2026H1");
    let before = evaluations_of(&h.store, &org);
    let (id, old) = before
        .iter()
        .find(|(_, e)| e.period == "2026H1")
        .cloned()
        .unwrap();
    h.key("e");
    let form = h
        .app
        .panes
        .evaluations
        .form
        .as_ref()
        .expect("the form opens filled in");
    assert_eq!(form.text("period"), Some("2026H1"));
    assert_eq!(form.focused_key(), "i0");
    assert!(h.screen().contains("更正评价"), "{}", h.screen());
    // The score shown is replaced by what is typed: half points too.
    h.type_text("3.5");
    h.key("<C-s>");
    assert!(h.app.panes.evaluations.form.is_none(), "{}", h.screen());
    let first = Rubric::shipped().indicators().next().unwrap().key.clone();
    let after = evaluations_of(&h.store, &org);
    assert_eq!(after.len(), before.len(), "corrected, not added");
    let now = &after.iter().find(|(i, _)| *i == id).unwrap().1;
    assert_eq!(now.scores[&first].tenths, 35);
    assert_eq!((now.date, &now.evaluators), (old.date, &old.evaluators));
    let status = h.app.shell.status.as_ref().unwrap().text.clone();
    assert!(status.contains("已更正"), "{status}");
    // The list shows the new total.
    let total = now.grade(&Rubric::shipped()).total_tenths;
    assert_eq!(
        h.app
            .panes
            .evaluations
            .selected()
            .unwrap()
            .latest()
            .unwrap()
            .total,
        total
    );
    // `u` puts the scores back.
    h.key("u");
    let back = evaluations_of(&h.store, &org);
    assert_eq!(back.iter().find(|(i, _)| *i == id).unwrap().1, old);
    assert_eq!(
        h.app
            .panes
            .evaluations
            .selected()
            .unwrap()
            .latest()
            .unwrap()
            .total,
        old.grade(&Rubric::shipped()).total_tenths
    );
}

#[test]
fn the_latest_evaluation_is_deleted_after_asking_and_the_deletion_undone() {
    let mut h = demo(Lang::Zh, 120, 40);
    let org = select_evaluated(&mut h, "2026H1");
    let before = evaluations_of(&h.store, &org);
    h.key("d");
    assert!(matches!(
        h.app.shell.popups.last(),
        Some(sanshe::tui::popups::Popup::Confirm(_))
    ));
    let screen = h.screen();
    assert!(
        screen.contains("2026H1"),
        "the question names the period: {screen}"
    );
    h.key("n");
    assert_eq!(evaluations_of(&h.store, &org).len(), before.len());
    h.keys("d y");
    let after = evaluations_of(&h.store, &org);
    assert_eq!(after.len(), before.len() - 1);
    assert!(after.iter().all(|(_, e)| e.period != "2026H1"));
    let row = h.app.panes.evaluations.selected().unwrap();
    assert_eq!(row.org, org, "the selection stays");
    assert_ne!(row.latest().map(|g| g.period.as_str()), Some("2026H1"));
    h.key("u");
    assert_eq!(evaluations_of(&h.store, &org).len(), before.len());
    assert_eq!(
        h.app
            .panes
            .evaluations
            .selected()
            .unwrap()
            .latest()
            .unwrap()
            .period,
        "2026H1"
    );
}

#[test]
fn a_second_evaluation_of_the_same_period_asks_first() {
    let mut h = demo(Lang::Zh, 120, 40);
    let org = select_evaluated(&mut h, "2025");
    let before = evaluations_of(&h.store, &org).len();
    h.key("a");
    // The period offered is last year's, 2025: evaluated already.
    assert_eq!(
        h.app
            .panes
            .evaluations
            .form
            .as_ref()
            .unwrap()
            .text("period"),
        Some("2025")
    );
    h.key("<Tab>");
    for ind in Rubric::shipped().indicators() {
        h.key("<Tab>");
        if ind.key == "staff" {
            h.type_text("0.5");
        } else {
            h.type_text(&ind.max.to_string());
        }
    }
    h.key("<C-s>");
    assert!(matches!(
        h.app.shell.popups.last(),
        Some(sanshe::tui::popups::Popup::Confirm(_))
    ));
    assert_eq!(evaluations_of(&h.store, &org).len(), before, "asked first");
    // No: back to the form, nothing written.
    h.key("n");
    assert!(h.app.panes.evaluations.form.is_some());
    assert_eq!(evaluations_of(&h.store, &org).len(), before);
    // Yes: saved, half point included.
    h.keys("<C-s> y");
    assert!(h.app.panes.evaluations.form.is_none());
    let after = evaluations_of(&h.store, &org);
    assert_eq!(after.len(), before + 1);
    assert_eq!(after.iter().filter(|(_, e)| e.period == "2025").count(), 2);
    assert!(after.iter().any(|(_, e)| e.scores["staff"].tenths == 5));
    // Esc asks before throwing away what was typed.
    h.key("a");
    h.type_text("2");
    h.key("<Esc>");
    assert!(matches!(
        h.app.shell.popups.last(),
        Some(sanshe::tui::popups::Popup::Confirm(_))
    ));
    h.key("n");
    assert!(h.app.panes.evaluations.form.is_some());
    h.keys("<Esc> y");
    assert!(h.app.panes.evaluations.form.is_none());
    // Nothing typed: Esc closes at once.
    h.keys("a <Esc>");
    assert!(h.app.panes.evaluations.form.is_none() && h.app.shell.popups.is_empty());
    // A new period is not asked about.
    h.key("a");
    h.key("<C-u>");
    h.type_text("2024");
    h.key("<Tab>");
    for ind in Rubric::shipped().indicators() {
        h.key("<Tab>");
        h.type_text(&ind.max.to_string());
    }
    h.key("<C-s>");
    assert!(h.app.shell.popups.is_empty());
    assert_eq!(evaluations_of(&h.store, &org).len(), before + 2);
}

#[test]
fn u_in_pane_five_undoes_a_change_of_pane_one_and_the_list_follows() {
    let mut h = demo(Lang::Zh, 120, 40);
    let name = h.app.panes.orgs.selected_row().unwrap().name.clone();
    let orgs = h.store.org_count();
    h.keys("d y");
    assert_eq!(h.store.org_count(), orgs - 1);
    h.key("5");
    let rows = h.app.panes.evaluations.data.as_ref().unwrap().rows.len();
    h.key("u");
    assert_eq!(h.store.org_count(), orgs, "the deletion is undone");
    let d = h
        .app
        .panes
        .evaluations
        .data
        .as_ref()
        .expect("pane 5 reads its list again, not stuck on loading");
    assert_eq!(d.rows.len(), rows + 1);
    assert!(!h.screen().contains("正在读取评价"), "{}", h.screen());
    let _ = name;
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

#[test]
fn snapshot_pane() {
    for (lang, l) in LANGS {
        for (w, hgt) in SIZES {
            let mut h = demo(lang, w, hgt);
            h.key("5");
            insta::assert_snapshot!(format!("evaluations_{l}_{w}x{hgt}"), h.screen());
        }
    }
}

#[test]
fn snapshot_score_entry() {
    let mut h = demo(Lang::Zh, 80, 24);
    h.keys("5 a");
    insta::assert_snapshot!("evaluations_entry_zh_80x24", h.screen());
}
