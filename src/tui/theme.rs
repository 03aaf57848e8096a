//! Colours and styles. Only the 16 basic ANSI colours are used, so the app
//! looks the same on any terminal; with `NO_COLOR` set (any value), every
//! style falls back to bold/reverse/underline only.

use ratatui::style::{Color, Modifier, Style};

/// The styles every pane and widget draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::from_env()
    }
}

impl Theme {
    /// Colour unless `NO_COLOR` is set (https://no-color.org).
    pub fn from_env() -> Self {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// A theme with colours, for snapshot tests.
    pub fn colored() -> Self {
        Theme { color: true }
    }

    /// A theme without colours.
    pub fn monochrome() -> Self {
        Theme { color: false }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Plain text.
    pub fn text(&self) -> Style {
        Style::new()
    }

    /// Secondary text: hints, labels, empty values.
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    /// Titles and the active tab.
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Borders of panels and popups.
    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    /// Borders of the focused panel or popup.
    pub fn border_focused(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// The selected row of a list or table.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Matched characters in search results.
    pub fn matched(&self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// Keys in the bottom bar and help.
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Validation errors and failures.
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Warnings (possible duplicates...).
    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }

    /// Success messages.
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Column headers of tables.
    pub fn header(&self) -> Style {
        self.dim().add_modifier(Modifier::BOLD)
    }

    /// The active pane's name in the top bar.
    pub fn tab_active(&self) -> Style {
        self.title().add_modifier(Modifier::REVERSED)
    }

    /// The focused input field.
    pub fn input_focused(&self) -> Style {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }
}
