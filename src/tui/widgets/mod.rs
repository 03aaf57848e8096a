//! Reusable widgets: a single-line text input that is correct with Chinese,
//! and forms of labelled fields (text, choices with pinyin filtering, places,
//! dates, numbers, credit codes, phones) built on it.

pub mod field;
pub mod form;
pub mod list;
pub mod picker;
pub mod text_input;
pub mod width;

pub use field::{Choice, FieldKind, FieldSpec, FieldValue};
pub use form::{DraftField, Form, FormDraft};
pub use text_input::TextInput;
