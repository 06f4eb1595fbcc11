//! Session functions drivers and ORMs call: `version()`, `current_setting`, `set_config`,
//! `current_database()`, `current_schema()`, `current_schemas(bool)`, `current_user` and its
//! synonyms, and `pg_sleep`.
//!
//! Invariants:
//! - `version()` starts `PostgreSQL <major>.<minor>`, which ORMs parse, and names MindooDB.
//! - `current_setting('mindoo.keys')` lists the names and versions of held keys, never keys;
//!   `set_config` refuses `mindoo.keys` (keys go through `SET mindoo.keys`, which checks the
//!   transport) without echoing the value.
//! - `pg_sleep` waits without blocking a thread, so a cancel or disconnect ends it.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result as DfResult, ScalarValue, exec_err};
use datafusion::logical_expr::async_udf::{AsyncScalarUDF, AsyncScalarUDFImpl};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::settings::{KEYS as KEYS_SETTING, ROLE as ROLE_SETTING, server_version};
use super::source::CatalogSource;
use super::udf::{Returns, bool_arg, row_fn, text, text_arg, text_type};
use crate::error::Error;
use crate::output::PgType;

/// The session functions, bound to one session.
pub(crate) fn functions(source: &Arc<CatalogSource>) -> Vec<ScalarUDF> {
    let text_result = Returns::Fixed(text_type);
    let name_result = Returns::Typed(PgType::Name);
    let mut out = vec![
        row_fn(
            "version",
            &[0],
            Volatility::Immutable,
            text_result,
            Arc::new(|_| Ok(text(Some(version())))),
        ),
        row_fn(
            "current_schema",
            &[0],
            Volatility::Stable,
            name_result,
            Arc::new(|_| Ok(text(Some("public".to_owned())))),
        ),
        row_fn(
            "current_schemas",
            &[1],
            Volatility::Stable,
            Returns::Fixed(text_list),
            Arc::new(|args| {
                let implicit = args.first().and_then(bool_arg).unwrap_or(false);
                let schemas: Vec<ScalarValue> = implicit
                    .then_some("pg_catalog")
                    .into_iter()
                    .chain(["public"])
                    .map(|s| ScalarValue::Utf8(Some(s.to_owned())))
                    .collect();
                Ok(ScalarValue::List(ScalarValue::new_list_nullable(
                    &schemas,
                    &DataType::Utf8,
                )))
            }),
        ),
    ];
    let names = [
        (
            &["current_database", "current_catalog"][..],
            source.tenant.name.clone(),
        ),
        (&["session_user"][..], source.role.name.clone()),
    ];
    for (aliases, value) in names {
        for name in aliases {
            let value = value.clone();
            out.push(row_fn(
                name,
                &[0],
                Volatility::Stable,
                name_result,
                Arc::new(move |_| Ok(text(Some(value.clone())))),
            ));
        }
    }
    for name in ["current_user", "user", "current_role"] {
        let current = source.clone();
        out.push(row_fn(
            name,
            &[0],
            Volatility::Stable,
            name_result,
            Arc::new(move |_| Ok(text(Some(current.current_role())))),
        ));
    }
    let getter = source.clone();
    out.push(row_fn(
        "current_setting",
        &[1, 2],
        Volatility::Stable,
        text_result,
        Arc::new(move |args| {
            let Some(name) = args.first().and_then(text_arg) else {
                return Ok(text(None));
            };
            let missing_ok = args.get(1).and_then(bool_arg).unwrap_or(false);
            match getter.settings.get(&name, &(getter.held_keys)()) {
                Some(value) => Ok(text(Some(value))),
                None if missing_ok => Ok(text(None)),
                None => Err(Error::UndefinedObject(format!(
                    "unrecognized configuration parameter \"{name}\""
                ))),
            }
        }),
    ));
    let setter = source.clone();
    out.push(row_fn(
        "set_config",
        &[3],
        Volatility::Volatile,
        text_result,
        Arc::new(move |args| {
            let (Some(name), value) = (
                args.first().and_then(text_arg),
                args.get(1).and_then(text_arg),
            ) else {
                return Err(Error::InvalidParameter(
                    "set_config needs a parameter name".into(),
                ));
            };
            if name.trim().eq_ignore_ascii_case(KEYS_SETTING) {
                return Err(Error::NotAllowed(
                    "set_config cannot present keys; use SET mindoo.keys".into(),
                ));
            }
            // SET ROLE checks membership; a set_config around it would skip the check.
            let guarded = [ROLE_SETTING, "session_authorization"];
            if guarded.iter().any(|g| name.trim().eq_ignore_ascii_case(g)) {
                return Err(Error::FeatureNotSupported(format!(
                    "set_config('{}'): use SET ROLE",
                    name.trim()
                )));
            }
            let value = setter.settings.set(&name, value.unwrap_or_default())?;
            Ok(text(Some(value)))
        }),
    ));
    out.push(AsyncScalarUDF::new(Arc::new(PgSleep::new())).into_scalar_udf());
    out
}

/// `PostgreSQL 16.6 (MindooDB 0.1.0) on x86_64-linux, compiled by rustc, 64-bit`.
pub(crate) fn version() -> String {
    format!(
        "PostgreSQL {} on {}-{}, compiled by rustc, {}-bit",
        server_version(),
        std::env::consts::ARCH,
        std::env::consts::OS,
        usize::BITS
    )
}

fn text_list() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
}

/// `pg_sleep(seconds)`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct PgSleep {
    signature: Signature,
}

impl PgSleep {
    fn new() -> PgSleep {
        PgSleep {
            signature: Signature::any(1, Volatility::Volatile),
        }
    }
}

impl ScalarUDFImpl for PgSleep {
    fn name(&self) -> &str {
        "pg_sleep"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        exec_err!("pg_sleep runs asynchronously")
    }
}

#[async_trait]
impl AsyncScalarUDFImpl for PgSleep {
    async fn invoke_async_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let n_rows = args.number_rows;
        let Some(arg) = args.args.first() else {
            return exec_err!("pg_sleep takes one argument");
        };
        let seconds = arg.to_array(n_rows)?;
        for row in 0..n_rows {
            let value = ScalarValue::try_from_array(&seconds, row)?;
            let seconds = match value.cast_to(&DataType::Float64)? {
                ScalarValue::Float64(Some(s)) if s.is_finite() && s > 0.0 => s,
                _ => continue,
            };
            tokio::time::sleep(Duration::from_secs_f64(seconds.min(MAX_SLEEP_SECONDS))).await;
        }
        // Postgres returns void, whose text form is empty.
        Ok(ColumnarValue::Array(
            ScalarValue::Utf8(Some(String::new())).to_array_of_size(n_rows)?,
        ))
    }
}

/// A day: longer sleeps are capped rather than overflowing `Duration`.
const MAX_SLEEP_SECONDS: f64 = 86_400.0;
