//! Help: every binding of the active keymap, by section, in the current
//! language; generated from the keymap, so it is never out of date. The
//! sections active where help was opened come first.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};

use crate::tui::action::{Action, Context};
use crate::tui::common::RenderCx;
use crate::tui::key::{show_seq, Key};
use crate::tui::keymap::Keymap;
use crate::tui::widgets::width::{put_str, str_width};

use super::{centered, frame, Reply};

/// One line of help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Header(String),
    Entry { keys: String, desc: String },
    Blank,
}

/// The help popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Help {
    pub lines: Vec<HelpLine>,
    pub offset: usize,
    page: usize,
    source: String,
}

const PANES: [Action; 9] = [
    Action::Pane1,
    Action::Pane2,
    Action::Pane3,
    Action::Pane4,
    Action::Pane5,
    Action::Pane6,
    Action::Pane7,
    Action::Pane8,
    Action::Pane9,
];

/// The editing keys of every text field (`TextInput`, the same in every
/// keymap): keys in keymap notation, and the text key of what they do.
pub const EDITING: &[(&[&str], &str)] = &[
    (&["<Left>", "<Right>"], "tui.help.edit_char"),
    (&["<C-Left>", "<C-Right>"], "tui.help.edit_word"),
    (&["<Home>", "<C-a>"], "tui.help.edit_start"),
    (&["<End>", "<C-e>"], "tui.help.edit_end"),
    (&["<Backspace>", "<Delete>"], "tui.help.edit_delete"),
    (&["<C-w>", "<A-Backspace>"], "tui.help.edit_word_back"),
    (&["<A-d>"], "tui.help.edit_word_forward"),
    (&["<C-u>"], "tui.help.edit_to_start"),
    (&["<C-k>"], "tui.help.edit_to_end"),
];

/// The help lines of the editing keys, and what typing over a pre-filled
/// value does.
pub fn editing_lines() -> Vec<HelpLine> {
    let mut out: Vec<HelpLine> = EDITING
        .iter()
        .map(|(keys, desc)| HelpLine::Entry {
            keys: keys
                .iter()
                .filter_map(|k| Key::parse(k))
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" / "),
            desc: crate::tr!(desc),
        })
        .collect();
    out.push(HelpLine::Entry {
        keys: crate::tr!("tui.help.edit_typing"),
        desc: crate::tr!("tui.help.edit_replace"),
    });
    out
}

/// The help lines of one section: one line per action, its keys joined.
pub fn section_lines(keymap: &Keymap, ctx: Context) -> Vec<HelpLine> {
    let mut order: Vec<Action> = Vec::new();
    for b in keymap.bindings(ctx) {
        if b.action != Action::Noop && !order.contains(&b.action) {
            order.push(b.action);
        }
    }
    let mut out = Vec::new();
    // pane.1 ... pane.9 on single keys become one line `1..9`.
    let pane_keys: Vec<String> = PANES
        .iter()
        .filter_map(|a| {
            let ks = keymap.keys_of(ctx, *a);
            ks.first().filter(|k| k.len() == 1).map(|k| show_seq(k))
        })
        .collect();
    let merge_panes = pane_keys.len() == PANES.len();
    for a in order {
        if merge_panes && PANES.contains(&a) {
            if a == Action::Pane1 {
                out.push(HelpLine::Entry {
                    keys: format!("{}..{}", pane_keys[0], pane_keys[8]),
                    desc: crate::tr!("tui.help.panes"),
                });
            }
            continue;
        }
        let bindings: Vec<_> = keymap
            .bindings(ctx)
            .iter()
            .filter(|b| b.action == a)
            .collect();
        let keys = bindings
            .iter()
            .map(|b| show_seq(&b.keys))
            .collect::<Vec<_>>()
            .join(" / ");
        let desc = bindings.first().map(|b| b.describe()).unwrap_or_default();
        out.push(HelpLine::Entry { keys, desc });
    }
    out
}

impl Help {
    /// Help for `keymap`, the sections in `first` listed first.
    pub fn new(keymap: &Keymap, first: &[Context]) -> Self {
        let mut sections: Vec<Context> = first.to_vec();
        for c in Context::ALL {
            if !sections.contains(c) {
                sections.push(*c);
            }
        }
        let mut lines = Vec::new();
        let mut editing = false;
        for ctx in sections {
            let entries = section_lines(keymap, ctx);
            if entries.is_empty() {
                continue;
            }
            if !lines.is_empty() {
                lines.push(HelpLine::Blank);
            }
            lines.push(HelpLine::Header(crate::tr!(&ctx.title_key())));
            lines.extend(entries);
            // The editing keys follow the first section of a text field.
            if ctx.is_text() && !editing {
                editing = true;
                lines.push(HelpLine::Blank);
                lines.push(HelpLine::Header(crate::tr!("tui.help.edit_section")));
                lines.extend(editing_lines());
            }
        }
        Help {
            lines,
            offset: 0,
            page: 10,
            source: keymap.source.clone(),
        }
    }

    fn max_offset(&self) -> usize {
        self.lines.len().saturating_sub(self.page)
    }

    pub fn on_action(&mut self, action: Action) -> Reply {
        match action {
            Action::HelpClose | Action::Help => return Reply::Close,
            Action::Up => self.offset = self.offset.saturating_sub(1),
            Action::Down => self.offset += 1,
            Action::PageUp => self.offset = self.offset.saturating_sub(self.page),
            Action::PageDown => self.offset += self.page,
            Action::Top => self.offset = 0,
            Action::Bottom => self.offset = usize::MAX,
            _ => return Reply::Ignored,
        }
        self.offset = self.offset.min(self.max_offset());
        Reply::Stay
    }

    fn area(screen: Rect) -> Rect {
        centered(screen, 76, screen.height.saturating_sub(2))
    }

    /// Sets the page size from the screen size.
    pub fn set_screen(&mut self, screen: Rect) {
        // Frame (2 rows) and footer (1 row).
        self.page = (Help::area(screen).height as usize)
            .saturating_sub(3)
            .max(1);
        self.offset = self.offset.min(self.max_offset());
    }

    pub fn render(&self, screen: Rect, buf: &mut Buffer, rx: &RenderCx) {
        let area = Help::area(screen);
        let inner = frame(area, buf, crate::text::t("tui.help.title"), rx);
        if inner.height < 2 || inner.width < 10 {
            return;
        }
        // The lines over the footer, a column in from the frame.
        let [text, footer_line] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)])
            .areas(inner.inner(Margin::new(1, 0)));
        let w = text.width as usize;
        let key_w = self
            .lines
            .iter()
            .map(|l| match l {
                HelpLine::Entry { keys, .. } => str_width(keys),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
            .min(w / 2);
        let rows = text.height as usize;
        for (i, line) in self.lines.iter().skip(self.offset).take(rows).enumerate() {
            let (x, y) = (text.x, text.y + i as u16);
            match line {
                HelpLine::Header(t) => {
                    put_str(buf, x, y, t, w, rx.theme.title());
                }
                HelpLine::Entry { keys, desc } => {
                    put_str(buf, x + 1, y, keys, key_w, rx.theme.key());
                    let dx = 1 + key_w as u16 + 2;
                    put_str(
                        buf,
                        x + dx,
                        y,
                        desc,
                        w.saturating_sub(dx as usize),
                        rx.theme.text(),
                    );
                }
                HelpLine::Blank => {}
            }
        }
        let footer = crate::tr!("tui.help.footer", source = self.source);
        let pos = if self.lines.len() > rows {
            format!(
                "  {}-{}/{}",
                self.offset + 1,
                (self.offset + rows).min(self.lines.len()),
                self.lines.len()
            )
        } else {
            String::new()
        };
        put_str(
            buf,
            footer_line.x,
            footer_line.y,
            &format!("{footer}{pos}"),
            w,
            rx.theme.dim(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_from_the_keymap() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let k = Keymap::default_map().unwrap();
        let h = Help::new(&k, &[Context::Orgs]);
        assert_eq!(h.lines[0], HelpLine::Header("组织".into()));
        assert!(h.lines.contains(&HelpLine::Entry {
            keys: "e / Enter".into(),
            desc: "编辑".into()
        }));
        assert!(h.lines.contains(&HelpLine::Entry {
            keys: "1..9".into(),
            desc: crate::tr!("tui.help.panes")
        }));
        assert!(h.lines.contains(&HelpLine::Entry {
            keys: "f p".into(),
            desc: "按社区/网格筛选".into()
        }));
    }

    #[test]
    fn editing_keys_are_listed() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let k = Keymap::default_map().unwrap();
        // Opened from a form, they come right after the form's keys.
        let h = Help::new(&k, &[Context::Form]);
        let header = HelpLine::Header(crate::tr!("tui.help.edit_section"));
        let at = h.lines.iter().position(|l| *l == header).unwrap();
        assert!(at < 20, "{:?}", h.lines);
        let keys: Vec<&str> = h.lines[at..]
            .iter()
            .filter_map(|l| match l {
                HelpLine::Entry { keys, .. } => Some(keys.as_str()),
                _ => None,
            })
            .collect();
        for k in ["C-u", "C-w", "Home", "End", "C-k"] {
            assert!(
                keys.iter().any(|ks| ks.split(" / ").any(|x| x == k)),
                "{k}: {keys:?}"
            );
        }
        // Once, from anywhere.
        let h = Help::new(&k, &[Context::Orgs]);
        assert_eq!(h.lines.iter().filter(|l| **l == header).count(), 1);
        // Every key of the list parses (a typo would drop it silently).
        for (keys, _) in EDITING {
            for k in *keys {
                assert!(Key::parse(k).is_some(), "{k}");
            }
        }
    }

    #[test]
    fn scrolls_within_bounds() {
        let k = Keymap::default_map().unwrap();
        let mut h = Help::new(&k, &[]);
        h.set_screen(Rect::new(0, 0, 80, 24));
        assert_eq!(h.on_action(Action::Up), Reply::Stay);
        assert_eq!(h.offset, 0);
        h.on_action(Action::Bottom);
        assert_eq!(h.offset, h.lines.len() - h.page);
        assert_eq!(h.on_action(Action::HelpClose), Reply::Close);
    }
}
