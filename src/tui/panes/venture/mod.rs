//! The 创投 (venture philanthropy) pane: one round at a time (`[` `]`
//! change it), its projects with state, score and amounts on the left, the
//! selected project on the right (reviewers' sheets, tranches, figures from
//! its activities, KPIs, visits). `r` enters review sheets one reviewer
//! after another (each save opens a blank sheet for the next; `Esc`
//! ends), `s` steps the project on (pick the next state, then a form that
//! is the confirmation: date, amount on approval, note), `p` pays the next
//! payable tranche (asks first), `w` records a monitoring visit, `d` shows
//! what is due, `u` undoes. The rules are the store's, as for `sanshe
//! venture`.

pub mod data;
mod forms;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::venture::{AppState, Payment, Stage};
use crate::model::{Kind, Labeled, Record};
use crate::store::{Command, Notice, StoreError};
use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::popups::picker::{PickFor, Picker};
use crate::tui::popups::Popup;
use crate::tui::undo::Change;
use crate::tui::widgets::field::Choice;
use crate::tui::widgets::{Form, ListState};
use crate::tui::worker::{Request, Response};

use super::activities::quick::{show_errors, show_store_error};
use super::{Cx, Pane, RenderCx, Token};
use data::{AppRow, VentureData, VentureRequest, VentureResponse};

/// A form open in the pane, with what it is for.
#[derive(Debug)]
pub enum Open {
    /// Review sheets of project `app` at `stage`, one reviewer after another.
    Review { app: String, stage: Stage },
    /// A step of project `app` to `to`.
    Step { app: String, to: AppState },
    /// A visit to project `app`.
    Visit { app: String },
}

/// What this pane asks (the answer comes back with it).
#[derive(Debug)]
pub enum Question {
    /// Pay tranche `seq` of project `app`.
    Pay { app: String, seq: u32 },
}

#[derive(Default)]
pub struct VenturePane {
    pub data: Option<Box<VentureData>>,
    pub fresh: super::fresh::Freshness,
    pub error: Option<String>,
    /// The round shown (position in `data.rounds`).
    pub round: usize,
    /// The selected project and the first shown.
    pub list: ListState,
    /// The due list instead of the projects.
    pub due: bool,
    pub form: Option<Box<Form>>,
    pub open: Option<Open>,
    pub busy: bool,
    pub area: Rect,
    /// Sheets saved in this run of review entry (the status line counts).
    saved_in_row: usize,
    /// The project and state a step is being picked for: a pick that comes
    /// back after the project changed is not taken.
    picking: Option<(String, AppState)>,
}

impl VenturePane {
    pub fn new() -> Self {
        VenturePane::default()
    }

    /// The projects of the round shown.
    pub fn apps(&self) -> &[AppRow] {
        let Some(d) = &self.data else {
            return &[];
        };
        d.rounds
            .get(self.round)
            .and_then(|r| d.apps.get(&r.id))
            .map_or(&[], Vec::as_slice)
    }

    pub fn selected(&self) -> Option<&AppRow> {
        self.apps().get(self.list.sel)
    }

    fn app(&self, id: &str) -> Option<&AppRow> {
        self.data
            .as_ref()?
            .apps
            .values()
            .flatten()
            .find(|a| a.id == id)
    }

    fn page(&self) -> usize {
        view::list_rows(self.area).max(1)
    }

    fn load(&mut self, cx: &mut Cx) {
        self.fresh.started();
        cx.request(Request::Venture(VentureRequest::Load {
            today: cx.shared.today,
        }));
    }

    fn send(&mut self, cmd: Command, cx: &mut Cx) {
        self.busy = true;
        cx.request(Request::Venture(VentureRequest::Execute(Box::new(cmd))));
    }

    fn on_response(&mut self, r: VentureResponse, cx: &mut Cx) -> bool {
        match r {
            VentureResponse::Loaded(d) => {
                let keep_round = self
                    .data
                    .as_ref()
                    .and_then(|x| x.rounds.get(self.round))
                    .map(|r| r.id.clone());
                let keep_app = self.selected().map(|a| a.id.clone());
                self.round = keep_round
                    .and_then(|id| d.rounds.iter().position(|r| r.id == id))
                    .unwrap_or(0);
                self.data = Some(d);
                self.fresh.done();
                self.error = None;
                let pos = keep_app.and_then(|id| self.apps().iter().position(|a| a.id == id));
                let (len, page) = (self.apps().len(), self.page());
                self.list.select(pos.unwrap_or(0), len, page);
            }
            VentureResponse::Failed(e) => {
                self.fresh.done();
                self.busy = false;
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
            }
            VentureResponse::Executed { cmd, result } => {
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
        let undo_key = cx
            .keymap
            .first_keys(&[Context::Venture], Action::Undo)
            .map(crate::tui::key::show_seq)
            .unwrap_or_default();
        match cmd {
            Command::Create { record } => {
                let title = record.title().to_string();
                let said = match &record {
                    Record::Review(s) => {
                        self.saved_in_row += 1;
                        crate::tr!(
                            "venture.tui.sheet_saved",
                            reviewer = s.reviewer,
                            total = crate::model::evaluation::points_text(s.sheet().total()),
                            n = self.saved_in_row
                        )
                    }
                    _ => crate::tr!("venture.visit_saved"),
                };
                cx.shared.undo.push(Change::Created {
                    kind: record.kind(),
                    id,
                    title,
                });
                self.after_save(cx);
                cx.say(Status::ok(format!("{said}  ({undo_key})")));
            }
            Command::Update { before, after, .. } => {
                let said = match (&before, &after) {
                    (Record::Application(b), Record::Application(a)) if b.state != a.state => {
                        crate::tr!(
                            "venture.stepped",
                            title = a.title,
                            from = b.state.label(crate::text::lang()),
                            to = a.state.label(crate::text::lang())
                        )
                    }
                    (Record::Application(b), Record::Application(a)) => {
                        let seq = a.paid.keys().find(|k| !b.paid.contains_key(k)).copied();
                        match seq.and_then(|s| a.paid.get(&s).map(|p| (s, p.amount_fen))) {
                            Some((seq, amount)) => crate::tr!(
                                "venture.paid",
                                title = a.title,
                                seq = seq,
                                amount = crate::model::money::format(amount)
                            ),
                            None => crate::tr!("cli.edited", record = a.title, n = 1),
                        }
                    }
                    (Record::Review(s), _) => {
                        self.saved_in_row += 1;
                        crate::tr!(
                            "venture.tui.sheet_saved",
                            reviewer = s.reviewer,
                            total = match &after {
                                Record::Review(x) =>
                                    crate::model::evaluation::points_text(x.sheet().total()),
                                _ => String::new(),
                            },
                            n = self.saved_in_row
                        )
                    }
                    _ => String::new(),
                };
                cx.shared.undo.push(Change::Updated {
                    id,
                    before: Box::new(before),
                    after: Box::new(after),
                });
                self.after_save(cx);
                cx.say(Status::ok(format!("{said}  ({undo_key})")));
            }
            Command::Delete { .. } | Command::Restore { .. } => {}
        }
        self.load(cx);
    }

    /// After a save: review entry goes on with a blank sheet for the next
    /// reviewer; any other form closes.
    fn after_save(&mut self, cx: &mut Cx) {
        if let Some(Open::Review { app, stage }) = &self.open {
            let (app, stage) = (app.clone(), *stage);
            if let Some(f) = self.review_form(&app, stage, cx) {
                self.form = Some(Box::new(f));
                return;
            }
        }
        self.close_form();
    }

    fn close_form(&mut self) {
        self.form = None;
        self.open = None;
        self.saved_in_row = 0;
    }

    fn review_form(&self, app: &str, stage: Stage, cx: &mut Cx) -> Option<Form> {
        let d = self.data.as_ref()?;
        let a = self.app(app)?;
        let Some((_, rubric)) = d.rubric_for(&a.record.round, stage) else {
            cx.say(Status::error(crate::tr!("venture.tui.no_rubric")));
            return None;
        };
        forms::review_form(&a.record.title, stage, rubric, cx.shared.today)
    }

    fn open_review(&mut self, cx: &mut Cx) {
        let Some(a) = self.selected() else {
            return;
        };
        let (app, stage) = (a.id.clone(), Stage::of(a.record.state));
        if let Some(f) = self.review_form(&app, stage, cx) {
            self.saved_in_row = 0;
            self.form = Some(Box::new(f));
            self.open = Some(Open::Review { app, stage });
        }
    }

    fn pick_step(&mut self, cx: &mut Cx) {
        let Some(a) = self.selected() else {
            return;
        };
        let next = data::next_states(&a.record);
        if next.is_empty() {
            cx.say(Status::info(crate::tr!("venture.no_next")));
            return;
        }
        let lang = crate::text::lang();
        let options = next
            .iter()
            .map(|s| Choice::new(s.key(), s.label(lang)))
            .collect();
        let title = crate::tr!(
            "venture.tui.step_title",
            title = a.record.title,
            from = a.record.state.label(lang)
        );
        self.picking = Some((a.id.clone(), a.record.state));
        cx.open(Popup::Picker(Box::new(Picker::new(
            title,
            options,
            next[0].key(),
            PickFor::Step,
        ))));
    }

    fn open_step(&mut self, to: AppState, cx: &mut Cx) {
        let Some((app, from)) = self.picking.take() else {
            return;
        };
        let Some(a) = self.app(&app).filter(|a| a.record.state == from) else {
            cx.say(Status::info(crate::tr!("venture.tui.changed")));
            return;
        };
        let f = forms::step_form(&a.record, to, a.proposed, cx.shared.today);
        self.open = Some(Open::Step {
            app: a.id.clone(),
            to,
        });
        self.form = Some(Box::new(f));
    }

    fn ask_pay(&mut self, cx: &mut Cx) {
        let Some(a) = self.selected() else {
            return;
        };
        let Some(t) = a.tranches.iter().find(|t| t.payable) else {
            cx.say(Status::info(crate::tr!("venture.tui.nothing_payable")));
            return;
        };
        let cond = crate::model::venture::Condition::parse(&t.condition)
            .map(|c| c.label(crate::text::lang()))
            .unwrap_or("");
        let text = crate::tr!(
            "venture.tui.confirm_pay",
            title = a.record.title,
            seq = t.seq,
            amount = crate::model::money::format(t.amount_fen),
            condition = cond
        );
        let q = Question::Pay {
            app: a.id.clone(),
            seq: t.seq,
        };
        cx.ask(text, q);
    }

    fn pay(&mut self, app: &str, seq: u32, cx: &mut Cx) {
        let Some(a) = self.app(app) else {
            return;
        };
        let Some(t) = a.tranches.iter().find(|t| t.seq == seq) else {
            return;
        };
        let before = a.record.clone();
        let mut after = before.clone();
        after.paid.insert(
            seq,
            Payment {
                date: cx.shared.today,
                amount_fen: t.amount_fen,
            },
        );
        let id = a.id.clone();
        self.send(
            Command::Update {
                id,
                before: Record::Application(before),
                after: Record::Application(after),
            },
            cx,
        );
    }

    fn open_visit(&mut self, cx: &mut Cx) {
        let Some(a) = self.selected() else {
            return;
        };
        let f = forms::visit_form(&a.record.title, cx.shared.today);
        self.open = Some(Open::Visit { app: a.id.clone() });
        self.form = Some(Box::new(f));
    }

    fn save(&mut self, cx: &mut Cx) {
        if self.busy {
            return;
        }
        let (Some(form), Some(open)) = (self.form.as_deref(), self.open.as_ref()) else {
            return;
        };
        let cmd = match open {
            Open::Review { app, stage } => {
                let Some(d) = self.data.as_ref() else { return };
                let Some(a) = self.app(app) else { return };
                let Some((key, rubric)) = d.rubric_for(&a.record.round, *stage) else {
                    return;
                };
                let reviewer = form.text(forms::REVIEWER).unwrap_or("").trim().to_string();
                let existing = a
                    .sheets
                    .iter()
                    .find(|s| s.stage == *stage && s.reviewer == reviewer);
                match forms::read_review(
                    form,
                    app,
                    *stage,
                    key,
                    rubric,
                    existing.map(|s| &s.record),
                ) {
                    Ok(sheet) => match existing {
                        Some(s) => Command::Update {
                            id: s.id.clone(),
                            before: Record::Review(s.record.clone()),
                            after: Record::Review(sheet),
                        },
                        None => Command::Create {
                            record: Record::Review(sheet),
                        },
                    },
                    Err(errors) => return self.show(errors),
                }
            }
            Open::Step { app, to } => {
                let Some(a) = self.app(app) else { return };
                match forms::read_step(form, &a.record, *to, "") {
                    Ok(after) => Command::Update {
                        id: app.clone(),
                        before: Record::Application(a.record.clone()),
                        after: Record::Application(after),
                    },
                    Err(errors) => return self.show(errors),
                }
            }
            Open::Visit { app } => match forms::read_visit(form, app) {
                Ok(v) => Command::Create {
                    record: Record::Visit(v),
                },
                Err(errors) => return self.show(errors),
            },
        };
        if let Some(f) = self.form.as_mut() {
            f.clear_errors();
        }
        self.send(cmd, cx);
    }

    fn show(&mut self, errors: Vec<(String, String)>) {
        if let Some(f) = self.form.as_mut() {
            show_errors(f, &errors);
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

    fn switch_round(&mut self, by: isize) {
        let n = self.data.as_ref().map_or(0, |d| d.rounds.len());
        if n == 0 {
            return;
        }
        self.round = (self.round as isize + by).rem_euclid(n as isize) as usize;
        self.list = ListState::default();
    }
}

impl Pane for VenturePane {
    fn discard_form(&mut self) {
        self.close_form();
    }

    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        if let Response::Venture(r) = r {
            let own = self.on_response(*r, cx);
            self.fresh.own_write(own);
        }
    }

    fn on_answer(&mut self, question: &Token, yes: bool, cx: &mut Cx) {
        if let (Some(Question::Pay { app, seq }), true) = (question.get::<Question>(), yes) {
            let (app, seq) = (app.clone(), *seq);
            self.pay(&app, seq, cx);
        }
    }

    fn on_pick(&mut self, what: PickFor, key: &str, cx: &mut Cx) {
        if what == PickFor::Step {
            if let Some(to) = AppState::parse(key) {
                self.open_step(to, cx);
            }
        }
    }

    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        let ours = [
            Kind::Round,
            Kind::Application,
            Kind::Review,
            Kind::Visit,
            Kind::Activity,
            Kind::Org,
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
        "venture.tui.title"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.form.is_some() {
            &[Context::Form]
        } else {
            &[Context::Venture, Context::List]
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
                let (len, page) = (
                    if self.due {
                        self.data.as_ref().map_or(0, |d| d.due.len())
                    } else {
                        self.apps().len()
                    },
                    self.page(),
                );
                self.list.apply(action, len, page);
            }
            Action::VentureRoundNext => self.switch_round(1),
            Action::VentureRoundPrev => self.switch_round(-1),
            Action::VentureDue => {
                self.due = !self.due;
                self.list = ListState::default();
            }
            _ if self.due => return false,
            Action::VentureReview
            | Action::VentureStep
            | Action::VenturePay
            | Action::VentureVisit
                if self.busy =>
            {
                cx.say(Status::info(crate::tr!("venture.tui.reading")));
            }
            Action::VentureReview => self.open_review(cx),
            Action::VentureStep => self.pick_step(cx),
            Action::VenturePay => self.ask_pay(cx),
            Action::VentureVisit => self.open_visit(cx),
            Action::VentureReload => {
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
            kind: Kind::Application,
            ids: self.apps().iter().map(|a| a.id.clone()).collect(),
        })
    }

    fn commands(&self, shared: &Shared) -> Vec<Action> {
        if self.form.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        let mut out = Vec::new();
        if !self.due && self.selected().is_some() {
            out.extend([
                Action::VentureReview,
                Action::VentureStep,
                Action::VenturePay,
                Action::VentureVisit,
            ]);
        }
        out.push(Action::VentureDue);
        if self.data.as_ref().is_some_and(|d| d.rounds.len() > 1) {
            out.extend([Action::VentureRoundNext, Action::VentureRoundPrev]);
        }
        if !shared.undo.is_empty() {
            out.push(Action::Undo);
        }
        out.push(Action::VentureReload);
        out
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
        let (len, page) = (self.apps().len(), self.page());
        self.list.scroll(len, page);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        view::render(self, area, buf, rx)
    }
}
