//! Notices and warnings a statement raises while it succeeds: what PostgreSQL sends as a
//! NoticeResponse before the statement's reply (`NOTICE: table "t" does not exist, skipping`,
//! `WARNING: no privileges were granted for "t"`). The engine raises them with
//! `Session::notice`; `pg/notice.rs` gives each its severity and SQLSTATE and sends them.
//!
//! Invariants:
//! - Each variant is one PostgreSQL 15 message, with the same condition and text.
//! - A notice names objects only (tables, roles, databases), never document content or keys.

/// One notice or warning, with the objects it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
    /// A GRANT or REVOKE that could do none (`nothing`) or not all of what it named, for lack
    /// of grant options; `object` as PostgreSQL names it (`"t"`, `column "a" of relation
    /// "t"`).
    Unprivileged {
        revoke: bool,
        nothing: bool,
        object: String,
    },
    /// BEGIN inside a transaction block (which goes on).
    AlreadyInTransaction,
    /// COMMIT or ROLLBACK outside a transaction block.
    NoTransaction,
    /// DROP ... IF EXISTS of something that does not exist: its kind (`table`) and name.
    Skipped { kind: &'static str, name: String },
    /// CREATE ... IF NOT EXISTS of a relation that exists.
    RelationExists(String),
    /// DROP ... CASCADE dropped these dependent objects too (`view v`).
    DropCascades(Vec<String>),
    /// GRANT of a role to a member it already has.
    AlreadyMember { member: String, role: String },
    /// REVOKE of a role from a role that is not its member.
    NotMember { member: String, role: String },
}
