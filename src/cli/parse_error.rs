//! A mistake on the command line (an unknown option or command, a missing
//! or refused value) told in the user's language, with clap's usage line
//! and suggestion. clap words its errors in English only; this reads the
//! error's kind and context (which argument, which value, what was
//! expected) and words them from the `[cli.parse]` text table. A kind not
//! worded here keeps clap's own text.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::tr;

/// The message for `e` (an error that goes to stderr), in the current
/// language.
pub fn message(e: &clap::Error) -> String {
    let Some(what) = what_went_wrong(e) else {
        return e.render().to_string().trim_end().to_string();
    };
    let mut out = tr!("cli.parse.error", what = what);
    for (kind, key) in [
        (ContextKind::SuggestedSubcommand, "cli.parse.did_you_mean"),
        (ContextKind::SuggestedArg, "cli.parse.did_you_mean"),
        (ContextKind::SuggestedValue, "cli.parse.did_you_mean"),
    ] {
        if let Some(v) = e.get(kind) {
            out.push('\n');
            out.push_str(&tr!(key, value = list(v)));
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let line = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
        out.push_str("\n\n");
        out.push_str(&tr!("help.usage"));
        out.push_str(line);
    }
    out.push_str("\n\n");
    out.push_str(&tr!("cli.parse.try_help"));
    out
}

/// The first line's words, or `None` for a kind left to clap.
fn what_went_wrong(e: &clap::Error) -> Option<String> {
    let arg = || e.get(ContextKind::InvalidArg).map(list).unwrap_or_default();
    let value = || {
        e.get(ContextKind::InvalidValue)
            .map(list)
            .unwrap_or_default()
    };
    Some(match e.kind() {
        ErrorKind::UnknownArgument => tr!("cli.parse.unknown_argument", arg = arg()),
        ErrorKind::InvalidSubcommand => tr!(
            "cli.parse.unknown_command",
            command = e.get(ContextKind::InvalidSubcommand).map(list)?
        ),
        ErrorKind::InvalidValue if value().is_empty() => {
            tr!("cli.parse.value_required", arg = arg())
        }
        ErrorKind::InvalidValue => {
            let mut s = tr!("cli.parse.invalid_value", arg = arg(), value = value());
            if let Some(v) = e.get(ContextKind::ValidValue) {
                s.push_str(&tr!("cli.parse.possible", values = list(v)));
            }
            s
        }
        ErrorKind::ValueValidation => {
            let mut s = tr!("cli.parse.invalid_value", arg = arg(), value = value());
            if let Some(why) = std::error::Error::source(e) {
                s.push_str(&format!(": {why}"));
            }
            s
        }
        ErrorKind::MissingRequiredArgument => tr!("cli.parse.missing", args = arg()),
        ErrorKind::MissingSubcommand => tr!(
            "cli.parse.missing_command",
            command = e.get(ContextKind::InvalidSubcommand).map(list)?,
            commands = e
                .get(ContextKind::ValidSubcommand)
                .map(list)
                .unwrap_or_default()
        ),
        ErrorKind::ArgumentConflict => {
            let prior = e.get(ContextKind::PriorArg).map(list).unwrap_or_default();
            if prior.is_empty() || prior == arg() {
                tr!("cli.parse.repeated", arg = arg())
            } else {
                tr!("cli.parse.conflict", arg = arg(), other = prior)
            }
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            tr!("cli.parse.value_count", arg = arg())
        }
        ErrorKind::InvalidUtf8 => tr!("cli.parse.not_utf8"),
        _ => return None,
    })
}

/// A context value as text: a list joined by the language's separator.
fn list(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join(&tr!("cli.parse.separator")),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(&tr!("cli.parse.separator")),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    fn error_of(args: &[&str], lang: Lang) -> String {
        crate::text::set_lang(lang);
        let e = super::super::help::command(lang)
            .try_get_matches_from(args)
            .expect_err("a mistake");
        message(&e)
    }

    #[test]
    fn mistakes_are_told_in_chinese() {
        let m = error_of(&["sanshe", "org", "add", "--bogus"], Lang::Zh);
        assert!(m.starts_with("错误：无法识别的选项「--bogus」"), "{m}");
        assert!(m.contains("用法：sanshe org add"), "{m}");
        assert!(!m.contains("Usage") && !m.contains("error:"), "{m}");
        let m = error_of(&["sanshe", "orgg"], Lang::Zh);
        assert!(m.contains("没有「orgg」这个命令"), "{m}");
        assert!(m.contains("是不是要用：log、org"), "{m}");
        let m = error_of(&["sanshe", "org", "list", "--format", "pdf"], Lang::Zh);
        assert!(m.contains("「--format <FORMAT>」的值「pdf」不对"), "{m}");
        assert!(m.contains("table"), "{m}");
        let m = error_of(&["sanshe", "org", "list", "--format"], Lang::Zh);
        assert!(m.contains("需要一个值"), "{m}");
    }

    #[test]
    fn mistakes_are_told_in_english() {
        let m = error_of(&["sanshe", "org", "add", "--bogus"], Lang::En);
        assert!(m.starts_with("error: unknown option '--bogus'"), "{m}");
        assert!(m.contains("Usage: sanshe org add"), "{m}");
    }
}
