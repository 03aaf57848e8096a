//! The same typed text gives the same record, or the same error on the
//! same field, through the command line and through the app's forms: both
//! read it as the model's input type of the kind (`model::*_input`).
//! Needs, activities, evaluations and organizations, each with a value
//! taken (labels in Chinese, dates like `-1` and `11-3`, half points,
//! `10万元`, `1,200`) and values refused.

use crate::cli_support::{assert_refused, Place, Sanshe};
use chrono::{Duration, Local, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sanshe::model::credit_code::{self, CreditCheck};
use sanshe::model::{Activity, Evaluation, Lang, Need, Organization, Rubric, Rule};
use sanshe::text::{rule_message, set_lang};
use sanshe::tui::org_form::{form_to_org, new_org_form};
use sanshe::tui::panes::activities::quick;
use sanshe::tui::panes::evaluations::entry;
use sanshe::tui::panes::linkage::form::{form_to_need, need_form};
use sanshe::tui::widgets::Form;
use serde_json::Value;

const PLACES: [Place; 4] = [
    ("XH", "西湖区", "district", None),
    ("BS", "北山街道", "township", Some("XH")),
    ("BS-01", "宝石山社区", "community", Some("BS")),
    ("BS-01-01", "一网格", "grid", Some("BS-01")),
];

/// A scratch database with [`PLACES`] and one organization, in Chinese;
/// the organization's id.
fn scratch() -> (tempfile::TempDir, Sanshe, String) {
    set_lang(Lang::Zh);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let s = Sanshe::at(&dir.path().join("db"))
        .config(&config)
        .lang("zh");
    s.add_places(&PLACES);
    let org = s.id(&["org", "add", "--name", "银龄互助会", "--grid", "BS-01-01"]);
    (dir, s, org)
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn places() -> Vec<sanshe::model::Place> {
    PLACES
        .iter()
        .map(|(code, name, level, parent)| sanshe::model::Place {
            code: code.to_string(),
            name: name.to_string(),
            level: sanshe::model::Labeled::parse(level).unwrap(),
            parent: parent.map(str::to_string),
        })
        .collect()
}

/// Types `s` into field `key` (replacing what is there) as staff do.
fn type_into(f: &mut Form, key: &str, s: &str) {
    assert!(f.focus(key), "no field {key}");
    f.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    for c in s.chars() {
        f.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// Picks in field `key` the option found by typing `s`.
fn pick(f: &mut Form, key: &str, s: &str) {
    type_into(f, key, s);
    f.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
}

/// `args` with the value of `flag` replaced by `value`.
fn with<'a>(args: &[&'a str], flag: &str, value: &'a str) -> Vec<&'a str> {
    let mut out = args.to_vec();
    let i = out.iter().position(|a| *a == flag).expect("flag given");
    out[i + 1] = value;
    out
}

/// The message of a field's error in the form's errors.
fn message<'a>(errors: &'a [(String, String)], field: &str) -> &'a str {
    errors
        .iter()
        .find(|(k, _)| k == field)
        .map(|(_, m)| m.as_str())
        .unwrap_or_else(|| panic!("no error on {field}: {errors:?}"))
}

/// The record the command line stored (`show --format json`), as the
/// model reads it.
fn stored<T: serde::de::DeserializeOwned>(s: &Sanshe, args: &[&str]) -> T {
    let v: Value = s.json(args);
    serde_json::from_value(v).expect("a record")
}

#[test]
fn a_need_typed_on_the_command_line_or_in_the_form_is_the_same() {
    let (_dir, s, _) = scratch();
    // Today as `MM-DD` (this year's date), after `-1` (yesterday).
    let wanted = today().format("%m-%d").to_string();
    let args = [
        "need",
        "add",
        "--title",
        "独居老人助餐",
        "--grid",
        "BS-01-01",
        "--domain",
        "养老服务",
        "--urgency",
        "特急",
        "--target",
        "残疾人",
        "--people",
        "1,200",
        "--raised",
        "-1",
        "--wanted-by",
        &wanted,
        "--raised-by",
        "网格员",
    ];
    let id = s.id(&args);
    let cli: Need = stored(&s, &["need", "show", &id, "--format", "json"]);

    let mut f = need_form(&places(), None, today());
    type_into(&mut f, "title", "独居老人助餐");
    pick(&mut f, "grid", "BS-01-01");
    pick(&mut f, "domains", "养老服务");
    pick(&mut f, "urgency", "特急");
    pick(&mut f, "targets", "残疾人");
    type_into(&mut f, "people", "1,200");
    type_into(&mut f, "raised", "-1");
    type_into(&mut f, "wanted_by", &wanted);
    pick(&mut f, "raised_by", "网格员");
    let tui = form_to_need(&f, Need::default()).unwrap();
    assert_eq!(tui.wanted_by, Some(today()));
    assert_eq!(tui.people, Some(1200));
    assert_eq!(cli, tui);

    // Refused by both, on the same field, with the same rule.
    for (flag, field, value, rule) in [
        (
            "--people",
            "people",
            "-1",
            Rule::Number {
                min: 0,
                max: sanshe::model::need::PEOPLE_MAX,
            },
        ),
        ("--wanted-by", "wanted_by", "2-30", Rule::Date),
        ("--raised", "raised", "11-3-", Rule::Date),
    ] {
        let msg = rule_message(&rule);
        let bad = with(&args, flag, value);
        let out = s.run(&bad);
        let err = assert_refused(&bad, &out, &msg);
        let mut f = f.clone();
        type_into(&mut f, field, value);
        let errors = form_to_need(&f, Need::default()).unwrap_err();
        assert_eq!(message(&errors, field), msg, "{field}: {err}");
    }
}

#[test]
fn an_activity_typed_on_the_command_line_or_in_quick_entry_is_the_same() {
    let (_dir, s, org) = scratch();
    let args = [
        "activity",
        "add",
        "--org",
        &org,
        "--date",
        "-1",
        "--title",
        "重阳敬老",
        "--kind",
        "志愿服务",
        "--participants",
        "３０",
        "--hours",
        "7.5",
        "--grid",
        "BS-01",
        "--publish",
    ];
    let id = s.id(&args);
    let list: Value = s.json(&["activity", "list", "--format", "json"]);
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .expect("listed")
        .clone();
    let cli: Activity = serde_json::from_value(row).expect("an activity");

    let orgs = vec![(org.clone(), "银龄互助会".to_string())];
    let mut f = quick::new_form(&orgs, &places(), &quick::Memory::default(), today());
    pick(&mut f, quick::ORG, "银龄互助会");
    type_into(&mut f, quick::DATE, "-1");
    type_into(&mut f, quick::TITLE, "重阳敬老");
    pick(&mut f, quick::KIND, "志愿服务");
    type_into(&mut f, quick::PARTICIPANTS, "３０");
    type_into(&mut f, quick::HOURS, "7.5");
    pick(&mut f, quick::GRID, "BS-01 ");
    pick(&mut f, quick::PUBLISH, "是");
    let tui: Activity = quick::form_to_activity(&f).unwrap();
    assert_eq!(tui.volunteer_tenths, Some(75));
    assert_eq!(tui.participants, Some(30));
    assert_eq!(tui.date, today() - Duration::days(1));
    assert!(tui.publishable);
    assert_eq!(cli, tui);

    for (flag, field, value, rule) in [
        (
            "--hours",
            quick::HOURS,
            "1.25",
            Rule::Tenths { max: 100_000 },
        ),
        ("--hours", quick::HOURS, "-1", Rule::Tenths { max: 100_000 }),
        ("--date", quick::DATE, "11-31", Rule::Date),
        (
            "--participants",
            quick::PARTICIPANTS,
            "-5",
            Rule::Number {
                min: 0,
                max: 1_000_000,
            },
        ),
    ] {
        let msg = rule_message(&rule);
        let bad = with(&args, flag, value);
        let out = s.run(&bad);
        let err = assert_refused(&bad, &out, &msg);
        let mut f = f.clone();
        type_into(&mut f, field, value);
        let errors = quick::form_to_activity(&f).unwrap_err();
        assert_eq!(message(&errors, field), msg, "{field}: {err}");
    }
}

#[test]
fn half_points_are_taken_and_refused_alike_in_eval_add_and_score_entry() {
    let (_dir, s, org) = scratch();
    let rubric = Rubric::shipped();
    let indicators: Vec<_> = rubric.indicators().collect();
    let (first, second) = (indicators[0], indicators[1]);
    let points = |ind: &sanshe::model::rubric::Indicator, i: usize| {
        if i == 0 {
            format!("{}.5", ind.max - 1)
        } else {
            ind.max.to_string()
        }
    };
    let mut args: Vec<String> = ["eval", "add", "--org", &org, "--period", "2025上半年"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (i, ind) in indicators.iter().enumerate() {
        args.push("--score".into());
        args.push(format!("{}={}", ind.key, points(ind, i)));
    }
    args.extend(["--evaluator".into(), "李敏、王强".into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    s.id(&refs);
    let list: Value = s.json(&["eval", "list", "--org", &org, "--format", "json"]);
    let row = &list.as_array().unwrap()[0];

    let mut f = entry::new_form("银龄互助会", &rubric, today()).unwrap();
    type_into(&mut f, entry::PERIOD, "2025上半年");
    type_into(&mut f, entry::EVALUATOR, "李敏、王强");
    for (i, ind) in indicators.iter().enumerate() {
        type_into(&mut f, &format!("i{i}"), &points(ind, i));
    }
    let tui: Evaluation = entry::form_to_evaluation(&f, &org, &rubric).unwrap();
    assert_eq!(row["period"], tui.period.as_str());
    assert_eq!(tui.period, "2025H1");
    assert_eq!(tui.evaluators, ["李敏", "王强"]);
    for ind in &indicators {
        let cli = row["scores"][&ind.key]["points"].as_f64().unwrap();
        assert_eq!(
            cli,
            f64::from(tui.scores[&ind.key].tenths) / 10.0,
            "{}",
            ind.key
        );
    }
    assert_eq!(tui.scores[&first.key].tenths, (first.max - 1) * 10 + 5);

    // Half a point above the maximum, two decimals: refused by both, on
    // that indicator, with the same rule.
    for value in [format!("{}.5", second.max), "0.25".to_string()] {
        let msg = rule_message(&Rule::Tenths {
            max: i64::from(second.max),
        });
        let bad = [
            "eval",
            "add",
            "--org",
            &org,
            "--period",
            "2025",
            "--score",
            &format!("{}={value}", second.key),
        ];
        let out = s.run(&bad);
        let err = assert_refused(&bad, &out, &msg);
        assert!(err.contains(&second.key), "{err}");
        let mut f = f.clone();
        type_into(&mut f, "i1", &value);
        let errors = entry::form_to_evaluation(&f, &org, &rubric).unwrap_err();
        assert_eq!(message(&errors, "i1"), msg, "{err}");
    }
    // A period that is none, alike.
    let msg = rule_message(&Rule::OneOf {
        allowed: "2026, 2026H1, 2026H2".into(),
    });
    let bad = [
        "eval", "add", "--org", &org, "--period", "2025Q1", "--score", "staff=1",
    ];
    let out = s.run(&bad);
    assert_refused(&bad, &out, &msg);
    let mut f = f.clone();
    type_into(&mut f, entry::PERIOD, "2025Q1");
    let errors = entry::form_to_evaluation(&f, &org, &rubric).unwrap_err();
    assert_eq!(message(&errors, entry::PERIOD), msg);
}

#[test]
fn an_organization_typed_in_org_add_or_in_the_form_is_the_same() {
    let (_dir, s, _) = scratch();
    let args = [
        "org",
        "add",
        "--name",
        "宝石山银发志愿队",
        "--type",
        "社会团体",
        "--grid",
        "BS-01-01",
        "--state",
        "已登记",
        "--code",
        "53100000500021676K",
        "--phone",
        "0571 8765 4321",
        "--domain",
        "养老服务",
        "--domain",
        "志愿服务",
        "--founded",
        "-1",
        "--party",
        "联合组建",
        "--members",
        "1,200",
        "--volunteers",
        "１２０",
        "--capital",
        "10万元",
        "--valid-until",
        "2029年6月9日",
        "--tag",
        "助老",
        "--tag",
        "示范",
    ];
    let id = s.id(&args);
    let cli: Organization = stored(&s, &["org", "show", &id, "--format", "json"]);

    let mut f = new_org_form(&places(), None);
    f.set_today(today());
    type_into(&mut f, "name", "宝石山银发志愿队");
    pick(&mut f, "type", "社会团体");
    pick(&mut f, "grid", "BS-01-01");
    pick(&mut f, "state", "已登记");
    type_into(&mut f, "credit_code", "53100000500021676K");
    type_into(&mut f, "phone", "0571 8765 4321");
    pick(&mut f, "domains", "养老服务");
    pick(&mut f, "domains", "志愿服务");
    type_into(&mut f, "founded", "-1");
    pick(&mut f, "party", "联合组建");
    type_into(&mut f, "members", "1,200");
    type_into(&mut f, "volunteers", "１２０");
    type_into(&mut f, "capital", "10万元");
    type_into(&mut f, "valid_until", "2029年6月9日");
    type_into(&mut f, "tags", "助老、示范");
    let tui = form_to_org(&f, Organization::default(), today()).unwrap();
    assert_eq!(tui.members, Some(1200));
    assert_eq!(tui.capital_fen, Some(10_000_000));
    assert_eq!(tui.founded, Some(today() - Duration::days(1)));
    assert_eq!(tui.domains.len(), 2);
    assert_eq!(cli, tui);

    // Refused by both, on the same field, with the same rule.
    let bad_code = "53100000500021676A";
    let CreditCheck::ChecksumMismatch { pos, expected } = credit_code::check(bad_code) else {
        panic!("{bad_code} has a wrong check character");
    };
    for (flag, field, value, rule) in [
        (
            "--capital",
            "capital",
            "十万",
            Rule::Money {
                max: sanshe::model::money::format(sanshe::model::money::MAX_FEN),
            },
        ),
        ("--founded", "founded", "2-30", Rule::Date),
        ("--phone", "phone", "0571-8765", Rule::Phone),
        (
            "--members",
            "members",
            "-1",
            Rule::Number {
                min: 0,
                max: sanshe::model::org::COUNT_MAX,
            },
        ),
        (
            "--code",
            "credit_code",
            bad_code,
            Rule::CreditChecksum { pos, expected },
        ),
    ] {
        let msg = rule_message(&rule);
        let bad = with(&args, flag, value);
        let out = s.run(&bad);
        let err = assert_refused(&bad, &out, &msg);
        let mut f = f.clone();
        type_into(&mut f, field, value);
        let errors = form_to_org(&f, Organization::default(), today()).unwrap_err();
        assert_eq!(message(&errors, field), msg, "{field}: {err}");
    }
}
