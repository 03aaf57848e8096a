//! The whole screen, drawn from `&App`: the top bar with the panes, the
//! active pane, the popups, the which-key box of a chord being typed, and
//! the bottom bar with the keys available now (from the active keymap, in
//! the current language) and messages.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::Frame;

use super::app::{App, Tone, MIN_COLS, MIN_ROWS};
use super::key::{show_seq, Key};
use super::panes::RenderCx;
use super::popups::frame;
use super::theme::Theme;
use super::widgets::width::{fill, put_str, str_width, wrap};

/// The top bar, the pane area and the bottom bar of a screen.
pub fn split(screen: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(screen)
}

/// Draws the app on a frame.
pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    let cursor = render(app, area, f.buffer_mut());
    if let Some(c) = cursor {
        f.set_cursor_position(c);
    }
}

/// Draws the app into `buf`; returns where the terminal cursor goes.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let t = app.shell.theme;
    if area.width < MIN_COLS || area.height < MIN_ROWS {
        let quit = app
            .shell
            .keymap
            .first_keys(&app.contexts(), super::action::Action::Quit)
            .map(show_seq);
        let mut msg = crate::tr!(
            "tui.too_small",
            cols = MIN_COLS,
            rows = MIN_ROWS,
            w = area.width,
            h = area.height
        );
        if let Some(q) = quit {
            msg.push_str(&crate::tr!("tui.too_small_quit", key = q));
        }
        let lines = wrap(&msg, area.width.max(1) as usize);
        for (y, line) in (area.y..area.bottom()).zip(&lines) {
            put_str(buf, area.x, y, line, area.width as usize, t.warning());
        }
        return None;
    }
    let [top, main, bottom] = split(area);
    top_bar(app, top, buf);
    let rx = RenderCx {
        theme: t,
        keymap: &app.shell.keymap,
        shared: &app.shell.shared,
    };
    let mut cursor = None;
    if let Some(e) = &app.shell.load_error {
        put_str(
            buf,
            main.x + 2,
            main.y + 1,
            e,
            main.width as usize - 4,
            t.error(),
        );
    } else if app.shell.loading {
        put_str(
            buf,
            main.x + 2,
            main.y + 1,
            crate::text::t("tui.loading"),
            main.width as usize - 4,
            t.dim(),
        );
    } else {
        cursor = app.pane().render(main, buf, &rx);
    }
    for p in &app.shell.popups {
        cursor = p.render(main, buf, &rx);
    }
    if !app.shell.pending.is_empty() {
        which_key(app, main, buf, &rx);
    }
    bottom_bar(app, bottom, buf);
    cursor
}

fn top_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.shell.theme;
    let mut x = area.x;
    let titles = app.pane_titles();
    // Pane 10 is on key 0.
    let full = |i: usize, key: &str| format!(" {} {} ", (i + 1) % 10, crate::text::t(key));
    // When every title does not fit (six panes in English at 80 columns),
    // the other panes show only their number.
    let all: usize = titles
        .iter()
        .enumerate()
        .map(|(i, k)| str_width(&full(i, k)) + 1)
        .sum();
    let compact = all > area.width as usize;
    for (i, key) in titles.iter().enumerate() {
        let label = if compact && i != app.shell.active {
            format!(" {} ", (i + 1) % 10)
        } else {
            full(i, key)
        };
        let style = if i == app.shell.active {
            t.tab_active()
        } else {
            t.dim()
        };
        let w = put_str(
            buf,
            x,
            area.y,
            &label,
            area.right().saturating_sub(x) as usize,
            style,
        );
        x += w as u16 + 1;
    }
    let brand = " 三社 sanshe ";
    let bw = str_width(brand) as u16;
    // The gap after the last title is the brand's own leading space.
    if area.width >= bw + x - area.x {
        put_str(buf, area.right() - bw, area.y, brand, bw as usize, t.dim());
    }
}

/// The hints of the bottom bar: (keys, description) for each action that
/// makes sense now, from the active keymap. Chords are shown by their
/// first key with the group's name (`f 筛选`), once.
pub fn hints(app: &App) -> Vec<(String, String)> {
    let ctxs = app.contexts();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<Key> = Vec::new();
    for a in app.commands() {
        let Some(b) = app.shell.keymap.first_binding(&ctxs, a) else {
            continue;
        };
        let (keys, desc) = if b.keys.len() > 1 {
            let group = a.name().split('.').next().unwrap_or("");
            let gk = format!("tui.group.{group}");
            let g = crate::text::t(&gk);
            let desc = if g == gk { b.describe() } else { g.to_string() };
            (show_seq(&b.keys[..1]), desc)
        } else {
            (show_seq(&b.keys), b.describe())
        };
        if seen.contains(&b.keys[0]) && b.keys.len() > 1 {
            continue;
        }
        seen.push(b.keys[0]);
        out.push((keys, desc));
    }
    out
}

fn tone_style(t: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Info => t.text(),
        Tone::Ok => t.ok(),
        Tone::Warn => t.warning(),
        Tone::Error => t.error(),
    }
}

fn bottom_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let t = app.shell.theme;
    let w = area.width as usize;
    let mut x = area.x + 1;
    let mut room = w.saturating_sub(1);
    if let Some(s) = &app.shell.status {
        let used = put_str(buf, x, area.y, &s.text, room, tone_style(&t, s.tone));
        x += used as u16 + 3;
        room = room.saturating_sub(used + 3);
    }
    for (keys, desc) in hints(app) {
        let need = str_width(&keys) + 1 + str_width(&desc);
        if need > room {
            break;
        }
        put_str(buf, x, area.y, &keys, room, t.key());
        let kx = x + str_width(&keys) as u16 + 1;
        put_str(buf, kx, area.y, &desc, room, t.text());
        x += need as u16 + 2;
        room = room.saturating_sub(need + 2);
    }
}

/// The which-key box: how a chord can go on.
fn which_key(app: &App, main: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let ctxs = app.contexts();
    let next = app.shell.keymap.continuations(&ctxs, &app.shell.pending);
    if next.is_empty() {
        return;
    }
    let lines: Vec<(String, String)> = next
        .iter()
        .map(|(k, b)| (k.to_string(), b.describe()))
        .collect();
    let kw = lines.iter().map(|(k, _)| str_width(k)).max().unwrap_or(1);
    let dw = lines.iter().map(|(_, d)| str_width(d)).max().unwrap_or(1);
    let title = format!(
        "{} {}",
        show_seq(&app.shell.pending),
        crate::text::t("tui.group.chord")
    );
    let w = (kw + dw + 5)
        .max(str_width(&title) + 4)
        .min(main.width as usize) as u16;
    let h = (lines.len() as u16 + 2).min(main.height);
    // In the bottom right corner, a column from the edge.
    let [_, row] = Layout::vertical([Constraint::Min(0), Constraint::Length(h)]).areas(main);
    let [_, area, _] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(w),
        Constraint::Length(1.min(main.width - w)),
    ])
    .areas(row);
    let inner = frame(area, buf, &title, rx);
    for (i, (k, d)) in lines.iter().enumerate().take(inner.height as usize) {
        let y = inner.y + i as u16;
        fill(buf, inner.x, y, inner.width as usize, rx.theme.text());
        put_str(buf, inner.x + 1, y, k, kw, rx.theme.key());
        let room = (inner.width as usize).saturating_sub(kw + 2);
        put_str(buf, inner.x + 2 + kw as u16, y, d, room, rx.theme.text());
    }
}
