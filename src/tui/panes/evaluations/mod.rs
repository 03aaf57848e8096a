//! The 评价 (evaluations) pane: every organization with its latest
//! evaluation (period, total, grade), sortable with `s`; the distribution
//! of grades above the list; a bar chart of the selected organization's
//! dimensions over its periods beside it. `a` opens score entry for the
//! selected organization ([`entry`]); `b` writes this month's publicity
//! bulletin as Markdown beside the database.
//!
//! The data comes from the store worker ([`data`]) on first show and again
//! after a save; drawing only lays it out ([`view`]).

pub mod data;
pub mod entry;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::tui::action::{Action, Context};
use crate::tui::app::{Shared, Status};
use crate::tui::widgets::Form;
use crate::tui::worker::Request;

use super::activities::quick::{show_errors, show_store_error};
use super::{Cx, Pane, RenderCx};
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

/// The pane's state.
#[derive(Debug, Default)]
pub struct EvaluationsPane {
    /// The data from the store (`None` until loaded).
    pub data: Option<Box<EvalData>>,
    pub loading: bool,
    /// Why the data could not be read.
    pub error: Option<String>,
    pub sort: Sort,
    /// Row numbers of `data.rows` in the order shown.
    pub order: Vec<usize>,
    /// The selected row (in `order`) and the first row shown.
    pub sel: usize,
    pub top: usize,
    /// Score entry, while open, with the organization it is for.
    pub form: Option<Box<Form>>,
    pub form_org: Option<String>,
    /// A save or a bulletin is on its way to the store.
    pub busy: bool,
    pub area: Rect,
}

impl EvaluationsPane {
    pub fn new() -> Self {
        EvaluationsPane::default()
    }

    /// The selected organization's row.
    pub fn selected(&self) -> Option<&data::EvalRow> {
        let d = self.data.as_ref()?;
        d.rows.get(*self.order.get(self.sel)?)
    }

    fn page(&self) -> usize {
        view::list_rows(self.area).max(1)
    }

    fn scroll(&mut self) {
        let (len, page) = (self.order.len(), self.page());
        self.sel = self.sel.min(len.saturating_sub(1));
        if self.sel < self.top {
            self.top = self.sel;
        } else if self.sel >= self.top + page {
            self.top = self.sel + 1 - page;
        }
        self.top = self.top.min(len.saturating_sub(page));
    }

    /// Orders the rows again; keeps organization `keep` selected.
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
        let pos = keep.and_then(|o| order.iter().position(|&i| d.rows[i].org == o));
        self.order = order;
        self.sel = pos.unwrap_or(0);
        if pos.is_none() {
            self.top = 0;
        }
        self.scroll();
    }

    fn load(&mut self, cx: &mut Cx) {
        self.loading = true;
        cx.request(Request::Evaluation(EvalRequest::Load));
    }

    /// An answer from the store worker.
    pub fn on_response(&mut self, r: EvalResponse, cx: &mut Cx) {
        match r {
            EvalResponse::Loaded(d) => {
                let keep = self.selected().map(|r| r.org.clone());
                self.data = Some(d);
                self.loading = false;
                self.error = None;
                self.resort(keep);
            }
            EvalResponse::Failed(e) => {
                self.loading = false;
                self.busy = false;
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
            }
            EvalResponse::Created(Ok(_)) => {
                self.busy = false;
                self.form = None;
                let name = self.selected().map(|r| r.name.clone()).unwrap_or_default();
                cx.say(Status::ok(crate::tr!(
                    "activity.eval_tui.saved",
                    org = name
                )));
                self.load(cx);
            }
            EvalResponse::Created(Err(e)) => {
                self.busy = false;
                match self.form.as_mut() {
                    Some(f) => show_store_error(f, &e),
                    None => cx.say(Status::error(crate::tr!(
                        "tui.store_error",
                        message = e.message()
                    ))),
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
    }

    fn open_form(&mut self, cx: &mut Cx) {
        let (Some(d), Some(row)) = (self.data.as_ref(), self.selected()) else {
            return;
        };
        match entry::new_form(&row.name, &d.rubric, cx.shared.today) {
            Some(f) => {
                self.form_org = Some(row.org.clone());
                self.form = Some(Box::new(f));
            }
            None => cx.say(Status::error(
                crate::text::t("activity.eval_tui.too_many").to_string(),
            )),
        }
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
        match entry::form_to_evaluation(form, org, &d.rubric) {
            Ok(ev) => {
                form.clear_errors();
                self.busy = true;
                cx.request(Request::Evaluation(EvalRequest::Create(Box::new(ev))));
            }
            Err(errors) => show_errors(form, &errors),
        }
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
                self.form = None;
                self.form_org = None;
            }
            Action::FormNext => form.focus_next(),
            Action::FormPrev => form.focus_prev(),
            _ => return false,
        }
        true
    }

    fn move_by(&mut self, action: Action) {
        let len = self.order.len();
        if let Some(sel) = crate::tui::widgets::list::moved(self.sel, action, len, self.page()) {
            self.sel = sel;
            self.scroll();
        }
    }
}

impl Pane for EvaluationsPane {
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
        } else {
            &[Context::Evaluations, Context::List]
        }
    }

    fn forget(&mut self) {
        self.data = None;
    }

    fn on_show(&mut self, cx: &mut Cx) {
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
            Action::EvalAdd => self.open_form(cx),
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

    fn commands(&self, _shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        vec![
            Action::EvalAdd,
            Action::EvalSort,
            Action::EvalBulletin,
            Action::EvalReload,
        ]
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
