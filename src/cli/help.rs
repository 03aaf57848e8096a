//! `--help` in the user's language: the clap command tree of [`Cli`] with
//! every command's description and every argument's help taken from the
//! text tables (`help.toml` of each language; see its header for the
//! keys), clap's own words (headings, "Usage", defaults, possible values)
//! included. The language is read from the arguments (`--lang en`) before
//! clap parses them, else from the config file, else zh.

use std::ffi::OsString;

use clap::{Arg, Command, CommandFactory};

use super::args::Cli;
use crate::model::Lang;
use crate::text::find_in;

/// Where global arguments (`--db`, `--lang`, `--keymap`) come in the help of
/// a subcommand: after its own.
const GLOBAL_ORDER: usize = 1000;

/// The language of the help: `--lang X` / `--lang=X` on the command line
/// (before a `--`), else `config_lang`, else the default (zh).
pub fn lang_of(args: &[OsString], config_lang: impl FnOnce() -> Option<Lang>) -> Lang {
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next(),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        if let Some(l) = value.and_then(Lang::parse) {
            return l;
        }
    }
    config_lang().unwrap_or_default()
}

/// The command line's clap command with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    // Built first, so the generated `--help`, `--version`, the `help`
    // subcommand and the copies of global arguments are there to translate.
    cmd.build();
    let mut path = Vec::new();
    localize(cmd, &mut path, lang)
}

/// The text of `key` in `lang`, `None` if the table lacks it.
fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    find_in(lang, key)
}

/// The text of one of the fixed `help.*` keys in `lang` (the tests make
/// sure both tables have them).
fn t(lang: Lang, key: &str) -> &'static str {
    find_in(lang, key).unwrap_or("")
}

/// The path whose texts a command uses: clap's `help` subcommand (`org
/// help`) has its own, and the commands under it (`org help add`, which
/// name what to show help for) those of the commands they name.
fn canonical(path: &[String]) -> Vec<String> {
    if path.last().is_some_and(|p| p == "help") {
        return vec!["help".to_string()];
    }
    match path.iter().position(|p| p == "help") {
        Some(i) => path[..i].iter().chain(&path[i + 1..]).cloned().collect(),
        None => path.to_vec(),
    }
}

/// The help of argument `id` of the command at `path`: looked up from that
/// command up to the root.
pub fn arg_text(lang: Lang, path: &[String], id: &str) -> Option<&'static str> {
    let path = canonical(path);
    (0..=path.len()).rev().find_map(|n| {
        let mut key = String::from("help");
        for p in &path[..n] {
            key.push('.');
            key.push_str(p);
        }
        key.push_str(".arg.");
        key.push_str(id);
        lookup(lang, &key)
    })
}

/// The description of the command at `path`.
pub fn about_text(lang: Lang, path: &[String]) -> Option<&'static str> {
    let mut key = String::from("help");
    for p in canonical(path) {
        key.push('.');
        key.push_str(&p);
    }
    key.push_str(".about");
    lookup(lang, &key)
}

fn localize(mut cmd: Command, path: &mut Vec<String>, lang: Lang) -> Command {
    let t = |key: &str| t(lang, key);
    if let Some(about) = about_text(lang, path) {
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
        t("help.usage")
    );
    cmd = cmd
        .help_template(template)
        .subcommand_help_heading(t("help.commands"))
        .subcommand_value_name(t("help.command"));
    // clap's usage line, with its `[OPTIONS]` in `lang`.
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .split_once(": ")
        .map_or(usage.as_str(), |(_, u)| u)
        .replace("[OPTIONS]", &format!("[{}]", t("help.options_tag")));
    cmd = cmd.override_usage(usage);
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let text = arg_text(lang, path, &id);
        let sub = !path.is_empty();
        cmd = cmd.mut_arg(&id, |a| {
            // A subcommand's own arguments first, the global ones after.
            let a = if sub && a.is_global_set() {
                a.display_order(GLOBAL_ORDER)
            } else {
                a
            };
            localize_arg(a, text, lang)
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(&name, |c| {
            path.push(name.clone());
            let c = localize(c, path, lang);
            path.pop();
            c
        });
    }
    cmd
}

/// One argument: its help (when the table has it), its heading, and the
/// default, possible values and environment variable in `lang`.
fn localize_arg(mut a: Arg, text: Option<&'static str>, lang: Lang) -> Arg {
    let t = |key: &str| t(lang, key);
    let mut help = match text {
        Some(s) => s.to_string(),
        None => a.get_help().map(|h| h.to_string()).unwrap_or_default(),
    };
    let mut notes = Vec::new();
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    // Flags (`--dry-run`) have true/false as values: nothing to say.
    let takes_value = a.get_action().takes_values();
    if takes_value && !values.is_empty() && !a.is_hide_possible_values_set() {
        let sep = t("tui.form.list_sep");
        notes.push(crate::text::fill(
            t("help.values"),
            &[("values", &values.join(sep))],
        ));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_value && !defaults.is_empty() && !a.is_hide_default_value_set() {
        notes.push(crate::text::fill(
            t("help.default"),
            &[("value", &defaults.join(", "))],
        ));
    }
    if let Some(env) = a.get_env() {
        if !a.is_hide_env_set() {
            notes.push(crate::text::fill(
                t("help.env"),
                &[("name", &env.to_string_lossy())],
            ));
        }
    }
    for n in notes {
        // `（默认：…）` needs no space before it; `[default: …]` does.
        if !help.is_empty() && !n.starts_with('（') {
            help.push(' ');
        }
        help.push_str(&n);
    }
    let heading = if a.is_positional() {
        t("help.arguments")
    } else {
        t("help.options")
    };
    a = a
        .help(help)
        .long_help(None::<&str>)
        .hide_possible_values(true)
        .hide_default_value(true)
        .hide_env(true)
        .help_heading(heading);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(cmd: &Command, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
        out.push((path.clone(), None));
        for a in cmd.get_arguments() {
            out.push((path.clone(), Some(a.get_id().to_string())));
        }
        for s in cmd.get_subcommands() {
            path.push(s.get_name().to_string());
            walk(s, path, out);
            path.pop();
        }
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut all = Vec::new();
        walk(&cmd, &mut Vec::new(), &mut all);
        assert!(all.len() > 300, "{}", all.len());
        let mut missing = Vec::new();
        for lang in [Lang::Zh, Lang::En] {
            for (path, arg) in &all {
                let found = match arg {
                    None => about_text(lang, path).is_some(),
                    Some(id) => arg_text(lang, path, id).is_some(),
                };
                if !found {
                    missing.push(format!("{lang:?} {} {arg:?}", path.join(" ")));
                }
            }
        }
        assert!(missing.is_empty(), "add to help.toml: {missing:#?}");
    }

    #[test]
    fn the_language_comes_from_the_arguments_then_the_config() {
        let args = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        assert_eq!(
            lang_of(&args("sanshe --lang en org --help"), || None),
            Lang::En
        );
        assert_eq!(lang_of(&args("sanshe org --lang=en -h"), || None), Lang::En);
        assert_eq!(lang_of(&args("sanshe org -h"), || Some(Lang::En)), Lang::En);
        assert_eq!(lang_of(&args("sanshe org -h"), || None), Lang::Zh);
        assert_eq!(
            lang_of(&args("sanshe --lang zh -h"), || Some(Lang::En)),
            Lang::Zh
        );
        // A bad value, or one after `--`, is not taken.
        assert_eq!(lang_of(&args("sanshe --lang xx -h"), || None), Lang::Zh);
        assert_eq!(
            lang_of(&args("sanshe org add -- --lang en"), || None),
            Lang::Zh
        );
    }

    #[test]
    fn help_is_rendered_from_the_tables() {
        let mut zh = command(Lang::Zh);
        let text = zh.render_help().to_string();
        assert!(text.contains("用法："), "{text}");
        assert!(text.contains("命令:"), "{text}");
        assert!(text.contains("数据库目录"), "{text}");
        assert!(text.contains("社会组织"), "{text}");
        assert!(!text.contains("Print help"), "{text}");
        let mut en = command(Lang::En);
        let text = en.render_help().to_string();
        assert!(text.contains("Database directory"), "{text}");
        assert!(text.contains("Social organizations"), "{text}");
    }
}
