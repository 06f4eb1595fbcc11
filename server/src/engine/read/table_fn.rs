//! The `mindoo.*` table functions as one descriptor each (`TableFn`): name, parameters, result
//! columns, row order, whether it writes, and the function that produces its rows. `mindoo/`
//! holds the descriptors, one file per family; `udtf.rs` makes them DataFusion relations.
//!
//! Invariants:
//! - A function's result columns do not depend on its arguments.
//! - Arguments reach `run` converted to their parameters' types (`Args`); a NULL, negative or
//!   mistyped argument is 22023 naming the parameter.
//! - `run` emits rows through `Out` in batches of at most `PAGE` rows and stops when the
//!   consumer wants no more.
//! - A function that returns a document's data (`Out::read`) of a table whose reads are audited
//!   has the batch's ids recorded (`session/audit.rs`) before the batch is handed on; the
//!   producer runs at most two batches ahead of the consumer, so at most those are recorded
//!   without having been fetched.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayBuilder, ArrayRef, BinaryBuilder, BooleanBuilder, Int32Builder, Int64Builder, ListBuilder,
    StringBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use mindoodb_client::glob;
use mindoodb_protocol::DocId;
use mindoodb_storage::{RoleRecord, Seq, Store, Table, TableInfo, TenantId};

use crate::catalog::acl::{self, Subject};
use crate::catalog::doc_columns::doc_schema;
use crate::catalog::{Settings, names};
use crate::engine::session::Engine;
use crate::engine::session::activity::Activity;
use crate::engine::session::audit::StatementAudit;
use crate::engine::session::listen::Notifier;
use crate::engine::session::state::SharedState;
use crate::error::{Error, Result};
use crate::output::PgType;

/// Rows per emitted batch (and per storage page of the functions that page).
pub(crate) const PAGE: usize = 1024;

/// One table function of schema `mindoo`.
pub(crate) struct TableFn {
    /// The name after `mindoo.`.
    pub(crate) name: &'static str,
    pub(crate) params: &'static [Param],
    pub(crate) columns: Columns,
    /// The columns its rows are sorted by (ascending), so `ORDER BY` them costs no sort.
    pub(crate) sorted_by: &'static [&'static str],
    /// True for the functions that write.
    pub(crate) writes: bool,
    /// Produces the rows; `limit` is the query's row limit, when DataFusion pushed one down.
    pub(crate) run: fn(&FnCtx, &Args, Option<usize>, &mut Out<'_>) -> Result<()>,
}

/// A function's result columns.
pub(crate) enum Columns {
    /// `name type, ...` in PostgreSQL's type names, as a `RETURNS TABLE (...)` would say it.
    Fixed(&'static str),
    /// A document table's columns (`mindoo.as_of`).
    Documents,
}

impl TableFn {
    /// The result columns.
    pub(crate) fn schema(&self) -> SchemaRef {
        match self.columns {
            Columns::Documents => doc_schema(),
            Columns::Fixed(columns) => Arc::new(Schema::new(
                columns
                    .split(',')
                    .map(|column| {
                        let (name, type_name) = column.trim().split_once(' ').unwrap_or_default();
                        let pg_type = column_type(type_name).unwrap_or_else(|| {
                            panic!("mindoo.{}: column type {type_name:?}", self.name)
                        });
                        pg_type.field(name, true)
                    })
                    .collect::<Vec<_>>(),
            )),
        }
    }
}

impl std::fmt::Debug for TableFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "mindoo.{}", self.name)
    }
}

/// One declared parameter of a table function.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Param {
    pub(crate) name: &'static str,
    pub(crate) pg_type: PgType,
    pub(crate) optional: bool,
}

/// A required parameter.
pub(crate) const fn param(name: &'static str, pg_type: PgType) -> Param {
    Param {
        name,
        pg_type,
        optional: false,
    }
}

/// An optional parameter (it may be left out; it may only be followed by optional ones).
pub(crate) const fn optional(name: &'static str, pg_type: PgType) -> Param {
    Param {
        name,
        pg_type,
        optional: true,
    }
}

/// What the functions of one session read and write with.
pub(crate) struct FnCtx {
    pub(crate) store: Store,
    pub(crate) tenant: TenantId,
    pub(crate) state: SharedState,
    pub(crate) notifier: Arc<Notifier>,
    /// The session's role is a superuser (only superusers may make the server connect out).
    pub(crate) superuser: bool,
    /// The session's role, and its settings, where SET ROLE records the current role.
    role: String,
    settings: Settings,
    pub(crate) activity: Arc<Activity>,
}

impl FnCtx {
    /// What one session's table functions use.
    pub(crate) fn new(
        engine: &Engine,
        role: &RoleRecord,
        tenant: TenantId,
        state: SharedState,
        settings: Settings,
    ) -> Arc<FnCtx> {
        Arc::new(FnCtx {
            store: engine.store().clone(),
            tenant,
            state,
            notifier: engine.notifier().clone(),
            superuser: role.superuser,
            role: role.name.clone(),
            settings,
            activity: engine.activity().clone(),
        })
    }

    /// The table a text argument names (read as `regclass` reads a name), when the current
    /// role holds `needed` on it.
    pub(crate) fn table(&self, name: &str, needed: u32) -> Result<Table> {
        let folded = names::relation_text(name)?;
        let table = self
            .store
            .table(self.tenant, &folded)
            .map(|info| info.table)
            .ok_or_else(|| Error::UndefinedTable(name.to_owned()))?;
        self.subject()?
            .require(&self.store, self.tenant, &folded, needed)?;
        Ok(table)
    }

    /// The table a text argument names, when the current role may act as its owner (its
    /// owner, a member of the owner, or a superuser): 42501 otherwise.
    pub(crate) fn owned_table(&self, name: &str) -> Result<Table> {
        let folded = names::relation_text(name)?;
        let info = self
            .store
            .table(self.tenant, &folded)
            .ok_or_else(|| Error::UndefinedTable(name.to_owned()))?;
        let owner = acl::relation_owner(&info.access, &self.store.tenant_access(self.tenant));
        if !self.subject()?.acts_as_owner(&owner) {
            return Err(Error::InsufficientPrivilege(format!(
                "must be owner of table {folded}"
            )));
        }
        Ok(info.table)
    }

    /// The tables whose names match `pattern` that the current role may read.
    pub(crate) fn readable_tables(&self, pattern: &str) -> Result<Vec<TableInfo>> {
        let subject = self.subject()?;
        Ok(self
            .store
            .tables(self.tenant)
            .into_iter()
            .filter(|info| glob(pattern, &info.name))
            .filter(|info| {
                subject
                    .relation(&self.store, self.tenant, &info.name)
                    .is_some_and(|held| held & acl::SELECT != 0)
            })
            .collect())
    }

    /// Refuses unless the current role owns the tenant (or is a superuser): the tenant's
    /// admin, who alone may change its writer list.
    pub(crate) fn require_tenant_admin(&self, what: &str) -> Result<()> {
        let owner = self.store.tenant_access(self.tenant).owner;
        if self.subject()?.acts_as_owner(&owner) {
            Ok(())
        } else {
            Err(Error::InsufficientPrivilege(format!(
                "only the database's owner may {what}"
            )))
        }
    }

    /// The role the session logged in as (SET ROLE aside).
    pub(crate) fn login_role(&self) -> &str {
        &self.role
    }

    /// The current role as privilege checks see it.
    fn subject(&self) -> Result<Subject> {
        Subject::of(&self.store, &self.settings.current_role(&self.role))
    }
}

/// An argument, converted to its parameter's type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Null,
    Text(String),
    Int(i64),
    /// Microseconds since the Unix epoch.
    Time(i64),
    Bytes(Vec<u8>),
    Bool(bool),
}

/// The arguments of one call.
pub(crate) struct Args {
    func: &'static TableFn,
    values: Vec<Arg>,
}

impl Args {
    /// Converts each value to its parameter's type.
    pub(crate) fn new(func: &'static TableFn, values: &[ScalarValue]) -> Result<Args> {
        let values = values
            .iter()
            .enumerate()
            .map(|(idx, value)| convert(func, idx, value))
            .collect::<Result<_>>()?;
        Ok(Args { func, values })
    }

    /// Argument `idx`, when given.
    pub(crate) fn get(&self, idx: usize) -> Option<&Arg> {
        self.values.get(idx)
    }

    /// A text argument that must be given.
    pub(crate) fn text(&self, idx: usize) -> Result<&str> {
        self.optional_text(idx)?.ok_or_else(|| self.null(idx))
    }

    /// A text argument that may be NULL or left out.
    pub(crate) fn optional_text(&self, idx: usize) -> Result<Option<&str>> {
        match self.values.get(idx) {
            Some(Arg::Text(text)) => Ok(Some(text)),
            None | Some(Arg::Null) => Ok(None),
            Some(_) => Err(Error::Internal("text argument is not text".into())),
        }
    }

    /// The table a text argument names, when the current role holds `needed` on it.
    pub(crate) fn table(&self, ctx: &FnCtx, idx: usize, needed: u32) -> Result<Table> {
        ctx.table(self.text(idx)?, needed)
    }

    /// A relation-name pattern (`'crm*'`), folded like a name.
    pub(crate) fn pattern(&self, idx: usize) -> Result<String> {
        names::pattern_text(self.text(idx)?)
    }

    /// A non-negative seq.
    pub(crate) fn seq(&self, idx: usize) -> Result<Seq> {
        match self.values.get(idx) {
            Some(Arg::Int(n)) => u64::try_from(*n).map(Seq).map_err(|_| self.negative(idx)),
            _ => Err(self.null(idx)),
        }
    }

    /// A non-negative limit; `None` when NULL or left out.
    pub(crate) fn limit(&self, idx: usize) -> Result<Option<usize>> {
        match self.values.get(idx) {
            None | Some(Arg::Null) => Ok(None),
            Some(Arg::Int(n)) => usize::try_from(*n)
                .map(Some)
                .map_err(|_| self.negative(idx)),
            Some(_) => Err(Error::Internal("limit is not an integer".into())),
        }
    }

    /// A document id.
    pub(crate) fn doc(&self, idx: usize) -> Result<DocId> {
        DocId::new(self.text(idx)?.to_owned()).map_err(|e| Error::InvalidParameter(e.to_string()))
    }

    /// A bytea argument that must be given.
    pub(crate) fn bytes(&self, idx: usize) -> Result<&[u8]> {
        self.optional_bytes(idx)?.ok_or_else(|| self.null(idx))
    }

    /// A bytea argument that may be NULL or left out.
    pub(crate) fn optional_bytes(&self, idx: usize) -> Result<Option<&[u8]>> {
        match self.values.get(idx) {
            Some(Arg::Bytes(bytes)) => Ok(Some(bytes)),
            None | Some(Arg::Null) => Ok(None),
            Some(_) => Err(Error::Internal("bytea argument is not bytea".into())),
        }
    }

    /// A boolean argument that may be NULL or left out.
    pub(crate) fn optional_bool(&self, idx: usize) -> Result<Option<bool>> {
        match self.values.get(idx) {
            Some(Arg::Bool(value)) => Ok(Some(*value)),
            None | Some(Arg::Null) => Ok(None),
            Some(_) => Err(Error::Internal("bool argument is not bool".into())),
        }
    }

    fn null(&self, idx: usize) -> Error {
        let name = self.func.params.get(idx).map_or("?", |p| p.name);
        Error::InvalidParameter(format!(
            "argument {name} of mindoo.{} must not be null",
            self.func.name
        ))
    }

    fn negative(&self, idx: usize) -> Error {
        let name = self.func.params.get(idx).map_or("?", |p| p.name);
        Error::InvalidParameter(format!(
            "argument {name} of mindoo.{} must not be negative",
            self.func.name
        ))
    }
}

/// Converts argument `idx` of `func` to its declared type.
fn convert(func: &TableFn, idx: usize, value: &ScalarValue) -> Result<Arg> {
    let Some(param) = func.params.get(idx) else {
        return Err(Error::UndefinedFunction(format!(
            "mindoo.{} with {} argument(s)",
            func.name,
            idx + 1
        )));
    };
    if value.is_null() {
        return Ok(Arg::Null);
    }
    let bad = |want: &str| {
        Error::InvalidParameter(format!(
            "argument {} of mindoo.{} must be {want}",
            param.name, func.name
        ))
    };
    let cast = |to: &DataType| value.cast_to(to).ok().filter(|v| !v.is_null());
    Ok(match param.pg_type {
        PgType::Int8 | PgType::Int4 => match cast(&DataType::Int64) {
            Some(ScalarValue::Int64(Some(n))) => Arg::Int(n),
            _ => return Err(bad("an integer")),
        },
        PgType::Bool => match cast(&DataType::Boolean) {
            Some(ScalarValue::Boolean(Some(b))) => Arg::Bool(b),
            _ => return Err(bad("a boolean")),
        },
        PgType::Timestamptz => {
            let micros = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
            match cast(&micros) {
                Some(ScalarValue::TimestampMicrosecond(Some(us), _)) => Arg::Time(us),
                _ => return Err(bad("a timestamptz")),
            }
        }
        PgType::Bytea => match value {
            ScalarValue::Binary(Some(b))
            | ScalarValue::LargeBinary(Some(b))
            | ScalarValue::BinaryView(Some(b))
            | ScalarValue::FixedSizeBinary(_, Some(b)) => Arg::Bytes(b.clone()),
            ScalarValue::Utf8(Some(s))
            | ScalarValue::LargeUtf8(Some(s))
            | ScalarValue::Utf8View(Some(s)) => {
                Arg::Bytes(hex_bytea(s).ok_or_else(|| bad("bytea (\\x followed by hex)"))?)
            }
            _ => return Err(bad("bytea")),
        },
        _ => match cast(&DataType::Utf8) {
            Some(ScalarValue::Utf8(Some(s))) => Arg::Text(s),
            _ => return Err(bad("text")),
        },
    })
}

/// `\x` followed by hex digits: Postgres' bytea text form.
fn hex_bytea(text: &str) -> Option<Vec<u8>> {
    let digits = text.strip_prefix("\\x")?;
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The types result columns are declared with. The descriptors are static, so a name outside
/// this list is a typo that `mindoo::tests::every_function_has_a_schema_and_parameters` finds
/// (it builds every schema) before any query can.
fn column_type(name: &str) -> Option<PgType> {
    Some(match name {
        "text" => PgType::Text,
        "int8" => PgType::Int8,
        "int4" => PgType::Int4,
        "bool" => PgType::Bool,
        "timestamptz" => PgType::Timestamptz,
        "bytea" => PgType::Bytea,
        "jsonb" => PgType::Jsonb,
        "text[]" => PgType::TextArray,
        _ => return None,
    })
}

/// One value of a result row.
pub(crate) enum Cell {
    Null,
    Text(String),
    Json(String),
    Int(i64),
    Int4(i32),
    Bool(bool),
    Time(i64),
    Bytes(Vec<u8>),
    TextArray(Vec<String>),
}

impl Cell {
    /// Text, or NULL when empty.
    pub(crate) fn text_or_null(text: &str) -> Cell {
        if text.is_empty() {
            Cell::Null
        } else {
            Cell::Text(text.to_owned())
        }
    }
}

/// Rows collected into batches of `PAGE` and handed to the consumer.
pub(crate) struct Out<'e> {
    schema: SchemaRef,
    builders: Vec<Box<dyn ArrayBuilder>>,
    n_rows: usize,
    emit: &'e mut dyn FnMut(RecordBatch) -> bool,
    reads: Reads,
}

/// The documents of audited tables whose data the rows not yet handed on carry.
pub(crate) struct Reads {
    store: Store,
    /// The statement the function runs for (taken when its scan started).
    statement: Option<Arc<StatementAudit>>,
    /// Whether each table met so far is audited.
    audited: Vec<(Table, bool)>,
    ids: Vec<(Table, String)>,
}

impl Reads {
    pub(crate) fn new(store: Store, statement: Option<Arc<StatementAudit>>) -> Reads {
        Reads {
            store,
            statement,
            audited: Vec::new(),
            ids: Vec::new(),
        }
    }

    /// Appends the records of the ids so far, one table at a time.
    fn record(&mut self) -> Result<()> {
        if self.ids.is_empty() {
            return Ok(());
        }
        let Some(statement) = &self.statement else {
            return Err(Error::Internal(
                "a read of an audited table outside a statement".into(),
            ));
        };
        let mut ids = std::mem::take(&mut self.ids);
        ids.sort_by_key(|(table, _)| *table);
        for group in ids.chunk_by(|a, b| a.0 == b.0) {
            let table_ids: Vec<String> = group.iter().map(|(_, id)| id.clone()).collect();
            statement.record(group[0].0, &table_ids)?;
        }
        Ok(())
    }
}

impl<'e> Out<'e> {
    pub(crate) fn new(
        schema: SchemaRef,
        emit: &'e mut dyn FnMut(RecordBatch) -> bool,
        reads: Reads,
    ) -> Out<'e> {
        let builders = builders(&schema);
        Out {
            schema,
            builders,
            n_rows: 0,
            emit,
            reads,
        }
    }

    /// Notes that the rows pushed (or the batch emitted) next carry the data of document `id`
    /// of `table`; recorded before they are handed on when `table`'s reads are audited.
    pub(crate) fn read(&mut self, table: Table, id: &str) {
        let audited = match self.reads.audited.iter().find(|(t, _)| *t == table) {
            Some((_, audited)) => *audited,
            None => {
                let audited = self.reads.store.audits_reads(table);
                self.reads.audited.push((table, audited));
                audited
            }
        };
        if audited {
            self.reads.ids.push((table, id.to_owned()));
        }
    }

    /// True when a batch's worth of rows waits.
    pub(crate) fn full(&self) -> bool {
        self.n_rows >= PAGE
    }

    pub(crate) fn push(&mut self, row: Vec<Cell>) -> Result<()> {
        if row.len() != self.builders.len() {
            return Err(Error::Internal("row and schema differ in width".into()));
        }
        for (builder, cell) in self.builders.iter_mut().zip(row) {
            append(builder.as_any_mut(), cell)?;
        }
        self.n_rows += 1;
        Ok(())
    }

    /// Hands a batch built elsewhere to the consumer, after the rows so far; false when the
    /// consumer wants no more.
    pub(crate) fn emit(&mut self, batch: RecordBatch) -> Result<bool> {
        if !self.flush()? {
            return Ok(false);
        }
        self.reads.record()?;
        Ok((self.emit)(batch))
    }

    /// Emits the rows so far; false when the consumer wants no more.
    pub(crate) fn flush(&mut self) -> Result<bool> {
        if self.n_rows == 0 {
            return Ok(true);
        }
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(|b| b.finish()).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| Error::Internal(e.to_string()))?;
        self.n_rows = 0;
        self.reads.record()?;
        Ok((self.emit)(batch))
    }
}

fn builders(schema: &Schema) -> Vec<Box<dyn ArrayBuilder>> {
    schema
        .fields()
        .iter()
        .map(|field| -> Box<dyn ArrayBuilder> {
            match field.data_type() {
                DataType::Int64 => Box::new(Int64Builder::new()),
                DataType::Int32 => Box::new(Int32Builder::new()),
                DataType::Boolean => Box::new(BooleanBuilder::new()),
                DataType::Timestamp(..) => {
                    Box::new(TimestampMicrosecondBuilder::new().with_timezone("UTC"))
                }
                DataType::Binary => Box::new(BinaryBuilder::new()),
                DataType::List(_) => Box::new(ListBuilder::new(StringBuilder::new())),
                _ => Box::new(StringBuilder::new()),
            }
        })
        .collect()
}

fn append(builder: &mut dyn std::any::Any, cell: Cell) -> Result<()> {
    let mismatch = || Error::Internal("cell and column type differ".into());
    match cell {
        Cell::Text(s) | Cell::Json(s) => builder
            .downcast_mut::<StringBuilder>()
            .ok_or_else(mismatch)?
            .append_value(s),
        Cell::Int(n) => builder
            .downcast_mut::<Int64Builder>()
            .ok_or_else(mismatch)?
            .append_value(n),
        Cell::Int4(n) => builder
            .downcast_mut::<Int32Builder>()
            .ok_or_else(mismatch)?
            .append_value(n),
        Cell::Bool(b) => builder
            .downcast_mut::<BooleanBuilder>()
            .ok_or_else(mismatch)?
            .append_value(b),
        Cell::Time(us) => builder
            .downcast_mut::<TimestampMicrosecondBuilder>()
            .ok_or_else(mismatch)?
            .append_value(us),
        Cell::Bytes(b) => builder
            .downcast_mut::<BinaryBuilder>()
            .ok_or_else(mismatch)?
            .append_value(b),
        Cell::TextArray(texts) => builder
            .downcast_mut::<ListBuilder<StringBuilder>>()
            .ok_or_else(mismatch)?
            .append_value(texts.into_iter().map(Some)),
        Cell::Null => append_null(builder).ok_or_else(mismatch)?,
    }
    Ok(())
}

fn append_null(builder: &mut dyn std::any::Any) -> Option<()> {
    if let Some(b) = builder.downcast_mut::<StringBuilder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<Int64Builder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<Int32Builder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<BooleanBuilder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<TimestampMicrosecondBuilder>() {
        b.append_null();
    } else if let Some(b) = builder.downcast_mut::<ListBuilder<StringBuilder>>() {
        b.append_null();
    } else {
        builder.downcast_mut::<BinaryBuilder>()?.append_null();
    }
    Some(())
}
