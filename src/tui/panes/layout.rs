//! The layout panes 0, 7, 8 and 9 share: heading lines on top, then a
//! list on the left and the selected row's detail on the right.

use ratatui::layout::{Constraint, Layout, Rect};

/// `(heading, list, detail)` of `area`: `head` lines of heading; the list
/// `wide` columns wide from 110 columns up, three fifths below that.
pub fn list_and_detail(area: Rect, head: u16, wide: u16) -> (Rect, Rect, Rect) {
    let [heading, body] =
        Layout::vertical([Constraint::Length(head), Constraint::Min(0)]).areas(area);
    let lw = if area.width >= 110 {
        wide
    } else {
        area.width * 3 / 5
    };
    let [list, detail] =
        Layout::horizontal([Constraint::Length(lw), Constraint::Min(0)]).areas(body);
    (heading, list, detail)
}
