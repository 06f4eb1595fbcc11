//! The `mindoo.*` key functions called as `SELECT mindoo.f(...)`: create, unlock, list, rotate
//! and drop keys, and count the documents a session cannot open.
//!
//! Invariants:
//! - A token is returned only by `create_key` and `rotate_key`, once, to the session that made
//!   the key; no function returns a key it did not just create.
//! - Functions that take or return keys refuse insecure transports before reading arguments.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray, Int64Array, StringArray};
use datafusion::sql::sqlparser::ast::{
    Function, FunctionArg, FunctionArgExpr, FunctionArguments, Statement,
};
use mindoodb_protocol::{DataKey, KdfParams, KeyName};
use zeroize::Zeroizing;

use super::classify::mindoo_call;
use super::ddl::value_text;
use super::keyring;
use super::provider::count_locked;
use super::session::Session;
use crate::error::{Error, Result};
use crate::output::{Column, Output, PgType};

pub(crate) async fn call(session: &mut Session, statement: &Statement) -> Result<Output> {
    let (name, args) = parse_call(statement)?;
    let store = session.engine.store().clone();
    let tenant = session.tenant.id;
    match (name.as_str(), args.as_slice()) {
        ("create_key", [key_name, rest @ ..]) if rest.len() <= 1 => {
            require_secure(session)?;
            session.writable("mindoo.create_key")?;
            let key_name = key_name_of(key_name)?;
            let version = keyring::next_version(&store, tenant, &key_name)?;
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
            keyring::check_or_register(&store, tenant, &key, kdf)?;
            let token = key.token();
            session.with_keys(|keys| keys.insert(key));
            single_text(&name, token.as_str())
        }
        ("rotate_key", [key_name]) => {
            require_secure(session)?;
            session.writable("mindoo.rotate_key")?;
            let key_name = key_name_of(key_name)?;
            let version = keyring::next_version(&store, tenant, &key_name)?;
            if version == 1 {
                return Err(Error::UndefinedObject(format!("key \"{key_name}\"")));
            }
            let key = DataKey::generate(key_name, version)?;
            keyring::check_or_register(&store, tenant, &key, None)?;
            let token = key.token();
            session.with_keys(|keys| keys.insert(key));
            single_text(&name, token.as_str())
        }
        ("unlock", [key_name, passphrase]) => {
            require_secure(session)?;
            let key_name = key_name_of(key_name)?;
            let passphrase = Zeroizing::new(passphrase.as_str().to_owned());
            let opened = tokio::task::spawn_blocking(move || {
                keyring::unlock(&store, tenant, &key_name, &passphrase)
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
            let names: Vec<String> = opened.iter().map(|k| k.key_ref().to_string()).collect();
            session.with_keys(|keys| opened.into_iter().for_each(|k| keys.insert(k)));
            single_text(&name, &names.join(","))
        }
        ("lock", []) => {
            session.with_keys(|keys| keys.clear());
            single_text(&name, "locked")
        }
        ("keys", []) => {
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
        ("locked", [table]) => {
            let info = store
                .table(tenant, &table.to_lowercase())
                .ok_or_else(|| Error::UndefinedTable(table.to_string()))?;
            let keys = session.read_state().keys.for_reading();
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

/// Result columns of a call, for Describe.
pub(crate) fn columns(statement: &Statement) -> Vec<Column> {
    let Ok((name, _)) = parse_call(statement) else {
        return Vec::new();
    };
    match name.as_str() {
        "keys" => key_columns(),
        "locked" => vec![Column {
            name: "locked".into(),
            pg_type: PgType::Int8,
        }],
        _ => vec![Column {
            name: name.clone(),
            pg_type: PgType::Text,
        }],
    }
}

fn key_columns() -> Vec<Column> {
    vec![
        Column {
            name: "name".into(),
            pg_type: PgType::Text,
        },
        Column {
            name: "version".into(),
            pg_type: PgType::Int8,
        },
        Column {
            name: "held".into(),
            pg_type: PgType::Bool,
        },
        Column {
            name: "passphrase".into(),
            pg_type: PgType::Bool,
        },
    ]
}

/// The function's lowercase name and its literal arguments.
fn parse_call(statement: &Statement) -> Result<(String, Vec<Zeroizing<String>>)> {
    let Statement::Query(query) = statement else {
        return Err(Error::Internal("not a call".into()));
    };
    let (name, function) =
        mindoo_call(query).ok_or_else(|| Error::Internal("not a mindoo call".into()))?;
    let name = name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.to_lowercase())
        .ok_or_else(|| Error::Syntax("bad function name".into()))?;
    Ok((name, literal_args(function)?))
}

fn literal_args(function: &Function) -> Result<Vec<Zeroizing<String>>> {
    let FunctionArguments::List(list) = &function.args else {
        return Ok(Vec::new());
    };
    list.args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(expr)) => {
                Ok(Zeroizing::new(value_text(expr)))
            }
            _ => Err(Error::FeatureNotSupported(
                "named or wildcard arguments to mindoo functions".into(),
            )),
        })
        .collect()
}

fn key_name_of(text: &str) -> Result<KeyName> {
    KeyName::new(text).map_err(|e| Error::InvalidParameter(e.to_string()))
}

fn require_secure(session: &Session) -> Result<()> {
    if session.secure {
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
