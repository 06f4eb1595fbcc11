//! `pg_catalog` and `information_schema` as real DataFusion tables derived from MindooDB's own
//! catalog (tenants, tables, roles, grants), and the Postgres system functions clients call
//! (`format_type`, `pg_get_userbyid`, `::regclass`, `version()`, `current_setting`, ...).
//!
//! Invariants:
//! - Nothing here is a canned reply: every row derives from the store or from facts about
//!   Postgres' type system, when the statement runs. Tables of features MindooDB lacks are
//!   empty (`empty.rs`).
//! - One file per table; `relations.rs` is the one list of relations they all read.
//! - This module reads the store and the session's settings; it never writes the store and
//!   never sees key material.
//!
//! See: docs/SQL.md#compatibility

mod access;
pub(crate) mod acl;
mod array_fns;
mod describe;
pub(crate) mod doc_columns;
mod empty;
mod info_columns;
mod info_schemata;
mod info_table_privileges;
mod info_tables;
mod info_views;
pub(crate) mod names;
mod oids;
mod pg_am;
mod pg_attribute;
mod pg_auth_members;
mod pg_class;
mod pg_collation;
mod pg_constraint;
mod pg_database;
mod pg_default_acl;
mod pg_index;
mod pg_indexes;
mod pg_namespace;
mod pg_proc;
mod pg_roles;
mod pg_settings;
mod pg_tables;
mod pg_tablespace;
mod pg_type;
mod pg_user;
mod pg_views;
mod regtypes;
mod relations;
mod session_fns;
mod settings;
mod source;
mod table;
pub(crate) mod time_setting;
mod type_planner;
mod types;
mod udf;

use std::sync::Arc;

use datafusion::catalog::{CatalogProvider, SchemaProvider};
use datafusion::prelude::SessionContext;

pub(crate) use settings::{KEYS as KEYS_SETTING, ROLE as ROLE_SETTING, Settings, server_version};
pub(crate) use source::CatalogSource;
use table::{SearchPath, SystemSchema, SystemTable};
pub(crate) use type_planner::PgTypePlanner;
pub(crate) use types::format as format_type;

use crate::error::Result;

/// The tables of `pg_catalog`.
pub(crate) const PG_CATALOG_TABLES: &[&SystemTable] = &[
    &pg_am::TABLE,
    &pg_attribute::TABLE,
    &pg_auth_members::TABLE,
    &pg_class::TABLE,
    &pg_collation::TABLE,
    &pg_constraint::TABLE,
    &pg_database::TABLE,
    &pg_default_acl::TABLE,
    &pg_index::TABLE,
    &pg_indexes::TABLE,
    &pg_namespace::TABLE,
    &pg_proc::TABLE,
    &pg_roles::TABLE,
    &pg_settings::TABLE,
    &pg_tables::TABLE,
    &pg_tablespace::TABLE,
    &pg_type::TABLE,
    &pg_user::TABLE,
    &pg_views::TABLE,
    &empty::PG_ATTRDEF,
    &empty::PG_DESCRIPTION,
    &empty::PG_ENUM,
    &empty::PG_EXTENSION,
    &empty::PG_INHERITS,
    &empty::PG_MATVIEWS,
    &empty::PG_POLICY,
    &empty::PG_PUBLICATION,
    &empty::PG_PUBLICATION_NAMESPACE,
    &empty::PG_PUBLICATION_REL,
    &empty::PG_RANGE,
    &empty::PG_REWRITE,
    &empty::PG_SEQUENCE,
    &empty::PG_SHDESCRIPTION,
    &empty::PG_STATISTIC_EXT,
    &empty::PG_TRIGGER,
];

/// The views of `information_schema`.
pub(crate) const INFORMATION_SCHEMA_TABLES: &[&SystemTable] = &[
    &info_columns::TABLE,
    &info_schemata::TABLE,
    &info_table_privileges::ROLE_TABLE_GRANTS,
    &info_table_privileges::TABLE_PRIVILEGES,
    &info_tables::TABLE,
    &info_views::TABLE,
];

/// True for a relation name (lowercased parts, possibly schema-qualified) that resolves to a
/// catalog of a feature MindooDB does not have, which therefore never has rows.
pub(crate) fn always_empty(parts: &[String]) -> bool {
    let name = match parts {
        [name] => name,
        [schema, name] | [_, schema, name] if schema == "pg_catalog" => name,
        _ => return false,
    };
    empty::ALL.iter().any(|table| table.name == name)
}

/// Registers `pg_catalog`, `information_schema` and the search path over `public` (the
/// tenant's own relations) in `catalog`, and the system functions in `ctx`.
pub(crate) fn register(
    ctx: &mut SessionContext,
    catalog: &dyn CatalogProvider,
    public: Arc<dyn SchemaProvider>,
    source: CatalogSource,
) -> Result<()> {
    let source = Arc::new(source);
    let pg_catalog = Arc::new(SystemSchema::new(PG_CATALOG_TABLES, source.clone()));
    catalog.register_schema("pg_catalog", pg_catalog.clone())?;
    catalog.register_schema(
        "information_schema",
        Arc::new(SystemSchema::new(INFORMATION_SCHEMA_TABLES, source.clone())),
    )?;
    catalog.register_schema("public", Arc::new(SearchPath::new(pg_catalog, public)))?;
    for function in describe::functions(&source)
        .into_iter()
        .chain(regtypes::functions(&source))
        .chain(access::functions(&source))
        .chain(session_fns::functions(&source))
        .chain(array_fns::functions())
    {
        ctx.register_udf(function);
    }
    Ok(())
}
