//! The 评价 (evaluations) pane: every organization with its latest
//! evaluation (period, total, grade), sortable with `s` and searchable with
//! `/` as in the organizations pane; the distribution of grades above the
//! list; a bar chart of the selected organization's dimensions over its
//! periods beside it. `a` opens score entry for the selected organization
//! ([`entry`]; a second evaluation of a period already evaluated asks
//! first), `e` corrects its latest evaluation, `d` deletes it (asks first),
//! `u` undoes; `b` writes this month's publicity bulletin as Markdown
//! beside the database.
//!
//! The data comes from the store worker ([`data`]) on first show and again
//! after every change; drawing only lays it out ([`view`]).

pub mod data;
pub mod entry;
mod search;
mod view;

use std::collections::HashMap;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::{Evaluation, Kind, Record};
use crate::store::{Command, StoreError};
use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::key::show_seq;
use crate::tui::undo::Change;
use crate::tui::widgets::{Form, ListState, TextInput};
use crate::tui::worker::Request;

use super::activities::quick::{show_errors, show_store_error};
use super::{Cx, Pane, RenderCx, Token};
use crate::store::Notice;
use crate::tui::draft::{Draft, DraftMode};
use crate::tui::worker::Response;

/// What this pane asks (the answer comes back with it).
#[derive(Debug)]
pub enum Question {
    /// Delete this evaluation.
    Delete { id: String },
    /// Save another evaluation of a period the organization has one of
    /// (the evaluation waits in `pending`).
    SaveAgain,
}

/// The draft key of score entry.
const FORM: &str = "evaluation-form";
use data::{EvalData, EvalRequest, EvalResponse};

/// The order of the list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Pinyin order of the name.
    #[default]
    Name,
    /// Highest latest total first.
    Total,
    /// Best grade first, then highest total.
    Grade,
}

impl Sort {
    /// The next order (`s` cycles).
    pub fn next(self) -> Sort {
        match self {
            Sort::Name => Sort::Total,
            Sort::Total => Sort::Grade,
            Sort::Grade => Sort::Name,
        }
    }

    /// Text key of the order's name.
    pub fn text_key(self) -> &'static str {
        match self {
            Sort::Name => "activity.eval_tui.sort_name",
            Sort::Total => "activity.eval_tui.sort_total",
            Sort::Grade => "activity.eval_tui.sort_grade",
        }
    }
}

/// The evaluation the open form corrects.
#[derive(Debug, Clone, PartialEq)]
pub struct Editing {
    pub id: String,
    pub before: Box<Evaluation>,
}

/// The pane's state.
#[derive(Debug, Default)]
pub struct EvaluationsPane {
    /// Changed in the store since it was read (a change notice while the
    /// pane was not shown): read again, keeping the selection, when shown.
    stale: bool,
    /// The data from the store (`None` until loaded).
    pub data: Option<Box<EvalData>>,
    pub loading: bool,
    /// Why the data could not be read.
    pub error: Option<String>,
    pub sort: Sort,
    /// Row numbers of `data.rows` in the order shown (narrowed by the search).
    pub order: Vec<usize>,
    /// The selected row (in `order`) and the first row shown.
    pub list: ListState,
    /// The search query, and whether the search line has the focus.
    pub search: TextInput,
    pub searching: bool,
    /// Matched character positions of the names of the rows shown.
    pub marks: HashMap<usize, Vec<usize>>,
    /// Score entry, while open, with the organization it is for.
    pub form: Option<Box<Form>>,
    pub form_org: Option<String>,
    /// Set while the form corrects an evaluation rather than adding one.
    pub editing: Option<Editing>,
    /// A new evaluation waiting for the answer to "this period already has
    /// one: save another?".
    pub pending: Option<Box<Evaluation>>,
    /// A save or a bulletin is on its way to the store.
    pub busy: bool,
    pub area: Rect,
    /// The list was just read again after this pane's own change: the
    /// change notice that follows is not read again.
    just_read: bool,
    /// A draft to open once the data is read (restored at start).
    pending_draft: Option<Draft>,
}

impl EvaluationsPane {
    pub fn new() -> Self {
        EvaluationsPane::default()
    }

    /// The selected organization's row.
    pub fn selected(&self) -> Option<&data::EvalRow> {
        let d = self.data.as_ref()?;
        d.rows.get(*self.order.get(self.list.sel)?)
    }

    /// The search query (trimmed).
    pub fn query(&self) -> &str {
        self.search.value().trim()
    }

    fn page(&self) -> usize {
        view::list_rows(self.area).max(1)
    }

    fn scroll(&mut self) {
        let (len, page) = (self.order.len(), self.page());
        self.list.scroll(len, page);
        self.refresh_marks();
    }

    fn refresh_marks(&mut self) {
        let Some(d) = &self.data else {
            return;
        };
        let shown = &self.order[self.list.visible(self.order.len(), self.page())];
        self.marks = search::marks(&d.rows, shown, self.search.value().trim());
    }

    /// Orders the rows again (and narrows them to the search); keeps
    /// organization `keep` selected, else the first row.
    fn resort(&mut self, keep: Option<String>) {
        let Some(d) = &self.data else {
            return;
        };
        let mut order: Vec<usize> = (0..d.rows.len()).collect();
        let total = |i: usize| d.rows[i].latest().map(|g| g.total);
        let rank = |i: usize| {
            d.rows[i]
                .latest()
                .and_then(|g| g.band.as_deref())
                .map_or(usize::MAX, |b| d.rubric.band_rank(b))
        };
        match self.sort {
            Sort::Name => {}
            // Stable sorts over the name order: ties stay by name, the
            // never evaluated last.
            Sort::Total => order.sort_by_key(|&i| std::cmp::Reverse(total(i))),
            Sort::Grade => {
                order.sort_by(|&a, &b| rank(a).cmp(&rank(b)).then(total(b).cmp(&total(a))))
            }
        }
        let order = search::narrow(&d.rows, order, self.search.value().trim());
        let pos = keep.and_then(|o| order.iter().position(|&i| d.rows[i].org == o));
        self.order = order;
        self.list.sel = pos.unwrap_or(0);
        if pos.is_none() {
            self.list.top = 0;
        }
        self.scroll();
    }

    fn load(&mut self, cx: &mut Cx) {
        self.loading = true;
        self.stale = false;
        cx.request(Request::Evaluation(EvalRequest::Load));
    }

    /// An answer from the store worker. True when evaluations changed (the
    /// list is read again already).
    fn on_response(&mut self, r: EvalResponse, cx: &mut Cx) -> bool {
        match r {
            EvalResponse::Loaded(d) => {
                let keep = self.selected().map(|r| r.org.clone());
                self.data = Some(d);
                self.loading = false;
                self.error = None;
                self.resort(keep);
                self.open_pending_draft(cx);
            }
            EvalResponse::Failed(e) => {
                self.loading = false;
                self.busy = false;
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
            }
            EvalResponse::Fetched { id, result } => match result {
                Ok(ev) => self.fetched(id, ev, cx),
                Err(e) => self.failed(&e, cx),
            },
            EvalResponse::Executed { cmd, result } => {
                self.busy = false;
                match result {
                    Ok((id, stored)) => {
                        self.executed(*cmd, id, stored, cx);
                        return true;
                    }
                    Err(e) => self.failed(&e, cx),
                }
            }
            EvalResponse::Bulletin(r) => {
                self.busy = false;
                cx.say(match r {
                    Ok(p) => Status::ok(crate::tr!(
                        "activity.eval_tui.bulletin_written",
                        path = p.display()
                    )),
                    Err(e) => {
                        Status::error(crate::tr!("activity.eval_tui.bulletin_failed", message = e))
                    }
                });
            }
        }
        false
    }

    /// The name shown for organization `org`.
    fn org_name(&self, org: &str) -> String {
        self.data
            .as_ref()
            .and_then(|d| d.rows.iter().find(|r| r.org == org))
            .map(|r| r.name.clone())
            .unwrap_or_default()
    }

    /// What an undo or a question calls evaluation `e`: `书画社 2025`.
    fn title_of(&self, e: &Evaluation) -> String {
        Self::title(&self.org_name(&e.org), &e.period)
    }

    fn undo_key(cx: &Cx) -> String {
        cx.keymap
            .first_keys(&[Context::Evaluations], Action::Undo)
            .map(show_seq)
            .unwrap_or_default()
    }

    /// A save, correction or deletion of this pane is stored: remember it
    /// for undo, say so, read the list again.
    fn executed(&mut self, cmd: Command, id: String, stored: Option<Box<Evaluation>>, cx: &mut Cx) {
        match cmd {
            Command::Create { record } => {
                self.form = None;
                self.editing = None;
                let title = match &record {
                    Record::Evaluation(e) => self.title_of(e),
                    _ => id.clone(),
                };
                cx.shared.undo.push(Change::Created {
                    kind: Kind::Evaluation,
                    id,
                    title: title.clone(),
                });
                cx.say(Status::ok(crate::tr!(
                    "activity.eval_tui.saved",
                    what = title,
                    key = Self::undo_key(cx)
                )));
            }
            Command::Update { before, .. } => {
                self.form = None;
                self.editing = None;
                if let Some(after) = stored {
                    let title = self.title_of(&after);
                    cx.shared.undo.push(Change::Updated {
                        id,
                        before: Box::new(before),
                        after: Box::new(Record::Evaluation(*after)),
                    });
                    cx.say(Status::ok(crate::tr!(
                        "activity.eval_tui.corrected",
                        what = title
                    )));
                }
            }
            Command::Delete { .. } => {
                let title = self.title_by_id(&id).unwrap_or_default();
                cx.shared.undo.push(Change::Deleted {
                    kind: Kind::Evaluation,
                    id,
                    title: title.clone(),
                });
                let key = Self::undo_key(cx);
                cx.say(Status::ok(crate::tr!(
                    "tui.deleted",
                    name = title,
                    key = key
                )));
            }
            Command::Restore { .. } => {}
        }
        self.load(cx);
    }

    fn failed(&mut self, e: &StoreError, cx: &mut Cx) {
        match self.form.as_mut() {
            Some(f) => show_store_error(f, e),
            None => cx.say(Status::error(crate::tr!(
                "tui.store_error",
                message = e.message()
            ))),
        }
    }

    /// What messages call the loaded evaluation `id`.
    fn title_by_id(&self, id: &str) -> Option<String> {
        let d = self.data.as_ref()?;
        let (row, g) = d
            .rows
            .iter()
            .find_map(|r| r.history.iter().find(|g| g.id == id).map(|g| (r, g)))?;
        Some(Self::title(&row.name, &g.period))
    }

    fn title(org: &str, period: &str) -> String {
        crate::tr!("activity.eval_tui.what", org = org, period = period)
    }

    /// Opens a restored draft's form, once the data is read.
    fn open_pending_draft(&mut self, cx: &mut Cx) {
        let Some(draft) = self.pending_draft.take() else {
            return;
        };
        let Some(d) = self.data.as_ref() else {
            self.pending_draft = Some(draft);
            if !self.loading {
                self.load(cx);
            }
            return;
        };
        let editing = draft.editing(|r| match r {
            Record::Evaluation(e) => Some(e),
            _ => None,
        });
        let org = match &editing {
            Some((_, e)) => Some(e.org.clone()),
            None => draft.about.clone(),
        };
        let Some(row) = org.and_then(|o| d.rows.iter().find(|r| r.org == o)) else {
            return;
        };
        let today = cx.shared.today;
        let form = match &editing {
            Some((_, e)) => entry::edit_form(&row.name, &d.rubric, e, today),
            None => entry::new_form(&row.name, &d.rubric, today),
        };
        if let Some(mut f) = form {
            f.apply_draft(&draft.form);
            self.form_org = Some(row.org.clone());
            self.form = Some(Box::new(f));
            self.editing = editing.map(|(id, e)| Editing {
                id,
                before: Box::new(e),
            });
        }
    }

    fn open_form(&mut self, cx: &mut Cx) {
        let (Some(d), Some(row)) = (self.data.as_ref(), self.selected()) else {
            return;
        };
        match entry::new_form(&row.name, &d.rubric, cx.shared.today) {
            Some(f) => {
                self.form_org = Some(row.org.clone());
                self.form = Some(Box::new(f));
                self.editing = None;
            }
            None => cx.say(Status::error(
                crate::text::t("activity.eval_tui.too_many").to_string(),
            )),
        }
    }

    /// Asks for the selected organization's latest evaluation, to correct
    /// it ([`fetched`](Self::fetched) opens the form).
    fn ask_edit(&mut self, cx: &mut Cx) {
        let Some(latest) = self.selected().and_then(|r| r.latest()) else {
            return Self::nothing_evaluated(cx);
        };
        let id = latest.id.clone();
        cx.request(Request::Evaluation(EvalRequest::Fetch { id }));
    }

    /// The evaluation to correct has been read: the form opens on it.
    fn fetched(&mut self, id: String, ev: Option<Box<Evaluation>>, cx: &mut Cx) {
        let Some(d) = self.data.as_ref() else {
            return;
        };
        // Still the selected organization's latest (the user may have moved).
        let (Some(row), Some(ev)) = (self.selected(), ev) else {
            return;
        };
        if row.latest().map(|g| g.id.as_str()) != Some(id.as_str()) {
            return;
        }
        match entry::edit_form(&row.name, &d.rubric, &ev, cx.shared.today) {
            Some(f) => {
                self.form_org = Some(row.org.clone());
                self.editing = Some(Editing { id, before: ev });
                self.form = Some(Box::new(f));
            }
            None => cx.say(Status::error(
                crate::text::t("activity.eval_tui.too_many").to_string(),
            )),
        }
    }

    fn nothing_evaluated(cx: &mut Cx) {
        cx.say(Status::info(
            crate::text::t("activity.eval_tui.nothing_to_change").to_string(),
        ));
    }

    /// Asks before deleting the selected organization's latest evaluation.
    fn ask_delete(&mut self, cx: &mut Cx) {
        let Some(latest) = self.selected().and_then(|r| r.latest()) else {
            return Self::nothing_evaluated(cx);
        };
        let text = crate::tr!(
            "activity.eval_tui.confirm_delete",
            what = Self::title(
                &self.selected().map(|r| r.name.clone()).unwrap_or_default(),
                &latest.period
            ),
            total = crate::model::evaluation::points_text(latest.total),
            key = Self::undo_key(cx)
        );
        let id = latest.id.clone();
        cx.ask(text, Question::Delete { id });
    }

    /// The answer to one of this pane's questions.
    fn answered(&mut self, question: &Question, yes: bool, cx: &mut Cx) {
        match question {
            Question::Delete { id } if yes => self.send(
                Command::Delete {
                    kind: Kind::Evaluation,
                    id: id.clone(),
                },
                cx,
            ),
            Question::SaveAgain => {
                if let (true, Some(ev)) = (yes, self.pending.take()) {
                    self.send(
                        Command::Create {
                            record: Record::Evaluation(*ev),
                        },
                        cx,
                    );
                }
                self.pending = None;
            }
            _ => {}
        }
    }

    fn send(&mut self, cmd: Command, cx: &mut Cx) {
        self.busy = true;
        cx.request(Request::Evaluation(EvalRequest::Execute(Box::new(cmd))));
    }

    fn busy_note(cx: &mut Cx) {
        cx.say(Status::info(
            crate::text::t("activity.eval_tui.busy").to_string(),
        ));
    }

    fn save(&mut self, cx: &mut Cx) {
        if self.busy {
            return Self::busy_note(cx);
        }
        let (Some(d), Some(form), Some(org)) = (
            self.data.as_ref(),
            self.form.as_mut(),
            self.form_org.as_deref(),
        ) else {
            return;
        };
        form.clear_warning();
        let built = match &self.editing {
            Some(e) => entry::apply_form(form, &e.before, &d.rubric),
            None => entry::form_to_evaluation(form, org, &d.rubric),
        };
        let ev = match built {
            Ok(ev) => ev,
            Err(errors) => return show_errors(form, &errors),
        };
        form.clear_errors();
        // Another evaluation of the same organization and period?
        let editing = self.editing.as_ref().map(|e| e.id.as_str());
        let twin = d
            .rows
            .iter()
            .find(|r| r.org == ev.org)
            .and_then(|r| {
                r.history
                    .iter()
                    .find(|g| g.period == ev.period && Some(g.id.as_str()) != editing)
            })
            .map(|g| crate::model::evaluation::points_text(g.total));
        let cmd = match &self.editing {
            Some(e) => Command::Update {
                id: e.id.clone(),
                before: Record::Evaluation((*e.before).clone()),
                after: Record::Evaluation(ev),
            },
            None => {
                if let Some(total) = twin {
                    let edit = cx
                        .keymap
                        .first_keys(&[Context::Evaluations], Action::EvalEdit)
                        .map(show_seq)
                        .unwrap_or_default();
                    let text = crate::tr!(
                        "activity.eval_tui.confirm_again",
                        what = self.title_of(&ev),
                        total = total,
                        edit = edit
                    );
                    self.pending = Some(Box::new(ev));
                    cx.ask(text, Question::SaveAgain);
                    return;
                }
                Command::Create {
                    record: Record::Evaluation(ev),
                }
            }
        };
        self.send(cmd, cx);
    }

    fn bulletin(&mut self, cx: &mut Cx) {
        if self.busy {
            return Self::busy_note(cx);
        }
        self.busy = true;
        cx.say(Status::info(
            crate::text::t("activity.eval_tui.bulletin_writing").to_string(),
        ));
        cx.request(Request::Evaluation(EvalRequest::Bulletin {
            today: cx.shared.today,
        }));
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

    fn close_form(&mut self) {
        self.form = None;
        self.form_org = None;
        self.editing = None;
    }

    fn move_by(&mut self, action: Action) {
        let (len, page) = (self.order.len(), self.page());
        self.list.apply(action, len, page);
        self.refresh_marks();
    }

    /// The search changed: narrow the list again, best match first.
    fn searched(&mut self) {
        self.resort(None);
    }
}

impl Pane for EvaluationsPane {
    fn discard_form(&mut self) {
        self.close_form();
    }

    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        if let Response::Evaluation(r) = r {
            self.just_read = self.on_response(*r, cx);
        }
    }

    fn on_answer(&mut self, question: &Token, yes: bool, cx: &mut Cx) {
        if let Some(q) = question.get::<Question>() {
            self.answered(q, yes, cx);
        }
    }

    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        if std::mem::take(&mut self.just_read)
            || !(notice.touches(Kind::Evaluation) || notice.touches(Kind::Org))
        {
            return;
        }
        if self.data.is_none() {
        } else if cx.shown {
            if !self.loading {
                self.load(cx);
            }
        } else {
            self.stale = true;
        }
    }

    fn draft(&self) -> Option<Draft> {
        let mode = match &self.editing {
            Some(e) => DraftMode::Edit {
                id: e.id.clone(),
                before: Box::new(Record::Evaluation((*e.before).clone())),
            },
            None => DraftMode::Add,
        };
        let mut d = Draft::of(FORM, mode, self.form.as_deref()?)?;
        d.about = self.form_org.clone();
        Some(d)
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
        "activity.eval_tui.title"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.form.is_some() {
            &[Context::Form]
        } else if self.searching {
            &[Context::Search]
        } else {
            &[Context::Evaluations, Context::List]
        }
    }

    fn text_focus(&self) -> bool {
        self.form.is_some() || self.searching
    }

    fn reconnected(&mut self, cx: &mut Cx) {
        self.loading = false;
        self.stale = true;
        if cx.shown {
            self.load(cx);
        }
    }

    fn on_show(&mut self, cx: &mut Cx) {
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
            Action::EvalAdd => self.open_form(cx),
            Action::EvalEdit => self.ask_edit(cx),
            Action::EvalDelete => self.ask_delete(cx),
            Action::Undo => cx.undo(),
            Action::EvalSort => {
                let keep = self.selected().map(|r| r.org.clone());
                self.sort = self.sort.next();
                self.resort(keep);
            }
            Action::EvalBulletin => self.bulletin(cx),
            Action::EvalReload => {
                if !self.loading {
                    self.load(cx);
                }
            }
            Action::SearchStart => self.searching = true,
            Action::SearchAccept => self.searching = false,
            Action::SearchCancel => {
                self.searching = false;
                if !self.search.is_empty() {
                    let keep = self.selected().map(|r| r.org.clone());
                    self.search.clear();
                    self.resort(keep);
                }
            }
            Action::FilterClear => {
                if self.search.is_empty() {
                    // Nothing to clear.
                    return false;
                }
                let keep = self.selected().map(|r| r.org.clone());
                self.search.clear();
                self.resort(keep);
            }
            _ => return false,
        }
        true
    }

    /// The latest evaluation of each organization listed, in the list's
    /// order (organizations never evaluated give none).
    fn listed(&self) -> Option<crate::tui::export::Listed> {
        let d = self.data.as_ref()?;
        let rows = self.order.iter().filter_map(|&i| d.rows.get(i));
        Some(crate::tui::export::Listed {
            kind: crate::model::Kind::Evaluation,
            ids: rows.filter_map(|r| Some(r.latest()?.id.clone())).collect(),
        })
    }

    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        if let Some(f) = self.form.as_deref_mut() {
            return f.handle_key(key);
        }
        if !self.searching {
            return false;
        }
        let before = self.search.value().to_string();
        if !self.search.handle_key(key) {
            return false;
        }
        if self.search.value() != before {
            self.searched();
        }
        true
    }

    fn on_paste(&mut self, text: &str, _cx: &mut Cx) -> bool {
        if let Some(f) = self.form.as_deref_mut() {
            return f.paste(text);
        }
        if !self.searching {
            return false;
        }
        self.search.paste(text);
        self.searched();
        true
    }

    fn commands(&self, shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        if self.searching {
            return vec![
                Action::SearchAccept,
                Action::SearchCancel,
                Action::Down,
                Action::Up,
            ];
        }
        let mut out = vec![Action::EvalAdd];
        if self.selected().is_some_and(|r| r.latest().is_some()) {
            out.push(Action::EvalEdit);
            out.push(Action::EvalDelete);
        }
        out.push(Action::SearchStart);
        if !shared.undo.is_empty() {
            out.push(Action::Undo);
        }
        if !self.search.is_empty() {
            out.push(Action::FilterClear);
        }
        out.extend([Action::EvalSort, Action::EvalBulletin, Action::EvalReload]);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_cycles_through_three_orders() {
        assert_eq!(Sort::Name.next().next().next(), Sort::Name);
        assert_ne!(Sort::Name.next(), Sort::Name);
    }
}
