//! Keys as keymap files write them (`a`, `G`, `?`, `<C-s>`, `<A-x>`,
//! `<S-Tab>`, `<Esc>`, `<PageDown>`, `<F1>`), parsed, normalised from
//! crossterm events and shown back in help and the bottom bar.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// A character; `' '` is Space. Shift is part of the character (`G`).
    Char(char),
    Enter,
    Esc,
    Tab,
    /// Shift-Tab.
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// F1 ... F12.
    F(u8),
}

/// A key with Ctrl and Alt (Shift is folded into characters and `BackTab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: Code,
    pub ctrl: bool,
    pub alt: bool,
}

const NAMES: &[(&str, Code)] = &[
    ("enter", Code::Enter),
    ("cr", Code::Enter),
    ("return", Code::Enter),
    ("esc", Code::Esc),
    ("escape", Code::Esc),
    ("tab", Code::Tab),
    ("backtab", Code::BackTab),
    ("backspace", Code::Backspace),
    ("bs", Code::Backspace),
    ("delete", Code::Delete),
    ("del", Code::Delete),
    ("insert", Code::Insert),
    ("up", Code::Up),
    ("down", Code::Down),
    ("left", Code::Left),
    ("right", Code::Right),
    ("home", Code::Home),
    ("end", Code::End),
    ("pageup", Code::PageUp),
    ("pagedown", Code::PageDown),
    ("pgup", Code::PageUp),
    ("pgdn", Code::PageDown),
    ("ins", Code::Insert),
    ("space", Code::Char(' ')),
    ("lt", Code::Char('<')),
    ("gt", Code::Char('>')),
];

impl Key {
    /// A plain key.
    pub const fn plain(code: Code) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// A character key.
    pub const fn ch(c: char) -> Key {
        Key::plain(Code::Char(c))
    }

    /// Ctrl + a character.
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: Code::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// Parses one key in keymap notation. `None` if it is not a key.
    pub fn parse(s: &str) -> Option<Key> {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (None, _) => return None,
            (Some(c), None) => return (!c.is_control()).then_some(Key::ch(c)),
            _ => {}
        }
        let inner = s.strip_prefix('<')?.strip_suffix('>')?;
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = inner;
        // Modifiers: `C-`, `A-`/`M-`, `S-`, in any order. A final `-` alone
        // is the minus key (`<C-->`).
        while rest.len() > 2 && rest.as_bytes()[1] == b'-' {
            match rest.as_bytes()[0].to_ascii_uppercase() {
                b'C' => ctrl = true,
                b'A' | b'M' => alt = true,
                b'S' => shift = true,
                _ => return None,
            }
            rest = &rest[2..];
        }
        let mut it = rest.chars();
        let code = match (it.next(), it.next()) {
            (Some(c), None) => {
                if c.is_control() {
                    return None;
                }
                let c = if shift { upper(c) } else { c };
                // Ctrl and Alt with a letter: terminals send the same bytes
                // for either case, so the lower case is the canonical form.
                let c = if ctrl || alt { lower(c) } else { c };
                Code::Char(c)
            }
            _ => {
                let lowered = rest.to_ascii_lowercase();
                if let Some(n) = lowered.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    if (1..=12).contains(&n) {
                        Code::F(n)
                    } else {
                        return None;
                    }
                } else {
                    let code = NAMES.iter().find(|(n, _)| *n == lowered)?.1;
                    match (code, shift) {
                        (Code::Tab, true) => Code::BackTab,
                        (c, _) => c,
                    }
                }
            }
        };
        Some(Key { code, ctrl, alt })
    }

    /// The key of a crossterm key event (presses only; the caller filters).
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        let shift = ev.modifiers.contains(KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) => {
                let c = if ctrl || alt { lower(c) } else { c };
                Code::Char(c)
            }
            KeyCode::Enter => Code::Enter,
            KeyCode::Esc => Code::Esc,
            KeyCode::Tab if shift => Code::BackTab,
            KeyCode::Tab => Code::Tab,
            KeyCode::BackTab => Code::BackTab,
            KeyCode::Backspace => Code::Backspace,
            KeyCode::Delete => Code::Delete,
            KeyCode::Insert => Code::Insert,
            KeyCode::Up => Code::Up,
            KeyCode::Down => Code::Down,
            KeyCode::Left => Code::Left,
            KeyCode::Right => Code::Right,
            KeyCode::Home => Code::Home,
            KeyCode::End => Code::End,
            KeyCode::PageUp => Code::PageUp,
            KeyCode::PageDown => Code::PageDown,
            KeyCode::F(n) if (1..=12).contains(&n) => Code::F(n),
            _ => return None,
        };
        Some(Key { code, ctrl, alt })
    }

    /// True for a key that types a character into a text field.
    pub fn is_printable(&self) -> bool {
        matches!(self.code, Code::Char(_)) && !self.ctrl && !self.alt
    }

    /// Keymap notation, as accepted by [`Key::parse`].
    pub fn notation(&self) -> String {
        let named = |name: &str| -> String {
            let mut s = String::from("<");
            if self.ctrl {
                s.push_str("C-");
            }
            if self.alt {
                s.push_str("A-");
            }
            s.push_str(name);
            s.push('>');
            s
        };
        match self.code {
            Code::Char(c) if !self.ctrl && !self.alt => match c {
                ' ' => "<Space>".into(),
                c => c.to_string(),
            },
            Code::Char(' ') => named("Space"),
            Code::Char(c) => named(&c.to_string()),
            other => named(&code_name(other)),
        }
    }
}

fn upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn code_name(code: Code) -> String {
    match code {
        Code::Char(' ') => "Space".into(),
        Code::Char(c) => c.to_string(),
        Code::Enter => "Enter".into(),
        Code::Esc => "Esc".into(),
        Code::Tab => "Tab".into(),
        Code::BackTab => "S-Tab".into(),
        Code::Backspace => "Backspace".into(),
        Code::Delete => "Del".into(),
        Code::Insert => "Ins".into(),
        Code::Up => "Up".into(),
        Code::Down => "Down".into(),
        Code::Left => "Left".into(),
        Code::Right => "Right".into(),
        Code::Home => "Home".into(),
        Code::End => "End".into(),
        Code::PageUp => "PgUp".into(),
        Code::PageDown => "PgDn".into(),
        Code::F(n) => format!("F{n}"),
    }
}

/// Short form for the bottom bar and help: `a`, `C-s`, `Esc`, `PgDn`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("A-")?;
        }
        f.write_str(&code_name(self.code))
    }
}

/// A key sequence shown as `g g` or `C-x C-c`.
pub fn show_seq(keys: &[Key]) -> String {
    keys.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_named() {
        assert_eq!(Key::parse("a"), Some(Key::ch('a')));
        assert_eq!(Key::parse("G"), Some(Key::ch('G')));
        assert_eq!(Key::parse("?"), Some(Key::ch('?')));
        assert_eq!(Key::parse("<"), Some(Key::ch('<')));
        assert_eq!(Key::parse("<C-s>"), Some(Key::ctrl('s')));
        assert_eq!(Key::parse("<c-S>"), Some(Key::ctrl('s')));
        assert_eq!(Key::parse("<Esc>"), Some(Key::plain(Code::Esc)));
        assert_eq!(Key::parse("<esc>"), Some(Key::plain(Code::Esc)));
        assert_eq!(Key::parse("<S-Tab>"), Some(Key::plain(Code::BackTab)));
        assert_eq!(Key::parse("<PageDown>"), Some(Key::plain(Code::PageDown)));
        assert_eq!(Key::parse("<F1>"), Some(Key::plain(Code::F(1))));
        assert_eq!(Key::parse("<Space>"), Some(Key::ch(' ')));
        assert_eq!(
            Key::parse("<A-x>"),
            Some(Key {
                code: Code::Char('x'),
                ctrl: false,
                alt: true
            })
        );
        assert_eq!(
            Key::parse("<C-->"),
            Some(Key {
                code: Code::Char('-'),
                ctrl: true,
                alt: false
            })
        );
    }

    #[test]
    fn rejects_unknown() {
        for bad in ["", "<Foo>", "<F13>", "ab", "<X-a>", "<C-Foo>", "\u{7}"] {
            assert_eq!(Key::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn notation_round_trips() {
        for s in [
            "a",
            "G",
            "<C-s>",
            "<Esc>",
            "<S-Tab>",
            "<PageUp>",
            "<F5>",
            "<Space>",
            "<A-x>",
            "<C-Space>",
        ] {
            let k = Key::parse(s).unwrap();
            assert_eq!(Key::parse(&k.notation()), Some(k), "{s}");
        }
    }

    #[test]
    fn from_crossterm_events() {
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Some(Key::ch('G')));
        let ev = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(&ev), Some(Key::ctrl('s')));
        let ev = KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Some(Key::plain(Code::BackTab)));
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Some(Key::plain(Code::BackTab)));
        let ev = KeyEvent::new(KeyCode::Char('社'), KeyModifiers::NONE);
        let k = Key::from_event(&ev).unwrap();
        assert!(k.is_printable());
        assert!(!Key::ctrl('s').is_printable());
    }

    #[test]
    fn display_is_short() {
        assert_eq!(Key::ctrl('s').to_string(), "C-s");
        assert_eq!(Key::plain(Code::PageDown).to_string(), "PgDn");
        assert_eq!(show_seq(&[Key::ch('g'), Key::ch('g')]), "g g");
    }
}
