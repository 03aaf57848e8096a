//! Every live record of a kind with its id, in id order
//! (`DB/cache/records-KIND.bin`), so the reports need not walk the store:
//! 1.3-1.6 s for 100,000 organizations and 200,000 activities.

use super::Projection;
use crate::model::{Kind, Labeled, Record};
use crate::store::{Store, StoreError};

/// The records of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Records(pub Kind);

impl Projection for Records {
    type Item = (String, Record);
    /// 3: the history digest in the stamp (record layouts are the
    /// schema's, also in the stamp); 4: the file's name in the stamp.
    const FORMAT: u32 = 4;

    fn kind(&self) -> Kind {
        self.0
    }

    fn file_name(&self) -> String {
        format!("records-{}.bin", self.0.key())
    }

    fn id<'a>(&self, item: &'a Self::Item) -> &'a str {
        &item.0
    }

    fn derive(&self, id: &str, record: Record) -> Option<Self::Item> {
        Some((id.to_string(), record))
    }

    /// Organizations are decoded on two threads (`Store::orgs`).
    fn full(&self, store: &Store) -> Result<Vec<Self::Item>, StoreError> {
        match self.0 {
            Kind::Org => Ok(store
                .orgs()?
                .into_iter()
                .map(|(id, o)| (id, Record::Org(o)))
                .collect()),
            kind => store.all(kind),
        }
    }

    /// Id order.
    fn order(&self, items: &mut [Self::Item]) {
        if !items.is_sorted_by(|a, b| a.0 < b.0) {
            items.sort_by(|a, b| a.0.cmp(&b.0));
        }
    }

    /// A file of records of another kind is not this kind's.
    fn loaded(&self, items: &mut [Self::Item]) -> bool {
        items.iter().all(|(_, r)| r.kind() == self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Records;
    use crate::model::{Activity, Kind, OrgType, Organization, Record};
    use crate::store::projection::{stamp, Projection};
    use crate::store::{Command, Store};

    fn path(store: &Store, kind: Kind) -> std::path::PathBuf {
        store.cache_dir().join(Records(kind).file_name())
    }

    /// The file's records, if it is usable for this database.
    fn read(store: &Store, kind: Kind) -> Option<(crate::store::Basis, Vec<(String, Record)>)> {
        store.read_projection(&Records(kind))
    }

    fn write(
        store: &Store,
        kind: Kind,
        basis: &crate::store::Basis,
        records: &[(String, Record)],
    ) -> std::io::Result<bool> {
        store.write_projection(&Records(kind), records, basis)
    }

    fn sorted(mut v: Vec<(String, Record)>) -> Vec<(String, Record)> {
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn add(store: &Store, record: Record) -> String {
        store.execute(Command::Create { record }).unwrap().id
    }

    fn org(name: &str) -> Record {
        Record::Org(Organization::new(name, OrgType::Community))
    }

    fn activity(store: &Store, org: &str, title: &str) -> String {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 6, 3).unwrap();
        add(store, Record::Activity(Activity::new(org, date, title)))
    }

    fn same(store: &Store, kind: Kind) -> Vec<(String, Record)> {
        let cached = store.all_cached(kind).unwrap();
        let all = store.all(kind).unwrap();
        assert_eq!(cached, all, "{kind:?}: in id order, equal to the store");
        sorted(all)
    }

    fn update(store: &Store, kind: Kind, id: &str, f: impl FnOnce(&mut Record)) {
        let before = store.get(kind, id).unwrap().unwrap();
        let mut after = before.clone();
        f(&mut after);
        store
            .execute(Command::Update {
                id: id.to_string(),
                before,
                after,
            })
            .unwrap();
    }

    #[test]
    fn records_stay_right_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = add(&store, org("保俶社区书画社"));
        let b = add(&store, org("宝石社区合唱团"));
        let x = activity(&store, &a, "重阳敬老");
        let y = activity(&store, &b, "合唱排练");
        let orgs = same(&store, Kind::Org);
        same(&store, Kind::Activity);
        assert!(path(&store, Kind::Org).exists(), "cache written");
        // Unchanged: from the file.
        let from_file = read(&store, Kind::Org).unwrap().1;
        assert_eq!(sorted(from_file), orgs);
        // Changed after the file: edited, deleted, created, for both kinds.
        update(&store, Kind::Org, &a, |r| {
            if let Record::Org(o) = r {
                o.name = "安吉路书画社".into();
            }
        });
        store
            .execute(Command::Delete {
                kind: Kind::Org,
                id: b.clone(),
            })
            .unwrap();
        add(&store, org("曙光社区太极拳队"));
        // Ids past a power of ten: new ones sort between old ones.
        for i in 0..10 {
            add(&store, org(&format!("翠苑社区志愿服务队{i}")));
        }
        update(&store, Kind::Activity, &x, |r| {
            if let Record::Activity(act) = r {
                act.participants = Some(42);
            }
        });
        store
            .execute(Command::Delete {
                kind: Kind::Activity,
                id: y,
            })
            .unwrap();
        activity(&store, &a, "书法讲座");
        let orgs = same(&store, Kind::Org);
        assert_eq!(orgs.len(), 12);
        let acts = same(&store, Kind::Activity);
        assert_eq!(acts.len(), 2);
        // The file was brought up to date.
        let (basis, from_file) = read(&store, Kind::Activity).unwrap();
        assert_eq!(basis, store.basis().unwrap());
        assert_eq!(sorted(from_file), acts);
        // Read again: still the same.
        same(&store, Kind::Org);
        same(&store, Kind::Activity);
    }

    #[test]
    fn a_damaged_or_foreign_file_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for i in 0..20 {
            add(&store, org(&format!("西溪社区志愿服务队{i}")));
        }
        let all = same(&store, Kind::Org);
        let file = path(&store, Kind::Org);
        let good = std::fs::read(&file).unwrap();
        // One byte changed inside a name: still decodable, but not whole.
        let at = good
            .windows("志愿".len())
            .position(|w| w == "志愿".as_bytes())
            .unwrap();
        let mut bad = good.clone();
        bad[at + 1] ^= 0x01;
        std::fs::write(&file, &bad).unwrap();
        assert!(read(&store, Kind::Org).is_none());
        assert_eq!(same(&store, Kind::Org), all);
        // Cut short, garbage, another format, another kind's file.
        for bytes in [good[..good.len() / 2].to_vec(), b"\xff\xff\xff".to_vec()] {
            std::fs::write(&file, bytes).unwrap();
            assert_eq!(same(&store, Kind::Org), all);
        }
        let basis = store.basis().unwrap();
        let records = store.all(Kind::Org).unwrap();
        let name = Records(Kind::Org).file_name();
        let body = Records(Kind::Org).encode(&records).unwrap();
        stamp::write(&file, &name, Records::FORMAT + 1, &basis, &body).unwrap();
        assert!(read(&store, Kind::Org).is_none());
        assert_eq!(same(&store, Kind::Org), all);
        write(&store, Kind::Activity, &basis, &records).unwrap();
        assert!(read(&store, Kind::Activity).is_none());
        assert!(same(&store, Kind::Activity).is_empty());
        // A file stamped ahead of the database (a database restored from a
        // backup, say) is not used.
        let mut ahead = basis.clone();
        *ahead.vv.get_mut(&store.replica).unwrap() += 1;
        write(&store, Kind::Org, &ahead, &records[..1]).unwrap();
        // Of another history up to the same counters (restored in place
        // from an older backup, then changed): not used.
        let mut other = basis.clone();
        other.history.toggle(b"another", b"history");
        write(&store, Kind::Org, &other, &records[..1]).unwrap();
        assert_eq!(same(&store, Kind::Org), all);
        assert_eq!(same(&store, Kind::Org), all);
    }

    #[test]
    fn another_databases_file_is_not_used() {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let a = Store::open(one.path()).unwrap();
        let b = Store::open(two.path()).unwrap();
        add(&a, org("北山街道老年协会"));
        add(&a, org("西溪社区调解队"));
        add(&b, org("翠苑社区读书会"));
        same(&a, Kind::Org);
        // The same operations as `a`, and then some: its vector is past `a`'s.
        b.apply_remote(a.all_ops().unwrap()).unwrap();
        let own = same(&b, Kind::Org);
        assert_eq!(own.len(), 3);
        let file = path(&a, Kind::Org);
        let theirs = path(&b, Kind::Org);
        std::fs::copy(&file, &theirs).unwrap();
        let name = Records(Kind::Org).file_name();
        let (copied, _, _) = stamp::read(&theirs, &name, Records::FORMAT).unwrap();
        assert!(!b.basis_holds(&copied).unwrap());
        assert_eq!(same(&b, Kind::Org), own);
        // Even with a stamp `b` has reached (a copy, not this database's).
        let mut basis = b.basis().unwrap();
        basis.replica = a.replica;
        let records = a.all(Kind::Org).unwrap();
        write(&b, Kind::Org, &basis, &records).unwrap();
        assert_eq!(same(&b, Kind::Org), own);
    }

    #[test]
    fn operations_after_a_gap_are_caught_up() {
        // Operations from another database may come with a gap: the
        // version vector stays behind it, yet the records change.
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let a = Store::open(one.path()).unwrap();
        let b = Store::open(two.path()).unwrap();
        add(&a, org("北山街道老年协会"));
        let start = a.version_vector().unwrap()[&a.replica];
        let x = add(&a, org("西溪社区调解队"));
        let created = a.version_vector().unwrap()[&a.replica];
        update(&a, Kind::Org, &x, |r| {
            if let Record::Org(o) = r {
                o.name = "西溪社区人民调解队".into();
            }
        });
        let ops = a.all_ops().unwrap();
        let (creation, rest): (Vec<_>, Vec<_>) = ops
            .into_iter()
            .filter(|op| op.counter > start)
            .partition(|op| op.counter <= created);
        b.apply_remote(creation).unwrap();
        assert!(
            !b.version_vector().unwrap().contains_key(&a.replica),
            "a gap"
        );
        assert_eq!(same(&b, Kind::Org).len(), 1);
        assert_eq!(b.names(Kind::Org).unwrap().len(), 1);
        b.apply_remote(rest).unwrap();
        assert!(
            !b.version_vector().unwrap().contains_key(&a.replica),
            "still"
        );
        let now = same(&b, Kind::Org);
        assert!(
            matches!(&now[0].1, Record::Org(o) if o.name == "西溪社区人民调解队"),
            "{now:?}"
        );
        assert_eq!(
            b.names(Kind::Org).unwrap(),
            vec![(x, "西溪社区人民调解队".to_string())]
        );
    }
}
