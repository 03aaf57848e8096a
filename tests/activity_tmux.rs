//! End to end in tmux: quick entry of two activities in the real binary
//! (120x40, demo database), then `sanshe activity list --format json`.
//! Skipped, with a message, when tmux is not installed.
//!
//! Keys: `3` (活动), `a`, the organization's pinyin initials, `Tab`
//! (takes it, on to the date, pre-filled with today), `Tab` (title), the
//! Chinese title (`send-keys -l`), `C-s`; then the second activity of the
//! same organization with `a`, the title and `C-s` only.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_sanshe");
const WAIT: Duration = Duration::from_secs(30);

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

fn have_tmux() -> bool {
    match Command::new("tmux").arg("-V").output() {
        Ok(o) if o.status.success() => true,
        _ => {
            eprintln!("tmux not found: skipping the end-to-end test");
            false
        }
    }
}

/// A tmux server of its own, killed on drop.
struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn new() -> Tmux {
        let n = SESSIONS.fetch_add(1, Ordering::SeqCst);
        Tmux {
            socket: format!("sanshe-act-{}-{n}", std::process::id()),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env("LANG", "C.UTF-8")
            .output()
            .expect("tmux runs")
    }

    /// Starts `sanshe --db DB --lang zh demo` and reports its exit status.
    fn start(&self) {
        let cfg = self.dir.path().join("config");
        std::fs::create_dir_all(&cfg).unwrap();
        let script = format!(
            "SANSHE_CONFIG_DIR='{cfg}' '{bin}' --db '{db}' --lang zh demo; \
             echo \"SANSHE-EXIT $?\"; echo SANSHE-DONE; sleep 600",
            cfg = cfg.display(),
            bin = BIN,
            db = self.db().display(),
        );
        let o = self.tmux(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            "main",
            "sh",
            "-c",
            &script,
        ]);
        assert!(
            o.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    fn capture(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    /// Waits until the pane shows `text`.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if screen.contains(text) {
                return screen;
            }
            if text != "SANSHE-DONE" && screen.contains("SANSHE-DONE") {
                panic!("the app exited while waiting for {text:?}; the screen:\n{screen}");
            }
            if start.elapsed() > WAIT {
                panic!("timed out waiting for {text:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "main", "-l", text]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn sanshe(db: &Path, args: &[&str]) -> String {
    let o = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("sanshe runs");
    assert!(
        o.status.success(),
        "sanshe {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn quick_entry_logs_two_activities() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("181/181");
    t.keys(&["3"]);
    t.wait_for("共 1200 场");
    t.keys(&["a"]);
    t.wait_for("记录活动");
    t.type_text("bsssy");
    t.wait_for("宝石山摄影协会");
    t.keys(&["Tab"]);
    t.keys(&["Tab"]);
    t.type_text("湖畔摄影采风");
    t.wait_for("湖畔摄影采风");
    t.keys(&["C-s"]);
    t.wait_for("已记录：湖畔摄影采风");
    t.wait_for("共 1201 场");
    t.keys(&["a"]);
    t.wait_for("记录活动");
    t.type_text("摄影作品点评会");
    t.wait_for("摄影作品点评会");
    t.keys(&["C-s"]);
    t.wait_for("已记录：摄影作品点评会");
    t.wait_for("共 1202 场");
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");

    let json = sanshe(&t.db(), &["activity", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1202);
    let find = |title: &str| {
        list.iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("{title} not in the list"))
            .clone()
    };
    let (a, b) = (find("湖畔摄影采风"), find("摄影作品点评会"));
    let orgs = sanshe(&t.db(), &["org", "list", "--format", "json"]);
    let orgs: serde_json::Value = serde_json::from_str(&orgs).unwrap();
    let org = orgs
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "杭州市西湖区宝石山摄影协会")
        .expect("the demo organization");
    assert_eq!(a["orgs"], serde_json::json!([org["id"]]));
    assert_eq!(b["orgs"], a["orgs"]);
    assert_eq!(b["date"], a["date"]);
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(a["date"], today.as_str());
}
