//! The possible-duplicate warning for the 三社联动 records, as
//! organizations have theirs (`dup.rs`): a need with the same title at the
//! same place still being dealt with, an offer with the same title by the
//! same provider, a social worker or partner with the same name. A
//! warning, not a refusal: the save goes on when staff save again (or from
//! the command line, which prints it).
//!
//! Candidates come from the kind's by-name index keys (names compared with
//! white space ignored; hundreds to a few thousand keys, no record
//! decoded); only the candidates' records are read. Activities have no
//! such check: a title like 会员大会 is shared by thousands of activities,
//! and quick entry's save must stay fast; it needs an index by
//! organization and day first.

use super::api::{StoreError, Warning};
use super::Store;
use crate::model::{Kind, NeedState, Record};

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

/// True when `other` looks like the same thing as `new` (their titles
/// already match).
fn alike(new: &Record, other: &Record) -> bool {
    match (new, other) {
        (Record::Need(n), Record::Need(o)) => {
            n.grid == o.grid && !matches!(o.state, NeedState::Done | NeedState::Closed)
        }
        (Record::Offer(n), Record::Offer(o)) => n.provider == o.provider,
        (Record::Worker(_), Record::Worker(_)) | (Record::Partner(_), Record::Partner(_)) => true,
        _ => false,
    }
}

/// Ids of live records of `kind` whose name is `title`, white space
/// ignored (from the by-name index: no record decoded).
fn candidates(store: &Store, kind: Kind, title: &str) -> Result<Vec<String>, StoreError> {
    let want = squash(title);
    Ok(store
        .names_from_index(kind)?
        .into_iter()
        .filter(|(_, name)| squash(name) == want)
        .map(|(id, _)| id)
        .collect())
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
    let mut out = Vec::new();
    for other in candidates(store, kind, record.title())? {
        if other == id {
            continue;
        }
        if let Some(r) = store.get(kind, &other)? {
            if alike(record, &r) {
                out.push(Warning::PossibleDuplicate {
                    id: other,
                    name: r.title().to_string(),
                });
            }
        }
    }
    Ok(out)
}
