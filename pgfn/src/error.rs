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
    /// `datetime_field_overflow` (22008), also PostgreSQL's `datetime_value_out_of_range`.
    DatetimeFieldOverflow,
    /// `interval_field_overflow` (22015).
    IntervalFieldOverflow,
    /// `invalid_time_zone_displacement_value` (22009).
    InvalidTimeZoneDisplacementValue,
    /// `invalid_binary_representation` (22P03).
    InvalidBinaryRepresentation,
    /// `untranslatable_character` (22P05): `\u0000` in jsonb or a json string read as text.
    UntranslatableCharacter,
    /// `invalid_regular_expression` (2201B).
    InvalidRegularExpression,
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
    /// `program_limit_exceeded` (54000): a value past a type's size limits.
    ProgramLimitExceeded,
    /// `statement_too_complex` (54001): nesting deeper than PostgreSQL's stack allows.
    StatementTooComplex,
    /// `undefined_object` (42704): an unknown named object, such as a text search configuration
    /// or a jsonpath variable missing from `vars`.
    UndefinedObject,
    /// `invalid_name` (42602): a name that does not parse as a (qualified) identifier.
    InvalidName,
    /// `array_subscript_error` (2202E).
    ArraySubscriptError,
    /// `zero_length_character_string` (2200F).
    ZeroLengthCharacterString,
    /// `null_value_not_allowed` (22004).
    NullValueNotAllowed,
    /// `protocol_violation` (08P01): a binary value shorter than its contents claim.
    ProtocolViolation,
    /// `character_not_in_repertoire` (22021): bytes that are not valid UTF-8.
    CharacterNotInRepertoire,
    /// `internal_error` (XX000): PostgreSQL's `elog(ERROR)` for states it deems impossible.
    InternalError,
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
