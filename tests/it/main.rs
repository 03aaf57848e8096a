//! Every integration test in one binary (one link of the library instead
//! of one per file); each file is a module named after what it tests.
//! `cargo test --test it MODULE::` runs one of them. Tests that change
//! the whole process stay binaries of their own: `tests/sync_tui.rs` and
//! `tests/sync_signing_tui.rs` set environment variables,
//! `tests/memory.rs` counts every allocation with its own global
//! allocator.

mod cli_support;
mod hostile_support;
mod tmux_support;
mod tui_support;

mod activity_cli;
mod activity_tmux;
mod activity_tui;
mod cache_restore;
mod center_cli;
mod center_tmux;
mod clash_tui;
mod cli;
mod dashboard_tui;
mod demo_cli;
mod disk_full;
mod evaluation_tui;
mod export_tmux;
mod export_tui;
mod filing_cli;
mod filing_sync;
mod forms_tui;
mod help_cli;
mod incubation_cli;
mod incubation_tmux;
mod input_rules;
mod input_tui;
mod interchange_hostile;
mod interchange_roundtrip;
mod lead_cli;
mod linkage_cli;
mod linkage_steps;
mod linkage_tmux;
mod linkage_tui;
mod missing_db;
mod party_cli;
mod place_cli;
mod private_files;
mod roster_import;
mod roster_tui;
mod rubric_cli;
mod server;
mod store;
mod sync_bad_input;
mod sync_cli;
mod sync_convergence;
mod sync_held;
mod sync_hostile;
mod sync_interrupted;
mod sync_restore;
mod text_safety_cli;
mod text_safety_tui;
mod training_cli;
mod training_tmux;
mod tui_app;
mod tui_bytes;
mod tui_keymaps;
mod tui_snapshots;
mod tui_tmux;
mod venture_cli;
mod venture_sync;
mod venture_tmux;
mod words_cli;
mod words_tui;
