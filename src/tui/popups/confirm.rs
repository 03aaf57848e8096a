//! A yes/no question.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};

use crate::tui::action::{Action, Context};
use crate::tui::common::RenderCx;
use crate::tui::key::show_seq;
use crate::tui::widgets::width::{put_str, str_width, wrap};

use super::{center, centered, frame, Reply};
use crate::tui::common::{Owner, Token};

/// The question popup. Its answer goes back to its owner with the
/// question it carries (a value of the owner's own type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub text: String,
    pub question: Token,
    pub owner: Owner,
}

impl Confirm {
    pub fn new<T: std::any::Any>(text: String, question: T) -> Self {
        Confirm {
            text,
            question: Token::new(question),
            owner: Owner::App,
        }
    }

    /// True if the question is a `T`.
    pub fn asks<T: std::any::Any>(&self) -> bool {
        self.question.is::<T>()
    }

    pub fn on_action(&mut self, action: Action) -> Reply {
        let yes = match action {
            Action::ConfirmYes => true,
            Action::ConfirmNo => false,
            _ => return Reply::Ignored,
        };
        Reply::Answer {
            owner: self.owner,
            question: self.question.clone(),
            yes,
        }
    }

    pub fn render(&self, screen: Rect, buf: &mut Buffer, rx: &RenderCx) {
        let width = 60u16.min(screen.width.saturating_sub(4)).max(20);
        let lines = wrap(&self.text, width.saturating_sub(4) as usize);
        let keys = |a: Action| {
            rx.keymap
                .first_keys(&[Context::Confirm], a)
                .map(show_seq)
                .unwrap_or_default()
        };
        let answer = format!(
            "[{}] {}   [{}] {}",
            keys(Action::ConfirmYes),
            crate::text::t("tui.action.confirm.yes"),
            keys(Action::ConfirmNo),
            crate::text::t("tui.action.confirm.no")
        );
        let h = lines.len() as u16 + 4;
        let area = centered(screen, width, h);
        let inner = frame(area, buf, crate::text::t("tui.confirm.title"), rx);
        // The question, a blank line, the answers centred under it; a
        // column in from the frame.
        let [text, _, answers] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner.inner(Margin::new(1, 0)));
        let w = text.width as usize;
        for (i, l) in lines.iter().take(text.height as usize).enumerate() {
            put_str(buf, text.x, text.y + i as u16, l, w, rx.theme.text());
        }
        if inner.height > 0 {
            let at = center(answers, str_width(&answer).min(w) as u16, 1);
            put_str(buf, at.x, at.y, &answer, w, rx.theme.key());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::common::DiscardForm;

    #[test]
    fn answers_carry_the_question_to_its_owner() {
        let mut c = Confirm::new("删除？".into(), DiscardForm);
        c.owner = Owner::Pane(2);
        for (action, want) in [(Action::ConfirmYes, true), (Action::ConfirmNo, false)] {
            match c.on_action(action) {
                Reply::Answer {
                    owner,
                    question,
                    yes,
                } => {
                    assert_eq!(owner, Owner::Pane(2));
                    assert_eq!(question.get::<DiscardForm>(), Some(&DiscardForm));
                    assert_eq!(yes, want);
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(c.on_action(Action::Down), Reply::Ignored);
    }
}
