//! The terminal app: event loop, keymap, actions, panes, popups, widgets,
//! theme. See `docs/ARCHITECTURE.md`.
//!
//! Where things are:
//! - `mod.rs` (this file): [`run`] and the event loop;
//! - `app.rs`: the state and its update (`App::on_key`, `App::update`), no terminal;
//! - `event.rs`: the input and signal threads; `worker.rs`: the store thread;
//! - `terminal.rs`: setup and the one restore; `screen.rs`: byte-lean drawing;
//! - `action.rs`, `key.rs`, `keymap.rs`: named actions, key notation, keymap files;
//! - `panes/`: one module per pane (`orgs/`, `linkage/`; registered in
//!   `app.rs`'s `pane_list!`); `popups/`: form, confirm, help, picker;
//! - `ui.rs`: top bar, bottom bar, which-key; `draft.rs`: unsaved forms;
//! - `widgets/`, `org_form.rs`: text input, forms, the organization form.

pub mod action;
pub mod app;
pub mod common;
pub mod draft;
pub mod event;
pub mod export;
pub mod key;
pub mod keymap;
pub mod org_form;
mod others;
pub mod panes;
pub mod popups;
pub mod remote;
pub mod screen;
pub mod shell;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod undo;
pub mod widgets;
pub mod worker;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::model::Lang;

use app::{App, Effect};
use event::Event;
use keymap::Keymap;
use terminal::Term;
use theme::Theme;
use worker::Request;

/// How the app is started.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// A shipped keymap name (`default`, `emacs`, `vim`) or a file path;
    /// `None`: the default. `keymap.toml` in the config directory is laid
    /// over it either way.
    pub keymap: Option<String>,
    /// The database directory (drafts are kept beside it).
    pub db_path: PathBuf,
    pub lang: Lang,
}

/// How long a draw may wait for an answer already on its way (the detail
/// of a newly selected row), so that a move and its detail go out as one
/// frame.
const HOLD_DETAIL: Duration = Duration::from_millis(100);
/// How long the first draw may wait for the data, so that the first screen
/// is the table rather than "loading" followed by the table (the terminal
/// stays as it is until then).
const HOLD_LOAD: Duration = Duration::from_millis(1000);

/// Runs the app on the terminal until the user quits or a signal (SIGTERM,
/// SIGHUP, SIGINT) or a closed terminal ends it. An unsaved form is then
/// kept as a draft beside the database. The terminal is restored on every
/// way out, panics included. Keymap errors are reported before the
/// terminal is touched.
pub fn run(opts: TuiOptions) -> anyhow::Result<()> {
    crate::text::set_lang(opts.lang);
    let config_dir = crate::config::config_dir();
    let keymap = Keymap::load(opts.keymap.as_deref(), config_dir.as_deref())?;
    let today = chrono::Local::now().date_naive();
    let mut app = App::new(keymap, Theme::from_env(), today);
    // The 三社联动 pane ranks with the `[matching]` weights, as `sanshe match`
    // does, and the sync pane signs as `[sync]` says and offers `office`
    // as this office's name (a broken config was already reported by the
    // command line).
    if let Ok(c) = crate::config::Config::load() {
        app.panes.linkage.weights = c.matching.unwrap_or_default();
        app.panes.sync.settings = c.sync;
        app.panes.sync.office = c.office;
    }
    for d in draft::load_all(&opts.db_path) {
        app.offer_draft(d);
    }
    app.shell.user = uzers::get_current_username().map(|u| u.to_string_lossy().into_owned());
    let (tx, rx) = mpsc::channel::<Event>();
    // The database's server (started when none runs) holds the store.
    let (store_tx, worker) = remote::spawn(opts.db_path.clone(), opts.lang, tx.clone())
        .map_err(|e| anyhow::anyhow!(e.message(&opts.db_path)))?;
    let start = app.start();
    apply(start, &store_tx, &opts.db_path)?;
    event::spawn_signals(tx.clone()).context("signal handlers")?;
    let (mut term, guard) = terminal::setup().context("terminal setup")?;
    event::spawn_input(tx).context("input thread")?;
    let (w, h) = terminal::size()?;
    app.resize(w, h);
    let result = event_loop(&mut app, &mut term, &rx, &store_tx, &opts.db_path);
    drop(term);
    drop(guard);
    // Let the worker finish what it was doing (a save in progress stays
    // saved) and close the store.
    drop(store_tx);
    let _ = worker.join();
    result
}

/// Runs effects: requests to the worker, draft files.
fn apply(effects: Vec<Effect>, store: &Sender<Request>, db: &Path) -> anyhow::Result<()> {
    for e in effects {
        match e {
            Effect::Store(r) => store
                .send(r)
                .map_err(|_| anyhow::anyhow!("the store thread stopped"))?,
            Effect::RemoveDraft => {
                let _ = draft::remove(db);
            }
        }
    }
    Ok(())
}

/// The loop: block for an event, take every event queued, update, and
/// draw once if anything changed. No ticks: an idle app writes nothing.
fn event_loop(
    app: &mut App,
    term: &mut Term,
    rx: &Receiver<Event>,
    store: &Sender<Request>,
    db: &Path,
) -> anyhow::Result<()> {
    let mut dirty = true;
    let mut held_since: Option<Instant> = None;
    let mut drawn = false;
    loop {
        if dirty {
            let hold = if app.shell.loading && !drawn {
                Some(HOLD_LOAD)
            } else if app.shell.awaiting > 0 {
                Some(HOLD_DETAIL)
            } else {
                None
            };
            let since = *held_since.get_or_insert_with(Instant::now);
            if hold.is_none_or(|h| since.elapsed() >= h) {
                if !drawn {
                    terminal::entering();
                }
                let area = app.shell.screen;
                term.draw(area, |buf| ui::render(app, area, buf))?;
                dirty = false;
                drawn = true;
                held_since = None;
            }
        }
        let first = if dirty {
            let since = held_since.unwrap_or_else(Instant::now);
            let limit = if app.shell.loading {
                HOLD_LOAD
            } else {
                HOLD_DETAIL
            };
            let left = limit.saturating_sub(since.elapsed());
            match rx.recv_timeout(left) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match rx.recv() {
                Ok(e) => e,
                Err(_) => return Ok(()),
            }
        };
        let mut next = Some(first);
        while let Some(ev) = next {
            match ev {
                Event::Signal(_) | Event::InputClosed => {
                    for d in app.drafts() {
                        draft::save(db, &d).context("keeping the unsaved form as a draft")?;
                    }
                    return Ok(());
                }
                ev => {
                    let fx = app.handle(ev);
                    apply(fx, store, db)?;
                }
            }
            // A key that changed nothing (too small a window, Esc with
            // nothing to close) draws nothing.
            dirty |= !app.shell.quiet;
            if app.shell.quit {
                return Ok(());
            }
            next = rx.try_recv().ok();
        }
    }
}
