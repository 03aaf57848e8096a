//! Exporting the list a pane shows (`X x` Excel, `X c` CSV): the request
//! to the store worker carries exactly the ids the pane lists, with its
//! filter on, in its order, for organizations (pane 1), needs (pane 2),
//! activities of the month (pane 3) and evaluations (pane 5); the worker
//! writes them to `DB/exports/<kind>-<time>.<ext>` with those rows only
//! (read back), and the bottom bar names the file and the row count. The
//! keys are free in every pane with a list, in all three keymaps.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::tui_support::{today, Harness};
use sanshe::interchange::read::read_rows;
use sanshe::interchange::SheetFormat;
use sanshe::model::activity::month_key;
use sanshe::model::{Kind, Lang, OrgType, Record};
use sanshe::tui::action::{Action, Context};
use sanshe::tui::app::{Effect, PANE_DASHBOARD, PANE_EVALUATIONS, PANE_LINKAGE, PANE_SYNC};
use sanshe::tui::export::{ExportRequest, Listed};
use sanshe::tui::key::Key;
use sanshe::tui::keymap::{Keymap, Lookup, SHIPPED};
use sanshe::tui::worker::Request;

/// The demo township with activities, evaluations, needs and offers.
fn demo(lang: Lang) -> Harness {
    let h = Harness::demo(lang, 120, 40);
    sanshe::demo::load_activities(&h.store).unwrap();
    sanshe::demo::load_linkage(&h.store).unwrap();
    h
}

/// Presses `X` and the format key; returns the export request sent (not
/// yet answered) and the effects to run.
fn press_export(h: &mut Harness, format: &str) -> (ExportRequest, Vec<Effect>) {
    let fx = h.app.on_key(crate::tui_support::key_event("X"));
    assert!(fx.is_empty(), "X alone waits for the second key");
    assert!(!h.app.shell.pending.is_empty());
    let fx = h.app.on_key(crate::tui_support::key_event(format));
    let r = fx
        .iter()
        .find_map(|e| match e {
            Effect::Store(Request::Export(r)) => Some(r.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no export request: {:?}", h.app.shell.status));
    (r, fx)
}

fn status(h: &Harness) -> String {
    h.app
        .shell
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn exports(h: &Harness) -> Vec<PathBuf> {
    let dir = h.store.path().join("exports");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs the export's effects (the worker's `serve`); returns the new
/// file and its data rows (the header row left out).
fn written(h: &mut Harness, fx: Vec<Effect>) -> (PathBuf, Vec<Vec<String>>) {
    let before = exports(h);
    h.pump(fx);
    let after = exports(h);
    assert_eq!(after.len(), before.len() + 1, "{}", status(h));
    let path = after.into_iter().find(|p| !before.contains(p)).unwrap();
    let (rows, _) = read_rows(&path, None).unwrap();
    let rows = rows
        .rows()
        .skip(1)
        .map(|r| r.into_iter().map(str::to_string).collect())
        .collect();
    (path, rows)
}

/// The first cell (the id) of each row.
fn first_cells(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter().map(|r| r[0].clone()).collect()
}

fn kinds_of(h: &Harness, kind: Kind) -> Vec<(String, Record)> {
    h.store.all(kind).unwrap()
}

#[test]
fn organizations_with_a_type_filter_export_exactly_the_rows_shown() {
    let mut h = demo(Lang::Zh);
    let total = h.app.panes.orgs.view.len();
    h.keys("f t");
    h.type_text("jjh");
    h.key("<Enter>");
    assert_eq!(h.app.panes.orgs.filters.kind, Some(OrgType::Foundation));
    let shown: Vec<String> = h
        .app
        .panes
        .orgs
        .view
        .iter()
        .map(|&k| h.app.panes.orgs.rows[k as usize].id.clone())
        .collect();
    assert!(!shown.is_empty() && shown.len() < total);
    let (r, fx) = press_export(&mut h, "x");
    assert_eq!(r.kind, Kind::Org);
    assert_eq!(r.ids, shown, "the ids shown, in their order");
    // Every foundation of the store, and nothing else.
    let foundations: HashSet<String> = kinds_of(&h, Kind::Org)
        .into_iter()
        .filter(|(_, r)| matches!(r, Record::Org(o) if o.kind == OrgType::Foundation))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(r.ids.iter().cloned().collect::<HashSet<_>>(), foundations);
    assert!(
        status(&h).contains(&shown.len().to_string()),
        "{}",
        status(&h)
    );

    let (path, rows) = written(&mut h, fx);
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("组织-") && name.ends_with(".xlsx"),
        "{name}"
    );
    assert_eq!(first_cells(&rows), shown);
    let said = status(&h);
    assert!(said.contains(&path.display().to_string()), "{said}");
    assert!(said.contains(&format!("{} 行", shown.len())), "{said}");
}

#[test]
fn organizations_found_by_a_search_export_as_csv() {
    let mut h = demo(Lang::En);
    h.key("/");
    h.type_text("bss");
    h.key("<Enter>");
    let shown: Vec<String> = h
        .app
        .panes
        .orgs
        .view
        .iter()
        .map(|&k| h.app.panes.orgs.rows[k as usize].id.clone())
        .collect();
    assert!(!shown.is_empty() && shown.len() < h.app.panes.orgs.rows.len());
    let (r, fx) = press_export(&mut h, "c");
    assert_eq!(r.ids, shown);
    let (path, rows) = written(&mut h, fx);
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("Organization-") && name.ends_with(".csv"),
        "{name}"
    );
    assert_eq!(first_cells(&rows), shown);
    let said = status(&h);
    assert!(
        said.contains(&format!(
            "Exported {} rows: {}",
            shown.len(),
            path.display()
        )),
        "{said}"
    );
}

#[test]
fn needs_of_a_grid_cell_export_as_listed_in_pane_two() {
    let mut h = demo(Lang::Zh);
    h.key(&(PANE_LINKAGE + 1).to_string());
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
    h.paste(&grid);
    h.key("<Enter>");
    let p = &h.app.panes.linkage;
    let d = p.data.as_ref().unwrap();
    let shown: Vec<String> = p.shown.iter().map(|&i| d.needs[i].id.clone()).collect();
    assert!(!shown.is_empty() && shown.len() < all);
    let (r, fx) = press_export(&mut h, "c");
    assert_eq!(r.kind, Kind::Need);
    assert_eq!(r.ids, shown);
    for id in &r.ids {
        match h.store.get(Kind::Need, id).unwrap() {
            Some(Record::Need(n)) => assert!(n.grid.starts_with(&grid), "{}", n.grid),
            other => panic!("{other:?}"),
        }
    }
    let (path, rows) = written(&mut h, fx);
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("需求-"));
    assert_eq!(first_cells(&rows), shown);
    // The overview shows no needs: nothing to export then.
    h.key("o");
    let fx = h.app.update(Action::ExportXlsx);
    assert!(fx.is_empty());
    assert!(status(&h).contains("没有可导出的列表"), "{}", status(&h));
}

#[test]
fn activities_of_the_month_shown_export_in_their_order() {
    let mut h = demo(Lang::Zh);
    h.key("3");
    h.key("[");
    h.key("[");
    let month = sanshe::model::activity::prev_month(month_key(today()));
    assert_eq!(h.app.panes.activities.filter.month, Some(month));
    let p = &h.app.panes.activities;
    let d = p.data.as_ref().unwrap();
    let shown: Vec<String> = p
        .shown
        .iter()
        .map(|&n| d.log.slot(n).unwrap().id.clone())
        .collect();
    let of_month: HashSet<String> = kinds_of(&h, Kind::Activity)
        .into_iter()
        .filter(|(_, r)| matches!(r, Record::Activity(a) if a.month() == month))
        .map(|(id, _)| id)
        .collect();
    assert!(!of_month.is_empty());
    let (r, fx) = press_export(&mut h, "x");
    assert_eq!(r.kind, Kind::Activity);
    assert_eq!(r.ids, shown);
    assert_eq!(r.ids.iter().cloned().collect::<HashSet<_>>(), of_month);
    let (path, rows) = written(&mut h, fx);
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("活动-"));
    assert_eq!(first_cells(&rows), shown);
}

#[test]
fn evaluations_export_the_latest_of_each_organization_listed() {
    let mut h = demo(Lang::Zh);
    h.key(&(PANE_EVALUATIONS + 1).to_string());
    // Highest total first.
    h.key("s");
    let p = &h.app.panes.evaluations;
    let d = p.data.as_ref().unwrap();
    let shown: Vec<String> = p
        .order
        .iter()
        .filter_map(|&i| Some(d.rows[i].latest()?.id.clone()))
        .collect();
    let evaluated: HashSet<String> = kinds_of(&h, Kind::Evaluation)
        .into_iter()
        .filter_map(|(_, r)| match r {
            Record::Evaluation(e) => Some(e.org),
            _ => None,
        })
        .collect();
    assert_eq!(
        shown.len(),
        evaluated.len(),
        "one per organization evaluated"
    );
    let (r, fx) = press_export(&mut h, "c");
    assert_eq!(r.kind, Kind::Evaluation);
    assert_eq!(r.ids, shown);
    // Each is the latest of its organization, as the list shows it.
    for (id, &i) in r.ids.iter().zip(p_order(&h).iter()) {
        let row = &h.app.panes.evaluations.data.as_ref().unwrap().rows[i];
        match h.store.get(Kind::Evaluation, id).unwrap() {
            Some(Record::Evaluation(e)) => {
                assert_eq!(e.org, row.org);
                assert_eq!(e.period, row.latest().unwrap().period);
            }
            other => panic!("{other:?}"),
        }
    }
    let (path, rows) = written(&mut h, fx);
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("评价-"));
    assert_eq!(first_cells(&rows), shown);
}

/// The rows of pane 5 that have an evaluation, in the order shown.
fn p_order(h: &Harness) -> Vec<usize> {
    let p = &h.app.panes.evaluations;
    let d = p.data.as_ref().unwrap();
    p.order
        .iter()
        .copied()
        .filter(|&i| d.rows[i].latest().is_some())
        .collect()
}

#[test]
fn panes_without_a_list_say_so_and_write_nothing() {
    let mut h = demo(Lang::Zh);
    for pane in [PANE_SYNC, PANE_DASHBOARD] {
        h.key(&(pane + 1).to_string());
        let fx = h.app.update(Action::ExportCsv);
        assert!(fx.is_empty(), "pane {pane}: {fx:?}");
        assert!(status(&h).contains("没有可导出的列表"), "{}", status(&h));
    }
    assert!(exports(&h).is_empty());
    // An empty list: said, nothing sent.
    let empty = Listed {
        kind: Kind::Org,
        ids: Vec::new(),
    };
    let said = sanshe::tui::export::request(Some(empty), SheetFormat::Csv).unwrap_err();
    assert!(said.text.contains("列表是空的"), "{}", said.text);
}

/// A file that cannot be written (here `DB/exports` is a file, not a
/// folder) is named in the bottom bar as an error; nothing is left behind.
#[test]
fn a_failed_write_names_the_file_and_leaves_nothing() {
    let mut h = demo(Lang::En);
    let blocker = h.store.path().join("exports");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let (_, fx) = press_export(&mut h, "x");
    h.pump(fx);
    let s = h.app.shell.status.clone().expect("a message");
    assert_eq!(s.tone, sanshe::tui::app::Tone::Error, "{}", s.text);
    assert!(s.text.starts_with("Export failed: "), "{}", s.text);
    assert!(
        s.text.contains(&blocker.display().to_string()),
        "{}",
        s.text
    );
    assert_eq!(std::fs::read(&blocker).unwrap(), b"not a folder");
    let left: Vec<_> = std::fs::read_dir(h.store.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// `X x` and `X c` reach the export in every pane with a list, in every
/// shipped keymap: no pane section takes `X` for itself.
#[test]
fn the_export_keys_are_free_in_every_list_pane_and_keymap() {
    let panes = [
        Context::Orgs,
        Context::Linkage,
        Context::Activities,
        Context::Evaluations,
    ];
    let x = Key::parse("X").unwrap();
    for (name, _) in SHIPPED {
        let k = Keymap::shipped(name).unwrap().unwrap();
        for pane in panes {
            let ctx = [pane, Context::List, Context::Global];
            assert_eq!(k.lookup(&ctx, &[x]), Lookup::Pending, "{name} {pane:?}");
            for (second, action) in [("x", Action::ExportXlsx), ("c", Action::ExportCsv)] {
                let seq = [x, Key::parse(second).unwrap()];
                assert_eq!(
                    k.lookup(&ctx, &seq),
                    Lookup::Action(action),
                    "{name} {pane:?} X {second}"
                );
            }
        }
    }
}
