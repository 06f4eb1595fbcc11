//! The server's error type: everything a statement or a connection can fail with.
//!
//! Invariants:
//! - Messages never contain key material, tokens, passphrases or document plaintext.
//! - Each variant maps to exactly one SQLSTATE in `pg/error.rs` (an exhaustive match).

/// Everything a session can fail with; `pg/error.rs` turns it into a SQLSTATE.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The statement does not parse.
    #[error("syntax error: {0}")]
    Syntax(String),
    /// The statement nests deeper, or its parse backtracks more, than the parser allows; the
    /// text says which.
    #[error("statement is too complex: {0}")]
    StatementTooComplex(String),
    /// No such table or view.
    #[error("relation \"{0}\" does not exist")]
    UndefinedTable(String),
    /// No such column.
    #[error("column \"{0}\" does not exist")]
    UndefinedColumn(String),
    /// A bare column name that more than one relation in scope has.
    #[error("column reference \"{0}\" is ambiguous")]
    AmbiguousColumn(String),
    /// ON CONFLICT names columns no unique constraint has (only the id is unique).
    #[error("there is no unique or exclusion constraint matching the ON CONFLICT specification")]
    NoConflictArbiter,
    /// No such function.
    #[error("function {0} does not exist")]
    UndefinedFunction(String),
    /// No such key, role or other named object.
    #[error("{0} does not exist")]
    UndefinedObject(String),
    /// No such schema.
    #[error("schema \"{0}\" does not exist")]
    UndefinedSchema(String),
    /// No such database (tenant).
    #[error("database \"{0}\" does not exist")]
    UndefinedDatabase(String),
    /// The relation is of another kind than the statement needs (a view where a table must be).
    #[error("{0}")]
    WrongObjectType(String),
    /// Views depend on a relation being dropped without CASCADE.
    #[error("{0}")]
    DependentObjects(String),
    /// A view would read itself, directly or through other views.
    #[error("infinite recursion detected in view \"{0}\"")]
    RecursiveView(String),
    /// A view replacement that drops, renames or retypes columns.
    #[error("{0}")]
    InvalidTableDefinition(String),
    /// INSERT, UPDATE or DELETE naming a view.
    #[error("cannot {verb} view \"{name}\": views are read-only, write to the tables it reads")]
    ReadOnlyView {
        /// `insert into`, `update` or `delete from`.
        verb: &'static str,
        /// The view.
        name: String,
    },
    /// A table or view of that name exists.
    #[error("relation \"{0}\" already exists")]
    DuplicateTable(String),
    /// A database of that name exists.
    #[error("database \"{0}\" already exists")]
    DuplicateDatabase(String),
    /// A role, key or other object of that name exists.
    #[error("{0} already exists")]
    DuplicateObject(String),
    /// A document with that id exists.
    #[error("duplicate key value violates unique constraint: id {0} already exists")]
    UniqueViolation(String),
    /// Text that should be an array literal (`{a,b}`) is not.
    #[error("malformed array literal: {0}")]
    MalformedArray(String),
    /// COPY data that does not have the shape COPY expects.
    #[error("{0}")]
    BadCopyData(String),
    /// The client ended a COPY FROM STDIN with CopyFail.
    #[error("COPY from stdin failed: {0}")]
    CopyFailed(String),
    /// A value is out of range or of the wrong shape.
    #[error("invalid parameter value: {0}")]
    InvalidParameter(String),
    /// SET (or `set_config`) of a value the parameter does not take, in PostgreSQL's words.
    #[error("{0}")]
    InvalidSetting(String),
    /// More rows than a construct allows: a scalar subquery's second row, a row that
    /// ON CONFLICT DO UPDATE would change twice. The text is PostgreSQL's.
    #[error("{0}")]
    CardinalityViolation(&'static str),
    /// A required value is missing.
    #[error("null value in column \"{0}\" violates not-null constraint")]
    NotNull(String),
    /// The session lacks the key a statement needs, or the role lacks a privilege.
    #[error("permission denied: {0}")]
    NotAllowed(String),
    /// The current role lacks a privilege, in PostgreSQL's words (`permission denied for
    /// table t`, `must be owner of view v`).
    #[error("{0}")]
    InsufficientPrivilege(String),
    /// A GRANT or REVOKE that cannot be (a privilege the object does not have, a circular
    /// role membership).
    #[error("{0}")]
    InvalidGrant(String),
    /// SET ROLE to a role that does not exist.
    #[error("role \"{0}\" does not exist")]
    NoSuchRoleToSet(String),
    /// A presented key does not match the check value the tenant registered for it.
    #[error("key {0} does not match the key registered under that name and version")]
    WrongKey(String),
    /// Keys may only be presented over TLS, loopback or a Unix socket.
    #[error(
        "keys may only be sent over TLS, loopback or a Unix socket; this connection is none of those"
    )]
    InsecureTransport,
    /// Concurrent writers touched the same document; retry the transaction.
    #[error("could not serialize access due to concurrent update of document {0}")]
    SerializationFailure(String),
    /// A write reached a read-only mirror.
    #[error("cannot execute {0} on a read-only mirror")]
    ReadOnly(String),
    /// A sync could not reach its peer, or the peer refused a request.
    #[error("sync: {0}")]
    Sync(String),
    /// SAVEPOINT, ROLLBACK TO or RELEASE outside a transaction block.
    #[error("{0} can only be used in transaction blocks")]
    NoActiveTransaction(&'static str),
    /// FETCH or CLOSE of a cursor the session has not declared.
    #[error("cursor \"{0}\" does not exist")]
    UndefinedCursor(String),
    /// DECLARE of a cursor name the session already has.
    #[error("cursor \"{0}\" already exists")]
    DuplicateCursor(String),
    /// A FETCH direction other than forward.
    #[error("cursor can only scan forward")]
    CursorForwardOnly,
    /// ROLLBACK TO or RELEASE of a savepoint the transaction does not have.
    #[error("savepoint \"{0}\" does not exist")]
    UndefinedSavepoint(String),
    /// The statement cannot run inside a transaction block.
    #[error("{0} cannot run inside a transaction block")]
    ActiveTransaction(String),
    /// An earlier statement of this transaction failed.
    #[error("current transaction is aborted, commands ignored until end of transaction block")]
    InFailedTransaction,
    /// The login failed.
    #[error("password authentication failed for user \"{0}\"")]
    InvalidPassword(String),
    /// The client address failed to authenticate too often in the last minute.
    #[error("too many failed authentication attempts from this address; try again in a minute")]
    TooManyAuthFailures,
    /// The server has `--max-connections` connections open.
    #[error("sorry, too many clients already")]
    TooManyConnections,
    /// The server runs with --tls-only and the client did not start TLS.
    #[error("this server accepts TLS connections only; connect with sslmode=require")]
    TlsRequired,
    /// The session's role was dropped, lost LOGIN, or lost CONNECT on its database.
    #[error("terminating connection: {0}")]
    AccessRevoked(String),
    /// The role authenticated but lacks LOGIN.
    #[error("role \"{0}\" is not permitted to log in")]
    LoginNotPermitted(String),
    /// Valid SQL that MindooDB does not support.
    #[error("not supported: {0}")]
    FeatureNotSupported(String),
    /// The query engine rejected or failed the statement.
    #[error(transparent)]
    Query(#[from] datafusion::error::DataFusionError),
    /// The storage engine failed.
    #[error(transparent)]
    Storage(#[from] mindoodb_storage::Error),
    /// An entry, key or token failed a protocol check.
    #[error(transparent)]
    Protocol(#[from] mindoodb_protocol::Error),
    /// A name's text does not parse as a name (`'a.'::regclass`).
    #[error("{0}")]
    InvalidName(String),
    /// A cast PostgreSQL does not have (`1::jsonb`); the text names both types.
    #[error("cannot cast type {0}")]
    CannotCoerce(String),
    /// A PostgreSQL function of `mindoodb-pgfn` refused its input, with PostgreSQL's condition
    /// and message.
    #[error(transparent)]
    Pg(#[from] mindoodb_pgfn::Error),
    /// A "can't happen" state; see the log.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Carries our error through DataFusion so its SQLSTATE survives.
    pub(crate) fn into_datafusion(self) -> datafusion::error::DataFusionError {
        datafusion::error::DataFusionError::External(Box::new(self))
    }
}

/// Unwraps our own errors that travelled through DataFusion (from table scans); anything
/// else DataFusion raised is a query error.
pub(crate) fn from_datafusion(err: datafusion::error::DataFusionError) -> Error {
    use datafusion::error::DataFusionError;
    match err {
        DataFusionError::External(inner) => match inner.downcast::<Error>() {
            Ok(ours) => *ours,
            Err(other) => Error::Query(DataFusionError::External(other)),
        },
        DataFusionError::Context(_, inner) => from_datafusion(*inner),
        DataFusionError::Shared(shared) => match std::sync::Arc::try_unwrap(shared) {
            Ok(inner) => from_datafusion(inner),
            Err(shared) => Error::Query(DataFusionError::Shared(shared)),
        },
        other => Error::Query(other),
    }
}

/// The server's result type.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
