//! What every system table shares: column types, cells, and the DataFusion providers that
//! build a table's rows from the live catalog on each scan.
//!
//! Invariants:
//! - Rows are computed when a statement scans the table, from the store as it is then: no
//!   cache can go stale.
//! - A row whose cells do not match its table's columns is an internal error, never a panic.
//! - Unqualified names find `pg_catalog` first, then the tenant's own tables, as Postgres'
//!   implicit search path does.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::new_empty_array;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{SchemaProvider, Session as DfSession, TableProvider};
use datafusion::common::{Result as DfResult, ScalarValue};
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::logical_expr::{Expr, TableType};
use datafusion::physical_plan::ExecutionPlan;

use super::source::CatalogSource;
use crate::error::{Error, Result};
use crate::output::PgType;

/// A system column's type as Postgres declares it; the Arrow type follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColType {
    Oid,
    Name,
    Text,
    /// The one-byte `"char"`.
    Char,
    /// `varchar`, and the information-schema domains over it (`character_data`, `yes_or_no`),
    /// which travel as it.
    Varchar,
    Bool,
    Int2,
    Int4,
    Int8,
    Float4,
    /// A function name (Postgres stores a function OID shown as its name).
    Regproc,
    /// An expression tree; MindooDB stores none, so always NULL.
    NodeTree,
    AclArray,
    TextArray,
    CharArray,
    OidArray,
    OidVector,
    Int2Array,
    Int2Vector,
    Timestamptz,
    Xid,
    Bytea,
}

impl ColType {
    /// The Arrow type of the column.
    pub(crate) fn arrow(self) -> DataType {
        let list =
            |element: DataType| DataType::List(Arc::new(Field::new_list_field(element, true)));
        match self {
            ColType::Oid | ColType::Xid => DataType::UInt32,
            ColType::Name
            | ColType::Text
            | ColType::Char
            | ColType::Varchar
            | ColType::Regproc
            | ColType::NodeTree => DataType::Utf8,
            ColType::Bool => DataType::Boolean,
            ColType::Int2 => DataType::Int16,
            ColType::Int4 => DataType::Int32,
            ColType::Int8 => DataType::Int64,
            ColType::Float4 => DataType::Float32,
            ColType::AclArray | ColType::TextArray | ColType::CharArray => list(DataType::Utf8),
            ColType::OidArray | ColType::OidVector => list(DataType::UInt32),
            ColType::Int2Array | ColType::Int2Vector => list(DataType::Int16),
            ColType::Timestamptz => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            ColType::Bytea => DataType::Binary,
        }
    }

    /// The column's field: its Arrow type, marked as the Postgres type it travels as where
    /// the Arrow type alone does not tell (`name`, `aclitem[]`).
    pub(crate) fn field(self, name: &str) -> Field {
        match self {
            ColType::Name => PgType::Name.field(name, true),
            ColType::AclArray => PgType::AclItemArray.field(name, true),
            ColType::Char => PgType::Char.field(name, true),
            ColType::Varchar => PgType::Varchar.field(name, true),
            _ => Field::new(name, self.arrow(), true),
        }
    }

    /// The column's type OID in Postgres' own catalog (`pg_attribute.atttypid`).
    pub(crate) fn type_oid(self) -> u32 {
        match self {
            ColType::Oid => 26,
            ColType::Name => 19,
            ColType::Text => 25,
            ColType::Char => 18,
            ColType::Varchar => 1043,
            ColType::Bool => 16,
            ColType::Int2 => 21,
            ColType::Int4 => 23,
            ColType::Int8 => 20,
            ColType::Float4 => 700,
            ColType::Regproc => 24,
            ColType::NodeTree => 194,
            ColType::AclArray => 1034,
            ColType::TextArray => 1009,
            ColType::CharArray => 1002,
            ColType::OidArray => 1028,
            ColType::OidVector => 30,
            ColType::Int2Array => 1005,
            ColType::Int2Vector => 22,
            ColType::Timestamptz => 1184,
            ColType::Xid => 28,
            ColType::Bytea => 17,
        }
    }
}

/// One value of a system table row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Oid(u32),
    Text(String),
    Oids(Vec<u32>),
    Ints(Vec<i64>),
    Texts(Vec<String>),
}

impl From<bool> for Cell {
    fn from(value: bool) -> Cell {
        Cell::Bool(value)
    }
}

impl From<i16> for Cell {
    fn from(value: i16) -> Cell {
        Cell::Int(i64::from(value))
    }
}

impl From<i32> for Cell {
    fn from(value: i32) -> Cell {
        Cell::Int(i64::from(value))
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Cell {
        Cell::Int(value)
    }
}

impl From<f32> for Cell {
    fn from(value: f32) -> Cell {
        Cell::Float(f64::from(value))
    }
}

impl From<u32> for Cell {
    fn from(value: u32) -> Cell {
        Cell::Oid(value)
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Cell {
        Cell::Text(value)
    }
}

impl From<Vec<u32>> for Cell {
    fn from(value: Vec<u32>) -> Cell {
        Cell::Oids(value)
    }
}

impl From<Vec<String>> for Cell {
    fn from(value: Vec<String>) -> Cell {
        Cell::Texts(value)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Null, Into::into)
    }
}

/// What a table's rows are built from: the session's view of the catalog and the DataFusion
/// session that scans (which knows the registered functions).
pub(crate) struct Scan<'a> {
    pub(crate) source: &'a CatalogSource,
    pub(crate) df: &'a dyn DfSession,
}

/// Builds the rows of a system table. A row may stop before the last column: the columns it
/// leaves out are NULL (the many Postgres columns MindooDB has no value for).
pub(crate) type RowsFn = fn(&Scan<'_>) -> Result<Vec<Vec<Cell>>>;

/// A `pg_catalog` or `information_schema` table or view.
pub(crate) struct SystemTable {
    pub(crate) name: &'static str,
    /// Its OID: Postgres' own where Postgres has the relation.
    pub(crate) oid: u32,
    /// `pg_namespace` OID of its schema.
    pub(crate) namespace: u32,
    /// `r` for a catalog table, `v` for a view, as in Postgres.
    pub(crate) view: bool,
    /// Name and type of each column, in Postgres' order.
    pub(crate) columns: &'static [(&'static str, ColType)],
    pub(crate) rows: RowsFn,
}

impl SystemTable {
    pub(crate) fn schema(&self) -> SchemaRef {
        Arc::new(Schema::new(
            self.columns
                .iter()
                .map(|(name, col_type)| col_type.field(name))
                .collect::<Vec<_>>(),
        ))
    }

    /// The table's current rows as one batch.
    pub(crate) fn batch(&self, scan: &Scan<'_>) -> Result<RecordBatch> {
        let rows = (self.rows)(scan)?;
        let mut columns = Vec::with_capacity(self.columns.len());
        for (idx, (_, col_type)) in self.columns.iter().enumerate() {
            let data_type = col_type.arrow();
            let values = rows
                .iter()
                .map(|row| scalar(row.get(idx).unwrap_or(&Cell::Null), *col_type, &data_type))
                .collect::<Result<Vec<_>>>()?;
            let array = if values.is_empty() {
                new_empty_array(&data_type)
            } else {
                ScalarValue::iter_to_array(values)?
            };
            columns.push(array);
        }
        RecordBatch::try_new(self.schema(), columns).map_err(|e| Error::Internal(e.to_string()))
    }
}

/// One cell as a value of the column's Arrow type.
fn scalar(cell: &Cell, col_type: ColType, data_type: &DataType) -> Result<ScalarValue> {
    let mismatch = || Error::Internal(format!("catalog cell {cell:?} in a {col_type:?} column"));
    let int = |value: i64| -> Result<ScalarValue> {
        ScalarValue::Int64(Some(value))
            .cast_to(data_type)
            .map_err(|_| mismatch())
    };
    let list = |items: Vec<ScalarValue>, element: &DataType| {
        ScalarValue::List(ScalarValue::new_list_nullable(&items, element))
    };
    Ok(match (cell, col_type) {
        (Cell::Null, _) => ScalarValue::try_from(data_type)?,
        (Cell::Bool(value), ColType::Bool) => ScalarValue::Boolean(Some(*value)),
        (Cell::Int(value), ColType::Int2 | ColType::Int4 | ColType::Int8) => int(*value)?,
        (Cell::Float(value), ColType::Float4) => ScalarValue::Float32(Some(*value as f32)),
        (Cell::Oid(value), ColType::Oid | ColType::Xid) => ScalarValue::UInt32(Some(*value)),
        (
            Cell::Text(value),
            ColType::Name
            | ColType::Text
            | ColType::Char
            | ColType::Varchar
            | ColType::Regproc
            | ColType::NodeTree,
        ) => ScalarValue::Utf8(Some(value.clone())),
        (Cell::Texts(items), ColType::AclArray | ColType::TextArray | ColType::CharArray) => list(
            items
                .iter()
                .map(|item| ScalarValue::Utf8(Some(item.clone())))
                .collect(),
            &DataType::Utf8,
        ),
        (Cell::Oids(items), ColType::OidArray | ColType::OidVector) => list(
            items
                .iter()
                .map(|item| ScalarValue::UInt32(Some(*item)))
                .collect(),
            &DataType::UInt32,
        ),
        (Cell::Ints(items), ColType::Int2Array | ColType::Int2Vector) => list(
            items
                .iter()
                .map(|item| {
                    i16::try_from(*item)
                        .map(|v| ScalarValue::Int16(Some(v)))
                        .map_err(|_| mismatch())
                })
                .collect::<Result<Vec<_>>>()?,
            &DataType::Int16,
        ),
        (Cell::Int(micros), ColType::Timestamptz) => {
            ScalarValue::TimestampMicrosecond(Some(*micros), Some("UTC".into()))
        }
        _ => return Err(mismatch()),
    })
}

/// A system table bound to one session's catalog view.
pub(crate) struct SystemTableProvider {
    table: &'static SystemTable,
    source: Arc<CatalogSource>,
}

impl fmt::Debug for SystemTableProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SystemTable({})", self.table.name)
    }
}

#[async_trait]
impl TableProvider for SystemTableProvider {
    fn schema(&self) -> SchemaRef {
        self.table.schema()
    }

    fn table_type(&self) -> TableType {
        if self.table.view {
            TableType::View
        } else {
            TableType::Base
        }
    }

    async fn scan(
        &self,
        state: &dyn DfSession,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let scan = Scan {
            source: &self.source,
            df: state,
        };
        let batch = self.table.batch(&scan).map_err(Error::into_datafusion)?;
        Ok(MemorySourceConfig::try_new_exec(
            &[vec![batch]],
            self.table.schema(),
            projection.cloned(),
        )?)
    }
}

/// `pg_catalog` or `information_schema`.
pub(crate) struct SystemSchema {
    tables: &'static [&'static SystemTable],
    source: Arc<CatalogSource>,
}

impl SystemSchema {
    pub(crate) fn new(
        tables: &'static [&'static SystemTable],
        source: Arc<CatalogSource>,
    ) -> SystemSchema {
        SystemSchema { tables, source }
    }

    fn find(&self, name: &str) -> Option<&'static SystemTable> {
        self.tables.iter().copied().find(|t| t.name == name)
    }
}

impl fmt::Debug for SystemSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SystemSchema({} tables)", self.tables.len())
    }
}

#[async_trait]
impl SchemaProvider for SystemSchema {
    fn table_names(&self) -> Vec<String> {
        self.tables.iter().map(|t| t.name.to_owned()).collect()
    }

    async fn table(&self, name: &str) -> DfResult<Option<Arc<dyn TableProvider>>> {
        Ok(self.find(name).map(|table| {
            Arc::new(SystemTableProvider {
                table,
                source: self.source.clone(),
            }) as Arc<dyn TableProvider>
        }))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.find(name).is_some()
    }
}

/// The `public` schema as unqualified names see it: `pg_catalog` first, then the tenant's
/// own relations.
pub(crate) struct SearchPath {
    system: Arc<SystemSchema>,
    user: Arc<dyn SchemaProvider>,
}

impl SearchPath {
    pub(crate) fn new(system: Arc<SystemSchema>, user: Arc<dyn SchemaProvider>) -> SearchPath {
        SearchPath { system, user }
    }
}

impl fmt::Debug for SearchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SearchPath(pg_catalog, {:?})", self.user)
    }
}

#[async_trait]
impl SchemaProvider for SearchPath {
    fn table_names(&self) -> Vec<String> {
        self.user.table_names()
    }

    async fn table(&self, name: &str) -> DfResult<Option<Arc<dyn TableProvider>>> {
        match self.system.table(name).await? {
            Some(table) => Ok(Some(table)),
            None => self.user.table(name).await,
        }
    }

    fn register_table(
        &self,
        name: String,
        table: Arc<dyn TableProvider>,
    ) -> DfResult<Option<Arc<dyn TableProvider>>> {
        self.user.register_table(name, table)
    }

    fn deregister_table(&self, name: &str) -> DfResult<Option<Arc<dyn TableProvider>>> {
        self.user.deregister_table(name)
    }

    fn table_exist(&self, name: &str) -> bool {
        self.system.table_exist(name) || self.user.table_exist(name)
    }
}
