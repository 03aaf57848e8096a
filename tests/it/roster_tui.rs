//! Importing an organization roster in the app (issue [2/6], "Real
//! rosters"): in the 同步 pane `o` asks for the file, shows what importing
//! it would do (rows to add, update and skip, the columns used and left
//! out) and writes only after `y`; a roster with errors shows them and
//! writes nothing.

use std::path::{Path, PathBuf};

use crate::tui_support::Harness;
use sanshe::model::{Kind, Lang, Place, PlaceLevel, Record};
use sanshe::tui::app::PANE_SYNC;

fn places() -> Vec<Record> {
    let p = |code: &str, name: &str, level, parent: Option<&str>| {
        Record::Place(Place {
            code: code.into(),
            name: name.into(),
            level,
            parent: parent.map(str::to_string),
        })
    };
    vec![
        p("XH", "西湖区", PlaceLevel::District, None),
        p("BSJ", "北山街道", PlaceLevel::Township, Some("XH")),
        p("BSJ-01", "宝石山社区", PlaceLevel::Community, Some("BSJ")),
    ]
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/roster-real.csv")
}

fn orgs(h: &Harness) -> usize {
    h.store.all(Kind::Org).unwrap().len()
}

fn status_text(h: &Harness) -> String {
    h.app
        .shell
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn open_roster(h: &mut Harness, path: &Path) {
    h.key(&(PANE_SYNC + 1).to_string());
    assert_eq!(h.app.shell.active, PANE_SYNC);
    h.key("o");
    assert!(h.app.text_focus(), "the path question has the focus");
    h.paste(&path.display().to_string());
    h.key("<Enter>");
}

#[test]
fn a_roster_is_previewed_then_imported_after_yes() {
    let mut h = Harness::new(Lang::Zh, places(), 120, 40);
    open_roster(&mut h, &fixture());
    let screen = h.screen();
    for line in [
        "导入组织名册：检查结果",
        "将新增 6 个，更新 0 个，跳过 0 个",
        "表头在第 3 行",
        "「社会组织名称」→ 名称",
        "「法定代表人身份证号」未导入",
        "写入？y 导入，n 取消",
    ] {
        assert!(screen.contains(line), "{line:?} not on screen:\n{screen}");
    }
    assert_eq!(orgs(&h), 0, "nothing written before the answer");
    h.key("y");
    assert_eq!(orgs(&h), 6);
    let said = status_text(&h);
    assert!(said.contains("新增 6 个"), "{said}");
    // The same roster again: nothing new, and nothing to write.
    open_roster(&mut h, &fixture());
    let screen = h.screen();
    assert!(
        screen.contains("将新增 0 个，更新 0 个，跳过 6 个"),
        "{screen}"
    );
    h.key("n");
    assert!(!h.screen().contains("检查结果"));
    assert_eq!(orgs(&h), 6);
}

#[test]
fn a_roster_with_errors_writes_nothing_and_says_why_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "单位名称,成立日期,联系电话\n宝石山读书会,2019-02-30,13812345678\n北山合唱团,2019-06-10,123\n",
    )
    .unwrap();
    let mut h = Harness::new(Lang::Zh, places(), 80, 24);
    open_roster(&mut h, &file);
    let screen = h.screen();
    assert!(screen.contains("第 2 行，「成立日期」列"), "{screen}");
    assert!(screen.contains("第 3 行，「联系电话」列"), "{screen}");
    assert!(screen.contains("共 2 处错误，未写入任何数据"), "{screen}");
    h.key("y");
    assert_eq!(orgs(&h), 0);
    // A file that cannot be read says so in the bottom bar.
    open_roster(&mut h, &dir.path().join("missing.csv"));
    assert!(
        status_text(&h).contains("missing.csv"),
        "{}",
        status_text(&h)
    );
    assert_eq!(orgs(&h), 0);
}

#[test]
fn in_english_too() {
    let mut h = Harness::new(Lang::En, places(), 120, 40);
    open_roster(&mut h, &fixture());
    let screen = h.screen();
    assert!(screen.contains("Header in row 3"), "{screen}");
    assert!(
        screen.contains("Write it? y imports, n cancels"),
        "{screen}"
    );
    h.key("y");
    assert_eq!(orgs(&h), 6);
}
