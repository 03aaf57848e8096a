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

use super::action::{Action, Context};
use super::draft::Draft;
use super::event::Event;
use super::export;
use super::key::{show_seq, Key};
use super::keymap::{Keymap, Lookup};
use super::panes::{Pane, Panes};
use super::popups::help::Help;
use super::popups::{Popup, Reply};
use super::theme::Theme;
use super::undo::Change;
use super::worker::{Request, Response};

pub use super::common::{Owner, Shared, Status, Tone};
pub use super::panes::{
    PANE_ACTIVITIES, PANE_DASHBOARD, PANE_EVALUATIONS, PANE_LINKAGE, PANE_ORGS, PANE_SYNC,
};
pub use super::shell::{Cx, Effect, Shell};

/// Smallest usable terminal.
pub const MIN_COLS: u16 = 80;
pub const MIN_ROWS: u16 = 24;

/// The question asked at start for a draft found beside the database.
#[derive(Debug)]
struct RestoreDraft;

/// The app: its panes, and the shell around them (popups, bottom bar,
/// keymap, shared facts). Two parts, so a pane and what it may touch
/// ([`Cx`], from the shell) are borrowed together.
pub struct App {
    pub panes: Panes,
    pub shell: Shell,
}

impl App {
    /// A new app; `today` is the date forms resolve relative dates against.
    pub fn new(keymap: Keymap, theme: Theme, today: NaiveDate) -> Self {
        App {
            panes: Panes::new(),
            shell: Shell {
                keymap,
                theme,
                screen: Rect::new(0, 0, MIN_COLS, MIN_ROWS),
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
                draft_offer: Vec::new(),
                reveal: None,
                quiet: false,
                user: None,
            },
        }
    }

    /// The first effects: follow the store's changes, load the data.
    pub fn start(&mut self) -> Vec<Effect> {
        vec![Effect::Store(Request::Watch), Effect::Store(Request::Load)]
    }

    /// The pane area for a screen: between the top and bottom bars.
    pub fn main_area(screen: Rect) -> Rect {
        super::ui::split(screen)[1]
    }

    /// The terminal was resized.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.shell.screen = Rect::new(0, 0, width, height);
        let main = App::main_area(self.shell.screen);
        for i in 0..Panes::COUNT {
            if let Some(p) = self.panes.get_mut(i) {
                p.set_area(main);
            }
        }
        for p in &mut self.shell.popups {
            p.set_screen(main);
        }
    }

    /// The active pane.
    pub fn pane(&self) -> &dyn Pane {
        self.panes
            .get(self.shell.active)
            .unwrap_or(&self.panes.orgs)
    }

    /// Names (text keys) of the panes in the top bar.
    pub fn pane_titles(&self) -> Vec<&'static str> {
        (0..Panes::COUNT)
            .filter_map(|i| self.panes.get(i))
            .map(|p| p.title_key())
            .collect()
    }

    /// Keymap sections active now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if let Some(p) = self.shell.popups.last() {
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
        match self.shell.popups.last() {
            Some(p) => p.text_focus(),
            None => self.pane().text_focus(),
        }
    }

    /// The actions to show in the bottom bar, most useful first.
    pub fn commands(&self) -> Vec<Action> {
        if let Some(p) = self.shell.popups.last() {
            return p.commands();
        }
        let mut out = self.pane().commands(&self.shell.shared);
        if !self.pane().text_focus() {
            out.push(Action::Help);
            out.push(Action::Quit);
        }
        out
    }

    /// True while the terminal is smaller than the app needs: only the
    /// "window too small" line is shown, and keys do nothing.
    pub fn too_small(&self) -> bool {
        self.shell.screen.width < MIN_COLS || self.shell.screen.height < MIN_ROWS
    }

    /// Handles one event (signals are the loop's business).
    pub fn handle(&mut self, ev: Event) -> Vec<Effect> {
        self.shell.quiet = false;
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
        self.shell.quiet = false;
        let fx = self.key_effects(ev);
        self.count_awaiting(&fx);
        fx
    }

    fn key_effects(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let mut fx = Vec::new();
        let Some(key) = Key::from_event(&ev) else {
            self.shell.quiet = true;
            return fx;
        };
        if self.too_small() {
            // Nothing is seen, so nothing is done: only quitting works
            // (the message says how).
            self.shell.pending.clear();
            match self.shell.keymap.lookup(&self.contexts(), &[key]) {
                Lookup::Action(Action::Quit) => self.shell.quit = true,
                _ => self.shell.quiet = true,
            }
            return fx;
        }
        // Something shown now that this key takes away (a message, the
        // which-key box of a chord): then the screen changes whatever the
        // key does.
        let shown = self.shell.status.take().is_some() || !self.shell.pending.is_empty();
        if self.shell.pending.is_empty() {
            if self
                .shell
                .popups
                .last()
                .is_some_and(|p| p.wants_key_first())
            {
                if let Some(p) = self.shell.popups.last_mut() {
                    let reply = p.on_key(ev);
                    if reply != Reply::Ignored {
                        self.reply(reply, &mut fx);
                        return fx;
                    }
                }
            }
            if self.shell.popups.is_empty()
                && self.pane().wants_key_first()
                && self.with_active(&mut fx, |p, cx| p.on_key(ev, cx))
            {
                return fx;
            }
            if self.text_focus() && key.is_printable() {
                self.type_key(ev, &mut fx);
                return fx;
            }
        }
        let mut seq = std::mem::take(&mut self.shell.pending);
        if !seq.is_empty() && key == Key::plain(super::key::Code::Esc) {
            // Esc drops a chord half typed.
            return fx;
        }
        seq.push(key);
        let (found, seq) = self.shell.keymap.lookup_typed(&self.contexts(), seq);
        match found {
            Lookup::Action(a) => {
                let used = self.run(a, &mut fx);
                self.shell.quiet = !used && !shown && fx.is_empty() && self.shell.status.is_none();
            }
            Lookup::Pending => self.shell.pending = seq,
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
                    self.shell.quiet = !shown;
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
        if !self.shell.popups.is_empty()
            || self.text_focus()
            || self
                .shell
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
            .shell
            .keymap
            .first_keys(&[Context::Global], Action::Help)
            .map(show_seq)
            .unwrap_or_default();
        // Keys a text field ignores (Tab in a search...) say nothing.
        if self.text_focus() && seq.len() == 1 {
            return;
        }
        self.shell.status = Some(Status::info(crate::tr!(
            "tui.unknown_key",
            key = show_seq(seq),
            help = help
        )));
    }

    /// Gives a key to the focused text field. False if it had no use for it.
    fn type_key(&mut self, ev: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        if let Some(p) = self.shell.popups.last_mut() {
            let reply = p.on_key(ev);
            let used = reply != Reply::Ignored;
            self.reply(reply, fx);
            return used;
        }
        self.with_active(fx, |p, cx| p.on_key(ev, cx))
    }

    /// A paste goes to the focused text field, never submits anything;
    /// over a list that can be searched, it starts the search.
    pub fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        self.shell.quiet = false;
        let mut fx = Vec::new();
        if self.too_small() {
            self.shell.quiet = true;
            return fx;
        }
        if !text.trim().is_empty() {
            self.start_search(&mut fx);
        }
        if let Some(p) = self.shell.popups.last_mut() {
            let reply = p.on_paste(text);
            self.reply(reply, &mut fx);
        } else {
            self.with_active(&mut fx, |p, cx| p.on_paste(text, cx));
        }
        self.count_awaiting(&fx);
        fx
    }

    /// Runs an action as if its key had been pressed now (tests use this).
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut fx = Vec::new();
        self.shell.status = None;
        self.run(action, &mut fx);
        self.count_awaiting(&fx);
        fx
    }

    /// Runs `f` on pane `i` with what it may touch; false if there is no
    /// such pane.
    fn with_pane<R: Default>(
        &mut self,
        i: usize,
        fx: &mut Vec<Effect>,
        f: impl FnOnce(&mut dyn Pane, &mut Cx) -> R,
    ) -> R {
        let App { panes, shell } = self;
        match panes.get_mut(i) {
            Some(p) => f(p, &mut shell.cx(fx, Owner::Pane(i))),
            None => R::default(),
        }
    }

    /// [`with_pane`](Self::with_pane) for the active pane.
    fn with_active<R: Default>(
        &mut self,
        fx: &mut Vec<Effect>,
        f: impl FnOnce(&mut dyn Pane, &mut Cx) -> R,
    ) -> R {
        self.with_pane(self.shell.active, fx, f)
    }

    /// Makes pane `i` the active one.
    fn show_pane(&mut self, i: usize, fx: &mut Vec<Effect>) {
        self.shell.active = i;
        if !self.shell.loading {
            self.with_active(fx, |p, cx| p.on_show(cx));
        }
    }

    /// Runs an action; false if nothing had a use for it.
    fn run(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        let mut used = true;
        if let Some(p) = self.shell.popups.last_mut() {
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
                Action::Quit => self.shell.quit = true,
                Action::Help => {
                    let first = self.contexts();
                    self.open_help(&first);
                }
                Action::PaneNext | Action::PanePrev => {
                    let n = Panes::COUNT;
                    let a = self.shell.active;
                    let i = if action == Action::PaneNext {
                        (a + 1) % n
                    } else {
                        (a + n - 1) % n
                    };
                    self.show_pane(i, fx);
                }
                a if a.pane_number().is_some() => {
                    let i = a.pane_number().unwrap_or(0);
                    if i < Panes::COUNT {
                        self.show_pane(i, fx);
                    } else {
                        self.shell.status =
                            Some(Status::info(crate::tr!("tui.pane_missing", n = i + 1)));
                    }
                }
                a if export::format_of(a).is_some() => {
                    if !self.shell.loading {
                        self.export_list(a, fx);
                    }
                }
                a => {
                    used = !self.shell.loading && self.with_active(fx, |p, cx| p.on_action(a, cx));
                }
            }
        }
        let main = App::main_area(self.shell.screen);
        if let Some(p) = self.shell.popups.last_mut() {
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
                self.shell.status = Some(said);
            }
            Err(said) => self.shell.status = Some(said),
        }
    }

    fn count_awaiting(&mut self, new: &[Effect]) {
        self.shell.awaiting += new
            .iter()
            .filter(|e| matches!(e, Effect::Store(Request::Detail { .. })))
            .count();
    }

    fn open_help(&mut self, first: &[Context]) {
        let mut h = Help::new(&self.shell.keymap, first);
        h.set_screen(App::main_area(self.shell.screen));
        self.shell.popups.push(Popup::Help(h));
    }

    fn reply(&mut self, reply: Reply, fx: &mut Vec<Effect>) {
        match reply {
            Reply::Ignored | Reply::Stay => {}
            Reply::Close => {
                self.shell.popups.pop();
            }
            // A form popup's command: its owner sends it to the store.
            Reply::Submit { owner, what } => {
                if let Owner::Pane(i) = owner {
                    let what = super::common::Token::new(what);
                    self.with_pane(i, fx, |p, cx| p.on_answer(&what, true, cx));
                }
            }
            // A form popup has typed input: asked on behalf of its owner.
            Reply::AskDiscard { owner } => {
                if let Owner::Pane(i) = owner {
                    self.with_pane(i, fx, |_, cx| {
                        cx.ask(
                            crate::tr!("tui.confirm.discard"),
                            super::common::DiscardForm,
                        )
                    });
                }
            }
            // A choice goes back to whoever opened the picker.
            Reply::Pick { owner, what, key } => {
                self.shell.popups.pop();
                if let Owner::Pane(i) = owner {
                    self.with_pane(i, fx, |p, cx| p.on_pick(what, &key, cx));
                }
            }
            // An answer goes back to whoever asked.
            Reply::Answer {
                owner,
                question,
                yes,
            } => {
                self.shell.popups.pop();
                match owner {
                    Owner::App if question.is::<RestoreDraft>() => self.draft_answered(yes, fx),
                    Owner::App => {}
                    Owner::Pane(i) if question.is::<super::common::DiscardForm>() => {
                        if yes {
                            // The form popup the question was over, or
                            // the pane's own form.
                            if matches!(self.shell.popups.last(), Some(Popup::Form(_))) {
                                self.shell.popups.pop();
                            } else if let Some(p) = self.panes.get_mut(i) {
                                p.discard_form();
                            }
                        }
                    }
                    Owner::Pane(i) => {
                        self.with_pane(i, fx, |p, cx| p.on_answer(&question, yes, cx));
                    }
                }
            }
        }
    }

    /// Offers a draft found at start (asked once the data is loaded; with
    /// several, one after another).
    pub fn offer_draft(&mut self, d: Draft) {
        self.shell.draft_offer.push(d);
        if !self.shell.loading && self.shell.draft_offer.len() == 1 {
            self.ask_draft();
        }
    }

    fn ask_draft(&mut self) {
        if let Some(d) = self.shell.draft_offer.first() {
            let text = crate::tr!("tui.confirm.draft", what = d.what(), when = d.saved_at);
            let c = super::popups::confirm::Confirm::new(text, RestoreDraft);
            self.shell.popups.insert(0, Popup::Confirm(c));
        }
    }

    /// The answer to a draft offered at start: the pane that owns its
    /// form opens it (and is shown); the next draft is offered; once all
    /// are answered, the files go.
    fn draft_answered(&mut self, yes: bool, fx: &mut Vec<Effect>) {
        if self.shell.draft_offer.is_empty() {
            return;
        }
        let mut d = Box::new(self.shell.draft_offer.remove(0));
        if yes {
            for i in 0..Panes::COUNT {
                match self.with_pane(i, fx, |p, cx| Some(p.restore(d, cx))) {
                    Some(Ok(())) => {
                        if i != self.shell.active {
                            self.show_pane(i, fx);
                        }
                        break;
                    }
                    Some(Err(back)) => d = back,
                    None => break,
                }
            }
        }
        if self.shell.draft_offer.is_empty() {
            fx.push(Effect::RemoveDraft);
        } else {
            self.ask_draft();
        }
    }

    /// Every open form with something typed in it, as drafts: the
    /// organization form (a popup) and each pane's own form.
    pub fn drafts(&self) -> Vec<Draft> {
        let mut out: Vec<Draft> = self
            .shell
            .popups
            .iter()
            .filter_map(|p| match p {
                Popup::Form(f) => f.draft(),
                _ => None,
            })
            .collect();
        out.extend((0..Panes::COUNT).filter_map(|i| self.panes.get(i)?.draft()));
        out
    }

    /// The first open form with typed input, as a draft.
    pub fn form_draft(&self) -> Option<Draft> {
        self.drafts().into_iter().next()
    }

    /// An answer from the store: to the pane that asked, or to the app.
    /// Every pane follows a change notice; a record an undo restored is
    /// then selected.
    fn follow(&mut self, notice: &crate::store::Notice, fx: &mut Vec<Effect>) {
        for i in 0..Panes::COUNT {
            self.with_pane(i, fx, |p, cx| p.on_change(notice, cx));
        }
        if let Some((kind, id)) = self.shell.reveal.take() {
            for i in 0..Panes::COUNT {
                self.with_pane(i, fx, |p, cx| p.reveal(kind, &id, cx));
            }
        }
    }

    /// The link to the server was lost, came back, or is read-only.
    fn on_link(&mut self, link: super::worker::Link, fx: &mut Vec<Effect>) {
        use super::worker::Link;
        match link {
            Link::Lost(why) => {
                self.shell.status = Some(Status::warn(crate::tr!("server.link_lost", why = why)));
            }
            Link::Back => {
                self.shell.status = Some(Status::info(crate::tr!("server.link_back")));
                // Anything may have changed meanwhile: every pane reads again.
                for i in 0..Panes::COUNT {
                    self.with_pane(i, fx, |p, cx| p.reconnected(cx));
                }
            }
            Link::ReadOnly => {
                self.shell.status = Some(Status::warn(crate::tr!("server.link_read_only")));
            }
        }
    }

    pub fn on_store(&mut self, r: Response) -> Vec<Effect> {
        let mut fx = Vec::new();
        // What the app itself takes from an answer before it goes on to the
        // pane that asked: the first load ends, a detail is no longer
        // awaited.
        // (The table is loaded again after places change: "first" for the
        // app's purposes each time.)
        let first_load = matches!(r, Response::Loaded { .. });
        if first_load {
            self.shell.loading = false;
            self.shell.load_error = None;
        }
        if matches!(r, Response::Detail { .. }) {
            self.shell.awaiting = self.shell.awaiting.saturating_sub(1);
        }
        match r {
            Response::Places(places) => self.shell.shared.places = places,
            Response::Undone(result) => self.undone(result),
            Response::Changed(notice) => {
                if let Some(line) = super::others::told(&notice, self.shell.user.as_deref()) {
                    self.shell.status = Some(Status::info(line));
                }
                self.follow(&notice, &mut fx);
            }
            Response::Link(link) => self.on_link(link, &mut fx),
            Response::Exported(r) => self.shell.status = Some(export::done(r)),
            Response::Unavailable(e) => {
                self.shell.status = Some(Status::error(e.message()));
            }
            Response::LoadFailed(e) => {
                self.shell.loading = false;
                let msg = crate::tr!("tui.load_error", message = e.message());
                self.shell.load_error = Some(msg.clone());
                self.shell.status = Some(Status::error(msg));
            }
            r => {
                if let Some(i) = r.pane() {
                    self.with_pane(i, &mut fx, |p, cx| p.on_store(r, cx));
                }
            }
        }
        if first_load {
            if self.shell.active != PANE_ORGS {
                // A pane chosen while loading is shown now.
                self.show_pane(self.shell.active, &mut fx);
            }
            let asking = self.shell.popups.iter().any(|p| match p {
                Popup::Confirm(c) => c.asks::<RestoreDraft>(),
                _ => false,
            });
            if !self.shell.draft_offer.is_empty() && !asking {
                self.ask_draft();
            }
        }
        self.count_awaiting(&fx);
        fx
    }

    /// An undo is done (or refused): the log and the message; the panes
    /// follow from the store's change notice.
    fn undone(&mut self, result: Result<(), String>) {
        self.shell.shared.undo_busy = false;
        match result {
            Ok(()) => {
                let change = self.shell.shared.undo.pop();
                self.shell.reveal = change
                    .as_ref()
                    .and_then(Change::target)
                    .map(|(k, id)| (k, id.to_string()));
                let what = change
                    .map(|c: Change| c.title().to_string())
                    .unwrap_or_default();
                self.shell.status = Some(Status::ok(crate::tr!("tui.undone", what = what)));
            }
            Err(e) => {
                self.shell.status = Some(Status::error(crate::tr!("tui.store_error", message = e)))
            }
        }
    }
}
