//! Field flattening: the one generic mechanism that turns any record into a
//! map of field paths to values, and back.
//!
//! A record is serialised with serde into a JSON tree, then flattened:
//! - object members become path segments joined by `/`: `rating/level`;
//!   a member name escapes `~` as `~0`, `/` as `~1`, and a leading `[` as `~2`;
//! - arrays are sets of strings in our model: each element is its own path,
//!   `domains/[elderly]` = `Bool(true)`; removing the element is an operation
//!   with no value, so two offices adding different tags both keep theirs;
//! - `null` (a `None`) is an absent field; empty sets and maps are absent too.
//!
//! Unflattening builds the JSON tree again and deserialises it leniently (see
//! [`lenient`](super::lenient)): absent sets are empty, absent options `None`,
//! and a part that no longer makes sense after a merge (say a rating whose
//! level was removed by one office while another set its expiry) is dropped
//! rather than losing the whole record.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Number, Value as Json};

use super::api::Value;
use crate::model::{Kind, Organization, Place, Record};

/// Field paths of a record and their values.
pub type Fields = BTreeMap<String, Value>;

/// The field that marks a record deleted (`Bool(true)`) or restored. No record
/// type may have a member of this name.
pub const DELETED: &str = "deleted";

/// A record type that cannot be flattened (a defect of the model types, found
/// by the tests).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field {path:?}: {what}")]
pub struct ShapeError {
    pub path: String,
    pub what: &'static str,
}

/// One segment of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A member of an object (a struct field or a map key).
    Key(String),
    /// An element of a set.
    Elem(String),
}

/// The segments of a field path: `rating/level` -> `[Key(rating), Key(level)]`.
pub fn segments(path: &str) -> Vec<Segment> {
    path.split('/')
        .map(|s| {
            if s.len() >= 2 && s.starts_with('[') && s.ends_with(']') {
                Segment::Elem(unescape(&s[1..s.len() - 1]))
            } else {
                Segment::Key(unescape(s))
            }
        })
        .collect()
}

/// The top-level member of a field path (`rating/level` -> `rating`), for
/// labels in the change log.
pub fn top_field(path: &str) -> String {
    match segments(path).into_iter().next() {
        Some(Segment::Key(k)) | Some(Segment::Elem(k)) => k,
        None => String::new(),
    }
}

fn escape_into(out: &mut String, s: &str, leading_bracket: bool) {
    for (i, c) in s.chars().enumerate() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            '[' if i == 0 && leading_bracket => out.push_str("~2"),
            c => out.push(c),
        }
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                Some('2') => out.push('['),
                Some(o) => {
                    out.push('~');
                    out.push(o);
                }
                None => out.push('~'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn key_path(prefix: &str, key: &str) -> String {
    let mut p = String::with_capacity(prefix.len() + key.len() + 1);
    if !prefix.is_empty() {
        p.push_str(prefix);
        p.push('/');
    }
    escape_into(&mut p, key, true);
    p
}

fn elem_path(prefix: &str, elem: &str) -> String {
    let mut p = String::with_capacity(prefix.len() + elem.len() + 3);
    p.push_str(prefix);
    p.push_str("/[");
    escape_into(&mut p, elem, false);
    p.push(']');
    p
}

fn scalar(path: &str, v: &Json) -> Result<Option<Value>, ShapeError> {
    Ok(match v {
        Json::Null => None,
        Json::Bool(b) => Some(Value::Bool(*b)),
        Json::String(s) => Some(Value::Text(s.clone())),
        Json::Number(n) => Some(if let Some(i) = n.as_i64() {
            Value::Int(i)
        } else if n.is_u64() {
            return Err(ShapeError {
                path: path.to_string(),
                what: "integer beyond i64",
            });
        } else {
            Value::Float(n.as_f64().unwrap_or(0.0))
        }),
        Json::Array(_) | Json::Object(_) => None,
    })
}

fn walk(prefix: &str, v: &Json, out: &mut Fields) -> Result<(), ShapeError> {
    match v {
        Json::Object(members) => {
            for (k, v) in members {
                if prefix.is_empty() && k == DELETED {
                    return Err(ShapeError {
                        path: k.clone(),
                        what: "reserved member name",
                    });
                }
                walk(&key_path(prefix, k), v, out)?;
            }
        }
        Json::Array(elems) => {
            for e in elems {
                match e {
                    Json::String(s) => {
                        out.insert(elem_path(prefix, s), Value::Bool(true));
                    }
                    _ => {
                        return Err(ShapeError {
                            path: prefix.to_string(),
                            what: "a list must be a set of strings",
                        })
                    }
                }
            }
        }
        other => {
            if prefix.is_empty() {
                return Err(ShapeError {
                    path: String::new(),
                    what: "a record must be a struct",
                });
            }
            if let Some(value) = scalar(prefix, other)? {
                out.insert(prefix.to_string(), value);
            }
        }
    }
    Ok(())
}

/// Flattens a serialisable value (a record's payload) to field paths.
pub fn flatten_value<T: serde::Serialize>(value: &T) -> Result<Fields, ShapeError> {
    let json = serde_json::to_value(value).map_err(|_| ShapeError {
        path: String::new(),
        what: "cannot be serialised",
    })?;
    let mut out = Fields::new();
    walk("", &json, &mut out)?;
    Ok(out)
}

/// Flattens a record to field paths.
pub fn flatten(record: &Record) -> Result<Fields, ShapeError> {
    match record {
        Record::Place(p) => flatten_value(p),
        Record::Org(o) => flatten_value(o),
        Record::Need(n) => flatten_value(n),
        Record::Offer(o) => flatten_value(o),
        Record::Worker(w) => flatten_value(w),
        Record::Partner(p) => flatten_value(p),
        Record::Linkage(l) => flatten_value(l),
        Record::Activity(a) => flatten_value(a),
        Record::Evaluation(e) => flatten_value(e),
        Record::Round(r) => flatten_value(r),
        Record::Application(a) => flatten_value(a),
        Record::Review(s) => flatten_value(s),
        Record::Visit(v) => flatten_value(v),
        Record::Space(s) => flatten_value(s),
        Record::Enrollment(e) => flatten_value(e),
        Record::Service(s) => flatten_value(s),
        Record::Training(t) => flatten_value(t),
        Record::Attendance(a) => flatten_value(a),
        Record::Lead(l) => flatten_value(l),
        Record::Center(c) => flatten_value(c),
        Record::TrainingPlan(p) => flatten_value(p),
        Record::Cohort(c) => flatten_value(c),
        Record::Filing(f) => flatten_value(f),
        Record::Instructor(i) => flatten_value(i),
    }
}

/// The JSON tree of field paths. A path that collides with another (a scalar
/// where an object is needed) is skipped; paths are visited in order, so the
/// result depends only on the fields.
pub fn tree(fields: &Fields) -> Json {
    let mut root = Map::new();
    for (path, value) in fields {
        let segs = segments(path);
        insert(&mut root, &segs, value);
    }
    Json::Object(root)
}

fn to_json(v: &Value) -> Option<Json> {
    Some(match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Float(f) => Json::Number(Number::from_f64(*f)?),
        Value::Text(s) => Json::String(s.clone()),
    })
}

fn insert(obj: &mut Map<String, Json>, segs: &[Segment], value: &Value) {
    let Some((first, rest)) = segs.split_first() else {
        return;
    };
    match first {
        Segment::Key(k) => {
            if rest.is_empty() {
                if !obj.contains_key(k) {
                    if let Some(j) = to_json(value) {
                        obj.insert(k.clone(), j);
                    }
                }
                return;
            }
            if let [Segment::Elem(e)] = rest {
                if *value != Value::Bool(true) {
                    return;
                }
                let slot = obj
                    .entry(k.clone())
                    .or_insert_with(|| Json::Array(Vec::new()));
                if let Json::Array(a) = slot {
                    a.push(Json::String(e.clone()));
                }
                return;
            }
            let slot = obj
                .entry(k.clone())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(inner) = slot {
                insert(inner, rest, value);
            }
        }
        // A set element at the top level, or not last: not a shape we write.
        Segment::Elem(_) => {}
    }
}

/// Rebuilds a record of `kind` from its fields, normalised. `None` when the
/// fields do not make a record (a required field is missing, for instance
/// when an update from another office arrived before the record's creation).
pub fn unflatten(kind: Kind, fields: &Fields) -> Option<Record> {
    let tree = tree(fields);
    let mut record = match kind {
        Kind::Place => Record::Place(super::lenient::from_tree::<Place>(tree)?),
        Kind::Org => Record::Org(super::lenient::from_tree::<Organization>(tree)?),
        Kind::Need => Record::Need(super::lenient::from_tree(tree)?),
        Kind::Offer => Record::Offer(super::lenient::from_tree(tree)?),
        Kind::Worker => Record::Worker(super::lenient::from_tree(tree)?),
        Kind::Partner => Record::Partner(super::lenient::from_tree(tree)?),
        Kind::Linkage => Record::Linkage(super::lenient::from_tree(tree)?),
        Kind::Activity => {
            Record::Activity(super::lenient::from_tree::<crate::model::Activity>(tree)?)
        }
        Kind::Evaluation => {
            Record::Evaluation(super::lenient::from_tree::<crate::model::Evaluation>(tree)?)
        }
        Kind::Round => Record::Round(super::lenient::from_tree(tree)?),
        Kind::Application => Record::Application(super::lenient::from_tree(tree)?),
        Kind::Review => Record::Review(super::lenient::from_tree(tree)?),
        Kind::Visit => Record::Visit(super::lenient::from_tree(tree)?),
        Kind::Space => Record::Space(super::lenient::from_tree(tree)?),
        Kind::Enrollment => Record::Enrollment(super::lenient::from_tree(tree)?),
        Kind::Service => Record::Service(super::lenient::from_tree(tree)?),
        Kind::Training => Record::Training(super::lenient::from_tree(tree)?),
        Kind::Attendance => Record::Attendance(super::lenient::from_tree(tree)?),
        Kind::Lead => Record::Lead(super::lenient::from_tree(tree)?),
        Kind::Center => Record::Center(super::lenient::from_tree(tree)?),
        Kind::TrainingPlan => Record::TrainingPlan(super::lenient::from_tree(tree)?),
        Kind::Cohort => Record::Cohort(super::lenient::from_tree(tree)?),
        Kind::Filing => Record::Filing(super::lenient::from_tree(tree)?),
        Kind::Instructor => Record::Instructor(super::lenient::from_tree(tree)?),
    };
    record.normalize();
    Some(record)
}

/// The changes that turn `before` into `after`: changed or added fields with
/// their value, removed fields with `None`. In path order.
pub fn diff(before: &Fields, after: &Fields) -> Vec<(String, Option<Value>)> {
    let mut out = Vec::new();
    for (k, v) in after {
        if before.get(k) != Some(v) {
            out.push((k.clone(), Some(v.clone())));
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) {
            out.push((k.clone(), None));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A field path for display: `rating/level`, `domains/[elderly]` as
/// `domains[elderly]`.
pub fn display_path(path: &str) -> String {
    let mut out = String::new();
    for (i, s) in segments(path).into_iter().enumerate() {
        match s {
            Segment::Key(k) => {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(&k);
            }
            Segment::Elem(e) => {
                let _ = write!(out, "[{e}]");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Domain, Incubation, Inspection, InspectionResult, OrgType, Party, PlaceLevel, Rating,
        RatingLevel, RegState,
    };
    use chrono::NaiveDate;

    fn full_org() -> Organization {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let mut o = Organization::new("北山街道银龄互助会", OrgType::SocialGroup);
        o.credit_code = Some("51330106MJ9999999X".into());
        o.credit_code_unchecked = true;
        o.state = RegState::Registered;
        o.filing_number = Some("西民备 2024-17".into());
        o.registering_authority = Some("西湖区民政局".into());
        o.supervising_unit = Some("北山街道办事处".into());
        o.contact = Some("王秀英".into());
        o.phone = Some("13812345678".into());
        o.address = Some("杭州市西湖区北山街 84 号".into());
        o.grid = Some("BSJ-01-03".into());
        o.domains = vec![Domain::Elderly, Domain::Volunteer];
        o.founded = Some(d(2019, 3, 12));
        o.members = Some(120);
        o.staff = Some(3);
        o.volunteers = Some(45);
        o.party = Party::Joint;
        o.party_members = Some(9);
        o.inspections.insert(
            2024,
            Inspection {
                result: InspectionResult::Basic,
                submitted: Some(d(2025, 4, 30)),
                rectify_due: Some(d(2025, 7, 1)),
            },
        );
        o.inspections.insert(
            2023,
            Inspection {
                result: InspectionResult::Pass,
                submitted: None,
                rectify_due: None,
            },
        );
        o.rating = Some(Rating {
            level: RatingLevel::A4,
            expires: Some(d(2029, 12, 31)),
        });
        o.incubation = Some(Incubation {
            workstation: Some("B-12".into()),
            start: Some(d(2018, 5, 1)),
            end: None,
        });
        o.tags = vec!["a/b".into(), "[x]".into(), "~y".into(), "重点".into()];
        o.notes = Some("每周三下午活动".into());
        o.normalize();
        o
    }

    #[test]
    fn paths_are_unambiguous() {
        let f = flatten(&Record::Org(full_org())).unwrap();
        assert_eq!(f["name"], Value::Text("北山街道银龄互助会".into()));
        assert_eq!(f["type"], Value::Text("social-group".into()));
        assert_eq!(f["members"], Value::Int(120));
        assert_eq!(f["domains/[elderly]"], Value::Bool(true));
        assert_eq!(f["rating/level"], Value::Text("4A".into()));
        assert_eq!(f["inspections/2024/result"], Value::Text("basic".into()));
        assert_eq!(f["tags/[a~1b]"], Value::Bool(true));
        assert_eq!(f["tags/[[x]]"], Value::Bool(true));
        assert_eq!(f["tags/[~0y]"], Value::Bool(true));
        assert!(!f.contains_key("incubation/end"));
        assert!(!f.keys().any(|k| k.starts_with("deleted")));
        assert_eq!(
            segments("tags/[a~1b]"),
            vec![Segment::Key("tags".into()), Segment::Elem("a/b".into())]
        );
        assert_eq!(display_path("domains/[elderly]"), "domains[elderly]");
        assert_eq!(display_path("rating/level"), "rating.level");
        assert_eq!(top_field("rating/level"), "rating");
    }

    #[test]
    fn round_trip_org_and_place() {
        let o = full_org();
        let f = flatten(&Record::Org(o.clone())).unwrap();
        assert_eq!(unflatten(Kind::Org, &f), Some(Record::Org(o)));
        let minimal = Organization::new("湖滨晴雨志愿队", OrgType::Community);
        let f = flatten(&Record::Org(minimal.clone())).unwrap();
        assert_eq!(unflatten(Kind::Org, &f), Some(Record::Org(minimal)));
        let p = Place {
            code: "BSJ-01".into(),
            name: "宝石山社区".into(),
            level: PlaceLevel::Community,
            parent: Some("BSJ".into()),
        };
        let f = flatten(&Record::Place(p.clone())).unwrap();
        assert_eq!(f.len(), 4);
        assert_eq!(unflatten(Kind::Place, &f), Some(Record::Place(p)));
    }

    #[test]
    fn diff_names_only_changes() {
        let a = full_org();
        let mut b = a.clone();
        b.phone = Some("0571-87654321".into());
        b.domains.retain(|d| *d != Domain::Volunteer);
        b.domains.push(Domain::Health);
        b.rating = None;
        b.normalize();
        let d = diff(
            &flatten(&Record::Org(a)).unwrap(),
            &flatten(&Record::Org(b)).unwrap(),
        );
        let keys: Vec<_> = d.iter().map(|(k, v)| (k.as_str(), v.is_some())).collect();
        assert_eq!(
            keys,
            vec![
                ("domains/[health]", true),
                ("domains/[volunteer]", false),
                ("phone", true),
                ("rating/expires", false),
                ("rating/level", false),
            ]
        );
    }

    #[test]
    fn partial_parts_are_dropped_not_the_record() {
        let mut f = flatten(&Record::Org(full_org())).unwrap();
        // One office removed the rating, another set its expiry.
        f.remove("rating/level");
        // An unknown domain from a future version.
        f.insert("domains/[space]".into(), Value::Bool(true));
        // A member count of the wrong type.
        f.insert("staff".into(), Value::Text("三".into()));
        let Some(Record::Org(o)) = unflatten(Kind::Org, &f) else {
            panic!("record lost");
        };
        assert_eq!(o.rating, None);
        assert_eq!(o.domains, vec![Domain::Elderly, Domain::Volunteer]);
        assert_eq!(o.staff, None);
        assert_eq!(o.name, "北山街道银龄互助会");
    }

    #[test]
    fn missing_required_field_is_no_record() {
        let mut f = flatten(&Record::Org(full_org())).unwrap();
        f.remove("name");
        assert_eq!(unflatten(Kind::Org, &f), None);
        let mut only_tag = Fields::new();
        only_tag.insert("tags/[x]".into(), Value::Bool(true));
        assert_eq!(unflatten(Kind::Org, &only_tag), None);
    }

    #[test]
    fn colliding_paths_are_skipped() {
        let mut f = flatten(&Record::Org(full_org())).unwrap();
        f.insert("rating".into(), Value::Text("5A".into()));
        let Some(Record::Org(o)) = unflatten(Kind::Org, &f) else {
            panic!("record lost");
        };
        // `rating` comes first in path order, then `rating/level` cannot
        // nest under a string: the rating is dropped as malformed.
        assert_eq!(o.rating, None);
    }

    #[test]
    fn reserved_member_is_refused() {
        #[derive(serde::Serialize)]
        struct Bad {
            deleted: bool,
        }
        assert!(flatten_value(&Bad { deleted: true }).is_err());
        #[derive(serde::Serialize)]
        struct Nested {
            xs: Vec<u32>,
        }
        assert!(flatten_value(&Nested { xs: vec![1] }).is_err());
    }
}
