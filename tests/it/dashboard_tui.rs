//! The 概览 (dashboard) pane through the app's update: key `4` shows the
//! figures of `report::Stats` (and of `sanshe stats --format json` on the
//! same data), `r` recomputes after a change made elsewhere, and snapshots
//! at 80x24 and 120x40 in Chinese and English ('today' is the harness's
//! fixed date, so the month range in the chart title is stable).

use crate::tui_support::{today, Harness};
use assert_cmd::Command;
use sanshe::model::{Activity, Lang, Record, Rubric};
use sanshe::report::Data;
use sanshe::store::{Command as StoreCommand, Store};
use sanshe::tui::action::Action;
use sanshe::tui::app::PANE_DASHBOARD;

/// Loads the demo organizations, activities, evaluations and linkage
/// records into `store`.
fn load_demo(store: &Store) {
    sanshe::demo::load(store, sanshe::demo::fixture_records().unwrap()).unwrap();
    sanshe::demo::load_activities(store).unwrap();
    sanshe::demo::load_linkage(store).unwrap();
}

fn demo(lang: Lang, w: u16, h: u16) -> Harness {
    let h = Harness::demo(lang, w, h);
    sanshe::demo::load_activities(&h.store).unwrap();
    sanshe::demo::load_linkage(&h.store).unwrap();
    h
}

#[test]
fn key_four_shows_the_figures_of_stats() {
    let mut h = demo(Lang::Zh, 120, 40);
    h.key("4");
    assert_eq!(h.app.shell.active, PANE_DASHBOARD);
    let d = h.app.panes.dashboard.data.as_ref().expect("figures loaded");
    let expected = Data::load(&h.store, today(), &Rubric::shipped())
        .unwrap()
        .stats
        .figures(12);
    assert_eq!(d.figures, expected);
    assert!(expected.orgs > 0 && expected.activities.activities >= 1_000);
    assert!(d.needs_open > 0, "the demo has open needs");
    assert!(d.linkages_active > 0, "the demo has linkages under way");
    let screen = h.screen();
    assert!(screen.contains("4 概览"), "{screen}");
    assert!(screen.contains("党组织覆盖率"), "{screen}");
    assert!(
        screen.contains(&format!("{}%", expected.party_coverage)),
        "{screen}"
    );
    assert!(
        screen.contains(&format!(
            "{}/{}",
            expected.party_covered, expected.active_orgs
        )),
        "{screen}"
    );
    assert!(screen.contains("2025-12 至 2026-11"), "{screen}");
    // The first organization whose inspection is due, by its short name.
    let first_due: String = d.inspection_names[0].chars().take(4).collect();
    assert!(screen.contains(&first_due), "{screen}");
}

#[test]
fn figures_equal_those_of_sanshe_stats() {
    // The same demo data in a store the command line can open.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = Store::open(&db).unwrap();
        load_demo(&store);
    }
    let out = Command::cargo_bin("sanshe")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["--lang", "zh", "stats", "--format", "json"])
        .env("SANSHE_CONFIG_DIR", dir.path().join("config"))
        .env_remove("SANSHE_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut h = demo(Lang::Zh, 80, 24);
    h.key("4");
    let f = &h.app.panes.dashboard.data.as_ref().unwrap().figures;
    assert_eq!(v["orgs"]["total"], f.orgs);
    assert_eq!(v["orgs"]["active"], f.active_orgs);
    assert_eq!(v["orgs"]["party_coverage"], f.party_coverage);
    let by = v["party_by_community"].as_array().unwrap();
    assert_eq!(by.len(), f.party_by_community.len());
    for c in by {
        let (active, covered) = f.party_by_community[c["code"].as_str().unwrap()];
        assert_eq!(
            (c["active"].as_u64(), c["covered"].as_u64()),
            (Some(active as u64), Some(covered as u64))
        );
    }
    assert_eq!(v["activities"]["total"], f.activities.activities);
    assert_eq!(v["activities"]["participants"], f.activities.participants);
    let screen = h.screen();
    for n in [
        f.orgs.to_string(),
        format!("{}%", f.party_coverage),
        f.activities.activities.to_string(),
    ] {
        assert!(screen.contains(&n), "{n} not on\n{screen}");
    }
}

#[test]
fn r_recomputes_after_a_change_made_elsewhere() {
    let mut h = demo(Lang::En, 80, 24);
    h.key("4");
    let before = h.app.panes.dashboard.data.as_ref().unwrap().figures.clone();
    // Another session logs an activity today.
    let org = h.store.orgs().unwrap()[0].0.clone();
    let mut a = Activity::new(&org, today(), "Extra");
    a.participants = Some(7);
    h.store
        .execute(StoreCommand::Create {
            record: Record::Activity(a),
        })
        .unwrap();
    // Made elsewhere: this app's store worker does not announce it (the
    // notice is taken here, as another process's change would not reach
    // it until a server announces changes to every app).
    assert!(h.store.take_notice().touches(sanshe::model::Kind::Activity));
    // Coming back to the pane does not recompute; `r` does.
    h.keys("1 4");
    assert_eq!(h.app.panes.dashboard.data.as_ref().unwrap().figures, before);
    h.action(Action::DashboardReload);
    let after = h.app.panes.dashboard.data.as_ref().unwrap().figures.clone();
    assert_eq!(
        after.activities.activities,
        before.activities.activities + 1
    );
    let last = |f: &sanshe::report::Figures| f.months.last().unwrap().1;
    assert_eq!(last(&after).participants, last(&before).participants + 7);
    h.key("r");
    assert_eq!(
        h.app
            .panes
            .dashboard
            .data
            .as_ref()
            .unwrap()
            .figures
            .activities,
        after.activities
    );
}

#[test]
fn an_empty_store_shows_zeros() {
    let mut h = Harness::new(Lang::Zh, Vec::new(), 80, 24);
    h.key("4");
    let d = h.app.panes.dashboard.data.as_ref().unwrap();
    assert_eq!(d.figures.orgs, 0);
    assert_eq!(d.figures.party_coverage, 0.0);
    let screen = h.screen();
    assert!(screen.contains("组织总数"), "{screen}");
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

#[test]
fn snapshot_pane() {
    for (lang, l) in LANGS {
        for (w, hgt) in SIZES {
            let mut h = demo(lang, w, hgt);
            h.key("4");
            insta::assert_snapshot!(format!("dashboard_{l}_{w}x{hgt}"), h.screen());
        }
    }
}

#[test]
fn an_organization_added_in_pane_one_is_counted_in_pane_four() {
    let mut h = demo(Lang::Zh, 120, 40);
    h.key("4");
    let before = h.app.panes.dashboard.data.as_ref().unwrap().figures.orgs;
    h.key("1");
    h.key("a");
    h.type_text("测试社区读书会");
    h.key("<C-s>");
    assert!(h.app.shell.popups.is_empty(), "saved");
    h.key("4");
    assert_eq!(
        h.app.panes.dashboard.data.as_ref().unwrap().figures.orgs,
        before + 1
    );
    // Deleted, then the delete undone: counted out, then in again.
    h.key("1");
    h.key("d");
    h.key("y");
    h.key("4");
    assert_eq!(
        h.app.panes.dashboard.data.as_ref().unwrap().figures.orgs,
        before
    );
    h.keys("1 u 4");
    assert_eq!(
        h.app.panes.dashboard.data.as_ref().unwrap().figures.orgs,
        before + 1
    );
}
