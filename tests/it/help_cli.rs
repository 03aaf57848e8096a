//! `--help` in the user's language, through the real binary: Chinese by
//! default and under `--lang zh` or `lang = "zh"` in config.toml, English
//! under `--lang en` or `lang = "en"`; about, arguments, subcommands and
//! clap's own words (headings, usage, defaults) come from the text tables.

use crate::cli_support::{text, Sanshe};

fn help(s: &Sanshe, args: &[&str]) -> String {
    let o = s.run(args);
    assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn help_is_chinese_by_default_and_english_under_lang_en() {
    let dir = tempfile::tempdir().unwrap();
    let zh = Sanshe::at(&dir.path().join("db"));
    let top = help(&zh, &["--help"]);
    for want in [
        "用法：sanshe",
        "命令:",
        "选项:",
        "社会组织",
        "数据库目录",
        "显示帮助",
    ] {
        assert!(top.contains(want), "{want}: {top}");
    }
    for english in [
        "Usage",
        "Commands:",
        "Options:",
        "Print help",
        "Social organizations",
    ] {
        assert!(!top.contains(english), "{english}: {top}");
    }
    // A subcommand: its arguments, a positional one, defaults and values.
    let list = help(&zh, &["org", "list", "-h"]);
    assert!(list.contains("按名称搜索"), "{list}");
    assert!(
        list.contains("（可选：table、json、csv）（默认：table）"),
        "{list}"
    );
    let edit = help(&zh, &["org", "edit", "--help"]);
    assert!(edit.contains("参数:") && edit.contains("<ID>"), "{edit}");
    assert!(edit.contains("清空这些字段"), "{edit}");
    assert_eq!(help(&zh.clone().lang("zh"), &["--help"]), top);
    // `help org` as `org --help`.
    assert_eq!(help(&zh, &["help", "org"]), help(&zh, &["org", "--help"]));

    let en = zh.clone().lang("en");
    let top = help(&en, &["--help"]);
    for want in [
        "Usage: sanshe",
        "Commands:",
        "Options:",
        "Social organizations",
    ] {
        assert!(top.contains(want), "{want}: {top}");
    }
    assert!(!top.contains("社会组织"), "{top}");
    let list = help(&en, &["org", "list", "-h"]);
    assert!(
        list.contains("[possible values: table, json, csv]"),
        "{list}"
    );
    // `--lang=en` after the command works too.
    assert_eq!(help(&zh, &["org", "list", "--lang=en", "-h"]), list);
}

#[test]
fn the_configured_language_decides_when_no_lang_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"en\"\n").unwrap();
    let s = Sanshe::at(&dir.path().join("db")).config(&config);
    let top = help(&s, &["--help"]);
    assert!(top.contains("Social organizations"), "{top}");
    // `--lang` still wins.
    let zh = help(&s.clone().lang("zh"), &["--help"]);
    assert!(zh.contains("社会组织"), "{zh}");
    std::fs::write(config.join("config.toml"), "lang = \"zh\"\n").unwrap();
    assert!(help(&s, &["--help"]).contains("社会组织"));
}

#[test]
fn mistakes_on_the_command_line_are_told_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    let o = s.run(&["org", "add", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("无法识别的选项「--bogus」"), "{err}");
    assert!(err.contains("用法：sanshe org add"), "{err}");
    assert!(!err.contains("error:") && !err.contains("Usage"), "{err}");
    let o = s.run(&["--lang", "en", "org", "add", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unknown option '--bogus'"));
}
