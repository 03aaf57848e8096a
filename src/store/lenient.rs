//! A lenient deserializer over a JSON tree rebuilt from field paths.
//!
//! Field flattening drops empty sets, empty maps and `None`s, and a merge of
//! concurrent edits can leave a part of a record that no longer makes sense
//! (a rating without its level). Deserialising such a tree with plain
//! `serde_json` fails on the whole record. This deserializer:
//! - presents every member a struct declares, absent ones as *absent*: an
//!   absent option is `None`, an absent sequence or map is empty;
//! - on an error, notes the path of the innermost part that failed; the
//!   caller removes that part (or, if it is already absent, its parent) and
//!   tries again, until the record deserialises or the root itself fails.
//!
//! The result depends only on the tree, so every office materialises the same
//! record from the same fields.

use std::cell::RefCell;
use std::fmt;

use serde::de::{
    self, value::BorrowedStrDeserializer, DeserializeOwned, DeserializeSeed, Deserializer,
    IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Value as Json};

/// A deserialisation error (its text is never shown to users).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// A step into the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path of the part that failed, built from the inside out as the error
/// travels up.
#[derive(Default)]
struct Trail(RefCell<Option<Vec<Step>>>);

impl Trail {
    /// Marks the current part as where the error started (if none is yet).
    fn origin(&self) {
        let mut t = self.0.borrow_mut();
        if t.is_none() {
            *t = Some(Vec::new());
        }
    }

    /// The error came up through `step`.
    fn through(&self, step: Step) {
        self.0.borrow_mut().get_or_insert_with(Vec::new).push(step);
    }

    fn path(self) -> Vec<Step> {
        let mut p = self.0.into_inner().unwrap_or_default();
        p.reverse();
        p
    }
}

/// Deserialises `T` from `tree`, dropping the parts that fail. `None` when
/// the root itself fails (a required member is missing).
pub fn from_tree<T: DeserializeOwned>(mut tree: Json) -> Option<T> {
    loop {
        let trail = Trail::default();
        let result = T::deserialize(De {
            v: Some(&tree),
            trail: &trail,
        });
        match result {
            Ok(t) => return Some(t),
            Err(_) => {
                let mut path = trail.path();
                loop {
                    if path.is_empty() {
                        return None;
                    }
                    if remove(&mut tree, &path) {
                        break;
                    }
                    path.pop();
                }
            }
        }
    }
}

/// Removes the node at `path`; false if there is none.
fn remove(tree: &mut Json, path: &[Step]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = tree;
    for step in parents {
        node = match (step, node) {
            (Step::Key(k), Json::Object(o)) => match o.get_mut(k) {
                Some(n) => n,
                None => return false,
            },
            (Step::Index(i), Json::Array(a)) => match a.get_mut(*i) {
                Some(n) => n,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Step::Key(k), Json::Object(o)) => o.remove(k).is_some(),
        (Step::Index(i), Json::Array(a)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

struct De<'a, 't> {
    /// `None`: the member is absent.
    v: Option<&'a Json>,
    trail: &'t Trail,
}

impl<'a> De<'a, '_> {
    fn mark<T>(&self, r: Result<T, Error>) -> Result<T, Error> {
        if r.is_err() {
            self.trail.origin();
        }
        r
    }
}

macro_rules! forward_any {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
            self.deserialize_any(visitor)
        })*
    };
}

impl<'a> Deserializer<'a> for De<'a, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match self.v {
            None => Err(de::Error::custom("absent")),
            Some(Json::Null) => visitor.visit_unit(),
            Some(Json::Bool(b)) => visitor.visit_bool(*b),
            Some(Json::Number(n)) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(0.0))
                }
            }
            Some(Json::String(s)) => visitor.visit_borrowed_str(s),
            Some(Json::Array(a)) => visitor.visit_seq(Seq {
                items: a.iter().enumerate(),
                trail: self.trail,
            }),
            Some(Json::Object(o)) => visitor.visit_map(Members::new(o, self.trail)),
        };
        self.mark(r)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match self.v {
            None | Some(Json::Null) => visitor.visit_none(),
            Some(_) => {
                return visitor.visit_some(De {
                    v: self.v,
                    trail: self.trail,
                })
            }
        };
        self.mark(r)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            None => {
                let r = visitor.visit_seq(Seq {
                    items: [].iter().enumerate(),
                    trail: self.trail,
                });
                self.mark(r)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            None => {
                let r = visitor.visit_map(Members::empty(self.trail));
                self.mark(r)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let obj = match self.v {
            None => None,
            Some(Json::Object(o)) => Some(o),
            Some(_) => return self.deserialize_any(visitor),
        };
        let r = visitor.visit_map(StructMembers {
            fields,
            next: 0,
            obj,
            trail: self.trail,
        });
        self.mark(r)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let r = match self.v {
            None => Err(de::Error::custom("absent")),
            Some(v) => v
                .deserialize_enum(name, variants, visitor)
                .map_err(|e| Error(e.to_string())),
        };
        self.mark(r)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = visitor.visit_unit();
        self.mark(r)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    forward_any! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_identifier
    }
}

struct Seq<'a, 't> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Json>>,
    trail: &'t Trail,
}

impl<'a> SeqAccess<'a> for Seq<'a, '_> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'a>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        let Some((i, v)) = self.items.next() else {
            return Ok(None);
        };
        seed.deserialize(De {
            v: Some(v),
            trail: self.trail,
        })
        .map(Some)
        .inspect_err(|_| self.trail.through(Step::Index(i)))
    }
}

/// The members of a map.
struct Members<'a, 't> {
    items: Option<serde_json::map::Iter<'a>>,
    current: Option<(&'a String, &'a Json)>,
    trail: &'t Trail,
}

impl<'a, 't> Members<'a, 't> {
    fn new(o: &'a Map<String, Json>, trail: &'t Trail) -> Self {
        Members {
            items: Some(o.iter()),
            current: None,
            trail,
        }
    }
    fn empty(trail: &'t Trail) -> Self {
        Members {
            items: None,
            current: None,
            trail,
        }
    }
}

impl<'a> MapAccess<'a> for Members<'a, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((k, v)) = self.items.as_mut().and_then(Iterator::next) else {
            return Ok(None);
        };
        self.current = Some((k, v));
        seed.deserialize(Key(k))
            .map(Some)
            .inspect_err(|_| self.trail.through(Step::Key(k.clone())))
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let Some((k, v)) = self.current.take() else {
            return Err(de::Error::custom("value before key"));
        };
        seed.deserialize(De {
            v: Some(v),
            trail: self.trail,
        })
        .inspect_err(|_| self.trail.through(Step::Key(k.clone())))
    }
}

/// The members a struct declares, absent ones included.
struct StructMembers<'a, 't> {
    fields: &'static [&'static str],
    next: usize,
    obj: Option<&'a Map<String, Json>>,
    trail: &'t Trail,
}

impl<'a> MapAccess<'a> for StructMembers<'a, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(name) = self.fields.get(self.next) else {
            return Ok(None);
        };
        seed.deserialize(BorrowedStrDeserializer::<Error>::new(name))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let Some(name) = self.fields.get(self.next) else {
            return Err(de::Error::custom("value before key"));
        };
        self.next += 1;
        seed.deserialize(De {
            v: self.obj.and_then(|o| o.get(*name)),
            trail: self.trail,
        })
        .inspect_err(|_| self.trail.through(Step::Key(name.to_string())))
    }
}

/// A map key: a string, parsed as a number when the map's key type wants one
/// (`BTreeMap<i32, _>` is an object with string keys in JSON).
struct Key<'de>(&'de str);

macro_rules! parse_key {
    ($($method:ident => $visit:ident : $ty:ty),*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0.parse::<$ty>() {
                Ok(n) => visitor.$visit(n),
                Err(_) => visitor.visit_borrowed_str(self.0),
            }
        })*
    };
}

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    parse_key! {
        deserialize_i8 => visit_i8: i8, deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32, deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8, deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32, deserialize_u64 => visit_u64: u64
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(self.0.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        bool f32 f64 char str string bytes byte_buf option unit unit_struct
        newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        level: String,
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        name: String,
        tags: Vec<String>,
        years: BTreeMap<i32, Inner>,
        inner: Option<Inner>,
        count: Option<u32>,
        flag: bool,
    }

    #[test]
    fn absent_containers_are_empty() {
        let o: Outer = from_tree(json!({"name": "甲", "flag": false})).unwrap();
        assert_eq!(o.tags, Vec::<String>::new());
        assert!(o.years.is_empty());
        assert_eq!(o.inner, None);
        assert_eq!(o.count, None);
    }

    #[test]
    fn integer_map_keys() {
        let o: Outer = from_tree(json!({
            "name": "甲", "flag": true,
            "years": {"2024": {"level": "a"}, "x": {"level": "b"}}
        }))
        .unwrap();
        assert_eq!(o.years.len(), 1);
        assert_eq!(o.years[&2024].level, "a");
    }

    #[test]
    fn broken_parts_are_dropped() {
        let o: Outer = from_tree(json!({
            "name": "甲", "flag": true,
            "inner": {"note": "无等级"},
            "count": "many",
            "tags": ["x", 3, "y"]
        }))
        .unwrap();
        assert_eq!(o.inner, None);
        assert_eq!(o.count, None);
        assert_eq!(o.tags, vec!["x".to_string(), "y".to_string()]);
    }

    #[test]
    fn missing_required_root_member_fails() {
        assert_eq!(from_tree::<Outer>(json!({"flag": true})), None);
        assert_eq!(from_tree::<Outer>(json!({"name": 3, "flag": true})), None);
    }
}
