//! End to end in tmux: the real binary in a detached tmux session of
//! 120x40, driven with `send-keys` (Chinese typed with `-l`), read with
//! `capture-pane`. Skipped, with a message, when tmux is not installed.
//!
//! - add an organization with a Chinese name through the form, save, quit,
//!   and find it with `sanshe org list --format json`;
//! - SIGTERM while a form is open: the terminal is restored (alternate
//!   screen left, cursor shown, raw mode off) and the form kept as a draft;
//! - the tmux pane closed (SIGHUP, as when SSH drops): the draft is kept;
//! - kill -9 right after 已保存: the saved organization is still there.

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
    /// Directory for the database and the (empty) config directory.
    dir: tempfile::TempDir,
}

impl Tmux {
    fn new() -> Tmux {
        let n = SESSIONS.fetch_add(1, Ordering::SeqCst);
        Tmux {
            socket: format!("sanshe-test-{}-{n}", std::process::id()),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    fn config(&self) -> PathBuf {
        let c = self.dir.path().join("config");
        std::fs::create_dir_all(&c).unwrap();
        c
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

    /// Starts `sanshe --db DB --lang zh demo` in a shell that reports the
    /// exit status and the terminal mode afterwards, then waits.
    fn start(&self) {
        let script = format!(
            "SANSHE_CONFIG_DIR='{cfg}' '{bin}' --db '{db}' --lang zh demo; \
             echo \"SANSHE-EXIT $?\"; \
             stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo; \
             echo SANSHE-DONE; sleep 600",
            cfg = self.config().display(),
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

    fn format(&self, f: &str) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["display-message", "-p", "-t", "main", f])
                .stdout,
        )
        .trim()
        .to_string()
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

    /// The pid of the sanshe process (the shell's child).
    fn app_pid(&self) -> u32 {
        let shell: u32 = self.format("#{pane_pid}").parse().expect("pane pid");
        let start = Instant::now();
        loop {
            let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
                .unwrap_or_default();
            if let Some(pid) = children
                .split_whitespace()
                .next()
                .and_then(|p| p.parse().ok())
            {
                return pid;
            }
            if start.elapsed() > WAIT {
                panic!("no child of the shell");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
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

fn kill(pid: u32, sig: i32) {
    // SAFETY: kill(2) with a pid we read from /proc and a valid signal.
    let r = unsafe { libc::kill(pid as i32, sig) };
    assert_eq!(r, 0, "kill {pid}");
}

fn wait_gone(pid: u32) {
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() {
        // A zombie counts as gone.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if stat.split_whitespace().nth(2) == Some("Z") {
            return;
        }
        assert!(start.elapsed() < WAIT, "process {pid} still running");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn add_an_organization_with_a_chinese_name_then_list_it() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("181/181");
    assert_eq!(
        t.format("#{alternate_on}"),
        "1",
        "the app uses the alternate screen"
    );
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("测试社区读书会");
    t.wait_for("测试社区读书会");
    t.keys(&["C-s"]);
    t.wait_for("已保存");
    t.wait_for("182/182");
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");
    assert_eq!(t.format("#{alternate_on}"), "0");
    let json = sanshe(&t.db(), &["org", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let found = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "测试社区读书会")
        .unwrap_or_else(|| panic!("not in the list: {json}"));
    assert_eq!(found["type"], "community");
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_form_as_a_draft() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("181/181");
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("半截表单");
    t.wait_for("半截表单");
    assert_eq!(
        t.format("#{cursor_flag}"),
        "1",
        "the cursor is at the caret"
    );
    let pid = t.app_pid();
    kill(pid, libc::SIGTERM);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");
    // Raw mode is off: canonical input and echo are back.
    let modes: Vec<&str> = screen.lines().map(str::trim).collect();
    assert!(modes.contains(&"icanon"), "{screen}");
    assert!(modes.contains(&"echo"), "{screen}");
    assert_eq!(t.format("#{alternate_on}"), "0", "alternate screen left");
    assert_eq!(t.format("#{cursor_flag}"), "1", "cursor shown");
    assert!(
        !screen.contains("新增组织"),
        "the app's screen is gone:\n{screen}"
    );
    let draft =
        std::fs::read_to_string(t.db().join("drafts").join("org-form.json")).expect("draft kept");
    assert!(draft.contains("半截表单"), "{draft}");
    // The next start offers the draft back.
    let t2 = Tmux::new();
    std::fs::rename(t.db(), t2.db()).unwrap();
    t2.start();
    t2.wait_for("继续填写吗");
    t2.keys(&["y"]);
    t2.wait_for("半截表单");
    t2.keys(&["C-s"]);
    t2.wait_for("182/182");
    t2.keys(&["q"]);
    t2.wait_for("SANSHE-DONE");
    assert!(!t2.db().join("drafts").join("org-form.json").exists());
}

#[test]
fn a_dropped_connection_keeps_the_form_as_a_draft() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("181/181");
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("断线草稿");
    t.wait_for("断线草稿");
    let pid = t.app_pid();
    // Closing the pane hangs up its terminal, as an SSH drop does.
    t.tmux(&["kill-pane", "-t", "main"]);
    wait_gone(pid);
    let draft =
        std::fs::read_to_string(t.db().join("drafts").join("org-form.json")).expect("draft kept");
    assert!(draft.contains("断线草稿"), "{draft}");
}

/// A save the user saw succeed survives `kill -9` right after: the store
/// flushes before the app says 已保存.
#[test]
fn a_save_the_user_saw_survives_kill_9() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("181/181");
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("断电测试志愿队");
    t.wait_for("断电测试志愿队");
    t.keys(&["C-s"]);
    t.wait_for("已保存");
    let pid = t.app_pid();
    kill(pid, libc::SIGKILL);
    wait_gone(pid);
    let json = sanshe(
        &t.db(),
        &["org", "list", "--search", "断电测试", "--format", "json"],
    );
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "断电测试志愿队"),
        "the saved organization is there after kill -9: {json}"
    );
}
