//! The question pane 6 asks before the first export when this office and
//! its network are not named yet (a fresh database): a small form with
//! 办公室名称 (pre-filled with `office` from config.toml) and 所属网络,
//! checked by the same rules as `sanshe sync init`
//! ([`crate::sync::exchange::check_names`]); once both are valid the
//! export goes on with them.

use crate::sync::exchange::{check_names, MAX_NAME_CHARS};
use crate::text::{rule_message, t};
use crate::tui::widgets::{FieldKind, FieldSpec, FieldValue, Form};

use super::data::Names;

fn field(key: &'static str) -> FieldSpec {
    FieldSpec::new(
        key,
        t(&format!("field.{key}")),
        FieldKind::Text {
            max: MAX_NAME_CHARS,
        },
    )
    .with_required(true)
    .with_hint(t(&format!("sync.tui.setup_{key}_hint")))
}

/// The form, with the office pre-filled from config.toml when it names
/// one; the cursor in the first empty field.
pub fn form(office: Option<&str>) -> Form {
    let mut form = Form::new(
        t("sync.tui.setup_title").to_string(),
        vec![field("office"), field("network")],
    );
    form.set_warning(t("sync.tui.setup_why").to_string());
    if let Some(o) = office.map(str::trim).filter(|o| !o.is_empty()) {
        form.set_value("office", FieldValue::Text(o.to_string()));
        form.focus("network");
    }
    form
}

/// The names typed, or `None` with every broken rule shown on its field.
pub fn names(form: &mut Form) -> Option<Names> {
    form.clear_errors();
    let today = form.today();
    if !form.validate(today) {
        form.focus_first_error();
        return None;
    }
    let office = form.text("office").unwrap_or_default().trim().to_string();
    let network = form.text("network").unwrap_or_default().trim().to_string();
    if let Err(errors) = check_names(&office, &network) {
        for e in &errors.0 {
            form.set_error(&e.field, rule_message(&e.rule));
        }
        form.focus_first_error();
        return None;
    }
    Some(Names { office, network })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_from_config_is_offered_and_both_names_are_required() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let mut f = form(Some(" 北山街道 "));
        assert_eq!(f.text("office"), Some("北山街道"));
        assert_eq!(f.focused_key(), "network");
        assert_eq!(names(&mut f), None);
        assert!(f.error("network").is_some());
        assert!(f.error("office").is_none());
        f.set_value("network", FieldValue::Text("西湖区".into()));
        assert_eq!(
            names(&mut f),
            Some(Names {
                office: "北山街道".into(),
                network: "西湖区".into()
            })
        );
        let mut f = form(None);
        assert_eq!(f.focused_key(), "office");
        f.set_value("office", FieldValue::Text("长".repeat(MAX_NAME_CHARS + 1)));
        f.set_value("network", FieldValue::Text("西湖区".into()));
        assert_eq!(names(&mut f), None);
        assert!(
            f.error("office").is_some_and(|e| e.contains("64")),
            "{:?}",
            f.error("office")
        );
    }
}
