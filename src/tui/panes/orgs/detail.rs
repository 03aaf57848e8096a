//! The detail panel: every field of the selected organization, in the
//! current language, flowed into as many columns as fit.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::model::{Labeled, Organization};
use crate::text::{field_label, label, lang};
use crate::tui::panes::RenderCx;
use crate::tui::widgets::width::{put_str, str_width};
use crate::tui::widgets::TitledBox;

use super::rows::PlaceNames;
use super::table::{put_cell, Marks};
use super::OrgsPane;

/// Number of lines [`fields`] gives.
pub const FIELDS: usize = 22;

/// Columns of the panel for a width.
pub fn columns(width: u16) -> usize {
    match width {
        160.. => 3,
        60.. => 2,
        _ => 1,
    }
}

/// The lines of the panel: (label, value), most useful first. Empty values
/// are `None`.
pub fn fields(id: &str, org: &Organization, places: &PlaceNames) -> Vec<(String, Option<String>)> {
    let sep = match lang() {
        crate::model::Lang::Zh => "、",
        crate::model::Lang::En => ", ",
    };
    let num = |n: Option<u32>| n.map(|n| n.to_string());
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let credit = org.credit_code.as_ref().map(|c| {
        if org.credit_code_unchecked {
            format!("{c}{}", crate::text::t("tui.detail.unchecked"))
        } else {
            c.clone()
        }
    });
    let grid = org
        .grid
        .as_ref()
        .map(|g| format!("{} ({g})", places.name(g)));
    let domains = (!org.domains.is_empty()).then(|| {
        org.domains
            .iter()
            .map(|d| d.label(lang()))
            .collect::<Vec<_>>()
            .join(sep)
    });
    let party = match org.party_members {
        Some(n) if org.party.covered() => format!(
            "{} ({}: {n})",
            label(org.party),
            field_label("party_members")
        ),
        _ => label(org.party).to_string(),
    };
    let inspections = (!org.inspections.is_empty()).then(|| {
        org.inspections
            .iter()
            .rev()
            .take(3)
            .map(|(y, i)| crate::tr!("tui.detail.inspection", year = y, result = label(i.result)))
            .collect::<Vec<_>>()
            .join(sep)
    });
    let rating = org.rating.as_ref().map(|r| match r.expires {
        Some(e) => crate::tr!(
            "tui.detail.rating_until",
            level = label(r.level),
            date = e.format("%Y-%m-%d")
        ),
        None => label(r.level).to_string(),
    });
    let incubation = org.incubation.as_ref().map(|i| {
        crate::tr!(
            "tui.detail.incubation",
            workstation = i.workstation.as_deref().unwrap_or(""),
            start = i
                .start
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            end = i
                .end
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        )
        .trim()
        .to_string()
    });
    let tags = (!org.tags.is_empty()).then(|| org.tags.join(sep));
    let notes = org.notes.as_ref().map(|n| n.replace(['\n', '\r'], " "));
    let f = |k: &str, v: Option<String>| (field_label(k), v);
    let supervising = if org.is_direct() {
        Some(field_label("direct_registration"))
    } else {
        org.supervising_unit.clone()
    };
    let mut lines = vec![
        f("type", Some(label(org.kind).to_string())),
        f("state", Some(label(org.state).to_string())),
        f("credit_code", credit),
        f("filing_number", org.filing_number.clone()),
        f("contact", org.contact.clone()),
        f("phone", org.phone.clone()),
        f("grid", grid),
        f("address", org.address.clone()),
        f("domains", domains),
        f("founded", date(org.founded)),
        f("party", Some(party)),
        f("inspections", inspections),
        f("rating", rating),
        f("registering_authority", org.registering_authority.clone()),
        f("supervising_unit", supervising),
        f("members", num(org.members)),
        f("staff", num(org.staff)),
        f("volunteers", num(org.volunteers)),
        f("incubation", incubation),
        f("tags", tags),
        f("notes", notes),
    ];
    // What registration rosters carry: shown when known, after the
    // supervising unit (an organization without them looks as before).
    let capital = org.capital_fen.map(|fen| {
        let kind = org
            .capital_kind
            .unwrap_or_else(|| crate::model::CapitalKind::of(org.kind));
        format!("{} ({})", crate::model::money::format(fen), label(kind))
    });
    let validity = match (org.valid_from, org.valid_until) {
        (None, None) => None,
        (a, b) => Some(crate::tr!(
            "tui.detail.validity",
            from = date(a).unwrap_or_default(),
            until = date(b).unwrap_or_default()
        )),
    };
    let scope = org
        .business_scope
        .as_ref()
        .map(|n| n.replace(['\n', '\r'], " "));
    let roster = [
        f("legal_representative", org.legal_representative.clone()),
        f("registration_number", org.registration_number.clone()),
        f("organization_code", org.organization_code.clone()),
        f("capital", capital),
        (crate::tr!("tui.detail.validity_label"), validity),
        f("business_scope", scope),
    ];
    let at = lines.len() - 6;
    for (i, line) in roster.into_iter().filter(|(_, v)| v.is_some()).enumerate() {
        lines.insert(at + i, line);
    }
    // The party organization's details, or why there is none: after the
    // party line, when known.
    let party_details = [
        f("party_name", org.party_name.clone()),
        f("party_secretary", org.party_secretary.clone()),
        f("party_set_up", date(org.party_set_up)),
        f("party_probationary", num(org.party_probationary)),
        f("party_activists", num(org.party_activists)),
        f("party_reason", org.party_reason.clone()),
        f("party_planned", date(org.party_planned)),
    ];
    let party_at = lines
        .iter()
        .position(|(k, _)| *k == field_label("party"))
        .map_or(lines.len(), |i| i + 1);
    for (i, line) in party_details
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .enumerate()
    {
        lines.insert(party_at + i, line);
    }
    lines.push(f("id", Some(id.to_string())));
    lines
}

/// Draws the panel.
pub fn render(pane: &OrgsPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let t = &rx.theme;
    let selected = pane.selected_row();
    let detail = pane
        .detail
        .as_ref()
        .filter(|d| selected.is_some_and(|r| r.id == d.id));
    let title = match selected {
        Some(r) => crate::tr!("tui.detail.heading", name = r.name),
        None => crate::text::t("tui.detail.title").to_string(),
    };
    let inner = TitledBox::heading(&title).render(area, buf, t);
    if inner.height == 0 || inner.width < 10 {
        return;
    }
    let Some(row) = selected else {
        return;
    };
    let org = match detail {
        Some(d) => match &d.org {
            Some(o) => o,
            None => {
                put_str(
                    buf,
                    inner.x + 1,
                    inner.y,
                    crate::text::t("tui.detail.missing"),
                    inner.width as usize - 1,
                    t.warning(),
                );
                return;
            }
        },
        None => {
            put_str(
                buf,
                inner.x + 1,
                inner.y,
                crate::text::t("tui.detail.loading"),
                inner.width as usize - 1,
                t.dim(),
            );
            return;
        }
    };
    let lines = fields(&row.id, org, &pane.places);
    let ncols = columns(inner.width);
    let rows = inner.height as usize;
    let shown = lines.len().min(rows * ncols);
    if shown < lines.len() {
        // Cut: the key that shows every line, on the panel's top border.
        let key = rx
            .keymap
            .first_keys(
                &[crate::tui::action::Context::Orgs],
                crate::tui::action::Action::DetailFull,
            )
            .map(crate::tui::key::show_seq);
        if let Some(key) = key {
            let hint = format!(" {} ", crate::tr!("tui.detail.more", key = key));
            let w = str_width(&hint) as u16;
            if area.width > w + 2 {
                // On the right of the border, a column from the corner.
                let [_, at, _] = Layout::horizontal([
                    Constraint::Min(0),
                    Constraint::Length(w),
                    Constraint::Length(1),
                ])
                .areas(area);
                put_str(buf, at.x, at.y, &hint, w as usize, t.dim());
            }
        }
    }
    let per_col = shown.div_ceil(ncols).max(1);
    let col_w = inner.width as usize / ncols;
    let none = crate::text::t("tui.detail.none");
    let col_areas = Layout::horizontal(vec![Constraint::Length(col_w as u16); ncols]).split(inner);
    for (c, col) in col_areas.iter().enumerate() {
        let chunk: Vec<&(String, Option<String>)> = lines
            .iter()
            .skip(c * per_col)
            .take(per_col.min(rows))
            .collect();
        let label_w = chunk
            .iter()
            .map(|(l, _)| str_width(l))
            .max()
            .unwrap_or(0)
            .min(col_w / 2);
        let x = col.x + 1;
        let value_w = col_w.saturating_sub(label_w + 3);
        for (i, (l, v)) in chunk.iter().enumerate() {
            let y = col.y + i as u16;
            put_cell(buf, x, y, l, label_w, t.dim(), Marks::NONE);
            let vx = x + label_w as u16 + 1;
            match v {
                Some(v) => put_cell(buf, vx, y, v, value_w, t.text(), Marks::NONE),
                None => {
                    put_str(buf, vx, y, none, value_w, t.dim());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, OrgType, Party, Rating, RatingLevel};

    #[test]
    fn field_count_matches() {
        let o = Organization::new("甲", OrgType::Community);
        assert_eq!(fields("x", &o, &PlaceNames::default()).len(), FIELDS);
    }

    #[test]
    fn roster_fields_show_when_known() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let mut o = Organization::new("书画社", OrgType::ServiceOrg);
        o.legal_representative = Some("吴敏".into());
        o.capital_fen = Some(3_200_000);
        o.valid_from = chrono::NaiveDate::from_ymd_opt(2016, 5, 20);
        o.valid_until = chrono::NaiveDate::from_ymd_opt(2021, 5, 19);
        o.direct_registration = Some(true);
        let f = fields("id1", &o, &PlaceNames::default());
        assert_eq!(f.len(), FIELDS + 3);
        let get = |k: &str| f.iter().find(|(l, _)| l == k).and_then(|(_, v)| v.clone());
        assert_eq!(get("法定代表人").as_deref(), Some("吴敏"));
        assert_eq!(get("资金数额").as_deref(), Some("3.2万元 (开办资金)"));
        assert_eq!(
            get("证书有效期").as_deref(),
            Some("2016-05-20 至 2021-05-19")
        );
        assert_eq!(get("业务主管单位").as_deref(), Some("直接登记"));
        assert_eq!(f.last().map(|(_, v)| v.as_deref()), Some(Some("id1")));
    }

    #[test]
    fn fields_in_both_languages() {
        let mut o = Organization::new("湖滨晴雨志愿队", OrgType::Community);
        o.domains = vec![Domain::Elderly, Domain::Volunteer];
        o.party = Party::Joint;
        o.party_members = Some(3);
        o.rating = Some(Rating {
            level: RatingLevel::A4,
            expires: chrono::NaiveDate::from_ymd_opt(2029, 6, 30),
        });
        let places = PlaceNames::default();
        crate::text::set_lang(crate::model::Lang::Zh);
        let f = fields("id1", &o, &places);
        let get = |k: &str| f.iter().find(|(l, _)| l == k).and_then(|(_, v)| v.clone());
        assert_eq!(get("服务领域").as_deref(), Some("养老服务、志愿服务"));
        assert_eq!(get("党组织").as_deref(), Some("联合组建 (党员数: 3)"));
        assert_eq!(get("党组织书记"), None);
        let mut with = o.clone();
        with.party_secretary = Some("周建国".into());
        with.party_set_up = chrono::NaiveDate::from_ymd_opt(2025, 7, 1);
        let g = fields("id1", &with, &places);
        let at = g.iter().position(|(l, _)| l == "党组织").unwrap();
        assert_eq!(
            g[at + 1],
            ("党组织书记".to_string(), Some("周建国".to_string()))
        );
        assert_eq!(g[at + 2].1.as_deref(), Some("2025-07-01"));
        assert_eq!(get("等级").as_deref(), Some("4A（至 2029-06-30）"));
        assert_eq!(get("联系电话"), None);
        crate::text::set_lang(crate::model::Lang::En);
        let f = fields("id1", &o, &places);
        assert!(
            f.iter().any(|(l, v)| l == "service domains"
                || v.as_deref() == Some("Elderly care, Volunteering")),
            "{f:?}"
        );
        crate::text::set_lang(crate::model::Lang::Zh);
    }
}
