//! Drawing the 中心 pane: the summary line, the views' names (the one
//! shown highlighted), the view's rows on the left and the selected row's
//! detail on the right, the form over it all.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};

use crate::text::t;
use crate::tui::popups::{centered, form_frame};
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{ellipsize, fill, put_str, str_width};
use crate::tui::widgets::TitledBox;

use super::{CenterPane, RenderCx};

fn split(area: Rect) -> [Rect; 4] {
    // The summary line and the views' names above the list.
    let (head, list, detail) = crate::tui::panes::layout::list_and_detail(area, 2, 64);
    let [first, tabs] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(head);
    [first, tabs, list, detail]
}

pub fn list_rows(area: Rect) -> usize {
    split(area)[2].height.saturating_sub(1) as usize
}

pub fn render(p: &CenterPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
    let th = rx.theme;
    let w = area.width as usize;
    let Some(d) = &p.data else {
        let msg = p
            .error
            .clone()
            .unwrap_or_else(|| t("center.tui.loading").to_string());
        put_str(buf, area.x + 1, area.y, &msg, w.saturating_sub(2), th.dim());
        return None;
    };
    let [first, tabs, list, detail] = split(area);
    put_str(
        buf,
        first.x + 1,
        first.y,
        &d.summary,
        w.saturating_sub(2),
        th.title(),
    );
    let mut x = tabs.x + 1;
    for (i, v) in d.views.iter().enumerate() {
        let label = format!(" {} ", v.title);
        let style = if i == p.view {
            th.tab_active()
        } else {
            th.dim()
        };
        let room = tabs.right().saturating_sub(x) as usize;
        x += put_str(buf, x, tabs.y, &label, room, style) as u16 + 1;
    }
    let view = p.current()?;
    let lw = list.width as usize;
    // Fixed widths, the last column takes the rest.
    let fixed: usize = view.widths.iter().map(|w| *w as usize + 1).sum();
    let widths: Vec<usize> = view
        .widths
        .iter()
        .map(|w| match *w {
            0 => lw.saturating_sub(fixed + 2).max(4),
            n => n as usize,
        })
        .collect();
    let put_row = |buf: &mut Buffer, y: u16, cells: &[String], style| {
        let mut x = list.x + 1;
        for (cw, s) in widths.iter().zip(cells) {
            put_str(buf, x, y, &ellipsize(s, *cw), *cw, style);
            x += *cw as u16 + 1;
        }
    };
    fill(buf, list.x, list.y, lw, th.header());
    put_row(buf, list.y, &view.header, th.header());
    let rows_area = Rect::new(
        list.x,
        list.y + 1,
        list.width,
        list.height.saturating_sub(1),
    );
    if view.rows.is_empty() {
        put_str(
            buf,
            rows_area.x + 1,
            rows_area.y,
            &view.empty,
            lw.saturating_sub(2),
            th.dim(),
        );
    }
    render_rows(
        &p.list,
        view.rows.len(),
        rows_area,
        1,
        |i, row, selected| {
            let Some(r) = view.rows.get(i) else { return };
            let style = if selected {
                th.selected()
            } else if r.dim {
                th.dim()
            } else {
                th.text()
            };
            if selected {
                fill(buf, row.x, row.y, lw, style);
            }
            put_row(buf, row.y, &r.cells, style);
        },
    );
    if let Some(r) = p.selected() {
        if detail.width >= 16 && detail.height >= 4 {
            let inner = TitledBox::new(&view.title).render(detail, buf, &th);
            let iw = inner.width as usize;
            let kw = r
                .detail
                .iter()
                .map(|(k, _)| str_width(k))
                .max()
                .unwrap_or(0)
                .min(iw / 3);
            let mut y = inner.y;
            for (k, v) in &r.detail {
                if y >= inner.bottom() {
                    break;
                }
                put_str(buf, inner.x, y, &ellipsize(k, kw), kw, th.dim());
                // Long values wrap onto the following lines.
                let vx = inner.x + kw as u16 + 1;
                let vw = iw.saturating_sub(kw + 1).max(1);
                for part in crate::tui::widgets::width::wrap(v, vw) {
                    if y >= inner.bottom() {
                        break;
                    }
                    put_str(buf, vx, y, &part, vw, th.text());
                    y += 1;
                }
                if v.is_empty() {
                    y += 1;
                }
            }
        }
    }
    let form = p.form.as_ref()?;
    let popup = centered(area, 70, 8);
    let body = form_frame(popup, buf, form.title(), rx);
    form.render(body, buf, &th)
}
