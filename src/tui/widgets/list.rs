//! A scrolling list with a cursor: one state type ([`ListState`]: the
//! selected row and the first row shown) moved by the list actions (Up,
//! Down, PageUp, PageDown, Top, Bottom) so the selection stays visible,
//! and [`render_rows`], which hands each visible row's rectangle to a
//! closure. Every pane list and picker uses them.

use std::ops::Range;

use ratatui::layout::Rect;

use crate::tui::action::Action;

/// Where a selection at `sel` in a list of `len` rows goes on `action`,
/// a page being `page` rows; `None` when `action` does not move a
/// selection or the list is empty.
pub fn moved(sel: usize, action: Action, len: usize, page: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let page = page.max(1);
    let last = len - 1;
    Some(match action {
        Action::Up => sel.saturating_sub(1),
        Action::Down => (sel + 1).min(last),
        Action::PageUp => sel.saturating_sub(page),
        Action::PageDown => (sel + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

/// How the rows shown follow the selection when it leaves them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Follow {
    /// The selection stops at the edge: one row scrolls at a time.
    #[default]
    Edge,
    /// The rows jump by half a page, and PageUp/PageDown move the rows
    /// shown by a page with the selection at the same place on screen: on
    /// a slow link, one repaint every few rows instead of one per row
    /// (the organizations table, which can be 100,000 rows long).
    HalfPage,
}

/// A list position: the selected row and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub sel: usize,
    pub top: usize,
    follow: Follow,
}

impl ListState {
    /// A list at its first row, following the selection `follow`.
    pub fn new(follow: Follow) -> Self {
        ListState {
            follow,
            ..ListState::default()
        }
    }

    /// Back to the first row (the way of following stays).
    pub fn reset(&mut self) {
        *self = ListState::new(self.follow);
    }

    /// Moves the selection on a list action, in a list of `len` rows of
    /// which `page` are shown. True when the selection changed.
    pub fn apply(&mut self, action: Action, len: usize, page: usize) -> bool {
        if len == 0 {
            self.reset();
            return false;
        }
        let old = self.sel;
        match (self.follow, action) {
            (Follow::HalfPage, Action::PageUp) => self.page_by(false, len, page),
            (Follow::HalfPage, Action::PageDown) => self.page_by(true, len, page),
            _ => {
                let Some(sel) = moved(self.sel, action, len, page) else {
                    return false;
                };
                self.select(sel, len, page);
            }
        }
        old != self.sel
    }

    /// Selects row `i` (the last row when past it) and scrolls it into
    /// view.
    pub fn select(&mut self, i: usize, len: usize, page: usize) {
        if len == 0 {
            self.sel = 0;
            self.top = 0;
            return;
        }
        let page = page.max(1);
        self.sel = i.min(len - 1);
        match self.follow {
            Follow::Edge => self.scroll(len, page),
            Follow::HalfPage => {
                if self.sel < self.top {
                    self.top = self.sel.saturating_sub(page / 2);
                } else if self.sel >= self.top + page {
                    self.top = (self.sel + page / 2 + 1).saturating_sub(page);
                }
                self.clamp(len, page);
            }
        }
    }

    /// Keeps the selection inside the list and on screen, scrolling as
    /// little as possible (after the list or the page changed).
    pub fn scroll(&mut self, len: usize, page: usize) {
        let page = page.max(1);
        self.sel = self.sel.min(len.saturating_sub(1));
        if self.sel < self.top {
            self.top = self.sel;
        } else if self.sel >= self.top + page {
            self.top = self.sel + 1 - page;
        }
        self.top = self.top.min(len.saturating_sub(page));
    }

    /// Keeps the selection inside the list and the last page full,
    /// without scrolling to the selection.
    pub fn clamp(&mut self, len: usize, page: usize) {
        self.top = self.top.min(len.saturating_sub(page.max(1)));
        self.sel = self.sel.min(len.saturating_sub(1));
    }

    /// The rows shown by a page and the selection at the same place on
    /// screen; at the first or last page, the selection goes to the first
    /// or last row.
    fn page_by(&mut self, down: bool, len: usize, page: usize) {
        let page = page.max(1);
        let rel = self.sel.saturating_sub(self.top);
        if down {
            let max_top = len.saturating_sub(page);
            if self.top >= max_top {
                self.sel = len - 1;
            } else {
                self.top = (self.top + page).min(max_top);
                self.sel = (self.top + rel).min(len - 1);
            }
        } else if self.top == 0 {
            self.sel = 0;
        } else {
            self.top = self.top.saturating_sub(page);
            self.sel = self.top + rel;
        }
        self.clamp(len, page);
    }

    /// The positions shown in a list of `len` rows, `page` at a time.
    pub fn visible(&self, len: usize, page: usize) -> Range<usize> {
        let end = (self.top + page).min(len);
        self.top.min(end)..end
    }
}

/// Draws the rows of a list of `len` rows that fit in `area`, each
/// `height` lines tall, from the first row shown: `row(i, rect, selected)`
/// draws row `i` in `rect`. One row is drawn however short the area (its
/// rectangle cut to the area).
pub fn render_rows(
    state: &ListState,
    len: usize,
    area: Rect,
    height: u16,
    mut row: impl FnMut(usize, Rect, bool),
) {
    let height = height.max(1);
    let fit = (area.height / height).max(area.height.min(1)) as usize;
    for (k, i) in state.visible(len, fit).enumerate() {
        let y = area.y + k as u16 * height;
        let rect = Rect {
            y,
            height: height.min(area.bottom() - y),
            ..area
        };
        row(i, rect, i == state.sel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_inside_the_list() {
        assert_eq!(moved(0, Action::Up, 5, 2), Some(0));
        assert_eq!(moved(4, Action::Down, 5, 2), Some(4));
        assert_eq!(moved(1, Action::PageDown, 5, 2), Some(3));
        assert_eq!(moved(3, Action::PageDown, 5, 10), Some(4));
        assert_eq!(
            moved(3, Action::PageUp, 5, 0),
            Some(2),
            "a page is at least a row"
        );
        assert_eq!(moved(2, Action::Bottom, 5, 2), Some(4));
        assert_eq!(moved(2, Action::Top, 5, 2), Some(0));
        assert_eq!(moved(0, Action::Down, 0, 2), None);
        assert_eq!(moved(0, Action::FormSave, 5, 2), None);
    }

    #[test]
    fn cursor_moves_and_scrolls() {
        let mut c = ListState::default();
        assert!(c.apply(Action::Down, 10, 3));
        assert!(c.apply(Action::PageDown, 10, 3));
        assert_eq!((c.sel, c.top), (4, 2));
        assert!(c.apply(Action::Bottom, 10, 3));
        assert_eq!((c.sel, c.top), (9, 7));
        assert!(!c.apply(Action::Down, 10, 3));
        assert!(c.apply(Action::Top, 10, 3));
        assert_eq!((c.sel, c.top), (0, 0));
        assert!(!c.apply(Action::Down, 0, 3));
    }

    #[test]
    fn half_page_jumps_and_pages_keep_the_row_on_screen() {
        let mut c = ListState::new(Follow::HalfPage);
        for _ in 0..10 {
            c.apply(Action::Down, 100, 10);
        }
        assert_eq!((c.sel, c.top), (10, 6), "past the bottom: half a page");
        c.apply(Action::PageDown, 100, 10);
        assert_eq!((c.sel, c.top), (20, 16), "same place on screen");
        c.apply(Action::PageUp, 100, 10);
        c.apply(Action::PageUp, 100, 10);
        assert_eq!((c.sel, c.top), (4, 0));
        c.apply(Action::PageUp, 100, 10);
        assert_eq!((c.sel, c.top), (0, 0), "first page: to the first row");
        c.apply(Action::Bottom, 100, 10);
        assert_eq!((c.sel, c.top), (99, 90));
        c.select(50, 100, 10);
        assert_eq!((c.sel, c.top), (50, 45));
        c.apply(Action::Down, 0, 10);
        assert_eq!(c, ListState::new(Follow::HalfPage));
    }

    #[test]
    fn rows_drawn_are_those_on_screen() {
        let mut c = ListState::default();
        c.select(5, 8, 3);
        let mut seen = Vec::new();
        render_rows(&c, 8, Rect::new(2, 1, 10, 7), 2, |i, r, sel| {
            seen.push((i, r.y, r.height, sel))
        });
        assert_eq!(seen, [(3, 1, 2, false), (4, 3, 2, false), (5, 5, 2, true)]);
        seen.clear();
        render_rows(&c, 8, Rect::new(2, 1, 10, 2), 3, |i, r, sel| {
            seen.push((i, r.y, r.height, sel))
        });
        assert_eq!(seen, [(3, 1, 2, false)], "one row, cut");
    }
}
