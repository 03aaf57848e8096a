//! A large bundle is applied in several transactions (so memory stays
//! bounded); an import stopped between two of them leaves a consistent but
//! incomplete database, says so in the status, and importing the same
//! bundle again completes it: the result is the same as an import that was
//! never interrupted.

use std::panic::{catch_unwind, AssertUnwindSafe};

use sanshe::store::{OpenOptions, PeerUpdate, Store};
use sanshe::sync::bundle::{self, Bundle};
use sanshe::sync::exchange::{self, ExportOptions, ImportOptions};

fn open(dir: &std::path::Path, office: &str) -> Store {
    let s = Store::open_with(
        dir,
        OpenOptions {
            office: Some(office.into()),
        },
    )
    .unwrap();
    s.set_network("西湖区").unwrap();
    s
}

fn full_bundle(from: &Store) -> Vec<u8> {
    let all = ExportOptions {
        peer: None,
        full: true,
    };
    exchange::build(from, &all, None).unwrap().0
}

fn update(b: &Bundle) -> PeerUpdate {
    PeerUpdate {
        replica: b.header.replica,
        office: b.header.office.clone(),
        reported: b.header.vv.iter().copied().collect(),
        offices: b.header.offices.clone(),
        at: 1_700_000_000_000,
        bundle: b.hash,
        created: b.header.created,
    }
}

#[test]
fn an_interrupted_import_is_completed_by_importing_again() {
    let dir = tempfile::tempdir().unwrap();
    let sender = open(&dir.path().join("sender"), "北山街道");
    sanshe::demo::load(&sender, sanshe::demo::generate(12, 3)).unwrap();
    let bytes = full_bundle(&sender);
    let total = bundle::decode(&bytes).unwrap().len();
    assert!(total > 200, "{total} operations");

    // The reference: one uninterrupted import, in one transaction.
    let whole = open(&dir.path().join("whole"), "西湖区中心");
    let r = exchange::import_bundle(
        &whole,
        bundle::decode(&bytes).unwrap(),
        &ImportOptions::default(),
        None,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(r.applied.unwrap().new as u64, total);
    assert!(whole.unfinished_imports().unwrap().is_empty());

    // Stopped in the middle: 40 operations per transaction, and the
    // process "dies" (a panic) while reading the 121st operation: two
    // transactions were written, the third was being prepared.
    let path = dir.path().join("stopped");
    {
        let stopped = open(&path, "西湖区中心");
        stopped.set_apply_chunk(40);
        let b = bundle::decode(&bytes).unwrap();
        let up = update(&b);
        let mut seen = Vec::new();
        let died = catch_unwind(AssertUnwindSafe(|| {
            let ops = b.ops().enumerate().map(|(i, op)| {
                assert!(i < 120, "the power went out");
                op
            });
            stopped.apply_bundle(ops, &up, &mut |n| seen.push(n))
        }));
        assert!(died.is_err());
        assert_eq!(seen, [40, 80]);
        let left = stopped.unfinished_imports().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].office, "北山街道");
        assert_ne!(
            stopped.content_checksum().unwrap(),
            whole.content_checksum().unwrap()
        );
        // Nothing about the sender is recorded before the end.
        assert!(stopped.peers().unwrap().is_empty());
    }

    // After a restart the status still says so...
    let stopped = open(&path, "西湖区中心");
    let status = exchange::status(&stopped).unwrap();
    assert_eq!(status.unfinished.len(), 1);
    assert_eq!(status.unfinished[0].bundle.len(), 64);
    // ...and the same bundle again completes the import.
    stopped.set_apply_chunk(40);
    let r = exchange::import_bundle(
        &stopped,
        bundle::decode(&bytes).unwrap(),
        &ImportOptions::default(),
        None,
        &mut |_| {},
    )
    .unwrap()
    .applied
    .unwrap();
    assert_eq!(r.known, 80);
    assert_eq!(r.new as u64, total - 80);
    assert!(stopped.unfinished_imports().unwrap().is_empty());
    assert_eq!(
        stopped.content_checksum().unwrap(),
        whole.content_checksum().unwrap()
    );
    assert_eq!(
        stopped.version_vector().unwrap(),
        whole.version_vector().unwrap()
    );
    assert_eq!(stopped.peers().unwrap().len(), 1);
}

#[test]
fn a_bundle_already_known_writes_nothing_in_any_number_of_transactions() {
    let dir = tempfile::tempdir().unwrap();
    let sender = open(&dir.path().join("sender"), "北山街道");
    sanshe::demo::load(&sender, sanshe::demo::generate(5, 9)).unwrap();
    let bytes = full_bundle(&sender);
    let to = open(&dir.path().join("to"), "西湖区中心");
    to.set_apply_chunk(7);
    let import = || {
        exchange::import_bundle(
            &to,
            bundle::decode(&bytes).unwrap(),
            &ImportOptions::default(),
            None,
            &mut |_| {},
        )
        .unwrap()
        .applied
        .unwrap()
    };
    let first = import();
    assert!(first.new > 14);
    let before = to.checksum().unwrap();
    let again = import();
    assert_eq!((again.new, again.known), (0, first.new));
    assert_eq!(to.checksum().unwrap(), before, "nothing was written");
}
