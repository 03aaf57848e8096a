//! Panes: the screens named in the top bar (组织 Organizations, 三社联动
//! Linkage; later issues add 活动, 评价, 概览). Each is a module implementing
//! [`Pane`]: it handles actions and keys, lists the commands available now
//! (for the bottom bar and help), and renders from `&self`. To add one, see
//! the pane list in `App::pane_at` (`app.rs`).

pub mod activities;
pub mod center;
pub mod dashboard;
pub mod evaluations;
pub mod fresh;
pub mod incubation;
pub mod layout;
pub mod linkage;
pub mod orgs;
pub mod sync;
pub mod training;
pub mod venture;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crossterm::event::KeyEvent;

use super::action::{Action, Context};
use super::draft::Draft;
use super::export::Listed;
use super::popups::picker::PickFor;
use super::widgets::form::Form;
use super::worker::Response;
use crate::store::Notice;

pub use super::common::{DiscardForm, RenderCx, Shared, Status, Token};
pub use super::shell::Cx;

/// The panes in top-bar order: the one list of them. To add a pane: a
/// field here, created in [`Panes::new`], and a line in `get`/`get_mut`;
/// it then gets the top bar, keys, resizes, store answers, the answers of
/// its popups, change notices and drafts.
pub struct Panes {
    pub orgs: orgs::OrgsPane,
    pub linkage: linkage::LinkagePane,
    pub activities: activities::ActivitiesPane,
    pub dashboard: dashboard::DashboardPane,
    pub evaluations: evaluations::EvaluationsPane,
    pub sync: sync::SyncPane,
    pub venture: venture::VenturePane,
    pub incubation: incubation::IncubationPane,
    pub training: training::TrainingPane,
    pub center: center::CenterPane,
}

/// Top-bar positions of the panes (key `1` is position 0).
pub const PANE_ORGS: usize = 0;
pub const PANE_LINKAGE: usize = 1;
pub const PANE_ACTIVITIES: usize = 2;
pub const PANE_DASHBOARD: usize = 3;
pub const PANE_EVALUATIONS: usize = 4;
pub const PANE_SYNC: usize = 5;
pub const PANE_VENTURE: usize = 6;
pub const PANE_INCUBATION: usize = 7;
pub const PANE_TRAINING: usize = 8;
pub const PANE_CENTER: usize = 9;

impl Panes {
    pub fn new() -> Self {
        Panes {
            orgs: orgs::OrgsPane::new(),
            linkage: linkage::LinkagePane::new(),
            activities: activities::ActivitiesPane::new(),
            dashboard: dashboard::DashboardPane::new(),
            evaluations: evaluations::EvaluationsPane::new(),
            sync: sync::SyncPane::new(),
            venture: venture::VenturePane::new(),
            incubation: incubation::IncubationPane::new(),
            training: training::TrainingPane::new(),
            center: center::CenterPane::new(),
        }
    }

    /// How many panes there are.
    pub const COUNT: usize = 10;

    /// Pane `i`.
    pub fn get(&self, i: usize) -> Option<&dyn Pane> {
        Some(match i {
            PANE_ORGS => &self.orgs,
            PANE_LINKAGE => &self.linkage,
            PANE_ACTIVITIES => &self.activities,
            PANE_DASHBOARD => &self.dashboard,
            PANE_EVALUATIONS => &self.evaluations,
            PANE_SYNC => &self.sync,
            PANE_VENTURE => &self.venture,
            PANE_INCUBATION => &self.incubation,
            PANE_TRAINING => &self.training,
            PANE_CENTER => &self.center,
            _ => return None,
        })
    }

    /// Pane `i`, to change.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut dyn Pane> {
        Some(match i {
            PANE_ORGS => &mut self.orgs,
            PANE_LINKAGE => &mut self.linkage,
            PANE_ACTIVITIES => &mut self.activities,
            PANE_DASHBOARD => &mut self.dashboard,
            PANE_EVALUATIONS => &mut self.evaluations,
            PANE_SYNC => &mut self.sync,
            PANE_VENTURE => &mut self.venture,
            PANE_INCUBATION => &mut self.incubation,
            PANE_TRAINING => &mut self.training,
            PANE_CENTER => &mut self.center,
            _ => return None,
        })
    }
}

impl Default for Panes {
    fn default() -> Self {
        Self::new()
    }
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
    cx.ask(crate::tr!("tui.confirm.discard"), DiscardForm);
    false
}

/// What an action of a form open in a pane asks of the pane.
pub enum FormKey {
    /// Save the form (the pane's own work).
    Save,
    /// Close it: cancelled, asked first when it had changes.
    Close,
    /// Done here (the focus moved, or the question is asked).
    Done,
    /// Not a form action.
    NotMine,
}

/// The actions every pane's form shares: the focus moves here, a cancel
/// asks first when the form has changes ([`cancel_form`]); saving and
/// closing are the pane's.
pub fn form_key(form: &mut Form, action: Action, cx: &mut Cx) -> FormKey {
    match action {
        Action::FormSave => FormKey::Save,
        Action::FormCancel if cancel_form(form, cx) => FormKey::Close,
        Action::FormCancel => FormKey::Done,
        Action::FormNext => {
            form.focus_next();
            FormKey::Done
        }
        Action::FormPrev => {
            form.focus_prev();
            FormKey::Done
        }
        _ => FormKey::NotMine,
    }
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

    /// Closes the pane's open form, keeping nothing: the answer "yes" to
    /// the question [`cancel_form`] asks.
    fn discard_form(&mut self) {}

    /// An answer from the store to a request of this pane.
    fn on_store(&mut self, _r: Response, _cx: &mut Cx) {}

    /// The answer to a question this pane asked (`Cx::ask`), with the
    /// question (of the pane's own type: `question.get::<MyQuestion>()`).
    /// The question every form asks on `Esc` is answered by the app
    /// ([`discard_form`](Self::discard_form)).
    fn on_answer(&mut self, _question: &Token, _yes: bool, _cx: &mut Cx) {}

    /// A choice made in a picker this pane opened (`key` empty: all).
    fn on_pick(&mut self, _what: PickFor, _key: &str, _cx: &mut Cx) {}

    /// Records changed in the store (by this session, an undo, a sync
    /// import; later by other staff): follow them, in place where the
    /// notice says enough, else by reading again when shown.
    fn on_change(&mut self, _notice: &Notice, _cx: &mut Cx) {}

    /// The link to the server came back after it was lost: an answer this
    /// pane was waiting for will not come, and anything may have changed
    /// meanwhile. Read again (now if shown, else when shown).
    fn reconnected(&mut self, _cx: &mut Cx) {}

    /// Selects record `id` of `kind` if this pane lists it (an undo just
    /// brought it back or changed it).
    fn reveal(&mut self, _kind: crate::model::Kind, _id: &str, _cx: &mut Cx) {}

    /// The open form as a draft, if something was typed in it (kept when
    /// the app has to stop; offered back at the next start).
    fn draft(&self) -> Option<Draft> {
        None
    }

    /// Opens the form a draft was taken from, with what was typed, if the
    /// draft is this pane's; else gives it back.
    fn restore(&mut self, d: Box<Draft>, _cx: &mut Cx) -> Result<(), Box<Draft>> {
        Err(d)
    }

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
