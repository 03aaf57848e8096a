//! The shared server at district scale ([4/6]; not part of `cargo test`):
//! what a client waits for over the socket.
//!
//! ```sh
//! target/release/sanshe --db /tmp/d100k demo --scale 100000 --activities 200000 --no-tui
//! SANSHE_BENCH_DB=/tmp/d100k cargo bench --bench server
//! ```
//!
//! Prints, each as p50 / p95 / max over its runs:
//! - one organization's detail, a round trip (the app's request);
//! - a save acknowledged, with 10 writers saving at once;
//! - a change visible to another app: from sending a save to another
//!   connection receiving its change notice;
//! - `org list --search xhsq --format json` and `stats` through the
//!   running server (the whole command, process start included); with
//!   `SANSHE_OLD_BIN=path` also the same commands run by that binary
//!   opening the database itself (today's), the server stopped.
//!
//! Saves add organizations named 基准测试…; run on a copy of the database.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sanshe::model::{Lang, OrgType, Organization, Record};
use sanshe::server::client;
use sanshe::server::frame;
use sanshe::server::proto::{Role, ToClient, ToServer};
use sanshe::store::Command;
use sanshe::tui::worker::{Purpose, Request, Response};

const BIN: &str = env!("CARGO_BIN_EXE_sanshe");

fn sanshe(bin: &str, db: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let o = std::process::Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run sanshe");
    let took = t.elapsed();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    took
}

fn line(what: &str, mut d: Vec<Duration>) {
    d.sort();
    let at = |q: f64| d[((d.len() as f64 - 1.0) * q).round() as usize];
    let ms = |x: Duration| x.as_secs_f64() * 1000.0;
    println!(
        "| {what} | {} | {:.2} | {:.2} | {:.2} |",
        d.len(),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(*d.last().unwrap())
    );
}

/// The encoded size of an answer, as it travels.
fn size(r: &Response) -> usize {
    bincode::serde::encode_to_vec(r, bincode::config::standard())
        .map(|v| v.len())
        .unwrap_or(0)
}

fn app(db: &Path) -> UnixStream {
    client::connect(db, Role::App, Lang::Zh, false)
        .expect("a running server")
        .0
}

/// Sends request `id` and waits for its `Done`; returns the answers.
fn ask(c: &mut UnixStream, id: u64, req: Request) -> Vec<Response> {
    frame::write(c, &ToServer::Request { id, req }).unwrap();
    let mut out = Vec::new();
    loop {
        match frame::read_reply::<ToClient>(c).unwrap() {
            ToClient::Response { id: i, resp } if i == id => out.push(resp),
            ToClient::Done { id: i } if i == id => return out,
            _ => {}
        }
    }
}

fn save(name: String) -> Request {
    Request::Execute {
        cmd: Box::new(Command::Create {
            record: Record::Org(Organization::new(name, OrgType::Community)),
        }),
        purpose: Purpose::FormSave,
    }
}

fn main() {
    let db = PathBuf::from(std::env::var("SANSHE_BENCH_DB").unwrap_or("/tmp/d100k".into()));
    assert!(db.exists(), "no database at {}", db.display());
    println!("| what | runs | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|");

    // Today's commands first, while no server holds the database.
    if let Ok(old) = std::env::var("SANSHE_OLD_BIN") {
        let _ = std::process::Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["server", "stop"])
            .output();
        for args in [
            &["org", "list", "--search", "xhsq", "--format", "json"][..],
            &["stats"][..],
        ] {
            sanshe(&old, &db, args);
            let d = (0..10).map(|_| sanshe(&old, &db, args)).collect();
            line(
                &format!("today: `{}` (opens the database)", args.join(" ")),
                d,
            );
        }
    }

    // Through the server (started by the first command, warm after it).
    for args in [
        &["org", "list", "--search", "xhsq", "--format", "json"][..],
        &["stats"][..],
    ] {
        sanshe(BIN, &db, args);
        let d = (0..10).map(|_| sanshe(BIN, &db, args)).collect();
        line(&format!("`{}` through the server", args.join(" ")), d);
    }

    // The first screen's data: every organization as table rows, then the
    // name index (what an app waits for when it opens).
    let mut c = app(&db);
    let mut rows_at = Vec::new();
    let mut index_at = Vec::new();
    let mut sizes = (0, 0);
    for i in 0..5u64 {
        let t = Instant::now();
        frame::write(
            &mut c,
            &ToServer::Request {
                id: 100 + i,
                req: Request::Load,
            },
        )
        .unwrap();
        loop {
            match frame::read_reply::<ToClient>(&mut c).unwrap() {
                ToClient::Response {
                    resp: r @ Response::Loaded { .. },
                    ..
                } => {
                    rows_at.push(t.elapsed());
                    sizes.0 = size(&r);
                }
                ToClient::Response {
                    resp: r @ Response::Index(_),
                    ..
                } => {
                    index_at.push(t.elapsed());
                    sizes.1 = size(&r);
                }
                ToClient::Done { .. } => break,
                _ => {}
            }
        }
    }
    line(
        &format!(
            "first screen's rows received ({:.1} MB)",
            sizes.0 as f64 / 1e6
        ),
        rows_at,
    );
    line(
        &format!("then the name index ({:.1} MB)", sizes.1 as f64 / 1e6),
        index_at,
    );

    // One organization's detail.
    let ids: Vec<String> = {
        let out = std::process::Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["org", "list", "--search", "sq", "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .take(1000)
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut d = Vec::new();
    for (i, id) in ids.iter().cycle().take(2000).enumerate() {
        let t = Instant::now();
        let answers = ask(&mut c, i as u64 + 1, Request::Detail { id: id.clone() });
        d.push(t.elapsed());
        assert!(matches!(
            answers.first(),
            Some(Response::Detail { org: Some(_), .. })
        ));
    }
    line("detail of one organization (round trip)", d);

    // Saves acknowledged with 10 writers at once.
    let writers: Vec<_> = (0..10)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut c = app(&db);
                (0..200)
                    .map(|i| {
                        let t = Instant::now();
                        ask(&mut c, i + 1, save(format!("基准测试{w}-{i}")));
                        t.elapsed()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let d = writers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    line("save acknowledged, 10 writers at once", d);

    // A change visible to another app.
    let mut watcher = app(&db);
    ask(&mut watcher, 1, Request::Watch);
    let mut writer = app(&db);
    let mut d = Vec::new();
    for i in 0..200u64 {
        let t = Instant::now();
        frame::write(
            &mut writer,
            &ToServer::Request {
                id: i + 1,
                req: save(format!("基准测试可见{i}")),
            },
        )
        .unwrap();
        loop {
            if let ToClient::Response {
                resp: Response::Changed(_),
                ..
            } = frame::read_reply::<ToClient>(&mut watcher).unwrap()
            {
                break;
            }
        }
        d.push(t.elapsed());
        // The writer's own answers.
        loop {
            if let ToClient::Done { .. } = frame::read_reply::<ToClient>(&mut writer).unwrap() {
                break;
            }
        }
    }
    line("change notice at another app, from sending the save", d);
}
