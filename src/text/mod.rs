//! Every user-visible string, one table per language: `zh.toml` (default)
//! and `en.toml`, embedded in the binary. Keys are dotted (`cli.saved`);
//! placeholders are `{name}`. A unit test checks that both tables have the
//! same keys and the same placeholders.
//!
//! The language is per thread (the TUI and CLI run on one thread; tests set
//! their own), so snapshot tests in both languages can run side by side.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

use crate::model::bounds::is_unsafe_char;
use crate::model::{FieldError, Labeled, Lang, Rule, ValidationErrors};

/// The files of each language's table; each area of the code has its own file
/// (`[cli]` keys in `cli.toml`...), merged into one table at first use.
const ZH: &[&str] = &[
    include_str!("zh/core.toml"),
    include_str!("zh/store.toml"),
    include_str!("zh/cli.toml"),
    include_str!("zh/tui.toml"),
    include_str!("zh/export.toml"),
    include_str!("zh/form.toml"),
    include_str!("zh/search.toml"),
    include_str!("zh/linkage.toml"),
    include_str!("zh/activity.toml"),
    include_str!("zh/sync.toml"),
    include_str!("zh/help.toml"),
    include_str!("zh/roster.toml"),
    include_str!("zh/server.toml"),
    include_str!("zh/venture.toml"),
    include_str!("zh/incubation.toml"),
    include_str!("zh/training.toml"),
    include_str!("zh/lead.toml"),
    include_str!("zh/center.toml"),
    include_str!("zh/filing.toml"),
    include_str!("zh/party.toml"),
];
const EN: &[&str] = &[
    include_str!("en/core.toml"),
    include_str!("en/store.toml"),
    include_str!("en/cli.toml"),
    include_str!("en/tui.toml"),
    include_str!("en/export.toml"),
    include_str!("en/form.toml"),
    include_str!("en/search.toml"),
    include_str!("en/linkage.toml"),
    include_str!("en/activity.toml"),
    include_str!("en/sync.toml"),
    include_str!("en/help.toml"),
    include_str!("en/roster.toml"),
    include_str!("en/server.toml"),
    include_str!("en/venture.toml"),
    include_str!("en/incubation.toml"),
    include_str!("en/training.toml"),
    include_str!("en/lead.toml"),
    include_str!("en/center.toml"),
    include_str!("en/filing.toml"),
    include_str!("en/party.toml"),
];

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::Zh) };
}

/// Sets the language for this thread.
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
}

/// The language of this thread.
pub fn lang() -> Lang {
    LANG.with(|l| l.get())
}

type Table = HashMap<String, String>;

fn flatten(prefix: &str, v: &toml::Value, out: &mut Table) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

fn parse(files: &[&str]) -> Table {
    let mut out = Table::new();
    // The tables are part of the binary and tested; a parse failure is a
    // build defect, but even then we fall back to showing keys, not panicking.
    for src in files {
        if let Ok(t) = toml::from_str::<toml::Table>(src) {
            flatten("", &toml::Value::Table(t), &mut out);
        }
    }
    out
}

fn table(lang: Lang) -> &'static Table {
    static ZH_T: OnceLock<Table> = OnceLock::new();
    static EN_T: OnceLock<Table> = OnceLock::new();
    match lang {
        Lang::Zh => ZH_T.get_or_init(|| parse(ZH)),
        Lang::En => EN_T.get_or_init(|| parse(EN)),
    }
}

/// The string for `key` in this thread's language (the key itself if missing,
/// which the tests forbid).
pub fn t(key: &str) -> &str {
    t_in(lang(), key)
}

/// The string for `key` in `lang`.
pub fn t_in(lang: Lang, key: &str) -> &str {
    match table(lang).get(key) {
        Some(s) => s.as_str(),
        None => {
            // Keys are static in the code; return a leaked copy of the key so
            // the caller sees what is missing. Tests keep this from happening.
            Box::leak(key.to_string().into_boxed_str())
        }
    }
}

/// The string for `key` in `lang`, `None` when the table lacks it.
pub fn find_in(lang: Lang, key: &str) -> Option<&'static str> {
    table(lang).get(key).map(String::as_str)
}

/// The string for `key` with `{name}` placeholders filled.
pub fn tf(key: &str, args: &[(&str, &dyn Display)]) -> String {
    fill(t(key), args)
}

/// Fills `{name}` placeholders in a template.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// `tr!("key")` or `tr!("key", name = value, ...)`.
#[macro_export]
macro_rules! tr {
    ($key:expr) => {
        $crate::text::t($key).to_string()
    };
    ($key:expr, $($name:ident = $val:expr),+ $(,)?) => {
        $crate::text::tf($key, &[$((stringify!($name), &$val as &dyn ::std::fmt::Display)),+])
    };
}

/// The label of a field (`field.<key>`), e.g. `phone` -> 联系电话.
pub fn field_label(field: &str) -> String {
    // One indicator's score: `scores.staff` (model::evaluation_input).
    if let Some(indicator) = field.strip_prefix("scores.") {
        return tr!("field.score_of", key = indicator);
    }
    let key = format!("field.{field}");
    let s = t(&key);
    if s == key {
        field.to_string()
    } else {
        s.to_string()
    }
}

/// The message for a broken rule, in this thread's language.
pub fn rule_message(rule: &Rule) -> String {
    match rule {
        Rule::Required => tr!("rule.required"),
        Rule::TooLong { max } => tr!("rule.too_long", max = max),
        Rule::OneLine => tr!("rule.one_line"),
        Rule::Unprintable { found } => tr!("rule.unprintable", found = found),
        Rule::TooMany { max } => tr!("rule.too_many", max = max),
        Rule::CreditMalformed { detail } => tr!("rule.credit_malformed", detail = detail),
        Rule::CreditChecksum { pos, expected } => {
            tr!("rule.credit_checksum", pos = pos, expected = expected)
        }
        Rule::Phone => tr!("rule.phone"),
        Rule::Date => tr!("rule.date"),
        Rule::DateRange { min, max } => tr!("rule.date_range", min = min, max = max),
        Rule::Number { min, max } => tr!("rule.number", min = min, max = max),
        Rule::Tenths { max } => tr!("rule.tenths", max = max),
        Rule::OneOf { allowed } => tr!("rule.one_of", allowed = allowed),
        Rule::PlaceCode => tr!("rule.place_code"),
        Rule::UnknownPlace { code } => tr!("rule.unknown_place", code = code),
        Rule::UnknownPlaceName { text } => tr!("rule.unknown_place_name", text = text),
        Rule::PlaceLevel { expected } => {
            tr!("rule.place_level", expected = level_label(expected))
        }
        Rule::PlaceParent { expected } => {
            tr!("rule.place_parent", expected = level_label(expected))
        }
        Rule::DateOrder => tr!("rule.date_order"),
        Rule::Money { max } => tr!("rule.money", max = max),
        Rule::OrgCode => tr!("rule.org_code"),
        Rule::AgreementFormat => tr!("rule.agreement_format"),
        Rule::Other { message } => message.clone(),
    }
}

/// The label of a place level given by its key (`township` -> 乡镇街道).
fn level_label(key: &str) -> String {
    crate::model::PlaceLevel::parse(key)
        .map(|l| label(l).to_string())
        .unwrap_or_else(|| key.to_string())
}

/// "字段 联系电话: ..." for one error.
pub fn field_error(e: &FieldError) -> String {
    tr!(
        "rule.field",
        field = field_label(&e.field),
        message = rule_message(&e.rule)
    )
}

/// Every error, one per line.
pub fn validation_errors(e: &ValidationErrors) -> String {
    e.0.iter().map(field_error).collect::<Vec<_>>().join("\n")
}

/// `s` as it may be shown on a terminal: every character that must not reach
/// one as it is (control characters, escape sequences, direction overrides,
/// invisible format characters: `model::bounds::is_unsafe_char`) is written
/// visibly instead, `\n` `\r` `\t` as those two characters and any other as
/// `<U+001B>`. Borrows `s` when there is nothing to escape.
pub fn printable(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// [`printable`] that keeps line breaks: for messages of several lines.
pub fn printable_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, keep_lines: bool) -> Cow<'_, str> {
    let unsafe_at = |c: char| is_unsafe_char(c) && !(keep_lines && c == '\n');
    let Some(first) = s.find(unsafe_at) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if !unsafe_at(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => {
                out.push('<');
                out.push_str(&crate::model::bounds::char_code(c));
                out.push('>');
            }
        }
    }
    Cow::Owned(out)
}

/// The label of an enum value in this thread's language.
pub fn label<T: Labeled>(v: T) -> &'static str {
    v.label(lang())
}

/// Keys of every value of an enum, for "one of" messages: `community (社区社会组织), ...`.
pub fn allowed<T: Labeled>() -> String {
    crate::model::parse::allowed_in::<T>(lang())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            if let Some(j) = rest[i..].find('}') {
                out.insert(rest[i + 1..i + j].to_string());
                rest = &rest[i + j..];
            } else {
                break;
            }
        }
        out
    }

    #[test]
    fn tables_parse_and_match() {
        for (i, src) in ZH.iter().chain(EN.iter()).enumerate() {
            if let Err(e) = toml::from_str::<toml::Table>(src) {
                panic!("text file #{i}: {e}");
            }
        }
        let zh = table(Lang::Zh);
        let en = table(Lang::En);
        let zk: BTreeSet<_> = zh.keys().collect();
        let ek: BTreeSet<_> = en.keys().collect();
        let only_zh: Vec<_> = zk.difference(&ek).collect();
        let only_en: Vec<_> = ek.difference(&zk).collect();
        assert!(only_zh.is_empty(), "keys only in zh.toml: {only_zh:?}");
        assert!(only_en.is_empty(), "keys only in en.toml: {only_en:?}");
        for k in zk {
            assert_eq!(
                placeholders(&zh[k]),
                placeholders(&en[k]),
                "placeholders differ for {k}"
            );
        }
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_obey() {
        assert!(matches!(printable("望江门 ok"), Cow::Borrowed(_)));
        assert!(matches!(printable_lines("a\nb"), Cow::Borrowed(_)));
        assert_eq!(printable("a\x1b[2Jb"), "a<U+001B>[2Jb");
        assert_eq!(
            printable("\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07"),
            "<U+001B>]0;title<U+0007><U+001B>]52;c;ZXZpbA==<U+0007>"
        );
        assert_eq!(printable("\0\x7f\u{9b}2J"), "<U+0000><U+007F><U+009B>2J");
        assert_eq!(printable("abc\u{202E}fed"), "abc<U+202E>fed");
        assert_eq!(
            printable("\u{2066}x\u{2069}\u{200F}"),
            "<U+2066>x<U+2069><U+200F>"
        );
        assert_eq!(printable("a\nb\tc\r"), "a\\nb\\tc\\r");
        assert_eq!(printable_lines("a\nb\x1bc"), "a\nb<U+001B>c");
        assert_eq!(printable("😀\u{200D}🔥 社区"), "😀\u{200D}🔥 社区");
        for s in ["\x1b", "a\u{202E}", "\u{85}\u{2028}"] {
            let once = printable(s).into_owned();
            assert!(!once.chars().any(is_unsafe_char), "{once}");
            assert_eq!(
                printable(&once),
                once,
                "escaping twice changes nothing more"
            );
        }
    }

    #[test]
    fn rule_messages_in_both_languages() {
        set_lang(Lang::En);
        let e = FieldError::new(
            "credit_code",
            Rule::CreditChecksum {
                pos: 18,
                expected: 'K',
            },
        );
        let msg = field_error(&e);
        assert!(msg.contains("credit code"), "{msg}");
        assert!(msg.contains('K'), "{msg}");
        set_lang(Lang::Zh);
        let msg = field_error(&e);
        assert!(msg.contains("统一社会信用代码"), "{msg}");
        assert!(msg.contains('K'), "{msg}");
    }
}
