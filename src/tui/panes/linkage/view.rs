//! Drawing the linkage pane from its state: nothing is computed here but
//! layout and text.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;

use crate::model::{Labeled, NeedState, PlaceLevel, Urgency};
use crate::text::t;
use crate::tui::panes::RenderCx;
use crate::tui::popups::{centered, form_frame};
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{ellipsize, fill, put_str, str_width};
use crate::tui::widgets::TitledBox;

use super::{Focus, LinkagePane};

/// Lines of the need detail above the offers (heading, two lines of facts,
/// three linkages).
const DETAIL_ROWS: u16 = 6;
/// Lines of the offers box besides the offer rows: heading, column names,
/// the maxima, a blank line, the selected offer, the legend.
const OFFER_FRAME_ROWS: u16 = 6;
/// The place column of the need list keeps at least this many columns
/// (titles are cut first).
const PLACE_MIN: usize = 10;
/// The provider column of the offers is shown when it gets this many.
const PROVIDER_MIN: usize = 8;
/// Most offer rows shown at once: every row changes with the selected
/// need, so more would cost a slow link more bytes per key than it helps
/// (the rest scroll into view with the offers focused).
const OFFER_ROWS_MAX: usize = 10;
/// Width of one score column.
const COL: usize = 5;

/// The needs on the left; a column apart, the selected need's detail and
/// its offers on the right.
fn split(area: Rect) -> [Rect; 3] {
    let lw = (area.width * 2 / 5).max(30).min(area.width);
    let gap = 1.min(area.width - lw);
    let [left, _, right] = Layout::horizontal([
        Constraint::Length(lw),
        Constraint::Length(gap),
        Constraint::Min(0),
    ])
    .areas(area);
    let [detail, offers] =
        Layout::vertical([Constraint::Length(DETAIL_ROWS), Constraint::Min(0)]).areas(right);
    [left, detail, offers]
}

/// A line above the rows.
fn title_and_rows(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area)
}

/// Need rows that fit in the pane.
pub fn list_rows(area: Rect) -> usize {
    title_and_rows(split(area)[0])[1].height as usize
}

/// Offer rows that fit under the need detail.
pub fn offer_rows(area: Rect) -> usize {
    (area.height.saturating_sub(DETAIL_ROWS + OFFER_FRAME_ROWS) as usize).min(OFFER_ROWS_MAX)
}

/// Overview rows that fit.
pub fn overview_rows(area: Rect) -> usize {
    area.height.saturating_sub(2) as usize
}

/// Pads `s` to `w` columns (clipping is left to `put_str`).
fn pad(s: &str, w: usize) -> String {
    let n = str_width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

fn right(s: &str, w: usize) -> String {
    let n = str_width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{}{s}", " ".repeat(w - n))
    }
}

/// The widest label of an enum in `lang`.
fn widest<T: Labeled>(lang: crate::model::Lang) -> usize {
    T::ALL
        .iter()
        .map(|v| str_width(v.label(lang)))
        .max()
        .unwrap_or(0)
}

/// Draws the pane.
pub fn render(p: &LinkagePane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let Some(d) = &p.data else {
        let msg = match &p.error {
            Some(e) => e.as_str(),
            None => t("linkage.tui.loading"),
        };
        put_str(
            buf,
            area.x + 2,
            area.y + 1,
            msg,
            area.width.saturating_sub(4) as usize,
            rx.theme.dim(),
        );
        return;
    };
    if p.overview {
        render_overview(p, area, buf, rx);
        return;
    }
    let [needs, detail, offers] = split(area);
    render_needs(p, needs, buf, rx);
    render_detail(p, detail, buf, rx);
    render_offers(p, offers, buf, rx);
    let _ = d;
}

/// Widths of the need list's columns in `w`: urgency, state (0 when it
/// does not fit), title, place. The state goes first, then titles are cut,
/// the place keeping [`PLACE_MIN`] columns.
fn need_columns(p: &LinkagePane, w: usize) -> [usize; 4] {
    let lang = crate::text::lang();
    let urg = widest::<Urgency>(lang) + 1;
    let (title, place) = (p.widths.need_title + 1, p.widths.need_place);
    let fixed = 2 + urg;
    let state = widest::<NeedState>(lang) + 1;
    let state = if w >= fixed + state + title + place {
        state
    } else {
        0
    };
    let avail = w.saturating_sub(fixed + state);
    let title = title.min(avail.saturating_sub(place.min(PLACE_MIN)));
    [urg, state, title, avail.saturating_sub(title)]
}

fn render_needs(p: &LinkagePane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let Some(d) = &p.data else { return };
    let mut title = crate::tr!("linkage.tui.needs", open = p.waiting(), n = p.shown.len());
    if let Some(f) = &p.place {
        title = format!("{title} {}", crate::tr!("linkage.tui.place", name = f.name));
    }
    let style = if p.focus == Focus::Needs {
        rx.theme.title()
    } else {
        rx.theme.dim()
    };
    let [title_line, rows] = title_and_rows(area);
    put_str(
        buf,
        title_line.x,
        title_line.y,
        &title,
        area.width as usize,
        style,
    );
    if p.shown.is_empty() {
        put_str(
            buf,
            rows.x + 1,
            rows.y,
            t("linkage.tui.no_needs"),
            area.width as usize - 1,
            rx.theme.dim(),
        );
        return;
    }
    let lang = crate::text::lang();
    let w = area.width as usize;
    let [urg_w, state_w, title_w, place_w] = need_columns(p, w);
    render_rows(&p.needs, p.shown.len(), rows, 1, |k, row, selected| {
        let Some(r) = d.needs.get(p.shown[k]) else {
            return;
        };
        let y = row.y;
        // A need done here stays listed, greyed, until the pane is left.
        let base = match (selected, r.finished()) {
            (true, _) => rx.theme.selected(),
            (false, true) => rx.theme.dim(),
            (false, false) => rx.theme.text(),
        };
        if selected {
            fill(buf, row.x, y, w, base);
        }
        let mark = if selected { "> " } else { "  " };
        let urg_style =
            if r.need.urgency.index() >= Urgency::High.index() && !selected && !r.finished() {
                rx.theme.warning()
            } else {
                base
            };
        let dim = if selected { base } else { rx.theme.dim() };
        let cells = [
            (mark.to_string(), base),
            (pad(r.need.urgency.label(lang), urg_w), urg_style),
            (pad(r.need.state.label(lang), state_w), dim),
            (
                pad(
                    &ellipsize(&r.need.title, title_w.saturating_sub(1)),
                    title_w,
                ),
                base,
            ),
            (ellipsize(&r.place_label(), place_w), dim),
        ];
        let mut x = row.x;
        for (k, (text, style)) in cells.iter().enumerate() {
            if k == 2 && state_w == 0 {
                continue;
            }
            let used = (x - row.x) as usize;
            x += put_str(buf, x, y, text, w.saturating_sub(used), *style) as u16;
        }
    });
}

fn render_detail(p: &LinkagePane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let Some(d) = &p.data else { return };
    let Some(r) = p.selected_need() else {
        TitledBox::heading(t("linkage.tui.detail")).render(area, buf, &rx.theme);
        return;
    };
    let inner = TitledBox::heading(&r.need.title).render(area, buf, &rx.theme);
    if inner.height == 0 {
        return;
    }
    let lang = crate::text::lang();
    let w = inner.width as usize;
    let domains: Vec<&str> = r.need.domains.iter().map(|x| x.label(lang)).collect();
    let line1 = crate::tr!(
        "linkage.tui.need_where",
        place = r.place_full(),
        domains = domains.join(" ")
    );
    put_str(buf, inner.x, inner.y, &line1, w, rx.theme.text());
    let none = t("linkage.tui.none");
    let date = |x: Option<chrono::NaiveDate>| x.map_or_else(|| none.to_string(), |v| v.to_string());
    let line2 = crate::tr!(
        "linkage.tui.need_when",
        urgency = r.need.urgency.label(lang),
        raised = date(r.need.raised),
        wanted = date(r.need.wanted_by),
        people = r
            .need
            .people
            .map_or_else(|| none.to_string(), |n| n.to_string())
    );
    if inner.height > 1 {
        put_str(buf, inner.x, inner.y + 1, &line2, w, rx.theme.dim());
    }
    let slots = inner.height.saturating_sub(2) as usize;
    let mut any = false;
    for (k, (_, l)) in d.linkages_of(&r.id).take(slots).enumerate() {
        any = true;
        let text = crate::tr!(
            "linkage.tui.linkage_line",
            state = l.state.label(lang),
            offer = offer_by(d, l.offers.first().map_or("", String::as_str))
        );
        let style = if l.state.is_final() {
            rx.theme.dim()
        } else {
            rx.theme.ok()
        };
        put_str(buf, inner.x, inner.y + 2 + k as u16, &text, w, style);
    }
    if !any && slots > 0 {
        put_str(
            buf,
            inner.x,
            inner.y + 2,
            t("linkage.tui.no_linkages"),
            w,
            rx.theme.dim(),
        );
    }
}

/// An offer's title with its provider's name (the title alone when the
/// provider is unknown).
fn offer_by(d: &super::LinkData, offer: &str) -> String {
    let (title, provider) = (d.offer_title(offer), d.offer_provider(offer));
    if provider.is_empty() {
        title.to_string()
    } else {
        crate::tr!("linkage.tui.offer_by", offer = title, provider = provider)
    }
}

/// Widths of the offer title and provider columns in `rest` columns: when
/// both do not fit, the title keeps at least half; the provider is left out
/// (0) under [`PROVIDER_MIN`] columns, and then named under the table for
/// the selected offer.
fn offer_columns(p: &LinkagePane, rest: usize) -> (usize, usize) {
    let (title, provider) = (p.widths.offer_title + 1, p.widths.offer_provider);
    let title = title.min((rest / 2).max(rest.saturating_sub(provider)));
    if rest >= title + PROVIDER_MIN {
        (title, rest - title)
    } else {
        (rest, 0)
    }
}

fn render_offers(p: &LinkagePane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let Some(d) = &p.data else { return };
    let title = crate::tr!("linkage.tui.offers", n = p.ranked.len());
    let inner = TitledBox::heading(&title).render(area, buf, &rx.theme);
    if inner.height == 0 {
        return;
    }
    let w = inner.width as usize;
    let (title_w, provider_w) = offer_columns(p, w.saturating_sub(7 * COL));
    let cols = [
        "score", "domain", "distance", "capacity", "target", "record", "timing",
    ];
    let mut head = String::new();
    for c in cols {
        head.push_str(&right(t(&format!("linkage.tui.col.{c}")), COL - 1));
        head.push(' ');
    }
    head.push_str(&pad(t("linkage.tui.col.offer"), title_w));
    if provider_w > 0 {
        head.push_str(t("linkage.tui.col.provider"));
    }
    put_str(buf, inner.x, inner.y, &head, w, rx.theme.header());
    // Each part's maximum is its weight; the score's is their sum.
    let weights = p.weights.sanitized();
    if inner.height > 1 {
        let mut max = right(&format!("{:.0}", weights.total()), COL - 1);
        max.push(' ');
        for (_, _, weight) in crate::matching::Parts::default().named(&weights) {
            max.push_str(&right(&format!("{weight:.0}"), COL - 1));
            max.push(' ');
        }
        max.push_str(t("linkage.tui.col.max"));
        put_str(buf, inner.x, inner.y + 1, &max, w, rx.theme.dim());
    }
    let rows = offer_rows(p.area).min(inner.height.saturating_sub(2) as usize);
    let [_, _, list, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(rows as u16),
        Constraint::Min(0),
    ])
    .areas(inner);
    if p.ranked.is_empty() {
        if inner.height > 2 {
            put_str(
                buf,
                list.x,
                list.y,
                t("linkage.tui.no_offers"),
                w,
                rx.theme.dim(),
            );
        }
        return;
    }
    render_rows(&p.offers, p.ranked.len(), list, 1, |k, row, selected| {
        let r = &p.ranked[k];
        let Some((_, o)) = d.matcher.offer(r.index) else {
            return;
        };
        let y = row.y;
        let style: Style = if selected && p.focus == Focus::Offers {
            rx.theme.selected()
        } else if selected {
            rx.theme.title()
        } else {
            rx.theme.text()
        };
        if selected {
            fill(buf, row.x, y, w, style);
        }
        let mut line = right(&format!("{:.0}", r.score), COL - 1);
        line.push(' ');
        for (_, part, weight) in r.parts.named(&weights) {
            line.push_str(&right(&format!("{:.0}", part * weight), COL - 1));
            line.push(' ');
        }
        let used = str_width(&line);
        put_str(buf, row.x, y, &line, w, style);
        let x = row.x + used as u16;
        if provider_w == 0 {
            put_str(buf, x, y, &o.title, w.saturating_sub(used), style);
            return;
        }
        let cell = pad(&ellipsize(&o.title, title_w - 1), title_w);
        put_str(buf, x, y, &cell, title_w, style);
        let provider = ellipsize(d.provider_name(&o.provider), provider_w);
        let dim = if selected { style } else { rx.theme.dim() };
        put_str(buf, x + title_w as u16, y, &provider, provider_w, dim);
    });
    // The selected offer's provider and capacity, then the legend of the
    // parts, under the table (a line apart).
    let y = list.y + 1 + rows.min(p.ranked.len()) as u16;
    if let (Some((_, o, _)), true) = (p.selected_offer(), y < inner.bottom()) {
        let none = t("linkage.tui.none");
        let capacity = match o.capacity {
            Some(c) => format!("{}/{c}", o.committed),
            None => none.to_string(),
        };
        let text = crate::tr!(
            "linkage.tui.offer_line",
            title = o.title,
            provider = d.provider_name(&o.provider),
            capacity = capacity
        );
        put_str(buf, inner.x, y, &text, w, rx.theme.dim());
    }
    if y + 1 < inner.bottom() {
        put_str(
            buf,
            inner.x,
            y + 1,
            t("linkage.tui.legend"),
            w,
            rx.theme.dim(),
        );
    }
}

fn render_overview(p: &LinkagePane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let Some(d) = &p.data else { return };
    let inner = TitledBox::heading(t("linkage.tui.overview")).render(area, buf, &rx.theme);
    if inner.height == 0 {
        return;
    }
    let w = inner.width as usize;
    let name_w = w.saturating_sub(4 * 9).clamp(10, 40);
    let mut head = pad(t("linkage.tui.col.place"), name_w);
    for c in ["open", "urgent", "offers", "in_progress"] {
        head.push_str(&right(t(&format!("linkage.tui.col.{c}")), 8));
        head.push(' ');
    }
    let [head_line, rows] = title_and_rows(inner);
    put_str(buf, head_line.x, head_line.y, &head, w, rx.theme.header());
    let places = &d.overview.rows;
    render_rows(&p.overview_at, places.len(), rows, 1, |k, row, selected| {
        let r = &places[k];
        let y = row.y;
        let style = if selected {
            rx.theme.selected()
        } else if r.level == PlaceLevel::Community {
            rx.theme.title()
        } else {
            rx.theme.text()
        };
        if selected {
            fill(buf, row.x, y, w, style);
        }
        let name = if r.level == PlaceLevel::Community {
            r.name.clone()
        } else {
            format!("  {}", r.name)
        };
        // Clip the name to its column, then pad it.
        let mut line = String::new();
        let mut used = 0;
        for ch in name.chars() {
            let cw = str_width(ch.encode_utf8(&mut [0; 4]));
            if used + cw > name_w.saturating_sub(1) {
                break;
            }
            used += cw;
            line.push(ch);
        }
        let mut line = pad(&line, name_w);
        for n in [r.open_needs, r.urgent, r.offers, r.in_progress] {
            line.push_str(&right(&n.to_string(), 8));
            line.push(' ');
        }
        put_str(buf, row.x, y, &line, w, style);
    });
}

/// Draws the open form over the pane; the caret position if a field
/// takes text.
pub fn render_form(
    p: &LinkagePane,
    area: Rect,
    buf: &mut Buffer,
    rx: &RenderCx,
) -> Option<Position> {
    let form = p.form.as_ref()?;
    // The fields, with room for errors below them and a warning above.
    let rows = form.keys().count() as u16 + 7;
    let popup = centered(area, 96, rows);
    let body = form_frame(popup, buf, form.title(), rx);
    form.render(body, buf, &rx.theme)
}
