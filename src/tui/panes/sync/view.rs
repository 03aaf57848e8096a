//! Drawing the sync pane: this office and its peers in a box above, the
//! conflicts below (three lines each: record and field, the kept value,
//! the overwritten one), and the open question on top. Reads the pane's
//! state only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::style::Style;

use crate::store::{replica_hex, FieldVersion};
use crate::sync::describe::{hlc_text, ms_time, unfinished_text};
use crate::sync::words::{field_text, value_text, NameBook};
use crate::sync::ConflictRow;
use crate::text::t;
use crate::tr;
use crate::tui::action::{Action, Context};
use crate::tui::key::show_seq;
use crate::tui::popups::{centered, form_frame, frame};
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{ellipsize, fill, put_str, str_width, wrap};
use crate::tui::widgets::{Form, TitledBox};

use super::{record_name, Ask, RenderCx, SyncPane};

/// Lines per conflict in the list.
const ROW_LINES: u16 = 3;

/// Draws the pane; returns the cursor of an open text question.
pub fn render(p: &SyncPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
    let width = area.width.saturating_sub(2) as usize;
    match &p.data {
        None => {
            let (text, style) = match &p.error {
                Some(e) => (e.clone(), rx.theme.error()),
                None => (t("sync.tui.loading").to_string(), rx.theme.dim()),
            };
            put_str(buf, area.x + 1, area.y + 1, &text, width, style);
        }
        Some(_) => {
            let [status, conflicts] = split(p, area);
            status_box(p, status, buf, rx);
            conflicts_box(p, conflicts, buf, rx);
        }
    }
    if let Some(form) = &p.setup {
        return setup_box(form, area, buf, rx);
    }
    p.ask.as_ref().and_then(|a| ask_box(p, a, area, buf, rx))
}

/// The status box over the conflicts box.
fn split(p: &SyncPane, area: Rect) -> [Rect; 2] {
    let width = area.width.saturating_sub(2) as usize;
    // Two office lines, the notes (signing settings, unfinished imports)
    // wrapped, a header and a line per peer (or the line saying there are
    // none), and the borders.
    let peers = p.data.as_ref().map_or(0, |d| d.status.peers.len()) as u16;
    let peer_lines = 1 + peers;
    let notes = notes(p, width).len() as u16;
    let want = 2 + notes + peer_lines + 2;
    let top_h = want.min(area.height / 2).max(3).min(area.height);
    Layout::vertical([Constraint::Length(top_h), Constraint::Min(0)]).areas(area)
}

/// Conflicts shown at once in the pane's `area` (at least one).
pub fn conflict_rows(p: &SyncPane, area: Rect) -> usize {
    let inner = split(p, area)[1].height.saturating_sub(2);
    (inner / ROW_LINES).max(1) as usize
}

/// The key of `sync.export` in this keymap (`x`).
fn export_key(rx: &RenderCx) -> String {
    rx.keymap
        .first_keys(&[Context::Sync], Action::SyncExport)
        .map(show_seq)
        .unwrap_or_default()
}

/// The office-and-network form, centred over the pane, with room for its
/// notice (two lines) at the top and an error under each field.
fn setup_box(form: &Form, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
    let popup = centered(area, 72, 9);
    let body = form_frame(popup, buf, form.title(), rx);
    form.render(body, buf, &rx.theme)
}

/// The notes under the office lines, wrapped to `width` columns: the
/// signing settings in force, and imports left unfinished (`true`: a
/// warning).
fn notes(p: &SyncPane, width: usize) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let signing = match (p.settings.sign, p.settings.require_signature) {
        (false, false) => None,
        (true, false) => Some(t("sync.tui.signing_sign")),
        (false, true) => Some(t("sync.tui.signing_require")),
        (true, true) => Some(t("sync.tui.signing_both")),
    };
    if let Some(text) = signing {
        out.extend(wrap(text, width).into_iter().map(|l| (l, false)));
    }
    if let Some(n) = p.data.as_ref().map(|d| d.status.held).filter(|n| *n > 0) {
        out.extend(
            wrap(&crate::tr!("sync.status_held", n = n), width)
                .into_iter()
                .map(|l| (l, true)),
        );
    }
    for u in p.data.iter().flat_map(|d| &d.status.unfinished) {
        out.extend(
            wrap(&unfinished_text(u), width)
                .into_iter()
                .map(|l| (l, true)),
        );
    }
    out
}

fn status_box(p: &SyncPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let Some(d) = &p.data else { return };
    let s = &d.status;
    let inner = TitledBox::new(t("sync.tui.office_box")).render(area, buf, &rx.theme);
    let w = inner.width as usize;
    let network = match &s.network {
        Some(n) => tr!("sync.status_network", network = n),
        // Not the command line's advice: here `x` asks for it.
        None => tr!("sync.tui.no_network", key = export_key(rx)),
    };
    let mut lines: Vec<(String, Style)> = vec![
        (
            format!(
                "{}    {network}",
                tr!("sync.status_office", office = s.office)
            ),
            rx.theme.text(),
        ),
        (
            format!(
                "{}    {}",
                tr!("sync.status_replica", replica = replica_hex(&s.replica)),
                tr!("sync.status_changes", n = s.changes)
            ),
            rx.theme.dim(),
        ),
    ];
    for (text, warn) in notes(p, w) {
        let style = if warn {
            rx.theme.warning()
        } else {
            rx.theme.dim()
        };
        lines.push((text, style));
    }
    if s.peers.is_empty() {
        lines.push((tr!("sync.status_no_peers"), rx.theme.dim()));
    } else {
        let name_w = s
            .peers
            .iter()
            .map(|p| str_width(&p.office))
            .chain([str_width(t("sync.col_peer"))])
            .max()
            .unwrap_or(0)
            .min(24);
        let time_w = 16.max(str_width(t("sync.col_received")));
        let sent_w = 16.max(str_width(t("sync.col_sent")));
        let row = |a: &str, b: &str, c: &str, d: &str| {
            format!(
                "{}  {}  {}  {d}",
                pad(a, name_w),
                pad(b, time_w),
                pad(c, sent_w)
            )
        };
        lines.push((
            row(
                t("sync.col_peer"),
                t("sync.col_received"),
                t("sync.col_sent"),
                t("sync.col_owed"),
            ),
            rx.theme.header(),
        ));
        for peer in &s.peers {
            lines.push((
                row(
                    &peer.office,
                    &ms_time(peer.last_received),
                    &ms_time(peer.last_sent),
                    &peer.owed.to_string(),
                ),
                rx.theme.text(),
            ));
        }
    }
    for (i, (text, style)) in lines.iter().take(inner.height as usize).enumerate() {
        put_str(buf, inner.x, inner.y + i as u16, text, w, *style);
    }
}

/// `s` cut or padded to `w` columns.
fn pad(s: &str, w: usize) -> String {
    let s = ellipsize(s, w);
    let n = w.saturating_sub(str_width(&s));
    format!("{s}{}", " ".repeat(n))
}

/// One side of a conflict: the value in words, who, where, when.
fn side(row: &ConflictRow, v: &FieldVersion, office: &str, names: &NameBook) -> String {
    format!(
        "{}  ({}, {}, {})",
        value_text(row.kind, &row.field, &v.value, names),
        if v.author.is_empty() { "-" } else { &v.author },
        office,
        hlc_text(v.hlc)
    )
}

fn conflicts_box(p: &SyncPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    if area.height < 3 {
        return;
    }
    let Some(d) = &p.data else { return };
    let title = tr!("sync.tui.conflicts_box", n = d.conflicts.len());
    let inner = TitledBox::new(&title).render(area, buf, &rx.theme);
    let w = inner.width as usize;
    if d.conflicts.is_empty() {
        put_str(
            buf,
            inner.x,
            inner.y,
            t("sync.no_conflicts"),
            w,
            rx.theme.dim(),
        );
        return;
    }
    let kept = t("sync.col_kept");
    let lost = t("sync.col_lost");
    let label_w = str_width(kept).max(str_width(lost));
    render_rows(
        &p.list,
        d.conflicts.len(),
        inner,
        ROW_LINES,
        |i, at, selected| {
            let row = &d.conflicts[i];
            let y = at.y;
            let head_style = if selected {
                rx.theme.selected()
            } else {
                rx.theme.text()
            };
            if selected {
                fill(buf, inner.x, y, w, head_style);
            }
            let head = format!(
                "{:>2}. {}  /  {}",
                row.n,
                record_name(row, &d.names),
                field_text(row.kind, &row.field)
            );
            put_str(buf, inner.x, y, &head, w, head_style);
            let lines = [
                (
                    kept,
                    side(row, &row.winner, &row.winner_office, &d.names),
                    rx.theme.ok(),
                ),
                (
                    lost,
                    side(row, &row.loser, &row.loser_office, &d.names),
                    rx.theme.warning(),
                ),
            ];
            for (k, (label, text, style)) in lines.iter().enumerate() {
                let ly = y + 1 + k as u16;
                if ly >= at.bottom() {
                    break;
                }
                let line = format!("    {}  {text}", pad(label, label_w));
                put_str(buf, at.x, ly, &line, w, *style);
            }
        },
    );
}

/// What importing a roster would do, most important first (the rows to
/// add, update and skip, or the errors), then the columns; the last line
/// asks before writing. As much as the screen holds.
fn preview_box(p: &super::data::Preview, screen: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let w = screen.width.saturating_sub(4).clamp(20, 76);
    let text_w = w.saturating_sub(4) as usize;
    let mut lines: Vec<(String, Style)> = Vec::new();
    for (i, l) in p.lines.iter().enumerate() {
        let style = match (i, p.ok) {
            (0, true) => rx.theme.text(),
            (_, false) if !l.starts_with(' ') && i + 1 < p.lines.len() => rx.theme.error(),
            _ => rx.theme.dim(),
        };
        for part in wrap(l, text_w) {
            lines.push((part, style));
        }
    }
    let ask = if p.ok {
        t("sync.tui.roster_ask")
    } else {
        t("sync.tui.roster_fix")
    };
    let height = (lines.len() as u16 + 3)
        .min(screen.height.saturating_sub(2))
        .max(4);
    let area = centered(screen, w, height);
    let inner = frame(area, buf, t("sync.tui.roster_preview_title"), rx);
    let [text, ask_line] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)])
        .areas(inner.inner(Margin::new(1, 0)));
    for (i, (l, style)) in lines.iter().take(text.height as usize).enumerate() {
        put_str(buf, text.x, text.y + i as u16, l, text_w, *style);
    }
    if inner.height > 0 {
        put_str(buf, ask_line.x, ask_line.y, ask, text_w, rx.theme.title());
    }
}

fn ask_box(
    p: &SyncPane,
    ask: &Ask,
    screen: Rect,
    buf: &mut Buffer,
    rx: &RenderCx,
) -> Option<Position> {
    let (title, hint, input) = match ask {
        Ask::Peer(i) => {
            let peers: Vec<&str> = p
                .data
                .iter()
                .flat_map(|d| d.status.peers.iter().map(|p| p.office.as_str()))
                .collect();
            let hint = if peers.is_empty() {
                t("sync.tui.export_hint").to_string()
            } else {
                tr!("sync.tui.export_hint_peers", peers = peers.join("、"))
            };
            (t("sync.tui.export_title"), hint, i)
        }
        Ask::File(i) => (
            t("sync.tui.import_title"),
            t("sync.tui.import_hint").to_string(),
            i,
        ),
        Ask::Roster(i) => (
            t("sync.tui.roster_title"),
            t("sync.tui.roster_hint").to_string(),
            i,
        ),
        Ask::RosterPreview(p) => {
            preview_box(p, screen, buf, rx);
            return None;
        }
        Ask::Restore { text, .. } => {
            let lines = wrap(text, 56);
            let area = centered(screen, 60, lines.len() as u16 + 2);
            let inner = frame(area, buf, t("sync.tui.restore_title"), rx);
            for (i, l) in lines.iter().take(inner.height as usize).enumerate() {
                put_str(
                    buf,
                    inner.x + 1,
                    inner.y + i as u16,
                    l,
                    inner.width.saturating_sub(2) as usize,
                    rx.theme.text(),
                );
            }
            return None;
        }
    };
    let hint_lines = wrap(&hint, 56);
    let area = centered(screen, 60, hint_lines.len() as u16 + 3);
    let inner = frame(area, buf, title, rx);
    // The hint, then the text field, a column in from the frame.
    let [hint_area, rest] = Layout::vertical([
        Constraint::Length(hint_lines.len() as u16),
        Constraint::Min(0),
    ])
    .areas(inner.inner(Margin::new(1, 0)));
    let w = hint_area.width as usize;
    for (i, l) in hint_lines.iter().enumerate() {
        put_str(
            buf,
            hint_area.x,
            hint_area.y + i as u16,
            l,
            w,
            rx.theme.dim(),
        );
    }
    if rest.height == 0 {
        return None;
    }
    let [field, _] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(rest);
    input.render(field, buf, rx.theme.input_focused())
}
