//! A picker: a list of options narrowed by typing (pinyin works), used for
//! the filters of the organizations pane.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use unicode_segmentation::UnicodeSegmentation;

use crate::tui::action::Action;
use crate::tui::common::RenderCx;
use crate::tui::widgets::field::Choice;
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::picker::{filter, matched_positions};
use crate::tui::widgets::width::{fill, grapheme_width, put_str};
use crate::tui::widgets::{ListState, TextInput};

use super::{centered, frame, Reply};
use crate::tui::common::Owner;

/// What the picker picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFor {
    Place,
    Type,
    State,
    Domain,
    /// The next state of a venture project.
    Step,
    /// The next stage of an enrollment in the incubation base.
    Stage,
}

/// The picker popup.
#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub options: Vec<Choice>,
    pub query: TextInput,
    /// Indices of the options shown, best first.
    pub shown: Vec<usize>,
    /// Matched character positions of each shown label.
    pub positions: Vec<Vec<usize>>,
    /// The selected option (in `shown`) and the first shown.
    pub list: ListState,
    page: usize,
    pub what: PickFor,
    /// Who opened it: the choice goes back there.
    pub owner: Owner,
}

impl Picker {
    /// A picker over `options`, the one whose key is `current` selected.
    pub fn new(title: String, options: Vec<Choice>, current: &str, what: PickFor) -> Self {
        let shown: Vec<usize> = (0..options.len()).collect();
        let selected = options.iter().position(|o| o.key == current).unwrap_or(0);
        let mut p = Picker {
            title,
            positions: vec![Vec::new(); shown.len()],
            shown,
            options,
            query: TextInput::new(),
            list: ListState::default(),
            page: 10,
            what,
            owner: Owner::App,
        };
        p.list.select(selected, p.shown.len(), p.page);
        p
    }

    fn refilter(&mut self) {
        let q = self.query.value().to_string();
        self.shown = filter(&q, &self.options);
        self.positions = matched_positions(&q, &self.options, &self.shown);
        self.list.reset();
    }

    /// The option under the selection.
    pub fn current(&self) -> Option<&Choice> {
        self.shown
            .get(self.list.sel)
            .and_then(|&i| self.options.get(i))
    }

    pub fn on_action(&mut self, action: Action) -> Reply {
        let n = self.shown.len();
        match action {
            Action::PickerAccept => {
                return match self.current() {
                    Some(c) => Reply::Pick {
                        owner: self.owner,
                        what: self.what,
                        key: c.key.clone(),
                    },
                    None => Reply::Stay,
                };
            }
            Action::PickerCancel => return Reply::Close,
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                self.list.apply(action, n, self.page);
            }
            _ => return Reply::Ignored,
        }
        Reply::Stay
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Reply {
        let before = self.query.value().to_string();
        if !self.query.handle_key(key) {
            return Reply::Ignored;
        }
        if self.query.value() != before {
            self.refilter();
        }
        Reply::Stay
    }

    pub fn on_paste(&mut self, text: &str) -> Reply {
        self.query.paste(text);
        self.refilter();
        Reply::Stay
    }

    fn area(&self, screen: Rect) -> Rect {
        let h = (self.options.len() as u16).saturating_add(4).min(24);
        centered(screen, 50, h)
    }

    /// Sets the page size from the screen size.
    pub fn set_screen(&mut self, screen: Rect) {
        self.page = (self.area(screen).height as usize).saturating_sub(4).max(1);
        self.list.scroll(self.shown.len(), self.page);
    }

    pub fn render(&self, screen: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        let area = self.area(screen);
        let inner = frame(area, buf, &self.title, rx);
        if inner.height < 3 || inner.width < 6 {
            return None;
        }
        // Query line, then a hint or the options, a column in from the
        // frame.
        let body = inner.inner(Margin::new(1, 0));
        let w = body.width as usize;
        let [query_line, _, rows] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(body);
        let [prompt_at, input_at] =
            Layout::horizontal([Constraint::Length(2), Constraint::Min(0)]).areas(query_line);
        put_str(buf, prompt_at.x, prompt_at.y, "> ", 2, rx.theme.key());
        let cursor = self.query.render(input_at, buf, rx.theme.input_focused());
        if self.shown.is_empty() {
            put_str(
                buf,
                rows.x,
                rows.y,
                crate::text::t("tui.filter.no_match"),
                w,
                rx.theme.dim(),
            );
            return cursor;
        }
        render_rows(&self.list, self.shown.len(), rows, 1, |i, row, selected| {
            let (opt, x, y) = (self.shown[i], row.x, row.y);
            let base = if selected {
                rx.theme.selected()
            } else {
                rx.theme.text()
            };
            fill(buf, x, y, w, base);
            let label = &self.options[opt].label;
            let pos = self.positions.get(i).map(|p| p.as_slice()).unwrap_or(&[]);
            let mut col = 0usize;
            for (ci, g) in label.graphemes(true).enumerate() {
                let gw = grapheme_width(g);
                if col + gw > w {
                    break;
                }
                let style = if pos.contains(&ci) {
                    base.patch(rx.theme.matched())
                } else {
                    base
                };
                put_str(buf, x + col as u16, y, g, gw, style);
                col += gw;
            }
        });
        cursor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn picker() -> Picker {
        let options = vec![
            Choice::new("", "（全部）"),
            Choice::new("community", "社区社会组织"),
            Choice::new("social-group", "社会团体"),
            Choice::new("foundation", "基金会"),
        ];
        Picker::new("类型".into(), options, "foundation", PickFor::Type)
    }

    #[test]
    fn starts_on_the_current_value() {
        let p = picker();
        assert_eq!(p.current().unwrap().key, "foundation");
    }

    #[test]
    fn typing_pinyin_narrows_and_enter_picks() {
        let mut p = picker();
        for c in "jjh".chars() {
            p.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert_eq!(p.current().unwrap().key, "foundation");
        assert_eq!(
            p.on_action(Action::PickerAccept),
            Reply::Pick {
                owner: Owner::App,
                what: PickFor::Type,
                key: "foundation".into()
            }
        );
        assert_eq!(p.on_action(Action::PickerCancel), Reply::Close);
    }

    #[test]
    fn moves_stay_in_bounds() {
        let mut p = picker();
        p.on_action(Action::Bottom);
        p.on_action(Action::Down);
        assert_eq!(p.list.sel, 3);
        p.on_action(Action::Top);
        p.on_action(Action::Up);
        assert_eq!(p.list.sel, 0);
    }
}
