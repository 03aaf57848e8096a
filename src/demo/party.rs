//! The demo township's party building: the party organizations of the
//! organizations that have one (a name, a secretary, the date set up, some
//! probationary members; set up during the stay for those incubated, so
//! that 同步孵化 shows), a reason and a planned date for some without one,
//! and four party-building instructors (fictional) covering the
//! organizations whose party status is 党建指导员, community by community,
//! with visits.

use chrono::{Days, NaiveDate};

use crate::model::party::{Instructor, PartyVisit};
use crate::model::{Organization, Party, Record};
use crate::store::{Command, Store, StoreError};

const SECRETARIES: [&str; 8] = [
    "周建国",
    "钱丽华",
    "孙志强",
    "李秀英",
    "吴国平",
    "郑晓燕",
    "王海波",
    "冯玉梅",
];

const INSTRUCTORS: [(&str, &str, &str); 4] = [
    ("沈卫东", "北山街道党工委", "0571-87001201"),
    ("韩素芬", "北山街道社会组织综合党委", "0571-87001202"),
    ("杨立新", "宝石社区党委", "13900001203"),
    ("朱文静", "曙光社区党委", "13900001204"),
];

const VISITS: [&str; 4] = [
    "指导开展主题党日活动",
    "了解党员组织关系转接情况",
    "指导筹建联合党支部",
    "宣讲社会组织党建工作要求",
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The short name of an organization (without city and district).
fn short(name: &str) -> &str {
    name.trim_start_matches("杭州市")
        .trim_start_matches("西湖区")
        .trim_start_matches("北山街道")
}

/// Loads party organizations and instructors into a store holding the demo
/// organizations; returns how many records were created or changed.
pub fn load_party(store: &Store) -> Result<usize, StoreError> {
    let orgs = store.orgs()?;
    let mut cmds = Vec::new();
    let (mut with, mut without) = (0usize, 0usize);
    for (id, o) in &orgs {
        let mut after: Organization = o.clone();
        match o.party {
            Party::Own | Party::Joint => {
                after.party_name = Some(match o.party {
                    Party::Own => format!("{}党支部", short(&o.name)),
                    _ => format!("北山街道社会组织第{}联合党支部", with % 6 + 1),
                });
                after.party_secretary = Some(SECRETARIES[with % SECRETARIES.len()].to_string());
                // Set up during the stay for those incubated, else a year
                // after founding (never before it).
                let set_up = match o.incubation.as_ref().and_then(|i| i.start) {
                    Some(start) => start.checked_add_days(Days::new(120)),
                    None => o
                        .founded
                        .and_then(|f| f.checked_add_days(Days::new(365)))
                        .map(|d| d.max(day(2016, 7, 1))),
                };
                after.party_set_up = set_up
                    .map(|d| d.min(day(2026, 10, 1)))
                    .map(|d| o.founded.map_or(d, |f| d.max(f)));
                after.party_probationary = Some((with % 3) as u32);
                after.party_activists = Some((with % 4) as u32 + 1);
                with += 1;
            }
            Party::None => {
                if without % 3 == 0 {
                    after.party_reason = Some("党员人数不足三人，暂由党建指导员联系".to_string());
                    after.party_planned = Some(day(2027, 6, 30));
                }
                without += 1;
            }
            Party::Instructor => {}
        }
        if &after != o {
            cmds.push(Command::Update {
                id: id.clone(),
                before: Record::Org(o.clone()),
                after: Record::Org(after),
            });
        }
    }
    let mut n = cmds.len();
    store.execute_all(cmds)?;
    // Instructors: the organizations with an instructor, dealt out in turn.
    let covered: Vec<&(String, Organization)> = orgs
        .iter()
        .filter(|(_, o)| o.party == Party::Instructor)
        .collect();
    for (k, (name, unit, phone)) in INSTRUCTORS.iter().enumerate() {
        let mut i = Instructor::new(name, unit);
        i.phone = Some(phone.to_string());
        i.orgs = covered
            .iter()
            .enumerate()
            .filter(|(j, _)| j % INSTRUCTORS.len() == k)
            .map(|(_, (id, _))| id.clone())
            .collect();
        for (v, org) in i.orgs.clone().iter().take(3).enumerate() {
            i.push_visit(PartyVisit {
                date: day(2026, 3 + (v as u32) * 3, 5 + k as u32 * 3),
                org: org.clone(),
                note: VISITS[(k + v) % VISITS.len()].to_string(),
                author: None,
            });
        }
        store.execute(Command::Create {
            record: Record::Instructor(i),
        })?;
        n += 1;
    }
    Ok(n)
}
