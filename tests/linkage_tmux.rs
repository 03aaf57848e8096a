//! End to end in tmux for the 三社联动 pane: the real binary on a demo
//! database in a detached tmux session of 120x40, driven with `send-keys`,
//! read with `capture-pane`. Press `2`, select a need, propose the top
//! offer (confirming), take the linkage to done with `>`, quit, and find it
//! `done` with `sanshe link list --format json`. Skipped, with a message,
//! when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_sanshe");
const WAIT: Duration = Duration::from_secs(30);

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
        Tmux {
            socket: format!("sanshe-linkage-test-{}", std::process::id()),
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

    /// Starts `sanshe --db DB --lang zh demo` (the TUI on a new demo
    /// database); the shell says SANSHE-DONE when it exits.
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

    /// Waits until the pane shows `text`; returns the screen.
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
fn propose_the_top_offer_and_take_it_to_done() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("三社联动");
    // The organizations are loaded (the bottom bar shows their keys).
    t.wait_for("退出");
    t.keys(&["2"]);
    t.wait_for("推荐资源");
    t.keys(&["Down", "Down"]);
    t.keys(&["Enter"]);
    t.wait_for("提议对接资源");
    t.keys(&["y"]);
    let screen = t.wait_for("已提议对接 ");
    let id = screen
        .split("已提议对接 ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("the new linkage's id")
        .to_string();
    for state in ["已接受", "服务中", "已完成"] {
        t.keys(&[">"]);
        t.wait_for(&format!("对接 {id} 现为「{state}」"));
    }
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");

    let json: serde_json::Value =
        serde_json::from_str(&sanshe(&t.db(), &["link", "list", "--format", "json"])).unwrap();
    let l = json
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id.as_str())
        .unwrap_or_else(|| panic!("linkage {id} in {json}"));
    assert_eq!(l["state"], "done", "{l}");
    assert!(l["finished"].is_string(), "{l}");
}
