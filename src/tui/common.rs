//! The types panes, popups and the store worker share, below all of them
//! (imports form a tree: `common` uses none of them): the bottom-bar
//! message, the facts every pane reads, who owns a popup and the question
//! it carries, and what a pane or popup reads while drawing.

use std::any::Any;
use std::rc::Rc;

use chrono::NaiveDate;

use super::keymap::Keymap;
use super::theme::Theme;
use super::undo::UndoLog;
use crate::model::Place;

/// A pane's position in the top bar (key `1` is 0).
pub type PaneId = usize;

/// The tone of a message in the bottom bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tone {
    Info,
    Ok,
    Warn,
    Error,
}

/// A message in the bottom bar, shown until the next key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Status {
    pub text: String,
    pub tone: Tone,
}

impl Status {
    pub fn info(text: String) -> Self {
        Status {
            text,
            tone: Tone::Info,
        }
    }
    pub fn ok(text: String) -> Self {
        Status {
            text,
            tone: Tone::Ok,
        }
    }
    pub fn warn(text: String) -> Self {
        Status {
            text,
            tone: Tone::Warn,
        }
    }
    pub fn error(text: String) -> Self {
        Status {
            text,
            tone: Tone::Error,
        }
    }
}

/// State the panes share.
#[derive(Debug, Default)]
pub struct Shared {
    /// Changes made in this session, for undo.
    pub undo: UndoLog,
    /// An undo is on its way to the store.
    pub undo_busy: bool,
    /// Every place, for forms and the place filter.
    pub places: Vec<Place>,
    /// The date relative dates in forms resolve against.
    pub today: NaiveDate,
}

/// Who opened a popup: its answer goes back there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Owner {
    /// The app itself (a draft found at start).
    #[default]
    App,
    Pane(PaneId),
}

/// The question a popup carries, of a type only its owner knows (as
/// yazi's completion tokens): the owner downcasts it when the answer comes
/// back, so no central list of every pane's questions exists.
#[derive(Clone)]
pub struct Token(Rc<dyn Any>);

impl Token {
    pub fn new<T: Any>(question: T) -> Token {
        Token(Rc::new(question))
    }

    /// The question, if it is a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }

    /// True if the question is a `T`.
    pub fn is<T: Any>(&self) -> bool {
        self.0.is::<T>()
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token")
    }
}

/// Two tokens are equal when they are the same question.
impl PartialEq for Token {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Token {}

/// The question every form asks on `Esc` when something was typed:
/// "yes" closes the owner's form ([`Pane::discard_form`](super::panes::Pane::discard_form)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscardForm;

/// What a pane reads while drawing.
pub struct RenderCx<'a> {
    pub theme: Theme,
    pub keymap: &'a Keymap,
    pub shared: &'a Shared,
}

/// The line a form shows when what it is about to save looks like records
/// already known: their names, and the key that saves anyway.
pub fn look_alike_warning(warnings: &[crate::store::Warning], keymap: &Keymap) -> String {
    let names: Vec<String> = warnings
        .iter()
        .map(|w| match w {
            crate::store::Warning::PossibleDuplicate { name, .. } => format!("「{name}」"),
        })
        .collect();
    let key = keymap
        .first_keys(
            &[super::action::Context::Form],
            super::action::Action::FormSave,
        )
        .map(super::key::show_seq)
        .unwrap_or_default();
    crate::tr!("tui.confirm.duplicate", names = names.join("、"), key = key)
}
