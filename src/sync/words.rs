//! A change of one field in words, for the change log (`sanshe log`), the
//! conflicts and held changes of sync (`sanshe sync conflicts|held`, the
//! sync pane): the field by its label in the user's language (per record
//! kind: a need's `state` is 需求状态, a linkage's 对接状态), a value by its
//! label (`done` is 已完成), the records a value names by their names
//! (`need = 7tk6mn-1725` is the need's title), set elements as added or
//! removed, tenths as hours or points. Nothing here reads the store but
//! [`NameBook::read`]; front ends that draw on another thread read the
//! book there and format while drawing.
//!
//! Everything returned is escaped with [`printable`]: names and values may
//! come from other offices.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::{
    ActivityKind, Cost, Domain, InspectionResult, Kind, Labeled, LinkageState, NeedState,
    OfferType, OrgType, PartnerType, Party, PlaceLevel, ProviderKind, Qualification, RaisedBy,
    RatingLevel, Record, RegState, Rubric, TargetGroup, Urgency,
};
use crate::store::fields::{segments, Segment, DELETED};
use crate::store::{Store, StoreError, Value};
use crate::sync::{ConflictRow, HeldRow};
use crate::text::{field_label, lang, printable};
use crate::tr;

/// Names of records by kind and id, read from the store once each: what
/// turns the ids in a change into words.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NameBook {
    names: HashMap<(Kind, String), String>,
}

impl NameBook {
    /// Reads the name of every record in `wanted` (live or deleted; those
    /// this database does not have are left out). An evaluation is named
    /// by its organization and period.
    pub fn read<I>(store: &Store, wanted: I) -> Result<NameBook, StoreError>
    where
        I: IntoIterator<Item = (Kind, String)>,
    {
        let mut book = NameBook::default();
        for (kind, id) in wanted {
            if book.names.contains_key(&(kind, id.clone())) {
                continue;
            }
            if let Some(name) = book.read_one(store, kind, &id)? {
                book.names.insert((kind, id), name);
            }
        }
        Ok(book)
    }

    fn read_one(&self, store: &Store, kind: Kind, id: &str) -> Result<Option<String>, StoreError> {
        let record = match store.get(kind, id)? {
            Some(r) => r,
            None => match store.get_deleted(kind, id)? {
                Some(r) => r,
                None => return Ok(None),
            },
        };
        Ok(Some(match &record {
            Record::Evaluation(e) => {
                let org = match self.name(Kind::Org, &e.org) {
                    Some(n) => n.to_string(),
                    None => self
                        .read_one(store, Kind::Org, &e.org)?
                        .unwrap_or_else(|| e.org.clone()),
                };
                format!("{org} {}", e.period)
            }
            r => r.title().to_string(),
        }))
    }

    /// The name of a record, if it was read.
    pub fn name(&self, kind: Kind, id: &str) -> Option<&str> {
        self.names.get(&(kind, id.to_string())).map(String::as_str)
    }

    /// A record as people name it: its name, else `fallback` (the name a
    /// caller has), else its id (a record this database does not have).
    pub fn record(&self, kind: Kind, id: &str, fallback: &str) -> String {
        let name = match self.name(kind, id) {
            Some(n) if !n.is_empty() => n,
            _ if !fallback.is_empty() => fallback,
            _ => id,
        };
        printable(name).into_owned()
    }

    /// [`record`](Self::record) after the kind's label: 组织「北山读书会」.
    pub fn labeled(&self, kind: Kind, id: &str, fallback: &str) -> String {
        named(kind, &self.record(kind, id, fallback))
    }

    /// The first of `kinds` this book has a name for `id` under.
    fn any(&self, kinds: &[Kind], id: &str) -> Option<&str> {
        kinds.iter().find_map(|k| self.name(*k, id))
    }
}

/// The names the conflicts need: each record and what both values name.
pub fn conflict_names(store: &Store, rows: &[ConflictRow]) -> Result<NameBook, StoreError> {
    NameBook::read(
        store,
        rows.iter().flat_map(|r| {
            [&r.winner.value, &r.loser.value]
                .into_iter()
                .flat_map(|v| names_in(r.kind, &r.id, &r.field, v))
        }),
    )
}

/// The names the held changes need: each record and what the held value
/// and the value in force name.
pub fn held_names(store: &Store, rows: &[HeldRow]) -> Result<NameBook, StoreError> {
    NameBook::read(
        store,
        rows.iter().flat_map(|r| {
            let in_force = r.in_force.as_ref().map(|op| &op.value);
            [Some(&r.value), in_force]
                .into_iter()
                .flatten()
                .flat_map(|v| names_in(r.kind, &r.id, &r.field, v))
        }),
    )
}

/// A record by its kind and name, as messages name it: 组织「北山读书会」,
/// Organization "北山读书会".
pub fn named(kind: Kind, name: &str) -> String {
    tr!(
        "change.record",
        kind = crate::text::label(kind),
        name = printable(name)
    )
}

/// The records [`NameBook::read`] must read to put a change of `path` to
/// `value` in record `id` of `kind` in words: the record itself and those
/// the value (or set element) names.
pub fn names_in(kind: Kind, id: &str, path: &str, value: &Option<Value>) -> Vec<(Kind, String)> {
    let mut out = vec![(kind, id.to_string())];
    let segs = segments(path);
    let (top, elem) = top_and_elem(&segs);
    let named = match (elem, value) {
        (Some(e), _) => e,
        (None, Some(Value::Text(s))) => s.as_str(),
        _ => return out,
    };
    out.extend(
        refers_to_leaf(kind, top, leaf_key(&segs))
            .iter()
            .map(|k| (*k, named.to_string())),
    );
    out
}

/// The field of a change in words: 联系电话, 对接状态, 年检「2024」结论.
pub fn field_text(kind: Kind, path: &str) -> String {
    let segs = segments(path);
    let Some(Segment::Key(top)) = segs.first() else {
        return printable(path).into_owned();
    };
    if top == DELETED {
        return tr!("change.deleted_field");
    }
    let label = top_label(kind, top);
    let keys: Vec<&str> = segs[1..]
        .iter()
        .filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Elem(_) => None,
        })
        .collect();
    if is_map(kind, top) {
        // inspections/2024/result, agreements/<name>/start, scores/<key>/tenths
        let Some(key) = keys.first() else {
            return label;
        };
        let key = match (kind, top.as_str()) {
            (Kind::Evaluation, "scores") => indicator_label(key),
            (Kind::Center, "checks") => check_label(key),
            // 03-returned -> 03 退回
            (Kind::Filing, "steps") => match crate::model::filing::step_key(key) {
                Some((n, s)) => format!("{n:02} {}", s.label(lang())),
                None => printable(key).into_owned(),
            },
            _ => printable(key).into_owned(),
        };
        // The innermost member (`checks/<key>/mark/date`: the date).
        let sub = keys[1..]
            .last()
            .map(|s| sub_label(kind, s))
            .unwrap_or_default();
        return tr!("change.in_map", field = label, key = key, sub = sub)
            .trim()
            .to_string();
    }
    match keys.first() {
        // rating/level, incubation/start
        Some(sub) => {
            let joined = format!("{top}_{sub}");
            let l = field_label(&joined);
            if l != joined {
                l
            } else {
                format!("{label} {}", sub_label(kind, sub))
            }
        }
        None => label,
    }
}

/// The value of a change in words: a label for an enum key, a name for a
/// record's id, hours for tenths, 添加/移除 for a set element, 是/否.
pub fn value_text(kind: Kind, path: &str, value: &Option<Value>, book: &NameBook) -> String {
    if crate::model::lead::hides(kind, path) && value.is_some() {
        return crate::tr!("lead.hidden");
    }
    let segs = segments(path);
    let (top, elem) = top_and_elem(&segs);
    if top == DELETED {
        return match value {
            Some(Value::Bool(true)) => tr!("change.record_deleted"),
            _ => tr!("change.record_restored"),
        };
    }
    let leaf = leaf_key(&segs);
    if let Some(e) = elem {
        let what = words_for(kind, top, leaf, e, book);
        return match value {
            None | Some(Value::Bool(false)) => tr!("change.removed_item", what = what),
            Some(_) => tr!("change.added_item", what = what),
        };
    }
    match value {
        None => tr!("change.cleared"),
        Some(Value::Bool(true)) => tr!("change.yes"),
        Some(Value::Bool(false)) => tr!("change.no"),
        Some(Value::Int(i)) => match (kind, top, leaf) {
            (Kind::Activity, "volunteer_tenths", _)
            | (Kind::Evaluation, "scores", "tenths")
            | (Kind::Center, "office_area_tenths", _) => match u64::try_from(*i) {
                Ok(t) => crate::model::activity::tenths_text(t),
                Err(_) => i.to_string(),
            },
            (Kind::Center, "funding", "amount_fen") => match u64::try_from(*i) {
                Ok(f) => crate::model::money::format(f),
                Err(_) => i.to_string(),
            },
            (Kind::Filing, "funds_fen", _) => match u64::try_from(*i) {
                Ok(f) => crate::model::money::format(f),
                Err(_) => i.to_string(),
            },
            _ => i.to_string(),
        },
        Some(Value::Float(f)) => f.to_string(),
        Some(Value::Text(s)) => words_for(kind, top, leaf, s, book),
    }
}

/// The top-level member and the set element of a path (`offers/[x]`).
fn top_and_elem(segs: &[Segment]) -> (&str, Option<&str>) {
    let top = match segs.first() {
        Some(Segment::Key(k)) | Some(Segment::Elem(k)) => k.as_str(),
        None => "",
    };
    let elem = segs.iter().skip(1).find_map(|s| match s {
        Segment::Elem(e) => Some(e.as_str()),
        Segment::Key(_) => None,
    });
    (top, elem)
}

/// The last member name of a path (`rating/level` -> `level`).
fn leaf_key(segs: &[Segment]) -> &str {
    segs.iter()
        .rev()
        .find_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Elem(_) => None,
        })
        .unwrap_or("")
}

/// A stored text (`s`) of field `top` (member `leaf`) in words.
fn words_for(kind: Kind, top: &str, leaf: &str, s: &str, book: &NameBook) -> String {
    if let Some(l) = enum_label(kind, top, leaf, s) {
        return l.to_string();
    }
    let refs = refers_to_leaf(kind, top, leaf);
    if !refs.is_empty() {
        return printable(book.any(refs, s).unwrap_or(s)).into_owned();
    }
    if matches!((kind, top), (Kind::Activity, "start" | "end")) {
        // 19:30:00 -> 19:30
        if let Some(hm) = s.strip_suffix(":00").filter(|hm| hm.len() == 5) {
            return hm.to_string();
        }
    }
    printable(s).into_owned()
}

/// [`refers_to`], and members inside a map that name a record (the
/// organization of an instructor's visit).
fn refers_to_leaf(kind: Kind, top: &str, leaf: &str) -> &'static [Kind] {
    match (kind, top, leaf) {
        (Kind::Instructor, "visits", "org") => &[Kind::Org],
        (Kind::Instructor, "visits", _) => &[],
        _ => refers_to(kind, top),
    }
}

/// The kinds of record a field's value (or set element) is the id of:
/// several when the kind is in another field (an offer's provider).
fn refers_to(kind: Kind, top: &str) -> &'static [Kind] {
    match (kind, top) {
        (Kind::Org | Kind::Need | Kind::Activity, "grid")
        | (Kind::Offer, "covers")
        | (Kind::Worker, "community")
        | (Kind::Place, "parent") => &[Kind::Place],
        (Kind::Linkage, "need") | (Kind::Activity, "needs") => &[Kind::Need],
        (Kind::Linkage, "offers") => &[Kind::Offer],
        (Kind::Activity, "orgs") | (Kind::Evaluation | Kind::Worker | Kind::Center, "org") => {
            &[Kind::Org]
        }
        (Kind::Activity, "linkages") => &[Kind::Linkage],
        (Kind::Offer, "provider") => &[Kind::Org, Kind::Worker, Kind::Partner],
        (Kind::Filing, "org") | (Kind::Instructor, "orgs") => &[Kind::Org],
        (Kind::Filing, "community") => &[Kind::Place],
        _ => &[],
    }
}

/// The label of an enum value stored as its key, if field `top` (member
/// `leaf`) of a `kind` record holds one.
fn enum_label(kind: Kind, top: &str, leaf: &str, key: &str) -> Option<&'static str> {
    fn of<T: Labeled>(key: &str) -> Option<&'static str> {
        T::ALL
            .iter()
            .find(|v| v.key() == key)
            .map(|v| v.label(lang()))
    }
    match (kind, top, leaf) {
        (_, "domains" | "domain", _) => of::<Domain>(key),
        (_, "targets", _) => of::<TargetGroup>(key),
        (Kind::Org, "type", _) => of::<OrgType>(key),
        (Kind::Org, "state", _) => of::<RegState>(key),
        (Kind::Org, "party", _) => of::<Party>(key),
        (Kind::Org, "inspections", "result") => of::<InspectionResult>(key),
        (Kind::Org, "rating", "level") => of::<RatingLevel>(key),
        (Kind::Place, "level", _) => of::<PlaceLevel>(key),
        (Kind::Need, "raised_by", _) => of::<RaisedBy>(key),
        (Kind::Need, "urgency", _) => of::<Urgency>(key),
        (Kind::Need, "state", _) => of::<NeedState>(key),
        (Kind::Offer, "type", _) => of::<OfferType>(key),
        (Kind::Offer, "provider_kind", _) => of::<ProviderKind>(key),
        (Kind::Offer, "cost", _) => of::<Cost>(key),
        (Kind::Worker, "qualification", _) => of::<Qualification>(key),
        (Kind::Partner, "type", _) => of::<PartnerType>(key),
        (Kind::Linkage, "state", _) => of::<LinkageState>(key),
        (Kind::Activity, "kind", _) => of::<ActivityKind>(key),
        (Kind::Center, "office_use", _) => of::<crate::model::center::OfficeUse>(key),
        (Kind::Center, "operation", _) => of::<crate::model::center::Operation>(key),
        (Kind::Center, "board", "role") => of::<crate::model::center::BoardRole>(key),
        (Kind::Center, "funding", "kind") => of::<crate::model::center::FundingKind>(key),
        (Kind::Filing, "state", _) => of::<crate::model::filing::FilingState>(key),
        _ => None,
    }
}

/// Fields that are maps keyed by data (a year, an agreement's name, an
/// indicator): the key is shown as it is between the field and the member.
fn is_map(kind: Kind, top: &str) -> bool {
    matches!(
        (kind, top),
        (Kind::Org, "inspections")
            | (Kind::Partner, "agreements")
            | (Kind::Evaluation, "scores")
            | (
                Kind::Center,
                "staff" | "board" | "funding" | "meetings" | "checks"
            )
            | (Kind::Filing, "steps" | "changes")
            | (Kind::Instructor, "visits")
    )
}

/// The label of a top-level field of a `kind` record: where two kinds use
/// one member name for different things, the label says which.
fn top_label(kind: Kind, top: &str) -> String {
    let key = match (kind, top) {
        (Kind::Need, "state") => "need_state",
        (Kind::Linkage, "state") => "link_state",
        (Kind::Offer, "type") => "offer_type",
        (Kind::Partner, "type") => "partner_type",
        (Kind::Activity, "volunteer_tenths") => "volunteer_hours",
        (Kind::Activity, "needs") => "need",
        (Kind::Activity, "linkages") => "linkages",
        (Kind::Center, "staff") => "center_staff",
        (Kind::Center, "office_area_tenths") => "office_area",
        (Kind::Filing, "state") => "filing_state",
        (Kind::Filing, "funds_fen") => "funds",
        _ => top,
    };
    printable(&field_label(key)).into_owned()
}

/// The label of a member inside a field (`level` of `rating`); nothing for
/// a score's tenths (the field says what it is).
fn sub_label(kind: Kind, sub: &str) -> String {
    match (kind, sub) {
        (_, "tenths") => String::new(),
        (_, "note") => field_label("notes"),
        // A term, a period, a stay: its start and end.
        (Kind::Center, "from") => field_label("period_from"),
        (Kind::Center, "to") => field_label("period_to"),
        (Kind::Center, "role") => field_label("board_role"),
        (Kind::Center, "qualification") => field_label("staff_qualification"),
        (Kind::Center, "kind") => field_label("funding_kind"),
        (_, s) => field_label(s),
    }
}

/// A checklist item answered by hand, by its name in the default list
/// (its key if an office configured its own).
fn check_label(key: &str) -> String {
    let rules = crate::model::center::Rules::default();
    match rules.checks.iter().find(|m| m.key == key) {
        Some(m) => match lang() {
            crate::model::Lang::Zh => m.zh.clone(),
            crate::model::Lang::En => m.en.clone(),
        },
        None => printable(key).into_owned(),
    }
}

/// An evaluation indicator's name in the shipped rubric (its key if the
/// rubric has no such indicator).
fn indicator_label(key: &str) -> String {
    static RUBRIC: OnceLock<Rubric> = OnceLock::new();
    let rubric = RUBRIC.get_or_init(Rubric::shipped);
    match rubric.indicator(key) {
        Some((_, i)) => i.label(lang()).to_string(),
        None => printable(key).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::store::OpenOptions;
    use crate::text::set_lang;

    fn demo_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with(dir.path(), OpenOptions::default()).unwrap();
        crate::demo::load(&store, crate::demo::fixture_records().unwrap()).unwrap();
        crate::demo::load_activities(&store).unwrap();
        crate::demo::load_linkage(&store).unwrap();
        crate::demo::load_center(&store).unwrap();
        // Party organizations, instructors with visits, filings (steps,
        // organizations followed to registration).
        crate::demo::load_party(&store).unwrap();
        crate::demo::load_filings(&store).unwrap();
        (dir, store)
    }

    /// Every key of every enum a field holds that differs from its
    /// Chinese label (`4A` does not): none may reach people.
    fn enum_keys() -> Vec<&'static str> {
        fn keys<T: Labeled>() -> Vec<&'static str> {
            T::ALL
                .iter()
                .filter(|v| v.key() != v.zh())
                .map(|v| v.key())
                .collect()
        }
        [
            keys::<Domain>(),
            keys::<TargetGroup>(),
            keys::<OrgType>(),
            keys::<RegState>(),
            keys::<Party>(),
            keys::<InspectionResult>(),
            keys::<RatingLevel>(),
            keys::<PlaceLevel>(),
            keys::<RaisedBy>(),
            keys::<Urgency>(),
            keys::<NeedState>(),
            keys::<OfferType>(),
            keys::<ProviderKind>(),
            keys::<Cost>(),
            keys::<Qualification>(),
            keys::<PartnerType>(),
            keys::<LinkageState>(),
            keys::<ActivityKind>(),
            keys::<crate::model::center::OfficeUse>(),
            keys::<crate::model::center::Operation>(),
            keys::<crate::model::center::BoardRole>(),
            keys::<crate::model::center::FundingKind>(),
        ]
        .concat()
    }

    /// The whole demo's change log in words: no field by its member name,
    /// no enum by its key, no record by its id or code (in Chinese; in
    /// English no member name either).
    #[test]
    fn every_change_of_the_demo_is_in_words() {
        let (_dir, store) = demo_store();
        let log = store.log(usize::MAX).unwrap();
        let mut ids = std::collections::HashSet::new();
        for kind in Kind::ALL {
            for (id, _) in store.all(*kind).unwrap() {
                ids.insert(id);
            }
        }
        let wanted = log
            .iter()
            .flat_map(|e| names_in(e.op.kind, &e.op.id, &e.op.field, &e.op.value));
        let book = NameBook::read(&store, wanted).unwrap();
        let keys = enum_keys();
        for lang in [Lang::Zh, Lang::En] {
            set_lang(lang);
            for e in &log {
                let op = &e.op;
                let field = field_text(op.kind, &op.field);
                let value = value_text(op.kind, &op.field, &op.value, &book);
                let record = book.record(op.kind, &op.id, "");
                let what = format!("{:?} {} {}: {field} = {value}", op.kind, op.id, op.field);
                assert!(!field.contains(['_', '/', '[']), "{what}");
                if lang == Lang::Zh {
                    // A map's key is data (a contract number), between 「」.
                    let words: String = field
                        .split('「')
                        .map(|part| part.split_once('」').map_or(part, |(_, rest)| rest))
                        .collect();
                    assert!(!words.contains(|c: char| c.is_ascii_alphabetic()), "{what}");
                    assert!(!keys.contains(&value.as_str()), "{what}");
                    let last = value.rsplit(' ').next().unwrap_or("");
                    assert!(!keys.contains(&last), "{what}");
                }
                // A place's code is its own field's value.
                let own_code = op.kind == Kind::Place && op.field == "code";
                for word in value
                    .split(' ')
                    .filter(|_| !own_code)
                    .chain([record.as_str()])
                {
                    assert!(!ids.contains(word), "{what} ({record})");
                }
            }
        }
        set_lang(Lang::Zh);
    }

    #[test]
    fn fields_and_values_of_each_kind() {
        set_lang(Lang::Zh);
        let book = NameBook {
            names: [
                ((Kind::Need, "n-1".to_string()), "独居老人助餐".to_string()),
                ((Kind::Offer, "o-1".to_string()), "爱心午餐".to_string()),
                (
                    (Kind::Partner, "p-1".to_string()),
                    "浙江大学社会学系".to_string(),
                ),
                ((Kind::Place, "BSJ-01".to_string()), "宝石社区".to_string()),
            ]
            .into_iter()
            .collect(),
        };
        let text = |s: &str| Some(Value::Text(s.to_string()));
        let v = |kind, path: &str, value: &Option<Value>| {
            (field_text(kind, path), value_text(kind, path, value, &book))
        };
        assert_eq!(
            v(Kind::Linkage, "state", &text("done")),
            ("对接状态".into(), "已完成".into())
        );
        assert_eq!(
            v(Kind::Need, "state", &text("open")),
            ("需求状态".into(), "待对接".into())
        );
        assert_eq!(
            v(Kind::Linkage, "need", &text("n-1")),
            ("需求".into(), "独居老人助餐".into())
        );
        let on = Some(Value::Bool(true));
        assert_eq!(v(Kind::Linkage, "offers/[o-1]", &on).1, "添加 爱心午餐");
        assert_eq!(v(Kind::Linkage, "offers/[o-1]", &None).1, "移除 爱心午餐");
        assert_eq!(
            v(Kind::Org, "domains/[elderly]", &on),
            ("服务领域".into(), "添加 养老服务".into())
        );
        assert_eq!(
            v(Kind::Offer, "provider", &text("p-1")).1,
            "浙江大学社会学系"
        );
        assert_eq!(v(Kind::Worker, "community", &text("BSJ-01")).1, "宝石社区");
        assert_eq!(
            v(Kind::Offer, "committed", &Some(Value::Int(2))),
            ("已占用".into(), "2".into())
        );
        assert_eq!(
            v(Kind::Org, "inspections/2024/result", &text("pass")),
            ("年检「2024」结论".into(), "合格".into())
        );
        assert_eq!(v(Kind::Org, "rating/level", &text("4A")).0, "等级");
        assert_eq!(
            v(Kind::Org, "rating/expires", &text("2029-06-30")).0,
            "等级有效期至"
        );
        assert_eq!(
            v(
                Kind::Evaluation,
                "scores/staff/tenths",
                &Some(Value::Int(65))
            ),
            ("得分「专业人员配备」".into(), "6.5".into())
        );
        assert_eq!(
            v(Kind::Activity, "volunteer_tenths", &Some(Value::Int(25))),
            ("志愿时长".into(), "2.5".into())
        );
        assert_eq!(v(Kind::Activity, "start", &text("19:30:00")).1, "19:30");
        assert_eq!(v(Kind::Org, "phone", &None).1, "（清空）");
        assert_eq!(
            v(Kind::Org, "publishable", &Some(Value::Bool(false))).1,
            "否"
        );
        assert_eq!(
            v(Kind::Org, DELETED, &on),
            ("（整条记录）".into(), "已删除".into())
        );
        // A record this database lacks keeps its id; an unknown key stays.
        assert_eq!(v(Kind::Linkage, "need", &text("n-9")).1, "n-9");
        assert_eq!(v(Kind::Linkage, "state", &text("later")).1, "later");
        set_lang(Lang::En);
        assert_eq!(
            v(Kind::Linkage, "state", &text("done")),
            ("linkage state".into(), "Done".into())
        );
        assert_eq!(v(Kind::Linkage, "offers/[o-1]", &on).1, "added 爱心午餐");
        assert_eq!(book.labeled(Kind::Need, "n-1", ""), "Need \"独居老人助餐\"");
        set_lang(Lang::Zh);
        assert_eq!(book.labeled(Kind::Need, "n-1", ""), "需求「独居老人助餐」");
        assert_eq!(book.record(Kind::Org, "x-1", "甲"), "甲");
        assert_eq!(book.record(Kind::Org, "x-1", ""), "x-1");
    }

    #[test]
    fn words_from_elsewhere_are_escaped() {
        let book = NameBook {
            names: [((Kind::Need, "n-1".to_string()), "a\x1b[2Jb".to_string())]
                .into_iter()
                .collect(),
        };
        let v = Some(Value::Text("x\x1b]0;t\x07".into()));
        assert_eq!(
            value_text(Kind::Org, "notes", &v, &book),
            "x<U+001B>]0;t<U+0007>"
        );
        let need = Some(Value::Text("n-1".into()));
        assert_eq!(
            value_text(Kind::Linkage, "need", &need, &book),
            "a<U+001B>[2Jb"
        );
        assert_eq!(book.record(Kind::Need, "n-1", ""), "a<U+001B>[2Jb");
        assert_eq!(field_text(Kind::Org, "\x1b"), "<U+001B>");
    }

    #[test]
    fn an_evaluation_is_named_by_its_organization_and_period() {
        let (_dir, store) = demo_store();
        let (id, r) = store
            .all(Kind::Evaluation)
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        let Record::Evaluation(e) = r else { panic!() };
        let org = store.get(Kind::Org, &e.org).unwrap().unwrap();
        let book = NameBook::read(&store, [(Kind::Evaluation, id.clone())]).unwrap();
        assert_eq!(
            book.record(Kind::Evaluation, &id, ""),
            format!("{} {}", org.title(), e.period)
        );
    }
}
