//! The 中心 (center) pane: the center's own work in views switched with
//! `[` and `]`: 概况 (the profile, this year's funding, coordination
//! meetings), 合规 (the checklist of section 五: `c` answers the selected
//! item by hand, with its evidence), 备案 (filings with their materials and
//! steps), 党建覆盖 (by community), 党建指导员 (with their organizations and
//! visits), and 线索 for staff allowed to see
//! leads (never who reported them). The rules are the store's, as for
//! `sanshe center`.

pub mod data;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::center::{Check, Rules};
use crate::model::venture::Mark;
use crate::model::{Kind, Record};
use crate::store::{Command, Notice, StoreError};
use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::undo::Change;
use crate::tui::widgets::field::Choice;
use crate::tui::widgets::{FieldKind, FieldSpec, FieldValue, Form, ListState};
use crate::tui::worker::{Request, Response};

use super::activities::quick::{show_errors, show_store_error};
use super::{Cx, Pane, RenderCx};
use data::{CenterData, CenterRequest, CenterResponse, Row, View};

#[derive(Default)]
pub struct CenterPane {
    pub data: Option<Box<CenterData>>,
    pub fresh: super::fresh::Freshness,
    pub error: Option<String>,
    /// The view shown (index into `data.views`).
    pub view: usize,
    pub list: ListState,
    pub form: Option<Box<Form>>,
    /// The checklist item the form answers.
    checking: Option<String>,
    pub busy: bool,
    pub area: Rect,
    /// The checklist's rules, from the configuration (read at first show).
    rules: Option<Rules>,
}

impl CenterPane {
    pub fn new() -> Self {
        CenterPane::default()
    }

    pub fn views(&self) -> &[View] {
        self.data.as_ref().map_or(&[], |d| d.views.as_slice())
    }

    pub fn current(&self) -> Option<&View> {
        self.views().get(self.view)
    }

    pub fn selected(&self) -> Option<&Row> {
        self.current().and_then(|v| v.rows.get(self.list.sel))
    }

    fn rows_len(&self) -> usize {
        self.current().map_or(0, |v| v.rows.len())
    }

    fn load(&mut self, cx: &mut Cx) {
        self.fresh.started();
        let rules = self
            .rules
            .get_or_insert_with(|| {
                crate::config::Config::load()
                    .map(|c| c.center)
                    .unwrap_or_default()
            })
            .clone();
        cx.request(Request::Center(CenterRequest::Load {
            today: cx.shared.today,
            rules,
        }));
    }

    fn switch(&mut self, by: isize) {
        let n = self.views().len();
        if n == 0 {
            return;
        }
        self.view = (self.view as isize + by).rem_euclid(n as isize) as usize;
        self.list = ListState::default();
    }

    fn start_check(&mut self, cx: &mut Cx) {
        let Some(row) = self.selected() else { return };
        let Some(key) = row.check.clone() else {
            cx.say(Status::info(crate::tr!("center.tui.automatic")));
            return;
        };
        let title = row.cells.last().cloned().unwrap_or_default();
        let options = vec![
            Choice::new("ok", crate::text::t("center.status.ok")),
            Choice::new("fail", crate::text::t("center.status.fail")),
        ];
        let fields = vec![
            FieldSpec::new(
                "status",
                crate::text::t("center.tui.col.status"),
                FieldKind::Choice { options },
            )
            .with_required(true),
            FieldSpec::new(
                "evidence",
                crate::text::field_label("evidence"),
                FieldKind::Text { max: 200 },
            )
            .with_required(true),
        ];
        let mut form = Form::new(title, fields);
        form.set_today(cx.shared.today);
        form.set_value("status", FieldValue::Choice(Some("ok".into())));
        self.checking = Some(key);
        self.form = Some(Box::new(form));
    }

    fn save(&mut self, cx: &mut Cx) {
        if self.busy {
            return;
        }
        let today = cx.shared.today;
        let (Some(form), Some(key)) = (self.form.as_deref_mut(), self.checking.clone()) else {
            return;
        };
        if !form.validate(today) {
            return;
        }
        let ok = matches!(form.value("status"), Some(FieldValue::Choice(Some(k))) if k == "ok");
        let evidence = form.text("evidence").unwrap_or("").trim().to_string();
        if evidence.is_empty() {
            let msg = crate::text::rule_message(&crate::model::Rule::Required);
            show_errors(form, &[("evidence".to_string(), msg)]);
            return;
        }
        let Some((id, before)) = self.data.as_ref().and_then(|d| d.center.clone()) else {
            return;
        };
        let mut after = before.clone();
        after.checks.insert(
            key,
            Check {
                ok,
                evidence,
                mark: Mark {
                    date: today,
                    // Filled in by the store side: who writes.
                    author: None,
                    note: None,
                },
            },
        );
        self.busy = true;
        cx.request(Request::Center(CenterRequest::Execute(Box::new(
            Command::Update {
                id,
                before: Record::Center(before),
                after: Record::Center(after),
            },
        ))));
    }

    fn on_response(&mut self, r: CenterResponse, cx: &mut Cx) -> bool {
        match r {
            CenterResponse::Loaded(d) => {
                self.data = Some(d);
                self.fresh.done();
                self.error = None;
                if self.view >= self.views().len() {
                    self.view = 0;
                }
                let (len, page) = (self.rows_len(), view::list_rows(self.area).max(1));
                let sel = self.list.sel.min(len.saturating_sub(1));
                self.list.select(sel, len, page);
            }
            CenterResponse::Failed(e) => {
                self.fresh.done();
                self.busy = false;
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
            }
            CenterResponse::Executed { cmd, result } => {
                self.busy = false;
                match result {
                    Ok(id) => {
                        if let Command::Update { before, after, .. } = *cmd {
                            cx.shared.undo.push(Change::Updated {
                                id,
                                before: Box::new(before),
                                after: Box::new(after),
                            });
                        }
                        self.form = None;
                        self.checking = None;
                        cx.say(Status::ok(crate::tr!("center.saved")));
                        self.load(cx);
                        return true;
                    }
                    Err(e) => self.failed(&e, cx),
                }
            }
        }
        false
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

    fn form_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        let Some(form) = self.form.as_deref_mut() else {
            return false;
        };
        match super::form_key(form, action, cx) {
            super::FormKey::Save => self.save(cx),
            super::FormKey::Close => self.discard_form(),
            super::FormKey::Done => {}
            super::FormKey::NotMine => return false,
        }
        true
    }
}

impl Pane for CenterPane {
    fn discard_form(&mut self) {
        self.form = None;
        self.checking = None;
    }

    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        if let Response::Center(r) = r {
            let own = self.on_response(*r, cx);
            self.fresh.own_write(own);
        }
    }

    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        // Leads are never in a notice: `g` reads them again.
        let ours = [
            Kind::Center,
            Kind::Org,
            Kind::Activity,
            Kind::Training,
            Kind::Filing,
            Kind::Instructor,
        ];
        let touched = ours.iter().any(|k| notice.touches(*k));
        if self.fresh.changed(touched, self.data.is_some(), cx.shown) {
            self.load(cx);
        }
    }

    fn form(&self) -> Option<&Form> {
        self.form.as_deref()
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        self.form.as_deref_mut()
    }

    fn title_key(&self) -> &'static str {
        "center.tui.title"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.form.is_some() {
            &[Context::Form]
        } else {
            &[Context::Center, Context::List]
        }
    }

    fn reconnected(&mut self, cx: &mut Cx) {
        if self.fresh.reconnected(cx.shown) {
            self.load(cx);
        }
    }

    fn on_show(&mut self, cx: &mut Cx) {
        if self.fresh.shown(self.data.is_some()) {
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
                let (len, page) = (self.rows_len(), view::list_rows(self.area).max(1));
                self.list.apply(action, len, page);
            }
            Action::CenterNextView => self.switch(1),
            Action::CenterPrevView => self.switch(-1),
            Action::CenterCheck => self.start_check(cx),
            Action::CenterReload => {
                if !self.fresh.loading {
                    self.load(cx);
                }
            }
            Action::Undo => cx.undo(),
            _ => return false,
        }
        true
    }

    fn commands(&self, shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        let mut out = Vec::new();
        if self.views().len() > 1 {
            out.push(Action::CenterNextView);
        }
        if self.selected().is_some_and(|r| r.check.is_some()) {
            out.push(Action::CenterCheck);
        }
        if !shared.undo.is_empty() {
            out.push(Action::Undo);
        }
        out.push(Action::CenterReload);
        out
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
        let (len, page) = (self.rows_len(), view::list_rows(area).max(1));
        self.list.scroll(len, page);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        view::render(self, area, buf, rx)
    }
}
