//! The shared server ([4/6]): several apps and commands on one database at
//! once; who may connect; faults (a malformed frame, a killed server).

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sanshe::model::{Lang, OrgType, Organization, Record};
use sanshe::server::frame;
use sanshe::server::proto::{Role, ToClient, ToServer};
use sanshe::store::Command as StoreCommand;
use sanshe::tui::worker::{Purpose, Request, Response};

use crate::cli_support::{stop_server, text, Sanshe};
use crate::tmux_support::{have_tmux, Tmux, BIN};

/// A demo database with its server stopped (so each test starts one).
fn demo(dir: &Path) -> Sanshe {
    let s = Sanshe::at(&dir.join("db"));
    s.ok(&["demo", "--no-tui"]);
    s
}

/// The pid of the server of `db`, from `server status --format json`.
fn server_pid(s: &Sanshe) -> Option<u64> {
    let v = s.json(&["server", "status", "--format", "json"]);
    v["pid"].as_u64()
}

fn capture(t: &Tmux, name: &str) -> String {
    text(&t.tmux(&["capture-pane", "-p", "-t", name]).stdout)
}

fn wait_in(t: &Tmux, name: &str, what: &str) -> String {
    let start = Instant::now();
    loop {
        let screen = capture(t, name);
        if screen.contains(what) {
            return screen;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what:?} in {name}:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Two apps and the command line on one database: a save in one app
/// appears in the other without a key; commands (list, add, export,
/// stats) work while both are open and their changes appear too; `who`
/// and `server status` list both apps.
#[test]
fn two_apps_and_the_command_line_share_one_database() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    // The table's rows come from the server; their places are named here.
    assert!(t.capture().contains("保俶五网格"), "{}", t.capture());
    t.start_session("second", "");
    wait_in(&t, "second", "182/182");

    // A save in the first app: the second shows it without a key.
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("服务器联动测试读书会");
    t.keys(&["C-s"]);
    t.wait_for("已保存");
    let screen = wait_in(&t, "second", "183/183");
    assert!(
        !screen.contains("已保存"),
        "the other app did not save: {screen}"
    );

    // The command line while both apps are open.
    let cli = Sanshe::at(&t.db()).config(&t.config());
    let list = cli.json(&["org", "list", "--search", "fwqldcs", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let id = cli.id(&["org", "add", "--name", "命令行加的互助会"]);
    assert!(!id.is_empty());
    wait_in(&t, "main", "184/184");
    wait_in(&t, "second", "184/184");
    let out = t.dir.path().join("orgs.csv");
    cli.ok(&["export", "orgs", "--out", out.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.contains("命令行加的互助会"),
        "the export is the client's file"
    );
    assert!(cli.ok(&["stats"]).contains("184"));

    let status = cli.json(&["server", "status", "--format", "json"]);
    let apps = status["clients"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["what"] == "app")
        .count();
    assert_eq!(apps, 2, "{status}");
    assert!(status["pid"].as_u64().is_some());
    let who = cli.ok(&["who"]);
    assert_eq!(who.matches("终端界面").count(), 2, "{who}");
}

/// What a client sends that is not a frame (garbage, a truncated frame,
/// a huge length) closes that connection only: the server keeps serving.
#[test]
fn a_malformed_frame_closes_that_connection_only() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo(dir.path());
    assert!(s.ok(&["stats"]).contains("182"));
    let pid = server_pid(&s).expect("a server runs");
    let sock = s.db.join("sanshe.sock");
    let mut huge = b"SSHF".to_vec();
    huge.extend_from_slice(&frame::VERSION.to_be_bytes());
    huge.extend_from_slice(&u32::MAX.to_be_bytes());
    let mut truncated = b"SSHF".to_vec();
    truncated.extend_from_slice(&frame::VERSION.to_be_bytes());
    truncated.extend_from_slice(&100u32.to_be_bytes());
    truncated.extend_from_slice(&[1, 2, 3]);
    let mut bad_body = b"SSHF".to_vec();
    bad_body.extend_from_slice(&frame::VERSION.to_be_bytes());
    bad_body.extend_from_slice(&4u32.to_be_bytes());
    bad_body.extend_from_slice(&[0xff; 4]);
    for junk in [b"hello, server".to_vec(), huge, truncated, bad_body] {
        let mut c = UnixStream::connect(&sock).unwrap();
        c.write_all(&junk).unwrap();
        // The server closes the connection (or waits for the rest, which
        // never comes: this client gives up); the others are served.
        drop(c);
    }
    // A greeted app that then sends garbage.
    let (mut app, _) = sanshe::server::client::connect(&s.db, Role::App, Lang::Zh, false).unwrap();
    app.write_all(&[0u8; 64]).unwrap();
    assert!(s.ok(&["stats"]).contains("182"));
    assert_eq!(server_pid(&s), Some(pid), "the same server");
}

/// A client of another protocol version is refused with a message saying
/// which process to end.
#[test]
fn another_protocol_version_is_refused_naming_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo(dir.path());
    s.ok(&["stats"]);
    let mut c = UnixStream::connect(s.db.join("sanshe.sock")).unwrap();
    let mut hello = b"SSHF".to_vec();
    hello.extend_from_slice(&(frame::VERSION + 1).to_be_bytes());
    hello.extend_from_slice(&0u32.to_be_bytes());
    c.write_all(&hello).unwrap();
    // The answer carries the server's version: a client of version + 1
    // sees "another version".
    match frame::read_reply::<ToClient>(&mut c) {
        Ok(ToClient::Refused(_)) => {}
        other => panic!("{other:?}"),
    }
    let e = sanshe::server::client::ConnectError::Version {
        theirs: frame::VERSION,
        ours: frame::VERSION + 1,
    };
    let msg = e.message(&s.db);
    let pid = server_pid(&s).unwrap();
    assert!(msg.contains(&format!("kill {pid}")), "{msg}");
}

/// One writer of the load test: `n` organizations saved through the
/// server as an app saves them; returns the ids acknowledged.
fn writer(db: PathBuf, who: usize, n: usize) -> Vec<String> {
    let mut acked = Vec::new();
    // The server runs already (started by a command: this test program
    // is not sanshe, so it starts none).
    let Ok((mut c, _)) = sanshe::server::client::connect(&db, Role::App, Lang::Zh, false) else {
        return acked;
    };
    for i in 0..n {
        let org = Organization::new(format!("压力测试{who}号{i}"), OrgType::Community);
        let req = Request::Execute {
            cmd: Box::new(StoreCommand::Create {
                record: Record::Org(org),
            }),
            purpose: Purpose::FormSave,
        };
        let id = i as u64 + 1;
        if frame::write(&mut c, &ToServer::Request { id, req }).is_err() {
            return acked;
        }
        loop {
            match frame::read_reply::<ToClient>(&mut c) {
                Ok(ToClient::Response {
                    resp:
                        Response::Executed {
                            result: Ok((o, _)), ..
                        },
                    ..
                }) => acked.push(o.id),
                Ok(ToClient::Done { .. }) => break,
                Ok(_) => {}
                Err(_) => return acked,
            }
        }
    }
    acked
}

type Writers = Vec<std::thread::JoinHandle<Vec<String>>>;

/// A database with a server running, and ten writers saving 1,000
/// organizations each through it, started.
fn ten_writers(dir: &Path) -> (Sanshe, Writers) {
    let s = Sanshe::at(&dir.join("db"));
    s.ok(&[
        "place",
        "add",
        "--code",
        "XH",
        "--name",
        "西湖区",
        "--level",
        "district",
    ]);
    s.ok(&["stats"]);
    let writers = (0..10)
        .map(|w| {
            let db = s.db.clone();
            std::thread::spawn(move || writer(db, w, 1000))
        })
        .collect();
    (s, writers)
}

/// Every save the writers were told succeeded.
fn acknowledged(writers: Writers) -> Vec<String> {
    writers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect()
}

/// Ten clients saving 1,000 organizations each at once: every save is
/// there afterwards, once.
#[test]
fn ten_writers_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (s, writers) = ten_writers(dir.path());
    let acked = acknowledged(writers);
    assert_eq!(acked.len(), 10_000);
    let ids = s.org_ids();
    assert_eq!(ids.len(), 10_000, "each saved once");
    assert!(acked.iter().all(|id| ids.contains(id)));
}

/// The server killed (-9) in the middle of ten writers: every save a
/// writer was told succeeded is there once the next command has started
/// a server again.
#[test]
fn a_killed_server_keeps_every_acknowledged_save() {
    let dir = tempfile::tempdir().unwrap();
    let (s, writers) = ten_writers(dir.path());
    let pid = server_pid(&s).expect("a server runs") as i32;
    // Let them write a while, then kill the server where it stands.
    std::thread::sleep(Duration::from_millis(1500));
    // SAFETY: kill(2) with the server's pid.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    let acked = acknowledged(writers);
    assert!(!acked.is_empty(), "nothing was written before the kill");
    assert!(
        acked.len() < 10_000,
        "the kill came too late to test anything"
    );
    // The socket of the killed server is stale: the next command replaces it.
    let ids = s.org_ids();
    let lost: Vec<_> = acked.iter().filter(|id| !ids.contains(*id)).collect();
    assert!(lost.is_empty(), "{} acknowledged saves lost", lost.len());
    assert_eq!(server_pid(&s).map(|p| p as i32 == pid), Some(false));
}

/// A file an app names (a roster to check) is read by the app itself,
/// through its link to the server: the app's permissions, not the
/// server's.
#[test]
fn an_app_reads_the_files_it_names_itself() {
    use sanshe::tui::event::Event;
    use sanshe::tui::panes::sync::data::{SyncRequest, SyncResponse};
    let dir = tempfile::tempdir().unwrap();
    let s = demo(dir.path());
    s.ok(&["stats"]);
    let roster = dir.path().join("名册.csv");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/roster-real.csv"),
        &roster,
    )
    .unwrap();
    let (events, answers) = std::sync::mpsc::channel();
    let (tx, link) = sanshe::tui::remote::spawn(s.db.clone(), Lang::Zh, events).unwrap();
    tx.send(Request::Sync(SyncRequest::RosterPreview {
        path: roster.clone(),
    }))
    .unwrap();
    let got = loop {
        match answers.recv_timeout(Duration::from_secs(30)).unwrap() {
            Event::Store(r) => match *r {
                Response::Sync(s) => break *s,
                _ => continue,
            },
            _ => continue,
        }
    };
    assert!(!matches!(got, SyncResponse::Failed(_)), "{got:?}");
    // A path that is not there: the app's own error, named.
    tx.send(Request::Sync(SyncRequest::RosterPreview {
        path: dir.path().join("没有这个文件.csv"),
    }))
    .unwrap();
    let got = loop {
        if let Event::Store(r) = answers.recv_timeout(Duration::from_secs(30)).unwrap() {
            if let Response::Sync(s) = *r {
                break *s;
            }
        }
    };
    assert!(
        matches!(&got, SyncResponse::Failed(m) if m.contains("没有这个文件")),
        "{got:?}"
    );
    drop(tx);
    link.join().unwrap();
}

/// As root: a user not admitted is refused (exit 1, naming the database
/// and who can grant access); a read-only user browses but every write is
/// refused (exit 2); a user admitted with changes saves, as the author of
/// the change. Elsewhere: skipped, and said.
#[test]
fn access_is_granted_by_the_owner_and_checked_by_the_server() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 || which("useradd").is_none() || which("runuser").is_none() {
        eprintln!("not root (or no useradd/runuser): skipping the access test");
        return;
    }
    let users = ["sanshe-t-ro", "sanshe-t-rw", "sanshe-t-no"];
    for u in users {
        let _ = std::process::Command::new("useradd")
            .args(["-m", "-N", "-s", "/bin/sh", u])
            .output();
    }
    let known = |u: &str| {
        std::process::Command::new("id")
            .arg(u)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !users.iter().all(|u| known(u)) {
        eprintln!("could not create test users: skipping the access test");
        return;
    }
    // Other users reach the database folder (not its files) and the binary.
    let dir = tempfile::tempdir().unwrap();
    set_mode(dir.path(), 0o711);
    let bin = dir.path().join("sanshe");
    std::fs::copy(BIN, &bin).unwrap();
    set_mode(&bin, 0o755);
    let owner = Sanshe::at(&dir.path().join("db"));
    owner.ok(&["demo", "--no-tui"]);
    owner.ok(&["access", "add", "sanshe-t-ro", "--read-only"]);
    owner.ok(&["access", "add", "sanshe-t-rw"]);
    let list = owner.json(&["access", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");
    // Unknown users are refused naming the field.
    let o = owner.run(&["access", "add", "no-such-user-xyz"]);
    assert_eq!(o.status.code(), Some(2));

    let as_user = |user: &str, args: &[&str]| {
        std::process::Command::new("runuser")
            .args(["-u", user, "--"])
            .arg(&bin)
            .arg("--db")
            .arg(&owner.db)
            .args(args)
            .env("SANSHE_CONFIG_DIR", "/nonexistent-sanshe-config")
            .env_remove("SANSHE_DB")
            .output()
            .unwrap()
    };
    let o = as_user("sanshe-t-no", &["org", "list"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = text(&o.stderr);
    assert!(err.contains("sanshe-t-no") && err.contains("root"), "{err}");
    assert!(err.contains(&owner.db.display().to_string()), "{err}");

    let o = as_user("sanshe-t-ro", &["org", "list", "--format", "json"]);
    assert!(o.status.success(), "{o:?}");
    let o = as_user(
        "sanshe-t-ro",
        &["org", "add", "--name", "只读用户想加的组织"],
    );
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(
        text(&o.stderr).contains("只有浏览和导出"),
        "{}",
        text(&o.stderr)
    );
    assert!(!text(&owner.run(&["org", "list"]).stdout).contains("只读用户想加的组织"));
    // Not the owner: may not change the list.
    let o = as_user("sanshe-t-rw", &["access", "add", "sanshe-t-no"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");

    let o = as_user("sanshe-t-rw", &["org", "add", "--name", "王丽加的组织"]);
    assert!(o.status.success(), "{o:?}");
    if have_tmux() {
        // In the app, an export by someone who is not the owner lands in
        // their own folder, written as them (they cannot read the
        // database's folder).
        let t = Tmux::new();
        let script = format!(
            "runuser -u sanshe-t-rw -- '{}' --db '{}' --lang zh; sleep 600",
            bin.display(),
            owner.db.display()
        );
        t.tmux(&[
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
        t.wait_for("183/183");
        t.keys(&["X", "x"]);
        let screen = t.wait_for("已导出");
        let home = PathBuf::from("/home/sanshe-t-rw/.local/share/sanshe");
        let dirs: Vec<_> = std::fs::read_dir(&home)
            .map(|d| d.flatten().collect())
            .unwrap_or_default();
        let exported = dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d.path().join("exports")).ok())
            .flat_map(|d| d.flatten())
            .find(|e| e.file_name().to_string_lossy().ends_with(".xlsx"));
        let exported =
            exported.unwrap_or_else(|| panic!("no export in {}: {screen}", home.display()));
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(exported.path()).unwrap();
        let rw = uid_of("sanshe-t-rw");
        assert_eq!(meta.uid(), rw, "written by the user, not the server");
        t.keys(&["q"]);
    }
    let log = owner.ok(&["log", "--format", "json"]);
    assert!(
        log.contains("sanshe-t-rw"),
        "the author is the kernel's word: {log}"
    );

    // With no server running, a staff member who is not the owner cannot
    // start one (it would run as them, without access to the files): told
    // who can.
    stop_server(&owner.db);
    let o = as_user("sanshe-t-rw", &["org", "list"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(text(&o.stderr).contains("root"), "{}", text(&o.stderr));
    owner.ok(&["stats"]);

    owner.ok(&["access", "rm", "sanshe-t-rw"]);
    let o = as_user("sanshe-t-rw", &["org", "list"]);
    assert_eq!(o.status.code(), Some(1));
    stop_server(&owner.db);
    for u in users {
        let _ = std::process::Command::new("userdel")
            .args(["-r", u])
            .output();
    }
}

fn uid_of(user: &str) -> u32 {
    let o = std::process::Command::new("id")
        .args(["-u", user])
        .output()
        .unwrap();
    text(&o.stdout).trim().parse().unwrap()
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn which(prog: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
        .map(|d| Path::new(d).join(prog))
        .find(|p| p.exists())
}
