//! Every relation a session can name: its tenant's document tables with their primary-key
//! indexes, its views, and the system tables and views. `pg_class`, `pg_attribute`, `pg_index`,
//! `pg_constraint`, `information_schema.tables`/`columns` and `::regclass` all read this list.
//!
//! Invariants:
//! - `relations` is the one place relations are enumerated; a new kind of relation is added
//!   here and every catalog table shows it.
//! - Document tables have the columns of `doc_columns.rs`, a view the columns its query
//!   plans to in this session; both typed as the wire types them.
//! - No two relations share an OID.

use std::collections::BTreeSet;

use datafusion::arrow::datatypes::Field;
use mindoodb_storage::{Access, TableInfo, ViewInfo};

use super::doc_columns::doc_schema;
use super::source::CatalogSource;
use super::table::SystemTable;
use super::{INFORMATION_SCHEMA_TABLES, PG_CATALOG_TABLES, oids};
use crate::error::Result;
use crate::output::PgType;

/// `pg_class.relkind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelKind {
    Table,
    View,
    Index,
}

impl RelKind {
    /// The `relkind` letter.
    pub(crate) fn code(self) -> &'static str {
        match self {
            RelKind::Table => "r",
            RelKind::View => "v",
            RelKind::Index => "i",
        }
    }
}

/// One column of a relation.
#[derive(Debug, Clone)]
pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) type_oid: u32,
    pub(crate) not_null: bool,
}

/// A primary-key index: the table it belongs to and the constraint it implements.
#[derive(Debug, Clone)]
pub(crate) struct PrimaryKey {
    pub(crate) table: u32,
    pub(crate) table_name: String,
    pub(crate) constraint: u32,
    /// `attnum`s of the key columns in the table.
    pub(crate) columns: Vec<i64>,
    pub(crate) column_names: Vec<String>,
}

/// One relation.
#[derive(Debug, Clone)]
pub(crate) struct Relation {
    pub(crate) oid: u32,
    pub(crate) name: String,
    pub(crate) namespace: u32,
    pub(crate) kind: RelKind,
    pub(crate) columns: Vec<Attribute>,
    /// Storage options (`reloptions`), as `name=value`.
    pub(crate) options: Vec<String>,
    /// For a primary-key index, what it indexes.
    pub(crate) primary_key: Option<PrimaryKey>,
    /// True for the relations MindooDB stores (document tables and their indexes).
    pub(crate) stored: bool,
    /// A view's query, as stored.
    pub(crate) definition: Option<String>,
    /// The owner and grants of a table or view of the tenant; `None` for system relations
    /// and indexes.
    pub(crate) access: Option<Access>,
}

/// Every relation of the session's tenant, then the system relations.
pub(crate) fn relations(source: &CatalogSource) -> Result<Vec<Relation>> {
    let mut out = Vec::new();
    for info in source.store.tables(source.tenant.id) {
        document_table(&info, &mut out)?;
    }
    out.extend(
        PG_CATALOG_TABLES
            .iter()
            .chain(INFORMATION_SCHEMA_TABLES)
            .map(|table| system(table)),
    );
    let mut taken: BTreeSet<u32> = out.iter().map(|r| r.oid).collect();
    for info in source.store.views(source.tenant.id) {
        let schema = (source.view_schema)(&info)?;
        let oid = oids::view(&info.name, &mut taken);
        out.push(view(oid, info, schema.fields().iter().map(|f| f.as_ref())));
    }
    Ok(out)
}

/// The namespace name of a `pg_namespace` OID.
pub(crate) fn namespace_name(oid: u32) -> Option<&'static str> {
    Some(match oid {
        oids::PG_CATALOG => "pg_catalog",
        oids::PUBLIC => "public",
        oids::INFORMATION_SCHEMA => "information_schema",
        oids::MINDOO => "mindoo",
        _ => return None,
    })
}

/// True when an unqualified name finds the relation (`pg_table_is_visible`).
pub(crate) fn visible(relation: &Relation) -> bool {
    matches!(relation.namespace, oids::PG_CATALOG | oids::PUBLIC)
}

/// `regclass` output: the bare name when visible, else `schema.name`.
pub(crate) fn display_name(relation: &Relation) -> String {
    match namespace_name(relation.namespace) {
        Some(schema) if !visible(relation) => format!("{schema}.{}", relation.name),
        _ => relation.name.clone(),
    }
}

/// A column as the wire types it.
fn attribute(field: &Field) -> Attribute {
    Attribute {
        name: field.name().clone(),
        type_oid: PgType::of_field(field).unwrap_or(PgType::Text).oid(),
        not_null: !field.is_nullable(),
    }
}

fn document_table(info: &TableInfo, out: &mut Vec<Relation>) -> Result<()> {
    let oid = oids::table(info.table.id)?;
    let columns: Vec<Attribute> = doc_schema()
        .fields()
        .iter()
        .map(|field| attribute(field))
        .collect();
    let options = info
        .default_key
        .iter()
        .map(|key| format!("key={key}"))
        .chain(info.read_only.then(|| "read_only=true".to_owned()))
        .chain(info.audit_reads.then(|| "audit_reads=on".to_owned()))
        .collect();
    out.push(Relation {
        oid,
        name: info.name.clone(),
        namespace: oids::PUBLIC,
        kind: RelKind::Table,
        columns: columns.clone(),
        options,
        primary_key: None,
        stored: true,
        definition: None,
        access: Some(info.access.clone()),
    });
    let id_column = columns
        .into_iter()
        .next()
        .into_iter()
        .collect::<Vec<Attribute>>();
    out.push(Relation {
        oid: oids::index(info.table.id)?,
        name: format!("{}_pkey", info.name),
        namespace: oids::PUBLIC,
        kind: RelKind::Index,
        primary_key: Some(PrimaryKey {
            table: oid,
            table_name: info.name.clone(),
            constraint: oids::constraint(info.table.id)?,
            columns: vec![1],
            column_names: id_column.iter().map(|c| c.name.clone()).collect(),
        }),
        columns: id_column,
        options: Vec::new(),
        stored: true,
        definition: None,
        access: None,
    });
    Ok(())
}

fn view<'a>(oid: u32, info: ViewInfo, columns: impl Iterator<Item = &'a Field>) -> Relation {
    Relation {
        oid,
        name: info.name,
        namespace: oids::PUBLIC,
        kind: RelKind::View,
        // Postgres never marks a view's columns NOT NULL.
        columns: columns
            .map(|field| Attribute {
                not_null: false,
                ..attribute(field)
            })
            .collect(),
        options: Vec::new(),
        primary_key: None,
        stored: false,
        definition: Some(info.sql),
        access: Some(info.access),
    }
}

fn system(table: &SystemTable) -> Relation {
    Relation {
        oid: table.oid,
        name: table.name.to_owned(),
        namespace: table.namespace,
        kind: if table.view {
            RelKind::View
        } else {
            RelKind::Table
        },
        columns: table
            .columns
            .iter()
            .map(|(name, col_type)| Attribute {
                name: (*name).to_owned(),
                type_oid: col_type.type_oid(),
                not_null: false,
            })
            .collect(),
        options: Vec::new(),
        primary_key: None,
        stored: false,
        definition: None,
        access: None,
    }
}
