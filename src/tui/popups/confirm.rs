//! A yes/no question.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};

use crate::tui::action::{Action, Context};
use crate::tui::key::show_seq;
use crate::tui::panes::RenderCx;
use crate::tui::widgets::width::{put_str, str_width, wrap};

use super::{center, centered, frame, Reply};

/// What the question is about; the answer goes back with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmFor {
    /// Delete this organization.
    DeleteOrg { id: String, name: String },
    /// Throw away the open form.
    DiscardForm,
    /// Continue the draft found at start.
    RestoreDraft,
    /// Propose a linkage of this need with this offer.
    ProposeLinkage { need: String, offer: String },
    /// Take this linkage to `to` (done, or cancelled: steps that end it
    /// and give capacity back).
    StepLinkage {
        id: String,
        to: crate::model::LinkageState,
    },
    /// Delete this activity.
    DeleteActivity { id: String },
    /// Delete this evaluation.
    DeleteEvaluation { id: String },
    /// Save another evaluation of a period the organization has one of
    /// (the evaluation waits in the evaluations pane).
    SaveEvaluationAgain,
    /// Close the active pane's form (need, offer, social worker, partner,
    /// activity, score entry, sync set-up), throwing away what was typed.
    DiscardPaneForm,
}

/// The question popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub text: String,
    pub what: ConfirmFor,
}

impl Confirm {
    pub fn new(text: String, what: ConfirmFor) -> Self {
        Confirm { text, what }
    }

    pub fn on_action(&mut self, action: Action) -> Reply {
        match action {
            Action::ConfirmYes => Reply::Answer {
                what: self.what.clone(),
                yes: true,
            },
            Action::ConfirmNo => Reply::Answer {
                what: self.what.clone(),
                yes: false,
            },
            _ => Reply::Ignored,
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

    #[test]
    fn answers_carry_the_question() {
        let mut c = Confirm::new("删除？".into(), ConfirmFor::DiscardForm);
        assert_eq!(
            c.on_action(Action::ConfirmYes),
            Reply::Answer {
                what: ConfirmFor::DiscardForm,
                yes: true
            }
        );
        assert_eq!(
            c.on_action(Action::ConfirmNo),
            Reply::Answer {
                what: ConfirmFor::DiscardForm,
                yes: false
            }
        );
        assert_eq!(c.on_action(Action::Down), Reply::Ignored);
    }
}
