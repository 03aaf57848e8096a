//! The titled box every pane and popup draws: a border in the theme's
//! border style with ` title ` on it in the title style.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use crate::tui::theme::Theme;
use crate::tui::widgets::width::ellipsize;

/// A box with a title on its top border, cut with `..` to the room there
/// is.
#[derive(Debug, Clone, Copy)]
pub struct TitledBox<'a> {
    title: &'a str,
    borders: Borders,
    focused: bool,
}

impl<'a> TitledBox<'a> {
    /// A box with a border all round.
    pub fn new(title: &'a str) -> Self {
        TitledBox {
            title,
            borders: Borders::ALL,
            focused: false,
        }
    }

    /// A heading: only the top border, the title on it.
    pub fn heading(title: &'a str) -> Self {
        TitledBox {
            borders: Borders::TOP,
            ..TitledBox::new(title)
        }
    }

    /// The border in the focused style (popups).
    pub fn focused(self) -> Self {
        TitledBox {
            focused: true,
            ..self
        }
    }

    /// Draws the box in `area`; returns its inside.
    pub fn render(self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Rect {
        let border = if self.focused {
            theme.border_focused()
        } else {
            theme.border()
        };
        // The spaces either side of the title, and the corners.
        let corners = if self.borders.contains(Borders::LEFT) {
            4
        } else {
            2
        };
        let title = ellipsize(self.title, area.width.saturating_sub(corners) as usize);
        let block = Block::default()
            .borders(self.borders)
            .border_style(border)
            .title(Line::from(Span::styled(
                format!(" {title} "),
                theme.title(),
            )));
        let inner = block.inner(area);
        block.render(area, buf);
        inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_sits_on_the_border_and_the_inside_is_returned() {
        let theme = Theme::monochrome();
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 4));
        let inner = TitledBox::new("ab").render(buf.area, &mut buf, &theme);
        assert_eq!(inner, Rect::new(1, 1, 10, 2));
        let top: String = (0..12).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert_eq!(top, "┌ ab ──────┐");
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 4));
        let inner = TitledBox::heading("ab").render(buf.area, &mut buf, &theme);
        assert_eq!(inner, Rect::new(0, 1, 12, 3));
    }
}
