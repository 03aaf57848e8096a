//! Enums with English keys and Chinese/English labels.

use serde::{Deserialize, Serialize};

/// The user's language. Chinese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh_cn" | "cn" | "中文" => Some(Lang::Zh),
            "en" | "en-us" | "en_us" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// An enum whose values have a stable English key (used in files, JSON and
/// command-line flags) and a label in each language.
pub trait Labeled: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    fn key(self) -> &'static str;
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;

    fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    /// Accepts the English key, the Chinese label or the English label
    /// (case-insensitive, `_` and `-` alike).
    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        // The stored form is the key: found without allocating (decoding
        // 100,000 organizations parses about a million of these).
        if let Some(v) = Self::ALL.iter().find(|v| v.key() == s) {
            return Some(*v);
        }
        let norm = |x: &str| x.to_lowercase().replace('_', "-");
        let n = norm(s);
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.key() == n || v.zh() == s || norm(v.en()) == n)
    }

    /// Position in `ALL`, for sorting in display order.
    fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|v| v.key() == self.key())
            .unwrap_or(usize::MAX)
    }
}

/// Defines an enum with keys and labels, serialised as its key.
#[macro_export]
macro_rules! labeled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = ($key:literal, $zh:literal, $en:literal) ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $crate::model::Labeled for $name {
            const ALL: &'static [Self] = &[ $( $name::$variant ),+ ];
            fn key(self) -> &'static str { match self { $( $name::$variant => $key ),+ } }
            fn zh(self) -> &'static str { match self { $( $name::$variant => $zh ),+ } }
            fn en(self) -> &'static str { match self { $( $name::$variant => $en ),+ } }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::model::Labeled::key(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                <$name as $crate::model::Labeled>::parse(&s).ok_or_else(|| {
                    ::serde::de::Error::custom(format!(concat!("unknown ", stringify!($name), " `{}`"), s))
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::model::Labeled::key(*self))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrgType;

    #[test]
    fn parse_accepts_key_and_labels() {
        assert_eq!(OrgType::parse("community"), Some(OrgType::Community));
        assert_eq!(OrgType::parse("社区社会组织"), Some(OrgType::Community));
        assert_eq!(OrgType::parse("social_group"), Some(OrgType::SocialGroup));
        assert_eq!(OrgType::parse("nope"), None);
    }

    #[test]
    fn serde_uses_key() {
        let j = serde_json::to_string(&OrgType::ServiceOrg).unwrap();
        assert_eq!(j, "\"service-org\"");
        let back: OrgType = serde_json::from_str("\"基金会\"").unwrap();
        assert_eq!(back, OrgType::Foundation);
    }
}
