//! Drawing the activities pane: the filter and its totals, the list, and
//! quick entry, the edit form or the delete question over it. Reads the
//! pane's state only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};

use crate::model::activity::{month_text, tenths_text};
use crate::text::label;
use crate::tui::action::{Action, Context};
use crate::tui::key::show_seq;
use crate::tui::popups::{centered, form_frame};
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{ellipsize, fill, put_str, str_width};

use super::{ActivitiesPane, RenderCx};

/// Height of quick entry.
const FORM_ROWS: u16 = 16;

/// The filter line, the totals line, the column header and the list.
fn split(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area)
}

/// Rows of the list in `area`.
pub fn list_rows(area: Rect) -> usize {
    split(area)[3].height as usize
}

/// Column widths: date, organization, kind, three numbers (the title takes
/// the rest).
struct Cols {
    date: usize,
    org: usize,
    title: usize,
    kind: usize,
    num: usize,
}

fn cols(width: usize) -> Cols {
    let (date, num) = (10, 6);
    let kind = if width >= 110 { 12 } else { 8 };
    let org = if width >= 110 { 24 } else { 14 };
    let fixed = date + org + kind + 3 * num + 6 + 2;
    Cols {
        date,
        org,
        title: width.saturating_sub(fixed).max(8),
        kind,
        num,
    }
}

/// Right-aligns `s` in `w` columns.
fn right(s: &str, w: usize) -> String {
    let pad = w.saturating_sub(str_width(s));
    format!("{}{s}", " ".repeat(pad))
}

fn row_text(c: &Cols, cells: [&str; 7]) -> Vec<(usize, String)> {
    let [date, org, title, kind, p, b, h] = cells;
    let mut x = 1;
    let mut out = Vec::new();
    for (w, s) in [
        (c.date, date.to_string()),
        (c.org, org.to_string()),
        (c.title, title.to_string()),
        (c.kind, kind.to_string()),
        (c.num, right(p, c.num)),
        (c.num, right(b, c.num)),
        (c.num, right(h, c.num)),
    ] {
        out.push((x, ellipsize(&s, w)));
        x += w + 1;
    }
    out
}

fn widths(c: &Cols) -> [usize; 7] {
    [c.date, c.org, c.title, c.kind, c.num, c.num, c.num]
}

/// Draws the pane; the cursor position when quick entry is open.
pub fn render(p: &ActivitiesPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
    let t = rx.theme;
    let w = area.width as usize;
    let Some(d) = &p.data else {
        let msg = match &p.error {
            Some(e) => e.clone(),
            None => crate::text::t("activity.tui.loading").to_string(),
        };
        put_str(buf, area.x + 1, area.y, &msg, w.saturating_sub(2), t.dim());
        return None;
    };
    let [filter_line, totals_line, head_line, list] = split(area);
    let all = crate::text::t("activity.tui.all");
    let f = &p.filter;
    let month = f
        .month
        .map(month_text)
        .unwrap_or_else(|| crate::text::t("activity.tui.all_months").to_string());
    let org = f.org.as_deref().map_or(all, |o| d.org_name(o));
    let community = f.community.as_deref().map_or(all, |c| {
        rx.shared
            .places
            .iter()
            .find(|pl| pl.code == c)
            .map_or(c, |pl| pl.name.as_str())
    });
    let kind = f.kind.map_or(all, label);
    let line = crate::tr!(
        "activity.tui.filter",
        month = month,
        org = org,
        community = community,
        kind = kind
    );
    put_str(
        buf,
        filter_line.x + 1,
        filter_line.y,
        &line,
        w.saturating_sub(2),
        t.text(),
    );
    let tt = &p.totals;
    let totals = crate::tr!(
        "activity.tui.totals",
        n = tt.activities,
        p = tt.participants,
        b = tt.beneficiaries,
        h = tt.hours_text()
    );
    put_str(
        buf,
        totals_line.x + 1,
        totals_line.y,
        &totals,
        w.saturating_sub(2),
        t.title(),
    );
    let c = cols(w);
    let ws = widths(&c);
    let head = [
        "date",
        "org",
        "title",
        "kind",
        "participants",
        "beneficiaries",
        "hours",
    ]
    .map(|k| crate::text::t(&format!("activity.tui.col.{k}")).to_string());
    let head_cells = [
        head[0].as_str(),
        &head[1],
        &head[2],
        &head[3],
        &head[4],
        &head[5],
        &head[6],
    ];
    fill(buf, head_line.x, head_line.y, w, t.header());
    for ((x, s), cw) in row_text(&c, head_cells).into_iter().zip(ws) {
        put_str(buf, head_line.x + x as u16, head_line.y, &s, cw, t.header());
    }
    if p.shown.is_empty() {
        let key = rx
            .keymap
            .first_keys(&[Context::Activities], Action::ActivityAdd)
            .map(show_seq)
            .unwrap_or_default();
        let msg = crate::tr!("activity.tui.empty", key = key);
        put_str(buf, list.x + 1, list.y, &msg, w.saturating_sub(2), t.dim());
    }
    render_rows(&p.list, p.shown.len(), list, 1, |i, row, selected| {
        let Some(s) = d.log.slot(p.shown[i]) else {
            return;
        };
        let a = &s.activity;
        let y = row.y;
        let style = if selected { t.selected() } else { t.text() };
        if selected {
            fill(buf, row.x, y, w, style);
        }
        let date = a.date.format("%Y-%m-%d").to_string();
        let org = a.orgs.first().map_or("", |o| d.org_name(o));
        let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        let hours = a
            .volunteer_tenths
            .map(|t| tenths_text(t as u64))
            .unwrap_or_default();
        let (pp, bb) = (num(a.participants), num(a.beneficiaries));
        let cells = [
            date.as_str(),
            org,
            a.title.as_str(),
            label(a.kind),
            &pp,
            &bb,
            &hours,
        ];
        for ((x, s), cw) in row_text(&c, cells).into_iter().zip(ws) {
            put_str(buf, row.x + x as u16, y, &s, cw, style);
        }
    });
    let form = p.form.as_ref()?;
    // Nine fields, with room for errors below them and a warning above.
    let popup = centered(area, 96, FORM_ROWS);
    let body = form_frame(popup, buf, form.title(), rx);
    form.render(body, buf, &rx.theme)
}
