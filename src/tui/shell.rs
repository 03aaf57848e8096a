//! The app around its panes: the popups over them, the bottom bar, the
//! keymap and the facts panes share (`Shell`), the effects the loop runs,
//! and what a pane may touch while it handles something (`Cx`; popups it
//! opens answer it). The types popups use too are in `common`.

use std::any::Any;

use ratatui::layout::Rect;

use super::draft::Draft;
use super::key::Key;
use super::keymap::Keymap;
use super::popups::Popup;
use super::theme::Theme;
use super::worker::Request;

use super::common::{Owner, PaneId, RenderCx, Shared, Status};

/// Something the loop does for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send to the store worker.
    Store(Request),
    /// Remove the draft files (every draft offered at start was answered).
    RemoveDraft,
}

/// Everything of the app but its panes: the popups over them, the bottom
/// bar, the keymap and the facts panes share. Borrowed beside a pane.
pub struct Shell {
    pub keymap: Keymap,
    pub theme: Theme,
    /// The whole terminal.
    pub screen: Rect,
    /// The active pane.
    pub active: PaneId,
    pub popups: Vec<Popup>,
    /// Keys of a chord typed so far.
    pub pending: Vec<Key>,
    pub status: Option<Status>,
    pub shared: Shared,
    pub quit: bool,
    /// Waiting for the first load.
    pub loading: bool,
    pub load_error: Option<String>,
    /// Detail requests not answered yet: the loop waits for them (briefly)
    /// before drawing, so a move and its detail make one frame.
    pub awaiting: usize,
    /// Drafts found at start, offered one after another once the data is
    /// loaded.
    pub draft_offer: Vec<Draft>,
    /// The record an undo just restored: selected where it is listed once
    /// the store's change notice has been followed.
    pub reveal: Option<(crate::model::Kind, String)>,
    /// The last event changed nothing on screen (a key while the window is
    /// too small, `Esc` with nothing to close): the loop does not draw.
    pub quiet: bool,
    /// This user's login: changes by anyone else are told in the bottom bar.
    pub user: Option<String>,
}

impl Shell {
    /// What `owner` may touch while it handles something.
    pub fn cx<'a>(&'a mut self, effects: &'a mut Vec<Effect>, owner: Owner) -> Cx<'a> {
        let shown = owner == Owner::Pane(self.active);
        Cx {
            shown,
            effects,
            popups: &mut self.popups,
            status: &mut self.status,
            shared: &mut self.shared,
            keymap: &self.keymap,
            owner,
        }
    }

    /// What panes and popups read while drawing.
    pub fn render_cx(&self) -> RenderCx<'_> {
        RenderCx {
            theme: self.theme,
            keymap: &self.keymap,
            shared: &self.shared,
        }
    }
}

/// What a pane may touch while it handles an action: the effects to run,
/// the popup stack, the status message and the state shared by panes.
pub struct Cx<'a> {
    pub effects: &'a mut Vec<Effect>,
    pub popups: &'a mut Vec<Popup>,
    pub status: &'a mut Option<Status>,
    pub shared: &'a mut Shared,
    pub keymap: &'a Keymap,
    /// Who is handling: popups opened now answer to it.
    pub owner: Owner,
    /// True when the handler is the pane on screen (a change notice: read
    /// again now rather than when next shown).
    pub shown: bool,
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

    /// Opens a popup on top of the stack; its answer comes back to the
    /// owner of this context.
    pub fn open(&mut self, mut p: Popup) {
        p.set_owner(self.owner);
        self.popups.push(p);
    }

    /// Asks a yes/no question; the answer comes back to the owner with
    /// `question` (`Pane::on_answer`).
    pub fn ask<T: Any>(&mut self, text: String, question: T) {
        self.open(Popup::Confirm(super::popups::confirm::Confirm::new(
            text, question,
        )));
    }

    /// Undoes the session's last change, whatever pane made it: one batch,
    /// refused if a record it restores was changed since. The panes follow
    /// from the store's change notice.
    pub fn undo(&mut self) {
        if self.shared.undo_busy {
            return;
        }
        let Some(change) = self.shared.undo.last() else {
            self.say(Status::info(crate::tr!("tui.nothing_to_undo")));
            return;
        };
        let cmds = change.inverse();
        self.shared.undo_busy = true;
        self.request(Request::Undo { cmds });
    }
}
