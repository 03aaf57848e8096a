//! Reusable widgets: text input, forms, pickers.
