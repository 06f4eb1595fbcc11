//! SQLSTATE codes, by PostgreSQL class, named after PostgreSQL's condition names
//! (errcodes.txt): the one place a code is spelled. `pg/error.rs` classifies errors with them
//! and `pg/notice.rs` notices and warnings.
//!
//! Invariants:
//! - Every code here is PostgreSQL 15's for the condition it is named after.

// Class 00: successful completion (a NOTICE's code).
pub(crate) const SUCCESSFUL_COMPLETION: &str = "00000";
// Class 01: warning.
pub(crate) const WARNING: &str = "01000";
pub(crate) const PRIVILEGE_NOT_REVOKED: &str = "01006";
pub(crate) const PRIVILEGE_NOT_GRANTED: &str = "01007";
// Class 08: connection exception.
pub(crate) const CONNECTION_FAILURE: &str = "08006";
pub(crate) const PROTOCOL_VIOLATION: &str = "08P01";
// Class 0A: feature not supported.
pub(crate) const FEATURE_NOT_SUPPORTED: &str = "0A000";
// Class 21: cardinality violation.
pub(crate) const CARDINALITY_VIOLATION: &str = "21000";
// Class 22: data exception.
pub(crate) const DATA_EXCEPTION: &str = "22000";
pub(crate) const NULL_VALUE_NOT_ALLOWED: &str = "22004";
pub(crate) const INVALID_DATETIME_FORMAT: &str = "22007";
pub(crate) const DATETIME_FIELD_OVERFLOW: &str = "22008";
pub(crate) const INVALID_TIME_ZONE_DISPLACEMENT_VALUE: &str = "22009";
pub(crate) const INTERVAL_FIELD_OVERFLOW: &str = "22015";
pub(crate) const ZERO_LENGTH_CHARACTER_STRING: &str = "2200F";
pub(crate) const INVALID_REGULAR_EXPRESSION: &str = "2201B";
pub(crate) const ARRAY_SUBSCRIPT_ERROR: &str = "2202E";
pub(crate) const INVALID_SQL_JSON_SUBSCRIPT: &str = "22033";
pub(crate) const NON_NUMERIC_SQL_JSON_ITEM: &str = "22036";
pub(crate) const SINGLETON_SQL_JSON_ITEM_REQUIRED: &str = "22038";
pub(crate) const SQL_JSON_ARRAY_NOT_FOUND: &str = "22039";
pub(crate) const SQL_JSON_MEMBER_NOT_FOUND: &str = "2203A";
pub(crate) const SQL_JSON_NUMBER_NOT_FOUND: &str = "2203B";
pub(crate) const SQL_JSON_OBJECT_NOT_FOUND: &str = "2203C";
pub(crate) const UNTRANSLATABLE_CHARACTER: &str = "22P05";
pub(crate) const CHARACTER_NOT_IN_REPERTOIRE: &str = "22021";
pub(crate) const NUMERIC_VALUE_OUT_OF_RANGE: &str = "22003";
pub(crate) const DIVISION_BY_ZERO: &str = "22012";
pub(crate) const INVALID_PARAMETER_VALUE: &str = "22023";
pub(crate) const INVALID_TEXT_REPRESENTATION: &str = "22P02";
pub(crate) const INVALID_BINARY_REPRESENTATION: &str = "22P03";
pub(crate) const BAD_COPY_FILE_FORMAT: &str = "22P04";
// Class 23: integrity constraint violation.
pub(crate) const INTEGRITY_CONSTRAINT_VIOLATION: &str = "23000";
pub(crate) const NOT_NULL_VIOLATION: &str = "23502";
pub(crate) const UNIQUE_VIOLATION: &str = "23505";
// Class 25: invalid transaction state.
pub(crate) const NO_ACTIVE_SQL_TRANSACTION: &str = "25P01";
pub(crate) const ACTIVE_SQL_TRANSACTION: &str = "25001";
pub(crate) const READ_ONLY_SQL_TRANSACTION: &str = "25006";
pub(crate) const IN_FAILED_SQL_TRANSACTION: &str = "25P02";
pub(crate) const IDLE_IN_TRANSACTION_SESSION_TIMEOUT: &str = "25P03";
// Class 28: invalid authorization specification.
pub(crate) const INVALID_AUTHORIZATION_SPECIFICATION: &str = "28000";
pub(crate) const INVALID_PASSWORD: &str = "28P01";
// Class 2B: dependent privilege descriptors still exist.
pub(crate) const DEPENDENT_OBJECTS_STILL_EXIST: &str = "2BP01";
// Class 3B: savepoint exception.
pub(crate) const INVALID_SAVEPOINT_SPECIFICATION: &str = "3B001";
// Class 34: invalid cursor name.
pub(crate) const INVALID_CURSOR_NAME: &str = "34000";
// Class 3D: invalid catalog name.
pub(crate) const INVALID_CATALOG_NAME: &str = "3D000";
// Class 3F: invalid schema name.
pub(crate) const INVALID_SCHEMA_NAME: &str = "3F000";
// Class 40: transaction rollback.
pub(crate) const SERIALIZATION_FAILURE: &str = "40001";
// Class 42: syntax error or access rule violation.
pub(crate) const SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION: &str = "42000";
pub(crate) const SYNTAX_ERROR: &str = "42601";
pub(crate) const INSUFFICIENT_PRIVILEGE: &str = "42501";
pub(crate) const INVALID_GRANT_OPERATION: &str = "0LP01";
pub(crate) const INVALID_NAME: &str = "42602";
pub(crate) const DUPLICATE_COLUMN: &str = "42701";
pub(crate) const AMBIGUOUS_COLUMN: &str = "42702";
pub(crate) const INVALID_COLUMN_REFERENCE: &str = "42P10";
pub(crate) const UNDEFINED_COLUMN: &str = "42703";
pub(crate) const UNDEFINED_FUNCTION: &str = "42883";
pub(crate) const CANNOT_COERCE: &str = "42846";
pub(crate) const UNDEFINED_TABLE: &str = "42P01";
pub(crate) const UNDEFINED_OBJECT: &str = "42704";
pub(crate) const WRONG_OBJECT_TYPE: &str = "42809";
pub(crate) const DUPLICATE_DATABASE: &str = "42P04";
pub(crate) const DUPLICATE_TABLE: &str = "42P07";
pub(crate) const DUPLICATE_OBJECT: &str = "42710";
pub(crate) const DUPLICATE_CURSOR: &str = "42P03";
pub(crate) const INVALID_TABLE_DEFINITION: &str = "42P16";
pub(crate) const INVALID_OBJECT_DEFINITION: &str = "42P17";
// Class 53: insufficient resources.
pub(crate) const INSUFFICIENT_RESOURCES: &str = "53000";
pub(crate) const TOO_MANY_CONNECTIONS: &str = "53300";
pub(crate) const DISK_FULL: &str = "53100";
pub(crate) const OUT_OF_MEMORY: &str = "53200";
// Class 54: program limit exceeded.
pub(crate) const PROGRAM_LIMIT_EXCEEDED: &str = "54000";
pub(crate) const STATEMENT_TOO_COMPLEX: &str = "54001";
// Class 55: object not in prerequisite state.
pub(crate) const OBJECT_NOT_IN_PREREQUISITE_STATE: &str = "55000";
// Class 57: operator intervention.
pub(crate) const QUERY_CANCELED: &str = "57014";
pub(crate) const ADMIN_SHUTDOWN: &str = "57P01";
// Class 58: system error.
pub(crate) const IO_ERROR: &str = "58030";
// Class XX: internal error.
pub(crate) const INTERNAL_ERROR: &str = "XX000";
pub(crate) const DATA_CORRUPTED: &str = "XX001";
