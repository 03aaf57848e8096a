//! The real binary in tmux, shared by the end-to-end tests
//! (`tests/*_tmux.rs`): a tmux server of its own per test, a detached
//! 120x40 session running `sanshe --db DB --lang zh demo` in a shell that
//! reports the exit status and the terminal modes afterwards; keys with
//! `send-keys` (Chinese with `-l`), the screen with `capture-pane`.
#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_sanshe");
pub const WAIT: Duration = Duration::from_secs(30);

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

pub fn have_tmux() -> bool {
    match Command::new("tmux").arg("-V").output() {
        Ok(o) if o.status.success() => true,
        _ => {
            eprintln!("tmux not found: skipping the end-to-end test");
            false
        }
    }
}

/// A tmux server of its own, killed on drop.
pub struct Tmux {
    socket: String,
    /// Directory for the database and the (empty) config directory.
    pub dir: tempfile::TempDir,
}

impl Tmux {
    pub fn new() -> Tmux {
        let n = SESSIONS.fetch_add(1, Ordering::SeqCst);
        Tmux {
            socket: format!("sanshe-test-{}-{n}", std::process::id()),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    pub fn config(&self) -> PathBuf {
        let c = self.dir.path().join("config");
        std::fs::create_dir_all(&c).unwrap();
        c
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
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
    pub fn start(&self) {
        self.start_with("demo");
    }

    /// Starts `sanshe --db DB --lang zh ARGS` (`""`: the app on the
    /// database, created if missing) as [`Tmux::start`] does.
    pub fn start_with(&self, args: &str) {
        self.start_session("main", args);
    }

    /// [`Tmux::start_with`] in a session of another name (a second app on
    /// the same database); read it with `capture-pane -t NAME`.
    pub fn start_session(&self, name: &str, args: &str) {
        let script = format!(
            "SANSHE_CONFIG_DIR='{cfg}' '{bin}' --db '{db}' --lang zh {args}; \
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
            name,
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

    pub fn capture(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    pub fn format(&self, f: &str) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["display-message", "-p", "-t", "main", f])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Waits until the pane shows `text`.
    pub fn wait_for(&self, text: &str) -> String {
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

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    pub fn type_text(&self, text: &str) {
        // `--`: a text starting with `-` (`-1`, yesterday) is not a flag.
        self.tmux(&["send-keys", "-t", "main", "-l", "--", text]);
    }

    /// The pid of the sanshe process (the shell's child).
    pub fn app_pid(&self) -> u32 {
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

pub fn sanshe(db: &Path, args: &[&str]) -> String {
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

pub fn kill(pid: u32, sig: i32) {
    // SAFETY: kill(2) with a pid we read from /proc and a valid signal.
    let r = unsafe { libc::kill(pid as i32, sig) };
    assert_eq!(r, 0, "kill {pid}");
}

pub fn wait_gone(pid: u32) {
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() {
        // A zombie counts as gone, but only once its last thread has
        // exited: the main thread turns zombie first, and the process's
        // files (the database lock) are closed with the last thread.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let threads = std::fs::read_dir(format!("/proc/{pid}/task"))
            .map(|d| d.count())
            .unwrap_or(0);
        if stat.split_whitespace().nth(2) == Some("Z") && threads <= 1 {
            return;
        }
        assert!(start.elapsed() < WAIT, "process {pid} still running");
        std::thread::sleep(Duration::from_millis(50));
    }
}
