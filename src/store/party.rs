//! The rules of party-building instructors that need the database: the
//! organizations an instructor covers, and those visited, exist (only
//! those added are checked: an organization deleted later stays named).

use super::api::StoreError;
use super::tx::Tx;
use crate::model::party::Instructor;
use crate::model::{Kind, Rule, ValidationErrors};

impl Tx<'_> {
    pub(super) fn check_instructor(
        &mut self,
        was: Option<&Instructor>,
        i: &Instructor,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let known = |org: &str| was.is_some_and(|w| w.orgs.iter().any(|o| o == org));
        let visited = |org: &str| was.is_some_and(|w| w.visits.values().any(|v| v.org == org));
        for (field, org) in i
            .orgs
            .iter()
            .filter(|o| !known(o))
            .map(|o| ("org", o))
            .chain(
                i.visits
                    .values()
                    .filter(|v| !visited(&v.org) && !known(&v.org))
                    .map(|v| ("org", &v.org)),
            )
        {
            if self.live(Kind::Org, org)?.is_none() {
                errors.push(
                    field,
                    Rule::Other {
                        message: crate::tr!("activity.unknown_org", id = org),
                    },
                );
                break;
            }
        }
        Ok(())
    }
}
