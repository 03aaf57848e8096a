//! The app's state and its one entry for change: events in (keys, pastes,
//! resizes, store answers), state changed, effects out (store requests,
//! draft files). No terminal here: tests drive it with actions and keys.
//!
//! Keys are routed like this: an open dropdown in a form first; then, when
//! a text field has the focus, printable keys are typed; then the keymap
//! (sections of the top popup, or of the pane plus `[global]`); keys it
//! does not bind go to the focused text field. Actions go to the top popup
//! if there is one, else to the app (quit, help, panes), else to the pane.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::model::{Kind, Place};
use crate::store::{Command, StoreError};

use super::action::{Action, Context};
use super::draft::{Draft, DraftMode};
use super::event::Event;
use super::export;
use super::key::{show_seq, Key};
use super::keymap::{Keymap, Lookup};
use super::panes::activities::{self, ActivitiesPane};
use super::panes::dashboard::DashboardPane;
use super::panes::evaluations::EvaluationsPane;
use super::panes::linkage::LinkagePane;
use super::panes::orgs::{change_of, OrgsPane};
use super::panes::sync::SyncPane;
use super::panes::{Cx, Pane};
use super::popups::confirm::{Confirm, ConfirmFor};
use super::popups::form::{FormMode, FormPopup};
use super::popups::help::Help;
use super::popups::{Popup, Reply};
use super::theme::Theme;
use super::undo::{Change, UndoLog};
use super::worker::{Purpose, Request, Response};

/// Top-bar positions of the panes (key `1` is position 0).
pub const PANE_ORGS: usize = 0;
pub const PANE_LINKAGE: usize = 1;
pub const PANE_ACTIVITIES: usize = 2;
pub const PANE_DASHBOARD: usize = 3;
pub const PANE_EVALUATIONS: usize = 4;
pub const PANE_SYNC: usize = 5;

/// The panes in top-bar order, as `&dyn Pane` (`pane_list!(app, i)`) or
/// `&mut dyn Pane` (`pane_list!(app, i, mut)`). To add a pane: give `App` a
/// field for it (created in `App::new`), a `PANE_*` position above and a
/// line here; it then gets the top bar, keys, resizes and `on_show`.
macro_rules! pane_list {
    ($app:expr, $i:expr $(, $m:tt)?) => {
        match $i {
            PANE_ORGS => Some(&$($m)? $app.orgs as &$($m)? dyn Pane),
            PANE_LINKAGE => Some(&$($m)? $app.linkage as &$($m)? dyn Pane),
            PANE_ACTIVITIES => Some(&$($m)? $app.activities as &$($m)? dyn Pane),
            PANE_DASHBOARD => Some(&$($m)? $app.dashboard as &$($m)? dyn Pane),
            PANE_EVALUATIONS => Some(&$($m)? $app.evaluations as &$($m)? dyn Pane),
            PANE_SYNC => Some(&$($m)? $app.sync as &$($m)? dyn Pane),
            _ => None,
        }
    };
}

/// What a pane's handler may touch, beside the pane itself (a disjoint
/// field of the app, so this borrows alongside it): `pane_cx!(app, fx)`.
macro_rules! pane_cx {
    ($app:expr, $fx:expr) => {
        Cx {
            effects: $fx,
            popups: &mut $app.popups,
            status: &mut $app.status,
            shared: &mut $app.shared,
            keymap: &$app.keymap,
        }
    };
}

/// Smallest usable terminal.
pub const MIN_COLS: u16 = 80;
pub const MIN_ROWS: u16 = 24;

/// The tone of a message in the bottom bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Ok,
    Warn,
    Error,
}

/// A message in the bottom bar, shown until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Set by a pane when the database changed other than through this
    /// session's edits (a sync import): the app then reads everything again.
    pub changed_elsewhere: bool,
}

/// Something the loop does for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send to the store worker.
    Store(Request),
    /// Keep this draft beside the database.
    SaveDraft(Box<Draft>),
    /// Remove the draft file.
    RemoveDraft,
}

/// The app.
pub struct App {
    pub keymap: Keymap,
    pub theme: Theme,
    /// The whole terminal.
    pub screen: Rect,
    pub orgs: OrgsPane,
    pub linkage: LinkagePane,
    pub activities: ActivitiesPane,
    pub dashboard: DashboardPane,
    pub evaluations: EvaluationsPane,
    pub sync: SyncPane,
    /// Index of the active pane in the top bar.
    pub active: usize,
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
    /// A draft found at start, offered once the data is loaded.
    pub draft_offer: Option<Draft>,
    /// The last event changed nothing on screen (a key while the window is
    /// too small, `Esc` with nothing to close): the loop does not draw.
    pub quiet: bool,
}

impl App {
    /// A new app; `today` is the date forms resolve relative dates against.
    pub fn new(keymap: Keymap, theme: Theme, today: NaiveDate) -> Self {
        App {
            keymap,
            theme,
            screen: Rect::new(0, 0, MIN_COLS, MIN_ROWS),
            orgs: OrgsPane::new(),
            linkage: LinkagePane::new(),
            activities: ActivitiesPane::new(),
            dashboard: DashboardPane::new(),
            evaluations: EvaluationsPane::new(),
            sync: SyncPane::new(),
            active: 0,
            popups: Vec::new(),
            pending: Vec::new(),
            status: None,
            shared: Shared {
                today,
                ..Default::default()
            },
            quit: false,
            loading: true,
            load_error: None,
            awaiting: 0,
            draft_offer: None,
            quiet: false,
        }
    }

    /// The first effects: load the data.
    pub fn start(&mut self) -> Vec<Effect> {
        vec![Effect::Store(Request::Load)]
    }

    /// The pane area for a screen: between the top and bottom bars.
    pub fn main_area(screen: Rect) -> Rect {
        super::ui::split(screen)[1]
    }

    /// The terminal was resized.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.screen = Rect::new(0, 0, width, height);
        let main = App::main_area(self.screen);
        for i in 0.. {
            match pane_list!(self, i, mut) {
                Some(p) => p.set_area(main),
                None => break,
            }
        }
        for p in &mut self.popups {
            p.set_screen(main);
        }
    }

    /// The active pane.
    pub fn pane(&self) -> &dyn Pane {
        pane_list!(self, self.active).unwrap_or(&self.orgs)
    }

    /// Names (text keys) of the panes in the top bar.
    pub fn pane_titles(&self) -> Vec<&'static str> {
        (0..)
            .map_while(|i| pane_list!(self, i))
            .map(|p| p.title_key())
            .collect()
    }

    /// Keymap sections active now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if let Some(p) = self.popups.last() {
            return p.contexts().to_vec();
        }
        let pane = self.pane();
        let mut out = pane.contexts().to_vec();
        if !pane.text_focus() {
            out.push(Context::Global);
        }
        out
    }

    /// True if a text field has the focus.
    pub fn text_focus(&self) -> bool {
        match self.popups.last() {
            Some(p) => p.text_focus(),
            None => self.pane().text_focus(),
        }
    }

    /// The actions to show in the bottom bar, most useful first.
    pub fn commands(&self) -> Vec<Action> {
        if let Some(p) = self.popups.last() {
            return p.commands();
        }
        let mut out = self.pane().commands(&self.shared);
        if !self.pane().text_focus() {
            out.push(Action::Help);
            out.push(Action::Quit);
        }
        out
    }

    /// True while the terminal is smaller than the app needs: only the
    /// "window too small" line is shown, and keys do nothing.
    pub fn too_small(&self) -> bool {
        self.screen.width < MIN_COLS || self.screen.height < MIN_ROWS
    }

    /// Handles one event (signals are the loop's business).
    pub fn handle(&mut self, ev: Event) -> Vec<Effect> {
        self.quiet = false;
        match ev {
            Event::Key(k) => self.on_key(k),
            Event::Paste(s) => self.on_paste(&s),
            Event::Resize(w, h) => {
                self.resize(w, h);
                Vec::new()
            }
            Event::Store(r) => self.on_store(*r),
            Event::Signal(_) | Event::InputClosed => Vec::new(),
        }
    }

    /// A key press.
    pub fn on_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        self.quiet = false;
        let fx = self.key_effects(ev);
        self.count_awaiting(&fx);
        fx
    }

    fn key_effects(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let mut fx = Vec::new();
        let Some(key) = Key::from_event(&ev) else {
            self.quiet = true;
            return fx;
        };
        if self.too_small() {
            // Nothing is seen, so nothing is done: only quitting works
            // (the message says how).
            self.pending.clear();
            match self.keymap.lookup(&self.contexts(), &[key]) {
                Lookup::Action(Action::Quit) => self.quit = true,
                _ => self.quiet = true,
            }
            return fx;
        }
        // Something shown now that this key takes away (a message, the
        // which-key box of a chord): then the screen changes whatever the
        // key does.
        let shown = self.status.take().is_some() || !self.pending.is_empty();
        if self.pending.is_empty() {
            if self.popups.last().is_some_and(|p| p.wants_key_first()) {
                if let Some(p) = self.popups.last_mut() {
                    let reply = p.on_key(ev);
                    if reply != Reply::Ignored {
                        self.reply(reply, &mut fx);
                        return fx;
                    }
                }
            }
            if self.popups.is_empty() && self.pane().wants_key_first() {
                if let Some((pane, mut cx)) = self.split_active(&mut fx) {
                    if pane.on_key(ev, &mut cx) {
                        return fx;
                    }
                }
            }
            if self.text_focus() && key.is_printable() {
                self.type_key(ev, &mut fx);
                return fx;
            }
        }
        let mut seq = std::mem::take(&mut self.pending);
        if !seq.is_empty() && key == Key::plain(super::key::Code::Esc) {
            // Esc drops a chord half typed.
            return fx;
        }
        seq.push(key);
        let (found, seq) = self.keymap.lookup_typed(&self.contexts(), seq);
        match found {
            Lookup::Action(a) => {
                let used = self.run(a, &mut fx);
                self.quiet = !used && !shown && fx.is_empty() && self.status.is_none();
            }
            Lookup::Pending => self.pending = seq,
            Lookup::Unbound => {
                if seq.len() > 1 {
                    self.unbound(&seq);
                } else if self.text_focus() {
                    if !self.type_key(ev, &mut fx) {
                        self.unbound(&seq);
                    }
                } else if self.search_with(ev, &mut fx) {
                } else if key == Key::plain(super::key::Code::Esc) {
                    // Nothing to close: say nothing, draw nothing.
                    self.quiet = !shown;
                } else {
                    self.unbound(&seq);
                }
            }
        }
        fx
    }

    /// A Chinese character typed over a list that can be searched starts
    /// the search with it (an input method sends the characters as keys).
    fn search_with(&mut self, ev: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        let crossterm::event::KeyCode::Char(c) = ev.code else {
            return false;
        };
        if c.is_ascii() || !c.is_alphanumeric() || !self.start_search(fx) {
            return false;
        }
        self.type_key(ev, fx)
    }

    /// Opens the search line of the active pane, if it has one bound here.
    fn start_search(&mut self, fx: &mut Vec<Effect>) -> bool {
        if !self.popups.is_empty()
            || self.text_focus()
            || self
                .keymap
                .first_keys(&self.contexts(), Action::SearchStart)
                .is_none()
        {
            return false;
        }
        self.run(Action::SearchStart, fx);
        self.text_focus()
    }

    fn unbound(&mut self, seq: &[Key]) {
        let help = self
            .keymap
            .first_keys(&[Context::Global], Action::Help)
            .map(show_seq)
            .unwrap_or_default();
        // Keys a text field ignores (Tab in a search...) say nothing.
        if self.text_focus() && seq.len() == 1 {
            return;
        }
        self.status = Some(Status::info(crate::tr!(
            "tui.unknown_key",
            key = show_seq(seq),
            help = help
        )));
    }

    /// Gives a key to the focused text field. False if it had no use for it.
    fn type_key(&mut self, ev: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        if let Some(p) = self.popups.last_mut() {
            let reply = p.on_key(ev);
            let used = reply != Reply::Ignored;
            self.reply(reply, fx);
            return used;
        }
        let Some((pane, mut cx)) = self.split_active(fx) else {
            return false;
        };
        pane.on_key(ev, &mut cx)
    }

    /// A paste goes to the focused text field, never submits anything;
    /// over a list that can be searched, it starts the search.
    pub fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        self.quiet = false;
        let mut fx = Vec::new();
        if self.too_small() {
            self.quiet = true;
            return fx;
        }
        if !text.trim().is_empty() {
            self.start_search(&mut fx);
        }
        if let Some(p) = self.popups.last_mut() {
            let reply = p.on_paste(text);
            self.reply(reply, &mut fx);
        } else {
            if let Some((pane, mut cx)) = self.split_active(&mut fx) {
                pane.on_paste(text, &mut cx);
            }
        }
        self.count_awaiting(&fx);
        fx
    }

    /// Runs an action as if its key had been pressed now (tests use this).
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut fx = Vec::new();
        self.status = None;
        self.run(action, &mut fx);
        self.count_awaiting(&fx);
        fx
    }

    fn split<'a>(&'a mut self, fx: &'a mut Vec<Effect>) -> (&'a mut OrgsPane, Cx<'a>) {
        (&mut self.orgs, pane_cx!(self, fx))
    }

    /// The active pane and what it may touch (`None` only if `active`
    /// names no pane).
    fn split_active<'a>(
        &'a mut self,
        fx: &'a mut Vec<Effect>,
    ) -> Option<(&'a mut dyn Pane, Cx<'a>)> {
        let pane = pane_list!(self, self.active, mut)?;
        Some((pane, pane_cx!(self, fx)))
    }

    fn split_linkage<'a>(&'a mut self, fx: &'a mut Vec<Effect>) -> (&'a mut LinkagePane, Cx<'a>) {
        (&mut self.linkage, pane_cx!(self, fx))
    }

    /// Reads everything again after the database changed elsewhere: the
    /// organizations (and places) now, the other panes when next shown.
    fn read_again(&mut self, fx: &mut Vec<Effect>) {
        fx.push(Effect::Store(Request::Load));
        for i in 0.. {
            match pane_list!(self, i, mut) {
                Some(p) => p.forget(),
                None => break,
            }
        }
    }

    /// Makes pane `i` the active one.
    fn show_pane(&mut self, i: usize, fx: &mut Vec<Effect>) {
        self.active = i;
        if !self.loading {
            if let Some((pane, mut cx)) = self.split_active(fx) {
                pane.on_show(&mut cx);
            }
        }
    }

    /// Runs an action; false if nothing had a use for it.
    fn run(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        let mut used = true;
        if let Some(p) = self.popups.last_mut() {
            if action == Action::Help && !matches!(p, Popup::Help(_)) {
                let first = p.contexts().to_vec();
                self.open_help(&first);
            } else {
                let reply = p.on_action(action);
                used = reply != Reply::Ignored;
                self.reply(reply, fx);
            }
        } else {
            match action {
                Action::Quit => self.quit = true,
                Action::Help => {
                    let first = self.contexts();
                    self.open_help(&first);
                }
                Action::PaneNext | Action::PanePrev => {
                    let n = self.pane_titles().len();
                    let i = if action == Action::PaneNext {
                        (self.active + 1) % n
                    } else {
                        (self.active + n - 1) % n
                    };
                    self.show_pane(i, fx);
                }
                a if a.pane_number().is_some() => {
                    let i = a.pane_number().unwrap_or(0);
                    if i < self.pane_titles().len() {
                        self.show_pane(i, fx);
                    } else {
                        self.status = Some(Status::info(crate::tr!("tui.pane_missing", n = i + 1)));
                    }
                }
                a if export::format_of(a).is_some() => {
                    if !self.loading {
                        self.export_list(a, fx);
                    }
                }
                a => {
                    used = !self.loading
                        && self
                            .split_active(fx)
                            .is_some_and(|(pane, mut cx)| pane.on_action(a, &mut cx));
                }
            }
        }
        let main = App::main_area(self.screen);
        if let Some(p) = self.popups.last_mut() {
            p.set_screen(main);
        }
        used
    }

    /// `X x` / `X c`: the list the active pane shows, to the store worker.
    fn export_list(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let Some(format) = export::format_of(action) else {
            return;
        };
        match export::request(self.pane().listed(), format) {
            Ok((r, said)) => {
                fx.push(Effect::Store(r));
                self.status = Some(said);
            }
            Err(said) => self.status = Some(said),
        }
    }

    fn count_awaiting(&mut self, new: &[Effect]) {
        self.awaiting += new
            .iter()
            .filter(|e| matches!(e, Effect::Store(Request::Detail { .. })))
            .count();
    }

    fn open_help(&mut self, first: &[Context]) {
        let mut h = Help::new(&self.keymap, first);
        h.set_screen(App::main_area(self.screen));
        self.popups.push(Popup::Help(h));
    }

    fn reply(&mut self, reply: Reply, fx: &mut Vec<Effect>) {
        match reply {
            Reply::Ignored | Reply::Stay => {}
            Reply::Close => {
                self.popups.pop();
            }
            Reply::Store(r) => fx.push(Effect::Store(r)),
            Reply::AskDiscard => {
                self.popups.push(Popup::Confirm(Confirm::new(
                    crate::tr!("tui.confirm.discard"),
                    ConfirmFor::DiscardForm,
                )));
            }
            // A picker belongs to the pane that opened it: the active one.
            Reply::Pick { what, key } => {
                self.popups.pop();
                if self.active == PANE_LINKAGE {
                    let (linkage, mut cx) = self.split_linkage(fx);
                    linkage.on_pick(&key, &mut cx);
                } else if self.active == PANE_ACTIVITIES {
                    self.activities.on_pick(&key);
                } else {
                    let (orgs, mut cx) = self.split(fx);
                    orgs.on_pick(what, &key, &mut cx);
                }
            }
            Reply::Answer { what, yes } => {
                self.popups.pop();
                match what {
                    ConfirmFor::DeleteOrg { id, .. } => {
                        if yes {
                            let (orgs, mut cx) = self.split(fx);
                            orgs.on_confirm_delete(id, &mut cx);
                        }
                    }
                    ConfirmFor::DiscardForm => {
                        if yes && matches!(self.popups.last(), Some(Popup::Form(_))) {
                            self.popups.pop();
                        }
                    }
                    ConfirmFor::DeleteActivity { id } => {
                        self.activities.on_answer(id, yes, &mut pane_cx!(self, fx));
                    }
                    ConfirmFor::DiscardPaneForm => {
                        if let (true, Some(p)) = (yes, pane_list!(self, self.active, mut)) {
                            p.discard_form();
                        }
                    }
                    what @ (ConfirmFor::DeleteEvaluation { .. }
                    | ConfirmFor::SaveEvaluationAgain) => {
                        self.evaluations
                            .on_answer(what, yes, &mut pane_cx!(self, fx));
                    }
                    what @ (ConfirmFor::ProposeLinkage { .. } | ConfirmFor::StepLinkage { .. }) => {
                        let (linkage, mut cx) = self.split_linkage(fx);
                        linkage.on_answer(what, yes, &mut cx);
                    }
                    ConfirmFor::RestoreDraft => {
                        if let Some(d) = self.draft_offer.take() {
                            if yes {
                                self.open_draft(d);
                            }
                        }
                        fx.push(Effect::RemoveDraft);
                    }
                }
            }
        }
    }

    /// Offers a draft found at start (asked once the data is loaded).
    pub fn offer_draft(&mut self, d: Draft) {
        self.draft_offer = Some(d);
        if !self.loading {
            self.ask_draft();
        }
    }

    fn ask_draft(&mut self) {
        if let Some(d) = &self.draft_offer {
            let text = crate::tr!("tui.confirm.draft", what = d.what(), when = d.saved_at);
            self.popups.insert(
                0,
                Popup::Confirm(Confirm::new(text, ConfirmFor::RestoreDraft)),
            );
        }
    }

    fn open_draft(&mut self, d: Draft) {
        let places = &self.shared.places;
        let today = self.shared.today;
        let mut popup = match d.mode {
            DraftMode::Add => FormPopup::add(places, today),
            DraftMode::Edit { id, before } => FormPopup::edit(places, id, *before, today),
        };
        popup.form.apply_draft(&d.form);
        self.popups.push(Popup::Form(Box::new(popup)));
    }

    /// The open form as a draft, if something was typed in it.
    pub fn form_draft(&self) -> Option<Draft> {
        self.popups.iter().rev().find_map(|p| match p {
            Popup::Form(f) if f.form.is_dirty() => {
                let mode = match &f.mode {
                    FormMode::Add => DraftMode::Add,
                    FormMode::Edit { id, before } => DraftMode::Edit {
                        id: id.clone(),
                        before: before.clone(),
                    },
                };
                Some(Draft::new(mode, f.form.to_draft()))
            }
            _ => None,
        })
    }

    /// An answer from the store.
    pub fn on_store(&mut self, r: Response) -> Vec<Effect> {
        let mut fx = Vec::new();
        match r {
            Response::Loaded { places, rows } => {
                self.loading = false;
                self.load_error = None;
                {
                    let (orgs, mut cx) = self.split(&mut fx);
                    orgs.on_loaded(&places, rows, &mut cx);
                }
                self.shared.places = places;
                let main = App::main_area(self.screen);
                self.orgs.set_area(main);
                if self.active != PANE_ORGS {
                    // A pane chosen while loading is shown now.
                    self.show_pane(self.active, &mut fx);
                }
                if self.draft_offer.is_some() {
                    self.ask_draft();
                }
            }
            Response::Index(ix) => {
                let (orgs, mut cx) = self.split(&mut fx);
                orgs.on_index(ix, &mut cx);
            }
            Response::Detail {
                id,
                org,
                superseded,
            } => {
                self.awaiting = self.awaiting.saturating_sub(1);
                if !superseded {
                    let (orgs, mut cx) = self.split(&mut fx);
                    orgs.on_detail(id, org.map(|o| *o), &mut cx);
                }
            }
            Response::Checked {
                cmd,
                purpose: Purpose::FormSave,
                result,
            } => {
                if let Some(Popup::Form(f)) = self.popups.last_mut() {
                    let reply = f.on_checked(cmd, result, &self.keymap);
                    self.reply(reply, &mut fx);
                }
            }
            Response::Checked { .. } => {}
            Response::Executed {
                cmd,
                purpose,
                result,
            } => match result {
                Ok((outcome, org)) => self.executed(
                    purpose,
                    *cmd,
                    &outcome.id,
                    org.map(|o| *o),
                    &outcome.warnings,
                    &mut fx,
                ),
                Err(e) => self.failed(purpose, &e),
            },
            Response::Linkage(r) => {
                let (linkage, mut cx) = self.split_linkage(&mut fx);
                if linkage.on_response(*r, &mut cx) {
                    // Pane 4 counts needs and linkages: read them again.
                    self.dashboard.forget();
                }
            }
            Response::Activity(r) => {
                self.activities
                    .on_response(*r, &mut pane_cx!(self, &mut fx));
                self.activities_changed();
            }
            Response::Evaluation(r) => {
                if self
                    .evaluations
                    .on_response(*r, &mut pane_cx!(self, &mut fx))
                {
                    // The dashboard shows the latest grades.
                    self.dashboard.forget();
                }
            }
            Response::Dashboard(r) => self.dashboard.on_response(*r, &mut pane_cx!(self, &mut fx)),
            Response::Sync(r) => {
                self.sync.on_response(*r, &mut pane_cx!(self, &mut fx));
                if std::mem::take(&mut self.shared.changed_elsewhere) {
                    self.read_again(&mut fx);
                }
            }
            Response::Exported(r) => self.status = Some(export::done(r)),
            Response::Unavailable(e) => {
                self.status = Some(Status::error(e.message()));
            }
            Response::LoadFailed(e) => {
                self.loading = false;
                let msg = crate::tr!("tui.load_error", message = e.message());
                self.load_error = Some(msg.clone());
                self.status = Some(Status::error(msg));
            }
        }
        self.count_awaiting(&fx);
        fx
    }

    fn executed(
        &mut self,
        purpose: Purpose,
        cmd: Command,
        id: &str,
        org: Option<crate::model::Organization>,
        warnings: &[crate::store::Warning],
        fx: &mut Vec<Effect>,
    ) {
        let old_name = self.orgs.name_of(id).map(str::to_string);
        match purpose {
            Purpose::FormSave => {
                if matches!(self.popups.last(), Some(Popup::Form(_))) {
                    self.popups.pop();
                }
                if let Some(c) = change_of(&cmd, id, org.as_ref(), old_name.as_deref()) {
                    self.shared.undo.push(c);
                }
                let name = org.as_ref().map(|o| o.name.clone()).unwrap_or_default();
                if let Some(o) = &org {
                    let (orgs, mut cx) = self.split(fx);
                    orgs.upsert(id, o, &mut cx);
                }
                self.status = Some(match warnings.first() {
                    Some(w) => Status::warn(crate::tr!(
                        "tui.saved_warnings",
                        name = name,
                        warning = w.message()
                    )),
                    None => Status::ok(crate::tr!("tui.saved", name = name)),
                });
            }
            Purpose::Delete => {
                let name = old_name.unwrap_or_else(|| id.to_string());
                self.shared.undo.push(Change::Deleted {
                    kind: Kind::Org,
                    id: id.to_string(),
                    title: name.clone(),
                });
                {
                    let (orgs, mut cx) = self.split(fx);
                    orgs.mark_deleted(id, &mut cx);
                }
                let key = self
                    .keymap
                    .first_keys(&[Context::Orgs], Action::Undo)
                    .map(show_seq)
                    .unwrap_or_default();
                self.status = Some(Status::ok(crate::tr!(
                    "tui.deleted",
                    name = name,
                    key = key
                )));
            }
            Purpose::Undo => {
                self.shared.undo_busy = false;
                let what = self
                    .shared
                    .undo
                    .pop()
                    .map(|c| c.title().to_string())
                    .unwrap_or_default();
                if activities::is_activity(&cmd) {
                    // The undo log holds activities too: pane 3 follows.
                    self.activities.on_undone(&cmd, &mut pane_cx!(self, fx));
                    self.activities_changed();
                } else if cmd.kind() == Kind::Evaluation {
                    // And evaluations: pane 5 and the dashboard follow.
                    self.evaluations.on_undone(&mut pane_cx!(self, fx));
                    self.dashboard.forget();
                } else {
                    let (orgs, mut cx) = self.split(fx);
                    match (&cmd, &org) {
                        (Command::Delete { id, .. }, _) => orgs.mark_deleted(id, &mut cx),
                        (_, Some(o)) => orgs.upsert(id, o, &mut cx),
                        _ => {}
                    }
                }
                self.status = Some(Status::ok(crate::tr!("tui.undone", what = what)));
            }
        }
        if cmd.kind() == Kind::Org {
            self.orgs_changed();
            // An undo from pane 3 or 5 (one undo log): the pane shown
            // reads again what it just forgot.
            self.show_pane(self.active, fx);
        }
    }

    /// An organization was saved, deleted or restored here: the panes that
    /// show organizations beside other records (figures, providers,
    /// evaluations, the organizations of activities) read them again when
    /// next shown.
    fn orgs_changed(&mut self) {
        self.dashboard.forget();
        self.linkage.forget();
        self.evaluations.forget();
        self.activities.forget();
    }

    /// Passes what pane 3 changed in activities on to the dashboard's
    /// figures (or has them computed again when it cannot say).
    fn activities_changed(&mut self) {
        let changes = self.activities.take_changes();
        if changes.unknown {
            self.dashboard.forget();
        } else if let Some(d) = self.dashboard.data.as_mut() {
            for (old, new) in &changes.deltas {
                d.figures.activity_changed(old.as_ref(), new.as_ref());
            }
        }
    }

    fn failed(&mut self, purpose: Purpose, e: &StoreError) {
        let msg = crate::tr!("tui.store_error", message = e.message());
        match purpose {
            Purpose::FormSave => {
                if let Some(Popup::Form(f)) = self.popups.last_mut() {
                    f.show_error(e);
                }
            }
            Purpose::Undo => self.shared.undo_busy = false,
            Purpose::Delete => {}
        }
        self.status = Some(Status::error(msg));
    }
}
