//! A single-line text editor that is correct with Chinese: the caret sits on
//! a grapheme boundary, columns are display widths (a Chinese character takes
//! two), deletion removes whole graphemes (a combining sequence or an emoji
//! with joiners goes in one Backspace), and the view scrolls horizontally so
//! the caret stays visible without ever drawing half of a wide character.
//!
//! `render` returns where the terminal's real cursor must go: over SSH the
//! input method runs on the user's computer and opens its candidate window
//! at the real cursor.

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;

use super::width::{fill, grapheme_width, str_width};

/// Most characters one input holds: a bound on memory and per-key work when
/// something huge is pasted by mistake. Form fields have smaller limits of
/// their own, reported by validation rather than by silently cutting.
pub const INPUT_LIMIT: usize = 10_000;

/// A single-line text editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Byte offset of the caret, always on a grapheme boundary.
    cursor: usize,
    /// First display column shown; adjusted when drawing so that the caret
    /// is visible and the view moves as little as possible.
    scroll: Cell<usize>,
    /// The whole text is selected (a value the program filled in): the
    /// first character typed or pasted replaces it; moving the caret or
    /// deleting edits it instead.
    selected: bool,
}

/// Kinds of grapheme for word-wise deletion and movement: a run of Chinese,
/// a run of letters and digits, and punctuation are separate words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Wide,
    Word,
    Punct,
}

fn class(g: &str) -> Class {
    let c = g.chars().next().unwrap_or(' ');
    if c.is_whitespace() {
        Class::Space
    } else if grapheme_width(g) >= 2 {
        Class::Wide
    } else if c.is_alphanumeric() || c == '_' {
        Class::Word
    } else {
        Class::Punct
    }
}

/// Makes pasted or typed text fit on one line: line breaks and tabs become
/// single spaces (leading and trailing line breaks are dropped), other
/// control characters are removed.
pub fn one_line(s: &str) -> String {
    let trimmed = s.trim_matches(|c| c == '\n' || c == '\r');
    let mut out = String::with_capacity(trimmed.len());
    let mut last_break = false;
    for c in trimmed.chars() {
        if c == '\n' || c == '\r' {
            if !last_break {
                out.push(' ');
            }
            last_break = true;
            continue;
        }
        last_break = false;
        if c == '\t' {
            out.push(' ');
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out
}

impl TextInput {
    /// An empty input.
    pub fn new() -> Self {
        TextInput::default()
    }

    /// An input holding `value`, caret at the end.
    pub fn with_value(value: &str) -> Self {
        let mut t = TextInput::new();
        t.set_value(value);
        t
    }

    /// The text.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Replaces the text (made single-line) and puts the caret at the end.
    pub fn set_value(&mut self, value: &str) {
        self.value = one_line(value);
        truncate_chars(&mut self.value, INPUT_LIMIT);
        self.cursor = self.value.len();
        self.scroll.set(0);
        self.selected = false;
    }

    /// Selects the whole text, so that the next character typed replaces
    /// it (a pre-filled value: today's date, last year's period).
    pub fn select_all(&mut self) {
        self.selected = !self.value.is_empty();
    }

    /// True while the whole text is selected.
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Empties the input.
    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
        self.scroll.set(0);
        self.selected = false;
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Byte offset of the caret in `value()`.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Display column of the caret, relative to the start of the text.
    pub fn cursor_col(&self) -> usize {
        str_width(&self.value[..self.cursor])
    }

    /// Display width of the whole text.
    pub fn width(&self) -> usize {
        str_width(&self.value)
    }

    /// Moves the caret to the start.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves the caret to the end.
    pub fn end(&mut self) {
        self.cursor = self.value.len();
    }

    /// Handles an editing key. Returns true if the key was used (the text or
    /// the caret may have changed); false for keys an input does not use
    /// (Enter, Tab, Esc, Up/Down, function keys, unknown Ctrl chords), which
    /// the caller then looks up in its keymap.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        if key.kind == KeyEventKind::Release {
            return false;
        }
        let selected = std::mem::take(&mut self.selected);
        let used = self.edit(key, selected);
        if !used {
            self.selected = selected;
        }
        used
    }

    /// [`handle_key`](Self::handle_key) once the selection is dropped;
    /// `selected`: it was there, so a typed character replaces the text.
    fn edit(&mut self, key: KeyEvent, selected: bool) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if ctrl && !alt => match c.to_ascii_lowercase() {
                'a' => self.home(),
                'e' => self.end(),
                'b' => self.left(),
                'f' => self.right(),
                'h' => self.backspace(),
                'w' => self.delete_word_back(),
                'u' => self.delete_to_start(),
                'k' => self.delete_to_end(),
                _ => return false,
            },
            KeyCode::Char(c) if alt && !ctrl => match c {
                'b' => self.word_left(),
                'f' => self.word_right(),
                'd' => self.delete_word_forward(),
                _ => return false,
            },
            KeyCode::Char(c) if !ctrl && !alt => {
                if c.is_control() {
                    return false;
                }
                if selected {
                    self.clear();
                }
                let mut tmp = [0u8; 4];
                self.insert(c.encode_utf8(&mut tmp));
            }
            KeyCode::Backspace if ctrl || alt => self.delete_word_back(),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete if ctrl || alt => self.delete_word_forward(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left if ctrl || alt => self.word_left(),
            KeyCode::Right if ctrl || alt => self.word_right(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Home => self.home(),
            KeyCode::End => self.end(),
            _ => return false,
        }
        true
    }

    /// Inserts pasted text at the caret. Line breaks and tabs become spaces:
    /// a paste never submits anything.
    pub fn paste(&mut self, s: &str) {
        let line = one_line(s);
        if std::mem::take(&mut self.selected) && !line.is_empty() {
            self.clear();
        }
        self.insert(&line);
    }

    /// Inserts text (already single-line) at the caret, up to [`INPUT_LIMIT`] characters.
    pub fn insert(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let room = INPUT_LIMIT.saturating_sub(self.value.chars().count());
        let s = match s.char_indices().nth(room) {
            Some((i, _)) => &s[..i],
            None => s,
        };
        self.value.insert_str(self.cursor, s);
        self.cursor += s.len();
        self.snap_forward();
    }

    /// Moves the caret one grapheme left.
    pub fn left(&mut self) {
        self.cursor = self.prev_boundary(self.cursor);
    }

    /// Moves the caret one grapheme right.
    pub fn right(&mut self) {
        self.cursor = self.next_boundary(self.cursor);
    }

    /// Moves the caret to the start of the previous word.
    pub fn word_left(&mut self) {
        self.cursor = self.word_start_before(self.cursor);
    }

    /// Moves the caret past the end of the next word.
    pub fn word_right(&mut self) {
        self.cursor = self.word_end_after(self.cursor);
    }

    /// Deletes the grapheme before the caret.
    pub fn backspace(&mut self) {
        let start = self.prev_boundary(self.cursor);
        self.value.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Deletes the grapheme under the caret.
    pub fn delete(&mut self) {
        let end = self.next_boundary(self.cursor);
        self.value.replace_range(self.cursor..end, "");
    }

    /// Deletes the word before the caret (and the spaces after it).
    pub fn delete_word_back(&mut self) {
        let start = self.word_start_before(self.cursor);
        self.value.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Deletes from the caret to the end of the next word.
    pub fn delete_word_forward(&mut self) {
        let end = self.word_end_after(self.cursor);
        self.value.replace_range(self.cursor..end, "");
    }

    /// Deletes everything before the caret.
    pub fn delete_to_start(&mut self) {
        self.value.replace_range(..self.cursor, "");
        self.cursor = 0;
    }

    /// Deletes everything after the caret.
    pub fn delete_to_end(&mut self) {
        self.value.truncate(self.cursor);
    }

    fn prev_boundary(&self, at: usize) -> usize {
        self.value[..at]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self, at: usize) -> usize {
        self.value[at..]
            .graphemes(true)
            .next()
            .map_or(at, |g| at + g.len())
    }

    fn word_start_before(&self, at: usize) -> usize {
        let mut it = self.value[..at].grapheme_indices(true).rev().peekable();
        let mut pos = at;
        while let Some((i, g)) = it.peek().copied() {
            if class(g) != Class::Space {
                break;
            }
            pos = i;
            it.next();
        }
        if let Some((_, g)) = it.peek().copied() {
            let c = class(g);
            while let Some((i, g)) = it.peek().copied() {
                if class(g) != c {
                    break;
                }
                pos = i;
                it.next();
            }
        }
        pos
    }

    fn word_end_after(&self, at: usize) -> usize {
        let mut it = self.value[at..].grapheme_indices(true).peekable();
        let mut pos = at;
        while let Some((i, g)) = it.peek().copied() {
            if class(g) != Class::Space {
                break;
            }
            pos = at + i + g.len();
            it.next();
        }
        if let Some((_, g)) = it.peek().copied() {
            let c = class(g);
            while let Some((i, g)) = it.peek().copied() {
                if class(g) != c {
                    break;
                }
                pos = at + i + g.len();
                it.next();
            }
        }
        pos
    }

    /// After an insertion the caret may sit inside a grapheme (a combining
    /// mark typed before existing text): move it to the next boundary.
    fn snap_forward(&mut self) {
        if self.cursor >= self.value.len() {
            self.cursor = self.value.len();
            return;
        }
        let mut start = 0;
        for g in self.value.graphemes(true) {
            let end = start + g.len();
            if start >= self.cursor {
                self.cursor = start;
                return;
            }
            if end > self.cursor {
                self.cursor = end;
                return;
            }
            start = end;
        }
        self.cursor = self.value.len();
    }

    /// The first visible column for a view `width` columns wide: the previous
    /// scroll if the caret (and the character under it) is still inside,
    /// otherwise the smallest move that brings it in.
    fn scroll_for(&self, width: usize) -> usize {
        let caret = self.cursor_col();
        let under = self.value[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(1, |g| grapheme_width(g).max(1));
        let total = self.width() + 1;
        let mut s = self.scroll.get();
        if caret < s {
            s = caret;
        }
        if caret + under > s + width {
            s = (caret + under).saturating_sub(width);
        }
        // Never leave blank space on the right while text is hidden on the left.
        if total <= width {
            s = 0;
        } else {
            s = s.min(total - width);
        }
        if caret < s {
            s = caret;
        }
        s
    }

    /// Draws the text on the first row of `area` in `style` (the whole row
    /// is filled with it) and returns where the terminal cursor must be
    /// placed: the caret. `None` if the area is empty.
    pub fn render(&self, area: Rect, buf: &mut Buffer, style: Style) -> Option<Position> {
        let area = area.intersection(buf.area);
        if area.width == 0 || area.height == 0 {
            return None;
        }
        let width = area.width as usize;
        let scroll = self.scroll_for(width);
        self.scroll.set(scroll);
        fill(buf, area.x, area.y, width, style);
        // Selected text is shown reversed: typing replaces it.
        let text_style = if self.selected {
            style.add_modifier(Modifier::REVERSED)
        } else {
            style
        };
        let mut col = 0usize; // column in the text
        for g in self.value.graphemes(true) {
            let w = grapheme_width(g);
            if w == 0 {
                continue;
            }
            let start = col;
            col += w;
            if col <= scroll {
                continue;
            }
            if start >= scroll + width {
                break;
            }
            if start < scroll || col > scroll + width {
                // Cut by an edge of the view: its visible half stays blank.
                continue;
            }
            let x = area.x + (start - scroll) as u16;
            buf[(x, area.y)].set_symbol(g).set_style(text_style);
            for i in 1..w as u16 {
                buf[(x + i, area.y)].reset();
                buf[(x + i, area.y)].set_style(text_style);
            }
        }
        let caret = self.cursor_col().saturating_sub(scroll).min(width - 1);
        Some(Position::new(area.x + caret as u16, area.y))
    }
}

fn truncate_chars(s: &mut String, max: usize) {
    if let Some((i, _)) = s.char_indices().nth(max) {
        s.truncate(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(s: &str) -> TextInput {
        let mut t = TextInput::new();
        for c in s.chars() {
            assert!(t.handle_key(key(KeyCode::Char(c))));
        }
        t
    }

    fn row(buf: &Buffer, y: u16) -> String {
        let mut s = String::new();
        let mut skip = 0;
        for x in buf.area.left()..buf.area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            s.push_str(sym);
            skip = grapheme_width(sym).saturating_sub(1);
        }
        s
    }

    #[test]
    fn chinese_cursor_column() {
        let mut t = typed("社区");
        assert_eq!(t.value(), "社区");
        assert_eq!(t.cursor_col(), 4);
        t.left();
        assert_eq!(t.cursor_col(), 2);
        t.handle_key(key(KeyCode::Char('a')));
        assert_eq!(t.value(), "社a区");
        assert_eq!(t.cursor_col(), 3);
        t.handle_key(ctrl('a'));
        assert_eq!(t.cursor_col(), 0);
        t.handle_key(ctrl('e'));
        assert_eq!(t.cursor_col(), 5);
    }

    #[test]
    fn backspace_removes_one_grapheme() {
        let mut t = typed("望江门");
        t.backspace();
        assert_eq!(t.value(), "望江");
        // A combining sequence is one grapheme.
        let mut t = typed("cafe\u{301}");
        assert_eq!(t.cursor_col(), 4);
        assert!(t.handle_key(key(KeyCode::Backspace)));
        assert_eq!(t.value(), "caf");
        // A family emoji joined with ZWJ is one grapheme.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        let mut t = TextInput::with_value(&format!("社{family}"));
        t.handle_key(key(KeyCode::Backspace));
        assert_eq!(t.value(), "社");
        // Typed char by char, the sequence still deletes as one.
        let mut t = typed(&format!("a{family}"));
        t.handle_key(key(KeyCode::Backspace));
        assert_eq!(t.value(), "a");
        // Delete at the caret, and at the ends nothing happens.
        let mut t = TextInput::with_value("社区");
        t.home();
        t.backspace();
        assert_eq!(t.value(), "社区");
        t.handle_key(key(KeyCode::Delete));
        assert_eq!(t.value(), "区");
        t.end();
        t.delete();
        assert_eq!(t.value(), "区");
    }

    #[test]
    fn combining_mark_before_text_keeps_caret_on_boundary() {
        let mut t = TextInput::with_value("\u{301}x");
        t.home();
        t.insert("e");
        // "e" joined the mark: the caret moved past the whole grapheme.
        assert_eq!(t.cursor(), "e\u{301}".len());
        assert_eq!(t.cursor_col(), 1);
    }

    #[test]
    fn a_selected_value_is_replaced_by_typing_and_kept_by_editing_keys() {
        let mut t = TextInput::with_value("2026-11-28");
        t.select_all();
        assert!(t.is_selected());
        // Keys an input does not use leave the selection alone.
        assert!(!t.handle_key(key(KeyCode::Enter)));
        assert!(t.is_selected());
        t.handle_key(key(KeyCode::Char('-')));
        t.handle_key(key(KeyCode::Char('1')));
        assert_eq!(t.value(), "-1");
        assert!(!t.is_selected());
        // Moving the caret (or deleting) keeps the text to edit.
        let mut t = TextInput::with_value("2025");
        t.select_all();
        t.handle_key(key(KeyCode::Backspace));
        assert_eq!(t.value(), "202");
        t.handle_key(key(KeyCode::Char('6')));
        assert_eq!(t.value(), "2026");
        let mut t = TextInput::with_value("2025");
        t.select_all();
        t.handle_key(key(KeyCode::Home));
        t.handle_key(key(KeyCode::Char('x')));
        assert_eq!(t.value(), "x2025");
        // A paste replaces too; an empty input has nothing to select.
        let mut t = TextInput::with_value("2025");
        t.select_all();
        t.paste("2024H1");
        assert_eq!(t.value(), "2024H1");
        let mut t = TextInput::new();
        t.select_all();
        assert!(!t.is_selected());
    }

    #[test]
    fn selected_text_is_drawn_reversed() {
        let mut t = TextInput::with_value("t");
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        t.render(buf.area, &mut buf, Style::new());
        assert!(!buf[(0, 0)].modifier.contains(Modifier::REVERSED));
        t.select_all();
        t.render(buf.area, &mut buf, Style::new());
        assert!(buf[(0, 0)].modifier.contains(Modifier::REVERSED));
        assert!(!buf[(1, 0)].modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn word_and_line_deletion() {
        let mut t = TextInput::with_value("望江门社区 abc def");
        t.handle_key(ctrl('w'));
        assert_eq!(t.value(), "望江门社区 abc ");
        t.handle_key(ctrl('w'));
        assert_eq!(t.value(), "望江门社区 ");
        t.handle_key(ctrl('w'));
        assert_eq!(t.value(), "");
        let mut t = TextInput::with_value("湖滨街道,晴雨");
        t.handle_key(ctrl('w'));
        assert_eq!(t.value(), "湖滨街道,");
        let mut t = TextInput::with_value("湖滨晴雨");
        t.left();
        t.left();
        t.handle_key(ctrl('k'));
        assert_eq!(t.value(), "湖滨");
        t.left();
        t.handle_key(ctrl('u'));
        assert_eq!(t.value(), "滨");
        assert_eq!(t.cursor_col(), 0);
        let mut t = TextInput::with_value("ab 湖滨");
        t.home();
        t.handle_key(KeyEvent::new(KeyCode::Right, KeyModifiers::CONTROL));
        assert_eq!(t.cursor_col(), 2);
        t.handle_key(KeyEvent::new(KeyCode::Right, KeyModifiers::CONTROL));
        assert_eq!(t.cursor_col(), 7);
        t.handle_key(KeyEvent::new(KeyCode::Left, KeyModifiers::ALT));
        assert_eq!(t.cursor_col(), 3);
    }

    #[test]
    fn keys_not_used_are_refused() {
        let mut t = TextInput::new();
        assert!(!t.handle_key(key(KeyCode::Enter)));
        assert!(!t.handle_key(key(KeyCode::Tab)));
        assert!(!t.handle_key(key(KeyCode::Esc)));
        assert!(!t.handle_key(key(KeyCode::Up)));
        assert!(!t.handle_key(ctrl('s')));
        assert!(!t.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)));
        assert!(t.is_empty());
        assert!(t.handle_key(KeyEvent::new(KeyCode::Char('A'), KeyModifiers::SHIFT)));
        assert_eq!(t.value(), "A");
        let mut release = key(KeyCode::Char('b'));
        release.kind = KeyEventKind::Release;
        assert!(!t.handle_key(release));
        assert_eq!(t.value(), "A");
    }

    #[test]
    fn paste_stays_on_one_line() {
        let mut t = typed("地址：");
        t.paste("上城区\r\n湖滨街道\n\n东坡路 1 号\t2 楼\n");
        assert_eq!(t.value(), "地址：上城区 湖滨街道 东坡路 1 号 2 楼");
        assert!(!t.value().contains('\n'));
        assert_eq!(t.cursor(), t.value().len());
        t.home();
        t.paste("\u{7}x");
        assert_eq!(t.value(), "x地址：上城区 湖滨街道 东坡路 1 号 2 楼");
        assert_eq!(t.cursor_col(), 1);
    }

    #[test]
    fn paste_is_bounded() {
        let mut t = TextInput::new();
        t.paste(&"社".repeat(INPUT_LIMIT + 50));
        assert_eq!(t.value().chars().count(), INPUT_LIMIT);
        t.paste("x");
        assert_eq!(t.value().chars().count(), INPUT_LIMIT);
    }

    #[test]
    fn render_places_caret_and_text() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 2));
        let t = typed("社区ab");
        let pos = t.render(Rect::new(2, 1, 10, 1), &mut buf, Style::new());
        assert_eq!(pos, Some(Position::new(2 + 6, 1)));
        assert_eq!(row(&buf, 1), "  社区ab            ");
    }

    #[test]
    fn scrolling_keeps_caret_visible_and_never_splits_wide_chars() {
        let text = "望江门社区银龄互助会";
        let mut t = TextInput::with_value(text);
        let area = Rect::new(0, 0, 7, 1);
        for step in 0..=text.chars().count() {
            let mut buf = Buffer::empty(area);
            let pos = t.render(area, &mut buf, Style::new()).unwrap();
            let scroll = t.scroll.get();
            let caret = t.cursor_col();
            assert!(caret >= scroll && caret - scroll < 7, "step {step}");
            assert_eq!(pos.x as usize, caret - scroll);
            let line = row(&buf, 0);
            assert_eq!(str_width(&line), 7, "{line:?}");
            // Every drawn character is a whole one from the text.
            for c in line.chars().filter(|c| *c != ' ') {
                assert!(text.contains(c));
            }
            // The grapheme under the caret is drawn whole (unless at the end).
            if caret < t.width() {
                let g = t.value()[t.cursor()..].chars().next().unwrap();
                assert_eq!(buf[(pos.x, 0)].symbol(), g.to_string(), "step {step}");
            }
            t.left();
        }
        // At the start the view is back at column 0.
        assert_eq!(t.scroll.get(), 0);
        // Odd widths: moving right from the start scrolls by whole characters.
        let mut t = TextInput::with_value(text);
        t.home();
        for _ in 0..9 {
            let mut buf = Buffer::empty(area);
            let pos = t.render(area, &mut buf, Style::new()).unwrap();
            assert!((pos.x as usize) < 7);
            t.right();
        }
        // Caret on 会 (columns 18-19): the view starts at column 13, in the
        // middle of 龄, whose visible half is left blank.
        let mut buf = Buffer::empty(area);
        let pos = t.render(area, &mut buf, Style::new()).unwrap();
        assert_eq!(row(&buf, 0), " 互助会");
        assert_eq!(pos.x, 5);
        // The text ends at column 20; the caret is after it at the last column.
        t.right();
        let mut buf = Buffer::empty(area);
        let pos = t.render(area, &mut buf, Style::new()).unwrap();
        assert_eq!(row(&buf, 0), "互助会 ");
        assert_eq!(pos.x, 6);
    }

    #[test]
    fn view_does_not_jump_when_moving_inside_it() {
        let mut t = TextInput::with_value("abcdefghijklmnop");
        let area = Rect::new(0, 0, 8, 1);
        let mut buf = Buffer::empty(area);
        t.render(area, &mut buf, Style::new());
        let s = t.scroll.get();
        assert_eq!(s, 16 + 1 - 8);
        t.left();
        t.left();
        t.render(area, &mut buf, Style::new());
        assert_eq!(t.scroll.get(), s);
        // Deleting everything brings the view back.
        t.handle_key(ctrl('u'));
        t.handle_key(ctrl('k'));
        let pos = t.render(area, &mut buf, Style::new()).unwrap();
        assert_eq!(t.scroll.get(), 0);
        assert_eq!(pos.x, 0);
    }

    #[test]
    fn empty_area_has_no_caret() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        let t = typed("abc");
        assert_eq!(
            t.render(Rect::new(0, 0, 0, 1), &mut buf, Style::new()),
            None
        );
    }
}
