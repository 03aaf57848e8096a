//! The organization form: the fields in quick-entry order, and the mapping
//! from the form back onto an `Organization`, read as an `OrgInput` so the
//! form accepts what `sanshe org add|edit` and the spreadsheet import do.
//!
//! Field keys equal the JSON field names of `Organization` (`name`, `type`,
//! `grid`, `credit_code`...), so errors from the model and the store land on
//! the right field.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::bounds::SCOPE_MAX;
use crate::model::org::{COUNT_MAX, NAME_MAX, NOTES_MAX, TEXT_MAX};
use crate::model::{
    credit_code, money, org_input, Domain, Labeled, OrgInput, OrgType, Organization, Party, Place,
    PlaceLevel, RegState, Rule,
};
use crate::text::{field_label, label, rule_message};
use crate::tui::widgets::{Choice, FieldKind, FieldSpec, FieldValue, Form};

/// Characters the tags field holds (each tag is checked by the model).
const TAGS_MAX: usize = 400;

/// Separators accepted between tags.
const TAG_SEPARATORS: &[char] = &[',', '，', '、', ';', '；'];

fn choices<T: Labeled>() -> Vec<Choice> {
    T::ALL
        .iter()
        .map(|&v| Choice::new(v.key(), label(v)))
        .collect()
}

/// Options of the place picker: communities and grid cells, by code, a grid
/// labelled with its community (`宝石社区 / 宝石一网格 (BSJ-01-01)`).
pub fn place_choices(places: &[Place]) -> Vec<Choice> {
    let by_code: HashMap<&str, &Place> = places.iter().map(|p| (p.code.as_str(), p)).collect();
    let mut out: Vec<&Place> = places
        .iter()
        .filter(|p| matches!(p.level, PlaceLevel::Community | PlaceLevel::Grid))
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out.into_iter()
        .map(|p| {
            let parent = p
                .parent
                .as_deref()
                .and_then(|c| by_code.get(c))
                .filter(|_| p.level == PlaceLevel::Grid);
            let text = match parent {
                Some(c) => format!("{} / {} ({})", c.name, p.name, p.code),
                None => format!("{} ({})", p.name, p.code),
            };
            Choice::new(p.code.clone(), text)
        })
        .collect()
}

fn spec(key: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec::new(key, field_label(key), kind)
}

fn text(max: usize) -> FieldKind {
    FieldKind::Text { max }
}

/// A yes/no choice (直接登记).
fn yes_no() -> FieldKind {
    FieldKind::Choice {
        options: vec![
            Choice::new("no", crate::tr!("interchange.no")),
            Choice::new("yes", crate::tr!("interchange.yes")),
        ],
    }
}

fn yes_no_key(v: bool) -> &'static str {
    if v {
        "yes"
    } else {
        "no"
    }
}

fn count() -> FieldKind {
    FieldKind::Number {
        min: 0,
        max: COUNT_MAX,
    }
}

/// The form to add an organization (`org` = `None`: cursor in the name,
/// type 社区社会组织) or to edit one.
pub fn new_org_form(places: &[Place], org: Option<&Organization>) -> Form {
    let fields = vec![
        spec("name", text(NAME_MAX)).with_required(true),
        spec(
            "type",
            FieldKind::Choice {
                options: choices::<OrgType>(),
            },
        )
        .with_required(true),
        spec(
            "grid",
            FieldKind::Place {
                options: place_choices(places),
            },
        )
        .with_hint(crate::tr!("tui.form.place_hint")),
        spec(
            "state",
            FieldKind::Choice {
                options: choices::<RegState>(),
            },
        ),
        spec("credit_code", FieldKind::CreditCode),
        spec("filing_number", text(TEXT_MAX)),
        spec("contact", text(TEXT_MAX)),
        spec("phone", FieldKind::Phone).with_hint(crate::tr!("tui.form.phone_hint")),
        spec(
            "domains",
            FieldKind::Multi {
                options: choices::<Domain>(),
            },
        )
        .with_hint(crate::tr!("tui.form.multi_hint")),
        spec("founded", FieldKind::Date).with_hint(crate::tr!("tui.form.date_hint")),
        spec(
            "party",
            FieldKind::Choice {
                options: choices::<Party>(),
            },
        ),
        spec("party_members", count()),
        spec("members", count()),
        spec("volunteers", count()),
        spec("address", text(TEXT_MAX)),
        spec("registering_authority", text(TEXT_MAX)),
        spec("supervising_unit", text(TEXT_MAX)),
        spec("tags", text(TAGS_MAX)).with_hint(crate::tr!("tui.form.tags_hint")),
        spec("notes", text(NOTES_MAX)),
        // What registration rosters carry, after the fields of every day.
        spec("direct_registration", yes_no()),
        spec("legal_representative", text(NAME_MAX)),
        spec("registration_number", text(64)),
        spec("capital", text(32)).with_hint(crate::tr!("tui.form.capital_hint")),
        spec("business_scope", text(SCOPE_MAX)),
        spec("valid_from", FieldKind::Date).with_hint(crate::tr!("tui.form.date_hint")),
        spec("valid_until", FieldKind::Date).with_hint(crate::tr!("tui.form.date_hint")),
        spec("organization_code", text(12)),
    ];
    let title = match org {
        Some(o) => crate::tr!("tui.form.edit_title", name = o.name),
        None => crate::tr!("tui.form.add_title"),
    };
    let mut form = Form::new(title, fields);
    let default = Organization::default();
    let o = org.unwrap_or(&default);
    let opt_text = |v: &Option<String>| FieldValue::Text(v.clone().unwrap_or_default());
    let num = |v: Option<u32>| FieldValue::Number(v.map(i64::from));
    let values = [
        ("name", FieldValue::Text(o.name.clone())),
        ("type", FieldValue::Choice(Some(o.kind.key().to_string()))),
        ("grid", FieldValue::Choice(o.grid.clone())),
        ("state", FieldValue::Choice(Some(o.state.key().to_string()))),
        ("credit_code", opt_text(&o.credit_code)),
        ("filing_number", opt_text(&o.filing_number)),
        ("contact", opt_text(&o.contact)),
        ("phone", opt_text(&o.phone)),
        (
            "domains",
            FieldValue::Multi(o.domains.iter().map(|d| d.key().to_string()).collect()),
        ),
        ("founded", FieldValue::Date(o.founded)),
        ("party", FieldValue::Choice(Some(o.party.key().to_string()))),
        ("party_members", num(o.party_members)),
        ("members", num(o.members)),
        ("volunteers", num(o.volunteers)),
        ("address", opt_text(&o.address)),
        ("registering_authority", opt_text(&o.registering_authority)),
        ("supervising_unit", opt_text(&o.supervising_unit)),
        (
            "direct_registration",
            FieldValue::Choice(Some(yes_no_key(o.is_direct()).to_string())),
        ),
        ("legal_representative", opt_text(&o.legal_representative)),
        ("registration_number", opt_text(&o.registration_number)),
        (
            "capital",
            FieldValue::Text(o.capital_fen.map(money::format).unwrap_or_default()),
        ),
        ("business_scope", opt_text(&o.business_scope)),
        ("valid_from", FieldValue::Date(o.valid_from)),
        ("valid_until", FieldValue::Date(o.valid_until)),
        ("organization_code", opt_text(&o.organization_code)),
        ("tags", FieldValue::Text(o.tags.join(", "))),
        ("notes", opt_text(&o.notes)),
    ];
    for (key, value) in values {
        form.set_value(key, value);
    }
    form
}

/// Splits the tags field: commas (ASCII or Chinese), `、` or semicolons.
pub fn split_tags(s: &str) -> Vec<String> {
    s.split(TAG_SEPARATORS)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text of field `key` as typed (dates and numbers too).
fn typed(form: &Form, key: &str) -> Option<String> {
    form.text(key).map(str::to_string)
}

/// The key picked in a choice or place field, if any.
fn picked(form: &Form, key: &str) -> Option<String> {
    match form.value(key) {
        Some(FieldValue::Choice(k)) => k.clone(),
        _ => None,
    }
}

/// The keys picked in a multi-choice field.
fn picked_all(form: &Form, key: &str) -> Vec<String> {
    match form.value(key) {
        Some(FieldValue::Multi(v)) => v.clone(),
        _ => Vec::new(),
    }
}

/// The form read as an [`OrgInput`]: text fields as typed, pickers as the
/// keys picked, domains and tags replacing those of the organization. A
/// credit code accepted with a wrong check character (`--accept-bad-checksum`)
/// stays accepted while it is unchanged.
fn form_input(form: &Form, base: &Organization) -> OrgInput {
    let code = typed(form, "credit_code");
    let unchanged = base.credit_code.as_deref().map(credit_code::normalize)
        == code.as_deref().map(credit_code::normalize);
    OrgInput {
        name: typed(form, "name"),
        kind: picked(form, "type"),
        grid: Some(picked(form, "grid").unwrap_or_default()),
        state: picked(form, "state"),
        credit_code: code,
        accept_bad_checksum: base.credit_code_unchecked && unchanged,
        filing_number: typed(form, "filing_number"),
        contact: typed(form, "contact"),
        phone: typed(form, "phone"),
        domains: picked_all(form, "domains"),
        founded: typed(form, "founded"),
        party: picked(form, "party"),
        party_members: typed(form, "party_members"),
        members: typed(form, "members"),
        volunteers: typed(form, "volunteers"),
        address: typed(form, "address"),
        registering_authority: typed(form, "registering_authority"),
        supervising_unit: typed(form, "supervising_unit"),
        tags: form.text("tags").map(split_tags).unwrap_or_default(),
        replace_lists: true,
        notes: typed(form, "notes"),
        // The supervising unit (always read) already sets or clears direct
        // registration, `直接登记` setting it as on the command line; only
        // yes adds to it.
        direct_registration: picked(form, "direct_registration").filter(|k| k == "yes"),
        legal_representative: typed(form, "legal_representative"),
        registration_number: typed(form, "registration_number"),
        capital: typed(form, "capital"),
        business_scope: typed(form, "business_scope"),
        valid_from: typed(form, "valid_from"),
        valid_until: typed(form, "valid_until"),
        organization_code: typed(form, "organization_code"),
        ..OrgInput::default()
    }
}

/// Applies the form onto `base` (fields the form does not show, such as
/// inspections and the rating, are kept) by the rules of `sanshe org
/// add|edit` ([`org_input::apply`]), relative dates against `today`.
/// Errors are `(field key, message in the user's language)`: the form's
/// own checks (required fields, lengths) first, then the input's rules on
/// fields without an error yet.
pub fn form_to_org(
    form: &Form,
    base: Organization,
    today: NaiveDate,
) -> Result<Organization, Vec<(String, String)>> {
    let input = form_input(form, &base);
    let mut org = base;
    let applied = org_input::apply(&input, &mut org, today, crate::text::lang());
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut push = |field: &str, rule: &Rule| {
        if !errors.iter().any(|(f, _)| f == field) {
            errors.push((field.to_string(), rule_message(rule)));
        }
    };
    for (key, rule) in form.check(today) {
        // A wrong check character is the input's call (see `form_input`).
        if !matches!(rule, Rule::CreditChecksum { .. }) {
            push(key, &rule);
        }
    }
    if let Err(e) = applied {
        for fe in e.0 {
            push(&fe.field, &fe.rule);
        }
    }
    if errors.is_empty() {
        Ok(org)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Inspection, InspectionResult, Lang, Rating, RatingLevel};
    use crate::tui::theme::Theme;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::buffer::Buffer;
    use ratatui::layout::{Position, Rect};
    use ratatui::widgets::{Block, Widget};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        day(2026, 11, 28)
    }

    fn place(code: &str, name: &str, level: PlaceLevel, parent: Option<&str>) -> Place {
        Place {
            code: code.into(),
            name: name.into(),
            level,
            parent: parent.map(str::to_string),
        }
    }

    fn places() -> Vec<Place> {
        vec![
            place("SC", "上城区", PlaceLevel::District, None),
            place("BSJ", "宝石街道", PlaceLevel::Township, Some("SC")),
            place("BSJ-02", "望江门社区", PlaceLevel::Community, Some("BSJ")),
            place("BSJ-01", "宝石社区", PlaceLevel::Community, Some("BSJ")),
            place("BSJ-01-02", "宝石二网格", PlaceLevel::Grid, Some("BSJ-01")),
            place("BSJ-01-01", "宝石一网格", PlaceLevel::Grid, Some("BSJ-01")),
            place(
                "BSJ-02-01",
                "望江门一网格",
                PlaceLevel::Grid,
                Some("BSJ-02"),
            ),
        ]
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_str(form: &mut Form, s: &str) {
        for c in s.chars() {
            form.handle_key(key(KeyCode::Char(c)));
        }
    }

    fn full_org() -> Organization {
        let mut o = Organization::new("望江门社区银龄互助会", OrgType::SocialGroup);
        o.credit_code = Some("53100000500021676K".into());
        o.state = RegState::Registered;
        o.filing_number = Some("SC-BA-2021-017".into());
        o.registering_authority = Some("上城区民政局".into());
        o.supervising_unit = Some("望江街道办事处".into());
        o.contact = Some("陈秀英".into());
        o.phone = Some("0571-87654321".into());
        o.address = Some("上城区望江门外直街 58 号".into());
        o.grid = Some("BSJ-02-01".into());
        o.domains = vec![Domain::Elderly, Domain::Volunteer];
        o.founded = Some(day(2019, 3, 12));
        o.members = Some(46);
        o.staff = Some(3);
        o.volunteers = Some(120);
        o.party = Party::Joint;
        o.party_members = Some(9);
        o.inspections.insert(
            2025,
            Inspection {
                result: InspectionResult::Pass,
                submitted: Some(day(2026, 5, 20)),
                rectify_due: None,
            },
        );
        o.rating = Some(Rating {
            level: RatingLevel::A4,
            expires: Some(day(2029, 12, 31)),
        });
        o.tags = vec!["助老".into(), "示范".into()];
        o.notes = Some("每周三上午助餐服务".into());
        o.normalize();
        o
    }

    #[test]
    fn add_form_defaults() {
        crate::text::set_lang(Lang::Zh);
        let form = new_org_form(&places(), None);
        assert_eq!(form.focused_key(), "name");
        assert_eq!(form.title(), "新增组织");
        assert_eq!(
            form.value("type"),
            Some(&FieldValue::Choice(Some("community".into())))
        );
        assert!(!form.is_dirty());
        let keys: Vec<_> = form.keys().collect();
        assert_eq!(keys[..4], ["name", "type", "grid", "state"]);
        assert_eq!(keys.len(), 27);
    }

    #[test]
    fn place_labels() {
        let c = place_choices(&places());
        let labels: Vec<_> = c.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            vec![
                "宝石社区 (BSJ-01)",
                "宝石社区 / 宝石一网格 (BSJ-01-01)",
                "宝石社区 / 宝石二网格 (BSJ-01-02)",
                "望江门社区 (BSJ-02)",
                "望江门社区 / 望江门一网格 (BSJ-02-01)",
            ]
        );
    }

    #[test]
    fn quick_add() {
        crate::text::set_lang(Lang::Zh);
        let mut form = new_org_form(&places(), None);
        type_str(&mut form, "湖滨晴雨志愿队");
        form.focus_next(); // type: keep the default
        form.focus_next();
        type_str(&mut form, "wjmy");
        form.focus_next(); // Tab takes the highlighted place
        assert_eq!(
            form.value("grid"),
            Some(&FieldValue::Choice(Some("BSJ-02-01".into())))
        );
        form.focus("domains");
        type_str(&mut form, "zyfw");
        form.handle_key(key(KeyCode::Enter));
        form.focus("founded");
        type_str(&mut form, "-1");
        form.focus("tags");
        type_str(&mut form, "志愿，湖滨、 晴雨");
        let org = form_to_org(&form, Organization::default(), today()).unwrap();
        assert_eq!(org.name, "湖滨晴雨志愿队");
        assert_eq!(org.kind, OrgType::Community);
        assert_eq!(org.state, RegState::Filed);
        assert_eq!(org.grid.as_deref(), Some("BSJ-02-01"));
        assert_eq!(org.domains, vec![Domain::Volunteer]);
        assert_eq!(org.founded, Some(day(2026, 11, 27)));
        assert_eq!(org.tags, vec!["志愿", "晴雨", "湖滨"]);
        assert_eq!(org.credit_code, None);
    }

    #[test]
    fn round_trip_keeps_unshown_fields() {
        crate::text::set_lang(Lang::Zh);
        let base = full_org();
        let form = new_org_form(&places(), Some(&base));
        assert_eq!(form.title(), "编辑：望江门社区银龄互助会");
        let back = form_to_org(&form, base.clone(), today()).unwrap();
        assert_eq!(back, base);
        // An edit changes only what was edited.
        let mut form = new_org_form(&places(), Some(&base));
        form.focus("members");
        form.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_str(&mut form, "50");
        let edited = form_to_org(&form, base.clone(), today()).unwrap();
        assert_eq!(edited.members, Some(50));
        assert_eq!(edited.rating, base.rating);
        assert_eq!(edited.inspections, base.inspections);
        assert_eq!(edited.staff, Some(3));
    }

    #[test]
    fn roster_fields_are_edited_in_the_form() {
        crate::text::set_lang(Lang::Zh);
        let mut base = full_org();
        base.capital_fen = Some(10_500_000);
        base.capital_kind = Some(crate::model::CapitalKind::Registered);
        base.legal_representative = Some("王芳".into());
        base.valid_until = Some(day(2029, 6, 9));
        let form = new_org_form(&places(), Some(&base));
        assert_eq!(form.text("capital"), Some("10.5万元"));
        assert_eq!(form_to_org(&form, base.clone(), today()).unwrap(), base);
        let mut form = new_org_form(&places(), Some(&base));
        form.focus("capital");
        form.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_str(&mut form, "3.2");
        form.focus("registration_number");
        type_str(&mut form, "浙西民证字第0106号");
        let edited = form_to_org(&form, base.clone(), today()).unwrap();
        assert_eq!(edited.capital_fen, Some(3_200_000));
        assert_eq!(
            edited.registration_number.as_deref(),
            Some("浙西民证字第0106号")
        );
        let mut form = new_org_form(&places(), Some(&base));
        form.focus("capital");
        form.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_str(&mut form, "十万");
        let errs = form_to_org(&form, base, today()).unwrap_err();
        assert!(errs.iter().any(|(f, _)| f == "capital"), "{errs:?}");
    }

    #[test]
    fn errors_name_fields_in_the_users_language() {
        crate::text::set_lang(Lang::Zh);
        let mut form = new_org_form(&places(), None);
        form.focus("credit_code");
        type_str(&mut form, "53100000500021676A");
        form.focus("phone");
        type_str(&mut form, "12345");
        form.focus("members");
        type_str(&mut form, "abc");
        let errs = form_to_org(&form, Organization::default(), today()).unwrap_err();
        let get = |k: &str| {
            errs.iter()
                .find(|(f, _)| f == k)
                .map(|(_, m)| m.clone())
                .unwrap_or_default()
        };
        assert_eq!(get("name"), rule_message(&Rule::Required));
        assert!(get("credit_code").contains('K'), "{errs:?}");
        assert_eq!(get("phone"), rule_message(&Rule::Phone));
        assert!(get("members").contains("10000000"), "{errs:?}");
        // One message per field.
        assert_eq!(errs.iter().filter(|(f, _)| f == "name").count(), 1);
        // The caller puts them on the form.
        for (k, m) in errs {
            form.set_error(&k, m);
        }
        assert!(form.focus_first_error());
        assert_eq!(form.focused_key(), "name");
    }

    #[test]
    fn lists_are_replaced_and_direct_registration_read_as_the_cli_reads_it() {
        crate::text::set_lang(Lang::Zh);
        let base = full_org();
        let mut form = new_org_form(&places(), Some(&base));
        form.set_value("domains", FieldValue::Multi(vec!["elderly".into()]));
        form.set_value("tags", FieldValue::Text("助老".into()));
        form.set_value("supervising_unit", FieldValue::Text("直接登记".into()));
        let edited = form_to_org(&form, base.clone(), today()).unwrap();
        assert_eq!(edited.domains, [Domain::Elderly]);
        assert_eq!(edited.tags, ["助老"]);
        assert!(edited.is_direct() && edited.supervising_unit.is_none());
        // Emptied fields are emptied; yes with a unit typed drops the unit.
        let mut form = new_org_form(&places(), Some(&base));
        for (key, empty) in [
            ("phone", FieldValue::Text(String::new())),
            ("credit_code", FieldValue::Text(String::new())),
            ("founded", FieldValue::Date(None)),
            ("members", FieldValue::Number(None)),
        ] {
            assert!(form.set_value(key, empty), "{key}");
            assert_eq!(form.text(key), Some(""));
        }
        form.set_value(
            "direct_registration",
            FieldValue::Choice(Some("yes".into())),
        );
        let edited = form_to_org(&form, base, today()).unwrap();
        assert!(edited.is_direct() && edited.supervising_unit.is_none());
        assert_eq!((edited.phone, edited.founded), (None, None));
        assert_eq!((edited.members, edited.credit_code), (None, None));
    }

    #[test]
    fn unchecked_code_stays_accepted_only_while_unchanged() {
        let mut base = full_org();
        base.credit_code = Some("53100000500021676A".into());
        base.credit_code_unchecked = true;
        let form = new_org_form(&places(), Some(&base));
        assert!(form_to_org(&form, base.clone(), today()).is_ok());
        let mut form = new_org_form(&places(), Some(&base));
        form.set_value("credit_code", FieldValue::Text("91512081MA62K0260F".into()));
        assert!(form_to_org(&form, base, today()).is_err());
    }

    /// The form as the popup shows it: a frame with the title, the form inside.
    fn screen(form: &Form, w: u16, h: u16) -> (Vec<String>, Option<Position>) {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        let block = Block::bordered().title(form.title().to_string());
        let inner = block.inner(area);
        block.render(area, &mut buf);
        let pos = form.render(inner, &mut buf, &Theme::monochrome());
        let mut lines = Vec::new();
        for y in 0..h {
            let mut s = String::new();
            let mut skip = 0;
            for x in 0..w {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                s.push_str(sym);
                skip = crate::tui::widgets::width::str_width(sym).saturating_sub(1);
            }
            lines.push(s);
        }
        (lines, pos)
    }

    /// A half-filled add form with the errors a save would show.
    /// `domains`: two queries that find 养老服务 and 志愿服务.
    fn filled_with_errors(domains: [&str; 2]) -> Form {
        let mut form = new_org_form(&places(), None);
        form.set_today(today());
        form.focus("grid");
        type_str(&mut form, "bs");
        form.focus_next();
        form.focus("credit_code");
        type_str(&mut form, "53100000500021676A");
        form.focus("phone");
        type_str(&mut form, "0571-8765");
        form.focus("domains");
        for q in domains {
            type_str(&mut form, q);
            form.handle_key(key(KeyCode::Enter));
        }
        form.focus("founded");
        type_str(&mut form, "11-3");
        form.focus("name");
        let errs = form_to_org(&form, Organization::default(), today()).unwrap_err();
        form.clear_errors();
        for (k, m) in errs {
            form.set_error(&k, m);
        }
        form.focus_first_error();
        form
    }

    #[test]
    fn snapshot_zh_80x24_with_errors() {
        crate::text::set_lang(Lang::Zh);
        let form = filled_with_errors(["yl", "zyfw"]);
        assert_eq!(
            form.value("domains"),
            Some(&FieldValue::Multi(vec![
                "elderly".into(),
                "volunteer".into()
            ]))
        );
        let (lines, pos) = screen(&form, 80, 24);
        // The caret is in the name field, right after the label column.
        let pos = pos.unwrap();
        assert_eq!(pos.y, 1);
        insta::assert_snapshot!(lines.join("\n"));
    }

    #[test]
    fn snapshot_en_80x24_with_errors() {
        crate::text::set_lang(Lang::En);
        // English labels: keys and English words filter.
        let form = filled_with_errors(["eld", "volunt"]);
        assert_eq!(
            form.value("domains"),
            Some(&FieldValue::Multi(vec![
                "elderly".into(),
                "volunteer".into()
            ]))
        );
        let (lines, _) = screen(&form, 80, 24);
        crate::text::set_lang(Lang::Zh);
        insta::assert_snapshot!(lines.join("\n"));
    }

    #[test]
    fn snapshot_en_120x40_edit() {
        crate::text::set_lang(Lang::En);
        let mut form = new_org_form(&places(), Some(&full_org()));
        form.set_today(today());
        form.focus("founded");
        form.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_str(&mut form, "-1");
        let (lines, pos) = screen(&form, 120, 40);
        crate::text::set_lang(Lang::Zh);
        assert_eq!(pos, Some(Position::new(23 + 2, 10)));
        insta::assert_snapshot!(lines.join("\n"));
    }

    #[test]
    fn snapshot_zh_80x24_scrolled_with_dropdown() {
        crate::text::set_lang(Lang::Zh);
        let mut form = new_org_form(&places(), Some(&full_org()));
        form.set_today(today());
        form.focus("domains");
        type_str(&mut form, "fw");
        let (lines, pos) = screen(&form, 80, 24);
        let pos = pos.unwrap();
        assert!(lines[pos.y as usize].contains("fw"), "{lines:#?}");
        insta::assert_snapshot!(lines.join("\n"));
    }
}
