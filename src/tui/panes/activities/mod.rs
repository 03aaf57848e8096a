//! The 活动 (activities) pane: every activity, newest first, filtered by
//! month (`[`/`]`), organization, community and kind, with the totals of
//! the filter above the list; `a` opens quick entry (see [`quick`]).
//!
//! The data comes from the store worker ([`data`]) once, on first show;
//! filtering reads the log's month index in update, never while drawing.
//! A saved activity is added to the log in place and the filter run again.

pub mod data;
pub mod quick;
mod view;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::activity::{month_key, prev_month};
use crate::model::{Activity, ActivityKind, Labeled, PlaceLevel};
use crate::report::{Filter, Totals};
use crate::tui::action::{Action, Context};
use crate::tui::app::{Shared, Status};
use crate::tui::popups::picker::{PickFor, Picker};
use crate::tui::popups::Popup;
use crate::tui::widgets::{Choice, Form};
use crate::tui::worker::Request;

use super::{Cx, Pane, RenderCx};
use data::{ActData, ActRequest, ActResponse};
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
    pub sel: usize,
    pub top: usize,
    /// Quick entry, while open.
    pub form: Option<Box<Form>>,
    /// What the last saved entry leaves for the next one.
    pub memory: Memory,
    /// A save is on its way to the store.
    pub busy: bool,
    pub picking: Option<Picking>,
    pub area: Rect,
    today: NaiveDate,
}

/// The month after `key` (`202612` -> `202701`).
pub fn next_month(key: u32) -> u32 {
    if key % 100 >= 12 {
        (key / 100 + 1) * 100 + 1
    } else {
        key + 1
    }
}

impl ActivitiesPane {
    pub fn new() -> Self {
        ActivitiesPane::default()
    }

    /// The selected activity: its id and record.
    pub fn selected(&self) -> Option<(&str, &Activity)> {
        let d = self.data.as_ref()?;
        let s = d.log.slot(*self.shown.get(self.sel)?)?;
        Some((&s.id, &s.activity))
    }

    fn page(&self) -> usize {
        view::list_rows(self.area).max(1)
    }

    fn scroll(&mut self) {
        let (len, page) = (self.shown.len(), self.page());
        self.sel = self.sel.min(len.saturating_sub(1));
        if self.sel < self.top {
            self.top = self.sel;
        } else if self.sel >= self.top + page {
            self.top = self.sel + 1 - page;
        }
        self.top = self.top.min(len.saturating_sub(page));
    }

    /// Runs the filter again; keeps activity `keep` selected if shown.
    fn refilter(&mut self, keep: Option<String>) {
        let Some(d) = &self.data else {
            return;
        };
        let (shown, totals) = d.log.filter(&self.filter);
        let pos = keep.and_then(|id| {
            shown
                .iter()
                .position(|&n| d.log.slot(n).is_some_and(|s| s.id == id))
        });
        self.shown = shown;
        self.totals = totals;
        self.sel = pos.unwrap_or(0);
        if pos.is_none() {
            self.top = 0;
        }
        self.scroll();
    }

    fn load(&mut self, cx: &mut Cx) {
        self.loading = true;
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
                if let Some(d) = self.data.as_mut() {
                    let slot = d.places.slot(id.clone(), *a);
                    d.log.upsert(slot);
                }
                self.refilter(Some(id));
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

    /// A choice from one of this pane's pickers (`""`: all).
    pub fn on_pick(&mut self, key: &str) {
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
            // Quick entry is for logging many in a row: closing keeps
            // nothing, and asks nothing.
            Action::FormCancel => self.form = None,
            Action::FormNext => form.focus_next(),
            Action::FormPrev => form.focus_prev(),
            _ => return false,
        }
        true
    }

    fn move_by(&mut self, action: Action) {
        let len = self.shown.len();
        if len == 0 {
            return;
        }
        let page = self.page();
        self.sel = match action {
            Action::Up => self.sel.saturating_sub(1),
            Action::Down => (self.sel + 1).min(len - 1),
            Action::PageUp => self.sel.saturating_sub(page),
            Action::PageDown => (self.sel + page).min(len - 1),
            Action::Top => 0,
            _ => len - 1,
        };
        self.scroll();
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

    fn forget(&mut self) {
        self.data = None;
    }

    fn on_show(&mut self, cx: &mut Cx) {
        self.today = cx.shared.today;
        if self.data.is_none() && !self.loading {
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

    fn commands(&self, _shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        let mut out = vec![
            Action::ActivityAdd,
            Action::ActivityMonthPrev,
            Action::ActivityMonthNext,
            Action::ActivityFilterOrg,
            Action::FilterPlace,
            Action::ActivityFilterKind,
        ];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_over_the_year() {
        assert_eq!(next_month(202612), 202701);
        assert_eq!(next_month(202611), 202612);
        assert_eq!(prev_month(next_month(202612)), 202612);
    }
}
