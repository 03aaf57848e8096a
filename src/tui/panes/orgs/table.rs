//! Drawing the organizations table and the line above it. Columns are laid
//! out by display width (a Chinese character takes two columns); a cell
//! that does not fit is cut between characters and ends with `..` (ASCII:
//! one column in every terminal, unlike `…`). Only the visible rows are
//! drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

use crate::model::{InspectionResult, Labeled, OrgType, Party, RegState};
use crate::tui::action::{Action, Context};
use crate::tui::key::show_seq;
use crate::tui::panes::RenderCx;
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{fill, grapheme_width, put_str, str_width};

use super::rows::OrgRow;
use super::OrgsPane;

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Name,
    Type,
    State,
    Place,
    Rating,
    Party,
    Inspection,
}

impl Col {
    fn header_key(self) -> &'static str {
        match self {
            Col::Name => "tui.col.name",
            Col::Type => "tui.col.type",
            Col::State => "tui.col.state",
            Col::Place => "tui.col.place",
            Col::Rating => "tui.col.rating",
            Col::Party => "tui.col.party",
            Col::Inspection => "tui.col.inspection",
        }
    }
}

fn max_label<T: Labeled>() -> usize {
    T::ALL
        .iter()
        .map(|v| str_width(crate::text::label(*v)))
        .max()
        .unwrap_or(0)
}

/// Column widths for a table `width` columns wide: every column but the
/// name gets what its longest label needs (capped); the name gets the rest.
/// Columns are dropped, least useful first, when the name would get less
/// than 16 columns. Returns the columns, their widths and the gap.
pub fn columns(width: u16) -> (Vec<(Col, usize)>, usize) {
    let head = |c: Col| str_width(crate::text::t(c.header_key()));
    let fixed = [
        (
            Col::Type,
            max_label::<OrgType>().min(14).max(head(Col::Type)),
        ),
        (
            Col::State,
            max_label::<RegState>().min(12).max(head(Col::State)),
        ),
        (Col::Place, 14usize.max(head(Col::Place))),
        (Col::Rating, 2usize.max(head(Col::Rating))),
        (
            Col::Party,
            max_label::<Party>().min(12).max(head(Col::Party)),
        ),
        (
            Col::Inspection,
            (5 + max_label::<InspectionResult>())
                .min(16)
                .max(head(Col::Inspection)),
        ),
    ];
    let mut cols: Vec<(Col, usize)> = fixed.to_vec();
    let total = width as usize;
    let need = |cols: &[(Col, usize)], gap: usize| -> usize {
        // Left margin 1, and a gap before each fixed column.
        1 + cols.iter().map(|(_, w)| w + gap).sum::<usize>()
    };
    let drop_order = [
        Col::Party,
        Col::Inspection,
        Col::Rating,
        Col::State,
        Col::Place,
        Col::Type,
    ];
    let mut gap = 2;
    for d in drop_order {
        if total >= need(&cols, 2) + 30 {
            gap = 2;
            break;
        }
        if total >= need(&cols, 1) + 16 {
            gap = 1;
            break;
        }
        cols.retain(|(c, _)| *c != d);
    }
    if cols.is_empty() {
        gap = 1;
    }
    let name = total.saturating_sub(need(&cols, gap)).max(1);
    let mut out = vec![(Col::Name, name)];
    out.extend(cols);
    (out, gap)
}

/// Characters to highlight in a cell: char indices, and the style patched
/// over them.
#[derive(Debug, Clone, Copy)]
pub struct Marks<'a> {
    pub at: &'a [usize],
    pub style: Style,
}

impl Marks<'_> {
    /// No highlight.
    pub const NONE: Marks<'static> = Marks {
        at: &[],
        style: Style::new(),
    };
}

/// Writes `text` in at most `width` columns; if it does not fit, cuts it
/// between characters and ends with `..`. Graphemes whose char index is in
/// `marks` get the marks' style patched over `style`.
pub fn put_cell(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    text: &str,
    width: usize,
    style: Style,
    marks: Marks,
) {
    let (marks, marked) = (marks.at, marks.style);
    if width == 0 {
        return;
    }
    let fits = str_width(text) <= width;
    let room = if fits { width } else { width.saturating_sub(2) };
    let mut col = 0usize;
    let mut ci = 0usize;
    for g in text.graphemes(true) {
        let gw = grapheme_width(g);
        let n = g.chars().count();
        if gw == 0 {
            ci += n;
            continue;
        }
        if col + gw > room {
            break;
        }
        let hit = !marks.is_empty() && (ci..ci + n).any(|i| marks.contains(&i));
        let s = if hit { style.patch(marked) } else { style };
        put_str(buf, x + col as u16, y, g, gw, s);
        col += gw;
        ci += n;
    }
    if !fits {
        put_str(buf, x + col as u16, y, "..", width - col, style);
    }
}

fn cell_text(row: &OrgRow, col: Col, none: &str) -> String {
    match col {
        Col::Name => row.name.clone(),
        Col::Type => crate::text::label(row.kind).to_string(),
        Col::State => crate::text::label(row.state).to_string(),
        Col::Place => {
            if row.place.is_empty() {
                none.to_string()
            } else {
                row.place.clone()
            }
        }
        Col::Rating => row
            .rating
            .map(|r| crate::text::label(r).to_string())
            .unwrap_or_else(|| none.to_string()),
        Col::Party => crate::text::label(row.party).to_string(),
        Col::Inspection => match row.inspection {
            Some((y, r)) => format!("{y} {}", crate::text::label(r)),
            None => none.to_string(),
        },
    }
}

/// The line above the table: the search (with the cursor while typing),
/// the filters, the sort, and the count. Returns the cursor position while
/// the search line has the focus.
pub fn render_status(
    pane: &OrgsPane,
    area: Rect,
    buf: &mut Buffer,
    rx: &RenderCx,
) -> Option<Position> {
    if area.height == 0 {
        return None;
    }
    let t = &rx.theme;
    let w = area.width as usize;
    let sort = crate::tr!(
        "tui.sort.label",
        by = crate::text::t(pane.sort.text_key()),
        dir = crate::text::t(if pane.reverse {
            "tui.sort.desc"
        } else {
            "tui.sort.asc"
        })
    );
    let count = crate::tr!("tui.count", shown = pane.view.len(), total = pane.live());
    let right = format!("{sort}  {count} ");
    let rw = str_width(&right);
    let right_x = area.x + w.saturating_sub(rw) as u16;
    put_str(buf, right_x, area.y, &right, rw.min(w), t.dim());
    let left_room = w.saturating_sub(rw + 2);
    let mut x = area.x + 1;
    let mut room = left_room.saturating_sub(1);
    let mut cursor = None;
    if pane.searching || !pane.search.is_empty() {
        let key = rx
            .keymap
            .first_keys(&[Context::Orgs], Action::SearchStart)
            .map(show_seq)
            .unwrap_or_else(|| "/".into());
        let prompt = format!("{key} ");
        let pw = put_str(buf, x, area.y, &prompt, room, t.key());
        x += pw as u16;
        room = room.saturating_sub(pw);
        let input_w = room.min(32);
        let style = if pane.searching {
            t.input_focused()
        } else {
            t.text()
        };
        let c = pane
            .search
            .render(Rect::new(x, area.y, input_w as u16, 1), buf, style);
        if pane.searching {
            cursor = c;
        }
        x += input_w as u16 + 1;
        room = room.saturating_sub(input_w + 1);
    }
    let labels = pane.filters.labels();
    if !labels.is_empty() && room > 4 {
        let text = format!(
            "{}{}",
            crate::text::t("tui.filter.label"),
            labels.join(", ")
        );
        put_cell(
            buf,
            x + 1,
            area.y,
            &text,
            room.saturating_sub(1),
            t.warning(),
            Marks::NONE,
        );
    }
    cursor
}

/// The table: header, then the visible rows.
pub fn render_table(pane: &OrgsPane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let t = &rx.theme;
    let (cols, gap) = columns(area.width);
    let none = crate::text::t("tui.detail.none");
    let [head, rows] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let mut x = head.x + 1;
    for (i, (c, w)) in cols.iter().enumerate() {
        if i > 0 {
            x += gap as u16;
        }
        put_cell(
            buf,
            x,
            head.y,
            crate::text::t(c.header_key()),
            *w,
            t.header(),
            Marks::NONE,
        );
        x += *w as u16;
    }
    if pane.view.is_empty() {
        let msg = if pane.live() == 0 {
            let key = rx
                .keymap
                .first_keys(&[Context::Orgs], Action::OrgAdd)
                .map(show_seq)
                .unwrap_or_default();
            crate::tr!("tui.empty", key = key)
        } else {
            let key = rx
                .keymap
                .first_keys(&[Context::Orgs], Action::FilterClear)
                .map(show_seq)
                .unwrap_or_default();
            crate::tr!("tui.empty_filtered", key = key)
        };
        if rows.height > 0 {
            put_str(
                buf,
                rows.x + 2,
                rows.y + 1.min(rows.height - 1),
                &msg,
                area.width.saturating_sub(4) as usize,
                t.dim(),
            );
        }
        return;
    }
    render_rows(
        &pane.list,
        pane.view.len(),
        rows,
        1,
        |pos, line, selected| {
            let key = pane.view[pos];
            let Some(row) = pane.rows.get(key as usize) else {
                return;
            };
            let y = line.y;
            let style = if selected { t.selected() } else { t.text() };
            if selected {
                fill(buf, line.x, y, line.width as usize, style);
                put_str(buf, line.x, y, ">", 1, style);
            }
            let marks = pane
                .highlights
                .get(&key)
                .map(|v| v.as_slice())
                .unwrap_or(&[]);
            let mut x = line.x + 1;
            for (ci, (c, w)) in cols.iter().enumerate() {
                if ci > 0 {
                    x += gap as u16;
                }
                let text = match (c, pane.found_by.get(&key)) {
                    (Col::Name, Some(cell)) => cell.clone(),
                    _ => cell_text(row, *c, none),
                };
                let (m, cell_style) = match c {
                    Col::Name => (marks, style),
                    _ if text == none => (&[][..], style.patch(t.dim())),
                    _ => (&[][..], style),
                };
                put_cell(
                    buf,
                    x,
                    y,
                    &text,
                    *w,
                    cell_style,
                    Marks {
                        at: m,
                        style: t.matched(),
                    },
                );
                x += *w as u16;
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    fn line(buf: &Buffer, y: u16) -> String {
        let mut s = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = str_width(sym).saturating_sub(1);
            s.push_str(sym);
        }
        s
    }

    #[test]
    fn cells_cut_between_characters_with_dots() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        put_cell(
            &mut buf,
            0,
            0,
            "望江门社区银龄互助会",
            9,
            Style::new(),
            Marks::NONE,
        );
        assert_eq!(line(&buf, 0), "望江门..    ");
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        put_cell(&mut buf, 0, 0, "望江门社区", 10, Style::new(), Marks::NONE);
        assert_eq!(line(&buf, 0), "望江门社区  ");
    }

    #[test]
    fn marks_patch_the_style() {
        use ratatui::style::{Color, Modifier};
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        let marked = Style::new().fg(Color::Yellow);
        let marks = Marks {
            at: &[1, 2],
            style: marked,
        };
        put_cell(
            &mut buf,
            0,
            0,
            "湖滨ab",
            10,
            Style::new().add_modifier(Modifier::REVERSED),
            marks,
        );
        assert_eq!(buf[(0, 0)].fg, Color::Reset);
        assert_eq!(buf[(2, 0)].fg, Color::Yellow);
        assert_eq!(buf[(4, 0)].fg, Color::Yellow);
        assert_eq!(buf[(5, 0)].fg, Color::Reset);
        assert!(buf[(2, 0)].modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn columns_fit_and_drop_least_useful_first() {
        crate::text::set_lang(crate::model::Lang::Zh);
        for width in [80u16, 100, 120, 200] {
            let (cols, gap) = columns(width);
            let used: usize =
                1 + cols.iter().map(|(_, w)| *w).sum::<usize>() + gap * (cols.len() - 1);
            assert!(used <= width as usize, "{width}: {used}");
            assert_eq!(cols[0].0, Col::Name);
            assert!(cols[0].1 >= 16, "{width}: {:?}", cols);
        }
        let (wide, _) = columns(120);
        assert_eq!(wide.len(), 7);
        let (narrow, _) = columns(80);
        assert!(!narrow.iter().any(|(c, _)| *c == Col::Party));
    }
}
