//! The 三社联动 (linkage) pane: open needs on the left (open first, the most
//! urgent first, then the oldest; filtered by community or grid cell), the
//! selected need with its linkages and the offers ranked for it on the
//! right, each with its score and the parts of the score. Staff propose a
//! linkage with an offer (`Enter`, asks first), take the need's linkage a
//! step further (`>`; asks before done) or cancel it (`x`, asks first), and
//! undo any of it (`u`, the session's one undo log). A need stays selected
//! when it moves in the list; one taken to done stays, greyed, until the
//! pane is left; a second `>` for the same linkage within [`STEP_REPEAT`]
//! is ignored (a double press on a slow link). `o` shows the grid
//! overview instead. `a` adds a need, `e` edits the selected need (or the
//! selected offer when the offers have the focus), `A` adds an offer, `W`
//! a social worker and `P` a partner; `E` edits the selected offer's
//! provider when a social worker or partner; all in forms with pinyin
//! pickers (see [`form`]).
//!
//! The data comes from the store worker ([`data`]); ranking runs here, in
//! update, when the selected need changes (a few microseconds), never while
//! drawing.

pub mod data;
pub mod form;
mod view;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::matching::{Ranked, Weights};
use crate::model::{Kind, LinkageState, Need, PlaceLevel, ProviderKind, Record};
use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::key::show_seq;
use crate::tui::panes::activities::quick::{show_errors, show_store_error};
use crate::tui::popups::picker::{PickFor, Picker};
use crate::tui::popups::Popup;
use crate::tui::widgets::field::Choice;
use crate::tui::widgets::width::str_width;
use crate::tui::widgets::{Form, ListState};
use crate::tui::worker::Request;

use super::{Cx, Pane, RenderCx, Token};
use crate::store::Notice;
use crate::tui::draft::Draft;
use crate::tui::worker::Response;

/// What this pane asks (the answer comes back with it).
#[derive(Debug)]
pub enum Question {
    /// Propose a linkage of this need with this offer.
    Propose { need: String, offer: String },
    /// Take this linkage to `to` (done, or cancelled: steps that end it
    /// and give capacity back).
    Step { id: String, to: LinkageState },
}

/// The kinds this pane shows (a change of one reads the pane again).
const SHOWN: [Kind; 7] = [
    Kind::Need,
    Kind::Offer,
    Kind::Worker,
    Kind::Partner,
    Kind::Linkage,
    Kind::Org,
    Kind::Place,
];
use data::{LinkData, LinkRequest, LinkResponse};
use form::Editing;

/// A second step key for the same linkage within this time of the first
/// is ignored: a double press, or a key pressed again over a slow link
/// before the screen showed the first one's effect. Compared with the time
/// the key is handled; nothing waits on a timer.
pub const STEP_REPEAT: Duration = Duration::from_secs(2);

/// Which list the moving keys move in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Needs,
    Offers,
}

/// A place filter: the code picked and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceFilter {
    pub code: String,
    pub name: String,
}

/// Widest texts of the lists, measured when they change (not while
/// drawing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Widths {
    pub need_title: usize,
    pub need_place: usize,
    pub offer_title: usize,
    pub offer_provider: usize,
}

/// The pane's state.
#[derive(Debug, Default)]
pub struct LinkagePane {
    /// Changed in the store since it was read (a change notice while the
    /// pane was not shown): read again, keeping the selection, when shown.
    stale: bool,
    /// The data from the store (`None` until loaded).
    pub data: Option<Box<LinkData>>,
    /// A load is on its way.
    pub loading: bool,
    /// Why the data could not be read.
    pub error: Option<String>,
    /// A change is on its way to the store.
    pub busy: bool,
    pub place: Option<PlaceFilter>,
    /// Positions in `data.needs` shown (after the place filter).
    pub shown: Vec<usize>,
    pub needs: ListState,
    /// The offers ranked for the selected need, best first.
    pub ranked: Vec<Ranked>,
    pub offers: ListState,
    pub focus: Focus,
    /// The grid overview is shown instead of the need and its offers.
    pub overview: bool,
    pub overview_at: ListState,
    pub weights: Weights,
    /// The need or offer form, while open, and what it is for.
    pub form: Option<Box<Form>>,
    pub editing: Option<Editing>,
    pub area: Rect,
    /// Needs taken to done here since the pane was shown: still listed,
    /// greyed, so the selection does not jump to another need.
    pub kept: Vec<String>,
    /// The last step asked for: the linkage and when its key was handled.
    last_step: Option<(String, Instant)>,
    /// The data was just read with this pane's own change: the change
    /// notice that follows it is not read again.
    just_read: bool,
    /// A draft to open once the data is read (restored at start).
    pending_draft: Option<(Editing, Draft)>,
    /// The record last sent to be saved, and the one whose
    /// possible-duplicate warning was shown (saving it again unchanged
    /// saves it).
    checking: Option<Record>,
    ack: Option<Record>,
    /// Widest title and place label of the listed needs, and widest title
    /// of the ranked offers (display columns), for the layout.
    widths: Widths,
    today: NaiveDate,
}

impl LinkagePane {
    pub fn new() -> Self {
        LinkagePane::default()
    }

    /// The selected need's row.
    pub fn selected_need(&self) -> Option<&data::NeedRow> {
        let d = self.data.as_ref()?;
        d.needs.get(*self.shown.get(self.needs.sel)?)
    }

    /// The selected offer: its id, title and score.
    pub fn selected_offer(&self) -> Option<(&str, &crate::model::Offer, &Ranked)> {
        let d = self.data.as_ref()?;
        let r = self.ranked.get(self.offers.sel)?;
        let (id, o) = d.matcher.offer(r.index)?;
        Some((id, o, r))
    }

    fn page(&self) -> usize {
        view::list_rows(self.area).max(1)
    }

    fn offer_page(&self) -> usize {
        view::offer_rows(self.area).max(1)
    }

    /// Ranks the offers for the selected need again.
    fn rerank(&mut self) {
        self.ranked.clear();
        self.offers = ListState::default();
        let (Some(d), Some(&i)) = (self.data.as_ref(), self.shown.get(self.needs.sel)) else {
            return;
        };
        if let Some(r) = d.needs.get(i) {
            self.ranked = d.matcher.rank(&r.id, &r.need, &self.weights, self.today);
        }
        let (mut title, mut provider) = (0, 0);
        for (_, o) in self.ranked.iter().filter_map(|r| d.matcher.offer(r.index)) {
            title = title.max(str_width(&o.title));
            provider = provider.max(str_width(d.provider_name(&o.provider)));
        }
        self.widths.offer_title = title;
        self.widths.offer_provider = provider;
    }

    /// Applies the place filter; keeps the need `keep` selected if shown.
    /// Done and closed needs are left out, but for those in [`Self::kept`].
    fn refilter(&mut self, keep: Option<String>) {
        self.shown.clear();
        if let Some(d) = &self.data {
            let at = self
                .place
                .as_ref()
                .and_then(|p| d.matcher.places().chain(&p.code).copied());
            for (i, r) in d.needs.iter().enumerate() {
                if r.finished() && !self.kept.contains(&r.id) {
                    continue;
                }
                let inside = match (&self.place, at) {
                    (None, _) => true,
                    (Some(_), Some(at)) => d
                        .matcher
                        .places()
                        .chain(&r.need.grid)
                        .is_some_and(|c| c.within(&at)),
                    (Some(p), None) => r.need.grid == p.code,
                };
                if inside {
                    self.shown.push(i);
                }
            }
            let pos = keep.and_then(|id| self.shown.iter().position(|&i| d.needs[i].id == id));
            self.needs.sel = pos.unwrap_or(self.needs.sel);
            let rows = self.shown.iter().filter_map(|&i| d.needs.get(i));
            let (mut title, mut place) = (0, 0);
            for r in rows {
                title = title.max(str_width(&r.need.title));
                place = place.max(str_width(&r.place_label()));
            }
            self.widths.need_title = title;
            self.widths.need_place = place;
        }
        let page = self.page();
        self.needs.scroll(self.shown.len(), page);
        self.rerank();
    }

    /// How many of the listed needs wait for a linkage: the 待对接需求 of
    /// pane 4 ([`crate::matching::waiting_count`]), within the place filter.
    pub fn waiting(&self) -> usize {
        let Some(d) = &self.data else { return 0 };
        crate::matching::waiting_count(
            self.shown
                .iter()
                .filter_map(|&i| d.needs.get(i).map(|r| &r.need)),
        )
    }

    /// Takes new data from the store, keeping the selected need selected.
    fn set_data(&mut self, d: Box<LinkData>) {
        let keep = self.selected_need().map(|r| r.id.clone());
        self.set_data_keeping(d, keep);
    }

    /// Takes new data from the store, selecting need `keep` if listed.
    fn set_data_keeping(&mut self, d: Box<LinkData>, keep: Option<String>) {
        let offer = self.offers;
        self.data = Some(d);
        self.loading = false;
        self.error = None;
        self.refilter(keep);
        self.offers.sel = offer.sel.min(self.ranked.len().saturating_sub(1));
        let page = self.offer_page();
        self.offers.scroll(self.ranked.len(), page);
        let n = self.data.as_ref().map_or(0, |d| d.overview.rows.len());
        self.overview_at.scroll(n, page);
    }

    fn load(&mut self, cx: &mut Cx) {
        self.loading = true;
        self.stale = false;
        self.today = cx.shared.today;
        cx.request(Request::Linkage(LinkRequest::Load {
            today: cx.shared.today,
        }));
    }

    /// An answer from the store worker. True when the database changed
    /// (its data is then read already: the change notice that follows is
    /// not read again).
    fn on_response(&mut self, r: LinkResponse, cx: &mut Cx) -> bool {
        match r {
            LinkResponse::Loaded(d) => {
                self.set_data(d);
                self.open_pending_draft(cx);
                false
            }
            LinkResponse::Warned(warnings) => {
                self.busy = false;
                self.ack = self.checking.take();
                if let Some(f) = self.form.as_mut() {
                    f.set_warning(crate::tui::common::look_alike_warning(&warnings, cx.keymap));
                }
                false
            }
            LinkResponse::Failed(e) => {
                self.loading = false;
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
                false
            }
            LinkResponse::Saved { result, data } => {
                self.busy = false;
                match result {
                    Ok(saved) => {
                        self.form = None;
                        self.editing = None;
                        cx.shared.undo.push(saved.undo);
                        let key = match saved.kind {
                            Kind::Offer => "linkage.tui.offer_saved",
                            Kind::Worker => "linkage.tui.worker_saved",
                            Kind::Partner => "linkage.tui.partner_saved",
                            _ => "linkage.tui.need_saved",
                        };
                        cx.say(Status::ok(crate::tr!(key, title = saved.title)));
                        if let Some(d) = data {
                            if saved.kind == Kind::Need {
                                self.show_need(d, saved.id);
                            } else {
                                self.set_data(d);
                            }
                        }
                        true
                    }
                    Err(e) => {
                        if let Some(d) = data {
                            self.set_data(d);
                        }
                        match self.form.as_mut() {
                            Some(f) => show_store_error(f, &e),
                            None => cx.say(Status::error(crate::tr!(
                                "tui.store_error",
                                message = e.message()
                            ))),
                        }
                        false
                    }
                }
            }
            LinkResponse::Changed { result, data } => {
                self.busy = false;
                match result {
                    Ok(done) => {
                        if done.state == LinkageState::Done && !self.kept.contains(&done.need) {
                            self.kept.push(done.need.clone());
                        }
                        if let Some(d) = data {
                            self.set_data_keeping(d, Some(done.need));
                        }
                        cx.shared.undo.push(done.undo);
                        cx.say(Status::ok(done.message));
                        true
                    }
                    Err(e) => {
                        if let Some(d) = data {
                            self.set_data(d);
                        }
                        cx.say(Status::error(e));
                        false
                    }
                }
            }
        }
    }

    /// Takes new data and selects need `id` (a need just saved): the place
    /// filter is dropped if it hides it, and the need list shown.
    fn show_need(&mut self, d: Box<LinkData>, id: String) {
        self.overview = false;
        self.focus = Focus::Needs;
        self.set_data_keeping(d, Some(id.clone()));
        if self.place.is_some() && self.selected_need().is_none_or(|r| r.id != id) {
            self.place = None;
            self.refilter(Some(id));
        }
    }

    /// The answer to one of this pane's questions.
    fn answered(&mut self, question: &Question, yes: bool, cx: &mut Cx) {
        if !yes {
            return;
        }
        let today = self.today;
        let req = match question.clone_owned() {
            Question::Propose { need, offer } => LinkRequest::Propose { need, offer, today },
            Question::Step { id, to } => {
                self.last_step = Some((id.clone(), Instant::now()));
                LinkRequest::Step { id, to, today }
            }
        };
        self.busy = true;
        cx.request(Request::Linkage(req));
    }

    /// A choice from this pane's place picker (`""`: every place).
    fn picked(&mut self, key: &str, cx: &mut Cx) {
        self.place = (!key.is_empty()).then(|| PlaceFilter {
            code: key.to_string(),
            name: cx
                .shared
                .places
                .iter()
                .find(|p| p.code == key)
                .map_or_else(|| key.to_string(), |p| p.name.clone()),
        });
        self.needs = ListState::default();
        self.refilter(None);
    }

    fn open_place_picker(&self, cx: &mut Cx) {
        let mut options = vec![Choice::new("", crate::tr!("tui.filter.all"))];
        for p in &cx.shared.places {
            if matches!(p.level, PlaceLevel::Community | PlaceLevel::Grid) {
                options.push(Choice::new(p.code.clone(), p.name.clone()));
            }
        }
        let current = self
            .place
            .as_ref()
            .map(|p| p.code.clone())
            .unwrap_or_default();
        let picker = Picker::new(
            crate::text::t("tui.filter.place_title").to_string(),
            options,
            &current,
            PickFor::Place,
        );
        cx.open(Popup::Picker(Box::new(picker)));
    }

    fn propose(&mut self, cx: &mut Cx) {
        let (Some(n), Some((oid, o, r))) = (self.selected_need(), self.selected_offer()) else {
            cx.say(Status::info(
                crate::text::t("linkage.tui.no_offer").to_string(),
            ));
            return;
        };
        // A need done here is still listed (greyed): it takes no new linkage.
        if n.finished() {
            cx.say(Status::info(crate::tr!(
                "linkage.tui.need_finished",
                need = n.need.title,
                state = crate::model::Labeled::label(n.need.state, crate::text::lang())
            )));
            return;
        }
        let text = crate::tr!(
            "linkage.tui.confirm_propose",
            need = n.need.title,
            offer = o.title,
            score = format!("{:.0}", r.score)
        );
        let what = Question::Propose {
            need: n.id.clone(),
            offer: oid.to_string(),
        };
        cx.ask(text, what);
    }

    /// The selected need's linkage under way: its id and state.
    pub fn live(&self) -> Option<(String, LinkageState)> {
        let n = self.selected_need()?;
        let (id, l) = self.data.as_ref()?.live_linkage(&n.id)?;
        Some((id.clone(), l.state))
    }

    /// The selected need's title and its live linkage's first offer, for
    /// questions and messages.
    fn names(&self, linkage: &str) -> (String, String) {
        let need = self
            .selected_need()
            .map(|n| n.need.title.clone())
            .unwrap_or_default();
        let offer = self
            .data
            .as_ref()
            .and_then(|d| {
                let (_, l) = d.linkages.iter().find(|(id, _)| id == linkage)?;
                Some(d.offer_title(l.offers.first()?).to_string())
            })
            .unwrap_or_default();
        (need, offer)
    }

    fn advance(&mut self, now: Instant, cx: &mut Cx) {
        let Some((id, state)) = self.live() else {
            cx.say(Status::info(
                crate::text::t("linkage.tui.no_linkage").to_string(),
            ));
            return;
        };
        let Some(to) = state.next() else {
            return;
        };
        let (need, offer) = self.names(&id);
        if let Some((last, at)) = &self.last_step {
            if *last == id && now.saturating_duration_since(*at) < STEP_REPEAT {
                let key = cx
                    .keymap
                    .first_keys(&[Context::Linkage], Action::LinkageNext)
                    .map(show_seq)
                    .unwrap_or_default();
                cx.say(Status::warn(crate::tr!(
                    "linkage.tui.repeat_ignored",
                    key = key,
                    need = need,
                    secs = STEP_REPEAT.as_secs()
                )));
                return;
            }
        }
        if to == LinkageState::Done {
            let text = crate::tr!("linkage.tui.confirm_done", need = need, offer = offer);
            cx.ask(text, Question::Step { id, to });
            return;
        }
        self.last_step = Some((id.clone(), now));
        self.busy = true;
        cx.request(Request::Linkage(LinkRequest::Step {
            id,
            to,
            today: self.today,
        }));
    }

    fn cancel(&mut self, cx: &mut Cx) {
        let Some((id, _)) = self.live() else {
            cx.say(Status::info(
                crate::text::t("linkage.tui.no_linkage").to_string(),
            ));
            return;
        };
        let (need, offer) = self.names(&id);
        let text = crate::tr!("linkage.tui.confirm_cancel", need = need, offer = offer);
        cx.ask(
            text,
            Question::Step {
                id,
                to: LinkageState::Cancelled,
            },
        );
    }

    fn open_need_form(&mut self, edit: bool, cx: &mut Cx) {
        let places = &cx.shared.places;
        let today = cx.shared.today;
        if edit {
            let Some(r) = self.selected_need() else {
                return;
            };
            let (id, before) = (r.id.clone(), Box::new(r.need.clone()));
            self.form = Some(Box::new(form::need_form(places, Some(&before), today)));
            self.editing = Some(Editing::Need { id, before });
        } else {
            self.form = Some(Box::new(form::need_form(places, None, today)));
            self.editing = Some(Editing::NewNeed);
        }
    }

    fn open_offer_form(&mut self, edit: bool, cx: &mut Cx) {
        let Some(d) = &self.data else {
            return;
        };
        let (places, today) = (&cx.shared.places, cx.shared.today);
        if edit {
            let Some((id, o, _)) = self.selected_offer() else {
                return;
            };
            let (id, before) = (id.to_string(), Box::new(o.clone()));
            let form = form::offer_form(places, &d.provider_list, Some(&before), today);
            self.form = Some(Box::new(form));
            self.editing = Some(Editing::Offer { id, before });
        } else {
            let form = form::offer_form(places, &d.provider_list, None, today);
            self.form = Some(Box::new(form));
            self.editing = Some(Editing::NewOffer);
        }
    }

    fn open_people_form(&mut self, editing: Editing, cx: &mut Cx) {
        let Some(d) = &self.data else {
            return;
        };
        let (places, today) = (&cx.shared.places, cx.shared.today);
        let form = match &editing {
            Editing::NewWorker => form::worker_form(places, &d.provider_list, None, today),
            Editing::Worker { before, .. } => {
                form::worker_form(places, &d.provider_list, Some(before), today)
            }
            Editing::Partner { before, .. } => form::partner_form(Some(before), today),
            _ => form::partner_form(None, today),
        };
        self.form = Some(Box::new(form));
        self.editing = Some(editing);
    }

    /// Opens the form of the selected offer's provider when it is a social
    /// worker or a partner (organizations are edited in pane 1).
    fn open_provider_form(&mut self, cx: &mut Cx) {
        let (Some(d), Some((_, o, _))) = (self.data.as_ref(), self.selected_offer()) else {
            cx.say(Status::info(
                crate::text::t("linkage.tui.no_offer").to_string(),
            ));
            return;
        };
        let id = o.provider.clone();
        let editing = match o.provider_kind {
            ProviderKind::Worker => d.workers.get(&id).map(|w| Editing::Worker {
                id: id.clone(),
                before: Box::new(w.clone()),
            }),
            ProviderKind::Partner => d.partners.get(&id).map(|p| Editing::Partner {
                id: id.clone(),
                before: Box::new(p.clone()),
            }),
            ProviderKind::Org => None,
        };
        match editing {
            Some(e) => self.open_people_form(e, cx),
            None => cx.say(Status::info(
                crate::text::t("linkage.tui.provider_not_editable").to_string(),
            )),
        }
    }

    /// The form for `editing`, if the data it needs is read.
    fn form_for(&self, editing: &Editing, cx: &Cx) -> Option<Form> {
        let d = self.data.as_ref()?;
        let (places, today, providers) = (&cx.shared.places, cx.shared.today, &d.provider_list);
        Some(match editing {
            Editing::NewNeed => form::need_form(places, None, today),
            Editing::Need { before, .. } => form::need_form(places, Some(before), today),
            Editing::NewOffer => form::offer_form(places, providers, None, today),
            Editing::Offer { before, .. } => {
                form::offer_form(places, providers, Some(before), today)
            }
            Editing::NewWorker => form::worker_form(places, providers, None, today),
            Editing::Worker { before, .. } => {
                form::worker_form(places, providers, Some(before), today)
            }
            Editing::NewPartner => form::partner_form(None, today),
            Editing::Partner { before, .. } => form::partner_form(Some(before), today),
        })
    }

    /// Opens a restored draft's form, once the data is read.
    fn open_pending_draft(&mut self, cx: &mut Cx) {
        let Some((editing, d)) = self.pending_draft.take() else {
            return;
        };
        match self.form_for(&editing, cx) {
            Some(mut f) => {
                f.apply_draft(&d.form);
                self.form = Some(Box::new(f));
                self.editing = Some(editing);
            }
            None => {
                self.pending_draft = Some((editing, d));
                if !self.loading {
                    self.load(cx);
                }
            }
        }
    }

    fn close_form(&mut self) {
        self.form = None;
        self.editing = None;
        self.ack = None;
    }

    fn save(&mut self, cx: &mut Cx) {
        if self.busy {
            cx.say(Status::info(crate::text::t("linkage.tui.busy").to_string()));
            return;
        }
        let (Some(form), Some(editing)) = (self.form.as_mut(), self.editing.as_ref()) else {
            return;
        };
        form.clear_warning();
        let built = match editing {
            Editing::NewNeed => {
                form::form_to_need(form, Need::default()).map(|n| (None, None, Record::Need(n)))
            }
            Editing::Need { id, before } => form::form_to_need(form, (**before).clone()).map(|n| {
                let before = Box::new(Record::Need((**before).clone()));
                (Some(id.clone()), Some(before), Record::Need(n))
            }),
            Editing::NewOffer => {
                let providers = self
                    .data
                    .as_ref()
                    .map_or(&[][..], |d| d.provider_list.as_slice());
                form::form_to_offer(form, providers, Default::default())
                    .map(|o| (None, None, Record::Offer(o)))
            }
            Editing::Offer { id, before } => {
                let providers = self
                    .data
                    .as_ref()
                    .map_or(&[][..], |d| d.provider_list.as_slice());
                form::form_to_offer(form, providers, (**before).clone()).map(|o| {
                    let before = Box::new(Record::Offer((**before).clone()));
                    (Some(id.clone()), Some(before), Record::Offer(o))
                })
            }
            Editing::NewWorker => form::form_to_worker(form, Default::default())
                .map(|w| (None, None, Record::Worker(w))),
            Editing::Worker { id, before } => {
                form::form_to_worker(form, (**before).clone()).map(|w| {
                    let before = Box::new(Record::Worker((**before).clone()));
                    (Some(id.clone()), Some(before), Record::Worker(w))
                })
            }
            Editing::NewPartner => form::form_to_partner(form, Default::default())
                .map(|p| (None, None, Record::Partner(p))),
            Editing::Partner { id, before } => {
                form::form_to_partner(form, (**before).clone()).map(|p| {
                    let before = Box::new(Record::Partner((**before).clone()));
                    (Some(id.clone()), Some(before), Record::Partner(p))
                })
            }
        };
        match built {
            Ok((id, before, record)) => {
                form.clear_errors();
                self.busy = true;
                let ack = self.ack.as_ref() == Some(&record);
                self.checking = Some(record.clone());
                cx.request(Request::Linkage(LinkRequest::Save {
                    id,
                    before,
                    record: Box::new(record),
                    today: cx.shared.today,
                    ack,
                }));
            }
            Err(errors) => show_errors(form, &errors),
        }
    }

    fn form_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        let Some(form) = self.form.as_mut() else {
            return false;
        };
        match action {
            Action::FormSave => self.save(cx),
            Action::FormCancel => {
                if super::cancel_form(form, cx) {
                    self.close_form();
                }
            }
            Action::FormNext => form.focus_next(),
            Action::FormPrev => form.focus_prev(),
            _ => return false,
        }
        true
    }

    fn move_in(&mut self, action: Action) -> bool {
        if self.overview {
            let n = self.data.as_ref().map_or(0, |d| d.overview.rows.len());
            let page = view::overview_rows(self.area);
            return self.overview_at.apply(action, n, page);
        }
        match self.focus {
            Focus::Needs => {
                let page = self.page();
                let moved = self.needs.apply(action, self.shown.len(), page);
                if moved {
                    self.rerank();
                }
                moved
            }
            Focus::Offers => {
                let page = self.offer_page();
                self.offers.apply(action, self.ranked.len(), page)
            }
        }
    }
}

impl Question {
    fn clone_owned(&self) -> Question {
        match self {
            Question::Propose { need, offer } => Question::Propose {
                need: need.clone(),
                offer: offer.clone(),
            },
            Question::Step { id, to } => Question::Step {
                id: id.clone(),
                to: *to,
            },
        }
    }
}

impl Pane for LinkagePane {
    fn discard_form(&mut self) {
        self.close_form();
    }

    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        if let Response::Linkage(r) = r {
            self.just_read = self.on_response(*r, cx);
        }
    }

    fn on_answer(&mut self, question: &Token, yes: bool, cx: &mut Cx) {
        if let Some(q) = question.get::<Question>() {
            self.answered(q, yes, cx);
        }
    }

    fn on_pick(&mut self, _what: PickFor, key: &str, cx: &mut Cx) {
        self.picked(key, cx);
    }

    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        if std::mem::take(&mut self.just_read) || !SHOWN.iter().any(|k| notice.touches(*k)) {
            return;
        }
        if self.data.is_none() {
        } else if cx.shown {
            self.load(cx);
        } else {
            self.stale = true;
        }
    }

    fn draft(&self) -> Option<Draft> {
        let (form, editing) = (self.form.as_deref()?, self.editing.as_ref()?);
        let (key, mode) = editing.draft_mode();
        Draft::of(key, mode, form)
    }

    fn restore(&mut self, d: Box<Draft>, cx: &mut Cx) -> Result<(), Box<Draft>> {
        let Some(editing) = Editing::from_draft(&d) else {
            return Err(d);
        };
        self.pending_draft = Some((editing, *d));
        self.open_pending_draft(cx);
        Ok(())
    }

    fn form(&self) -> Option<&Form> {
        self.form.as_deref()
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        self.form.as_deref_mut()
    }

    fn title_key(&self) -> &'static str {
        "linkage.tui.title"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.form.is_some() {
            &[Context::Form]
        } else {
            &[Context::Linkage, Context::List]
        }
    }

    fn reconnected(&mut self, cx: &mut Cx) {
        self.loading = false;
        self.stale = true;
        if cx.shown {
            self.load(cx);
        }
    }

    fn on_show(&mut self, cx: &mut Cx) {
        // Needs taken to done on the last visit leave the list now.
        if !self.kept.is_empty() {
            self.kept.clear();
            let keep = self.selected_need().map(|r| r.id.clone());
            self.refilter(keep);
        }
        self.last_step = None;
        if (self.data.is_none() || self.stale) && !self.loading {
            self.load(cx);
        }
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        if self.data.is_none() {
            return false;
        }
        if self.form.is_some() {
            return self.form_action(action, cx);
        }
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                self.move_in(action);
            }
            Action::LinkageNeeds => self.focus = Focus::Needs,
            Action::LinkageOffers => {
                if !self.ranked.is_empty() {
                    self.focus = Focus::Offers;
                }
            }
            Action::LinkageOverview => self.overview = !self.overview,
            Action::LinkageReload => self.load(cx),
            Action::FilterPlace => self.open_place_picker(cx),
            Action::FilterClear => {
                if self.overview {
                    self.overview = false;
                } else if self.place.is_some() {
                    let keep = self.selected_need().map(|r| r.id.clone());
                    self.place = None;
                    self.refilter(keep);
                } else if self.focus == Focus::Offers {
                    self.focus = Focus::Needs;
                }
            }
            Action::LinkagePropose | Action::LinkageNext | Action::LinkageCancel | Action::Undo
                if self.busy =>
            {
                cx.say(Status::info(crate::text::t("linkage.tui.busy").to_string()));
            }
            Action::Undo => cx.undo(),
            Action::LinkageAddNeed => self.open_need_form(false, cx),
            Action::LinkageEditNeed if !self.overview => match self.focus {
                Focus::Needs => self.open_need_form(true, cx),
                Focus::Offers => self.open_offer_form(true, cx),
            },
            Action::LinkageAddOffer => self.open_offer_form(false, cx),
            Action::LinkageAddWorker => self.open_people_form(Editing::NewWorker, cx),
            Action::LinkageAddPartner => self.open_people_form(Editing::NewPartner, cx),
            Action::LinkageEditProvider if !self.overview => self.open_provider_form(cx),
            Action::LinkagePropose if !self.overview => self.propose(cx),
            Action::LinkageNext if !self.overview => self.advance(Instant::now(), cx),
            Action::LinkageCancel if !self.overview => self.cancel(cx),
            _ => return false,
        }
        true
    }

    /// The needs listed on the left (not while the overview replaces them).
    fn listed(&self) -> Option<crate::tui::export::Listed> {
        let d = self.data.as_ref().filter(|_| !self.overview)?;
        let needs = self.shown.iter().filter_map(|&i| d.needs.get(i));
        Some(crate::tui::export::Listed {
            kind: Kind::Need,
            ids: needs.map(|n| n.id.clone()).collect(),
        })
    }

    fn commands(&self, shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        if self.overview {
            return vec![Action::LinkageOverview, Action::Down, Action::Up];
        }
        let mut out = vec![Action::LinkagePropose];
        if self.live().is_some() {
            out.push(Action::LinkageNext);
            out.push(Action::LinkageCancel);
        }
        if !shared.undo.is_empty() {
            out.push(Action::Undo);
        }
        out.push(match self.focus {
            Focus::Needs => Action::LinkageOffers,
            Focus::Offers => Action::LinkageNeeds,
        });
        out.extend([
            Action::LinkageAddNeed,
            Action::LinkageEditNeed,
            Action::LinkageAddOffer,
            Action::LinkageOverview,
            Action::FilterPlace,
            Action::LinkageReload,
        ]);
        out
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
        let (n, o) = (self.shown.len(), self.ranked.len());
        let (page, opage) = (self.page(), self.offer_page());
        self.needs.scroll(n, page);
        self.offers.scroll(o, opage);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        view::render(self, area, buf, rx);
        view::render_form(self, area, buf, rx)
    }
}
