//! sanshe (三社): a keyboard-driven terminal app for township social
//! organization service centers. See `docs/ARCHITECTURE.md` for the map.
//!
//! Layers (arrows point down only): the front ends `tui` and `cli` ->
//! `sync`, `interchange`, `report`, `matching`, `search`, `demo`,
//! `derived` -> `store` -> `model`. `model` uses nothing of ours; no library module uses
//! a front end. `text` holds every user-visible string.

pub mod cli;
pub mod config;
pub mod demo;
pub mod derived;
pub mod files;
pub mod interchange;
pub mod matching;
pub mod model;
pub mod report;
pub mod search;
pub mod server;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
