//! Reusable widgets: a single-line text input that is correct with Chinese,
//! forms of labelled fields (text, choices with pinyin filtering, places,
//! dates, numbers, credit codes, phones) built on it, the titled box of
//! every pane and popup, and the scrolling list with a cursor of every
//! list.

pub mod field;
pub mod form;
pub mod list;
pub mod picker;
pub mod text_input;
pub mod titled;
pub mod width;

pub use field::{Choice, FieldKind, FieldSpec, FieldValue};
pub use form::{DraftField, Form, FormDraft};
pub use list::{Follow, ListState};
pub use text_input::TextInput;
pub use titled::TitledBox;
