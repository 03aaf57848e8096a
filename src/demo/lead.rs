//! The demo township's leads on illegal organizations: three, at different
//! states, two with a (fictional, confidential) reporter.

use chrono::NaiveDate;

use crate::model::lead::{Lead, LeadCategory, LeadSource, LeadState};
use crate::model::venture::Mark;
use crate::model::{Labeled, Record};
use crate::store::{Command, Store, StoreError};

fn mark(y: i32, m: u32, d: u32) -> Mark {
    Mark {
        date: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
        author: None,
        note: None,
    }
}

pub fn load_leads(store: &Store) -> Result<usize, StoreError> {
    let leads = [
        (
            "西湖国学文化研究会",
            "宝石山下某茶室",
            "以研究会名义组织收费讲座并收取会费，未见登记或备案",
            LeadSource::Resident,
            LeadCategory::Unregistered,
            vec![
                (LeadState::Lead, (2026, 10, 12)),
                (LeadState::Checking, (2026, 10, 15)),
            ],
            Some(("（示例）匿名居民", "13800000001")),
        ),
        (
            "北山老年健康促进会",
            "保俶路社区活动点",
            "以协会名义推销保健品，名称与已登记组织相近",
            LeadSource::GridWorker,
            LeadCategory::Unregistered,
            vec![
                (LeadState::Lead, (2026, 8, 3)),
                (LeadState::Checking, (2026, 8, 5)),
                (LeadState::Reported, (2026, 8, 20)),
                (LeadState::Dissuaded, (2026, 9, 10)),
            ],
            Some(("（示例）网格员", "13800000002")),
        ),
        (
            "湖畔读书会",
            "曙光社区",
            "网传未经登记开展活动，核查为居民自发读书小组，未以社会组织名义活动",
            LeadSource::Internet,
            LeadCategory::Unregistered,
            vec![
                (LeadState::Lead, (2026, 6, 1)),
                (LeadState::NotIllegal, (2026, 6, 8)),
                (LeadState::Closed, (2026, 6, 9)),
            ],
            None,
        ),
    ];
    let mut n = 0;
    for (name, place, facts, source, category, steps, reporter) in leads {
        let state = steps.last().map(|(s, _)| *s).unwrap_or_default();
        let l = Lead {
            name_used: name.into(),
            founder: None,
            place: place.into(),
            channels: vec!["微信群".into()],
            facts: facts.into(),
            evidence: None,
            source,
            category,
            state,
            steps: steps
                .iter()
                .map(|(s, (y, m, d))| (s.key().to_string(), mark(*y, *m, *d)))
                .collect(),
            reported_to: (state == LeadState::Dissuaded).then(|| "西湖区民政局".to_string()),
            reporter: reporter.map(|(r, _)| r.to_string()),
            reporter_phone: reporter.map(|(_, p)| p.to_string()),
            notes: None,
        };
        store.execute(Command::Create {
            record: Record::Lead(l),
        })?;
        n += 1;
    }
    Ok(n)
}
