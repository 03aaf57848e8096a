//! Index entries of a live record, derived from its materialised value and
//! kept in step with it in the same batch:
//! - organizations by grid (`G grid 0 id` -> name; no grid is the empty
//!   code), which also serves the possible-duplicate check by township;
//! - organizations by credit code (`K code 0 id`; several ids only when
//!   offices registered the same code concurrently);
//! - records by name (`N kind name 0 id`);
//! - places by parent (`P parent 0 code` -> level), for walking the tree.

use std::collections::BTreeMap;

use super::keys::{self, BY_CREDIT, BY_GRID, BY_PARENT};
use crate::model::{Labeled, Record};

/// Index keys and values of a live record.
pub fn entries(id: &str, record: &Record) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut out = BTreeMap::new();
    out.insert(keys::by_name(record.kind(), record.title(), id), Vec::new());
    match record {
        Record::Org(o) => {
            out.insert(
                keys::pair(BY_GRID, o.grid.as_deref().unwrap_or(""), id),
                o.name.as_bytes().to_vec(),
            );
            if let Some(code) = &o.credit_code {
                out.insert(keys::pair(BY_CREDIT, code, id), Vec::new());
            }
        }
        Record::Activity(_) | Record::Evaluation(_) => {}
        Record::Round(_) | Record::Application(_) | Record::Review(_) | Record::Visit(_) => {}
        Record::Space(_) | Record::Enrollment(_) | Record::Service(_) | Record::Cohort(_) => {}
        Record::Training(_) | Record::Attendance(_) | Record::Lead(_) | Record::Center(_) => {}
        Record::TrainingPlan(_) => {}
        Record::Filing(_) | Record::Instructor(_) => {}
        Record::Need(_) | Record::Offer(_) | Record::Worker(_) => {}
        Record::Partner(_) | Record::Linkage(_) => {}
        Record::Place(p) => {
            out.insert(
                keys::pair(BY_PARENT, p.parent.as_deref().unwrap_or(""), &p.code),
                p.level.key().as_bytes().to_vec(),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgType, Organization, Place, PlaceLevel};

    #[test]
    fn org_and_place_entries() {
        let mut o = Organization::new("湖滨晴雨志愿队", OrgType::Community);
        o.grid = Some("HB-01-02".into());
        o.credit_code = Some("51330106MJ9999999X".into());
        let e = entries("k5d2wa-1", &Record::Org(o.clone()));
        assert_eq!(e.len(), 3);
        assert_eq!(
            e[&keys::pair(BY_GRID, "HB-01-02", "k5d2wa-1")],
            "湖滨晴雨志愿队".as_bytes()
        );
        o.grid = None;
        o.credit_code = None;
        let e = entries("k5d2wa-1", &Record::Org(o));
        assert_eq!(e.len(), 2);
        assert!(e.contains_key(&keys::pair(BY_GRID, "", "k5d2wa-1")));
        let p = Place {
            code: "HB-01".into(),
            name: "湖滨社区".into(),
            level: PlaceLevel::Community,
            parent: Some("HB".into()),
        };
        let e = entries("HB-01", &Record::Place(p));
        assert_eq!(e[&keys::pair(BY_PARENT, "HB", "HB-01")], b"community");
    }
}
