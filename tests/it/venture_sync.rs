//! 公益创投 between offices ([5/6]): reviewers scoring the same project in
//! different offices, sheets corrected, the project stepped concurrently,
//! bundles exchanged in any order: every office ends with the same records
//! and the same aggregated score, which is the score of one sheet per
//! reviewer (the latest) under the round's aggregation.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use sanshe::model::review::Aggregate;
use sanshe::model::venture::{AppState, Application, Mark, ReviewSheet, Round, Stage};
use sanshe::model::{Kind, Labeled, OrgType, Organization, Record, Rubric};
use sanshe::report::venture::Ventures;
use sanshe::store::{Command, OpenOptions, Store};
use sanshe::sync::bundle;
use sanshe::sync::exchange::{self, ExportOptions, ImportOptions};
use sanshe::sync::SyncError;

const REVIEWERS: &[&str] = &["周丽华", "陈建国", "王晓敏", "孙浩", "刘芳", "赵静"];

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
    match exchange::import_bundle(to, b, &ImportOptions::default(), None, &mut |_| {}) {
        Ok(_) | Err(SyncError::Gap { .. }) | Err(SyncError::SameOffice) => {}
        Err(e) => panic!("import: {e}"),
    }
}

fn everyone(stores: &[Store]) {
    for i in 0..stores.len() {
        for j in 0..stores.len() {
            if i != j {
                let (bytes, _, _) = exchange::build(
                    &stores[i],
                    &ExportOptions {
                        peer: None,
                        full: true,
                    },
                    None,
                )
                .unwrap();
                let b = bundle::decode(&bytes).unwrap();
                exchange::import_bundle(
                    &stores[j],
                    b,
                    &ImportOptions::default(),
                    None,
                    &mut |_| {},
                )
                .unwrap();
            }
        }
    }
}

fn rubric() -> Rubric {
    sanshe::report::rubric_named(None, Some("venture-review")).unwrap()
}

/// Every indicator at `percent` of its maximum (half points).
fn scores(percent: u32) -> BTreeMap<String, u32> {
    rubric()
        .indicators()
        .map(|i| (i.key.clone(), i.max * 10 * percent / 100 / 5 * 5))
        .collect()
}

/// The first office's round and project (an organization with it), sent
/// to every other office. Returns the project's id.
fn setup(stores: &[Store], how: Aggregate) -> String {
    let a = &stores[0];
    let org = a
        .execute(Command::Create {
            record: Record::Org(Organization::new("北山街道老年协会", OrgType::SocialGroup)),
        })
        .unwrap()
        .id;
    let mut round = Round::new("2026年公益创投", 2026, 30_000_000, 5_000_000);
    round.aggregate = how;
    let round = a
        .execute(Command::Create {
            record: Record::Round(round),
        })
        .unwrap()
        .id;
    let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut app = Application::new(
        &round,
        &org,
        "银龄互助餐桌",
        4_000_000,
        d,
        d + chrono::Days::new(200),
    );
    app.steps.insert(
        "submitted".into(),
        Mark {
            date: d,
            author: None,
            note: None,
        },
    );
    let id = a
        .execute(Command::Create {
            record: Record::Application(app),
        })
        .unwrap()
        .id;
    for s in &stores[1..] {
        send(a, s);
    }
    id
}

/// Office `s` enters (or corrects) `reviewer`'s sheet.
fn review(s: &Store, app: &str, reviewer: &str, percent: u32, recused: bool, day: u32) {
    let v = Ventures::load(s).unwrap();
    let existing = v
        .sheets_of(app, Stage::Review)
        .into_iter()
        .find(|(_, x)| x.reviewer == reviewer)
        .map(|(id, x)| (id.to_string(), x.clone()));
    let sheet = ReviewSheet {
        application: app.to_string(),
        stage: Stage::Review,
        reviewer: reviewer.to_string(),
        scores: if recused {
            BTreeMap::new()
        } else {
            scores(percent)
        },
        recused,
        date: NaiveDate::from_ymd_opt(2026, 4, day).unwrap(),
        notes: None,
    };
    let cmd = match existing {
        Some((id, before)) => Command::Update {
            id,
            before: Record::Review(before),
            after: Record::Review(sheet),
        },
        None => Command::Create {
            record: Record::Review(sheet),
        },
    };
    s.execute(cmd).unwrap();
}

/// What every office must agree on: the records, and the score as the
/// latest sheet per reviewer makes it.
fn assert_converged(stores: &[Store], app: &str, how: Aggregate) {
    let first = stores[0].content_checksum().unwrap();
    let totals: Vec<Option<u32>> = stores
        .iter()
        .map(|s| Ventures::load(s).unwrap().total(app, Stage::Review))
        .collect();
    for (i, s) in stores.iter().enumerate().skip(1) {
        assert_eq!(s.content_checksum().unwrap(), first, "office {i} differs");
        assert_eq!(totals[i], totals[0], "office {i}'s score differs");
    }
    // The score from first principles: all sheets of the project, the
    // latest per reviewer (date, then id), aggregated.
    let all: Vec<(String, ReviewSheet)> = stores[0]
        .all(Kind::Review)
        .unwrap()
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Review(s) if s.application == app => Some((id, s)),
            _ => None,
        })
        .collect();
    let mut latest: BTreeMap<&str, (&str, &ReviewSheet)> = BTreeMap::new();
    for (id, s) in &all {
        let keep = latest
            .get(s.reviewer.as_str())
            .is_some_and(|(oid, o)| (o.date, *oid) >= (s.date, id.as_str()));
        if !keep {
            latest.insert(&s.reviewer, (id, s));
        }
    }
    let sheets: Vec<_> = latest.values().map(|(_, s)| s.sheet()).collect();
    assert_eq!(totals[0], sanshe::model::review::result(&sheets, how));
}

#[test]
fn two_reviewers_in_two_offices_converge() {
    let dir = tempfile::tempdir().unwrap();
    let stores = [open(dir.path(), "北山街道"), open(dir.path(), "西湖区中心")];
    let app = setup(&stores, Aggregate::Mean);
    review(&stores[0], &app, "周丽华", 90, false, 8);
    review(&stores[1], &app, "陈建国", 70, false, 8);
    // Before the exchange each office sees its own sheet only.
    assert_eq!(
        Ventures::load(&stores[0])
            .unwrap()
            .total(&app, Stage::Review),
        Some(scores(90).values().sum())
    );
    send(&stores[0], &stores[1]);
    send(&stores[1], &stores[0]);
    let v = Ventures::load(&stores[1]).unwrap();
    assert_eq!(v.sheets_of(&app, Stage::Review).len(), 2);
    assert_converged(&stores, &app, Aggregate::Mean);
    // Both stepped it on at once: one state wins in both offices, and the
    // record is the same everywhere.
    for (s, to) in stores
        .iter()
        .zip([AppState::Eligible, AppState::Ineligible])
    {
        let Some(Record::Application(before)) = s.get(Kind::Application, &app).unwrap() else {
            panic!()
        };
        let mut after = before.clone();
        after.state = to;
        after.steps.insert(
            to.key().into(),
            Mark {
                date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                author: Some(s.office()),
                note: None,
            },
        );
        s.execute(Command::Update {
            id: app.clone(),
            before: Record::Application(before),
            after: Record::Application(after),
        })
        .unwrap();
    }
    everyone(&stores);
    assert_converged(&stores, &app, Aggregate::Mean);
}

#[derive(Debug, Clone)]
enum Step {
    Review {
        office: usize,
        reviewer: usize,
        percent: u32,
        recused: bool,
        day: u32,
    },
    Send {
        from: usize,
        to: usize,
    },
}

fn step(offices: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..offices, 0..REVIEWERS.len(), 40u32..=100, prop::bool::weighted(0.15), 1u32..=3)
            .prop_map(|(office, reviewer, percent, recused, day)| Step::Review { office, reviewer, percent, recused, day }),
        2 => (0..offices, 0..offices).prop_map(|(from, to)| Step::Send { from, to }),
    ]
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(64, |n| n.min(256))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 100, ..ProptestConfig::default() })]

    /// Sheets entered and corrected in any office, exchanged in any order:
    /// the same records and score everywhere.
    #[test]
    fn sheets_from_any_office_converge(
        (offices, steps) in (2usize..=3).prop_flat_map(|n| (Just(n), proptest::collection::vec(step(n), 1..20))),
        trimmed in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let names = ["北山街道", "西溪街道", "西湖区中心"];
        let stores: Vec<Store> = (0..offices).map(|i| open(dir.path(), names[i])).collect();
        let how = if trimmed { Aggregate::Trimmed } else { Aggregate::Mean };
        let app = setup(&stores, how);
        for st in steps {
            match st {
                Step::Review { office, reviewer, percent, recused, day } => {
                    review(&stores[office], &app, REVIEWERS[reviewer], percent, recused, day)
                }
                Step::Send { from, to } if from != to => send(&stores[from], &stores[to]),
                Step::Send { .. } => {}
            }
        }
        everyone(&stores);
        assert_converged(&stores, &app, how);
    }
}
