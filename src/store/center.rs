//! The rules of the center's profile that need the database: one center
//! per office, and its register record exists.

use super::api::StoreError;
use super::tx::Tx;
use crate::model::center::Center;
use crate::model::{Kind, Record, Rule, ValidationErrors};

impl Tx<'_> {
    /// `id` is empty for a new record.
    pub(super) fn check_center(
        &mut self,
        id: &str,
        c: &Center,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        for (other, r) in self.live_all(Kind::Center)? {
            let Record::Center(o) = r else { continue };
            if other != id && o.office == c.office {
                errors.push(
                    "office",
                    Rule::Other {
                        message: crate::tr!("center.one_per_office", office = c.office),
                    },
                );
            }
        }
        if let Some(org) = &c.org {
            if self.live(Kind::Org, org)?.is_none() {
                errors.push(
                    "org",
                    Rule::Other {
                        message: crate::tr!("center.no_org", org = org),
                    },
                );
            }
        }
        Ok(())
    }
}
