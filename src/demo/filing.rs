//! The demo township's filings (备案): one in each state. Those that
//! reached 已备案 name organizations already in the register (found by
//! name, so the register keeps its 181 organizations): a filed one, one
//! preparing to register for over a year (in the due list), a registered
//! one and a deregistered one; the others are new groups (fictional)
//! waiting for the committee or the street, one of them returned once.

use chrono::NaiveDate;

use crate::model::filing::{Filing, FilingState};
use crate::model::venture::Mark;
use crate::model::{OrgType, Organization, Record, RegState};
use crate::store::{Command, Store, StoreError};

fn mark(y: i32, m: u32, d: u32, note: Option<&str>) -> Mark {
    Mark {
        date: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
        author: Some("（示例）街道社会组织服务中心".to_string()),
        note: note.map(str::to_string),
    }
}

type Step = (FilingState, (i32, u32, u32), Option<&'static str>);

const THROUGH_FILED: [Step; 4] = [
    (FilingState::Applied, (2024, 3, 4), None),
    (FilingState::Checked, (2024, 3, 11), None),
    (FilingState::Reviewed, (2024, 3, 25), None),
    (FilingState::Filed, (2024, 4, 8), Some("材料齐全，准予备案")),
];

/// This year's: so the year's figures (stats --year, the disclosure
/// report) have a filing.
const FILED_2026: [Step; 4] = [
    (FilingState::Applied, (2026, 2, 9), None),
    (FilingState::Checked, (2026, 2, 16), None),
    (FilingState::Reviewed, (2026, 3, 2), None),
    (
        FilingState::Filed,
        (2026, 3, 16),
        Some("材料齐全，准予备案"),
    ),
];

/// The first organization in `state` not taken yet, a community
/// organization if there is one.
fn pick<'a>(
    orgs: &'a [(String, Organization)],
    state: RegState,
    taken: &[String],
) -> Option<&'a (String, Organization)> {
    let free = |id: &String, o: &Organization| o.state == state && !taken.contains(id);
    orgs.iter()
        .find(|(id, o)| free(id, o) && o.kind == OrgType::Community)
        .or_else(|| orgs.iter().find(|(id, o)| free(id, o)))
}

/// Loads the filings into a store holding the demo organizations; returns
/// how many were created.
pub fn load_filings(store: &Store) -> Result<usize, StoreError> {
    let orgs = store.orgs()?;
    let mut taken: Vec<String> = Vec::new();
    let mut plans: Vec<(Filing, Vec<Step>)> = Vec::new();
    // New groups, waiting.
    for (name, person, place, community, scope, steps) in [
        (
            "宝石社区银发书画社",
            "陈美玲",
            "宝石社区党群服务中心二楼",
            "BSJ-01",
            "文化娱乐、书画交流",
            vec![(FilingState::Applied, (2026, 11, 2), None)],
        ),
        (
            "曙光社区邻里议事会",
            "何建华",
            "曙光社区议事厅",
            "BSJ-03",
            "邻里互助、矛盾调解",
            vec![
                (FilingState::Applied, (2026, 10, 9), None),
                (
                    FilingState::Checked,
                    (2026, 10, 16),
                    Some("社区居委会审核同意"),
                ),
            ],
        ),
        (
            "北山亲子阅读会",
            "林晓",
            "北山街道图书分馆",
            "BSJ-04",
            "儿童青少年、教育培训",
            vec![
                (FilingState::Applied, (2026, 9, 1), None),
                (FilingState::Checked, (2026, 9, 8), None),
                (
                    FilingState::Returned,
                    (2026, 9, 10),
                    Some("章程未写明活动范围"),
                ),
                (FilingState::Applied, (2026, 9, 20), None),
                (FilingState::Checked, (2026, 9, 25), None),
                (FilingState::Reviewed, (2026, 10, 12), None),
            ],
        ),
        (
            "保俶社区健步走队",
            "赵明",
            "保俶社区广场",
            "BSJ-02",
            "体育健身",
            vec![
                (FilingState::Applied, (2026, 10, 20), None),
                (
                    FilingState::Returned,
                    (2026, 10, 27),
                    Some("成员名册不足十人"),
                ),
            ],
        ),
    ] {
        let mut f = Filing::new(name, person, place);
        f.community = Some(community.to_string());
        f.scope = Some(scope.to_string());
        f.charter = true;
        f.members = Some(12);
        f.funds_fen = Some(300_000);
        plans.push((f, steps));
    }
    // Organizations already in the register, followed through their filing.
    for (state, steps) in [
        (RegState::Filed, THROUGH_FILED.to_vec()),
        (RegState::Filed, FILED_2026.to_vec()),
        (
            RegState::Filed,
            [
                THROUGH_FILED.as_slice(),
                &[(
                    FilingState::Preparing,
                    (2025, 5, 6),
                    Some("拟申请登记为社会团体"),
                )],
            ]
            .concat(),
        ),
        (
            RegState::Registered,
            [
                THROUGH_FILED.as_slice(),
                &[
                    (FilingState::Preparing, (2025, 1, 6), None),
                    (
                        FilingState::Registered,
                        (2026, 4, 16),
                        Some("区民政局准予登记"),
                    ),
                ],
            ]
            .concat(),
        ),
        (
            RegState::Deregistered,
            [
                THROUGH_FILED.as_slice(),
                &[(
                    FilingState::Cancelled,
                    (2026, 6, 30),
                    Some("活动停止，申请注销备案"),
                )],
            ]
            .concat(),
        ),
    ] {
        let Some((id, o)) = pick(&orgs, state, &taken) else {
            continue;
        };
        taken.push(id.clone());
        let mut f = Filing::new(
            &o.name,
            o.contact.as_deref().unwrap_or("（示例）负责人"),
            o.address.as_deref().unwrap_or("北山街道"),
        );
        f.org = Some(id.clone());
        f.phone = o.phone.clone();
        f.community = o.grid.clone();
        f.members = o.members;
        f.charter = true;
        f.number = Some(
            o.filing_number
                .clone()
                .unwrap_or_else(|| format!("北山备字〔2024〕{}号", taken.len())),
        );
        plans.push((f, steps));
    }
    let mut n = 0;
    for (mut f, steps) in plans {
        for (s, (y, m, d), note) in steps {
            f.push_step(s, mark(y, m, d, note));
        }
        f.normalize();
        store.execute(Command::Create {
            record: Record::Filing(f),
        })?;
        n += 1;
    }
    Ok(n)
}
