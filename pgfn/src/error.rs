//! The one error type of the crate: a PostgreSQL error condition with PostgreSQL's message.
//!
//! Invariants:
//! - `Condition` names PostgreSQL's condition (errcodes.txt), never a SQLSTATE literal: the
//!   server's one SQLSTATE mapping point turns each condition into its code.
//! - Messages, details and hints are PostgreSQL 15's own wording, lowercase, no final period.

/// A PostgreSQL error condition this crate can raise; add variants as functions need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    /// `invalid_text_representation` (22P02): bad input text for a type.
    InvalidTextRepresentation,
    /// `invalid_parameter_value` (22023).
    InvalidParameterValue,
    /// `numeric_value_out_of_range` (22003).
    NumericValueOutOfRange,
    /// `division_by_zero` (22012).
    DivisionByZero,
    /// `invalid_datetime_format` (22007).
    InvalidDatetimeFormat,
    /// `datetime_field_overflow` (22008).
    DatetimeFieldOverflow,
    /// `invalid_binary_representation` (22P03).
    InvalidBinaryRepresentation,
    /// `untranslatable_character` (22P05): `\u0000` in jsonb or a json string read as text.
    UntranslatableCharacter,
    /// `statement_too_complex` (54001): nesting deeper than the stack allows.
    StatementTooComplex,
    /// `program_limit_exceeded` (54000): a value past a storage format's limit.
    ProgramLimitExceeded,
    /// `null_value_not_allowed` (22004).
    NullValueNotAllowed,
    /// `array_subscript_error` (2202E).
    ArraySubscriptError,
    /// `invalid_regular_expression` (2201B).
    InvalidRegularExpression,
    /// `undefined_object` (42704): a jsonpath variable missing from `vars`.
    UndefinedObject,
    /// `singleton_sql_json_item_required` (22038).
    SingletonSqlJsonItemRequired,
    /// `sql_json_array_not_found` (22039).
    SqlJsonArrayNotFound,
    /// `sql_json_member_not_found` (2203A).
    SqlJsonMemberNotFound,
    /// `sql_json_number_not_found` (2203B).
    SqlJsonNumberNotFound,
    /// `sql_json_object_not_found` (2203C).
    SqlJsonObjectNotFound,
    /// `invalid_sql_json_subscript` (22033).
    InvalidSqlJsonSubscript,
    /// `non_numeric_sql_json_item` (22036).
    NonNumericSqlJsonItem,
    /// `syntax_error` (42601): bad text of a sub-language (jsonpath, tsquery).
    SyntaxError,
    /// `feature_not_supported` (0A000).
    FeatureNotSupported,
}

/// A failed function call: PostgreSQL's condition, message and optional detail and hint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// What PostgreSQL classifies the failure as.
    pub condition: Condition,
    /// The primary message, as PostgreSQL words it.
    pub message: String,
    /// PostgreSQL's DETAIL line, if it gives one.
    pub detail: Option<String>,
    /// PostgreSQL's HINT line, if it gives one.
    pub hint: Option<String>,
}

impl Error {
    /// An error with only a condition and a message.
    pub fn new(condition: Condition, message: impl Into<String>) -> Error {
        Error {
            condition,
            message: message.into(),
            detail: None,
            hint: None,
        }
    }

    /// The same error with PostgreSQL's DETAIL line.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Error {
        self.detail = Some(detail.into());
        self
    }

    /// The same error with PostgreSQL's HINT line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }
}

/// The crate's result.
pub type Result<T> = std::result::Result<T, Error>;
