//! DDL: document tables (CREATE TABLE, ALTER TABLE), views, databases (tenants), roles and
//! grants.
//!
//! Invariants:
//! - Only superusers create or drop databases and roles. Inside a tenant PostgreSQL's
//!   privileges decide (`session/privileges.rs`): CREATE on the schema to create a table or
//!   view, ownership to alter, replace or drop one, grant options to grant.
//! - DROP ROLE, ALTER ROLE, REVOKE and DROP DATABASE announce `access_changed`, so open
//!   sessions that lost access end.

pub(crate) mod databases;
pub(crate) mod grants;
pub(crate) mod roles;
pub(crate) mod tables;
pub(crate) mod views;

use crate::engine::session::Session;
use crate::error::{Error, Result};
use crate::output::Output;

fn command(tag: &'static str) -> Output {
    Output::Command { tag, rows: None }
}

fn require_superuser(session: &Session, what: &str) -> Result<()> {
    if session.role().superuser {
        Ok(())
    } else {
        Err(Error::NotAllowed(format!("only superusers may {what}")))
    }
}

/// A catalog write that may find the name taken or invalid.
fn already(err: mindoodb_storage::Error, instead: Error) -> Error {
    match err {
        mindoodb_storage::Error::AlreadyExists(_) => instead,
        mindoodb_storage::Error::InvalidName(name) => Error::InvalidParameter(format!(
            "invalid name \"{name}\": names are 1 to 63 bytes without control characters"
        )),
        other => other.into(),
    }
}
