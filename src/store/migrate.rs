//! Moving a database to the current [`SCHEMA`](super::SCHEMA) when it is
//! opened.
//!
//! What the store keeps has two parts: the source of truth (the change log
//! `L` and each record's field states `S`, whose encodings do not depend on
//! the model's Rust types) and what is derived from it for speed (the
//! materialised records `R`/`X`, bincode of the model types). A change to a
//! record type's layout (a member added to `Organization`, say) makes the
//! derived part unreadable, so it bumps `SCHEMA`, and opening an older
//! database rebuilds every materialised record from its field states, in
//! batches, before the new schema number is written: a migration cut short
//! (a kill, a full disk) is done again at the next open. The indexes need
//! no rebuilding: a record rebuilt from the same fields has the same name,
//! grid and codes. Caches beside the database name the schema they were
//! made from, so they are made again too.
//!
//! | schema | change |
//! |--------|--------|
//! | 1 | the first |
//! | 2 | organizations: roster fields (登记证号, 法定代表人, capital, 业务范围, validity, direct registration, 组织机构代码) |
//! | 3 | activities: the venture project they belong to; the 公益创投 kinds (rounds, projects, review sheets, visits) |
//! | 4 | trainings: the item of the year's plan they carry out (`plan_item`); the plan's own kind |
//! | 5 | organizations: the party organization's details (name, secretary, date set up, probationary members, activists; reason and planned date where none); filings (备案) and party-building instructors |

use super::keys::{self, GONE, LIVE, STATE};
use super::records::{self, Mat};
use super::state::RecordState;
use super::StoreError;
use crate::model::{Kind, Labeled};

/// Records rewritten per batch (each batch is flushed).
const BATCH: usize = 5_000;

/// Rebuilds every materialised record of `db` (at `dir`) from its field
/// states, then records [`SCHEMA`](super::SCHEMA). Returns how many
/// records were rewritten.
pub fn to_current(db: &sled::Db, dir: &std::path::Path) -> Result<usize, StoreError> {
    let write = |e: sled::Error| super::db::write_error(dir, e);
    let mut batch = sled::Batch::default();
    let (mut pending, mut total) = (0, 0);
    for &kind in Kind::ALL {
        for kv in db.scan_prefix(keys::kind_prefix(STATE, kind)) {
            let (k, v) = kv.map_err(super::db::storage)?;
            let id = String::from_utf8_lossy(&k[2..]).into_owned();
            let state = RecordState::decode(&v).map_err(StoreError::Storage)?;
            let (live, gone) = (keys::record(LIVE, kind, &id), keys::record(GONE, kind, &id));
            match records::materialize(kind, &state) {
                Some(Mat::Live(r)) => {
                    batch.insert(live, records::encode(&r)?);
                    batch.remove(gone);
                }
                Some(Mat::Deleted(r)) => {
                    batch.insert(gone, records::encode(&r)?);
                    batch.remove(live);
                }
                None => {
                    batch.remove(live);
                    batch.remove(gone);
                }
            }
            pending += 1;
            total += 1;
            if pending == BATCH {
                db.apply_batch(std::mem::take(&mut batch)).map_err(write)?;
                pending = 0;
            }
        }
    }
    batch.insert(keys::meta(super::META_SCHEMA), &super::SCHEMA.to_be_bytes());
    db.apply_batch(batch).map_err(write)?;
    db.flush().map_err(write)?;
    Ok(total)
}
