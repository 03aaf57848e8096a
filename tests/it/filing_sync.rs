//! Filings and instructors between offices ([6/6]): a filing filed in one
//! office (with the organization its step put in the register) is
//! followed to registration in another; visits recorded by two offices on
//! the same instructor meanwhile are both kept; every office ends with the
//! same records.

use chrono::NaiveDate;
use sanshe::model::filing::{Filing, FilingState};
use sanshe::model::party::{Instructor, PartyVisit};
use sanshe::model::venture::Mark;
use sanshe::model::{Kind, OrgType, Record, RegState};
use sanshe::store::{Command, OpenOptions, Store};
use sanshe::sync::bundle;
use sanshe::sync::exchange::{self, ExportOptions, ImportOptions};

fn open(dir: &std::path::Path, name: &str) -> Store {
    let s = Store::open_with(
        &dir.join(name),
        OpenOptions {
            office: Some(name.to_string()),
        },
    )
    .unwrap();
    s.set_network("西湖区").unwrap();
    s
}

fn send(from: &Store, to: &Store) {
    let (bytes, _, _) = exchange::build(
        from,
        &ExportOptions {
            peer: Some(to.office()),
            full: false,
        },
        None,
    )
    .unwrap();
    let b = bundle::decode(&bytes).unwrap();
    exchange::import_bundle(to, b, &ImportOptions::default(), None, &mut |_| {}).unwrap();
}

fn mark(m: u32, d: u32) -> Mark {
    Mark {
        date: NaiveDate::from_ymd_opt(2026, m, d).unwrap(),
        author: Some("王丽".into()),
        note: None,
    }
}

fn filing(s: &Store, id: &str) -> Filing {
    match s.get(Kind::Filing, id).unwrap() {
        Some(Record::Filing(f)) => f,
        r => panic!("{r:?}"),
    }
}

fn step(s: &Store, id: &str, to: FilingState, m: Mark) {
    let before = filing(s, id);
    let mut after = before.clone();
    after.push_step(to, m);
    if to == FilingState::Filed {
        after.number = Some("北山备字〔2026〕9号".into());
    }
    s.execute(Command::Update {
        id: id.to_string(),
        before: Record::Filing(before),
        after: Record::Filing(after),
    })
    .unwrap();
}

#[test]
fn a_filing_filed_here_is_registered_there() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        open(dir.path(), "北山街道"),
        open(dir.path(), "西湖区民政局"),
    );
    let mut f = Filing::new("宝石山书画社", "陈敏", "宝石社区活动室");
    f.push_step(FilingState::Applied, mark(9, 1));
    let id = a
        .execute(Command::Create {
            record: Record::Filing(f),
        })
        .unwrap()
        .id;
    for (s, d) in [
        (FilingState::Checked, 5),
        (FilingState::Reviewed, 10),
        (FilingState::Filed, 20),
    ] {
        step(&a, &id, s, mark(9, d));
    }
    let org = filing(&a, &id).org.expect("linked");
    let mut i = Instructor::new("周建国", "北山街道党工委");
    i.orgs = vec![org.clone()];
    let inst = a
        .execute(Command::Create {
            record: Record::Instructor(i),
        })
        .unwrap()
        .id;
    send(&a, &b);
    step(&b, &id, FilingState::Preparing, mark(10, 1));
    step(&b, &id, FilingState::Registered, mark(11, 1));
    // Both offices record a visit meanwhile.
    for (s, d, note) in [(&a, 3, "指导组建党支部"), (&b, 4, "了解登记进展")] {
        let Some(Record::Instructor(before)) = s.get(Kind::Instructor, &inst).unwrap() else {
            panic!()
        };
        let mut after = before.clone();
        after.push_visit(PartyVisit {
            date: NaiveDate::from_ymd_opt(2026, 11, d).unwrap(),
            org: org.clone(),
            note: note.into(),
            author: None,
        });
        s.execute(Command::Update {
            id: inst.clone(),
            before: Record::Instructor(before),
            after: Record::Instructor(after),
        })
        .unwrap();
    }
    send(&b, &a);
    send(&a, &b);
    for s in [&a, &b] {
        let f = filing(s, &id);
        assert_eq!(f.state, FilingState::Registered);
        assert_eq!(f.steps.len(), 6);
        let Some(Record::Org(o)) = s.get(Kind::Org, &org).unwrap() else {
            panic!()
        };
        assert_eq!(o.state, RegState::Registered);
        assert_eq!(o.kind, OrgType::Community);
        let Some(Record::Instructor(i)) = s.get(Kind::Instructor, &inst).unwrap() else {
            panic!()
        };
        assert_eq!(i.visits.len(), 2, "{i:?}");
        assert_eq!(s.count(Kind::Org), 1);
    }
    assert_eq!(filing(&a, &id), filing(&b, &id));
}
