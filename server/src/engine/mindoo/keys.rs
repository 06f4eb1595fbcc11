//! The `mindoo.*` key functions, called as `SELECT mindoo.f(...)`: create, rotate, unlock,
//! lock and list keys, and count the documents a session cannot open.
//!
//! Invariants:
//! - A token is returned only by `create_key` and `rotate_key`, once, to the session that made
//!   the key; no function returns a key it did not just create.
//! - Functions that take or return keys refuse insecure transports before reading arguments.
//! - Arguments are held as `Zeroizing` text: passphrases are wiped when the call ends.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray, Int64Array, StringArray};
use mindoodb_protocol::{DataKey, KdfParams, KeyName};
use zeroize::Zeroizing;

use crate::engine::read::visible::count_locked;
use crate::engine::session::Session;
use crate::engine::session::keys;
use crate::engine::sql::classify::{KeyCall, KeyFn, unnamed_arg};
use crate::engine::sql::literal::value_text;
use crate::error::{Error, Result};
use crate::output::{Column, Output, PgType};

/// Runs a key function; its one column is named after the function unless `AS` names it.
pub(crate) async fn call(session: &mut Session, call: KeyCall) -> Result<Output> {
    let args = literal_args(&call)?;
    let output = run(session, call.func, &args).await?;
    Ok(match (output, call.alias) {
        (
            Output::Rows {
                mut columns,
                batches,
                tag,
            },
            Some(alias),
        ) if columns.len() == 1 => {
            columns[0].name = alias;
            Output::Rows {
                columns,
                batches,
                tag,
            }
        }
        (output, _) => output,
    })
}

/// The result columns of a call, for Describe.
pub(crate) fn columns(call: &KeyCall) -> Vec<Column> {
    let mut columns = match call.func {
        KeyFn::Keys => key_columns(),
        KeyFn::Locked => vec![Column {
            name: "locked".into(),
            pg_type: PgType::Int8,
        }],
        func => vec![Column {
            name: func.name().into(),
            pg_type: PgType::Text,
        }],
    };
    if let ([column], Some(alias)) = (columns.as_mut_slice(), &call.alias) {
        column.name = alias.clone();
    }
    columns
}

async fn run(session: &mut Session, func: KeyFn, args: &[Zeroizing<String>]) -> Result<Output> {
    let store = session.store().clone();
    let tenant = session.tenant().id;
    let name = func.name();
    match (func, args) {
        (KeyFn::CreateKey, [key_name, rest @ ..]) if rest.len() <= 1 => {
            require_secure(session)?;
            session.writable("mindoo.create_key")?;
            let key_name = key_name_of(key_name)?;
            let version = keys::next_version(&store, tenant, &key_name)?;
            let (key, kdf) = match rest {
                [passphrase] => {
                    let kdf = KdfParams::recommended()?;
                    let passphrase = Zeroizing::new(passphrase.as_str().to_owned());
                    let key = tokio::task::spawn_blocking(move || {
                        DataKey::from_passphrase(key_name, version, passphrase.as_bytes(), &kdf)
                            .map(|k| (k, kdf))
                    })
                    .await
                    .map_err(|e| Error::Internal(e.to_string()))??;
                    (key.0, Some(key.1))
                }
                _ => (DataKey::generate(key_name, version)?, None),
            };
            keys::check_or_register(&store, tenant, &key, kdf)?;
            let token = key.token();
            session.with_keys(|keys| keys.insert(key));
            single_text(name, token.as_str())
        }
        (KeyFn::RotateKey, [key_name]) => {
            require_secure(session)?;
            session.writable("mindoo.rotate_key")?;
            let key_name = key_name_of(key_name)?;
            let version = keys::next_version(&store, tenant, &key_name)?;
            if version == 1 {
                return Err(Error::UndefinedObject(format!("key \"{key_name}\"")));
            }
            let key = DataKey::generate(key_name, version)?;
            keys::check_or_register(&store, tenant, &key, None)?;
            let token = key.token();
            session.with_keys(|keys| keys.insert(key));
            single_text(name, token.as_str())
        }
        (KeyFn::Unlock, [key_name, passphrase]) => {
            require_secure(session)?;
            let key_name = key_name_of(key_name)?;
            let passphrase = Zeroizing::new(passphrase.as_str().to_owned());
            let opened = tokio::task::spawn_blocking(move || {
                keys::unlock(&store, tenant, &key_name, &passphrase)
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
            let names: Vec<String> = opened.iter().map(|k| k.key_ref().to_string()).collect();
            session.with_keys(|keys| opened.into_iter().for_each(|k| keys.insert(k)));
            single_text(name, &names.join(","))
        }
        (KeyFn::Lock, []) => {
            session.with_keys(|keys| keys.clear());
            single_text(name, "locked")
        }
        (KeyFn::Keys, []) => {
            let records = store.keys(tenant)?;
            let held = session.keys_held();
            let names: Vec<String> = records.iter().map(|r| r.name.to_string()).collect();
            let versions: Vec<i64> = records.iter().map(|r| i64::from(r.version)).collect();
            let is_held: Vec<bool> = records
                .iter()
                .map(|r| held.contains(&format!("{}.{}", r.name, r.version)))
                .collect();
            let passphrase: Vec<bool> = records.iter().map(|r| r.kdf.is_some()).collect();
            let arrays: [ArrayRef; 4] = [
                Arc::new(StringArray::from(names)),
                Arc::new(Int64Array::from(versions)),
                Arc::new(BooleanArray::from(is_held)),
                Arc::new(BooleanArray::from(passphrase)),
            ];
            Output::table("SELECT", key_columns().into_iter().zip(arrays).collect())
        }
        (KeyFn::Locked, [table]) => {
            let info = crate::catalog::names::relation_text(table)
                .ok()
                .and_then(|folded| store.table(tenant, &folded))
                .ok_or_else(|| Error::UndefinedTable(table.to_string()))?;
            let keys = session.state().read().keys.for_reading();
            let n = tokio::task::spawn_blocking(move || count_locked(&store, info.table, &keys))
                .await
                .map_err(|e| Error::Internal(format!("locked count task: {e}")))??;
            Output::table(
                "SELECT",
                vec![(
                    Column {
                        name: "locked".into(),
                        pg_type: PgType::Int8,
                    },
                    Arc::new(Int64Array::from(vec![n])),
                )],
            )
        }
        _ => Err(Error::UndefinedFunction(format!(
            "mindoo.{name} with {} argument(s)",
            args.len()
        ))),
    }
}

fn key_columns() -> Vec<Column> {
    let column = |name: &str, pg_type| Column {
        name: name.into(),
        pg_type,
    };
    vec![
        column("name", PgType::Text),
        column("version", PgType::Int8),
        column("held", PgType::Bool),
        column("passphrase", PgType::Bool),
    ]
}

/// The call's arguments as text; only plain (unnamed) arguments are taken.
fn literal_args(call: &KeyCall) -> Result<Vec<Zeroizing<String>>> {
    call.args
        .iter()
        .map(|arg| match unnamed_arg(arg) {
            Some(expr) => Ok(Zeroizing::new(value_text(expr))),
            None => Err(Error::FeatureNotSupported(
                "named or wildcard arguments to mindoo functions".into(),
            )),
        })
        .collect()
}

fn key_name_of(text: &str) -> Result<KeyName> {
    KeyName::new(text).map_err(|e| Error::InvalidParameter(e.to_string()))
}

fn require_secure(session: &Session) -> Result<()> {
    if session.secure() {
        Ok(())
    } else {
        Err(Error::InsecureTransport)
    }
}

fn single_text(name: &str, value: &str) -> Result<Output> {
    Output::table(
        "SELECT",
        vec![(
            Column {
                name: name.to_owned(),
                pg_type: PgType::Text,
            },
            Arc::new(StringArray::from(vec![value])),
        )],
    )
}
