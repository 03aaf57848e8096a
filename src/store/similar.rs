//! The possible-duplicate warning for the 三社联动 records, as organizations
//! have theirs (`dup.rs`): a need with the same title at the same place
//! still being dealt with, an offer with the same title by the same
//! provider, a social worker or partner with the same name. A warning, not
//! a refusal: the save goes on when staff save again (or from the command
//! line, which prints it). Titles are compared with white space ignored.
//! These kinds number in the hundreds to a few thousand per township, so
//! the records of the kind are read; organizations, a hundred thousand,
//! have their own index.

use super::api::{StoreError, Warning};
use super::Store;
use crate::model::{Kind, NeedState, Record};

fn same(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    squash(a) == squash(b)
}

/// True when `other` looks like the same thing as `new`.
fn alike(new: &Record, other: &Record) -> bool {
    match (new, other) {
        (Record::Need(n), Record::Need(o)) => {
            same(&n.title, &o.title)
                && n.grid == o.grid
                && !matches!(o.state, NeedState::Done | NeedState::Closed)
        }
        (Record::Offer(n), Record::Offer(o)) => {
            same(&n.title, &o.title) && n.provider == o.provider
        }
        (Record::Worker(n), Record::Worker(o)) => same(&n.name, &o.name),
        (Record::Partner(n), Record::Partner(o)) => same(&n.name, &o.name),
        _ => false,
    }
}

/// Live records other than `id` that look like `record` (only for the
/// kinds above; empty for any other).
pub(super) fn similar(
    store: &Store,
    id: &str,
    record: &Record,
) -> Result<Vec<Warning>, StoreError> {
    let kind = record.kind();
    if !matches!(
        kind,
        Kind::Need | Kind::Offer | Kind::Worker | Kind::Partner
    ) {
        return Ok(Vec::new());
    }
    Ok(store
        .all(kind)?
        .into_iter()
        .filter(|(other, r)| other != id && alike(record, r))
        .map(|(other, r)| Warning::PossibleDuplicate {
            id: other,
            name: r.title().to_string(),
        })
        .collect())
}
