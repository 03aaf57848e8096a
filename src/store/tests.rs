//! Store tests on temporary databases: commands, rules, the log, sync
//! between replicas, and the convergence property (any order of the same
//! operations gives the same state, byte for byte).

use std::path::Path;

use proptest::prelude::*;

use super::keys::{self, BY_CREDIT, BY_GRID, BY_NAME, BY_PARENT, CONFLICT, GONE, LIVE, STATE, VV};
use super::*;
use crate::model::{Domain, OrgType, PlaceLevel};

fn open_tmp() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open_with(
        dir.path(),
        OpenOptions {
            office: Some("北山街道社会组织服务中心".into()),
        },
    )
    .unwrap();
    (dir, s)
}

fn place(code: &str, name: &str, level: PlaceLevel, parent: Option<&str>) -> Command {
    Command::Create {
        record: Record::Place(Place {
            code: code.into(),
            name: name.into(),
            level,
            parent: parent.map(str::to_string),
        }),
    }
}

/// A district with two townships: 北山街道 (two communities, three grids)
/// and 西溪街道 (one community, one grid).
fn places(s: &Store) {
    use PlaceLevel::*;
    s.execute_all(vec![
        place("XH", "西湖区", District, None),
        place("BSJ", "北山街道", Township, Some("XH")),
        place("BSJ-01", "宝石山社区", Community, Some("BSJ")),
        place("BSJ-01-01", "宝石山第一网格", Grid, Some("BSJ-01")),
        place("BSJ-01-02", "宝石山第二网格", Grid, Some("BSJ-01")),
        place("BSJ-02", "保俶路社区", Community, Some("BSJ")),
        place("BSJ-02-01", "保俶路第一网格", Grid, Some("BSJ-02")),
        place("XX", "西溪街道", Township, Some("XH")),
        place("XX-01", "古荡社区", Community, Some("XX")),
        place("XX-01-01", "古荡第一网格", Grid, Some("XX-01")),
    ])
    .unwrap();
}

fn org(name: &str, grid: Option<&str>) -> Organization {
    let mut o = Organization::new(name, OrgType::Community);
    o.grid = grid.map(str::to_string);
    o
}

fn add(s: &Store, o: Organization) -> Outcome {
    s.execute(Command::Create {
        record: Record::Org(o),
    })
    .unwrap()
}

/// The derived state of a database: record states, records, conflicts,
/// indexes and version vector (not the log, whose grouping follows arrival).
fn dump(s: &Store) -> Vec<(Vec<u8>, Vec<u8>)> {
    let spaces = [
        STATE, LIVE, GONE, CONFLICT, BY_GRID, BY_CREDIT, BY_NAME, BY_PARENT, VV,
    ];
    s.db.iter()
        .map(|kv| kv.unwrap())
        .filter(|(k, _)| spaces.contains(&k[0]))
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}

/// Every stored record materialises from its state to what is stored.
fn assert_materialised(s: &Store) {
    for kv in s.db.scan_prefix([STATE]) {
        let (k, v) = kv.unwrap();
        let kind = Kind::from_tag(k[1]).unwrap();
        let id = std::str::from_utf8(&k[2..]).unwrap();
        let state = RecordState::decode(&v).unwrap();
        assert_eq!(
            records::materialize(kind, &state),
            s.mat(kind, id).unwrap(),
            "{kind} {id}"
        );
    }
}

#[test]
fn store_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
}

#[test]
fn new_database_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("库");
    let s = Store::open_with(
        &path,
        OpenOptions {
            office: Some(" 北山街道 ".into()),
        },
    )
    .unwrap();
    assert!(s.is_empty());
    let info = s.info();
    assert_eq!(info.office, "北山街道");
    assert_eq!(info.schema, SCHEMA);
    assert!(lock::read_holder(s.path()).is_some());
    s.set_office("北山街道社会组织服务中心").unwrap();
    assert!(s.set_office("  ").is_err());
    drop(s);
    assert!(
        lock::read_holder(&path).is_none(),
        "holder file removed on drop"
    );
    let s = Store::open(&path).unwrap();
    assert_eq!(s.info().replica, info.replica);
    assert_eq!(s.info().office, "北山街道社会组织服务中心");
}

#[test]
fn second_open_is_in_use_with_holder() {
    let (dir, s) = open_tmp();
    match Store::open(dir.path()) {
        Err(StoreError::InUse { path, holder }) => {
            assert_eq!(path, s.path());
            let h = holder.expect("holder recorded");
            assert_eq!(h.pid, std::process::id());
            assert_eq!(h.user, s.author());
        }
        Err(e) => panic!("unexpected error {e:?}"),
        Ok(_) => panic!("opened twice"),
    }
    // The refused open must not remove the holder's file.
    assert!(lock::read_holder(dir.path()).is_some());
}

#[test]
fn newer_schema_is_refused() {
    let (dir, s) = open_tmp();
    s.db.insert(keys::meta(META_SCHEMA), &(SCHEMA + 1).to_be_bytes())
        .unwrap();
    drop(s);
    match Store::open(dir.path()) {
        Err(StoreError::NewerSchema { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA + 1, SCHEMA));
        }
        other => panic!("expected NewerSchema, got {:?}", other.map(|_| ())),
    }
}

/// A database of an older schema, whose materialised records the current
/// model types cannot read (here: bytes of no layout at all), is moved to
/// the current schema at open: every record is rebuilt from its fields,
/// live and deleted ones alike.
#[test]
fn an_older_schema_is_rebuilt_from_the_fields() {
    let (dir, s) = open_tmp();
    let live = s
        .execute(Command::Create {
            record: Record::Org(Organization::new("宝石山社区书画社", OrgType::Community)),
        })
        .unwrap()
        .id;
    let gone = s
        .execute(Command::Create {
            record: Record::Org(Organization::new("西湖读书会", OrgType::Community)),
        })
        .unwrap()
        .id;
    s.execute(Command::Delete {
        kind: Kind::Org,
        id: gone.clone(),
    })
    .unwrap();
    s.db.insert(keys::record(keys::LIVE, Kind::Org, &live), &[7u8, 7, 7][..])
        .unwrap();
    s.db.insert(keys::record(keys::GONE, Kind::Org, &gone), &[7u8][..])
        .unwrap();
    s.db.insert(keys::meta(META_SCHEMA), &(SCHEMA - 1).to_be_bytes())
        .unwrap();
    assert!(s.org(&live).is_err(), "the old layout is unreadable");
    drop(s);
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.info().schema, SCHEMA);
    assert_eq!(s.org(&live).unwrap().unwrap().name, "宝石山社区书画社");
    s.execute(Command::Restore {
        kind: Kind::Org,
        id: gone.clone(),
    })
    .unwrap();
    assert_eq!(s.org(&gone).unwrap().unwrap().name, "西湖读书会");
}

#[test]
fn foreign_sled_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.insert(b"other", b"data").unwrap();
        db.flush().unwrap();
    }
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::Storage(_))
    ));
}

#[test]
fn places_and_orgs_round_trip() {
    let (_d, s) = open_tmp();
    places(&s);
    assert_eq!(s.places().unwrap().len(), 10);
    assert_eq!(s.places().unwrap()[0].code, "BSJ");
    assert_eq!(s.place(" bsj-01 ").unwrap().unwrap().name, "宝石山社区");
    let mut o = org("宝石山社区书画社", Some("bsj-01-01"));
    o.domains = vec![Domain::Culture, Domain::Elderly];
    o.phone = Some("138 1234 5678".into());
    o.tags = vec!["书画".into()];
    let out = add(&s, o.clone());
    assert!(out.id.starts_with(&s.tag));
    assert_eq!(out.id, format!("{}-1", s.tag));
    assert!(out.ops > 3);
    o.normalize();
    assert_eq!(s.org(&out.id).unwrap(), Some(o.clone()));
    assert_eq!(s.get(Kind::Org, &out.id).unwrap(), Some(Record::Org(o)));
    assert_eq!(s.orgs().unwrap().len(), 1);
    assert_eq!(s.org_count(), 1);
    assert_eq!(s.count(Kind::Place), 10);
    assert!(!s.is_empty());
    let second = add(&s, org("保俶路太极拳队", Some("BSJ-02-01")));
    assert_eq!(second.id, format!("{}-2", s.tag));
    assert_materialised(&s);
}

#[test]
fn update_writes_only_changed_fields() {
    let (_d, s) = open_tmp();
    places(&s);
    let mut before = org("宝石山社区书画社", Some("BSJ-01-01"));
    before.domains = vec![Domain::Culture];
    let id = add(&s, before.clone()).id;
    let mut after = before.clone();
    after.phone = Some("0571-87654321".into());
    after.domains = vec![Domain::Culture, Domain::Elderly];
    let out = s
        .execute(Command::Update {
            id: id.clone(),
            before: Record::Org(before.clone()),
            after: Record::Org(after.clone()),
        })
        .unwrap();
    assert_eq!(out.ops, 2);
    let log = s.log(2).unwrap();
    let mut fields: Vec<_> = log.iter().map(|e| e.op.field.as_str()).collect();
    fields.sort();
    assert_eq!(fields, vec!["domains/[elderly]", "phone"]);
    after.normalize();
    assert_eq!(s.org(&id).unwrap(), Some(after.clone()));
    // Nothing changed: nothing written.
    let n = s.log(1000).unwrap().len();
    let out = s
        .execute(Command::Update {
            id: id.clone(),
            before: Record::Org(after.clone()),
            after: Record::Org(after.clone()),
        })
        .unwrap();
    assert_eq!(out.ops, 0);
    assert_eq!(s.log(1000).unwrap().len(), n);
    // An update of a missing id.
    assert!(matches!(
        s.execute(Command::Update {
            id: "nope-1".into(),
            before: Record::Org(after.clone()),
            after: Record::Org(after),
        }),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn concurrent_edit_of_another_field_is_kept() {
    let (_d, s) = open_tmp();
    let base = org("湖滨晴雨志愿队", None);
    let id = add(&s, base.clone()).id;
    // Two forms opened on the same record; each changes one field.
    let mut a = base.clone();
    a.phone = Some("13812345678".into());
    let mut b = base.clone();
    b.contact = Some("王秀英".into());
    for after in [a, b] {
        s.execute(Command::Update {
            id: id.clone(),
            before: Record::Org(base.clone()),
            after: Record::Org(after),
        })
        .unwrap();
    }
    let o = s.org(&id).unwrap().unwrap();
    assert_eq!(o.phone.as_deref(), Some("13812345678"));
    assert_eq!(o.contact.as_deref(), Some("王秀英"));
}

#[test]
fn delete_and_restore() {
    let (_d, s) = open_tmp();
    places(&s);
    let id = add(&s, org("宝石山社区书画社", Some("BSJ-01-01"))).id;
    let del = Command::Delete {
        kind: Kind::Org,
        id: id.clone(),
    };
    assert_eq!(s.execute(del.clone()).unwrap().ops, 1);
    assert_eq!(s.org(&id).unwrap(), None);
    assert_eq!(s.org_count(), 0);
    assert!(s.orgs().unwrap().is_empty());
    assert!(s.orgs_in_place("BSJ").unwrap().is_empty());
    assert_eq!(s.deleted(Kind::Org).unwrap().len(), 1);
    assert!(matches!(s.execute(del), Err(StoreError::NotFound { .. })));
    let restore = Command::Restore {
        kind: Kind::Org,
        id: id.clone(),
    };
    assert_eq!(s.execute(restore.clone()).unwrap().ops, 1);
    assert_eq!(s.org(&id).unwrap().unwrap().name, "宝石山社区书画社");
    assert_eq!(s.org_count(), 1);
    assert_eq!(s.orgs_in_place("BSJ").unwrap(), vec![id.clone()]);
    // Restoring a live record does nothing.
    assert_eq!(s.execute(restore).unwrap().ops, 0);
    assert!(matches!(
        s.execute(Command::Restore {
            kind: Kind::Org,
            id: "nope-1".into()
        }),
        Err(StoreError::NotFound { .. })
    ));
    // The count survives a reopen.
    let path = s.path().to_path_buf();
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.org_count(), 1);
}

#[test]
fn duplicate_credit_code_is_refused_naming_the_existing() {
    let (_d, s) = open_tmp();
    let mut a = org("杭州市西湖区北山街道银龄互助会", None);
    a.credit_code = Some("51330106MJ9999999X".into());
    a.credit_code_unchecked = true;
    let first = add(&s, a.clone()).id;
    assert_eq!(
        s.org_by_credit_code("51330106mj9999999x").unwrap(),
        Some(first.clone())
    );
    let mut b = org("另一个组织", None);
    b.credit_code = a.credit_code.clone();
    b.credit_code_unchecked = true;
    let cmd = Command::Create {
        record: Record::Org(b.clone()),
    };
    match s.execute(cmd.clone()) {
        Err(StoreError::DuplicateCreditCode {
            code,
            existing_id,
            existing_name,
        }) => {
            assert_eq!(code, "51330106MJ9999999X");
            assert_eq!(existing_id, first);
            assert_eq!(existing_name, "杭州市西湖区北山街道银龄互助会");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.org_count(), 1);
    // Editing the first one without touching its code is fine.
    let mut a2 = a.clone();
    a2.phone = Some("13812345678".into());
    s.execute(Command::Update {
        id: first.clone(),
        before: Record::Org(a.clone()),
        after: Record::Org(a2),
    })
    .unwrap();
    // Once the first is deleted the code is free; restoring it is then refused.
    s.execute(Command::Delete {
        kind: Kind::Org,
        id: first.clone(),
    })
    .unwrap();
    let second = s.execute(cmd).unwrap().id;
    assert_eq!(
        s.org_by_credit_code("51330106MJ9999999X").unwrap(),
        Some(second)
    );
    assert!(matches!(
        s.execute(Command::Restore {
            kind: Kind::Org,
            id: first
        }),
        Err(StoreError::DuplicateCreditCode { .. })
    ));
}

#[test]
fn possible_duplicate_in_the_same_township_warns() {
    let (_d, s) = open_tmp();
    places(&s);
    let first = add(&s, org("银龄互助会", Some("BSJ-01-01"))).id;
    // Another grid of the same township: a warning, and the save happens.
    let out = add(&s, org("北山街道银龄互助协会", Some("BSJ-02-01")));
    assert_eq!(
        out.warnings,
        vec![Warning::PossibleDuplicate {
            id: first.clone(),
            name: "银龄互助会".into()
        }]
    );
    assert_eq!(s.org_count(), 2);
    // Another township: no warning.
    assert!(add(&s, org("银龄互助会", Some("XX-01-01")))
        .warnings
        .is_empty());
    // A different name: no warning.
    assert!(add(&s, org("保俶路太极拳队", Some("BSJ-02-01")))
        .warnings
        .is_empty());
    // Without a grid, compared with the others without a grid.
    assert!(add(&s, org("湖滨晴雨志愿队", None)).warnings.is_empty());
    let w = add(&s, org("湖滨晴雨志愿服务队", None)).warnings;
    assert_eq!(w.len(), 1);
    // Deleted organizations are not compared.
    s.execute(Command::Delete {
        kind: Kind::Org,
        id: first,
    })
    .unwrap();
    let check = s
        .check(&Command::Create {
            record: Record::Org(org("银龄互助会", Some("BSJ-01-02"))),
        })
        .unwrap();
    assert_eq!(check.len(), 1, "only the 协会 remains: {check:?}");
}

#[test]
fn possible_duplicate_without_a_grid_cell_warns_too() {
    let (_d, s) = open_tmp();
    places(&s);
    let placed = add(&s, org("望江门社区银龄互助会", Some("BSJ-01-01"))).id;
    // No grid cell: compared with the whole database.
    let w = add(&s, org("望江门社区银龄互助协会", None));
    assert_eq!(
        w.warnings,
        vec![Warning::PossibleDuplicate {
            id: placed.clone(),
            name: "望江门社区银龄互助会".into()
        }]
    );
    let loose = w.id;
    // And one placed in a township is compared with those without a cell.
    let w = add(&s, org("望江门社区银龄互助社", Some("BSJ-02-01"))).warnings;
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w
        .iter()
        .any(|x| matches!(x, Warning::PossibleDuplicate { id, .. } if *id == loose)));
    // Another township sees the one without a cell, not the placed ones.
    let w = add(&s, org("望江门社区银龄互助站", Some("XX-01-01"))).warnings;
    assert_eq!(
        w,
        vec![Warning::PossibleDuplicate {
            id: loose.clone(),
            name: "望江门社区银龄互助协会".into()
        }]
    );
    // The loaded names follow changes: the one without a cell moves to a
    // grid of BSJ, and is then no longer seen from the other township.
    let before = s.org(&loose).unwrap().unwrap();
    let mut after = before.clone();
    after.grid = Some("BSJ-01-02".into());
    s.execute(Command::Update {
        id: loose.clone(),
        before: Record::Org(before),
        after: Record::Org(after),
    })
    .unwrap();
    let probe = |grid: Option<&str>| {
        s.check(&Command::Create {
            record: Record::Org(org("望江门社区银龄互助中心", grid)),
        })
        .unwrap()
    };
    assert_eq!(probe(Some("XX-01-01")).len(), 1, "only the XX one");
    assert_eq!(probe(Some("BSJ-01-01")).len(), 3);
    assert_eq!(probe(None).len(), 4, "everyone");
}

#[test]
fn possible_duplicates_within_a_batch() {
    let (_d, s) = open_tmp();
    places(&s);
    let out = s
        .execute_all(vec![
            Command::Create {
                record: Record::Org(org("夕阳红舞蹈队", Some("BSJ-01-01"))),
            },
            Command::Create {
                record: Record::Org(org("夕阳红舞蹈团", Some("BSJ-01-02"))),
            },
        ])
        .unwrap();
    assert!(out[0].warnings.is_empty());
    assert_eq!(out[1].warnings.len(), 1);
}

#[test]
fn duplicate_cache_follows_commits_only() {
    let (_d, s) = open_tmp();
    places(&s);
    let first = add(&s, org("银龄互助会", Some("BSJ-01-01"))).id;
    // A batch that fails after adding a similar name: the name must not
    // linger in the cache.
    assert!(s
        .execute_all(vec![
            Command::Create {
                record: Record::Org(org("银龄互助协会", Some("BSJ-01-02"))),
            },
            Command::Create {
                record: Record::Org(org("甲", Some("NOPE"))),
            },
        ])
        .is_err());
    let probe = Command::Create {
        record: Record::Org(org("银龄互助社", Some("BSJ-02-01"))),
    };
    let w = s.check(&probe).unwrap();
    assert_eq!(
        w,
        vec![Warning::PossibleDuplicate {
            id: first.clone(),
            name: "银龄互助会".into()
        }]
    );
    // A check does not leave its own record behind either.
    assert_eq!(s.check(&probe).unwrap().len(), 1);
    // Committed changes are seen: a rename away, then a new similar one.
    let before = s.org(&first).unwrap().unwrap();
    let mut after = before.clone();
    after.name = "保俶路太极拳队".into();
    s.execute(Command::Update {
        id: first,
        before: Record::Org(before),
        after: Record::Org(after),
    })
    .unwrap();
    assert!(s.check(&probe).unwrap().is_empty());
    let second = add(&s, org("银龄互助会", Some("BSJ-01-02"))).id;
    assert_eq!(
        s.check(&probe).unwrap(),
        vec![Warning::PossibleDuplicate {
            id: second,
            name: "银龄互助会".into()
        }]
    );
}

#[test]
fn unknown_grid_is_refused_and_nothing_written() {
    let (_d, s) = open_tmp();
    places(&s);
    let log_before = s.log(1000).unwrap().len();
    let err = s
        .execute(Command::Create {
            record: Record::Org(org("宝石山社区书画社", Some("BSJ-09-09"))),
        })
        .unwrap_err();
    match &err {
        StoreError::Invalid(e) => assert_eq!(
            e.for_field("grid").map(|f| &f.rule),
            Some(&Rule::UnknownPlace {
                code: "BSJ-09-09".into()
            })
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.exit_code(), 2);
    assert_eq!(s.org_count(), 0);
    assert_eq!(s.log(1000).unwrap().len(), log_before);
    // The refused command did not use up an id.
    assert_eq!(add(&s, org("书画社", None)).id, format!("{}-1", s.tag));
}

#[test]
fn invalid_record_is_refused() {
    let (_d, s) = open_tmp();
    let mut o = org("", None);
    o.phone = Some("12345".into());
    match s.execute(Command::Create {
        record: Record::Org(o),
    }) {
        Err(StoreError::Invalid(e)) => {
            assert!(e.for_field("name").is_some());
            assert!(e.for_field("phone").is_some());
        }
        other => panic!("{other:?}"),
    }
    assert!(s.is_empty());
}

#[test]
fn place_rules() {
    let (_d, s) = open_tmp();
    places(&s);
    use PlaceLevel::*;
    // Parent unknown, parent of the wrong level.
    match s.execute(place("BSJ-03", "新社区", Community, Some("NOPE"))) {
        Err(StoreError::Invalid(e)) => assert_eq!(
            e.for_field("parent").map(|f| &f.rule),
            Some(&Rule::UnknownPlace {
                code: "NOPE".into()
            })
        ),
        other => panic!("{other:?}"),
    }
    match s.execute(place("BSJ-03", "新社区", Community, Some("XH"))) {
        Err(StoreError::Invalid(e)) => assert_eq!(
            e.for_field("parent").map(|f| &f.rule),
            Some(&Rule::PlaceParent {
                expected: "township".into()
            })
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        s.execute(place("bsj", "北山", Township, Some("XH"))),
        Err(StoreError::DuplicatePlace { code }) if code == "BSJ"
    ));
    // A place with places or organizations under it stays.
    let id = add(&s, org("书画社", Some("BSJ-01-01"))).id;
    assert!(matches!(
        s.execute(Command::Delete {
            kind: Kind::Place,
            id: "BSJ-01-01".into()
        }),
        Err(StoreError::PlaceInUse {
            orgs: 1,
            places: 0,
            ..
        })
    ));
    assert!(matches!(
        s.execute(Command::Delete {
            kind: Kind::Place,
            id: "BSJ-01".into()
        }),
        Err(StoreError::PlaceInUse { places: 2, .. })
    ));
    s.execute(Command::Delete {
        kind: Kind::Org,
        id,
    })
    .unwrap();
    // A need raised in the grid keeps it too, until the need goes.
    let need = s
        .execute(Command::Create {
            record: Record::Need(crate::model::Need {
                title: "独居老人助餐".into(),
                domains: vec![crate::model::Domain::Elderly],
                grid: "BSJ-01-01".into(),
                ..Default::default()
            }),
        })
        .unwrap()
        .id;
    let refused = s.execute(Command::Delete {
        kind: Kind::Place,
        id: "BSJ-01-01".into(),
    });
    assert!(
        matches!(
            refused,
            Err(StoreError::PlaceInUse {
                others: 1,
                orgs: 0,
                places: 0,
                ..
            })
        ),
        "{refused:?}"
    );
    s.execute(Command::Delete {
        kind: Kind::Need,
        id: need,
    })
    .unwrap();
    s.execute(Command::Delete {
        kind: Kind::Place,
        id: "BSJ-01-01".into(),
    })
    .unwrap();
    assert!(s.place("BSJ-01-01").unwrap().is_none());
    // Made again with another name: the deleted one comes back renamed.
    let out = s
        .execute(place("BSJ-01-01", "宝石山一号网格", Grid, Some("BSJ-01")))
        .unwrap();
    assert_eq!(out.ops, 2, "name and the deletion mark");
    assert_eq!(
        s.place("BSJ-01-01").unwrap().unwrap().name,
        "宝石山一号网格"
    );
    // Renaming a place keeps its code.
    let before = Record::Place(s.place("BSJ-02").unwrap().unwrap());
    let mut after = s.place("BSJ-02").unwrap().unwrap();
    after.name = "保俶路社区（新）".into();
    after.code = "OTHER".into();
    s.execute(Command::Update {
        id: "BSJ-02".into(),
        before,
        after: Record::Place(after),
    })
    .unwrap();
    assert_eq!(s.place("BSJ-02").unwrap().unwrap().name, "保俶路社区（新）");
    assert!(s.place("OTHER").unwrap().is_none());
    assert_materialised(&s);
}

#[test]
fn orgs_in_place_walks_down() {
    let (_d, s) = open_tmp();
    places(&s);
    let a = add(&s, org("甲", Some("BSJ-01-01"))).id;
    let b = add(&s, org("乙", Some("BSJ-02-01"))).id;
    let c = add(&s, org("丙", Some("BSJ"))).id;
    let _d = add(&s, org("丁", Some("XX-01-01"))).id;
    let _e = add(&s, org("戊", None)).id;
    let mut in_bsj = s.orgs_in_place("bsj").unwrap();
    in_bsj.sort();
    let mut want = vec![a.clone(), b, c];
    want.sort();
    assert_eq!(in_bsj, want);
    assert_eq!(s.orgs_in_place("BSJ-01").unwrap(), vec![a]);
    assert_eq!(s.orgs_in_place("XH").unwrap().len(), 4);
    assert!(s.orgs_in_place("NOPE").unwrap().is_empty());
}

#[test]
fn execute_all_is_all_or_nothing() {
    let (_d, s) = open_tmp();
    places(&s);
    let before = dump(&s);
    let err = s
        .execute_all(vec![
            Command::Create {
                record: Record::Org(org("甲", Some("BSJ-01-01"))),
            },
            Command::Create {
                record: Record::Org(org("乙", Some("NOPE"))),
            },
        ])
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)));
    assert_eq!(dump(&s), before);
    assert_eq!(s.org_count(), 0);
    // Within one batch, the second of two equal credit codes is refused.
    let mut a = org("甲", None);
    a.credit_code = Some("51330106MJ9999999X".into());
    a.credit_code_unchecked = true;
    let mut b = a.clone();
    b.name = "乙".into();
    let err = s
        .execute_all(vec![
            Command::Create {
                record: Record::Org(a),
            },
            Command::Create {
                record: Record::Org(b),
            },
        ])
        .unwrap_err();
    assert!(matches!(err, StoreError::DuplicateCreditCode { .. }));
    assert_eq!(dump(&s), before);
}

#[test]
fn check_writes_nothing() {
    let (_d, s) = open_tmp();
    places(&s);
    add(&s, org("银龄互助会", Some("BSJ-01-01")));
    let before = dump(&s);
    let cmd = Command::Create {
        record: Record::Org(org("银龄互助协会", Some("BSJ-01-02"))),
    };
    assert_eq!(s.check(&cmd).unwrap().len(), 1);
    // What the check read stays for the save.
    assert_eq!(s.writer().dup.loaded(), 1);
    assert!(matches!(
        s.check(&Command::Create {
            record: Record::Org(org("甲", Some("NOPE")))
        }),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(dump(&s), before);
    assert_eq!(s.org_count(), 1);
}

#[test]
fn log_has_author_origin_and_office() {
    let (_d, s) = open_tmp();
    let id = add(&s, org("宝石山社区书画社", None)).id;
    s.execute(Command::Delete {
        kind: Kind::Org,
        id: id.clone(),
    })
    .unwrap();
    let log = s.log(100).unwrap();
    assert!(log.len() >= 4);
    let newest = &log[0];
    assert_eq!(newest.op.field, fields::DELETED);
    assert_eq!(newest.op.value, Some(Value::Bool(true)));
    assert_eq!(newest.op.id, id);
    assert!(log.windows(2).all(|w| w[0].op.hlc >= w[1].op.hlc));
    for e in &log {
        assert_eq!(e.op.author, s.author());
        assert_eq!(e.op.origin, s.info().replica);
        assert_eq!(e.office.as_deref(), Some("北山街道社会组织服务中心"));
    }
    assert!(hlc_time(newest.op.hlc).is_some());
    assert_eq!(s.log(1).unwrap().len(), 1);
}

#[test]
fn sync_between_two_offices() {
    let (_d1, a) = open_tmp();
    let (_d2, b) = open_tmp();
    places(&a);
    let id = add(&a, org("宝石山社区书画社", Some("BSJ-01-01"))).id;
    let ops = a.ops_since(&a.info().replica, 0).unwrap();
    assert_eq!(
        ops.len() as u64,
        a.version_vector().unwrap()[&a.info().replica]
    );
    let r = b.apply_remote(ops.clone()).unwrap();
    assert_eq!((r.new, r.known, r.conflicts), (ops.len(), 0, 0));
    assert_eq!(b.org(&id).unwrap(), a.org(&id).unwrap());
    assert_eq!(b.places().unwrap(), a.places().unwrap());
    assert_eq!(b.org_count(), 1);
    // Importing the same again changes nothing.
    let before = dump(&b);
    let r = b.apply_remote(ops).unwrap();
    assert_eq!((r.new, r.known), (0, r.known));
    assert_eq!(dump(&b), before);
    // ops_since from the middle of a group.
    let tail = a.ops_since(&a.info().replica, 12).unwrap();
    assert_eq!(tail.first().map(|o| o.counter), Some(13));
    assert_eq!(
        b.version_vector().unwrap().get(&a.info().replica),
        a.version_vector().unwrap().get(&a.info().replica)
    );
    // Both offices edit the same field: both converge, the loser is kept.
    let base = a.org(&id).unwrap().unwrap();
    let mut ea = base.clone();
    ea.phone = Some("13812345678".into());
    let mut eb = base.clone();
    eb.phone = Some("13987654321".into());
    a.execute(Command::Update {
        id: id.clone(),
        before: Record::Org(base.clone()),
        after: Record::Org(ea),
    })
    .unwrap();
    b.execute(Command::Update {
        id: id.clone(),
        before: Record::Org(base.clone()),
        after: Record::Org(eb),
    })
    .unwrap();
    let ra = a.apply_remote(b.all_ops().unwrap()).unwrap();
    let rb = b.apply_remote(a.all_ops().unwrap()).unwrap();
    assert_eq!((ra.new, ra.conflicts), (1, 1));
    assert_eq!((rb.new, rb.conflicts), (1, 1));
    assert_eq!(a.org(&id).unwrap(), b.org(&id).unwrap());
    assert_eq!(dump(&a), dump(&b));
    // The log merges both offices' operations by time.
    b.remember_office(&a.info().replica, "西溪街道").unwrap();
    let log = b.log(10_000).unwrap();
    assert_eq!(log.len(), b.all_ops().unwrap().len());
    assert!(log.windows(2).all(|w| w[0].op.hlc >= w[1].op.hlc));
    let from_a = log.iter().filter(|e| e.op.origin == a.info().replica);
    assert!(from_a
        .clone()
        .all(|e| e.office.as_deref() == Some("西溪街道")));
    assert_eq!(
        from_a.count(),
        a.ops_since(&a.info().replica, 0).unwrap().len()
    );
    let conflicts = a.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(c.field, "phone");
    assert_eq!(c.losers.len(), 1);
    assert_eq!(c.winner.author, a.author());
    let winner_phone = a.org(&id).unwrap().unwrap().phone;
    assert_eq!(c.winner.value, winner_phone.map(Value::Text));
    // An edit of the field settles the conflict, everywhere.
    let cur = a.org(&id).unwrap().unwrap();
    let mut fixed = cur.clone();
    fixed.phone = Some("0571-87654321".into());
    a.execute(Command::Update {
        id: id.clone(),
        before: Record::Org(cur),
        after: Record::Org(fixed),
    })
    .unwrap();
    assert!(a.conflicts().unwrap().is_empty());
    b.apply_remote(a.ops_since(&a.info().replica, 0).unwrap())
        .unwrap();
    assert!(b.conflicts().unwrap().is_empty());
    assert_eq!(dump(&a), dump(&b));
}

#[test]
fn out_of_order_ops_wait_for_their_record() {
    let (_d1, a) = open_tmp();
    let (_d2, b) = open_tmp();
    let base = org("湖滨晴雨志愿队", None);
    let id = add(&a, base.clone()).id;
    let mut after = base.clone();
    after.phone = Some("13812345678".into());
    a.execute(Command::Update {
        id: id.clone(),
        before: Record::Org(base),
        after: Record::Org(after),
    })
    .unwrap();
    let ops = a.all_ops().unwrap();
    let (create, update) = ops.split_at(ops.len() - 1);
    // The update first: no record yet, and the version vector waits.
    b.apply_remote(update.to_vec()).unwrap();
    assert_eq!(b.org(&id).unwrap(), None);
    assert_eq!(b.version_vector().unwrap().get(&a.info().replica), None);
    b.apply_remote(create.to_vec()).unwrap();
    assert_eq!(b.org(&id).unwrap(), a.org(&id).unwrap());
    assert_eq!(
        b.version_vector().unwrap().get(&a.info().replica),
        Some(&(ops.len() as u64))
    );
    assert_eq!(dump(&a), dump(&b));
}

#[test]
fn invalid_remote_ops_are_refused_whole() {
    let (_d1, a) = open_tmp();
    let (_d2, b) = open_tmp();
    add(&a, org("甲", None));
    let mut ops = a.all_ops().unwrap();
    ops[0].id = String::new();
    assert!(matches!(b.apply_remote(ops), Err(StoreError::Storage(_))));
    assert!(b.is_empty());
}

// ---- convergence ----

#[derive(Debug, Clone)]
enum Step {
    Create {
        at: usize,
        name: usize,
        grid: usize,
    },
    Name {
        at: usize,
        target: usize,
        name: usize,
    },
    Phone {
        at: usize,
        target: usize,
        phone: Option<usize>,
    },
    Domain {
        at: usize,
        target: usize,
        domain: usize,
        on: bool,
    },
    Delete {
        at: usize,
        target: usize,
    },
    Restore {
        at: usize,
        target: usize,
    },
    Sync {
        from: usize,
        to: usize,
    },
}

const NAMES: &[&str] = &[
    "银龄互助会",
    "书画社",
    "夕阳红舞蹈队",
    "邻里守望队",
    "太极拳协会",
];
const PHONES: &[&str] = &["13812345678", "0571-87654321", "13900001111"];
const GRIDS: &[Option<&str>] = &[None, Some("BSJ-01-01"), Some("BSJ-02-01"), Some("XX-01-01")];

fn step() -> impl Strategy<Value = Step> {
    let r = 0..3usize;
    // Weighted towards edits between syncs, so that offices often edit the
    // same record and field concurrently.
    prop_oneof![
        2 => (r.clone(), 0..NAMES.len(), 0..GRIDS.len())
            .prop_map(|(at, name, grid)| Step::Create { at, name, grid }),
        2 => (r.clone(), any::<usize>(), 0..NAMES.len())
            .prop_map(|(at, target, name)| Step::Name { at, target, name }),
        3 => (r.clone(), any::<usize>(), proptest::option::of(0..PHONES.len()))
            .prop_map(|(at, target, phone)| Step::Phone { at, target, phone }),
        3 => (r.clone(), any::<usize>(), 0..4usize, any::<bool>())
            .prop_map(|(at, target, domain, on)| Step::Domain { at, target, domain, on }),
        1 => (r.clone(), any::<usize>()).prop_map(|(at, target)| Step::Delete { at, target }),
        1 => (r.clone(), any::<usize>()).prop_map(|(at, target)| Step::Restore { at, target }),
        2 => (r.clone(), r).prop_map(|(from, to)| Step::Sync { from, to }),
    ]
}

/// Ids of every organization a replica has (live or deleted), sorted.
fn known_orgs(s: &Store) -> Vec<String> {
    let mut ids: Vec<String> = s.orgs().unwrap().into_iter().map(|(id, _)| id).collect();
    ids.extend(s.deleted(Kind::Org).unwrap().into_iter().map(|(id, _)| id));
    ids.sort();
    ids
}

fn pick(s: &Store, target: usize) -> Option<String> {
    let ids = known_orgs(s);
    (!ids.is_empty()).then(|| ids[target % ids.len()].clone())
}

fn edit(s: &Store, target: usize, f: impl FnOnce(&mut Organization)) {
    let Some(id) = pick(s, target) else { return };
    let Some(before) = s.org(&id).unwrap() else {
        return;
    };
    let mut after = before.clone();
    f(&mut after);
    s.execute(Command::Update {
        id,
        before: Record::Org(before),
        after: Record::Org(after),
    })
    .unwrap();
}

fn run(reps: &[Store], step: &Step) {
    let domains = [
        Domain::Elderly,
        Domain::Culture,
        Domain::Sports,
        Domain::Volunteer,
    ];
    match *step {
        Step::Create { at, name, grid } => {
            add(&reps[at], org(NAMES[name], GRIDS[grid]));
        }
        Step::Name { at, target, name } => {
            edit(&reps[at], target, |o| o.name = NAMES[name].to_string())
        }
        Step::Phone { at, target, phone } => edit(&reps[at], target, |o| {
            o.phone = phone.map(|p| PHONES[p].to_string())
        }),
        Step::Domain {
            at,
            target,
            domain,
            on,
        } => edit(&reps[at], target, |o| {
            let d = domains[domain];
            if on {
                o.domains.push(d);
            } else {
                o.domains.retain(|x| *x != d);
            }
        }),
        Step::Delete { at, target } => {
            if let Some(id) = pick(&reps[at], target) {
                let _ = reps[at].execute(Command::Delete {
                    kind: Kind::Org,
                    id,
                });
            }
        }
        Step::Restore { at, target } => {
            if let Some(id) = pick(&reps[at], target) {
                let _ = reps[at].execute(Command::Restore {
                    kind: Kind::Org,
                    id,
                });
            }
        }
        Step::Sync { from, to } => {
            if from != to {
                reps[to]
                    .apply_remote(reps[from].all_ops().unwrap())
                    .unwrap();
            }
        }
    }
}

/// A deterministic shuffle (xorshift), so a failing case replays.
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    seed |= 1;
    for i in (1..v.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.swap(i, (seed % (i as u64 + 1)) as usize);
    }
}

fn apply_in_chunks(s: &Store, ops: &[Op], chunk: usize) {
    for c in ops.chunks(chunk.max(1)) {
        s.apply_remote(c.to_vec()).unwrap();
    }
}

fn tmp_store(dir: &Path) -> Store {
    Store::open(dir).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_order_gives_the_same_state(
        steps in proptest::collection::vec(step(), 1..60),
        seed in any::<u64>(),
        chunk in 1..8usize,
    ) {
        let dirs: Vec<_> = (0..5).map(|_| tempfile::tempdir().unwrap()).collect();
        let reps: Vec<Store> = dirs[..3].iter().map(|d| tmp_store(d.path())).collect();
        // Every office starts with the places and three organizations.
        places(&reps[0]);
        for (name, grid) in [(0, 1), (1, 2), (2, 0)] {
            add(&reps[0], org(NAMES[name], GRIDS[grid]));
        }
        for i in 1..3 {
            reps[i].apply_remote(reps[0].all_ops().unwrap()).unwrap();
        }
        for s in &steps {
            run(&reps, s);
        }
        let mut all: Vec<Op> = Vec::new();
        for r in &reps {
            all.extend(r.all_ops().unwrap());
        }
        // One fresh database takes everything shuffled, with duplicates and
        // in small batches; another in reverse order in one batch.
        let shuffled_store = tmp_store(dirs[3].path());
        let mut shuffled = all.clone();
        shuffled.extend(all.iter().take(all.len() / 3).cloned());
        shuffle(&mut shuffled, seed);
        apply_in_chunks(&shuffled_store, &shuffled, chunk);
        let reverse_store = tmp_store(dirs[4].path());
        let mut reversed = all.clone();
        reversed.reverse();
        reverse_store.apply_remote(reversed).unwrap();
        let want = dump(&shuffled_store);
        prop_assert_eq!(&dump(&reverse_store), &want);
        assert_materialised(&shuffled_store);
        // And the replicas themselves, once they have everything.
        for r in &reps {
            r.apply_remote(all.clone()).unwrap();
            prop_assert_eq!(&dump(r), &want);
            prop_assert_eq!(r.org_count(), shuffled_store.org_count());
            assert_materialised(r);
        }
        prop_assert_eq!(reps[0].orgs().unwrap(), reverse_store.orgs().unwrap());
        prop_assert_eq!(reps[1].conflicts().unwrap(), reverse_store.conflicts().unwrap());
    }
}

/// A database restored in place from an older backup (its main file
/// overwritten, so it keeps its identity) that then reaches the same
/// counters with other changes: the caches beside it, made before the
/// restore, are never served (their stamp names the history, not only the
/// counters).
#[test]
fn a_cache_of_another_history_is_never_served() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let backup = dir.path().join("backup");
    let org = |name: &str| Command::Create {
        record: Record::Org(Organization::new(name, OrgType::Community)),
    };
    let names = |s: &Store| -> Vec<String> {
        let mut v: Vec<String> = s
            .names(Kind::Org)
            .unwrap()
            .into_iter()
            .map(|p| p.1)
            .collect();
        v.sort();
        v
    };
    let s = Store::open(&db).unwrap();
    s.execute(org("甲读书会")).unwrap();
    drop(s);
    let cp = |from: &Path, to: &Path| {
        let ok = std::process::Command::new("cp")
            .arg("-a")
            .arg(format!("{}/.", from.display()))
            .arg(to)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    std::fs::create_dir(&backup).unwrap();
    cp(&db, &backup);
    let s = Store::open(&db).unwrap();
    s.execute(org("乙读书会")).unwrap();
    assert_eq!(names(&s), ["乙读书会", "甲读书会"]);
    assert_eq!(s.all_cached(Kind::Org).unwrap().len(), 2);
    let replica = s.replica;
    drop(s);
    // Restored in place: the newer snapshots removed, the older files
    // copied over the newer (the main file keeps its inode).
    for e in std::fs::read_dir(&db).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with("snap.") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    cp(&backup, &db);
    let s = Store::open(&db).unwrap();
    assert_eq!(
        s.replica, replica,
        "no new identity: the fault is reproduced"
    );
    s.execute(org("丙读书会")).unwrap();
    assert_eq!(names(&s), ["丙读书会", "甲读书会"]);
    assert_eq!(s.all_cached(Kind::Org).unwrap().len(), 2);
}

/// A watched store announces what each commit changed, as it was and as it
/// is; an unwatched one (the command line) keeps nothing.
#[test]
fn a_watched_store_announces_each_change_with_before_and_after() {
    let (_d, s) = open_tmp();
    places(&s);
    let id = add(&s, org("湖滨晴雨志愿队", Some("BSJ-01-01"))).id;
    assert!(s.take_notice().is_empty(), "not watched");
    s.watch();
    let before = s.org(&id).unwrap().unwrap();
    let mut after = before.clone();
    after.name = "湖滨晴雨志愿服务队".into();
    s.execute(Command::Update {
        id: id.clone(),
        before: Record::Org(before.clone()),
        after: Record::Org(after.clone()),
    })
    .unwrap();
    let n = s.take_notice();
    assert_eq!(n.changes.len(), 1);
    assert_eq!(n.changes[0].kind, Kind::Org);
    assert_eq!(n.changes[0].id, id);
    assert_eq!(n.changes[0].before, Some(Record::Org(before)));
    assert_eq!(n.changes[0].after, Some(Record::Org(after.clone())));
    assert!(s.take_notice().is_empty(), "taken");
    s.execute(Command::Delete {
        kind: Kind::Org,
        id: id.clone(),
    })
    .unwrap();
    let n = s.take_notice();
    assert_eq!(n.changes[0].after, None);
    assert_eq!(n.changes[0].before, Some(Record::Org(after)));
    // A check writes nothing and announces nothing.
    s.check(&Command::Restore {
        kind: Kind::Org,
        id,
    })
    .unwrap();
    assert!(s.take_notice().is_empty());
}

/// A need with the title of an open need at the same place, an offer with
/// the title of one by the same provider, a social worker or partner with
/// a name already known: saved, with a possible-duplicate warning; the
/// same title elsewhere, or of a need already done, is no warning.
#[test]
fn linkage_records_warn_of_possible_duplicates() {
    use crate::model::{Need, NeedState, Partner};
    let (_d, s) = open_tmp();
    places(&s);
    let need = |title: &str, grid: &str| {
        Record::Need(Need {
            title: title.into(),
            grid: grid.into(),
            domains: vec![Domain::Elderly],
            ..Default::default()
        })
    };
    let create = |r: Record| s.execute(Command::Create { record: r }).unwrap();
    let first = create(need("暑期青少年托管", "BSJ-01-01"));
    assert!(first.warnings.is_empty());
    let again = create(need("暑期 青少年托管", "BSJ-01-01"));
    assert_eq!(
        again.warnings,
        vec![Warning::PossibleDuplicate {
            id: first.id.clone(),
            name: "暑期青少年托管".into()
        }]
    );
    assert!(create(need("暑期青少年托管", "BSJ-01-02"))
        .warnings
        .is_empty());
    // Done needs are not in the way.
    for id in [&first.id, &again.id] {
        let Some(Record::Need(n)) = s.get(Kind::Need, id).unwrap() else {
            panic!()
        };
        let mut done = n.clone();
        done.state = NeedState::Done;
        s.execute(Command::Update {
            id: id.clone(),
            before: Record::Need(n),
            after: Record::Need(done),
        })
        .unwrap();
    }
    assert!(create(need("暑期青少年托管", "BSJ-01-01"))
        .warnings
        .is_empty());
    let p = || {
        Record::Partner(Partner {
            name: "浙江某某大学社会学系".into(),
            ..Default::default()
        })
    };
    assert!(create(p()).warnings.is_empty());
    assert_eq!(create(p()).warnings.len(), 1);
}

/// A server writes on behalf of its clients: their operations, in the log
/// and in the change notice, name the client's user, not the server's.
#[test]
fn operations_made_on_behalf_of_a_user_name_that_user() {
    let (_d, s) = open_tmp();
    places(&s);
    s.watch();
    let out = s
        .execute_all_as(
            "wangli",
            vec![Command::Create {
                record: Record::Org(org("望江门社区银龄互助会", Some("BSJ-01-01"))),
            }],
        )
        .unwrap();
    let n = s.take_notice();
    assert_eq!(n.changes[0].author, "wangli");
    let log = s.log(usize::MAX).unwrap();
    let mine: Vec<_> = log.iter().filter(|e| e.op.id == out[0].id).collect();
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|e| e.op.author == "wangli"), "{mine:?}");
    // Without a name, the process's own user.
    let own = add(&s, org("湖滨晴雨志愿队", Some("BSJ-01-01")));
    assert_eq!(s.take_notice().changes[0].author, s.author());
    assert!(log.len() < s.log(usize::MAX).unwrap().len());
    let _ = own;
}

/// Two people edit one organization from the same copy: fields only one
/// changed are both kept; a field both changed is refused with both
/// values, nothing written, and saved as the second chooses.
#[test]
fn an_edit_that_meets_another_on_the_same_field_is_refused_with_both_values() {
    let (_d, s) = open_tmp();
    places(&s);
    let id = add(&s, org("望江门社区银龄互助会", Some("BSJ-01-01"))).id;
    let Some(Record::Org(copy)) = s.get(Kind::Org, &id).unwrap() else {
        panic!()
    };
    let update = |before: &Organization, f: &dyn Fn(&mut Organization)| {
        let mut after = before.clone();
        f(&mut after);
        Command::Update {
            id: id.clone(),
            before: Record::Org(before.clone()),
            after: Record::Org(after),
        }
    };
    // 王丽 saves a phone and a new name.
    s.execute(update(&copy, &|o| {
        o.phone = Some("13800000001".into());
        o.name = "望江门社区银龄互助社".into();
    }))
    .unwrap();
    // 赵强, from the same copy: another field merges, the name clashes.
    let mine = update(&copy, &|o| {
        o.contact = Some("赵强".into());
        o.name = "望江门银龄互助会".into();
    });
    let ops_before = s.log(1000).unwrap().len();
    let err = s.execute(mine.clone()).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert_eq!(s.log(1000).unwrap().len(), ops_before, "nothing written");
    let StoreError::EditClash(clash) = err.clone() else {
        panic!("{err:?}")
    };
    assert_eq!(clash.fields.len(), 1, "{clash:?}");
    assert_eq!(clash.fields[0].path, "name");
    crate::text::set_lang(crate::model::Lang::Zh);
    let msg = err.message();
    assert!(
        msg.contains("望江门社区银龄互助社") && msg.contains("望江门银龄互助会"),
        "{msg}"
    );
    let Command::Update { before, after, .. } = mine else {
        panic!()
    };
    // Theirs kept on the name; my contact saved; their phone kept.
    s.execute(clash.resolve(&before, &after, false).unwrap())
        .unwrap();
    let Some(Record::Org(now)) = s.get(Kind::Org, &id).unwrap() else {
        panic!()
    };
    assert_eq!(now.name, "望江门社区银龄互助社");
    assert_eq!(now.contact.as_deref(), Some("赵强"));
    assert_eq!(now.phone.as_deref(), Some("13800000001"));
    // Mine kept instead.
    let err = s
        .execute(update(&copy, &|o| o.name = "望江门银龄互助会".into()))
        .unwrap_err();
    let StoreError::EditClash(clash) = err else {
        panic!()
    };
    let mut after = copy.clone();
    after.name = "望江门银龄互助会".into();
    let cmd = clash
        .resolve(&Record::Org(copy.clone()), &Record::Org(after), true)
        .unwrap();
    s.execute(cmd).unwrap();
    let Some(Record::Org(now)) = s.get(Kind::Org, &id).unwrap() else {
        panic!()
    };
    assert_eq!(now.name, "望江门银龄互助会");
    assert_eq!(now.phone.as_deref(), Some("13800000001"));
}

/// A store kept in memory (the server's) builds a memo once per state.
#[test]
fn a_memo_is_built_again_only_after_a_commit() {
    let (_d, s) = open_tmp();
    let built = std::sync::atomic::AtomicUsize::new(0);
    let count = || {
        built.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(s.org_count())
    };
    // Not kept: built each time.
    s.memo("n", count).unwrap();
    s.memo("n", count).unwrap();
    assert_eq!(built.load(std::sync::atomic::Ordering::SeqCst), 2);
    s.keep_in_memory();
    assert_eq!(*s.memo("n", count).unwrap(), 0);
    assert_eq!(*s.memo("n", count).unwrap(), 0);
    assert_eq!(built.load(std::sync::atomic::Ordering::SeqCst), 3);
    places(&s);
    add(&s, org("望江门社区银龄互助会", Some("BSJ-01-01")));
    assert_eq!(
        *s.memo("n", count).unwrap(),
        1,
        "built again after a commit"
    );
    assert_eq!(built.load(std::sync::atomic::Ordering::SeqCst), 4);
}

/// SCHEMA 5: an organization materialised before the party organization's
/// details existed (the same bytes without the seven absent members at the
/// end) is rebuilt from its field states when the database is opened.
#[test]
fn an_organization_of_schema_3_is_read_after_migration() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let mut o = Organization::new("宝石山社区书画社", OrgType::Community);
    o.party = crate::model::Party::Own;
    o.party_members = Some(4);
    let id = s
        .execute(Command::Create {
            record: Record::Org(o),
        })
        .unwrap()
        .id;
    let key = keys::record(keys::LIVE, Kind::Org, &id);
    let now = s.db.get(&key).unwrap().unwrap().to_vec();
    // Seven `None`s are one zero byte each in bincode.
    assert_eq!(&now[now.len() - 7..], &[0u8; 7]);
    let old = &now[..now.len() - 7];
    s.db.insert(&key, old).unwrap();
    s.db.insert(keys::meta(META_SCHEMA), &3u32.to_be_bytes())
        .unwrap();
    assert_eq!(SCHEMA, 5);
    assert!(
        s.org(&id).is_err(),
        "the schema 3 layout is not the current one"
    );
    drop(s);
    let s = Store::open(dir.path()).unwrap();
    let o = s.org(&id).unwrap().unwrap();
    assert_eq!(
        (o.name.as_str(), o.party_members),
        ("宝石山社区书画社", Some(4))
    );
    assert_eq!(o.party_name, None);
}
