//! Every truncation and every single-bit flip of a small bundle is refused
//! before the database is touched: the import returns an error (never a
//! panic) and the database's checksum is unchanged.

use sanshe::model::{OrgType, Organization, Record};
use sanshe::store::{Command, OpenOptions, Store};
use sanshe::sync::exchange::{self, ExportOptions, ImportOptions};
use sanshe::sync::{bundle, SyncError};

fn store(dir: &std::path::Path, office: &str) -> Store {
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

fn import(s: &Store, bytes: &[u8]) -> Result<(), SyncError> {
    let b = bundle::decode(bytes)?;
    exchange::import_bundle(s, b, &ImportOptions::default(), None, &mut |_| {}).map(|_| ())
}

#[test]
fn every_truncation_and_flip_is_refused_with_the_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let from = store(&dir.path().join("a"), "北山街道");
    let to = store(&dir.path().join("b"), "西湖区中心");
    let mut o = Organization::new("宝石山社区读书会", OrgType::Community);
    o.phone = Some("13812345678".into());
    from.execute(Command::Create {
        record: Record::Org(o),
    })
    .unwrap();
    let (good, _, _) = exchange::build(&from, &ExportOptions::default(), None).unwrap();
    let before = to.checksum().unwrap();
    for n in 0..good.len() {
        assert!(import(&to, &good[..n]).is_err(), "truncated to {n}");
    }
    for i in 0..good.len() {
        for bit in 0..8 {
            let mut b = good.clone();
            b[i] ^= 1 << bit;
            let r = import(&to, &b);
            assert!(r.is_err(), "bit {bit} of byte {i} flipped was accepted");
            assert_eq!(r.unwrap_err().exit_code(), 2);
        }
    }
    assert_eq!(to.checksum().unwrap(), before);
    import(&to, &good).unwrap();
    assert_ne!(to.checksum().unwrap(), before);
}
