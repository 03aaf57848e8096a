//! Materialised records: the typed value of each record, derived from its
//! field state and kept (bincode 2) for fast reads. Live records and deleted
//! ones are kept apart, so listing a kind reads only live ones.

use super::api::StoreError;
use super::db::storage;
use super::fields;
use super::state::RecordState;
use crate::model::{Kind, Organization, Place, Record};

/// A record as materialised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mat {
    Live(Record),
    Deleted(Record),
}

impl Mat {
    pub fn live(&self) -> Option<&Record> {
        match self {
            Mat::Live(r) => Some(r),
            Mat::Deleted(_) => None,
        }
    }
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// Encodes a record's payload (without the kind: the key has it).
pub fn encode(record: &Record) -> Result<Vec<u8>, StoreError> {
    match record {
        Record::Place(p) => bincode::serde::encode_to_vec(p, config()),
        Record::Org(o) => bincode::serde::encode_to_vec(o, config()),
        Record::Need(n) => bincode::serde::encode_to_vec(n, config()),
        Record::Offer(o) => bincode::serde::encode_to_vec(o, config()),
        Record::Worker(w) => bincode::serde::encode_to_vec(w, config()),
        Record::Partner(p) => bincode::serde::encode_to_vec(p, config()),
        Record::Linkage(l) => bincode::serde::encode_to_vec(l, config()),
        Record::Activity(a) => bincode::serde::encode_to_vec(a, config()),
        Record::Evaluation(e) => bincode::serde::encode_to_vec(e, config()),
        Record::Round(r) => bincode::serde::encode_to_vec(r, config()),
        Record::Application(a) => bincode::serde::encode_to_vec(a, config()),
        Record::Review(s) => bincode::serde::encode_to_vec(s, config()),
        Record::Visit(v) => bincode::serde::encode_to_vec(v, config()),
        Record::Space(s) => bincode::serde::encode_to_vec(s, config()),
        Record::Enrollment(e) => bincode::serde::encode_to_vec(e, config()),
        Record::Service(s) => bincode::serde::encode_to_vec(s, config()),
        Record::Training(t) => bincode::serde::encode_to_vec(t, config()),
        Record::Attendance(a) => bincode::serde::encode_to_vec(a, config()),
        Record::Lead(l) => bincode::serde::encode_to_vec(l, config()),
        Record::Center(c) => bincode::serde::encode_to_vec(c, config()),
        Record::TrainingPlan(p) => bincode::serde::encode_to_vec(p, config()),
        Record::Cohort(c) => bincode::serde::encode_to_vec(c, config()),
        Record::Filing(f) => bincode::serde::encode_to_vec(f, config()),
        Record::Instructor(i) => bincode::serde::encode_to_vec(i, config()),
    }
    .map_err(storage)
}

/// Decodes a payload written by [`encode`].
pub fn decode(kind: Kind, bytes: &[u8]) -> Result<Record, StoreError> {
    let bad = |e: bincode::error::DecodeError| StoreError::Storage(format!("{kind} record: {e}"));
    fn de<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, bincode::error::DecodeError> {
        bincode::serde::decode_from_slice::<T, _>(bytes, config()).map(|(v, _)| v)
    }
    Ok(match kind {
        Kind::Need => Record::Need(de(bytes).map_err(bad)?),
        Kind::Offer => Record::Offer(de(bytes).map_err(bad)?),
        Kind::Worker => Record::Worker(de(bytes).map_err(bad)?),
        Kind::Partner => Record::Partner(de(bytes).map_err(bad)?),
        Kind::Linkage => Record::Linkage(de(bytes).map_err(bad)?),
        Kind::Place => Record::Place(
            bincode::serde::decode_from_slice::<Place, _>(bytes, config())
                .map_err(bad)?
                .0,
        ),
        Kind::Org => Record::Org(decode_org(bytes)?),
        Kind::Activity => Record::Activity(
            bincode::serde::decode_from_slice::<crate::model::Activity, _>(bytes, config())
                .map_err(bad)?
                .0,
        ),
        Kind::Evaluation => Record::Evaluation(
            bincode::serde::decode_from_slice::<crate::model::Evaluation, _>(bytes, config())
                .map_err(bad)?
                .0,
        ),
        Kind::Round => Record::Round(de(bytes).map_err(bad)?),
        Kind::Application => Record::Application(de(bytes).map_err(bad)?),
        Kind::Review => Record::Review(de(bytes).map_err(bad)?),
        Kind::Visit => Record::Visit(de(bytes).map_err(bad)?),
        Kind::Space => Record::Space(de(bytes).map_err(bad)?),
        Kind::Enrollment => Record::Enrollment(de(bytes).map_err(bad)?),
        Kind::Service => Record::Service(de(bytes).map_err(bad)?),
        Kind::Training => Record::Training(de(bytes).map_err(bad)?),
        Kind::Attendance => Record::Attendance(de(bytes).map_err(bad)?),
        Kind::Lead => Record::Lead(de(bytes).map_err(bad)?),
        Kind::Center => Record::Center(de(bytes).map_err(bad)?),
        Kind::TrainingPlan => Record::TrainingPlan(de(bytes).map_err(bad)?),
        Kind::Cohort => Record::Cohort(de(bytes).map_err(bad)?),
        Kind::Filing => Record::Filing(de(bytes).map_err(bad)?),
        Kind::Instructor => Record::Instructor(de(bytes).map_err(bad)?),
    })
}

/// Decodes an organization payload (of the current schema: see
/// `migrate.rs` for older ones).
pub fn decode_org(bytes: &[u8]) -> Result<Organization, StoreError> {
    bincode::serde::decode_from_slice::<Organization, _>(bytes, config())
        .map(|(o, _)| o)
        .map_err(|e| StoreError::Storage(format!("org record: {e}")))
}

/// The record a state makes, if its fields make one.
pub fn materialize(kind: Kind, state: &RecordState) -> Option<Mat> {
    let (fields, deleted) = state.winners();
    let record = fields::unflatten(kind, &fields)?;
    Some(if deleted {
        Mat::Deleted(record)
    } else {
        Mat::Live(record)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgType, PlaceLevel};

    #[test]
    fn payload_round_trip() {
        let o = Record::Org(Organization::new("宝石山社区书画社", OrgType::Community));
        assert_eq!(decode(Kind::Org, &encode(&o).unwrap()).unwrap(), o);
        let p = Record::Place(Place {
            code: "BSJ".into(),
            name: "北山街道".into(),
            level: PlaceLevel::Township,
            parent: Some("XH".into()),
        });
        assert_eq!(decode(Kind::Place, &encode(&p).unwrap()).unwrap(), p);
        assert!(decode(Kind::Org, &[1, 2, 3]).is_err());
    }
}
