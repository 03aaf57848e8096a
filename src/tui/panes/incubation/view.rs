//! Drawing the 孵化 pane: occupancy on the first line, the enrollments on
//! the left, the selected one on the right, a form over it all.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::activity::tenths_text;
use crate::model::Labeled;
use crate::text::{lang, t};
use crate::tr;
use crate::tui::popups::{centered, form_frame};
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{ellipsize, fill, put_str, wrap};
use crate::tui::widgets::TitledBox;

use super::data::IncRow;
use super::{IncubationPane, RenderCx};

fn split(area: Rect) -> [Rect; 3] {
    let (first, list, detail) = crate::tui::panes::layout::list_and_detail(area, 1, 66);
    [first, list, detail]
}

pub fn list_rows(area: Rect) -> usize {
    split(area)[1].height.saturating_sub(1) as usize
}

pub fn render(p: &IncubationPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
    let th = rx.theme;
    let w = area.width as usize;
    let Some(d) = &p.data else {
        let msg = p
            .error
            .clone()
            .unwrap_or_else(|| t("incubation.tui.loading").to_string());
        put_str(buf, area.x + 1, area.y, &msg, w.saturating_sub(2), th.dim());
        return None;
    };
    let o = &d.occupancy;
    let line = tr!(
        "incubation.tui.line",
        taken = o.taken,
        seats = o.seats,
        spaces = d.spaces.len(),
        incubating = o.incubating,
        graduated = o.graduated_this_year,
        exits = o.exits_due
    );
    put_str(
        buf,
        area.x + 1,
        area.y,
        &line,
        w.saturating_sub(2),
        th.title(),
    );
    let [_, list, detail] = split(area);
    let lw = list.width as usize;
    // Columns: organization, space, stage, from, planned exit.
    let (sw, stw, dw) = (6usize, 6usize, 10usize);
    let ow = lw.saturating_sub(sw + stw + 2 * dw + 6).max(6);
    let cols = [
        (ow, "org"),
        (sw, "code"),
        (stw, "stage"),
        (dw, "from"),
        (dw, "to"),
    ];
    let put_row = |buf: &mut Buffer, y: u16, cells: [String; 5], style| {
        let mut x = list.x + 1;
        for ((cw, _), s) in cols.iter().zip(cells) {
            put_str(buf, x, y, &ellipsize(&s, *cw), *cw, style);
            x += *cw as u16 + 1;
        }
    };
    fill(buf, list.x, list.y, lw, th.header());
    put_row(
        buf,
        list.y,
        cols.map(|(_, k)| t(&format!("incubation.col.{k}")).to_string()),
        th.header(),
    );
    let rows_area = Rect::new(
        list.x,
        list.y + 1,
        list.width,
        list.height.saturating_sub(1),
    );
    let rows = p.rows();
    if rows.is_empty() {
        put_str(
            buf,
            rows_area.x + 1,
            rows_area.y,
            t("incubation.tui.none"),
            lw.saturating_sub(2),
            th.dim(),
        );
    }
    let l = lang();
    render_rows(&p.list, rows.len(), rows_area, 1, |i, row, selected| {
        let Some(r) = rows.get(i) else { return };
        let e = &r.record;
        let style = if selected {
            th.selected()
        } else if e.stage.is_out() {
            th.dim()
        } else {
            th.text()
        };
        if selected {
            fill(buf, row.x, row.y, lw, style);
        }
        put_row(
            buf,
            row.y,
            [
                r.org_name.clone(),
                r.space_code.clone(),
                e.stage.label(l).to_string(),
                e.from.to_string(),
                e.until().to_string(),
            ],
            style,
        );
    });
    if let Some(r) = p.selected() {
        render_detail(r, detail, buf, rx);
    }
    let form = p.form.as_ref()?;
    let popup = centered(area, 80, 12);
    let body = form_frame(popup, buf, form.title(), rx);
    form.render(body, buf, &th)
}

fn render_detail(r: &IncRow, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let th = rx.theme;
    if area.width < 16 || area.height < 4 {
        return;
    }
    let inner = TitledBox::new(&r.org_name).render(area, buf, &th);
    let iw = inner.width as usize;
    let l = lang();
    let e = &r.record;
    let mut lines: Vec<(String, bool)> = vec![(
        format!(
            "{} {}  {} ~ {}",
            r.space_code,
            e.stage.label(l),
            e.from,
            e.until()
        ),
        false,
    )];
    if let Some(c) = &e.cohort {
        lines.push((c.clone(), true));
    }
    for g in &e.goals {
        let met = e
            .met(*g)
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into());
        lines.push((format!("{} {met}", g.label(l)), false));
    }
    let party = |p: Option<crate::model::Party>| {
        p.map(|p| p.label(l).to_string())
            .unwrap_or_else(|| "-".into())
    };
    lines.push((
        tr!(
            "incubation.tui.party",
            entry = party(e.party_at_entry),
            exit = party(e.party_at_exit)
        ),
        true,
    ));
    if !e.assessment.is_empty() {
        let total: u32 = e.assessment.values().sum();
        lines.push((
            tr!(
                "incubation.tui.assessment",
                total = tenths_text(u64::from(total))
            ),
            false,
        ));
    }
    for (date, kind, hours) in &r.services {
        let h = hours
            .map(|h| format!(" {}h", tenths_text(u64::from(h))))
            .unwrap_or_default();
        lines.push((format!("{date} {kind}{h}"), false));
    }
    let mut y = inner.y;
    for (text, dim) in &lines {
        let style = if *dim { th.dim() } else { th.text() };
        for part in wrap(text, iw) {
            if y >= inner.y + inner.height {
                return;
            }
            put_str(buf, inner.x, y, &part, iw, style);
            y += 1;
        }
    }
}
