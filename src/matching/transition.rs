//! A linkage step as store commands: the linkage, its need and its offers
//! updated together, for one `Store::execute_all` batch (one atomic write).

use chrono::NaiveDate;

use crate::model::linkage::{advance, StepError};
use crate::model::{Linkage, LinkageState, Need, Offer, Record};
use crate::store::Command;

/// What staff ask for: a new state, and optionally the residents'
/// satisfaction and an outcome note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRequest {
    pub to: LinkageState,
    pub satisfaction: Option<u8>,
    pub note: Option<String>,
}

/// Whether another linkage than `except` still answers `need_id` (not done,
/// not cancelled): a cancelled linkage then leaves the need as it is.
pub fn need_has_other(linkages: &[(String, Linkage)], need_id: &str, except: &str) -> bool {
    linkages
        .iter()
        .any(|(id, l)| id != except && l.need == need_id && !l.state.is_final())
}

/// The commands that take linkage `id` to `req.to`. Asking for the state it
/// is in only records the satisfaction and note. Only records that change
/// get a command.
#[allow(clippy::too_many_arguments)]
pub fn step_commands(
    id: &str,
    linkage: &Linkage,
    need_id: &str,
    need: &Need,
    offers: &[(String, Offer)],
    req: &StepRequest,
    day: NaiveDate,
    need_has_other: bool,
) -> Result<Vec<Command>, StepError> {
    let (mut l, n, os) = if req.to == linkage.state {
        (linkage.clone(), need.clone(), offers.to_vec())
    } else {
        let s = advance(linkage, need, offers, req.to, day, need_has_other)?;
        (s.linkage, s.need, s.offers)
    };
    if let Some(s) = req.satisfaction {
        l.satisfaction = Some(s);
    }
    if let Some(note) = &req.note {
        l.notes = Some(match &l.notes {
            Some(old) if !old.trim().is_empty() => format!("{old}\n{note}"),
            _ => note.clone(),
        });
    }
    let mut out = Vec::new();
    if l != *linkage {
        out.push(Command::Update {
            id: id.to_string(),
            before: Record::Linkage(linkage.clone()),
            after: Record::Linkage(l),
        });
    }
    if n != *need {
        out.push(Command::Update {
            id: need_id.to_string(),
            before: Record::Need(need.clone()),
            after: Record::Need(n),
        });
    }
    for ((oid, before), (_, after)) in offers.iter().zip(os) {
        if after != *before {
            out.push(Command::Update {
                id: oid.clone(),
                before: Record::Offer(before.clone()),
                after: Record::Offer(after),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, NeedState};

    #[test]
    fn accepting_updates_linkage_need_and_offers() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let need = Need {
            title: "楼道堆物清理".into(),
            domains: vec![Domain::Environment],
            grid: "BSJ-01-01".into(),
            ..Default::default()
        };
        let offer = Offer {
            title: "清洁志愿队".into(),
            domains: vec![Domain::Environment],
            provider: "o".into(),
            capacity: Some(4),
            ..Default::default()
        };
        let l = Linkage::propose("n", &need, vec!["f".into()], day);
        let req = StepRequest {
            to: LinkageState::Accepted,
            satisfaction: None,
            note: Some("居委会已确认".into()),
        };
        let cmds = step_commands(
            "l",
            &l,
            "n",
            &need,
            &[("f".into(), offer.clone())],
            &req,
            day,
            false,
        )
        .unwrap();
        assert_eq!(cmds.len(), 3);
        match &cmds[1] {
            Command::Update {
                after: Record::Need(n),
                ..
            } => assert_eq!(n.state, NeedState::Matched),
            other => panic!("{other:?}"),
        }
        // The same state with a satisfaction changes only the linkage.
        let req = StepRequest {
            to: LinkageState::Proposed,
            satisfaction: Some(4),
            note: None,
        };
        let cmds = step_commands(
            "l",
            &l,
            "n",
            &need,
            &[("f".into(), offer)],
            &req,
            day,
            false,
        )
        .unwrap();
        assert_eq!(cmds.len(), 1);
        let ls = vec![("l".to_string(), l.clone()), ("m".to_string(), l)];
        assert!(need_has_other(&ls, "n", "l"));
        assert!(!need_has_other(&ls[..1], "n", "l"));
    }
}
