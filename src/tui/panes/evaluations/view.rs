//! Drawing the evaluations pane: the grade distribution (or the search
//! line) and the order on the first line, the list of organizations with their latest evaluation
//! on the left, the selected organization's dimensions over its periods as
//! a bar chart on the right, and score entry over it all. Bars are block
//! glyphs numbered by dimension, so the chart reads without colour.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::symbols;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Widget};

use crate::model::evaluation::points_text;
use crate::text::{lang, t};
use crate::tr;
use crate::tui::action::{Action, Context};
use crate::tui::key::show_seq;
use crate::tui::panes::orgs::table::{put_cell, Marks};
use crate::tui::popups::{centered, form_frame};
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{ellipsize, fill, put_str, str_width};
use crate::tui::widgets::TitledBox;

use super::data::{EvalData, EvalRow};
use super::{EvaluationsPane, RenderCx};

/// Height of score entry.
const FORM_ROWS: u16 = 20;

/// Columns: period, total (the grade is as wide as its longest name, the
/// name takes the rest).
const PERIOD_W: usize = 6;
const TOTAL_W: usize = 5;

/// The first line (distribution or search, and the order), the list
/// (column header, then a row per organization) and the chart beside it.
fn split(area: Rect) -> [Rect; 3] {
    let [first, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let [list, chart] =
        Layout::horizontal([Constraint::Length(list_width(area)), Constraint::Min(0)]).areas(body);
    [first, list, chart]
}

/// The column header and the rows of the list.
fn split_list(list: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(list)
}

/// Rows of the list in `area`.
pub fn list_rows(area: Rect) -> usize {
    split_list(split(area)[1])[1].height as usize
}

/// Width of the list: the chart takes the rest.
fn list_width(area: Rect) -> u16 {
    if area.width >= 110 {
        60
    } else {
        area.width.min(80) * 11 / 20
    }
}

fn right(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(str_width(s))))
}

/// The grade's name under the rubric (its key if the rubric lost it).
fn band_name<'a>(d: &'a EvalData, key: &'a str) -> &'a str {
    d.rubric
        .bands
        .iter()
        .find(|b| b.key == key)
        .map_or(key, |b| b.label(lang()))
}

/// Draws the pane; the cursor position when score entry is open.
pub fn render(
    p: &EvaluationsPane,
    area: Rect,
    buf: &mut Buffer,
    rx: &RenderCx,
) -> Option<Position> {
    let th = rx.theme;
    let w = area.width as usize;
    let Some(d) = &p.data else {
        let msg = match &p.error {
            Some(e) => e.clone(),
            None => t("activity.eval_tui.loading").to_string(),
        };
        put_str(buf, area.x + 1, area.y, &msg, w.saturating_sub(2), th.dim());
        return None;
    };
    // The distribution of the latest grades, and the order.
    let (counts, none) = d.distribution();
    let mut line: Vec<String> = d
        .rubric
        .bands
        .iter()
        .zip(&counts)
        .map(|(b, n)| format!("{} {n}", b.label(lang())))
        .collect();
    line.push(format!("{} {none}", t("activity.eval_tui.never")));
    let dist = tr!("activity.eval_tui.distribution", counts = line.join("  "));
    let sort = tr!("activity.eval_tui.sorted", order = t(p.sort.text_key()));
    let sw = str_width(&sort);
    let mut cursor = None;
    if p.searching || !p.search.is_empty() {
        cursor = render_search(p, d, area, w.saturating_sub(sw + 3), buf, rx);
    } else {
        put_str(
            buf,
            area.x + 1,
            area.y,
            &dist,
            w.saturating_sub(sw + 3),
            th.title(),
        );
    }
    if w > sw + 1 {
        put_str(
            buf,
            area.x + (w - sw - 1) as u16,
            area.y,
            &sort,
            sw,
            th.dim(),
        );
    }
    let [_, list, chart] = split(area);
    render_list(p, d, list, buf, rx);
    if let Some(row) = p.selected() {
        render_chart(d, row, chart, buf, rx);
    }
    let Some(form) = p.form.as_ref() else {
        return cursor;
    };
    let popup = centered(area, 96, FORM_ROWS);
    let body = form_frame(popup, buf, form.title(), rx);
    form.render(body, buf, &th)
}

/// The search line in `room` columns of the first row: the key that
/// starts it, the query, how many organizations it shows. Returns the
/// cursor while the line has the focus.
fn render_search(
    p: &EvaluationsPane,
    d: &EvalData,
    area: Rect,
    room: usize,
    buf: &mut Buffer,
    rx: &RenderCx,
) -> Option<Position> {
    let th = rx.theme;
    let key = rx
        .keymap
        .first_keys(&[Context::Evaluations], Action::SearchStart)
        .map(show_seq)
        .unwrap_or_else(|| "/".into());
    let mut x = area.x + 1;
    let mut room = room.saturating_sub(1);
    let pw = put_str(buf, x, area.y, &format!("{key} "), room, th.key());
    x += pw as u16;
    room = room.saturating_sub(pw);
    let count = tr!(
        "activity.eval_tui.searching",
        shown = p.order.len(),
        total = d.rows.len()
    );
    let input_w = room.saturating_sub(str_width(&count) + 2).min(32);
    let style = if p.searching {
        th.input_focused()
    } else {
        th.text()
    };
    let cursor = p
        .search
        .render(Rect::new(x, area.y, input_w as u16, 1), buf, style);
    x += input_w as u16 + 2;
    put_str(
        buf,
        x,
        area.y,
        &count,
        room.saturating_sub(input_w + 2),
        th.dim(),
    );
    cursor.filter(|_| p.searching)
}

fn render_list(p: &EvaluationsPane, d: &EvalData, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let th = rx.theme;
    let w = area.width as usize;
    let grade_w = d
        .rubric
        .bands
        .iter()
        .map(|b| str_width(b.label(lang())))
        .max()
        .unwrap_or(0)
        .clamp(4, 10);
    let name_w = w.saturating_sub(PERIOD_W + TOTAL_W + grade_w + 5).max(6);
    let cells = |name: &str, period: &str, total: &str, grade: &str| {
        [
            (1, ellipsize(name, name_w), name_w),
            (2 + name_w, ellipsize(period, PERIOD_W), PERIOD_W),
            (3 + name_w + PERIOD_W, right(total, TOTAL_W), TOTAL_W),
            (
                4 + name_w + PERIOD_W + TOTAL_W,
                ellipsize(grade, grade_w),
                grade_w,
            ),
        ]
    };
    let head = ["name", "period", "total", "grade"]
        .map(|k| t(&format!("activity.eval_tui.col.{k}")).to_string());
    let [head_line, rows] = split_list(area);
    fill(buf, head_line.x, head_line.y, w, th.header());
    for (x, s, cw) in cells(&head[0], &head[1], &head[2], &head[3]) {
        put_str(
            buf,
            head_line.x + x as u16,
            head_line.y,
            &s,
            cw,
            th.header(),
        );
    }
    if p.order.is_empty() {
        put_str(
            buf,
            rows.x + 1,
            rows.y,
            t("activity.eval_tui.no_orgs"),
            w.saturating_sub(2),
            th.dim(),
        );
        return;
    }
    render_rows(&p.list, p.order.len(), rows, 1, |i, row, selected| {
        let n = p.order[i];
        let Some(r) = d.rows.get(n) else {
            return;
        };
        let y = row.y;
        let style = if selected { th.selected() } else { th.text() };
        if selected {
            fill(buf, row.x, y, w, style);
        }
        let (period, total, grade) = match r.latest() {
            Some(g) => (
                g.period.as_str(),
                points_text(g.total),
                g.band.as_deref().map_or("", |b| band_name(d, b)),
            ),
            None => ("", String::new(), ""),
        };
        for (k, (x, s, cw)) in cells(&r.name, period, &total, grade)
            .into_iter()
            .enumerate()
        {
            let marks = match (k, p.marks.get(&n)) {
                (0, Some(at)) => Marks {
                    at,
                    style: th.matched(),
                },
                _ => Marks::NONE,
            };
            if k == 0 {
                // The name, cut with `..` as in the organizations table.
                put_cell(buf, row.x + x as u16, y, &r.name, cw, style, marks);
            } else {
                put_str(buf, row.x + x as u16, y, &s, cw, style);
            }
        }
    });
}

fn render_chart(d: &EvalData, row: &EvalRow, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let th = rx.theme;
    if area.width < 12 || area.height < 4 {
        return;
    }
    let title = tr!("activity.eval_tui.chart", org = row.name);
    let inner = TitledBox::new(&title).render(area, buf, &th);
    let iw = inner.width as usize;
    if row.history.is_empty() {
        let key = rx
            .keymap
            .first_keys(&[Context::Evaluations], Action::EvalAdd)
            .map(show_seq)
            .unwrap_or_default();
        let msg = tr!("activity.eval_tui.no_history", key = key);
        put_str(buf, inner.x, inner.y, &msg, iw, th.dim());
        return;
    }
    // Legend: dimensions numbered as their bars; then one line per period
    // (newest last) with total and grade, as many as fit under the chart.
    let legend: Vec<String> = d
        .rubric
        .dimensions
        .iter()
        .enumerate()
        .map(|(i, dim)| format!("{} {}", i + 1, dim.label(lang())))
        .collect();
    let mut legend_lines: Vec<String> = Vec::new();
    for item in legend {
        match legend_lines.last_mut() {
            Some(l) if str_width(l) + 2 + str_width(&item) <= iw => {
                l.push_str("  ");
                l.push_str(&item);
            }
            _ => legend_lines.push(item),
        }
    }
    let chart_h = inner.height.saturating_sub(legend_lines.len() as u16 + 1);
    let history_rows = (chart_h.saturating_sub(6) as usize).min(row.history.len());
    let chart_h = chart_h - history_rows as u16;
    let [chart_area, notes] =
        Layout::vertical([Constraint::Length(chart_h), Constraint::Min(0)]).areas(inner);
    let mut y = notes.y;
    for l in &legend_lines {
        put_str(buf, inner.x, y, l, iw, th.dim());
        y += 1;
    }
    for g in &row.history[row.history.len() - history_rows..] {
        let grade = g.band.as_deref().map_or("", |b| band_name(d, b));
        let text = format!("{}  {}  {grade}", g.period, points_text(g.total));
        put_str(buf, inner.x, y, &text, iw, th.text());
        y += 1;
    }
    if chart_h < 4 {
        return;
    }
    let dims = d.rubric.dimensions.len().max(1) as u16;
    // Bars one column apart, groups two apart: two columns a bar while
    // every period fits, else one.
    let group_w = |bar_w: u16| dims * (bar_w + 1) + 1;
    let bar_w: u16 = if inner.width >= group_w(2) * row.history.len() as u16 {
        2
    } else {
        1
    };
    let group_w = group_w(bar_w);
    let fit = (inner.width / group_w).max(1) as usize;
    let shown = &row.history[row.history.len().saturating_sub(fit)..];
    let max = d
        .rubric
        .dimensions
        .iter()
        .map(|dim| u64::from(dim.max) * 10)
        .max()
        .unwrap_or(1)
        .max(1);
    let mut chart = BarChart::default()
        .bar_width(bar_w)
        .bar_gap(1)
        .group_gap(2)
        .bar_set(symbols::bar::NINE_LEVELS)
        .bar_style(th.ok())
        .label_style(th.dim())
        .max(max);
    for g in shown {
        let bars: Vec<Bar> = g
            .dimensions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                Bar::default()
                    .value(u64::from(*v))
                    .label(Line::from((i + 1).to_string()))
                    .text_value(String::new())
            })
            .collect();
        chart = chart.data(BarGroup::new(bars).label(Line::from(g.period.clone())));
    }
    chart.render(chart_area, buf);
}
