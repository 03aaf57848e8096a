//! Drawing the dashboard: four boxes above (organizations, types and
//! states, communities, what is due) and the twelve-month chart beside the
//! grades below. Fits 80x24; larger terminals get taller boxes with more
//! lines and a taller chart. Reads the pane's state only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols;
use ratatui::widgets::{Bar, BarChart, Widget};

use crate::model::activity::month_text;
use crate::model::{Labeled, OrgType, RegState};
use crate::text::{label, lang, t};
use crate::tr;
use crate::tui::widgets::width::{ellipsize, put_str, str_width};
use crate::tui::widgets::TitledBox;

use super::data::Dash;
use super::{DashboardPane, RenderCx};

/// Due keys in the order shown; the inspection lines come last so the
/// names listed below them read as theirs.
const DUE_KEYS: [&str; 6] = [
    "rating_expiring",
    "rating_expired",
    "rating_eligible",
    "rectification_overdue",
    "inspection_due",
    "inspection_overdue",
];

/// Draws the pane.
pub fn render(p: &DashboardPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let Some(d) = &p.data else {
        let (text, style) = match &p.error {
            Some(e) => (e.clone(), rx.theme.error()),
            None => (t("activity.dash.loading").to_string(), rx.theme.dim()),
        };
        put_str(
            buf,
            area.x + 1,
            area.y + 1,
            &text,
            area.width.saturating_sub(2) as usize,
            style,
        );
        return;
    };
    // Four boxes over the top half; the chart under the first three, the
    // grades under the last (which takes the odd columns).
    let top_h = (area.height / 2).max(3);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(0)]).areas(area);
    let quarter = Constraint::Length(area.width / 4);
    let [orgs, types, communities, due] =
        Layout::horizontal([quarter, quarter, quarter, Constraint::Min(0)]).areas(top);
    let [chart, grades] =
        Layout::horizontal([Constraint::Length(area.width / 4 * 3), Constraint::Min(0)])
            .areas(bottom);
    orgs_box(d, orgs, buf, rx);
    types_box(d, types, buf, rx);
    communities_box(d, communities, buf, rx);
    due_box(d, due, buf, rx);
    chart_box(d, chart, buf, rx);
    grades_box(d, grades, buf, rx);
}

/// One line of a box: `label` on the left, `value` on the right.
fn kv(buf: &mut Buffer, inner: Rect, row: u16, label: &str, value: &str, rx: &RenderCx) {
    if row >= inner.height {
        return;
    }
    let w = inner.width as usize;
    let vw = str_width(value).min(w);
    let lw = w.saturating_sub(vw + 1);
    let y = inner.y + row;
    put_str(buf, inner.x, y, &ellipsize(label, lw), lw, rx.theme.text());
    put_str(
        buf,
        inner.x + (w - vw) as u16,
        y,
        value,
        vw,
        rx.theme.header(),
    );
}

fn orgs_box(d: &Dash, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let inner = TitledBox::new(t("activity.dash.orgs")).render(area, buf, &rx.theme);
    let f = &d.figures;
    let lines: [(&str, String); 9] = [
        ("activity.dash.total", f.orgs.to_string()),
        ("activity.dash.active", f.active_orgs.to_string()),
        ("activity.dash.coverage", format!("{}%", f.party_coverage)),
        (
            "activity.dash.covered",
            format!("{}/{}", f.party_covered, f.active_orgs),
        ),
        ("activity.dash.needs_open", d.needs_open.to_string()),
        ("activity.dash.linkages", d.linkages_active.to_string()),
        (
            "activity.dash.activities",
            f.activities.activities.to_string(),
        ),
        (
            "activity.dash.participants",
            f.activities.participants.to_string(),
        ),
        ("activity.dash.hours", f.activities.hours_text()),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        kv(buf, inner, i as u16, t(k), v, rx);
    }
    // The incubation base and the newest 公益创投 round, where the box is
    // tall enough.
    let mut row = lines.len() as u16;
    if d.base.seats > 0 {
        let seats = format!("{}/{}", d.base.taken, d.base.seats);
        kv(buf, inner, row, t("activity.dash.base_taken"), &seats, rx);
        row += 1;
    }
    if let Some(v) = &d.venture {
        let approved = format!("{}/{}", v.approved, v.applications);
        kv(
            buf,
            inner,
            row,
            t("activity.dash.venture_approved"),
            &approved,
            rx,
        );
        let money = crate::model::money::format;
        let paid = format!("{}/{}", money(v.paid_fen), money(v.awarded_fen));
        kv(
            buf,
            inner,
            row + 1,
            t("activity.dash.venture_paid"),
            &paid,
            rx,
        );
    }
}

fn types_box(d: &Dash, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let inner = TitledBox::new(t("activity.dash.types")).render(area, buf, &rx.theme);
    let f = &d.figures;
    let count = |m: &std::collections::BTreeMap<String, usize>, k: &str| {
        m.get(k).copied().unwrap_or(0).to_string()
    };
    let mut row = 0;
    for ty in OrgType::ALL {
        kv(
            buf,
            inner,
            row,
            label(*ty),
            &count(&f.by_type, ty.key()),
            rx,
        );
        row += 1;
    }
    for s in RegState::ALL {
        kv(buf, inner, row, label(*s), &count(&f.by_state, s.key()), rx);
        row += 1;
    }
}

fn communities_box(d: &Dash, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    // Organizations and party coverage (党组织覆盖率) of each community.
    let inner = TitledBox::new(t("activity.dash.communities_party")).render(area, buf, &rx.theme);
    let rows = inner.height as usize;
    let value = |n: usize, (active, covered): (usize, usize)| {
        let rate = crate::report::party::rate(covered, active).round();
        format!("{n} {rate}%")
    };
    let name = |n: &Option<String>| match n {
        Some(n) => n.clone(),
        None => tr!("activity.stats.no_place"),
    };
    let fits = d.communities.len() <= rows;
    let shown = if fits { rows } else { rows.saturating_sub(1) };
    for (i, (n, c)) in d.communities.iter().take(shown).enumerate() {
        let p = d.party.get(i).copied().unwrap_or_default();
        kv(buf, inner, i as u16, &name(n), &value(*c, p), rx);
    }
    if !fits && rows > 0 {
        let rest = &d.communities[shown..];
        let sum: usize = rest.iter().map(|(_, c)| c).sum();
        let p = d
            .party
            .iter()
            .skip(shown)
            .fold((0, 0), |a, p| (a.0 + p.0, a.1 + p.1));
        kv(
            buf,
            inner,
            shown as u16,
            &tr!("activity.dash.others", n = rest.len()),
            &value(sum, p),
            rx,
        );
    }
}

fn due_box(d: &Dash, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let inner = TitledBox::new(t("activity.dash.due")).render(area, buf, &rx.theme);
    let mut row = 0;
    for k in DUE_KEYS {
        let n = d.figures.due.get(k).copied().unwrap_or(0);
        kv(
            buf,
            inner,
            row,
            &tr!(&format!("activity.due.{k}")),
            &n.to_string(),
            rx,
        );
        row += 1;
    }
    if let Some(v) = &d.venture {
        kv(
            buf,
            inner,
            row,
            t("activity.dash.venture_due"),
            &v.due.to_string(),
            rx,
        );
        row += 1;
    }
    if d.base.seats > 0 {
        let n = d.base.exits_due.to_string();
        kv(buf, inner, row, t("activity.dash.base_exits"), &n, rx);
        row += 1;
    }
    if d.filings_waiting > 0 {
        let n = d.filings_waiting.to_string();
        kv(buf, inner, row, t("filing.waiting"), &n, rx);
        row += 1;
    }
    let w = inner.width.saturating_sub(2) as usize;
    for name in &d.inspection_names {
        if row >= inner.height {
            break;
        }
        put_str(
            buf,
            inner.x + 2,
            inner.y + row,
            &ellipsize(name, w),
            w,
            rx.theme.dim(),
        );
        row += 1;
    }
}

fn grades_box(d: &Dash, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let inner = TitledBox::new(t("activity.dash.grades")).render(area, buf, &rx.theme);
    let mut row = 0;
    for b in &d.bands {
        let n = d.figures.grades.get(&b.key).copied().unwrap_or(0);
        kv(buf, inner, row, b.label(lang()), &n.to_string(), rx);
        row += 1;
    }
    kv(
        buf,
        inner,
        row,
        t("activity.dash.evaluated"),
        &d.figures.evaluated.to_string(),
        rx,
    );
}

/// `n` in at most `w` columns: whole, else rounded to thousands (`12k`)
/// or millions (`3M`); empty if even that does not fit.
pub fn compact(n: u64, w: usize) -> String {
    [
        n.to_string(),
        format!("{}k", (n + 500) / 1_000),
        format!("{}M", (n + 500_000) / 1_000_000),
    ]
    .into_iter()
    .find(|s| s.len() <= w)
    .unwrap_or_default()
}

fn chart_box(d: &Dash, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let months = &d.figures.months;
    let title = match (months.first(), months.last()) {
        (Some((a, _)), Some((b, _))) => tr!(
            "activity.dash.chart",
            from = month_text(*a),
            to = month_text(*b)
        ),
        _ => t("activity.dash.chart_empty").to_string(),
    };
    let inner = TitledBox::new(&title).render(area, buf, &rx.theme);
    let n = months.len() as u16;
    if n == 0 || inner.height < 5 {
        return;
    }
    let labels = [
        t("activity.dash.row_month"),
        t("activity.dash.row_acts"),
        t("activity.dash.row_people"),
        t("activity.dash.row_hours"),
    ];
    let lw = labels.iter().map(|l| str_width(l)).max().unwrap_or(0) as u16 + 1;
    let slot = inner.width.saturating_sub(lw) / n;
    if slot < 2 {
        return;
    }
    let bw = slot - 1;
    // Bars and month labels, then the three number rows.
    let bars_h = inner.height - 3;
    let [_, bars_col] =
        Layout::horizontal([Constraint::Length(lw), Constraint::Min(0)]).areas(inner);
    let [bars_area, _] =
        Layout::vertical([Constraint::Length(bars_h), Constraint::Min(0)]).areas(bars_col);
    let max = months.iter().map(|(_, t)| t.activities).max().unwrap_or(0);
    let bars: Vec<Bar> = months
        .iter()
        .map(|(m, t)| {
            Bar::with_label((m % 100).to_string(), t.activities).text_value(String::new())
        })
        .collect();
    BarChart::new(bars)
        .bar_width(bw)
        .bar_gap(1)
        .bar_set(symbols::bar::THREE_LEVELS)
        .bar_style(rx.theme.ok())
        .label_style(rx.theme.dim())
        .max(max.max(1))
        .render(bars_area, buf);
    let rows = [bars_h - 1, bars_h, bars_h + 1, bars_h + 2];
    let [month_label, acts_label, people_label, hours_label] = labels;
    for (l, r) in [month_label, acts_label, people_label, hours_label]
        .iter()
        .zip(rows)
    {
        put_str(
            buf,
            inner.x,
            inner.y + r,
            l,
            lw as usize - 1,
            rx.theme.dim(),
        );
    }
    let number_row = |buf: &mut Buffer, r: u16, values: Vec<u64>| {
        for (i, v) in values.into_iter().enumerate() {
            let s = compact(v, bw as usize);
            let x = inner.x + lw + i as u16 * slot + (bw - s.len() as u16) / 2;
            put_str(buf, x, inner.y + r, &s, bw as usize, rx.theme.text());
        }
    };
    number_row(
        buf,
        bars_h,
        months.iter().map(|(_, t)| t.activities).collect(),
    );
    number_row(
        buf,
        bars_h + 1,
        months.iter().map(|(_, t)| t.participants).collect(),
    );
    number_row(
        buf,
        bars_h + 2,
        months
            .iter()
            .map(|(_, t)| (t.volunteer_tenths + 5) / 10)
            .collect(),
    );
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn compact_numbers_fit_their_width() {
        assert_eq!(compact(999, 3), "999");
        assert_eq!(compact(1234, 3), "1k");
        assert_eq!(compact(3509, 3), "4k");
        assert_eq!(compact(1234, 4), "1234");
        assert_eq!(compact(12_345_678, 3), "12M");
        assert_eq!(compact(123_456_789_000, 2), "");
    }
}
