//! Drawing the 培训 pane: the events on the left, the selected one's
//! participants on the right, the sign-in form over it all.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::activity::tenths_text;
use crate::model::training::AttendStatus;
use crate::model::Labeled;
use crate::text::{lang, t};
use crate::tr;
use crate::tui::popups::{centered, form_frame};
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{ellipsize, fill, put_str};
use crate::tui::widgets::TitledBox;

use super::{RenderCx, TrainingPane};

fn split(area: Rect) -> [Rect; 3] {
    let (first, list, detail) = crate::tui::panes::layout::list_and_detail(area, 1, 68);
    [first, list, detail]
}

pub fn list_rows(area: Rect) -> usize {
    split(area)[1].height.saturating_sub(1) as usize
}

pub fn render(p: &TrainingPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
    let th = rx.theme;
    let w = area.width as usize;
    let Some(d) = &p.data else {
        let msg = p
            .error
            .clone()
            .unwrap_or_else(|| t("training.tui.loading").to_string());
        put_str(buf, area.x + 1, area.y, &msg, w.saturating_sub(2), th.dim());
        return None;
    };
    let signed: usize = d.events.iter().map(|e| e.signed).sum();
    let registered: usize = d.events.iter().map(|e| e.registered).sum();
    let mut line = tr!(
        "training.tui.line",
        events = d.events.len(),
        signed = signed,
        registered = registered
    );
    if let Some((done, planned)) = d.plan {
        line.push_str(&tr!("training.tui.plan", done = done, planned = planned));
    }
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
    let (dw, kw, sw) = (10usize, 8usize, 9usize);
    let tw = lw.saturating_sub(dw + kw + sw + 5).max(6);
    let put_row = |buf: &mut Buffer, y: u16, cells: [String; 4], style| {
        let mut x = list.x + 1;
        for (cw, s) in [dw, tw, kw, sw].into_iter().zip(cells) {
            put_str(buf, x, y, &ellipsize(&s, cw), cw, style);
            x += cw as u16 + 1;
        }
    };
    fill(buf, list.x, list.y, lw, th.header());
    put_row(
        buf,
        list.y,
        ["date", "title", "kind", "signed"].map(|k| t(&format!("training.col.{k}")).to_string()),
        th.header(),
    );
    let rows_area = Rect::new(
        list.x,
        list.y + 1,
        list.width,
        list.height.saturating_sub(1),
    );
    let events = p.events();
    if events.is_empty() {
        put_str(
            buf,
            rows_area.x + 1,
            rows_area.y,
            t("training.tui.none"),
            lw.saturating_sub(2),
            th.dim(),
        );
    }
    let l = lang();
    render_rows(&p.list, events.len(), rows_area, 1, |i, row, selected| {
        let Some(e) = events.get(i) else { return };
        let style = if selected { th.selected() } else { th.text() };
        if selected {
            fill(buf, row.x, row.y, lw, style);
        }
        put_row(
            buf,
            row.y,
            [
                e.record.date.to_string(),
                e.record.title.clone(),
                e.record.kind.label(l).to_string(),
                format!("{}/{}", e.signed, e.registered),
            ],
            style,
        );
    });
    if let Some(e) = p.selected() {
        if detail.width >= 16 && detail.height >= 4 {
            let inner = TitledBox::new(&e.record.title).render(detail, buf, &th);
            let iw = inner.width as usize;
            let rate = e
                .rate
                .map(|r| format!("{:.0}%", r * 100.0))
                .unwrap_or_else(|| "-".into());
            let head = tr!(
                "training.tui.detail",
                hours = tenths_text(u64::from(e.record.hours_tenths)),
                places = e
                    .record
                    .capacity
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "-".into()),
                rate = rate
            );
            put_str(buf, inner.x, inner.y, &head, iw, th.dim());
            for (k, part) in e
                .participants
                .iter()
                .take(inner.height.saturating_sub(1) as usize)
                .enumerate()
            {
                let style = if part.record.status == AttendStatus::SignedIn {
                    th.text()
                } else {
                    th.dim()
                };
                let text = format!("{}  {}", part.record.status.label(l), part.who);
                put_str(buf, inner.x, inner.y + 1 + k as u16, &text, iw, style);
            }
        }
    }
    let form = p.form.as_ref()?;
    let popup = centered(area, 70, 8);
    let body = form_frame(popup, buf, form.title(), rx);
    form.render(body, buf, &th)
}
