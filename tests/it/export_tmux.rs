//! End to end in tmux (the real binary; skipped, with a message, without
//! tmux): exporting the list shown with `X x` / `X c`, and pane 6's export
//! on the demo database and on a fresh one.
//!
//! - pane 1, `X x`: every organization to `DB/exports/组织-….xlsx`
//!   (private), the bottom bar naming the file and the rows; at 80x24
//!   with a type filter, `X c`: only those organizations, as CSV;
//! - `sanshe demo`, then `6` `x` `Enter`: the demo database is named
//!   already, so the bundle is written at once;
//! - a fresh database, `office` in config.toml: `6` `x` asks for the
//!   network (the office offered), then exports.

use std::path::PathBuf;

use crate::tmux_support::*;
use sanshe::interchange::read::read_rows;

/// The files in `dir`, sorted.
fn files(dir: PathBuf) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Makes the window 80x24 and waits until the app has drawn at that size
/// (the top bar, as wide as the window, is then shorter than 80 columns).
fn narrow(t: &Tmux) {
    t.tmux(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let start = std::time::Instant::now();
    let drawn = |screen: String| {
        screen
            .lines()
            .next()
            .is_some_and(|l| l.trim_end().chars().count() < 80)
    };
    while !drawn(t.capture()) {
        assert!(
            start.elapsed() < WAIT,
            "not redrawn at 80x24:\n{}",
            t.capture()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn quit(t: &Tmux) {
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");
}

#[test]
fn x_x_in_pane_one_writes_the_organizations_shown() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["X"]);
    // The chord's second key is offered.
    t.wait_for("导出列表为 Excel");
    t.keys(&["x"]);
    let screen = t.wait_for("已导出 182 行");
    let exports = t.db().join("exports");
    let written = files(exports.clone());
    assert_eq!(written.len(), 1, "{written:?}");
    let path = &written[0];
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("组织-") && name.ends_with(".xlsx"),
        "{name}"
    );
    assert!(
        screen.contains(&path.display().to_string()),
        "the full path in the bottom bar: {screen}"
    );
    let (rows, _) = read_rows(path, None).unwrap();
    assert_eq!(rows.len(), 1 + 182, "a header and every organization");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(path), 0o600);
        assert_eq!(mode(&exports), 0o700);
    }

    // At 80x24, foundations only, as CSV.
    narrow(&t);
    t.keys(&["f", "t"]);
    t.type_text("jjh");
    t.keys(&["Enter"]);
    t.wait_for("基金会");
    t.keys(&["X", "c"]);
    let screen = t.wait_for(".csv");
    let written = files(exports);
    assert_eq!(written.len(), 2, "{written:?}");
    let csv = written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .unwrap();
    let (rows, _) = read_rows(csv, None).unwrap();
    let n = rows.len() - 1;
    assert!(n > 0 && n < 182, "{n}");
    assert!(screen.contains(&format!("已导出 {n} 行")), "{screen}");
    assert!(screen.contains(&csv.display().to_string()), "{screen}");
    quit(&t);
}

#[test]
fn the_demo_database_exports_from_pane_six_at_once() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["6"]);
    t.wait_for("所属网络：西湖区");
    t.keys(&["x"]);
    t.wait_for("导出给哪个机构");
    t.keys(&["Enter"]);
    let screen = t.wait_for(".ssb");
    let outbox = files(t.db().join("outbox"));
    assert_eq!(outbox.len(), 1, "{screen}");
    let name = outbox[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with("北山街道-"), "{name}");
    quit(&t);
}

#[test]
fn a_fresh_database_asks_for_the_network_then_exports() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    std::fs::write(t.config().join("config.toml"), "office = \"北山街道\"\n").unwrap();
    t.start_with("");
    // The empty table, loaded.
    t.wait_for("0/0");
    narrow(&t);
    t.keys(&["6"]);
    t.wait_for("未设置，导出时（x）填写");
    t.keys(&["x"]);
    let screen = t.wait_for("本办公室和所属网络");
    assert!(
        screen.contains("北山街道"),
        "the office from config.toml: {screen}"
    );
    t.type_text("西湖区");
    t.wait_for("西湖区");
    t.keys(&["C-s"]);
    let screen = t.wait_for(".ssb");
    assert!(screen.contains("所属网络：西湖区"), "{screen}");
    let outbox = files(t.db().join("outbox"));
    assert_eq!(outbox.len(), 1, "{screen}");
    quit(&t);
    let status = sanshe(&t.db(), &["sync", "status"]);
    assert!(
        status.contains("西湖区") && status.contains("北山街道"),
        "{status}"
    );
}
