//! Panes: the screens named in the top bar (组织 Organizations, 三社联动
//! Linkage; later issues add 活动, 评价, 概览). Each is a module implementing
//! [`Pane`]: it handles actions and keys, lists the commands available now
//! (for the bottom bar and help), and renders from `&self`. To add one, see
//! the pane list in `App::pane_at` (`app.rs`).

pub mod activities;
pub mod dashboard;
pub mod evaluations;
pub mod linkage;
pub mod orgs;
pub mod sync;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crossterm::event::KeyEvent;

use super::action::{Action, Context};
use super::app::{Effect, Shared, Status};
use super::export::Listed;
use super::keymap::Keymap;
use super::popups::Popup;
use super::theme::Theme;
use super::widgets::form::Form;
use super::worker::Request;

/// What a pane may touch while it handles an action: the effects to run,
/// the popup stack, the status message and the state shared by panes.
pub struct Cx<'a> {
    pub effects: &'a mut Vec<Effect>,
    pub popups: &'a mut Vec<Popup>,
    pub status: &'a mut Option<Status>,
    pub shared: &'a mut Shared,
    pub keymap: &'a Keymap,
}

impl Cx<'_> {
    /// Sends a request to the store worker.
    pub fn request(&mut self, r: Request) {
        self.effects.push(Effect::Store(r));
    }

    /// Shows a message in the bottom bar (until the next key).
    pub fn say(&mut self, status: Status) {
        *self.status = Some(status);
    }

    /// Opens a popup on top of the stack.
    pub fn open(&mut self, p: Popup) {
        self.popups.push(p);
    }

    /// Undoes the session's last change, whatever pane made it (the app
    /// gives the answer to the pane it concerns).
    pub fn undo(&mut self) {
        if self.shared.undo_busy {
            return;
        }
        let Some(change) = self.shared.undo.last() else {
            self.say(Status::info(crate::tr!("tui.nothing_to_undo")));
            return;
        };
        let mut cmds = change.inverse();
        let request = if let crate::tui::undo::Change::Linkage { .. } = change {
            // Pane 2 undoes its own changes, in one batch, and reads again.
            Request::Linkage(linkage::data::LinkRequest::Undo {
                cmds,
                today: self.shared.today,
            })
        } else {
            let Some(cmd) = cmds.pop() else {
                return;
            };
            Request::Execute {
                cmd: Box::new(cmd),
                purpose: crate::tui::worker::Purpose::Undo,
            }
        };
        self.shared.undo_busy = true;
        self.request(request);
    }
}

/// What a pane reads while drawing.
pub struct RenderCx<'a> {
    pub theme: Theme,
    pub keymap: &'a Keymap,
    pub shared: &'a Shared,
}

/// The actions of a form open inside a pane, for the bottom bar and help.
pub const FORM_COMMANDS: [Action; 4] = [
    Action::FormSave,
    Action::FormCancel,
    Action::FormNext,
    Action::FormPrev,
];

/// `Esc` on a pane's form, the same in every pane: a form with nothing
/// typed closes (returns true: the caller closes it now); one with typed
/// input asks first, and "yes" comes back as [`Pane::discard_form`].
pub fn cancel_form(form: &Form, cx: &mut Cx) -> bool {
    if !form.is_dirty() {
        return true;
    }
    cx.open(crate::tui::popups::Popup::Confirm(
        crate::tui::popups::confirm::Confirm::new(
            crate::tr!("tui.confirm.discard"),
            crate::tui::popups::confirm::ConfirmFor::DiscardPaneForm,
        ),
    ));
    false
}

/// A pane.
pub trait Pane {
    /// Text key of the pane's name in the top bar.
    fn title_key(&self) -> &'static str;

    /// Keymap sections active in this pane now, most specific first.
    fn contexts(&self) -> &'static [Context];

    /// The form open inside the pane, if any (quick entry, score entry...).
    /// A pane that returns one gets the routing below for free: printable
    /// keys, pastes and an open dropdown's keys go to the form.
    fn form(&self) -> Option<&Form> {
        None
    }

    /// The open form, to type into.
    fn form_mut(&mut self) -> Option<&mut Form> {
        None
    }

    /// True when a text field of the pane has the focus: printable keys go
    /// to it before any keymap lookup.
    fn text_focus(&self) -> bool {
        self.form().is_some()
    }

    /// True when the pane wants keys before the keymap sees them (an open
    /// dropdown in the pane's form takes Up/Down/Enter/Esc).
    fn wants_key_first(&self) -> bool {
        self.form().is_some_and(|f| f.dropdown_open())
    }

    /// The pane was made active (load data on first show here).
    fn on_show(&mut self, _cx: &mut Cx) {}

    /// The database changed other than through this session's own edits
    /// (a sync import, a restored value): drop what was read, so that the
    /// next [`on_show`](Self::on_show) reads it again.
    fn forget(&mut self) {}

    /// Closes the pane's open form, keeping nothing: the answer "yes" to
    /// the question [`cancel_form`] asks.
    fn discard_form(&mut self) {}

    /// Handles an action; false if the pane has no use for it.
    fn on_action(&mut self, action: Action, cx: &mut Cx) -> bool;

    /// Handles a key the keymap does not bind (typing in a text field).
    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        self.form_mut().is_some_and(|f| f.handle_key(key))
    }

    /// Handles a paste.
    fn on_paste(&mut self, text: &str, _cx: &mut Cx) -> bool {
        self.form_mut().is_some_and(|f| f.paste(text))
    }

    /// The records the pane lists now (with its filter and search), in the
    /// order shown, for `X x` / `X c` ([`crate::tui::export`]); `None`: it
    /// shows no list that can be exported.
    fn listed(&self) -> Option<Listed> {
        None
    }

    /// The actions that make sense now, most useful first (the bottom bar
    /// shows as many as fit).
    fn commands(&self, shared: &Shared) -> Vec<Action>;

    /// Gives the pane its area (on resize), so it can size its pages.
    fn set_area(&mut self, area: Rect);

    /// Draws the pane; returns where the terminal cursor goes, if a text
    /// field has the focus.
    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position>;
}
