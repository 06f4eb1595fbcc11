//! CREATE TABLE and ALTER TABLE of document tables. Every document table has the same columns
//! (`catalog::doc_columns`); a table may name its default key (`WITH (key = 'hr')`) and be
//! archived (`ALTER TABLE t SET (read_only = true)`: writes are refused until it is lifted).
//!
//! Invariants:
//! - CREATE TABLE takes no column list: the columns are fixed.
//! - Archiving changes only the catalog flag; the table's log is never changed.

use datafusion::sql::sqlparser::ast::{
    AlterTable, AlterTableOperation, CreateTable, CreateTableOptions, Expr, SqlOption,
};
use mindoodb_protocol::KeyName;

use super::{already, command};
use crate::catalog::names;
use crate::engine::session::Session;
use crate::engine::sql::literal::value_text;
use crate::error::{Error, Result};
use crate::output::Output;

/// CREATE TABLE [IF NOT EXISTS] name () [WITH (key = 'name')].
pub(crate) fn create(session: &Session, create: &CreateTable) -> Result<Output> {
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
            return Ok(command("CREATE TABLE"));
        }
        return Err(Error::DuplicateTable(name));
    }
    store
        .create_table(tenant, &name, default_key)
        .map_err(|e| already(e, Error::DuplicateTable(name.clone())))?;
    Ok(command("CREATE TABLE"))
}

/// `ALTER TABLE name SET (read_only = true|false)`.
pub(crate) fn alter(session: &Session, alter: &AlterTable) -> Result<Output> {
    let name = names::relation(&alter.name)?;
    let [AlterTableOperation::SetOptionsParens { options }] = alter.operations.as_slice() else {
        return Err(Error::FeatureNotSupported(
            "ALTER TABLE other than SET (read_only = true|false)".into(),
        ));
    };
    let mut read_only = None;
    for option in options {
        match option {
            SqlOption::KeyValue { key, value } if names::is(key, "read_only") => {
                read_only = Some(bool_option(value)?);
            }
            other => return Err(Error::FeatureNotSupported(format!("table option {other}"))),
        }
    }
    let Some(read_only) = read_only else {
        return Err(Error::FeatureNotSupported("ALTER TABLE SET ()".into()));
    };
    let store = session.store();
    let tenant = session.tenant().id;
    if store.table(tenant, &name).is_none() {
        if alter.if_exists {
            return Ok(command("ALTER TABLE"));
        }
        if store.view(tenant, &name).is_some() {
            return Err(Error::WrongObjectType(format!("\"{name}\" is a view")));
        }
        return Err(Error::UndefinedTable(name));
    }
    store
        .set_read_only(tenant, &name, read_only)
        .map_err(|err| match err {
            mindoodb_storage::Error::NoSuchTable(_) => Error::UndefinedTable(name.clone()),
            other => other.into(),
        })?;
    Ok(command("ALTER TABLE"))
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

fn bool_option(value: &Expr) -> Result<bool> {
    match value_text(value).to_ascii_lowercase().as_str() {
        "true" | "on" | "1" | "yes" => Ok(true),
        "false" | "off" | "0" | "no" => Ok(false),
        other => Err(Error::InvalidParameter(format!(
            "read_only must be true or false, not \"{other}\""
        ))),
    }
}
