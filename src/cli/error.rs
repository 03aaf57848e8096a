//! Errors of command-line commands and their exit codes:
//! 0 success, 2 invalid input (nothing written), 1 any other failure.

use crate::model::{FieldError, Rule, ValidationErrors};
use crate::store::StoreError;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// Input broke a rule: exit 2, nothing written.
    Invalid(ValidationErrors),
    /// A store error (its own exit code).
    Store(StoreError),
    /// A usage problem already phrased for the user: exit 2.
    Usage(String),
    /// Anything else, already phrased for the user: exit 1.
    Failed(String),
    /// The command ran in the server, which told the user already: only
    /// its exit code is left.
    Exit(i32),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Invalid(_) | CliError::Usage(_) => 2,
            CliError::Store(e) => e.exit_code(),
            CliError::Failed(_) => 1,
            CliError::Exit(code) => *code,
        }
    }

    /// The message for the user, in this thread's language.
    pub fn message(&self) -> String {
        match self {
            CliError::Invalid(e) => crate::text::validation_errors(e),
            CliError::Store(e) => e.message(),
            CliError::Usage(m) | CliError::Failed(m) => m.clone(),
            CliError::Exit(_) => String::new(),
        }
    }

    /// One field that broke one rule.
    pub fn field(field: &str, rule: Rule) -> CliError {
        CliError::Invalid(ValidationErrors(vec![FieldError::new(field, rule)]))
    }

    /// `--clear` named a field that cannot be cleared; `allowed` lists
    /// those that can.
    pub fn not_clearable(allowed: &[&str]) -> CliError {
        CliError::field(
            "clear",
            Rule::OneOf {
                allowed: allowed.join(", "),
            },
        )
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => CliError::Invalid(v),
            e => CliError::Store(e),
        }
    }
}

impl From<ValidationErrors> for CliError {
    fn from(e: ValidationErrors) -> Self {
        CliError::Invalid(e)
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;
