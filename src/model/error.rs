//! Validation errors that name the field and the rule.

use serde::{Deserialize, Serialize};

/// A rule a field broke. The message for each rule, in each language, lives
/// in the text tables (`text`), under `rule.<key>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// The field must not be empty.
    Required,
    /// Too long: at most `max` characters.
    TooLong { max: usize },
    /// A line break in a field of one line.
    OneLine,
    /// A control, direction-changing or invisible format character
    /// (`found`: `U+001B`); see `bounds::is_unsafe_char`.
    Unprintable { found: String },
    /// A set or map with more than `max` elements.
    TooMany { max: usize },
    /// A credit code must be 18 characters of the GB 32100 set.
    CreditMalformed { detail: String },
    /// A check character is wrong; `pos` is 17 or 18, `expected` the right one.
    CreditChecksum { pos: u8, expected: char },
    /// Not a mainland mobile or landline number.
    Phone,
    /// Not a date, or a date that does not exist.
    Date,
    /// A date outside `min`..=`max` (ISO dates).
    DateRange { min: String, max: String },
    /// Not a whole number in range.
    Number { min: i64, max: i64 },
    /// Not a number from 0 to `max` with at most one decimal (hours, points).
    Tenths { max: i64 },
    /// Not one of the allowed values; `allowed` lists the keys.
    OneOf { allowed: String },
    /// A place code: letters, digits and `-`.
    PlaceCode,
    /// The referenced place does not exist.
    UnknownPlace { code: String },
    /// No place has this name or code (spreadsheets name places either way).
    UnknownPlaceName { text: String },
    /// The place has the wrong level for this field.
    PlaceLevel { expected: String },
    /// The parent of a place must be one level up.
    PlaceParent { expected: String },
    /// An end date before its start.
    DateOrder,
    /// Not an amount of money (`10万元`, `100000元`, `10` in 万元), exact
    /// to the fen, at most `max` (as written).
    Money { max: String },
    /// A legacy organization code: nine digits or capital letters.
    OrgCode,
    /// A partner's agreement not written `TITLE:START[:END]` with dates.
    AgreementFormat,
    /// Free-form rule message (already localised).
    Other { message: String },
}

/// One field that failed one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's key, as in JSON and command-line flags (`name`, `credit_code`...).
    pub field: String,
    pub rule: Rule,
}

impl FieldError {
    pub fn new(field: impl Into<String>, rule: Rule) -> Self {
        FieldError {
            field: field.into(),
            rule,
        }
    }
}

/// Every error found in a record; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn push(&mut self, field: &str, rule: Rule) {
        self.0.push(FieldError::new(field, rule));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}
