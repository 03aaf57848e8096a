//! Popups: forms, questions, help and pickers. They form a stack over the
//! panes; the top one gets every key first.

pub mod confirm;
pub mod form;
pub mod help;
pub mod picker;

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::widgets::{Clear, Widget};

use crossterm::event::KeyEvent;

use super::action::{Action, Context};
use super::common::RenderCx;
use super::widgets::TitledBox;

use confirm::Confirm;
use form::FormPopup;
use help::Help;
use picker::{PickFor, Picker};

use super::common::{Owner, Token};

/// A popup.
#[derive(Debug)]
pub enum Popup {
    Form(Box<FormPopup>),
    Confirm(Confirm),
    Help(Help),
    Picker(Box<Picker>),
}

/// What a popup wants after handling an action or key.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Not for this popup.
    Ignored,
    /// Handled; the popup stays.
    Stay,
    /// Close this popup.
    Close,
    /// A question was answered (the popup is closed): for its owner.
    Answer {
        owner: Owner,
        question: Token,
        yes: bool,
    },
    /// A choice was made (the popup is closed; `key` empty: all): for its
    /// owner.
    Pick {
        owner: Owner,
        what: PickFor,
        key: String,
    },
    /// A form popup's command, for its owner to check or save; the popup
    /// stays.
    Submit { owner: Owner, what: form::Submit },
    /// The form has unsaved input: its owner asks before closing it.
    AskDiscard { owner: Owner },
}

impl Popup {
    /// Keymap sections active in this popup.
    pub fn contexts(&self) -> &'static [Context] {
        match self {
            Popup::Form(_) => &[Context::Form],
            Popup::Confirm(_) => &[Context::Confirm],
            Popup::Help(_) => &[Context::Help],
            Popup::Picker(_) => &[Context::Picker],
        }
    }

    /// True if printable keys are typed into the popup.
    pub fn text_focus(&self) -> bool {
        matches!(self, Popup::Form(_) | Popup::Picker(_))
    }

    /// True if the popup wants this key before the keymap sees it (an open
    /// dropdown in a form takes Up/Down/Enter/Esc).
    pub fn wants_key_first(&self) -> bool {
        match self {
            Popup::Form(f) => f.form.dropdown_open(),
            _ => false,
        }
    }

    /// Handles an action.
    pub fn on_action(&mut self, action: Action) -> Reply {
        match self {
            Popup::Form(f) => f.on_action(action),
            Popup::Confirm(c) => c.on_action(action),
            Popup::Help(h) => h.on_action(action),
            Popup::Picker(p) => p.on_action(action),
        }
    }

    /// Handles a key the keymap does not bind (typing).
    pub fn on_key(&mut self, key: KeyEvent) -> Reply {
        match self {
            Popup::Form(f) => f.on_key(key),
            Popup::Picker(p) => p.on_key(key),
            _ => Reply::Ignored,
        }
    }

    /// Handles a paste.
    pub fn on_paste(&mut self, text: &str) -> Reply {
        match self {
            Popup::Form(f) => f.on_paste(text),
            Popup::Picker(p) => p.on_paste(text),
            _ => Reply::Ignored,
        }
    }

    /// The actions that make sense now, for the bottom bar.
    pub fn commands(&self) -> Vec<Action> {
        match self {
            Popup::Form(_) => vec![
                Action::FormSave,
                Action::FormCancel,
                Action::FormNext,
                Action::FormPrev,
                Action::Help,
            ],
            Popup::Confirm(_) => vec![Action::ConfirmYes, Action::ConfirmNo],
            Popup::Help(_) => vec![Action::HelpClose, Action::Down, Action::Up],
            Popup::Picker(_) => vec![
                Action::PickerAccept,
                Action::PickerCancel,
                Action::Down,
                Action::Up,
            ],
        }
    }

    /// Makes `owner` the one the popup answers (see `Cx::open`).
    pub fn set_owner(&mut self, owner: Owner) {
        match self {
            Popup::Confirm(c) => c.owner = owner,
            Popup::Picker(p) => p.owner = owner,
            Popup::Form(f) => f.owner = owner,
            Popup::Help(_) => {}
        }
    }

    /// Gives the popup the screen size (pages of lists).
    pub fn set_screen(&mut self, screen: Rect) {
        match self {
            Popup::Help(h) => h.set_screen(screen),
            Popup::Picker(p) => p.set_screen(screen),
            _ => {}
        }
    }

    /// Draws the popup over `screen`; returns where the cursor goes.
    pub fn render(&self, screen: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        match self {
            Popup::Form(f) => f.render(screen, buf, rx),
            Popup::Confirm(c) => {
                c.render(screen, buf, rx);
                None
            }
            Popup::Help(h) => {
                h.render(screen, buf, rx);
                None
            }
            Popup::Picker(p) => p.render(screen, buf, rx),
        }
    }
}

/// A centred rectangle of at most `w` x `h` inside `screen`, leaving a
/// margin of 2 columns and 1 row where possible.
pub fn centered(screen: Rect, w: u16, h: u16) -> Rect {
    let w = w
        .min(screen.width.saturating_sub(4))
        .max(screen.width.min(10));
    let h = h
        .min(screen.height.saturating_sub(2))
        .max(screen.height.min(3));
    center(screen, w, h)
}

/// The rectangle of `w` x `h` (no larger than `screen`) in the middle of
/// `screen`, the odd row or column of margin going below and to the right.
pub fn center(screen: Rect, w: u16, h: u16) -> Rect {
    let (w, h) = (w.min(screen.width), h.min(screen.height));
    let margin = |room: u16, size: u16| Constraint::Length((room - size) / 2);
    let [_, row, _] = Layout::vertical([
        margin(screen.height, h),
        Constraint::Length(h),
        Constraint::Min(0),
    ])
    .areas(screen);
    let [_, area, _] = Layout::horizontal([
        margin(screen.width, w),
        Constraint::Length(w),
        Constraint::Min(0),
    ])
    .areas(row);
    area
}

/// Clears `area` for a popup. A wide character just left of it, whose
/// right half lies under the popup, is blanked too, so half a character is
/// never left on screen.
pub fn clear(area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.x > buf.area.x {
        for y in area.top()..area.bottom() {
            let cell = &mut buf[(area.x - 1, y)];
            if cell.symbol().cell_width() > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    Clear.render(area, buf);
}

/// Clears `area` and draws a frame with `title`; returns the inside.
pub fn frame(area: Rect, buf: &mut Buffer, title: &str, rx: &RenderCx) -> Rect {
    clear(area, buf);
    TitledBox::new(title).focused().render(area, buf, &rx.theme)
}

/// [`frame`], then the inside less a column on either side: where a form's
/// fields go.
pub fn form_frame(area: Rect, buf: &mut Buffer, title: &str, rx: &RenderCx) -> Rect {
    frame(area, buf, title, rx).inner(Margin::new(1, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn center_rounds_down_like_halving_the_margin() {
        for sw in 0..40u16 {
            for w in 0..=sw {
                let screen = Rect::new(3, 2, sw, sw / 2 + 1);
                let h = w.min(screen.height);
                let r = center(screen, w, h);
                let want = Rect::new(3 + (sw - w) / 2, 2 + (screen.height - h) / 2, w, h);
                assert_eq!(r, want, "{sw} {w}");
            }
        }
    }
}
