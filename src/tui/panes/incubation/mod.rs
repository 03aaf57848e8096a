//! The 孵化 (incubation base) pane: the seats taken of the base's on the
//! first line, the enrollments (those in the base first, soonest planned
//! exit first; then those out) with organization, space, stage and dates on
//! the left, the selected one on the right (goals and when met, party
//! status at entry and exit, services). `s` moves it one stage on (a
//! picker, then a form that confirms: the date, a new planned exit on
//! 延期), `v` records a service, `u` undoes. The rules are the store's, as
//! for `sanshe incubation`.

pub mod data;
mod view;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::incubation::{IncStage, Service, ServiceKind};
use crate::model::venture::Mark;
use crate::model::{Kind, Labeled, Record};
use crate::store::{Command, Notice, StoreError};
use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::popups::picker::{PickFor, Picker};
use crate::tui::popups::Popup;
use crate::tui::undo::Change;
use crate::tui::widgets::field::Choice;
use crate::tui::widgets::{FieldKind, FieldSpec, FieldValue, Form, ListState};
use crate::tui::worker::{Request, Response};

use super::activities::quick::{show_errors, show_store_error};
use super::{Cx, Pane, RenderCx};
use data::{IncData, IncRequest, IncResponse, IncRow};

/// A form open in the pane.
#[derive(Debug)]
pub enum Open {
    Step { id: String, to: IncStage },
    Service { id: String },
}

#[derive(Default)]
pub struct IncubationPane {
    pub data: Option<Box<IncData>>,
    pub fresh: super::fresh::Freshness,
    pub error: Option<String>,
    pub list: ListState,
    pub form: Option<Box<Form>>,
    pub open: Option<Open>,
    pub busy: bool,
    pub area: Rect,
    picking: Option<(String, IncStage)>,
}

fn date_of(form: &Form, key: &str) -> Option<NaiveDate> {
    match form.value(key) {
        Some(FieldValue::Date(d)) => *d,
        _ => None,
    }
}

impl IncubationPane {
    pub fn new() -> Self {
        IncubationPane::default()
    }

    pub fn rows(&self) -> &[IncRow] {
        self.data.as_ref().map_or(&[], |d| d.rows.as_slice())
    }

    pub fn selected(&self) -> Option<&IncRow> {
        self.rows().get(self.list.sel)
    }

    fn row(&self, id: &str) -> Option<&IncRow> {
        self.rows().iter().find(|r| r.id == id)
    }

    fn load(&mut self, cx: &mut Cx) {
        self.fresh.started();
        cx.request(Request::Incubation(IncRequest::Load {
            today: cx.shared.today,
        }));
    }

    fn send(&mut self, cmd: Command, cx: &mut Cx) {
        self.busy = true;
        cx.request(Request::Incubation(IncRequest::Execute(Box::new(cmd))));
    }

    fn on_response(&mut self, r: IncResponse, cx: &mut Cx) -> bool {
        match r {
            IncResponse::Loaded(d) => {
                let keep = self.selected().map(|r| r.id.clone());
                self.data = Some(d);
                self.fresh.done();
                self.error = None;
                let pos = keep.and_then(|id| self.rows().iter().position(|r| r.id == id));
                let (len, page) = (self.rows().len(), view::list_rows(self.area).max(1));
                self.list.select(pos.unwrap_or(0), len, page);
            }
            IncResponse::Failed(e) => {
                self.fresh.done();
                self.busy = false;
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
            }
            IncResponse::Executed { cmd, result } => {
                self.busy = false;
                match result {
                    Ok(id) => {
                        self.executed(*cmd, id, cx);
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

    fn executed(&mut self, cmd: Command, id: String, cx: &mut Cx) {
        let l = crate::text::lang();
        let said = match &cmd {
            Command::Create { record } => {
                cx.shared.undo.push(Change::Created {
                    kind: record.kind(),
                    id,
                    title: record.title().to_string(),
                });
                crate::tr!("incubation.service_saved")
            }
            Command::Update { before, after, .. } => {
                let said = match (before, after) {
                    (Record::Enrollment(b), Record::Enrollment(a)) => crate::tr!(
                        "incubation.stepped",
                        from = b.stage.label(l),
                        to = a.stage.label(l)
                    ),
                    _ => String::new(),
                };
                cx.shared.undo.push(Change::Updated {
                    id,
                    before: Box::new(before.clone()),
                    after: Box::new(after.clone()),
                });
                said
            }
            _ => String::new(),
        };
        self.form = None;
        self.open = None;
        cx.say(Status::ok(said));
        self.load(cx);
    }

    fn pick_step(&mut self, cx: &mut Cx) {
        let Some(r) = self.selected() else { return };
        let next = r.record.stage.next();
        if next.is_empty() {
            cx.say(Status::info(crate::tr!("incubation.no_next")));
            return;
        }
        let l = crate::text::lang();
        let options = next
            .iter()
            .map(|s| Choice::new(s.key(), s.label(l)))
            .collect();
        let title = crate::tr!(
            "incubation.tui.step_title",
            org = r.org_name,
            from = r.record.stage.label(l)
        );
        self.picking = Some((r.id.clone(), r.record.stage));
        cx.open(Popup::Picker(Box::new(Picker::new(
            title,
            options,
            next[0].key(),
            PickFor::Stage,
        ))));
    }

    fn open_step(&mut self, to: IncStage, cx: &mut Cx) {
        let Some((id, from)) = self.picking.take() else {
            return;
        };
        let Some(r) = self.row(&id).filter(|r| r.record.stage == from) else {
            cx.say(Status::info(crate::tr!("venture.tui.changed")));
            return;
        };
        let l = crate::text::lang();
        let mut fields =
            vec![
                FieldSpec::new("date", crate::text::field_label("date"), FieldKind::Date)
                    .with_required(true),
            ];
        if to == IncStage::Extended {
            fields.push(
                FieldSpec::new("to", crate::tr!("incubation.col.to"), FieldKind::Date)
                    .with_required(true),
            );
        }
        fields.push(FieldSpec::new(
            "note",
            crate::tr!("venture.tui.note"),
            FieldKind::Text { max: 200 },
        ));
        let title = format!("{}：{} → {}", r.org_name, from.label(l), to.label(l));
        let mut f = Form::new(title, fields);
        f.set_today(cx.shared.today);
        f.set_value("date", FieldValue::Date(Some(cx.shared.today)));
        if to == IncStage::Extended {
            f.set_value("to", FieldValue::Date(Some(r.record.to)));
        }
        self.open = Some(Open::Step { id, to });
        self.form = Some(Box::new(f));
    }

    fn open_service(&mut self, cx: &mut Cx) {
        let Some(r) = self.selected() else { return };
        let l = crate::text::lang();
        let kinds = ServiceKind::ALL
            .iter()
            .map(|k| Choice::new(k.key(), k.label(l)))
            .collect();
        let fields = vec![
            FieldSpec::new(
                "kind",
                crate::text::field_label("kind"),
                FieldKind::Choice { options: kinds },
            )
            .with_required(true),
            FieldSpec::new("date", crate::text::field_label("date"), FieldKind::Date)
                .with_required(true),
            FieldSpec::new(
                "hours",
                crate::text::field_label("hours"),
                FieldKind::Tenths { max: 1_000 },
            ),
            FieldSpec::new(
                "staff",
                crate::text::field_label("staff_names"),
                FieldKind::Text { max: 80 },
            ),
            FieldSpec::new(
                "notes",
                crate::text::field_label("notes"),
                FieldKind::Text { max: 400 },
            ),
        ];
        let mut f = Form::new(
            crate::tr!("incubation.tui.service_title", org = r.org_name),
            fields,
        );
        f.set_today(cx.shared.today);
        f.set_value("date", FieldValue::Date(Some(cx.shared.today)));
        self.open = Some(Open::Service { id: r.id.clone() });
        self.form = Some(Box::new(f));
    }

    fn save(&mut self) -> Option<Command> {
        let (form, open) = (self.form.as_deref()?, self.open.as_ref()?);
        let errors = form.errors_with(Ok(()));
        if !errors.is_empty() {
            if let Some(f) = self.form.as_mut() {
                show_errors(f, &errors);
            }
            return None;
        }
        let text = |k: &str| form.text(k).unwrap_or("").trim().to_string();
        match open {
            Open::Step { id, to } => {
                let r = self.row(id)?;
                let date = date_of(form, "date").unwrap_or(form.today());
                let before = r.record.clone();
                let mut after = before.clone();
                after.stage = *to;
                let note = text("note");
                after.steps.insert(
                    to.key().into(),
                    Mark {
                        date,
                        author: None,
                        note: (!note.is_empty()).then_some(note),
                    },
                );
                if let Some(until) = date_of(form, "to") {
                    after.to = until;
                }
                if to.is_out() {
                    after.exited = Some(date);
                }
                Some(Command::Update {
                    id: id.clone(),
                    before: Record::Enrollment(before),
                    after: Record::Enrollment(after),
                })
            }
            Open::Service { id } => {
                let r = self.row(id)?;
                let kind = match form.value("kind") {
                    Some(FieldValue::Choice(Some(k))) => ServiceKind::parse(k),
                    _ => None,
                }?;
                let hours = match form.value("hours") {
                    Some(FieldValue::Number(n)) => n.and_then(|n| u32::try_from(n).ok()),
                    _ => None,
                };
                let mut s = Service {
                    org: r.record.org.clone(),
                    enrollment: Some(id.clone()),
                    kind,
                    date: date_of(form, "date").unwrap_or(form.today()),
                    staff_names: text("staff")
                        .split(['、', ',', '，', ' '])
                        .map(str::to_string)
                        .collect(),
                    hours_tenths: hours,
                    notes: Some(text("notes")),
                };
                s.normalize();
                Some(Command::Create {
                    record: Record::Service(s),
                })
            }
        }
    }

    fn form_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        let Some(form) = self.form.as_deref_mut() else {
            return false;
        };
        match super::form_key(form, action, cx) {
            super::FormKey::Save => {
                if !self.busy {
                    if let Some(cmd) = self.save() {
                        self.send(cmd, cx);
                    }
                }
            }
            super::FormKey::Close => self.discard_form(),
            super::FormKey::Done => {}
            super::FormKey::NotMine => return false,
        }
        true
    }
}

impl Pane for IncubationPane {
    fn discard_form(&mut self) {
        self.form = None;
        self.open = None;
    }

    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        if let Response::Incubation(r) = r {
            let own = self.on_response(*r, cx);
            self.fresh.own_write(own);
        }
    }

    fn on_pick(&mut self, what: PickFor, key: &str, cx: &mut Cx) {
        if what == PickFor::Stage {
            if let Some(to) = IncStage::parse(key) {
                self.open_step(to, cx);
            }
        }
    }

    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        let ours = [Kind::Space, Kind::Enrollment, Kind::Service, Kind::Org];
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
        "incubation.tui.title"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.form.is_some() {
            &[Context::Form]
        } else {
            &[Context::Incubation, Context::List]
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
                let (len, page) = (self.rows().len(), view::list_rows(self.area).max(1));
                self.list.apply(action, len, page);
            }
            Action::IncubationStep | Action::IncubationService if self.busy => {
                cx.say(Status::info(crate::tr!("venture.tui.reading")));
            }
            Action::IncubationStep => self.pick_step(cx),
            Action::IncubationService => self.open_service(cx),
            Action::IncubationReload => {
                if !self.fresh.loading {
                    self.load(cx);
                }
            }
            Action::Undo => cx.undo(),
            _ => return false,
        }
        true
    }

    fn listed(&self) -> Option<crate::tui::export::Listed> {
        Some(crate::tui::export::Listed {
            kind: Kind::Enrollment,
            ids: self.rows().iter().map(|r| r.id.clone()).collect(),
        })
    }

    fn commands(&self, shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        let mut out = Vec::new();
        if self.selected().is_some() {
            out.extend([Action::IncubationStep, Action::IncubationService]);
        }
        if !shared.undo.is_empty() {
            out.push(Action::Undo);
        }
        out.push(Action::IncubationReload);
        out
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
        let (len, page) = (self.rows().len(), view::list_rows(area).max(1));
        self.list.scroll(len, page);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        view::render(self, area, buf, rx)
    }
}
