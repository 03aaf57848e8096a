//! The terminal app: event loop, keymap, actions, panes, popups, widgets,
//! theme. See `docs/ARCHITECTURE.md`.

pub mod theme;
pub mod widgets;
