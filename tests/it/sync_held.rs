//! Values from other offices are checked as local input is (issue [1/6]):
//! one that breaks a rule (an escape sequence in a name, a date in year
//! 9999, text over its limit) is not put into a record. The change stays in
//! the log and is relayed, so every office holds it back alike and they
//! still converge; it is held for review, listed with the rule it breaks,
//! and the import says how many. A later valid edit of the field wins as
//! usual.

use std::ops::ControlFlow;

use sanshe::model::{Kind, OrgType, Organization, Record};
use sanshe::store::{Command, HeldWhy, Op, OpenOptions, Store, Value};
use sanshe::sync::bundle;
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

fn ops_of(s: &Store) -> Vec<Op> {
    let origin = s.info().replica;
    let upto = s.version_vector().unwrap()[&origin];
    let mut out = Vec::new();
    s.each_op_since(&origin, 0, upto, &mut |op| {
        out.push(op);
        ControlFlow::Continue(())
    })
    .unwrap();
    out
}

fn name_of(s: &Store, id: &str) -> String {
    s.get(Kind::Org, id).unwrap().unwrap().title().to_string()
}

fn relay(from: &Store, to: &Store) -> sanshe::store::ApplyReport {
    let all = ExportOptions {
        peer: None,
        full: true,
    };
    let bytes = exchange::build(from, &all, None).unwrap().0;
    let b = bundle::decode(&bytes).unwrap();
    exchange::import_bundle(to, b, &ImportOptions::default(), None, &mut |_| {})
        .unwrap()
        .applied
        .unwrap()
}

#[test]
fn a_value_from_elsewhere_that_breaks_a_rule_is_held_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let town = open(&dir.path().join("town"), "北山街道");
    let district = open(&dir.path().join("district"), "西湖区中心");
    let third = open(&dir.path().join("third"), "西溪街道");
    let id = town
        .execute(Command::Create {
            record: Record::Org(Organization::new("宝石山社区读书会", OrgType::Community)),
        })
        .unwrap()
        .id;
    // A crafted change of another office's: an escape sequence in the name,
    // replacing the genuine one; and a founding date in 9999.
    let mut crafted = ops_of(&town);
    let name = crafted.iter().find(|o| o.field == "name").unwrap().clone();
    let evil = Op {
        origin: [9; 16],
        counter: 1,
        hlc: name.hlc + 10,
        author: "邻居".into(),
        field: "name".into(),
        value: Some(Value::Text("读书会\u{1b}[2J\u{1b}]0;pwned\u{7}".into())),
        prev: vec![name.op_id()],
        ..name.clone()
    };
    let far = Op {
        counter: 2,
        hlc: name.hlc + 11,
        field: "founded".into(),
        value: Some(Value::Text("9999-12-31".into())),
        prev: vec![],
        ..evil.clone()
    };
    crafted.push(evil.clone());
    crafted.push(far);
    let r = district.apply_remote(crafted).unwrap();
    assert_eq!(r.invalid, 2, "{r:?}");
    assert_eq!(name_of(&district, &id), "宝石山社区读书会");
    let Record::Org(o) = district.get(Kind::Org, &id).unwrap().unwrap() else {
        panic!()
    };
    assert_eq!(o.founded, None);
    let held = district.held().unwrap();
    assert_eq!(held.len(), 2);
    assert!(held.iter().all(|h| h.held.why == HeldWhy::Invalid
        && h.held.op.origin == [9; 16]
        && h.rule.is_some()));

    // Relayed like any change: the third office holds them back too, and
    // every office ends with the same records.
    let r = relay(&district, &third);
    assert_eq!(r.invalid, 2);
    relay(&district, &town);
    relay(&town, &third);
    assert_eq!(name_of(&third, &id), "宝石山社区读书会");
    let sums: Vec<_> = [&town, &district, &third]
        .iter()
        .map(|s| s.content_checksum().unwrap())
        .collect();
    assert!(sums.windows(2).all(|w| w[0] == w[1]), "offices differ");

    // Without the check (as before), the escape sequence became the name.
    let before = open(&dir.path().join("before"), "灵隐街道");
    before.set_check_remote(false);
    let mut again = ops_of(&town);
    again.push(evil);
    before.apply_remote(again).unwrap();
    assert!(name_of(&before, &id).contains('\u{1b}'));
}
