//! The one place errors become SQLSTATEs and human-readable text: `to_pg_error` for our
//! errors, `ErrorLog` for everything pgwire reports, and the key-token scrubber both use.
//!
//! Invariants:
//! - Every `crate::error::Error` variant is classified by an exhaustive match (no `_` arm), so
//!   a new variant does not compile until it has a SQLSTATE.
//! - Only `PgWireError::UserError` is built here, never `ApiError` (which pgwire sends as
//!   XX000 with the Rust error text).
//! - Messages are scrubbed of key and identity tokens (`mdbk1.`, `mdbi1.`) before they are
//!   logged or sent.
//! - Internal, storage and I/O failures are logged at error level with their message; client
//!   mistakes only at debug level and only by SQLSTATE, since their messages can quote
//!   decrypted document text.

use datafusion::arrow::error::ArrowError;
use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;
use pgwire::api::{ClientInfo, ErrorHandler};
use pgwire::error::{ErrorInfo, PgWireError};

use mindoodb_pgfn::Condition;

use crate::error::Error;
use crate::pg::sqlstate as code;

const SEVERITY_ERROR: &str = "ERROR";
const SEVERITY_FATAL: &str = "FATAL";
const TOKEN_PREFIXES: [&str; 2] = ["mdbk1.", "mdbi1."];

/// pgwire's error hook: scrubs and logs errors pgwire raises itself (protocol, parameters).
#[derive(Debug)]
pub(crate) struct ErrorLog;

/// A SQLSTATE, the message to send, and whether operators need to see it in the log.
struct Classified {
    code: &'static str,
    message: String,
    log: bool,
}

/// Maps `err` to the `ErrorResponse` the client gets, logging it when operators should know.
pub(crate) fn to_pg_error(err: &Error) -> PgWireError {
    PgWireError::UserError(to_error_info(err))
}

/// `to_pg_error`'s fields, for a `Response::Error` inside a multi-statement reply.
pub(crate) fn to_error_info(err: &Error) -> Box<ErrorInfo> {
    let classified = classify(err);
    let message = scrub(&classified.message);
    if classified.log {
        tracing::error!(sqlstate = classified.code, error = %message, "statement failed");
    } else {
        // A client mistake's message may quote the data it failed on (a cast of decrypted
        // text): the client sees it, the log does not.
        tracing::debug!(sqlstate = classified.code, "statement failed");
    }
    let mut info = ErrorInfo::new(
        SEVERITY_ERROR.to_owned(),
        classified.code.to_owned(),
        message,
    );
    if let Error::Pg(err) = err {
        info.detail = err.detail.as_deref().map(scrub);
        info.hint = err.hint.as_deref().map(scrub);
    }
    Box::new(info)
}

/// The same error, but ending the connection (for failures during startup).
pub(crate) fn fatal(err: PgWireError) -> PgWireError {
    let mut info = ErrorInfo::from(err);
    info.severity = SEVERITY_FATAL.to_owned();
    PgWireError::UserError(Box::new(info))
}

/// Sent to idle connections when the server shuts down (57P01, FATAL).
pub(crate) fn admin_shutdown() -> PgWireError {
    user_error(
        SEVERITY_FATAL,
        code::ADMIN_SHUTDOWN,
        "terminating connection due to administrator command".to_owned(),
    )
}

/// Ends a session that sat idle inside a transaction block past its
/// `idle_in_transaction_session_timeout` (25P03, FATAL).
pub(crate) fn idle_in_transaction_timeout() -> PgWireError {
    user_error(
        SEVERITY_FATAL,
        code::IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
        "terminating connection due to idle-in-transaction timeout".to_owned(),
    )
}

/// A request the protocol does not allow (for example a result format code for a column
/// that does not exist).
pub(crate) fn protocol_violation(message: String) -> PgWireError {
    user_error(SEVERITY_ERROR, code::PROTOCOL_VIOLATION, message)
}

/// A bound parameter whose bytes do not decode as its type.
pub(crate) fn bad_parameter(binary: bool, message: String) -> PgWireError {
    let code = if binary {
        code::INVALID_BINARY_REPRESENTATION
    } else {
        code::INVALID_TEXT_REPRESENTATION
    };
    user_error(SEVERITY_ERROR, code, scrub(&message))
}

/// A result column asked for in binary whose type has no binary form (`aclitem`).
pub(crate) fn no_binary_output(type_name: &str) -> PgWireError {
    user_error(
        SEVERITY_ERROR,
        code::UNDEFINED_FUNCTION,
        format!("no binary output function available for type {type_name}"),
    )
}

/// A bound text or JSON parameter whose bytes are not UTF-8.
pub(crate) fn not_utf8(message: String) -> PgWireError {
    user_error(SEVERITY_ERROR, code::CHARACTER_NOT_IN_REPERTOIRE, message)
}

/// A "can't happen" state in the wire layer: logged, then reported as XX000.
pub(crate) fn internal(message: String) -> PgWireError {
    to_pg_error(&Error::Internal(message))
}

/// Replaces the secret part of every key or identity token in `text` with `<redacted>`.
pub(crate) fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((idx, prefix)) = TOKEN_PREFIXES
        .iter()
        .filter_map(|prefix| rest.find(prefix).map(|idx| (idx, *prefix)))
        .min_by_key(|(idx, _)| *idx)
    {
        out.push_str(&rest[..idx]);
        out.push_str(prefix);
        out.push_str("<redacted>");
        let after = &rest[idx + prefix.len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '=')))
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

impl ErrorHandler for ErrorLog {
    fn on_error<C>(&self, _client: &C, error: &mut PgWireError)
    where
        C: ClientInfo,
    {
        if let PgWireError::UserError(info) = error {
            // Our own errors were scrubbed and logged by `to_pg_error`; scrubbing twice is
            // harmless and covers messages built elsewhere.
            info.message = scrub(&info.message);
            return;
        }
        // pgwire's own errors can quote client input (parameter text, names); scrub them.
        let mut info = ErrorInfo::from(std::mem::replace(error, PgWireError::QueryCanceled));
        info.message = scrub(&info.message);
        if info.code == code::INTERNAL_ERROR || info.code == code::IO_ERROR {
            tracing::error!(sqlstate = %info.code, error = %info.message, "connection error");
        } else {
            tracing::debug!(sqlstate = %info.code, "request failed");
        }
        *error = PgWireError::UserError(Box::new(info));
    }
}

/// A statement ended by a CancelRequest (`timeout` false) or by `statement_timeout`.
pub(crate) fn canceled(timeout: bool) -> PgWireError {
    let why = if timeout {
        "statement timeout"
    } else {
        "user request"
    };
    user_error(
        SEVERITY_ERROR,
        code::QUERY_CANCELED,
        format!("canceling statement due to {why}"),
    )
}

fn user_error(severity: &str, code: &str, message: String) -> PgWireError {
    PgWireError::UserError(Box::new(ErrorInfo::new(
        severity.to_owned(),
        code.to_owned(),
        message,
    )))
}

fn classify(err: &Error) -> Classified {
    let (code, log) = match err {
        Error::Syntax(_) => (code::SYNTAX_ERROR, false),
        Error::StatementTooComplex(_) => (code::STATEMENT_TOO_COMPLEX, false),
        Error::UndefinedTable(_) => (code::UNDEFINED_TABLE, false),
        Error::UndefinedColumn(_) => (code::UNDEFINED_COLUMN, false),
        Error::AmbiguousColumn(_) => (code::AMBIGUOUS_COLUMN, false),
        Error::NoConflictArbiter => (code::INVALID_COLUMN_REFERENCE, false),
        Error::UndefinedFunction(_) => (code::UNDEFINED_FUNCTION, false),
        Error::UndefinedObject(_) => (code::UNDEFINED_OBJECT, false),
        Error::UndefinedSchema(_) => (code::INVALID_SCHEMA_NAME, false),
        Error::UndefinedDatabase(_) => (code::INVALID_CATALOG_NAME, false),
        Error::WrongObjectType(_) => (code::WRONG_OBJECT_TYPE, false),
        Error::DependentObjects(_) => (code::DEPENDENT_OBJECTS_STILL_EXIST, false),
        Error::RecursiveView(_) => (code::INVALID_OBJECT_DEFINITION, false),
        Error::InvalidTableDefinition(_) => (code::INVALID_TABLE_DEFINITION, false),
        Error::ReadOnlyView { .. } => (code::FEATURE_NOT_SUPPORTED, false),
        Error::DuplicateTable(_) => (code::DUPLICATE_TABLE, false),
        Error::DuplicateDatabase(_) => (code::DUPLICATE_DATABASE, false),
        Error::DuplicateObject(_) => (code::DUPLICATE_OBJECT, false),
        Error::UniqueViolation(_) => (code::UNIQUE_VIOLATION, false),
        Error::MalformedArray(_) => (code::INVALID_TEXT_REPRESENTATION, false),
        Error::InvalidParameter(_) => (code::INVALID_PARAMETER_VALUE, false),
        Error::InvalidSetting(_) => (code::INVALID_PARAMETER_VALUE, false),
        Error::NotNull(_) => (code::NOT_NULL_VIOLATION, false),
        Error::CardinalityViolation(_) => (code::CARDINALITY_VIOLATION, false),
        Error::BadCopyData(_) => (code::BAD_COPY_FILE_FORMAT, false),
        Error::CopyFailed(_) => (code::QUERY_CANCELED, false),
        Error::NotAllowed(_) | Error::InsufficientPrivilege(_) => {
            (code::INSUFFICIENT_PRIVILEGE, false)
        }
        Error::InvalidGrant(_) => (code::INVALID_GRANT_OPERATION, false),
        Error::NoSuchRoleToSet(_) => (code::INVALID_PARAMETER_VALUE, false),
        Error::WrongKey(_) | Error::InvalidPassword(_) => (code::INVALID_PASSWORD, false),
        Error::InsecureTransport => (code::INVALID_AUTHORIZATION_SPECIFICATION, false),
        Error::SerializationFailure(_) => (code::SERIALIZATION_FAILURE, false),
        Error::NoActiveTransaction(_) => (code::NO_ACTIVE_SQL_TRANSACTION, false),
        Error::UndefinedSavepoint(_) => (code::INVALID_SAVEPOINT_SPECIFICATION, false),
        Error::UndefinedCursor(_) => (code::INVALID_CURSOR_NAME, false),
        Error::DuplicateCursor(_) => (code::DUPLICATE_CURSOR, false),
        Error::CursorForwardOnly => (code::OBJECT_NOT_IN_PREREQUISITE_STATE, false),
        Error::InFailedTransaction => (code::IN_FAILED_SQL_TRANSACTION, false),
        Error::LoginNotPermitted(_) => (code::INVALID_AUTHORIZATION_SPECIFICATION, false),
        Error::TooManyAuthFailures | Error::TlsRequired => {
            (code::INVALID_AUTHORIZATION_SPECIFICATION, false)
        }
        Error::TooManyConnections => (code::TOO_MANY_CONNECTIONS, false),
        Error::AccessRevoked(_) => (code::ADMIN_SHUTDOWN, false),
        Error::ActiveTransaction(_) => (code::ACTIVE_SQL_TRANSACTION, false),
        Error::ReadOnly(_) => (code::READ_ONLY_SQL_TRANSACTION, false),
        Error::Sync(_) => (code::CONNECTION_FAILURE, false),
        // A peer served an entry that is forged or damaged: operators must hear of it.
        Error::FeatureNotSupported(_) => (code::FEATURE_NOT_SUPPORTED, false),
        Error::Query(err) => return classify_query(err),
        Error::Storage(err) => storage_code(err),
        Error::Protocol(err) => protocol_code(err),
        Error::InvalidName(_) => (code::INVALID_NAME, false),
        Error::CannotCoerce(_) => (code::CANNOT_COERCE, false),
        Error::Pg(err) => condition_code(err.condition),
        Error::Internal(_) => (code::INTERNAL_ERROR, true),
    };
    Classified {
        code,
        message: err.to_string(),
        log,
    }
}

fn storage_code(err: &mindoodb_storage::Error) -> (&'static str, bool) {
    use mindoodb_storage::Error as S;
    match err {
        S::Rocks(rocks) if rocks.to_string().contains("No space left") => (code::DISK_FULL, true),
        S::DiskFull => (code::DISK_FULL, true),
        S::Rocks(_) | S::Poisoned => (code::IO_ERROR, true),
        S::Corrupted(_) | S::DamagedEntry { .. } => (code::DATA_CORRUPTED, true),
        S::NoSuchTenant(_) => (code::INVALID_CATALOG_NAME, false),
        S::NoSuchTable(_) | S::NoSuchView(_) => (code::UNDEFINED_TABLE, false),
        S::NoSuchRole(_) => (code::UNDEFINED_OBJECT, false),
        S::AlreadyExists(_) => (code::DUPLICATE_OBJECT, false),
        S::InvalidName(_) => (code::INVALID_NAME, false),
        S::DuplicateDocument(_) => (code::UNIQUE_VIOLATION, false),
        S::Conflict { .. } => (code::SERIALIZATION_FAILURE, false),
        // A local write to a document that vanished since it was read: a lost race.
        S::NoSuchDocument(_) => (code::SERIALIZATION_FAILURE, false),
        S::ForeignParent { .. } => (code::INTEGRITY_CONSTRAINT_VIOLATION, false),
        S::Closed => (code::ADMIN_SHUTDOWN, false),
        S::ReadOnlyTable(_) | S::ReadOnlyStore => (code::READ_ONLY_SQL_TRANSACTION, false),
        S::Thread(_) => (code::INSUFFICIENT_RESOURCES, true),
        // Commits without their entries or their author's previous commit, and audit records
        // that do not extend their chain, are refused like an entry whose parent is elsewhere.
        S::IncompleteCommit { .. } | S::UnknownPrevCommit { .. } | S::AuditChain { .. } => {
            (code::INTEGRITY_CONSTRAINT_VIOLATION, false)
        }
        S::InvalidCommit(_) | S::InvalidReceipt(_) => (code::INVALID_PARAMETER_VALUE, false),
        // Two receipts of one server over the same commits: the server equivocated. Logged.
        S::ReceiptConflict { .. } => (code::INTEGRITY_CONSTRAINT_VIOLATION, true),
        S::WriterList(err) => writer_list_code(err),
    }
}

fn writer_list_code(err: &mindoodb_protocol::WriterListError) -> (&'static str, bool) {
    use mindoodb_protocol::WriterListError as W;
    match err {
        W::NotAdmin(_) => (code::INSUFFICIENT_PRIVILEGE, false),
        // Another change landed first, or a peer's list forked from this one.
        W::NotNext { .. } => (code::SERIALIZATION_FAILURE, false),
        W::BadGenesis | W::Revoked(_) | W::Unknown(_) | W::LastAdmin(_) => {
            (code::INVALID_PARAMETER_VALUE, false)
        }
    }
}

fn protocol_code(err: &mindoodb_protocol::Error) -> (&'static str, bool) {
    use mindoodb_protocol::Error as P;
    match err {
        P::Malformed(_) | P::UnsupportedVersion(_) | P::TrailingBytes => {
            (code::INVALID_BINARY_REPRESENTATION, false)
        }
        // A document or entry field above the format's limit (16 MiB for a document).
        P::Oversize { .. } => (code::PROGRAM_LIMIT_EXCEEDED, false),
        P::InvalidDocId(_) | P::InvalidDraft(_) | P::BadToken(_) | P::Kdf(_) => {
            (code::INVALID_PARAMETER_VALUE, false)
        }
        P::InvalidKeyName(_) | P::InvalidRole(_) => (code::INVALID_NAME, false),
        P::Keybox(_) => (code::INVALID_PARAMETER_VALUE, false),
        P::WrongKey { .. } => (code::INSUFFICIENT_PRIVILEGE, false),
        // The key check value passed, so a failed open means altered bytes.
        P::Decrypt | P::Verify(_) => (code::DATA_CORRUPTED, true),
        P::Rng => (code::INTERNAL_ERROR, true),
        P::InvalidCommit(_) => (code::INVALID_PARAMETER_VALUE, false),
    }
}

/// PostgreSQL's SQLSTATE for a condition `mindoodb-pgfn` raises (errcodes.txt).
fn condition_code(condition: Condition) -> (&'static str, bool) {
    let code = match condition {
        Condition::InvalidTextRepresentation => code::INVALID_TEXT_REPRESENTATION,
        Condition::InvalidParameterValue => code::INVALID_PARAMETER_VALUE,
        Condition::NumericValueOutOfRange => code::NUMERIC_VALUE_OUT_OF_RANGE,
        Condition::DivisionByZero => code::DIVISION_BY_ZERO,
        Condition::InvalidDatetimeFormat => code::INVALID_DATETIME_FORMAT,
        Condition::DatetimeFieldOverflow => code::DATETIME_FIELD_OVERFLOW,
        Condition::IntervalFieldOverflow => code::INTERVAL_FIELD_OVERFLOW,
        Condition::InvalidTimeZoneDisplacementValue => code::INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
        Condition::InvalidBinaryRepresentation => code::INVALID_BINARY_REPRESENTATION,
        Condition::UntranslatableCharacter => code::UNTRANSLATABLE_CHARACTER,
        Condition::InvalidRegularExpression => code::INVALID_REGULAR_EXPRESSION,
        Condition::SingletonSqlJsonItemRequired => code::SINGLETON_SQL_JSON_ITEM_REQUIRED,
        Condition::SqlJsonArrayNotFound => code::SQL_JSON_ARRAY_NOT_FOUND,
        Condition::SqlJsonMemberNotFound => code::SQL_JSON_MEMBER_NOT_FOUND,
        Condition::SqlJsonNumberNotFound => code::SQL_JSON_NUMBER_NOT_FOUND,
        Condition::SqlJsonObjectNotFound => code::SQL_JSON_OBJECT_NOT_FOUND,
        Condition::InvalidSqlJsonSubscript => code::INVALID_SQL_JSON_SUBSCRIPT,
        Condition::NonNumericSqlJsonItem => code::NON_NUMERIC_SQL_JSON_ITEM,
        Condition::SyntaxError => code::SYNTAX_ERROR,
        Condition::FeatureNotSupported => code::FEATURE_NOT_SUPPORTED,
        Condition::ProgramLimitExceeded => code::PROGRAM_LIMIT_EXCEEDED,
        Condition::StatementTooComplex => code::STATEMENT_TOO_COMPLEX,
        Condition::UndefinedObject => code::UNDEFINED_OBJECT,
        Condition::InvalidName => code::INVALID_NAME,
        Condition::ArraySubscriptError => code::ARRAY_SUBSCRIPT_ERROR,
        Condition::ZeroLengthCharacterString => code::ZERO_LENGTH_CHARACTER_STRING,
        Condition::NullValueNotAllowed => code::NULL_VALUE_NOT_ALLOWED,
        Condition::ProtocolViolation => code::PROTOCOL_VIOLATION,
        Condition::CharacterNotInRepertoire => code::CHARACTER_NOT_IN_REPERTOIRE,
        // PostgreSQL's elog(ERROR) for a state it deems impossible: operators should see it.
        Condition::InternalError => return (code::INTERNAL_ERROR, true),
    };
    (code, false)
}

fn classify_query(err: &DataFusionError) -> Classified {
    let plain = |code, message: &str| Classified {
        code,
        message: message.to_owned(),
        log: false,
    };
    match err {
        DataFusionError::SQL(parser, _) => plain(code::SYNTAX_ERROR, &parser.to_string()),
        DataFusionError::Plan(message) => classify_plan(message),
        DataFusionError::SchemaError(schema, _) => match schema.as_ref() {
            SchemaError::FieldNotFound { field, .. } => Classified {
                code: code::UNDEFINED_COLUMN,
                message: format!("column \"{}\" does not exist", field.name()),
                log: false,
            },
            SchemaError::AmbiguousReference { .. } => {
                plain(code::AMBIGUOUS_COLUMN, &schema.to_string())
            }
            SchemaError::DuplicateQualifiedField { .. }
            | SchemaError::DuplicateUnqualifiedField { .. } => {
                plain(code::DUPLICATE_COLUMN, &schema.to_string())
            }
        },
        DataFusionError::NotImplemented(message) => plain(code::FEATURE_NOT_SUPPORTED, message),
        DataFusionError::Configuration(message) => plain(code::INVALID_PARAMETER_VALUE, message),
        // Runtime failures of a valid plan are almost always the data's fault (bad casts, bad
        // JSON in a UDF); internal faults arrive as Internal.
        DataFusionError::Execution(message) => plain(code::DATA_EXCEPTION, message),
        DataFusionError::ArrowError(arrow, _) => classify_arrow(arrow),
        DataFusionError::ResourcesExhausted(message) => Classified {
            code: code::OUT_OF_MEMORY,
            message: message.clone(),
            log: true,
        },
        DataFusionError::External(inner) => match inner.downcast_ref::<Error>() {
            // UDFs and providers wrap our own errors; classify them as ours.
            Some(ours) => classify(ours),
            None => internal_query(err),
        },
        DataFusionError::Context(_, inner) | DataFusionError::Diagnostic(_, inner) => {
            classify_query(inner)
        }
        DataFusionError::Shared(inner) => classify_query(inner),
        DataFusionError::Collection(errs) => match errs.first() {
            Some(first) => classify_query(first),
            None => internal_query(err),
        },
        DataFusionError::IoError(_) | DataFusionError::ObjectStore(_) => Classified {
            code: code::IO_ERROR,
            message: err.to_string(),
            log: true,
        },
        DataFusionError::Internal(_)
        | DataFusionError::ExecutionJoin(_)
        | DataFusionError::Substrait(_)
        | DataFusionError::Ffi(_) => internal_query(err),
    }
}

fn classify_plan(message: &str) -> Classified {
    let (code, message) = if let Some(table) = message
        .strip_prefix("table '")
        .and_then(|rest| rest.split_once("' not found"))
        .map(|(table, _)| table)
    {
        // Postgres names the relation as written, without our catalog and schema.
        let name = table.rsplit('.').next().unwrap_or(table);
        (
            code::UNDEFINED_TABLE,
            format!("relation \"{name}\" does not exist"),
        )
    } else if message.contains("No field named") || message.contains("column '") {
        (code::UNDEFINED_COLUMN, message.to_owned())
    } else if message.starts_with("Invalid function")
        || (message.starts_with("table function '") && message.ends_with("' not found"))
        // Postgres: "operator does not exist: integer + text".
        || message.starts_with("Cannot coerce arithmetic expression")
        || message.contains("No function matches")
        || message.contains("There is no function")
    {
        (code::UNDEFINED_FUNCTION, message.to_owned())
    } else {
        (
            code::SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION,
            message.to_owned(),
        )
    };
    Classified {
        code,
        message,
        log: false,
    }
}

fn classify_arrow(err: &ArrowError) -> Classified {
    let (code, log) = match err {
        ArrowError::DivideByZero => (code::DIVISION_BY_ZERO, false),
        ArrowError::ArithmeticOverflow(_) => (code::NUMERIC_VALUE_OUT_OF_RANGE, false),
        ArrowError::CastError(_) | ArrowError::ParseError(_) | ArrowError::JsonError(_) => {
            (code::INVALID_TEXT_REPRESENTATION, false)
        }
        ArrowError::InvalidArgumentError(_) => (code::INVALID_PARAMETER_VALUE, false),
        ArrowError::NotYetImplemented(_) => (code::FEATURE_NOT_SUPPORTED, false),
        ArrowError::MemoryError(_) => (code::OUT_OF_MEMORY, true),
        ArrowError::IoError(..) => (code::IO_ERROR, true),
        ArrowError::ExternalError(_)
        | ArrowError::SchemaError(_)
        | ArrowError::ComputeError(_)
        | ArrowError::CsvError(_)
        | ArrowError::AvroError(_)
        | ArrowError::IpcError(_)
        | ArrowError::ParquetError(_)
        | ArrowError::CDataInterface(_)
        | ArrowError::DictionaryKeyOverflowError
        | ArrowError::RunEndIndexOverflowError
        | ArrowError::OffsetOverflowError(_) => (code::INTERNAL_ERROR, true),
    };
    Classified {
        code,
        message: err.to_string(),
        log,
    }
}

fn internal_query(err: &DataFusionError) -> Classified {
    Classified {
        code: code::INTERNAL_ERROR,
        message: err.to_string(),
        log: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(err: &Error) -> String {
        match to_pg_error(err) {
            PgWireError::UserError(info) => info.code,
            other => panic!("not a user error: {other:?}"),
        }
    }

    #[test]
    fn scrubs_key_and_identity_tokens() {
        let text = "bad key mdbk1.hr.2.AbC-_x= and mdbi1.QQ, done";
        assert_eq!(
            scrub(text),
            "bad key mdbk1.<redacted> and mdbi1.<redacted>, done"
        );
        assert_eq!(scrub("nothing here"), "nothing here");
        assert_eq!(scrub("mdbk1."), "mdbk1.<redacted>");
    }

    #[test]
    fn our_errors_keep_their_sqlstates() {
        let cases = [
            (Error::Syntax("x".into()), "42601"),
            (Error::StatementTooComplex("x".into()), "54001"),
            (Error::UndefinedTable("t".into()), "42P01"),
            (Error::UndefinedDatabase("d".into()), "3D000"),
            (Error::UniqueViolation("1".into()), "23505"),
            (Error::AmbiguousColumn("data".into()), "42702"),
            (Error::NoConflictArbiter, "42P10"),
            (Error::CardinalityViolation("x"), "21000"),
            (Error::MalformedArray("x".into()), "22P02"),
            (
                Error::Pg(mindoodb_pgfn::Error::new(
                    Condition::SqlJsonMemberNotFound,
                    "x",
                )),
                "2203A",
            ),
            (Error::CannotCoerce("integer to jsonb".into()), "42846"),
            (Error::NotAllowed("x".into()), "42501"),
            (Error::InsufficientPrivilege("x".into()), "42501"),
            (Error::InvalidGrant("x".into()), "0LP01"),
            (Error::NoSuchRoleToSet("r".into()), "22023"),
            (Error::InvalidSetting("x".into()), "22023"),
            (Error::WrongKey("k".into()), "28P01"),
            (Error::InsecureTransport, "28000"),
            (Error::SerializationFailure("1".into()), "40001"),
            (Error::InFailedTransaction, "25P02"),
            (Error::NoActiveTransaction("SAVEPOINT"), "25P01"),
            (Error::UndefinedCursor("c".into()), "34000"),
            (Error::DuplicateCursor("c".into()), "42P03"),
            (Error::CursorForwardOnly, "55000"),
            (Error::UndefinedSavepoint("s".into()), "3B001"),
            (Error::LoginNotPermitted("r".into()), "28000"),
            (Error::TooManyAuthFailures, "28000"),
            (Error::TooManyConnections, "53300"),
            (Error::TlsRequired, "28000"),
            (Error::AccessRevoked("x".into()), "57P01"),
            (Error::WrongObjectType("x".into()), "42809"),
            (Error::DependentObjects("x".into()), "2BP01"),
            (Error::RecursiveView("v".into()), "42P17"),
            (Error::InvalidTableDefinition("x".into()), "42P16"),
            (
                Error::ReadOnlyView {
                    verb: "insert into",
                    name: "v".into(),
                },
                "0A000",
            ),
            (Error::ActiveTransaction("COPY".into()), "25001"),
            (Error::ReadOnly("INSERT".into()), "25006"),
            (Error::Sync("peer unreachable".into()), "08006"),
            (Error::CopyFailed("gave up".into()), "57014"),
            (Error::BadCopyData("x".into()), "22P04"),
            (Error::FeatureNotSupported("x".into()), "0A000"),
            (Error::Internal("x".into()), "XX000"),
        ];
        for (err, expected) in cases {
            assert_eq!(code_of(&err), expected, "{err}");
        }
    }

    #[test]
    fn datafusion_errors_are_classified() {
        let missing = Error::Query(DataFusionError::Plan(
            "table 'mindoo.public.nope' not found".into(),
        ));
        assert_eq!(code_of(&missing), "42P01");
        match to_pg_error(&missing) {
            PgWireError::UserError(info) => {
                assert_eq!(info.message, "relation \"nope\" does not exist")
            }
            other => panic!("{other:?}"),
        }
        let function = Error::Query(DataFusionError::Plan("Invalid function 'nope'".into()));
        assert_eq!(code_of(&function), "42883");
        let todo = Error::Query(DataFusionError::NotImplemented("x".into()));
        assert_eq!(code_of(&todo), "0A000");
        let wrapped = Error::Query(DataFusionError::External(Box::new(Error::Pg(
            mindoodb_pgfn::jsonb::parse("01").unwrap_err(),
        ))));
        assert_eq!(code_of(&wrapped), "22P02");
    }

    #[test]
    fn storage_conflicts_and_duplicates() {
        let dup = Error::Storage(mindoodb_storage::Error::AlreadyExists("role x".into()));
        assert_eq!(code_of(&dup), "42710");
        let closed = Error::Storage(mindoodb_storage::Error::Poisoned);
        assert_eq!(code_of(&closed), "58030");
        let fork = mindoodb_protocol::WriterListError::NotNext {
            seq: 3,
            expected: 2,
        };
        assert_eq!(code_of(&Error::Storage(fork.into())), "40001");
    }
}
