//! The 同步 (sync) pane: this office, its network and replica id; the
//! known peers with the last exchange each way and the changes each is
//! owed (as `sanshe sync status`); the conflicts (as `sanshe sync
//! conflicts`) with a key to restore the selected overwritten value; and
//! export (`x`) and import (`i`) of bundle files. Before the first export
//! of a fresh database, `x` asks for this office's name and network in a
//! small form ([`setup`]) and then exports.
//!
//! Every store and file operation runs on the store worker ([`data`]); the
//! pane keeps what it answered. The peer-name and file-path questions and
//! the restore confirmation are small popups drawn by the pane itself,
//! keyed through the `[picker]` and `[confirm]` keymap sections.

pub mod data;
pub mod setup;
mod view;

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::config::SyncSettings;
use crate::sync::words::{field_text, value_text, NameBook};
use crate::sync::Signature;
use crate::tr;
use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::key::Key;
use crate::tui::keymap::Lookup;
use crate::tui::widgets::text_input::TextInput;
use crate::tui::widgets::{Form, ListState};
use crate::tui::worker::Request;

use super::{Cx, Pane, RenderCx};
use data::{Done, SyncData, SyncRequest, SyncResponse};

/// A question the pane is asking.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    /// The peer to export for (empty: everything).
    Peer(TextInput),
    /// The bundle file to import.
    File(TextInput),
    /// Restore conflict number `n`?
    Restore { n: usize, text: String },
    /// The organization roster to import.
    Roster(TextInput),
    /// What importing the roster would do; import it? (Only closes when
    /// nothing can be written.)
    RosterPreview(data::Preview),
}

/// The pane's state.
#[derive(Debug, Default)]
pub struct SyncPane {
    /// The status and conflicts (`None` until loaded).
    pub data: Option<Box<SyncData>>,
    /// A request is on its way to the worker.
    pub busy: bool,
    /// Why the data could not be read.
    pub error: Option<String>,
    /// The selected conflict (position in the list) and the first shown.
    pub list: ListState,
    /// The open question, if any.
    pub ask: Option<Ask>,
    pub area: Rect,
    /// `[sync]` of config.toml (set at start): sign exports, require
    /// signatures on imports.
    pub settings: SyncSettings,
    /// `office` of config.toml (set at start): offered as this office's
    /// name when the first export asks for it.
    pub office: Option<String>,
    /// The office-and-network form, while open (see [`setup`]).
    pub setup: Option<Box<Form>>,
}

impl SyncPane {
    pub fn new() -> Self {
        SyncPane::default()
    }

    fn send(&mut self, r: SyncRequest, cx: &mut Cx) {
        self.busy = true;
        cx.request(Request::Sync(r));
    }

    fn conflict_count(&self) -> usize {
        self.data.as_ref().map_or(0, |d| d.conflicts.len())
    }

    /// An answer from the store worker.
    fn on_response(&mut self, r: SyncResponse, cx: &mut Cx) {
        if let SyncResponse::Progress { done, total } = r {
            cx.say(Status::info(tr!(
                "sync.tui.importing_progress",
                done = done,
                total = total,
                percent = done * 100 / total.max(1)
            )));
            return;
        }
        self.busy = false;
        match r {
            SyncResponse::Loaded(d) => {
                self.data = Some(d);
                self.error = None;
            }
            SyncResponse::Done(done, d) => {
                self.data = Some(d);
                self.error = None;
                if let Some(status) = done_status(&done) {
                    cx.say(status);
                }
                if let Done::RosterChecked(p) = *done {
                    self.ask = Some(Ask::RosterPreview(p));
                }
            }
            SyncResponse::Failed(e) => {
                if self.data.is_none() {
                    self.error = Some(e.clone());
                }
                cx.say(Status::error(e));
            }
            SyncResponse::Progress { .. } => {}
        }
        self.list.scroll(self.conflict_count(), self.page());
    }

    /// The open question's answer.
    fn submit(&mut self, cx: &mut Cx) {
        match self.ask.take() {
            Some(Ask::Peer(input)) => {
                let peer = input.value().trim().to_string();
                let peer = (!peer.is_empty()).then_some(peer);
                let sign = self.settings.sign;
                cx.say(Status::info(tr!("sync.tui.exporting")));
                self.send(
                    SyncRequest::Export {
                        peer,
                        sign,
                        names: None,
                    },
                    cx,
                );
            }
            Some(Ask::File(input)) => {
                let path = input.value().trim().to_string();
                if path.is_empty() {
                    cx.say(Status::info(tr!("sync.tui.no_file")));
                } else {
                    let path = expand_home(&path);
                    let require_signature = self.settings.require_signature;
                    cx.say(Status::info(tr!(
                        "sync.tui.importing",
                        path = path.display()
                    )));
                    self.send(
                        SyncRequest::Import {
                            path,
                            require_signature,
                        },
                        cx,
                    );
                }
            }
            Some(Ask::Restore { n, .. }) => self.send(SyncRequest::Restore { n }, cx),
            Some(Ask::Roster(input)) => {
                let path = input.value().trim().to_string();
                if path.is_empty() {
                    cx.say(Status::info(tr!("sync.tui.no_file")));
                } else {
                    let path = expand_home(&path);
                    cx.say(Status::info(tr!(
                        "sync.tui.roster_checking",
                        path = path.display()
                    )));
                    self.send(SyncRequest::RosterPreview { path }, cx);
                }
            }
            Some(Ask::RosterPreview(p)) if p.ok => {
                cx.say(Status::info(tr!(
                    "sync.tui.roster_importing",
                    path = p.path.display()
                )));
                self.send(SyncRequest::RosterImport { path: p.path }, cx);
            }
            Some(Ask::RosterPreview(_)) | None => {}
        }
    }

    /// `x`: the peer question, or first this office's name and network
    /// when no network is set (a fresh database).
    fn export(&mut self, cx: &mut Cx) {
        match self.data.as_ref().map(|d| d.status.network.is_some()) {
            None => cx.say(Status::info(tr!("sync.tui.loading"))),
            Some(true) => self.ask = Some(Ask::Peer(TextInput::new())),
            Some(false) => self.setup = Some(Box::new(setup::form(self.office.as_deref()))),
        }
    }

    /// The office-and-network form's keys: saved, the export goes on with
    /// the names (everything: there are no peers yet).
    fn setup_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        let Some(form) = self.setup.as_mut() else {
            return false;
        };
        match action {
            Action::FormSave => {
                if let Some(names) = setup::names(form) {
                    self.setup = None;
                    let sign = self.settings.sign;
                    cx.say(Status::info(tr!("sync.tui.exporting")));
                    let names = Some(names);
                    self.send(
                        SyncRequest::Export {
                            peer: None,
                            sign,
                            names,
                        },
                        cx,
                    );
                }
            }
            Action::FormCancel => {
                if super::cancel_form(form, cx) {
                    self.setup = None;
                }
            }
            Action::FormNext => form.focus_next(),
            Action::FormPrev => form.focus_prev(),
            _ => return false,
        }
        true
    }

    fn ask_restore(&mut self, cx: &mut Cx) {
        let Some((row, names)) = self
            .data
            .as_ref()
            .and_then(|d| Some((d.conflicts.get(self.list.sel)?, &d.names)))
        else {
            cx.say(Status::info(tr!("sync.no_conflicts")));
            return;
        };
        let text = tr!(
            "sync.tui.restore_ask",
            record = record_name(row, names),
            field = field_text(row.kind, &row.field),
            value = value_text(row.kind, &row.field, &row.loser.value, names)
        );
        self.ask = Some(Ask::Restore { n: row.n, text });
    }

    fn page(&self) -> usize {
        view::conflict_rows(self, self.area)
    }
}

/// `~/x` as the home directory's `x`.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// A conflict's record as people name it: 组织「北山读书会」.
pub fn record_name(row: &crate::sync::ConflictRow, names: &NameBook) -> String {
    names.labeled(row.kind, &row.id, &row.title)
}

/// The bottom-bar message for what was done.
fn done_status(done: &Done) -> Option<Status> {
    Some(match done {
        Done::Exported {
            path,
            asked,
            report,
        } => {
            // The path first, from `~`: it is what the user needs, and it
            // fits at 80 columns.
            let mut text = tr!(
                "sync.tui.exported",
                n = report.ops,
                path = crate::tui::export::shown_path(path),
                size = crate::sync::describe::human_size(report.size)
            );
            if report.full {
                text += &tr!("sync.exported_full");
            }
            if report.signed {
                text += &format!(" [{}]", tr!("sync.signed"));
            }
            match (asked, &report.peer) {
                (Some(p), None) => Status::warn(format!(
                    "{} {text}",
                    tr!("sync.exported_unknown_peer", peer = p)
                )),
                _ => Status::ok(text),
            }
        }
        Done::Imported(r) => {
            let mut text = match &r.signature {
                Signature::Trusted(o) => format!("{} ", tr!("sync.signature_trusted", office = o)),
                _ => String::new(),
            };
            text += &match &r.applied {
                None => tr!("sync.verified", office = r.office, n = r.ops),
                Some(a) if a.new == 0 => {
                    tr!("sync.imported_nothing", office = r.office, n = a.known)
                }
                Some(a) => tr!(
                    "sync.imported",
                    office = r.office,
                    new = a.new,
                    known = a.known,
                    conflicts = a.conflicts
                ),
            };
            let notes = r
                .applied
                .as_ref()
                .map(|a| crate::sync::describe::import_notes(a, &r.office))
                .unwrap_or_default();
            for note in &notes {
                text += " ";
                text += note;
            }
            match &r.applied {
                Some(a) if a.conflicts > 0 || !notes.is_empty() => Status::warn(text),
                _ => Status::ok(text),
            }
        }
        Done::Restored(row, names) => Status::ok(tr!(
            "sync.restored",
            record = record_name(row, names),
            field = field_text(row.kind, &row.field),
            value = value_text(row.kind, &row.field, &row.loser.value, names)
        )),
        // The preview opens; the bottom bar no longer says "checking".
        Done::RosterChecked(p) if p.ok => {
            Status::info(p.lines.first().cloned().unwrap_or_default())
        }
        Done::RosterChecked(_) => Status::warn(tr!("sync.tui.roster_fix")),
        Done::RosterImported { path, summary } => Status::ok(tr!(
            "sync.tui.roster_imported",
            path = crate::tui::export::shown_path(path),
            created = summary.created,
            updated = summary.updated,
            skipped = summary.skipped
        )),
    })
}

/// The draft key of the office-and-network form.
const SETUP_FORM: &str = "sync-setup-form";

impl Pane for SyncPane {
    fn draft(&self) -> Option<crate::tui::draft::Draft> {
        let form = self.setup.as_deref()?;
        crate::tui::draft::Draft::of(SETUP_FORM, crate::tui::draft::DraftMode::Add, form)
    }

    fn restore(
        &mut self,
        d: Box<crate::tui::draft::Draft>,
        _cx: &mut Cx,
    ) -> Result<(), Box<crate::tui::draft::Draft>> {
        if d.key != SETUP_FORM {
            return Err(d);
        }
        let mut form = setup::form(self.office.as_deref());
        form.apply_draft(&d.form);
        self.setup = Some(Box::new(form));
        Ok(())
    }
    fn on_store(&mut self, r: crate::tui::worker::Response, cx: &mut Cx) {
        if let crate::tui::worker::Response::Sync(r) = r {
            self.on_response(*r, cx);
        }
    }

    fn discard_form(&mut self) {
        self.setup = None;
    }

    fn title_key(&self) -> &'static str {
        "sync.tui.title"
    }

    fn form(&self) -> Option<&Form> {
        self.setup.as_deref()
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        self.setup.as_deref_mut()
    }

    fn contexts(&self) -> &'static [Context] {
        if self.setup.is_some() {
            return &[Context::Form];
        }
        match self.ask {
            Some(Ask::Peer(_) | Ask::File(_) | Ask::Roster(_)) => &[Context::Picker],
            Some(Ask::Restore { .. } | Ask::RosterPreview(_)) => &[Context::Confirm],
            None => &[Context::Sync, Context::List],
        }
    }

    fn text_focus(&self) -> bool {
        self.setup.is_some()
            || matches!(self.ask, Some(Ask::Peer(_) | Ask::File(_) | Ask::Roster(_)))
    }

    fn wants_key_first(&self) -> bool {
        self.ask.is_some()
    }

    fn reconnected(&mut self, cx: &mut Cx) {
        self.busy = false;
        self.data = None;
        if cx.shown {
            self.send(SyncRequest::Load, cx);
        }
    }

    fn on_show(&mut self, cx: &mut Cx) {
        if self.data.is_none() && !self.busy {
            self.send(SyncRequest::Load, cx);
        }
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        if self.setup.is_some() {
            return self.setup_action(action, cx);
        }
        if self.ask.is_some() {
            return false;
        }
        match action {
            Action::SyncReload => {
                if !self.busy {
                    self.send(SyncRequest::Load, cx);
                }
            }
            Action::SyncExport => self.export(cx),
            Action::SyncImport => self.ask = Some(Ask::File(TextInput::new())),
            Action::SyncImportOrgs => self.ask = Some(Ask::Roster(TextInput::new())),
            Action::SyncRestore => self.ask_restore(cx),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                let (n, page) = (self.conflict_count(), self.page());
                self.list.apply(action, n, page);
            }
            _ => return false,
        }
        true
    }

    /// While a question is open every key is the question's: its keymap
    /// section decides accept/cancel, other keys edit the text.
    fn on_key(&mut self, ev: KeyEvent, cx: &mut Cx) -> bool {
        if let Some(form) = self.setup.as_mut() {
            return form.handle_key(ev);
        }
        if self.ask.is_none() {
            return false;
        }
        let action = match Key::from_event(&ev) {
            Some(k) => match cx.keymap.lookup(self.contexts(), &[k]) {
                Lookup::Action(a) => Some(a),
                _ => None,
            },
            None => None,
        };
        match action {
            Some(Action::PickerAccept | Action::ConfirmYes) => self.submit(cx),
            Some(Action::PickerCancel | Action::ConfirmNo) => self.ask = None,
            _ => {
                if let Some(Ask::Peer(input) | Ask::File(input) | Ask::Roster(input)) =
                    &mut self.ask
                {
                    input.handle_key(ev);
                }
            }
        }
        true
    }

    fn on_paste(&mut self, text: &str, _cx: &mut Cx) -> bool {
        if let Some(form) = self.setup.as_mut() {
            return form.paste(text);
        }
        match &mut self.ask {
            Some(Ask::Peer(input) | Ask::File(input) | Ask::Roster(input)) => {
                input.paste(text);
                true
            }
            _ => false,
        }
    }

    fn commands(&self, _shared: &Shared) -> Vec<Action> {
        if self.setup.is_some() {
            return super::FORM_COMMANDS.to_vec();
        }
        match self.ask {
            Some(Ask::Peer(_) | Ask::File(_) | Ask::Roster(_)) => {
                vec![Action::PickerAccept, Action::PickerCancel]
            }
            Some(Ask::Restore { .. }) => vec![Action::ConfirmYes, Action::ConfirmNo],
            Some(Ask::RosterPreview(ref p)) if p.ok => vec![Action::ConfirmYes, Action::ConfirmNo],
            Some(Ask::RosterPreview(_)) => vec![Action::ConfirmNo],
            None => {
                let mut out = vec![
                    Action::SyncExport,
                    Action::SyncImport,
                    Action::SyncImportOrgs,
                ];
                if self.conflict_count() > 0 {
                    out.push(Action::SyncRestore);
                    out.push(Action::Down);
                }
                out.push(Action::SyncReload);
                out
            }
        }
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
        self.list.scroll(self.conflict_count(), self.page());
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        view::render(self, area, buf, rx)
    }
}
