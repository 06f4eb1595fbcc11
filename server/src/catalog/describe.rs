//! The functions psql and drivers use to describe objects: `format_type`,
//! `pg_get_userbyid`, `pg_get_indexdef`, `pg_get_constraintdef`, `pg_get_expr`, the
//! `*_description` functions, `pg_encoding_to_char` and psql's publication and statistics
//! helpers.
//!
//! Invariants:
//! - Answers derive from `relations()`, the roles in the store and the built-in types; an
//!   unknown OID gives NULL (or Postgres' `unknown (OID=n)` for roles), never an error.
//! - MindooDB has no comments, expressions, publications or extended statistics, so those
//!   functions answer NULL or false, as Postgres does for objects without them.

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{ScalarUDF, Volatility};

use super::pg_database::UTF8_ENCODING;
use super::pg_roles::role_name;
use super::relations::{Relation, namespace_name, relations};
use super::source::CatalogSource;
use super::types;
use super::udf::{Returns, bool_type, int_arg, oid_arg, row_fn, text, text_arg, text_type};
use crate::output::PgType;

/// The functions of this file, bound to one session's catalog.
pub(crate) fn functions(source: &Arc<CatalogSource>) -> Vec<ScalarUDF> {
    let text_result = Returns::Fixed(text_type);
    let roles_source = source.clone();
    let index_source = source.clone();
    let constraint_source = source.clone();
    vec![
        row_fn(
            "format_type",
            &[1, 2],
            Volatility::Immutable,
            text_result,
            Arc::new(|args| {
                Ok(text(args.first().and_then(oid_arg).and_then(|oid| {
                    types::format(
                        oid,
                        args.get(1)
                            .and_then(int_arg)
                            .and_then(|m| i32::try_from(m).ok()),
                    )
                })))
            }),
        ),
        row_fn(
            "pg_get_userbyid",
            &[1],
            Volatility::Stable,
            Returns::Typed(PgType::Name),
            Arc::new(move |args| {
                let Some(oid) = args.first().and_then(oid_arg) else {
                    return Ok(text(None));
                };
                let roles = roles_source.store.roles()?;
                Ok(text(Some(
                    role_name(&roles, oid).unwrap_or_else(|| format!("unknown (OID={oid})")),
                )))
            }),
        ),
        row_fn(
            "pg_get_indexdef",
            &[1, 3],
            Volatility::Stable,
            text_result,
            Arc::new(move |args| {
                let Some(oid) = args.first().and_then(oid_arg) else {
                    return Ok(text(None));
                };
                let column = args.get(1).and_then(int_arg).unwrap_or(0);
                let all = relations(&index_source)?;
                let Some(index) = all.iter().find(|r| r.oid == oid) else {
                    return Ok(text(None));
                };
                let Some(key) = &index.primary_key else {
                    return Ok(text(None));
                };
                if column == 0 {
                    return Ok(text(Some(index_definition(index))));
                }
                let name = usize::try_from(column - 1)
                    .ok()
                    .and_then(|idx| key.column_names.get(idx));
                Ok(text(name.cloned()))
            }),
        ),
        row_fn(
            "pg_get_constraintdef",
            &[1, 2],
            Volatility::Stable,
            text_result,
            Arc::new(move |args| {
                let Some(oid) = args.first().and_then(oid_arg) else {
                    return Ok(text(None));
                };
                let definition = relations(&constraint_source)?.iter().find_map(|r| {
                    let key = r.primary_key.as_ref()?;
                    (key.constraint == oid)
                        .then(|| format!("PRIMARY KEY ({})", key.column_names.join(", ")))
                });
                Ok(text(definition))
            }),
        ),
        row_fn(
            "pg_get_expr",
            &[2, 3],
            Volatility::Stable,
            text_result,
            // MindooDB stores no expression trees; a stored text form would print as itself.
            Arc::new(|args| Ok(text(args.first().and_then(text_arg)))),
        ),
        row_fn(
            "obj_description",
            &[1, 2],
            Volatility::Stable,
            text_result,
            Arc::new(|_| Ok(text(None))),
        ),
        row_fn(
            "col_description",
            &[2],
            Volatility::Stable,
            text_result,
            Arc::new(|_| Ok(text(None))),
        ),
        row_fn(
            "shobj_description",
            &[2],
            Volatility::Stable,
            text_result,
            Arc::new(|_| Ok(text(None))),
        ),
        row_fn(
            "pg_encoding_to_char",
            &[1],
            Volatility::Immutable,
            text_result,
            Arc::new(|args| {
                Ok(text(args.first().and_then(int_arg).map(|encoding| {
                    match encoding {
                        0 => "SQL_ASCII",
                        e if e == i64::from(UTF8_ENCODING) => "UTF8",
                        _ => "",
                    }
                    .to_owned()
                })))
            }),
        ),
        row_fn(
            "pg_relation_is_publishable",
            &[1],
            Volatility::Stable,
            Returns::Fixed(bool_type),
            Arc::new(|args| {
                Ok(ScalarValue::Boolean(
                    args.first().and_then(oid_arg).map(|_| false),
                ))
            }),
        ),
        row_fn(
            "pg_size_pretty",
            &[1],
            Volatility::Immutable,
            text_result,
            Arc::new(|args| Ok(text(args.first().and_then(int_arg).map(size_pretty)))),
        ),
        // DataFusion signatures are not Postgres signatures: `pg_proc` records none.
        row_fn(
            "pg_get_function_result",
            &[1],
            Volatility::Stable,
            text_result,
            Arc::new(|_| Ok(text(None))),
        ),
        row_fn(
            "pg_get_function_arguments",
            &[1],
            Volatility::Stable,
            text_result,
            Arc::new(|_| Ok(text(None))),
        ),
        row_fn(
            "pg_get_statisticsobjdef_columns",
            &[1],
            Volatility::Stable,
            text_result,
            Arc::new(|_| Ok(text(None))),
        ),
    ]
}

/// `pg_size_pretty(bigint)`, as Postgres computes it: bytes below 10 kB, then the largest
/// unit under 20 of the next, rounded half away from zero.
fn size_pretty(bytes: i64) -> String {
    const LIMIT: i64 = 10 * 1024;
    const LIMIT2: i64 = LIMIT * 2 - 1;
    if bytes.abs() < LIMIT {
        return format!("{bytes} bytes");
    }
    // One extra bit is kept for rounding.
    let mut size = bytes >> 9;
    for unit in ["kB", "MB", "GB", "TB"] {
        if size.abs() < LIMIT2 || unit == "TB" {
            return format!("{} {unit}", (size + size.signum()) / 2);
        }
        size >>= 10;
    }
    format!("{bytes} bytes")
}

/// `CREATE UNIQUE INDEX crm2025_pkey ON public.crm2025 USING btree (id)`.
pub(crate) fn index_definition(index: &Relation) -> String {
    let (table, columns) = index.primary_key.as_ref().map_or_else(
        || (String::new(), String::new()),
        |key| (key.table_name.clone(), key.column_names.join(", ")),
    );
    format!(
        "CREATE UNIQUE INDEX {} ON {}.{table} USING btree ({columns})",
        index.name,
        namespace_name(index.namespace).unwrap_or("public"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_print_like_postgres() {
        assert_eq!(size_pretty(8192), "8192 bytes");
        assert_eq!(size_pretty(10 * 1024), "10 kB");
        assert_eq!(size_pretty(7_479 * 1024), "7479 kB");
        assert_eq!(size_pretty(20 * 1024 * 1024), "20 MB");
    }
}
