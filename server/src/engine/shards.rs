//! Shards over time: archiving a table (`ALTER TABLE t SET (read_only = true)`) and grafting
//! documents from one table into another without keys (`mindoo.move`).
//!
//! Invariants:
//! - A move copies each document's whole history as the sealed bytes the source holds, with
//!   their original signatures; nothing is decrypted, re-encrypted or re-signed (the table is
//!   not in the signed bytes, DESIGN §3). Every entry is verified before it is written.
//! - A move is idempotent and resumable: entries the target holds already are skipped.
//! - The source is never changed: its log is append-only (removing history is the purge of
//!   DESIGN §8). Archive it with `read_only` so it stops growing.
//!
//! See: docs/SQL.md#shards-over-time

use datafusion::sql::sqlparser::ast::{AlterTableOperation, Expr, SqlOption, Statement};
use mindoodb_storage::{Outcome, Store, Table, TenantId, Transaction, Write};

use super::ddl::{command, simple_name, value_text};
use super::notify::{self, Notifier};
use super::session::Session;
use crate::error::{Error, Result};
use crate::output::Output;

/// Documents read per page of a move, and so per import transaction at most.
const MOVE_PAGE: usize = 256;

/// What a `mindoo.move` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moved {
    /// Documents whose id has the prefix.
    pub(crate) documents: u64,
    /// Entries of their histories.
    pub(crate) entries: u64,
    /// Entries the target did not hold before.
    pub(crate) copied: u64,
}

/// `ALTER TABLE name SET (read_only = true|false)`.
pub(crate) fn alter_table(session: &mut Session, statement: Statement) -> Result<Output> {
    let Statement::AlterTable(alter) = statement else {
        return Err(Error::Internal("not ALTER TABLE".into()));
    };
    let name = simple_name(&alter.name)?;
    let [AlterTableOperation::SetOptionsParens { options }] = alter.operations.as_slice() else {
        return Err(Error::FeatureNotSupported(
            "ALTER TABLE other than SET (read_only = true|false)".into(),
        ));
    };
    let mut read_only = None;
    for option in options {
        match option {
            SqlOption::KeyValue { key, value } if key.value.eq_ignore_ascii_case("read_only") => {
                read_only = Some(bool_option(value)?);
            }
            other => return Err(Error::FeatureNotSupported(format!("table option {other}"))),
        }
    }
    let Some(read_only) = read_only else {
        return Err(Error::FeatureNotSupported("ALTER TABLE SET ()".into()));
    };
    let store = session.engine.store();
    let tenant = session.tenant.id;
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

/// Copies the full history of every document of `src` whose id starts with `prefix` into
/// `dst`, one import transaction per page of documents. Runs on a blocking thread.
pub(crate) fn graft(
    store: &Store,
    notifier: &Notifier,
    tenant: TenantId,
    (src, dst): (Table, Table),
    prefix: &str,
) -> Result<Moved> {
    if src == dst {
        return Err(Error::InvalidParameter(
            "mindoo.move needs two different tables".into(),
        ));
    }
    let mut moved = Moved {
        documents: 0,
        entries: 0,
        copied: 0,
    };
    let mut after = None;
    loop {
        let snapshot = store.snapshot();
        let ids = snapshot.ids_with_prefix(src, prefix, after.as_ref(), MOVE_PAGE)?;
        let mut writes = Vec::new();
        for id in &ids {
            for revision in snapshot.history(src, id)? {
                let hash = revision.entry.hash();
                let entry = revision.entry.verify().map_err(|err| {
                    mindoodb_storage::Error::DamagedEntry {
                        seq: revision.seq,
                        why: format!("entry {hash} of document {id} failed verification: {err}"),
                    }
                })?;
                writes.push(Write::Import { table: dst, entry });
            }
        }
        drop(snapshot);
        moved.documents += ids.len() as u64;
        moved.entries += writes.len() as u64;
        if !writes.is_empty() {
            let receipt = notify::commit_blocking(store, notifier, tenant, Transaction { writes })?;
            moved.copied += receipt
                .outcomes
                .iter()
                .filter(|outcome| matches!(outcome, Outcome::Appended(_)))
                .count() as u64;
        }
        if ids.len() < MOVE_PAGE {
            return Ok(moved);
        }
        after = ids.last().cloned();
    }
}

fn bool_option(value: &Expr) -> Result<bool> {
    match value_text(value).to_lowercase().as_str() {
        "true" | "on" | "1" | "yes" => Ok(true),
        "false" | "off" | "0" | "no" => Ok(false),
        other => Err(Error::InvalidParameter(format!(
            "read_only must be true or false, not \"{other}\""
        ))),
    }
}
