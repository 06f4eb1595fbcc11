//! CREATE TABLE and ALTER TABLE of document tables. Every document table has the same columns
//! (`catalog::doc_columns`); a table may name its default key (`WITH (key = 'hr')`), be
//! archived (`ALTER TABLE t SET (read_only = true)`: writes are refused until it is lifted) and
//! have its reads audited (`ALTER TABLE t SET (audit_reads = on)`, docs/SECURITY.md#read-audit).
//!
//! Invariants:
//! - CREATE TABLE takes no column list: the columns are fixed.
//! - Archiving changes only the catalog flag; the table's log is never changed.
//! - Only the table's owner (or a superuser) changes either flag.

use datafusion::sql::sqlparser::ast::{
    AlterTable, AlterTableOperation, CreateTable, CreateTableOptions, Expr, Owner, SqlOption,
};
use mindoodb_protocol::KeyName;

use super::{already, command};
use crate::catalog::names;
use crate::engine::session::Session;
use crate::engine::sql::literal::value_text;
use crate::error::{Error, Result};
use crate::notice::Notice;
use crate::output::Output;

/// CREATE TABLE [IF NOT EXISTS] name () [WITH (key = 'name')].
pub(crate) fn create(session: &mut Session, create: &CreateTable) -> Result<Output> {
    if !create.columns.is_empty() || create.query.is_some() {
        return Err(Error::FeatureNotSupported(
            "document tables have fixed columns (id, data, rev, seq, key_id, author, created_at, updated_at): use CREATE TABLE name ()".into(),
        ));
    }
    let store = session.store();
    let tenant = session.tenant().id;
    let name = names::relation(&create.name)?;
    let default_key = key_option(&create.table_options)?;
    if store.table(tenant, &name).is_some() {
        if create.if_not_exists {
            session.notice(Notice::RelationExists(name));
            return Ok(command("CREATE TABLE"));
        }
        return Err(Error::DuplicateTable(name));
    }
    session.require_create()?;
    store
        .create_table(tenant, &name, default_key, session.new_relation_access()?)
        .map_err(|e| already(e, Error::DuplicateTable(name.clone())))?;
    Ok(command("CREATE TABLE"))
}

/// `ALTER TABLE name SET (read_only = true|false, audit_reads = on|off)` and `ALTER TABLE
/// name OWNER TO role`.
pub(crate) fn alter(session: &mut Session, alter: &AlterTable) -> Result<Output> {
    let name = names::relation(&alter.name)?;
    let options = match alter.operations.as_slice() {
        [AlterTableOperation::SetOptionsParens { options }] => options,
        [AlterTableOperation::OwnerTo { new_owner }] => {
            // PostgreSQL's ALTER TABLE ... OWNER TO also takes a view.
            let (store, tenant) = (session.store(), session.tenant().id);
            if store.view(tenant, &name).is_none() && !existing(session, &name, alter.if_exists)? {
                return Ok(command("ALTER TABLE"));
            }
            let owner = match new_owner {
                Owner::Ident(ident) => names::fold(ident),
                Owner::CurrentRole | Owner::CurrentUser => session.current_role(),
                Owner::SessionUser => session.role().name.clone(),
            };
            session.change_owner(&name, &owner)?;
            return Ok(command("ALTER TABLE"));
        }
        _ => {
            return Err(Error::FeatureNotSupported(
                "ALTER TABLE other than SET (read_only = ..., audit_reads = ...) and OWNER TO"
                    .into(),
            ));
        }
    };
    let mut read_only = None;
    let mut audit_reads = None;
    for option in options {
        match option {
            SqlOption::KeyValue { key, value } if names::is(key, "read_only") => {
                read_only = Some(bool_option("read_only", value)?);
            }
            SqlOption::KeyValue { key, value } if names::is(key, "audit_reads") => {
                audit_reads = Some(bool_option("audit_reads", value)?);
            }
            other => return Err(Error::FeatureNotSupported(format!("table option {other}"))),
        }
    }
    if read_only.is_none() && audit_reads.is_none() {
        return Err(Error::FeatureNotSupported("ALTER TABLE SET ()".into()));
    }
    if !existing(session, &name, alter.if_exists)? {
        return Ok(command("ALTER TABLE"));
    }
    let store = session.store();
    let tenant = session.tenant().id;
    session.require_owner(&name)?;
    let undefined = |err| match err {
        mindoodb_storage::Error::NoSuchTable(_) => Error::UndefinedTable(name.clone()),
        other => other.into(),
    };
    if let Some(read_only) = read_only {
        store
            .set_read_only(tenant, &name, read_only)
            .map_err(undefined)?;
    }
    if let Some(on) = audit_reads {
        store
            .set_audit_reads(tenant, &name, on)
            .map_err(undefined)?;
    }
    Ok(command("ALTER TABLE"))
}

/// True when table `name` exists; false when it does not and IF EXISTS was given (with
/// PostgreSQL's notice).
fn existing(session: &mut Session, name: &str, if_exists: bool) -> Result<bool> {
    let store = session.store();
    let tenant = session.tenant().id;
    if store.table(tenant, name).is_some() {
        return Ok(true);
    }
    if if_exists {
        session.notice(Notice::Skipped {
            kind: "relation",
            name: name.to_owned(),
        });
        return Ok(false);
    }
    if store.view(tenant, name).is_some() {
        return Err(Error::WrongObjectType(format!("\"{name}\" is a view")));
    }
    Err(Error::UndefinedTable(name.to_owned()))
}

/// `WITH (key = 'hr')` on CREATE TABLE.
fn key_option(options: &CreateTableOptions) -> Result<Option<KeyName>> {
    let list = match options {
        CreateTableOptions::None => return Ok(None),
        CreateTableOptions::With(list)
        | CreateTableOptions::Options(list)
        | CreateTableOptions::Plain(list) => list,
        CreateTableOptions::TableProperties(_) => {
            return Err(Error::FeatureNotSupported("table properties".into()));
        }
    };
    let mut key = None;
    for option in list {
        match option {
            SqlOption::KeyValue { key: name, value } if names::is(name, "key") => {
                key = Some(
                    KeyName::new(value_text(value))
                        .map_err(|e| Error::InvalidParameter(e.to_string()))?,
                );
            }
            other => return Err(Error::FeatureNotSupported(format!("table option {other}"))),
        }
    }
    Ok(key)
}

fn bool_option(name: &str, value: &Expr) -> Result<bool> {
    match value_text(value).to_ascii_lowercase().as_str() {
        "true" | "on" | "1" | "yes" => Ok(true),
        "false" | "off" | "0" | "no" => Ok(false),
        other => Err(Error::InvalidParameter(format!(
            "{name} must be true or false, not \"{other}\""
        ))),
    }
}
