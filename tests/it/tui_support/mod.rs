//! Test harness for the terminal app: an `App` wired to a real store in a
//! temporary directory, the store worker's answers delivered synchronously
//! (the same `serve` the worker thread runs), and rendering on ratatui's
//! `TestBackend`.

#![allow(dead_code)]

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use sanshe::model::{Lang, Record};
use sanshe::store::{replica_tag, Store};
use sanshe::tui::app::{App, Effect};
use sanshe::tui::keymap::Keymap;
use sanshe::tui::theme::Theme;
use sanshe::tui::ui;
use sanshe::tui::worker::serve;

/// The date tests run at (the demo data's reference date).
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

pub struct Harness {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub app: App,
    /// Effects other than store requests (drafts), in order.
    pub other: Vec<Effect>,
    pub lang: Lang,
}

impl Harness {
    /// An app on a store holding `records`, loaded, at `w` x `h`.
    pub fn new(lang: Lang, records: Vec<Record>, cols: u16, rows: u16) -> Harness {
        Harness::with_keymap(lang, records, cols, rows, Keymap::default_map().unwrap())
    }

    pub fn with_keymap(
        lang: Lang,
        records: Vec<Record>,
        cols: u16,
        rows: u16,
        keymap: Keymap,
    ) -> Harness {
        sanshe::text::set_lang(lang);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        sanshe::demo::load(&store, records).unwrap();
        let app = App::new(keymap, Theme::monochrome(), today());
        let mut h = Harness {
            dir,
            store,
            app,
            other: Vec::new(),
            lang,
        };
        h.app.resize(cols, rows);
        let fx = h.app.start();
        h.pump(fx);
        h
    }

    /// The demo township from the fixtures.
    pub fn demo(lang: Lang, cols: u16, rows: u16) -> Harness {
        Harness::new(lang, sanshe::demo::fixture_records().unwrap(), cols, rows)
    }

    /// Runs effects: store requests are answered at once and the answers
    /// fed back, until nothing is left.
    pub fn pump(&mut self, fx: Vec<Effect>) {
        sanshe::text::set_lang(self.lang);
        let mut queue = fx;
        while !queue.is_empty() {
            let mut next = Vec::new();
            for e in queue {
                match e {
                    Effect::Store(req) => {
                        let mut answers = Vec::new();
                        serve(&self.store, req, &mut |r| {
                            answers.push(r);
                            true
                        });
                        for r in answers {
                            next.extend(self.app.on_store(r));
                        }
                    }
                    other => self.other.push(other),
                }
            }
            queue = next;
        }
    }

    /// Presses one key, in keymap notation (`a`, `<C-s>`, `<Esc>`...).
    pub fn key(&mut self, k: &str) {
        sanshe::text::set_lang(self.lang);
        let ev = key_event(k);
        let fx = self.app.on_key(ev);
        self.pump(fx);
    }

    /// Presses keys separated by spaces.
    pub fn keys(&mut self, ks: &str) {
        for k in ks.split_whitespace() {
            self.key(k);
        }
    }

    /// Types text character by character (Chinese too).
    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            let fx = self
                .app
                .on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            self.pump(fx);
        }
    }

    /// Pastes text.
    pub fn paste(&mut self, s: &str) {
        let fx = self.app.on_paste(s);
        self.pump(fx);
    }

    /// Runs an action.
    pub fn action(&mut self, a: sanshe::tui::action::Action) {
        sanshe::text::set_lang(self.lang);
        let fx = self.app.update(a);
        self.pump(fx);
    }

    /// The screen as text, one line per row, with the database's id tag
    /// replaced by `xxxxxx` (same width, so the layout is kept).
    pub fn screen(&self) -> String {
        sanshe::text::set_lang(self.lang);
        let (w, h) = (self.app.shell.screen.width, self.app.shell.screen.height);
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| ui::draw(&self.app, f)).unwrap();
        let tag = replica_tag(&self.store.info().replica);
        buffer_text(term.backend().buffer()).replace(&tag, "xxxxxx")
    }

    /// Where the terminal cursor is after drawing (`None`: hidden).
    pub fn cursor(&self) -> Option<(u16, u16)> {
        let (w, h) = (self.app.shell.screen.width, self.app.shell.screen.height);
        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, w, h));
        ui::render(&self.app, self.app.shell.screen, &mut buf).map(|p| (p.x, p.y))
    }
}

/// The buffer as text: one line per row, trailing spaces kept, the cell
/// after a wide character skipped (it is covered by it).
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            skip = sym.width().saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// A crossterm key event for a key in keymap notation.
pub fn key_event(k: &str) -> KeyEvent {
    use sanshe::tui::key::{Code, Key};
    let key = Key::parse(k).unwrap_or_else(|| panic!("bad key {k}"));
    let mut mods = KeyModifiers::NONE;
    if key.ctrl {
        mods |= KeyModifiers::CONTROL;
    }
    if key.alt {
        mods |= KeyModifiers::ALT;
    }
    let code = match key.code {
        Code::Char(c) => KeyCode::Char(c),
        Code::Enter => KeyCode::Enter,
        Code::Esc => KeyCode::Esc,
        Code::Tab => KeyCode::Tab,
        Code::BackTab => {
            mods |= KeyModifiers::SHIFT;
            KeyCode::BackTab
        }
        Code::Backspace => KeyCode::Backspace,
        Code::Delete => KeyCode::Delete,
        Code::Insert => KeyCode::Insert,
        Code::Up => KeyCode::Up,
        Code::Down => KeyCode::Down,
        Code::Left => KeyCode::Left,
        Code::Right => KeyCode::Right,
        Code::Home => KeyCode::Home,
        Code::End => KeyCode::End,
        Code::PageUp => KeyCode::PageUp,
        Code::PageDown => KeyCode::PageDown,
        Code::F(n) => KeyCode::F(n),
    };
    KeyEvent::new(code, mods)
}
