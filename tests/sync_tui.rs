//! The 同步 (sync) pane through the app's update: key `6` shows this
//! office and its peers; `x` exports a bundle for a peer into the outbox
//! beside the database, `i` imports a bundle file (another office's app
//! sees the change arrive); conflicts of concurrent edits are listed and
//! `R` restores the selected overwritten value; a damaged file is refused
//! and changes nothing. Snapshots at 80x24 and 120x40, zh and en, with
//! replica ids and times masked.

#[path = "it/tui_support/mod.rs"]
mod tui_support;

use std::path::PathBuf;

use sanshe::model::{Lang, OrgType, Organization, Record};
use sanshe::store::{Command, Store};
use sanshe::sync::{self, ExportOptions, ImportOptions};
use sanshe::tui::app::PANE_SYNC;
use tui_support::Harness;

const OFFICE_A: &str = "北山街道";
const OFFICE_B: &str = "西溪街道";

/// An app on a store named `office` in the 西湖区 network.
fn office(lang: Lang, name: &str, records: Vec<Record>, w: u16, h: u16) -> Harness {
    let h = Harness::new(lang, records, w, h);
    h.store.set_office(name).unwrap();
    h.store.set_network("西湖区").unwrap();
    h
}

fn org_record(name: &str) -> Record {
    Record::Org(Organization::new(name, OrgType::Community))
}

/// The pane's key: its position in the top bar, plus one.
fn pane_key() -> String {
    (PANE_SYNC + 1).to_string()
}

fn status_text(h: &Harness) -> String {
    h.app
        .shell
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The bundles in the outbox of `h`'s database.
fn outbox(h: &Harness) -> Vec<PathBuf> {
    let dir = h.store.path().join("outbox");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn org_id(s: &Store, name: &str) -> Option<String> {
    s.all(sanshe::model::Kind::Org)
        .unwrap()
        .into_iter()
        .find(|(_, r)| matches!(r, Record::Org(o) if o.name == name))
        .map(|(id, _)| id)
}

/// Sends every change of `from` that `to` lacks (as the CLI would).
fn deliver(from: &Store, to: &Store, dir: &std::path::Path) {
    let path = dir.join(format!("{}.ssb", from.office()));
    let options = ExportOptions {
        peer: Some(to.office()),
        full: false,
    };
    sync::export(from, &path, &options, None).unwrap();
    sync::import(to, &path, &ImportOptions::default(), None, &mut |_| {}).unwrap();
}

/// Exports in `h`'s app for `peer` (typed in the question).
fn export_in_app(h: &mut Harness, peer: &str) -> PathBuf {
    let before = outbox(h);
    h.key("x");
    assert!(h.app.text_focus(), "the peer question has the focus");
    h.type_text(peer);
    h.key("<Enter>");
    let after = outbox(h);
    assert_eq!(after.len(), before.len() + 1, "{}", status_text(h));
    after.into_iter().find(|p| !before.contains(p)).unwrap()
}

/// Imports `path` in `h`'s app.
fn import_in_app(h: &mut Harness, path: &std::path::Path) {
    h.key("i");
    h.paste(&path.display().to_string());
    h.key("<Enter>");
}

#[test]
fn export_in_one_app_arrives_in_the_other() {
    let mut a = office(Lang::Zh, OFFICE_A, vec![org_record("北山读书会")], 120, 40);
    let mut b = office(Lang::Zh, OFFICE_B, Vec::new(), 120, 40);
    a.key(&pane_key());
    assert_eq!(a.app.shell.active, PANE_SYNC);
    let screen = a.screen();
    assert!(screen.contains("同步"), "{screen}");
    assert!(screen.contains(OFFICE_A), "{screen}");
    assert!(screen.contains("西湖区"), "{screen}");

    let file = export_in_app(&mut a, OFFICE_B);
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with(OFFICE_A) && name.ends_with(".ssb"),
        "{name}"
    );
    let said = status_text(&a);
    assert!(said.contains(&file.display().to_string()), "{said}");
    assert!(said.contains("条更改") || said.contains('1'), "{said}");

    assert_eq!(org_id(&b.store, "北山读书会"), None);
    b.key(&pane_key());
    import_in_app(&mut b, &file);
    let said = status_text(&b);
    assert!(said.contains(OFFICE_A), "{said}");
    assert!(org_id(&b.store, "北山读书会").is_some(), "{said}");
    // B now knows A: its status lists the peer.
    let screen = b.screen();
    assert!(screen.contains(OFFICE_A), "{screen}");
    // And B's other panes read the database again: the organization is
    // listed in pane 1, the dashboard counts it.
    b.key("1");
    let screen = b.screen();
    assert!(screen.contains("北山读书会"), "{screen}");
    b.key("4");
    assert_eq!(
        b.app.panes.dashboard.data.as_ref().map(|d| d.figures.orgs),
        Some(1)
    );

    // A second export for B, after B reported back, holds nothing new.
    deliver(&b.store, &a.store, b.dir.path());
    a.key("r");
    let screen = a.screen();
    assert!(screen.contains(OFFICE_B), "{screen}");
    export_in_app(&mut a, OFFICE_B);
    let said = status_text(&a);
    assert!(said.contains("（0 项变更"), "{said}");
}

/// Two offices holding the same organization, edited concurrently (A
/// first, then B): B's phone wins, A's is overwritten. Returns A's app
/// (with the conflict imported) and B's store.
fn conflict(lang: Lang, w: u16, h: u16) -> (Harness, Harness, String) {
    let a = office(lang, OFFICE_A, vec![org_record("北山读书会")], w, h);
    let b = office(lang, OFFICE_B, Vec::new(), w, h);
    deliver(&a.store, &b.store, a.dir.path());
    let id = org_id(&a.store, "北山读书会").unwrap();
    for (s, phone) in [(&a.store, "0571-88880001"), (&b.store, "0571-88880002")] {
        let Some(Record::Org(before)) = s.get(sanshe::model::Kind::Org, &id).unwrap() else {
            panic!("no org");
        };
        let mut after = before.clone();
        after.phone = Some(phone.to_string());
        s.execute(Command::Update {
            id: id.clone(),
            before: Record::Org(before),
            after: Record::Org(after),
        })
        .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    deliver(&b.store, &a.store, b.dir.path());
    (a, b, id)
}

fn phone(s: &Store, id: &str) -> Option<String> {
    match s.get(sanshe::model::Kind::Org, id).unwrap() {
        Some(Record::Org(o)) => o.phone,
        _ => None,
    }
}

#[test]
fn conflicts_are_listed_and_restored() {
    let (mut a, _b, id) = conflict(Lang::Zh, 120, 40);
    assert_eq!(phone(&a.store, &id).as_deref(), Some("0571-88880002"));
    a.key(&pane_key());
    let rows = &a.app.panes.sync.data.as_ref().unwrap().conflicts;
    assert_eq!(rows.len(), 1);
    let screen = a.screen();
    for want in [
        "北山读书会",
        "0571-88880001",
        "0571-88880002",
        OFFICE_B,
        "冲突（1）",
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    // Asks first; `n` leaves everything as it was.
    a.key("R");
    assert!(
        matches!(
            a.app.panes.sync.ask,
            Some(sanshe::tui::panes::sync::Ask::Restore { n: 1, .. })
        ),
        "{:?}",
        a.app.panes.sync.ask
    );
    assert!(a.screen().contains("恢复"), "{}", a.screen());
    a.key("n");
    assert!(a.app.panes.sync.ask.is_none());
    assert_eq!(phone(&a.store, &id).as_deref(), Some("0571-88880002"));
    a.key("R");
    a.key("y");
    assert_eq!(phone(&a.store, &id).as_deref(), Some("0571-88880001"));
    let said = status_text(&a);
    assert!(said.contains("0571-88880001"), "{said}");
    // The list was read again afterwards: it is what the CLI lists now.
    assert_eq!(
        a.app.panes.sync.data.as_ref().unwrap().conflicts,
        sync::conflicts(&a.store).unwrap()
    );
}

/// Changes organization `id` in `s` as a local edit.
fn edit_org(s: &Store, id: &str, change: impl FnOnce(&mut Organization)) {
    let Some(Record::Org(before)) = s.get(sanshe::model::Kind::Org, id).unwrap() else {
        panic!("no org");
    };
    let mut after = before.clone();
    change(&mut after);
    s.execute(Command::Update {
        id: id.to_string(),
        before: Record::Org(before),
        after: Record::Org(after),
    })
    .unwrap();
}

/// The conflicts list, the restore question and the message after it name
/// things as people do: the record by its name, the field by its label, a
/// state by its label and a grid cell by its name; never a member name, a
/// stored key, a place code or a record id.
#[test]
fn conflicts_are_shown_in_words() {
    use sanshe::model::{Place, PlaceLevel, RegState};
    let place = |code: &str, name: &str, level, parent: Option<&str>| {
        Record::Place(Place {
            code: code.into(),
            name: name.into(),
            level,
            parent: parent.map(str::to_string),
        })
    };
    let mut records = vec![
        place("XH", "西湖区", PlaceLevel::District, None),
        place("BSJ", "北山街道", PlaceLevel::Township, Some("XH")),
        place("BSJ-01", "宝石社区", PlaceLevel::Community, Some("BSJ")),
        place("BSJ-01-01", "宝石一网格", PlaceLevel::Grid, Some("BSJ-01")),
        place("BSJ-01-02", "宝石二网格", PlaceLevel::Grid, Some("BSJ-01")),
    ];
    records.push(org_record("北山读书会"));
    for lang in [Lang::Zh, Lang::En] {
        let mut a = office(lang, OFFICE_A, records.clone(), 120, 40);
        let b = office(lang, OFFICE_B, Vec::new(), 120, 40);
        deliver(&a.store, &b.store, a.dir.path());
        let id = org_id(&a.store, "北山读书会").unwrap();
        for (s, state, grid) in [
            (&a.store, RegState::Deregistered, "BSJ-01-01"),
            (&b.store, RegState::Registered, "BSJ-01-02"),
        ] {
            edit_org(s, &id, |o| {
                o.state = state;
                o.grid = Some(grid.into());
            });
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        deliver(&b.store, &a.store, b.dir.path());
        a.key(&pane_key());
        assert_eq!(a.app.panes.sync.data.as_ref().unwrap().conflicts.len(), 2);
        let (want, never): (&[&str], &[&str]) = match lang {
            Lang::Zh => (
                &[
                    "组织「北山读书会」",
                    "登记状态",
                    "已登记",
                    "已注销",
                    "网格",
                    "宝石一网格",
                    "宝石二网格",
                ],
                &["state", "registered", "grid", "BSJ-01"],
            ),
            Lang::En => (
                &[
                    "Organization \"北山读书会\"",
                    "registration state",
                    "Registered",
                    "Deregistered",
                    "grid cell",
                    "宝石一网格",
                    "宝石二网格",
                ],
                &["/  state", "deregistered", "/  grid  ", "BSJ-01"],
            ),
        };
        let screen = a.screen();
        for w in want {
            assert!(screen.contains(w), "{w}\n{screen}");
        }
        for w in never.iter().chain([&id.as_str()]) {
            assert!(!screen.contains(w), "{w}\n{screen}");
        }
        a.key("R");
        let Some(sanshe::tui::panes::sync::Ask::Restore { text, .. }) =
            a.app.panes.sync.ask.clone()
        else {
            panic!("asks first");
        };
        a.key("y");
        let said = status_text(&a);
        for t in [&text, &said] {
            assert!(t.contains("北山读书会"), "{t}");
            for w in never.iter().chain([&id.as_str()]) {
                assert!(!t.contains(w), "{w}: {t}");
            }
        }
    }
}

#[test]
fn a_damaged_file_is_refused_and_changes_nothing() {
    let mut a = office(Lang::En, OFFICE_A, vec![org_record("北山读书会")], 120, 40);
    let mut b = office(Lang::En, OFFICE_B, Vec::new(), 120, 40);
    a.key(&pane_key());
    let file = export_in_app(&mut a, OFFICE_B);
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x5a;
    let damaged = b.dir.path().join("damaged.ssb");
    std::fs::write(&damaged, &bytes).unwrap();
    let before = b.store.version_vector().unwrap();
    b.key(&pane_key());
    import_in_app(&mut b, &damaged);
    let s = b.app.shell.status.clone().expect("a message");
    assert_eq!(s.tone, sanshe::tui::app::Tone::Error, "{}", s.text);
    assert!(
        s.text.contains("damaged") || s.text.contains("cannot"),
        "{}",
        s.text
    );
    assert_eq!(b.store.version_vector().unwrap(), before);
    assert_eq!(org_id(&b.store, "北山读书会"), None);
    // A file that is not there says so.
    let missing = b.dir.path().join("missing.ssb");
    import_in_app(&mut b, &missing);
    let s = b.app.shell.status.clone().expect("a message");
    assert_eq!(s.tone, sanshe::tui::app::Tone::Error, "{}", s.text);
    assert!(s.text.contains("missing.ssb"), "{}", s.text);
    // Esc closes the question without importing.
    b.key("i");
    b.type_text("x");
    b.key("<Esc>");
    assert!(b.app.panes.sync.ask.is_none());
    assert!(!b.app.text_focus());
}

/// A fresh database (no network, as before `sanshe sync init`): `x` asks
/// for this office and its network in a form, the office offered from
/// config.toml; a missing or too long name is refused on its field and
/// nothing is written; valid names are kept (as `sanshe sync init`) and
/// the export goes on.
#[test]
fn a_fresh_database_asks_for_office_and_network_then_exports() {
    let mut h = Harness::new(Lang::Zh, vec![org_record("北山读书会")], 80, 24);
    // `office` of config.toml, as `tui::run` passes it.
    h.app.panes.sync.office = Some("北山街道".into());
    assert_eq!(h.store.network(), None);
    h.key(&pane_key());
    let screen = h.screen();
    assert!(screen.contains("未设置，导出时（x）填写"), "{screen}");
    assert!(!screen.contains("sanshe sync init --office"), "{screen}");

    h.key("x");
    let screen = h.screen();
    assert!(screen.contains("本办公室和所属网络"), "{screen}");
    assert!(
        screen.contains("办公室名称") && screen.contains("北山街道"),
        "{screen}"
    );
    assert!(screen.contains("所属网络"), "{screen}");
    assert!(h.app.text_focus(), "typing goes into the form");
    let form = h.app.panes.sync.setup.as_ref().unwrap();
    assert_eq!(
        form.focused_key(),
        "network",
        "the empty field has the cursor"
    );

    // No network: refused on its field.
    h.key("<C-s>");
    let form = h.app.panes.sync.setup.as_ref().expect("the form stays");
    assert!(
        form.error("network").is_some_and(|e| e.contains("必填")),
        "{:?}",
        form.error("network")
    );
    assert!(h.screen().contains("必填"), "{}", h.screen());
    // Too long: refused on its field, naming the limit.
    h.paste(&"网".repeat(65));
    h.key("<C-s>");
    let form = h.app.panes.sync.setup.as_ref().expect("the form stays");
    let e = form.error("network").unwrap_or_default().to_string();
    assert!(e.contains("64"), "{e}");
    assert_eq!(h.store.network(), None, "nothing written");
    assert!(outbox(&h).is_empty());

    h.key("<C-u>");
    h.type_text("西湖区");
    h.key("<C-s>");
    assert!(h.app.panes.sync.setup.is_none(), "{}", status_text(&h));
    assert_eq!(h.store.network().as_deref(), Some("西湖区"));
    assert_eq!(h.store.office(), "北山街道");
    let files = outbox(&h);
    assert_eq!(files.len(), 1, "{}", status_text(&h));
    let name = files[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("北山街道-") && name.ends_with(".ssb"),
        "{name}"
    );
    let said = status_text(&h);
    assert!(said.contains(&files[0].display().to_string()), "{said}");
    assert!(h.screen().contains("所属网络：西湖区"), "{}", h.screen());

    // Named now: the next `x` asks only for the peer.
    h.key("x");
    assert!(h.app.panes.sync.setup.is_none());
    assert!(matches!(
        h.app.panes.sync.ask,
        Some(sanshe::tui::panes::sync::Ask::Peer(_))
    ));
}

/// Without `office` in config.toml the form starts empty; `Esc` (and "yes"
/// to throwing away what was typed) closes it and writes nothing.
#[test]
fn the_office_question_can_be_left_and_names_fields_in_english() {
    let mut h = Harness::new(Lang::En, Vec::new(), 120, 40);
    h.key(&pane_key());
    h.key("x");
    let form = h.app.panes.sync.setup.as_ref().unwrap();
    assert_eq!(form.focused_key(), "office");
    assert_eq!(form.text("office"), Some(""));
    h.type_text("Beishan");
    h.key("<C-s>");
    let form = h.app.panes.sync.setup.as_ref().unwrap();
    assert!(form.error("network").is_some());
    assert!(form.error("office").is_none());
    let screen = h.screen();
    assert!(screen.contains("Network"), "{screen}");
    // Something was typed: Esc asks first (as on every form).
    h.key("<Esc>");
    h.key("y");
    assert!(h.app.panes.sync.setup.is_none());
    assert_eq!(h.store.network(), None);
    assert!(outbox(&h).is_empty());
}

/// The screen with replica ids (16+ hex digits) and times masked.
fn masked(screen: &str) -> String {
    let chars: Vec<char> = screen.chars().collect();
    let mut out = chars.clone();
    let digit = |c: char| c.is_ascii_digit();
    // "YYYY-MM-DD HH:MM(:SS)?"
    let shape: Vec<char> = "dddd-dd-dd dd:dd".chars().collect();
    for i in 0..chars.len() {
        let fits = shape.iter().enumerate().all(|(k, s)| {
            chars
                .get(i + k)
                .is_some_and(|&c| if *s == 'd' { digit(c) } else { c == *s })
        });
        if fits {
            let mut end = i + shape.len();
            if chars.get(end) == Some(&':')
                && chars.get(end + 1).is_some_and(|c| digit(*c))
                && chars.get(end + 2).is_some_and(|c| digit(*c))
            {
                end += 3;
            }
            for c in out.iter_mut().take(end).skip(i) {
                if c.is_ascii_digit() {
                    *c = '#';
                }
            }
        }
    }
    // The tail of a time cut by a popup: ":MM:SS)".
    for i in 0..chars.len().saturating_sub(3) {
        if chars[i] == ':'
            && digit(chars[i + 1])
            && digit(chars[i + 2])
            && (chars[i + 3] == ')' || chars[i + 3] == ':')
        {
            out[i + 1] = '#';
            out[i + 2] = '#';
        }
    }
    let mut i = 0;
    while i < chars.len() {
        let n = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            .count();
        if n >= 16 {
            for c in out.iter_mut().skip(i).take(n) {
                *c = 'x';
            }
        }
        i += n.max(1);
    }
    out.into_iter().collect()
}

#[test]
fn snapshots() {
    // The author shown beside each value is the OS user: fixed here so the
    // snapshots do not depend on who runs them.
    std::env::set_var("USER", "staff");
    for lang in [Lang::Zh, Lang::En] {
        for (w, hgt) in [(80u16, 24u16), (120, 40)] {
            let (mut a, _b, _) = conflict(lang, w, hgt);
            a.key(&pane_key());
            let l = if lang == Lang::Zh { "zh" } else { "en" };
            insta::assert_snapshot!(format!("sync_{l}_{w}x{hgt}"), masked(&a.screen()));
            if w == 80 {
                a.key("x");
                insta::assert_snapshot!(format!("sync_export_{l}_{w}x{hgt}"), masked(&a.screen()));
            }
            // A fresh database: the office-and-network question.
            let mut f = Harness::new(lang, Vec::new(), w, hgt);
            // Not the host's name, which a new database takes by default.
            f.store.set_office(OFFICE_A).unwrap();
            f.app.panes.sync.office = Some(OFFICE_A.into());
            f.key(&pane_key());
            f.key("x");
            f.key("<C-s>");
            insta::assert_snapshot!(format!("sync_setup_{l}_{w}x{hgt}"), masked(&f.screen()));
        }
    }
}

#[test]
fn masking_keeps_widths() {
    let s = "同步 2026-11-28 03:05:12 a1b2c3d4e5f60718293a4b5c6d7e8f90 n=12";
    let m = masked(s);
    assert_eq!(m.chars().count(), s.chars().count());
    assert!(m.contains("####-##-## ##:##:##"), "{m}");
    assert!(m.contains(&"x".repeat(32)), "{m}");
    assert!(m.ends_with("n=12"), "{m}");
}

#[test]
fn a_large_import_shows_its_progress() {
    use sanshe::tui::panes::sync::data::SyncResponse;
    use sanshe::tui::worker::Response;
    let mut a = office(Lang::Zh, OFFICE_A, vec![org_record("北山读书会")], 120, 40);
    let mut b = office(Lang::Zh, OFFICE_B, Vec::new(), 120, 40);
    a.key(&pane_key());
    let file = export_in_app(&mut a, OFFICE_B);
    b.key(&pane_key());
    // One change per transaction: the bundle's few changes arrive in steps.
    b.store.set_apply_chunk(1);
    import_in_app(&mut b, &file);
    assert!(
        org_id(&b.store, "北山读书会").is_some(),
        "{}",
        status_text(&b)
    );
    assert!(b.store.unfinished_imports().unwrap().is_empty());
    // What the bottom bar says while a step is reported.
    b.app
        .on_store(Response::Sync(Box::new(SyncResponse::Progress {
            done: 20_000,
            total: 50_000,
        })));
    let said = status_text(&b);
    assert!(
        said.contains("20000 / 50000") && said.contains("40%"),
        "{said}"
    );
    assert!(b.screen().contains("40%"));
}
