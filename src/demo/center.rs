//! The demo township's center: its own record in the register, a profile
//! that meets most of the checklist (the office is shared and one item is
//! still to be checked, so the app shows every state), its board, staff,
//! funding for 2025 and 2026, and coordination meetings. All names are
//! fictional.

use chrono::NaiveDate;

use crate::model::center::{
    BoardRole, BoardSeat, Center, Check, Funding, FundingKind, Meeting, OfficeUse, Operation, Staff,
};
use crate::model::venture::Mark;
use crate::model::{OrgType, Organization, Record, RegState};
use crate::store::{Command, Store, StoreError};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Loads the center of this database's office (after `name_office`).
/// Returns the records written.
pub fn load_center(store: &Store) -> Result<usize, StoreError> {
    let org = Organization {
        name: "杭州市西湖区北山街道社会组织服务中心".into(),
        kind: OrgType::ServiceOrg,
        state: RegState::Registered,
        contact: Some("（示例）周敏".into()),
        grid: None,
        founded: Some(day(2019, 9, 1)),
        ..Organization::default()
    };
    let org_id = store
        .execute(Command::Create {
            record: Record::Org(org),
        })?
        .id;
    let mut c = Center::new(&store.office(), "北山街道社会组织服务中心");
    c.org = Some(org_id);
    c.authority_contact = Some("（示例）西湖区民政局社会组织管理科 0571-80000001".into());
    c.street_contact = Some("（示例）北山街道社会事务办 0571-80000002".into());
    c.complaints = Some("0571-80000003；中心门口意见箱".into());
    c.address = Some("（示例）北山街道保俶路 100 号二楼".into());
    c.office_area_tenths = Some(1_200);
    c.office_use = OfficeUse::Shared;
    c.equipment = vec!["办公电脑 4 台".into(), "投影仪".into(), "会议桌椅".into()];
    c.operation = Operation::Contracted;
    c.operator = Some("杭州市西湖区知行社会工作服务中心".into());
    c.contract = Some("BS-2026-001".into());
    c.contract_from = Some(day(2026, 1, 1));
    c.contract_to = Some(day(2026, 12, 31));
    c.director = Some("（示例）周敏".into());
    for (name, full_time, q) in [
        ("（示例）周敏", true, Some("中级社会工作师")),
        ("（示例）陈晓", true, Some("助理社会工作师")),
        ("（示例）林涛", false, None),
    ] {
        c.staff.insert(
            name.into(),
            Staff {
                full_time,
                qualification: q.map(str::to_string),
                from: Some(day(2024, 3, 1)),
                to: None,
            },
        );
    }
    for (name, role) in [
        ("（示例）郑建国", BoardRole::Chair),
        ("（示例）王丽", BoardRole::Member),
        ("（示例）赵刚", BoardRole::Member),
        ("（示例）孙悦", BoardRole::Supervisor),
    ] {
        c.board.insert(
            name.into(),
            BoardSeat {
                role,
                from: day(2024, 1, 1),
                to: day(2027, 12, 31),
            },
        );
    }
    for f in [
        Funding {
            kind: FundingKind::Purchase,
            payer: "北山街道办事处".into(),
            contract: Some("BS-2025-001".into()),
            amount_fen: 28_000_000,
            from: day(2025, 1, 1),
            to: day(2025, 12, 31),
        },
        Funding {
            kind: FundingKind::Purchase,
            payer: "北山街道办事处".into(),
            contract: Some("BS-2026-001".into()),
            amount_fen: 30_000_000,
            from: day(2026, 1, 1),
            to: day(2026, 12, 31),
        },
        Funding {
            kind: FundingKind::Grant,
            payer: "西湖区慈善总会".into(),
            contract: None,
            amount_fen: 5_000_000,
            from: day(2026, 3, 1),
            to: day(2026, 12, 31),
        },
    ] {
        c.funding.insert(f.key(), f);
    }
    for (date, with, topic) in [
        (
            day(2026, 3, 18),
            "北山街道办事处",
            "年度工作计划与公益创投安排",
        ),
        (day(2026, 6, 24), "各社区居委会", "三社联动需求清单对接"),
        (
            day(2026, 9, 22),
            "北山街道办事处",
            "非法社会组织排查情况专报",
        ),
    ] {
        let m = Meeting {
            date,
            with: with.into(),
            topic: topic.into(),
            notes: None,
        };
        c.meetings.insert(m.key(), m);
    }
    for (key, evidence) in [
        ("equipment", "固定资产登记表（2026年1月）"),
        ("director_system", "理事会会议纪要（2026年1月）"),
    ] {
        c.checks.insert(
            key.into(),
            Check {
                ok: true,
                evidence: evidence.into(),
                mark: Mark {
                    date: day(2026, 2, 10),
                    author: None,
                    note: None,
                },
            },
        );
    }
    store.execute(Command::Create {
        record: Record::Center(c),
    })?;
    Ok(2)
}
