//! The demo township's trainings of 2026: the year's plan (policy and law,
//! management, finance, brand building, party study, a study tour, a pitch
//! day, and one still to come), each with organizations registered and
//! most of them signed in (deterministic).

use chrono::{NaiveDate, NaiveTime};

use super::Rng;
use crate::model::training::{
    AttendStatus, Attendance, PlanItem, Role, Training, TrainingKind, TrainingPlan,
};
use crate::model::{Kind, Record};
use crate::store::{Command, Store, StoreError};

/// One planned event: title, kind, (month, day) of 2026, hours in tenths,
/// places, trainer.
type Planned = (
    &'static str,
    TrainingKind,
    (u32, u32),
    u32,
    u32,
    &'static str,
);

const PLAN: &[Planned] = &[
    (
        "社会组织政策法规解读",
        TrainingKind::Training,
        (3, 18),
        30,
        40,
        "区民政局 陈科长",
    ),
    (
        "社区社会组织规范化管理",
        TrainingKind::Training,
        (4, 22),
        30,
        40,
        "省社会组织促进会 周老师",
    ),
    (
        "财务与票据规范",
        TrainingKind::Training,
        (5, 20),
        30,
        30,
        "北山会计师事务所 吴老师",
    ),
    (
        "赴余杭区社会组织服务中心考察",
        TrainingKind::StudyTour,
        (6, 17),
        60,
        25,
        "中心 张敏",
    ),
    (
        "党建引领社会组织发展专题学习",
        TrainingKind::PartyStudy,
        (7, 1),
        20,
        50,
        "街道党工委 李书记",
    ),
    (
        "公益品牌项目打造",
        TrainingKind::Training,
        (9, 16),
        30,
        35,
        "浙江工业大学 王教授",
    ),
    (
        "社区社会组织交流沙龙",
        TrainingKind::Exchange,
        (10, 21),
        20,
        30,
        "中心 张敏",
    ),
    (
        "2026年公益创投项目路演",
        TrainingKind::Pitch,
        (11, 18),
        40,
        60,
        "评审组",
    ),
    (
        "年度总结与来年计划",
        TrainingKind::Exchange,
        (12, 16),
        20,
        40,
        "中心 张敏",
    ),
];

/// Day the demo counts as today: events after it have registrations only.
const DEMO_TODAY: (i32, u32, u32) = (2026, 11, 28);

pub fn load_training(store: &Store) -> Result<usize, StoreError> {
    let today =
        NaiveDate::from_ymd_opt(DEMO_TODAY.0, DEMO_TODAY.1, DEMO_TODAY.2).unwrap_or_default();
    let mut orgs: Vec<String> = store
        .names(Kind::Org)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    orgs.sort();
    let mut rng = Rng::new(26);
    // The year's plan: every event but the pitch day (venture's own), and
    // one item not held yet.
    let mut items: std::collections::BTreeMap<String, PlanItem> = PLAN
        .iter()
        .filter(|p| p.1 != TrainingKind::Pitch)
        .map(|(title, kind, (m, _), hours, _, _)| {
            (
                title.to_string(),
                PlanItem {
                    kind: *kind,
                    month: Some(*m),
                    hours_tenths: Some(*hours),
                    audience: None,
                },
            )
        })
        .collect();
    items.insert(
        "志愿者管理与激励".into(),
        PlanItem {
            kind: TrainingKind::Training,
            month: Some(12),
            hours_tenths: Some(30),
            audience: Some("社区社会组织负责人".into()),
        },
    );
    store.execute(Command::Create {
        record: Record::TrainingPlan(TrainingPlan {
            year: 2026,
            title: "北山街道2026年度社会组织培训计划".into(),
            budget_fen: Some(5_000_000),
            items,
            notes: None,
        }),
    })?;
    let mut created = 1;
    for (title, kind, (m, d), hours, places, trainer) in PLAN {
        let Some(date) = NaiveDate::from_ymd_opt(2026, *m, *d) else {
            continue;
        };
        let t = Training {
            title: title.to_string(),
            kind: *kind,
            date,
            start: NaiveTime::from_hms_opt(14, 0, 0),
            end: NaiveTime::from_hms_opt(14 + hours / 10, (hours % 10) * 6, 0),
            venue: Some("北山街道社会组织服务中心 多功能厅".into()),
            trainer: Some(trainer.to_string()),
            capacity: Some(*places),
            hours_tenths: *hours,
            notes: None,
            plan_item: (*kind != TrainingKind::Pitch).then(|| title.to_string()),
        };
        let event = store
            .execute(Command::Create {
                record: Record::Training(t),
            })?
            .id;
        created += 1;
        // Registered: up to the places, organizations taken at random.
        let n = (*places as usize)
            .saturating_sub(rng.below(6) as usize)
            .min(orgs.len());
        let mut picked = std::collections::BTreeSet::new();
        while picked.len() < n {
            picked.insert(rng.below(orgs.len() as u64) as usize);
        }
        let cmds: Vec<Command> = picked
            .into_iter()
            .map(|i| {
                let status = if date > today {
                    AttendStatus::Registered
                } else {
                    match rng.below(20) {
                        0 | 1 => AttendStatus::Absent,
                        2 => AttendStatus::Excused,
                        _ => AttendStatus::SignedIn,
                    }
                };
                Command::Create {
                    record: Record::Attendance(Attendance {
                        event: event.clone(),
                        org: Some(orgs[i].clone()),
                        person: None,
                        role: Role::Learner,
                        status,
                    }),
                }
            })
            .collect();
        created += store.execute_all(cmds)?.len();
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_plan_has_events_signed_in_and_one_to_come() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        super::super::load(&store, super::super::fixture_records().unwrap()).unwrap();
        load_training(&store).unwrap();
        let t = crate::report::training::Trainings::load(&store).unwrap();
        assert_eq!(t.events.len(), PLAN.len());
        let (events, signed, rate) = t.year_figures(2026);
        assert_eq!(events, PLAN.len());
        assert!(signed > 100, "{signed}");
        assert!(rate.is_some_and(|r| r > 0.7 && r < 1.0), "{rate:?}");
        assert!(!t.hours_by_org(2026).is_empty());
        // The December event: registrations only.
        let (id, _) = &t.events[0];
        assert_eq!(t.counts(id).1, 0);
        // The plan: every event but the pitch carries out an item; one item
        // is still to hold.
        let (_, plan) = crate::report::training::Trainings::plan_of(&store, 2026)
            .unwrap()
            .unwrap();
        let rows = t.plan_rows(&plan);
        assert_eq!(rows.len(), PLAN.len());
        assert_eq!(rows.iter().filter(|r| r.events.is_empty()).count(), 1);
        assert_eq!(t.unplanned(2026).len(), 1);
    }
}
