//! The 培训 (trainings) pane: the events of the plan, newest first, with
//! registered, signed in and the attendance rate; the selected event's
//! participants beside them. `i` is quick sign-in: type the initials of an
//! organization (or a person's name), `Ctrl-s`, and the next blank entry is
//! open at once; `Esc` ends. Someone not registered is signed in all the
//! same while there are places. The rules are the store's, as for `sanshe
//! training attend`.

pub mod data;
mod view;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::training::{AttendStatus, Attendance, Role};
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
use data::{EventRow, TrainData, TrainRequest, TrainResponse};

#[derive(Default)]
pub struct TrainingPane {
    pub data: Option<Box<TrainData>>,
    pub fresh: super::fresh::Freshness,
    pub error: Option<String>,
    pub list: ListState,
    pub form: Option<Box<Form>>,
    /// The event quick sign-in is for.
    pub signing: Option<String>,
    signed_in_row: usize,
    pub busy: bool,
    pub area: Rect,
}

impl TrainingPane {
    pub fn new() -> Self {
        TrainingPane::default()
    }

    pub fn events(&self) -> &[EventRow] {
        self.data.as_ref().map_or(&[], |d| d.events.as_slice())
    }

    pub fn selected(&self) -> Option<&EventRow> {
        self.events().get(self.list.sel)
    }

    fn event(&self, id: &str) -> Option<&EventRow> {
        self.events().iter().find(|e| e.id == id)
    }

    fn load(&mut self, cx: &mut Cx) {
        self.fresh.started();
        cx.request(Request::Training(TrainRequest::Load {
            today: cx.shared.today,
        }));
    }

    fn sign_in_form(&self) -> Option<Form> {
        let d = self.data.as_ref()?;
        let e = self.event(self.signing.as_deref()?)?;
        let options = d.orgs.iter().map(|(id, n)| Choice::new(id, n)).collect();
        let fields = vec![
            FieldSpec::new(
                "org",
                crate::text::field_label("org"),
                FieldKind::Choice { options },
            )
            .with_hint(crate::text::t("activity.tui.hint.org")),
            FieldSpec::new(
                "person",
                crate::text::field_label("person"),
                FieldKind::Text { max: 40 },
            ),
        ];
        Some(Form::new(
            crate::tr!("training.tui.sign_in_title", title = e.record.title),
            fields,
        ))
    }

    fn start_sign_in(&mut self, cx: &mut Cx) {
        let Some(e) = self.selected() else { return };
        self.signing = Some(e.id.clone());
        self.signed_in_row = 0;
        self.form = self.sign_in_form().map(Box::new);
        if let Some(f) = self.form.as_mut() {
            f.set_today(cx.shared.today);
        }
    }

    fn save(&mut self, cx: &mut Cx) {
        if self.busy {
            return;
        }
        // Initials typed and the matches shown: the highlighted one is meant.
        if let Some(f) = self.form.as_mut() {
            if f.dropdown_open() {
                f.handle_key(KeyEvent::new(
                    crossterm::event::KeyCode::Enter,
                    crossterm::event::KeyModifiers::NONE,
                ));
            }
        }
        let (Some(form), Some(event)) = (self.form.as_deref(), self.signing.clone()) else {
            return;
        };
        let org = match form.value("org") {
            Some(FieldValue::Choice(Some(k))) if !k.is_empty() => Some(k.clone()),
            _ => None,
        };
        let person = form.text("person").unwrap_or("").trim().to_string();
        let person = (!person.is_empty()).then_some(person);
        if org.is_none() && person.is_none() {
            let msg = crate::text::rule_message(&crate::model::Rule::Required);
            if let Some(f) = self.form.as_mut() {
                show_errors(f, &[("org".to_string(), msg)]);
            }
            return;
        }
        let Some(e) = self.event(&event) else { return };
        let existing = e
            .participants
            .iter()
            .find(|p| p.record.who() == (org.as_deref(), person.as_deref()));
        let after = Attendance {
            event: event.clone(),
            org: org.clone(),
            person: person.clone(),
            role: existing.map_or(Role::Learner, |p| p.record.role),
            status: AttendStatus::SignedIn,
        };
        let cmd = match existing {
            Some(p) if p.record.status == AttendStatus::SignedIn => {
                cx.say(Status::info(crate::tr!(
                    "training.tui.already",
                    who = p.who
                )));
                self.next_entry(cx);
                return;
            }
            Some(p) => Command::Update {
                id: p.id.clone(),
                before: Record::Attendance(p.record.clone()),
                after: Record::Attendance(after),
            },
            None => Command::Create {
                record: Record::Attendance(after),
            },
        };
        self.busy = true;
        cx.request(Request::Training(TrainRequest::Execute(Box::new(cmd))));
    }

    /// A blank entry for the next participant.
    fn next_entry(&mut self, cx: &mut Cx) {
        self.form = self.sign_in_form().map(Box::new);
        if let Some(f) = self.form.as_mut() {
            f.set_today(cx.shared.today);
        }
    }

    fn on_response(&mut self, r: TrainResponse, cx: &mut Cx) -> bool {
        match r {
            TrainResponse::Loaded(d) => {
                let keep = self.selected().map(|e| e.id.clone());
                self.data = Some(d);
                self.fresh.done();
                self.error = None;
                let pos = keep.and_then(|id| self.events().iter().position(|e| e.id == id));
                let (len, page) = (self.events().len(), view::list_rows(self.area).max(1));
                self.list.select(pos.unwrap_or(0), len, page);
            }
            TrainResponse::Failed(e) => {
                self.fresh.done();
                self.busy = false;
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
            }
            TrainResponse::Executed { cmd, result } => {
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
        let who = match &cmd {
            Command::Create {
                record: Record::Attendance(a),
            }
            | Command::Update {
                after: Record::Attendance(a),
                ..
            } => {
                let orgs = self.data.as_ref().map(|d| d.orgs.as_slice()).unwrap_or(&[]);
                let org = a
                    .org
                    .as_deref()
                    .and_then(|o| orgs.iter().find(|(i, _)| i == o))
                    .map(|(_, n)| n.clone());
                [org, a.person.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            _ => String::new(),
        };
        match cmd {
            Command::Create { record } => cx.shared.undo.push(Change::Created {
                kind: Kind::Attendance,
                id,
                title: record.title().to_string(),
            }),
            Command::Update { before, after, .. } => cx.shared.undo.push(Change::Updated {
                id,
                before: Box::new(before),
                after: Box::new(after),
            }),
            _ => {}
        }
        self.signed_in_row += 1;
        cx.say(Status::ok(crate::tr!(
            "training.tui.signed_in",
            who = who,
            n = self.signed_in_row
        )));
        self.next_entry(cx);
        self.load(cx);
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

impl Pane for TrainingPane {
    fn discard_form(&mut self) {
        self.form = None;
        self.signing = None;
    }

    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        if let Response::Training(r) = r {
            let own = self.on_response(*r, cx);
            self.fresh.own_write(own);
        }
    }

    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        let ours = [Kind::Training, Kind::Attendance, Kind::Org];
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
        "training.tui.title"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.form.is_some() {
            &[Context::Form]
        } else {
            &[Context::Training, Context::List]
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
                let (len, page) = (self.events().len(), view::list_rows(self.area).max(1));
                self.list.apply(action, len, page);
            }
            Action::TrainingSignIn => self.start_sign_in(cx),
            Action::TrainingReload => {
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
            kind: Kind::Training,
            ids: self.events().iter().map(|e| e.id.clone()).collect(),
        })
    }

    fn commands(&self, shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        let mut out = Vec::new();
        if self.selected().is_some() {
            out.push(Action::TrainingSignIn);
        }
        if !shared.undo.is_empty() {
            out.push(Action::Undo);
        }
        out.push(Action::TrainingReload);
        out
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
        let (len, page) = (self.events().len(), view::list_rows(area).max(1));
        self.list.scroll(len, page);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        view::render(self, area, buf, rx)
    }
}
