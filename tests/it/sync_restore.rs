//! An office restored from a backup, and changes forged under another
//! office's name (issue [1/6] 4 and 5). Operations are identified by
//! `(origin, counter)`: a restored office that went on writing under its
//! old identity would reuse counters that others already hold for other
//! content, and those offices would drop its new changes as "already
//! known", for good. Here:
//! - a restored copy takes a new identity before it writes anything, and a
//!   full round of exchanges converges, the changes made after the backup
//!   coming back to it;
//! - a restore that keeps the file (a rolled-back snapshot) is found at the
//!   next exchange, on both sides, and nothing is hidden;
//! - a change arriving under a known id with other content is kept apart
//!   and reported, never taken for a duplicate, whatever the order.

use std::path::Path;

use sanshe::model::{Kind, OrgType, Organization, Record};
use sanshe::store::{Command, Fork, OpenOptions, Store, Value};
use sanshe::sync::bundle;
use sanshe::sync::exchange::{self, ExportOptions, ImportOptions, ImportReport};

fn open(dir: &Path, office: &str) -> Store {
    let s = Store::open_with(
        dir,
        OpenOptions {
            office: Some(office.into()),
        },
    )
    .unwrap();
    if s.network().is_none() {
        s.set_network("西湖区").unwrap();
    }
    s
}

fn add(s: &Store, name: &str) -> String {
    s.execute(Command::Create {
        record: Record::Org(Organization::new(name, OrgType::Community)),
    })
    .unwrap()
    .id
}

fn names(s: &Store) -> Vec<String> {
    let mut out: Vec<String> = s
        .all(Kind::Org)
        .unwrap()
        .into_iter()
        .map(|(_, r)| r.title().to_string())
        .collect();
    out.sort();
    out
}

/// Exports from `from` for the peer named `to_office` (what it lacks, as
/// far as `from` knows) and imports it into `to`.
fn send(from: &Store, to: &Store, to_office: &str) -> ImportReport {
    let options = ExportOptions {
        peer: Some(to_office.into()),
        full: false,
    };
    let (bytes, _, _) = exchange::build(from, &options, None).unwrap();
    let b = bundle::decode(&bytes).unwrap();
    exchange::import_bundle(to, b, &ImportOptions::default(), None, &mut |_| {}).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            // Onto an existing file, `fs::copy` writes in place: the file
            // keeps its identity, as after a rolled-back snapshot.
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Puts `dir` back as it is in `backup`, writing its files in place: the
/// main file keeps its identity, as after a rolled-back snapshot.
fn roll_back(backup: &Path, dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if !backup.join(e.file_name()).exists() {
            if e.file_type().unwrap().is_dir() {
                std::fs::remove_dir_all(e.path()).unwrap();
            } else {
                std::fs::remove_file(e.path()).unwrap();
            }
        }
    }
    copy_dir(backup, dir);
}

#[test]
fn a_restored_backup_takes_a_new_identity_and_converges() {
    let dir = tempfile::tempdir().unwrap();
    let (a_dir, b_dir, backup) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("backup"),
    );
    let b = open(&b_dir, "西湖区中心");
    let old_id;
    {
        let a = open(&a_dir, "北山街道");
        old_id = a.info().replica;
        add(&a, "宝石山社区读书会");
        send(&a, &b, "西湖区中心");
        send(&b, &a, "北山街道");
    }
    copy_dir(&a_dir, &backup);
    {
        let a = open(&a_dir, "北山街道");
        assert_eq!(a.fork(), None, "the same files: the same identity");
        add(&a, "西湖社区银龄互助会");
        add(&a, "曙光社区舞蹈队");
        send(&a, &b, "西湖区中心");
    }
    // The disk fails; the office restores last week's backup.
    std::fs::remove_dir_all(&a_dir).unwrap();
    std::fs::rename(&backup, &a_dir).unwrap();
    let a = open(&a_dir, "北山街道");
    assert_eq!(a.fork(), Some(Fork::Copied));
    assert_ne!(a.info().replica, old_id);
    assert_eq!(a.former_replicas().unwrap(), vec![old_id]);
    assert_eq!(names(&a), vec!["宝石山社区读书会"]);
    // Before the fix this change reused the counters of 西湖社区银龄互助会
    // and the district dropped it as already known.
    add(&a, "北山街道志愿者协会");
    let r = send(&a, &b, "西湖区中心");
    assert_eq!(r.applied.as_ref().unwrap().divergent, 0);
    send(&b, &a, "北山街道");
    assert_eq!(names(&a), names(&b));
    assert_eq!(
        names(&a),
        vec![
            "北山街道志愿者协会",
            "宝石山社区读书会",
            "曙光社区舞蹈队",
            "西湖社区银龄互助会"
        ]
    );
    assert_eq!(a.content_checksum().unwrap(), b.content_checksum().unwrap());
    // Opening again keeps the new identity.
    let id = a.info().replica;
    drop(a);
    let a = open(&a_dir, "北山街道");
    assert_eq!((a.fork(), a.info().replica), (None, id));
}

#[test]
fn a_restore_that_keeps_the_file_is_found_at_the_next_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let (a_dir, b_dir, backup) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("backup"),
    );
    let b = open(&b_dir, "西湖区中心");
    {
        let a = open(&a_dir, "北山街道");
        add(&a, "宝石山社区读书会");
        send(&a, &b, "西湖区中心");
    }
    copy_dir(&a_dir, &backup);
    {
        let a = open(&a_dir, "北山街道");
        add(&a, "西湖社区银龄互助会");
        send(&a, &b, "西湖区中心");
    }
    // Rolled back in place: the files keep their identity.
    roll_back(&backup, &a_dir);
    let a = open(&a_dir, "北山街道");
    assert_eq!(a.fork(), None);
    assert_eq!(names(&a), vec!["宝石山社区读书会"]);
    // A new change under the old counters, before anyone could tell.
    add(&a, "曙光社区舞蹈队");
    let at_b = send(&a, &b, "西湖区中心");
    let at_b = at_b.applied.unwrap();
    assert!(at_b.divergent > 0, "not taken for a duplicate: {at_b:?}");
    assert!(at_b.sender_restored);
    let kept = b.held().unwrap();
    assert_eq!(kept.len(), at_b.divergent);
    assert!(kept.iter().all(|h| h.in_force.is_some()));
    assert!(kept
        .iter()
        .any(|h| h.held.op.value == Some(Value::Text("曙光社区舞蹈队".into()))));
    // The district sends the office what it lost, and the office learns it
    // was behind its own history.
    let at_a = send(&b, &a, "北山街道").applied.unwrap();
    assert!(at_a.self_restored);
    assert!(at_a.divergent > 0);
    // What the office lost is not silently gone: it is there to review.
    assert!(a
        .held()
        .unwrap()
        .iter()
        .any(|h| h.held.op.value == Some(Value::Text("西湖社区银龄互助会".into()))));
    let old = a.info().replica;
    drop(a);
    let a = open(&a_dir, "北山街道");
    assert_eq!(a.fork(), Some(Fork::Behind));
    assert_ne!(a.info().replica, old);
    // From now on its changes reach the district.
    add(&a, "北山街道志愿者协会");
    let r = send(&a, &b, "西湖区中心").applied.unwrap();
    assert_eq!(r.divergent, 0);
    assert!(names(&b).contains(&"北山街道志愿者协会".to_string()));
}

/// A change planted under another office's name never hides the genuine
/// one, whichever arrives first.
#[test]
fn a_forged_change_never_hides_the_genuine_one() {
    for forged_first in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let a = open(&dir.path().join("a"), "北山街道");
        let b = open(&dir.path().join("b"), "西湖区中心");
        let id = add(&a, "宝石山社区读书会");
        let genuine: Vec<_> = {
            let mut v = Vec::new();
            let vv = a.version_vector().unwrap();
            let origin = a.info().replica;
            a.each_op_since(&origin, 0, vv[&origin], &mut |op| {
                v.push(op);
                std::ops::ControlFlow::Continue(())
            })
            .unwrap();
            v
        };
        let mut forged = genuine.clone();
        for op in &mut forged {
            if op.field == "name" {
                op.value = Some(Value::Text("假冒的名称".into()));
            }
        }
        let (first, second) = if forged_first {
            (&forged, &genuine)
        } else {
            (&genuine, &forged)
        };
        b.apply_remote(first.clone()).unwrap();
        let r = b.apply_remote(second.clone()).unwrap();
        assert_eq!((r.new, r.divergent), (0, 1), "forged first: {forged_first}");
        assert_eq!(r.known, genuine.len() - 1);
        let kept = b.held().unwrap();
        assert_eq!(kept.len(), 1);
        let (d, in_force) = (&kept[0].held, &kept[0].in_force);
        assert_eq!(in_force.as_ref().unwrap().id, id);
        let both = [d.op.value.clone(), in_force.as_ref().unwrap().value.clone()];
        assert!(both.contains(&Some(Value::Text("宝石山社区读书会".into()))));
        assert!(both.contains(&Some(Value::Text("假冒的名称".into()))));
        // Sent again: still one kept, nothing new.
        let r = b.apply_remote(second.clone()).unwrap();
        assert_eq!((r.new, r.divergent), (0, 1));
        assert_eq!(b.held().unwrap().len(), 1);
    }
}

/// The same with the real binary, as an office would live through it: the
/// restored database says at once that it took a new identity, and an
/// in-place rollback shows up in `sync status` and `sync divergent`.
#[test]
fn the_command_line_says_what_happened() {
    use crate::cli_support::{text, Sanshe};
    let dir = tempfile::tempdir().unwrap();
    let a_dir = dir.path().join("a");
    let a = Sanshe::at(&a_dir);
    let b = Sanshe::at(&dir.path().join("b"));
    a.ok(&[
        "sync",
        "init",
        "--office",
        "北山街道",
        "--network",
        "西湖区",
    ]);
    b.ok(&[
        "sync",
        "init",
        "--office",
        "西湖区中心",
        "--network",
        "西湖区",
    ]);
    let bundle = dir.path().join("a.bundle");
    let bundle = bundle.to_str().unwrap();
    let exchange = |from: &Sanshe, to: &Sanshe, peer: &str| -> String {
        from.ok(&["sync", "export", "--peer", peer, "--out", bundle]);
        let o = to.run(&["sync", "import", bundle]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    a.ok(&["org", "add", "--name", "宝石山社区读书会"]);
    exchange(&a, &b, "西湖区中心");
    let backup = dir.path().join("backup");
    // A copy of a database in use is not a backup: its server stopped first.
    crate::cli_support::stop_server(&a_dir);
    copy_dir(&a_dir, &backup);
    a.ok(&["org", "add", "--name", "西湖社区银龄互助会"]);
    exchange(&a, &b, "西湖区中心");

    // Rolled back in place (the file keeps its identity), then one more
    // organization typed in under the old counters.
    crate::cli_support::stop_server(&a_dir);
    roll_back(&backup, &a_dir);
    a.ok(&["org", "add", "--name", "曙光社区舞蹈队"]);
    let out = exchange(&a, &b, "西湖区中心");
    assert!(out.contains("内容不同"), "{out}");
    assert!(out.contains("北山街道"), "{out}");
    let status = b.json(&["sync", "status", "--format", "json"]);
    assert!(status["held"].as_u64().unwrap() > 0, "{status}");
    let kept = b.json(&["sync", "held", "--format", "json"]);
    let kept = kept.as_array().unwrap();
    assert!(kept
        .iter()
        .any(|d| d["value"] == "曙光社区舞蹈队" && d["in_force"]["value"] == "西湖社区银龄互助会"));
    assert!(kept.iter().all(|d| d["origin_office"] == "北山街道"));
    let listed = b.ok(&["sync", "held"]);
    assert!(listed.contains("曙光社区舞蹈队"), "{listed}");

    // Back at the office: it learns it was behind, and says so when opened.
    let out = exchange(&b, &a, "北山街道");
    assert!(out.contains("新的副本编号"), "{out}");
    let o = a.run(&["org", "list", "--format", "json"]);
    assert!(o.status.success());
    assert!(
        text(&o.stderr).contains("新的副本编号"),
        "{}",
        text(&o.stderr)
    );
    // Said once: the next command is quiet.
    let o = a.run(&["org", "list", "--format", "json"]);
    assert_eq!(text(&o.stderr), "");

    // A restore by copying the folder: told at the first command.
    let c_dir = dir.path().join("c");
    crate::cli_support::stop_server(&a_dir);
    copy_dir(&a_dir, &c_dir);
    let o = Sanshe::at(&c_dir).run(&["stats"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("复制"), "{}", text(&o.stderr));
}
