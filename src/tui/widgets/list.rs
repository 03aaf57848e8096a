//! Moving a selection in a list: the one rule every pane and picker uses
//! for Up, Down, PageUp, PageDown, Top and Bottom.

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
}
