//! The 活动 (activities) pane: every activity, newest first, filtered by
//! month (`[`/`]`), organization, community and kind, with the totals of
//! the filter above the list; `a` opens quick entry (see [`quick`]), `e`
//! the same form filled in to edit the selected activity, `d` deletes it
//! after a question, `u` undoes the session's last change (one undo log
//! with the organizations pane).
//!
//! The data comes from the store worker ([`data`]) once, on first show;
//! filtering reads the log's month index in update, never while drawing.
//! A saved, changed, deleted or restored activity is put into (or taken
//! out of) the log in place and the filter run again; the change is also
//! kept for the app to pass on to the dashboard ([`Changes`]).

pub mod data;
pub mod quick;
mod view;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::activity::{month_key, next_month, prev_month};
use crate::model::{Activity, ActivityKind, Kind, Labeled, PlaceLevel, Record};
use crate::report::{Filter, Totals};
use crate::store::Command;
use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::key::show_seq;
use crate::tui::popups::picker::{PickFor, Picker};
use crate::tui::popups::Popup;
use crate::tui::undo::Change;
use crate::tui::widgets::{Choice, Form, ListState};
use crate::tui::worker::Request;

use super::{Cx, Pane, RenderCx, Token};
use crate::store::Notice;
use crate::tui::draft::{Draft, DraftMode};
use crate::tui::worker::Response;

/// What this pane asks (the answer comes back with it).
#[derive(Debug)]
pub enum Question {
    /// Delete this activity.
    Delete { id: String },
}

/// The draft key of this pane's form (quick entry, or the edit form).
const FORM: &str = "activity-form";
use data::{ActData, ActRequest, ActResponse, Executed};
use quick::Memory;

/// The picker this pane has open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picking {
    Org,
    Community,
    Kind,
}

/// The pane's state.
#[derive(Debug, Default)]
pub struct ActivitiesPane {
    /// Changed in the store since it was read (a change notice while the
    /// pane was not shown): read again, keeping the selection, when shown.
    stale: bool,
    /// The data from the store (`None` until loaded).
    pub data: Option<Box<ActData>>,
    pub loading: bool,
    /// Why the data could not be read.
    pub error: Option<String>,
    pub filter: Filter,
    /// Slot numbers shown, newest first.
    pub shown: Vec<usize>,
    /// Totals of `shown`.
    pub totals: Totals,
    /// The selected row and the first row shown.
    pub list: ListState,
    /// Quick entry or the edit form, while open.
    pub form: Option<Box<Form>>,
    /// The activity the open form edits: its id and the record as it was
    /// (`None`: the form is quick entry).
    pub editing: Option<(String, Box<Activity>)>,
    /// What the last saved entry leaves for the next one.
    pub memory: Memory,
    /// A save or deletion is on its way to the store.
    pub busy: bool,
    /// A draft to open once the data is read (restored at start).
    pending_draft: Option<Draft>,
    pub picking: Option<Picking>,
    pub area: Rect,
    today: NaiveDate,
}

impl ActivitiesPane {
    pub fn new() -> Self {
        ActivitiesPane::default()
    }

    /// The selected activity: its id and record.
    pub fn selected(&self) -> Option<(String, Activity)> {
        let d = self.data.as_ref()?;
        let s = d.log.slot(*self.shown.get(self.list.sel)?)?;
        Some((s.id, s.activity))
    }

    fn page(&self) -> usize {
        view::list_rows(self.area).max(1)
    }

    fn scroll(&mut self) {
        let (len, page) = (self.shown.len(), self.page());
        self.list.scroll(len, page);
    }

    /// Runs the filter again; keeps activity `keep` selected if shown.
    fn refilter(&mut self, keep: Option<String>) {
        let Some(d) = &self.data else {
            return;
        };
        let (shown, totals) = d.log.filter(&self.filter);
        let pos = keep.and_then(|id| shown.iter().position(|&n| d.log.id(n) == Some(id.as_str())));
        self.shown = shown;
        self.totals = totals;
        self.list.sel = pos.unwrap_or(0);
        if pos.is_none() {
            self.list.top = 0;
        }
        self.scroll();
    }

    /// Runs the filter again, keeping the selection at the same row (after
    /// a deletion).
    fn refilter_in_place(&mut self) {
        let before = self.list;
        self.refilter(None);
        self.list.sel = before.sel.min(self.shown.len().saturating_sub(1));
        self.list.top = before.top;
        self.scroll();
    }

    fn load(&mut self, cx: &mut Cx) {
        self.loading = true;
        self.stale = false;
        self.today = cx.shared.today;
        cx.request(Request::Activity(ActRequest::Load));
    }

    /// An answer from the store worker.
    pub fn on_response(&mut self, r: ActResponse, cx: &mut Cx) {
        match r {
            ActResponse::Loaded(d) => {
                let keep = self.selected().map(|(id, _)| id.to_string());
                self.data = Some(d);
                self.loading = false;
                self.error = None;
                self.refilter(keep);
                self.open_pending_draft(cx);
            }
            ActResponse::Failed(e) => {
                self.loading = false;
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
            }
            ActResponse::Created(Ok((id, a))) => {
                self.busy = false;
                self.form = None;
                self.memory = quick::memory_of(&a);
                let org = a
                    .orgs
                    .first()
                    .and_then(|o| self.data.as_ref().map(|d| d.org_name(o).to_string()))
                    .unwrap_or_default();
                cx.say(Status::ok(crate::tr!(
                    "activity.tui.saved",
                    title = a.title,
                    org = org,
                    date = a.date
                )));
                cx.shared.undo.push(Change::Created {
                    kind: Kind::Activity,
                    id: id.clone(),
                    title: a.title.clone(),
                });
                if let Some(d) = self.data.as_mut() {
                    let slot = d.places.slot(id.clone(), (*a).clone());
                    d.log.upsert(slot);
                }
                self.refilter(Some(id));
            }
            ActResponse::Executed { cmd, result } => {
                self.busy = false;
                match result {
                    Ok(done) => self.executed(*cmd, done, cx),
                    Err(e) => match (self.form.as_mut(), self.editing.is_some()) {
                        (Some(f), true) => quick::show_store_error(f, &e),
                        _ => cx.say(Status::error(crate::tr!(
                            "tui.store_error",
                            message = e.message()
                        ))),
                    },
                }
            }
            ActResponse::Created(Err(e)) => {
                self.busy = false;
                match self.form.as_mut() {
                    Some(f) => quick::show_store_error(f, &e),
                    None => cx.say(Status::error(crate::tr!(
                        "tui.store_error",
                        message = e.message()
                    ))),
                }
            }
        }
    }

    /// A change or deletion made by this pane is stored.
    fn executed(&mut self, cmd: Command, done: Executed, cx: &mut Cx) {
        let Executed { id, ops, stored } = done;
        match cmd {
            Command::Update { before, .. } => {
                self.form = None;
                self.editing = None;
                let Some(a) = stored else {
                    // Deleted meanwhile (a sync import): read everything.
                    self.load(cx);
                    return;
                };
                if ops == 0 {
                    cx.say(Status::info(crate::tr!("activity.tui.unchanged")));
                    return;
                }
                cx.shared.undo.push(Change::Updated {
                    id: id.clone(),
                    before: Box::new(before.clone()),
                    after: Box::new(Record::Activity((*a).clone())),
                });
                let org = self.org_of(&a);
                cx.say(Status::ok(crate::tr!(
                    "activity.tui.updated",
                    title = a.title,
                    org = org,
                    date = a.date
                )));
                self.put(&id, *a);
                self.refilter(Some(id));
            }
            Command::Delete { .. } => {
                let title = match self.take_out(&id) {
                    Some(a) => a.title,
                    None => id.clone(),
                };
                cx.shared.undo.push(Change::Deleted {
                    kind: Kind::Activity,
                    id,
                    title: title.clone(),
                });
                let key = cx
                    .keymap
                    .first_keys(&[Context::Activities], Action::Undo)
                    .map(show_seq)
                    .unwrap_or_default();
                cx.say(Status::ok(crate::tr!(
                    "tui.deleted",
                    name = title,
                    key = key
                )));
                self.refilter_in_place();
            }
            Command::Create { .. } | Command::Restore { .. } => {}
        }
    }

    /// Puts activity `a` (as stored) into the log.
    fn put(&mut self, id: &str, a: Activity) {
        if let Some(d) = self.data.as_mut() {
            let slot = d.places.slot(id.to_string(), a);
            d.log.upsert(slot);
        }
    }

    /// Takes activity `id` out of the log; returns it.
    fn take_out(&mut self, id: &str) -> Option<Activity> {
        let slot = self.data.as_mut().and_then(|d| d.log.remove(id))?;
        Some(slot.activity)
    }

    /// Follows activities changed anywhere (this pane, an undo, an
    /// import): in the log in place, the selection kept.
    fn follow(&mut self, notice: &Notice, cx: &mut Cx) {
        if self.data.is_none() {
            return;
        }
        if notice.too_many(Kind::Activity)
            || notice.touches(Kind::Org)
            || notice.touches(Kind::Place)
        {
            // Names of organizations and places, or too many changes.
            if cx.shown {
                self.load(cx);
            } else {
                self.stale = true;
            }
            return;
        }
        if !notice.touches(Kind::Activity) {
            return;
        }
        let keep = self.selected().map(|(id, _)| id);
        for c in notice.of(Kind::Activity) {
            match &c.after {
                Some(Record::Activity(a)) => self.put(&c.id, a.clone()),
                _ => {
                    self.take_out(&c.id);
                }
            }
        }
        let still = keep.filter(|id| self.data.as_ref().is_some_and(|d| d.log.contains(id)));
        match still {
            Some(id) => self.refilter(Some(id)),
            None => self.refilter_in_place(),
        }
    }

    /// The name of the activity's first organization.
    fn org_of(&self, a: &Activity) -> String {
        a.orgs
            .first()
            .and_then(|o| self.data.as_ref().map(|d| d.org_name(o).to_string()))
            .unwrap_or_default()
    }

    fn edit_selected(&mut self, cx: &mut Cx) {
        let Some((id, a)) = self.selected() else {
            cx.say(Status::info(crate::tr!("activity.tui.no_selection")));
            return;
        };
        let (id, a) = (id.to_string(), a.clone());
        let Some(d) = &self.data else {
            return;
        };
        let form = quick::edit_form(&d.orgs, &cx.shared.places, &a, cx.shared.today);
        self.form = Some(Box::new(form));
        self.editing = Some((id, Box::new(a)));
    }

    fn ask_delete(&mut self, cx: &mut Cx) {
        let Some((id, a)) = self.selected() else {
            cx.say(Status::info(crate::tr!("activity.tui.no_selection")));
            return;
        };
        let key = cx
            .keymap
            .first_keys(&[Context::Activities], Action::Undo)
            .map(show_seq)
            .unwrap_or_default();
        let text = crate::tr!(
            "activity.tui.confirm_delete",
            title = a.title,
            org = self.org_of(&a),
            date = a.date,
            key = key
        );
        cx.ask(text, Question::Delete { id: id.to_string() });
    }

    /// The answer to the delete question.
    fn delete(&mut self, id: String, yes: bool, cx: &mut Cx) {
        if !yes {
            return;
        }
        if self.busy {
            cx.say(Status::info(
                crate::text::t("activity.tui.busy").to_string(),
            ));
            return;
        }
        self.busy = true;
        cx.request(Request::Activity(ActRequest::Execute(Box::new(
            Command::Delete {
                kind: Kind::Activity,
                id,
            },
        ))));
    }

    /// A choice from one of this pane's pickers (`""`: all).
    fn picked(&mut self, key: &str) {
        let key = (!key.is_empty()).then(|| key.to_string());
        match self.picking.take() {
            Some(Picking::Org) => self.filter.org = key,
            Some(Picking::Community) => self.filter.community = key,
            Some(Picking::Kind) => self.filter.kind = key.and_then(|k| ActivityKind::parse(&k)),
            None => return,
        }
        self.refilter(None);
    }

    fn open_picker(&mut self, what: Picking, cx: &mut Cx) {
        let Some(d) = &self.data else {
            return;
        };
        let mut options = vec![Choice::new("", crate::tr!("tui.filter.all"))];
        let (title, current, tag) = match what {
            Picking::Org => {
                options.extend(
                    d.orgs
                        .iter()
                        .map(|(id, n)| Choice::new(id.clone(), n.clone())),
                );
                (
                    "activity.tui.org_title",
                    self.filter.org.clone(),
                    PickFor::Type,
                )
            }
            Picking::Community => {
                options.extend(
                    cx.shared
                        .places
                        .iter()
                        .filter(|p| p.level == PlaceLevel::Community)
                        .map(|p| Choice::new(p.code.clone(), p.name.clone())),
                );
                (
                    "activity.tui.community_title",
                    self.filter.community.clone(),
                    PickFor::Place,
                )
            }
            Picking::Kind => {
                options.extend(
                    ActivityKind::ALL
                        .iter()
                        .map(|&k| Choice::new(k.key(), crate::text::label(k))),
                );
                (
                    "activity.tui.kind_title",
                    self.filter.kind.map(|k| k.key().to_string()),
                    PickFor::Type,
                )
            }
        };
        // The app gives the choice to the active pane: `picking` says what
        // it is for, whatever `PickFor` the picker carries.
        let picker = Picker::new(
            crate::text::t(title).to_string(),
            options,
            current.as_deref().unwrap_or(""),
            tag,
        );
        self.picking = Some(what);
        cx.open(Popup::Picker(Box::new(picker)));
    }

    /// Opens a restored draft's form, once the data is read.
    fn open_pending_draft(&mut self, cx: &mut Cx) {
        let Some(draft) = self.pending_draft.take() else {
            return;
        };
        let Some(d) = &self.data else {
            self.pending_draft = Some(draft);
            if !self.loading {
                self.load(cx);
            }
            return;
        };
        let (places, today) = (&cx.shared.places, cx.shared.today);
        let editing = draft.editing(|r| match r {
            Record::Activity(a) => Some(a),
            _ => None,
        });
        let mut form = match &editing {
            Some((_, a)) => quick::edit_form(&d.orgs, places, a, today),
            None => quick::new_form(&d.orgs, places, &self.memory, today),
        };
        form.apply_draft(&draft.form);
        self.form = Some(Box::new(form));
        self.editing = editing.map(|(id, a)| (id, Box::new(a)));
    }

    fn open_form(&mut self, cx: &mut Cx) {
        let Some(d) = &self.data else {
            return;
        };
        let form = quick::new_form(&d.orgs, &cx.shared.places, &self.memory, cx.shared.today);
        self.form = Some(Box::new(form));
    }

    fn save(&mut self, cx: &mut Cx) {
        if self.busy {
            cx.say(Status::info(
                crate::text::t("activity.tui.busy").to_string(),
            ));
            return;
        }
        let Some(form) = self.form.as_mut() else {
            return;
        };
        form.clear_warning();
        if let Some((id, before)) = &self.editing {
            match quick::apply_form(form, before) {
                Ok(after) if after == **before => {
                    self.form = None;
                    self.editing = None;
                    cx.say(Status::info(crate::tr!("activity.tui.unchanged")));
                }
                Ok(after) => {
                    form.clear_errors();
                    self.busy = true;
                    let cmd = Command::Update {
                        id: id.clone(),
                        before: Record::Activity((**before).clone()),
                        after: Record::Activity(after),
                    };
                    cx.request(Request::Activity(ActRequest::Execute(Box::new(cmd))));
                }
                Err(errors) => quick::show_errors(form, &errors),
            }
            return;
        }
        match quick::form_to_activity(form) {
            Ok(a) => {
                form.clear_errors();
                self.busy = true;
                cx.request(Request::Activity(ActRequest::Create(Box::new(a))));
            }
            Err(errors) => quick::show_errors(form, &errors),
        }
    }

    fn form_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        let Some(form) = self.form.as_mut() else {
            return false;
        };
        match action {
            Action::FormSave => self.save(cx),
            // Nothing typed since it opened (or since the last save of
            // quick entry): closes at once; else asks first.
            Action::FormCancel => {
                if super::cancel_form(form, cx) {
                    self.discard_form();
                }
            }
            Action::FormNext => form.focus_next(),
            Action::FormPrev => form.focus_prev(),
            _ => return false,
        }
        true
    }

    fn move_by(&mut self, action: Action) {
        let (len, page) = (self.shown.len(), self.page());
        self.list.apply(action, len, page);
    }

    fn month_step(&mut self, forward: bool) {
        let now = month_key(self.today);
        self.filter.month = Some(match (self.filter.month, forward) {
            (None, _) => now,
            (Some(m), true) => next_month(m),
            (Some(m), false) => prev_month(m),
        });
        self.refilter(None);
    }
}

impl Pane for ActivitiesPane {
    fn discard_form(&mut self) {
        self.form = None;
        self.editing = None;
    }

    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        if let Response::Activity(r) = r {
            self.on_response(*r, cx);
        }
    }

    fn on_answer(&mut self, question: &Token, yes: bool, cx: &mut Cx) {
        if let Some(Question::Delete { id }) = question.get() {
            self.delete(id.clone(), yes, cx);
        }
    }

    fn on_pick(&mut self, _what: PickFor, key: &str, _cx: &mut Cx) {
        self.picked(key);
    }

    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        self.follow(notice, cx);
    }

    fn reveal(&mut self, kind: Kind, id: &str, _cx: &mut Cx) {
        if kind == Kind::Activity && self.data.as_ref().is_some_and(|d| d.log.contains(id)) {
            self.refilter(Some(id.to_string()));
        }
    }

    fn draft(&self) -> Option<Draft> {
        let mode = match &self.editing {
            Some((id, before)) => DraftMode::Edit {
                id: id.clone(),
                before: Box::new(Record::Activity((**before).clone())),
            },
            None => DraftMode::Add,
        };
        Draft::of(FORM, mode, self.form.as_deref()?)
    }

    fn restore(&mut self, d: Box<Draft>, cx: &mut Cx) -> Result<(), Box<Draft>> {
        if d.key != FORM {
            return Err(d);
        }
        self.pending_draft = Some(*d);
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
        "activity.tui.title"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.form.is_some() {
            &[Context::Form]
        } else {
            &[Context::Activities, Context::List]
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
        self.today = cx.shared.today;
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
            | Action::Bottom => self.move_by(action),
            Action::ActivityAdd => self.open_form(cx),
            Action::ActivityEdit => self.edit_selected(cx),
            Action::ActivityDelete => self.ask_delete(cx),
            Action::Undo => cx.undo(),
            Action::ActivityMonthPrev => self.month_step(false),
            Action::ActivityMonthNext => self.month_step(true),
            Action::ActivityFilterOrg => self.open_picker(Picking::Org, cx),
            Action::ActivityFilterKind => self.open_picker(Picking::Kind, cx),
            Action::FilterPlace => self.open_picker(Picking::Community, cx),
            Action::FilterClear => {
                if !self.filter.is_empty() {
                    let keep = self.selected().map(|(id, _)| id.to_string());
                    self.filter = Filter::default();
                    self.refilter(keep);
                }
            }
            _ => return false,
        }
        true
    }

    /// The activities listed (the month shown and the other filters).
    fn listed(&self) -> Option<crate::tui::export::Listed> {
        let d = self.data.as_ref()?;
        let ids = self.shown.iter().filter_map(|&n| d.log.id(n));
        Some(crate::tui::export::Listed {
            kind: Kind::Activity,
            ids: ids.map(str::to_string).collect(),
        })
    }

    fn commands(&self, shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        let mut out = vec![Action::ActivityAdd];
        if self.selected().is_some() {
            out.push(Action::ActivityEdit);
            out.push(Action::ActivityDelete);
        }
        if !shared.undo.is_empty() {
            out.push(Action::Undo);
        }
        out.extend([
            Action::ActivityMonthPrev,
            Action::ActivityMonthNext,
            Action::ActivityFilterOrg,
            Action::FilterPlace,
            Action::ActivityFilterKind,
        ]);
        if !self.filter.is_empty() {
            out.insert(1, Action::FilterClear);
        }
        out
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
        self.scroll();
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        view::render(self, area, buf, rx)
    }
}
