//! sanshe (三社): a keyboard-driven terminal app for township social
//! organization service centers. See `docs/ARCHITECTURE.md` for the map.

pub mod model;
pub mod text;
