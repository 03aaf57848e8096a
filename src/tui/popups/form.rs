//! The organization form in a popup: add or edit, save with duplicate
//! check, errors shown beside the fields.
//!
//! Saving: `form_to_org` (field errors stay in the form, nothing is sent);
//! then a check with the store (a possible duplicate is shown, and a
//! second save confirms it); then the command. Errors from the store land
//! on their field or at the top of the form. Nothing is written until the
//! command succeeds as a whole.

use crate::tui::draft::{Draft, DraftMode, ORG_FORM};
use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::{Organization, Place, Record};
use crate::store::{Command, StoreError, Warning};
use crate::text::rule_message;
use crate::tui::action::Action;
use crate::tui::common::{Owner, RenderCx};
use crate::tui::keymap::Keymap;
use crate::tui::org_form::{form_to_org, new_org_form};
use crate::tui::widgets::Form;

use super::{center, form_frame, Reply};

/// Adding a new organization, or editing one.
#[derive(Debug, Clone, PartialEq)]
pub enum FormMode {
    Add,
    Edit {
        id: String,
        before: Box<Organization>,
    },
}

/// What the organization form asks its pane to do with the store: check
/// the command (possible duplicates), or run it.
#[derive(Debug, Clone, PartialEq)]
pub struct Submit {
    pub cmd: Box<Command>,
    pub check: bool,
}

/// The form popup.
#[derive(Debug)]
pub struct FormPopup {
    pub form: Form,
    pub mode: FormMode,
    /// The command whose duplicate warning was shown: saving it again
    /// (unchanged) saves without asking.
    ack: Option<Command>,
    /// A check or save is on its way to the store.
    pub busy: bool,
    /// Who opened it (set by `Cx::open`): its command and its question go
    /// there.
    pub owner: Owner,
    today: NaiveDate,
}

impl FormPopup {
    /// The form for a new organization (cursor in the name).
    pub fn add(places: &[Place], today: NaiveDate) -> Self {
        let mut form = new_org_form(places, None);
        form.set_today(today);
        FormPopup {
            form,
            mode: FormMode::Add,
            ack: None,
            busy: false,
            owner: Owner::App,
            today,
        }
    }

    /// The form to edit `org`.
    pub fn edit(places: &[Place], id: String, org: Organization, today: NaiveDate) -> Self {
        let mut form = new_org_form(places, Some(&org));
        form.set_today(today);
        FormPopup {
            form,
            mode: FormMode::Edit {
                id,
                before: Box::new(org),
            },
            ack: None,
            busy: false,
            owner: Owner::App,
            today,
        }
    }

    /// The form as a draft, if something was typed in it.
    pub fn draft(&self) -> Option<Draft> {
        let mode = match &self.mode {
            FormMode::Add => DraftMode::Add,
            FormMode::Edit { id, before } => DraftMode::Edit {
                id: id.clone(),
                before: Box::new(Record::Org((**before).clone())),
            },
        };
        Draft::of(ORG_FORM, mode, &self.form)
    }

    /// The form a draft was taken from, with what was typed (`None`: not
    /// the organization form's draft).
    pub fn from_draft(places: &[Place], d: &Draft, today: NaiveDate) -> Option<Self> {
        if d.key != ORG_FORM {
            return None;
        }
        let mut popup = match d.editing(|r| match r {
            Record::Org(o) => Some(o),
            _ => None,
        }) {
            Some((id, before)) => FormPopup::edit(places, id, before, today),
            None => FormPopup::add(places, today),
        };
        popup.form.apply_draft(&d.form);
        Some(popup)
    }

    /// The title: "New organization" or "Edit: name".
    pub fn title(&self) -> String {
        match &self.mode {
            FormMode::Add => crate::tr!("tui.form.add_title"),
            FormMode::Edit { before, .. } => crate::tr!("tui.form.edit_title", name = before.name),
        }
    }

    /// The command the form's content stands for, or the field errors
    /// (already shown in the form).
    fn command(&mut self) -> Option<Command> {
        self.form.clear_errors();
        let base = match &self.mode {
            FormMode::Add => Organization::default(),
            FormMode::Edit { before, .. } => (**before).clone(),
        };
        match form_to_org(&self.form, base, self.today) {
            Ok(org) => Some(match &self.mode {
                FormMode::Add => Command::Create {
                    record: Record::Org(org),
                },
                FormMode::Edit { id, before } => Command::Update {
                    id: id.clone(),
                    before: Record::Org((**before).clone()),
                    after: Record::Org(org),
                },
            }),
            Err(errors) => {
                for (field, message) in errors {
                    self.form.set_error(&field, message);
                }
                self.form.focus_first_error();
                None
            }
        }
    }

    /// `form.save`: validate, then check (first time) or save.
    pub fn save(&mut self) -> Reply {
        if self.busy {
            return Reply::Stay;
        }
        let Some(cmd) = self.command() else {
            return Reply::Stay;
        };
        self.busy = true;
        if self.ack.as_ref() == Some(&cmd) {
            Reply::Submit {
                owner: self.owner,
                what: Submit {
                    cmd: Box::new(cmd),
                    check: false,
                },
            }
        } else {
            self.form.clear_warning();
            Reply::Submit {
                owner: self.owner,
                what: Submit {
                    cmd: Box::new(cmd),
                    check: true,
                },
            }
        }
    }

    /// The store's answer to the check: save now, or show the warning and
    /// wait for a second save.
    pub fn on_checked(
        &mut self,
        cmd: Box<Command>,
        result: Result<Vec<Warning>, StoreError>,
        keymap: &Keymap,
    ) -> Reply {
        self.busy = false;
        match result {
            Ok(warnings) if warnings.is_empty() => {
                self.busy = true;
                Reply::Submit {
                    owner: self.owner,
                    what: Submit { cmd, check: false },
                }
            }
            Ok(warnings) => {
                self.form
                    .set_warning(crate::tui::common::look_alike_warning(&warnings, keymap));
                self.ack = Some(*cmd);
                Reply::Stay
            }
            Err(e) => {
                self.show_error(&e);
                Reply::Stay
            }
        }
    }

    /// Shows a store error on its field, or at the top of the form.
    pub fn show_error(&mut self, e: &StoreError) {
        self.busy = false;
        match e {
            StoreError::Invalid(errors) => {
                for fe in &errors.0 {
                    self.form.set_error(&fe.field, rule_message(&fe.rule));
                }
                self.form.focus_first_error();
            }
            StoreError::DuplicateCreditCode { .. } => {
                self.form.set_error("credit_code", e.message());
                self.form.focus_first_error();
            }
            _ => self
                .form
                .set_warning(crate::tr!("tui.store_error", message = e.message())),
        }
    }

    pub fn on_action(&mut self, action: Action) -> Reply {
        match action {
            Action::FormSave => self.save(),
            Action::FormCancel => {
                if self.form.is_dirty() {
                    Reply::AskDiscard { owner: self.owner }
                } else {
                    Reply::Close
                }
            }
            Action::FormNext => {
                self.form.focus_next();
                Reply::Stay
            }
            Action::FormPrev => {
                self.form.focus_prev();
                Reply::Stay
            }
            _ => Reply::Ignored,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Reply {
        if self.form.handle_key(key) {
            Reply::Stay
        } else {
            Reply::Ignored
        }
    }

    pub fn on_paste(&mut self, text: &str) -> Reply {
        self.form.paste(text);
        Reply::Stay
    }

    /// The popup's area on `screen`.
    pub fn area(screen: Rect) -> Rect {
        let w = 96
            .min(screen.width.saturating_sub(2))
            .max(screen.width.min(20));
        let h = screen.height.saturating_sub(2).max(screen.height.min(5));
        center(screen, w, h)
    }

    pub fn render(&self, screen: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        let area = FormPopup::area(screen);
        let body = form_frame(area, buf, &self.title(), rx);
        self.form.render(body, buf, &rx.theme)
    }
}
