//! What the engine hands to the wire layer: rows with Postgres types, command tags,
//! transaction boundaries. Nothing here knows pgwire.
//!
//! Invariants:
//! - In `Output::Rows`, column `i` of every batch has exactly the Arrow type
//!   `columns[i].pg_type.arrow_type()`; the engine casts before it hands a batch on.
//! - Rows travel as `Batches`, a stream the wire layer sends from as batches arrive, so no
//!   statement holds its whole result; a statement that fails midway ends its stream with the
//!   error.

use std::collections::HashMap;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt};

use crate::error::{Error, Result};

/// A Postgres type the server sends or accepts, with its canonical Arrow type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PgType {
    /// `bool` (16): Arrow Boolean.
    Bool,
    /// `int2` (21): Arrow Int16.
    Int2,
    /// `int4` (23): Arrow Int32.
    Int4,
    /// `int8` (20): Arrow Int64.
    Int8,
    /// `float4` (700): Arrow Float32.
    Float4,
    /// `float8` (701): Arrow Float64.
    Float8,
    /// `numeric` (1700): Arrow Utf8 holding the decimal text.
    Numeric,
    /// `text` (25): Arrow Utf8.
    Text,
    /// `jsonb` (3802): Arrow Utf8 holding JSON text.
    Jsonb,
    /// `bytea` (17): Arrow Binary.
    Bytea,
    /// `timestamptz` (1184): Arrow Timestamp(µs, "UTC").
    Timestamptz,
    /// `date` (1082): Arrow Date32.
    Date,
    /// `oid` (26): Arrow UInt32.
    Oid,
    /// `bool[]` (1000): Arrow List of Boolean.
    BoolArray,
    /// `int2[]` (1005): Arrow List of Int16.
    Int2Array,
    /// `int4[]` (1007): Arrow List of Int32.
    Int4Array,
    /// `int8[]` (1016): Arrow List of Int64.
    Int8Array,
    /// `float8[]` (1022): Arrow List of Float64.
    Float8Array,
    /// `oid[]` (1028): Arrow List of UInt32.
    OidArray,
    /// `text[]` (1009): Arrow List of Utf8.
    TextArray,
    /// `name` (19): Arrow Utf8 marked `name`.
    Name,
    /// `aclitem` (1033): Arrow Utf8 marked `aclitem`, holding `aclitemout`'s text.
    AclItem,
    /// `aclitem[]` (1034): Arrow List of Utf8 marked `aclitem[]`.
    AclItemArray,
    /// `varchar` (1043): Arrow Utf8 marked `varchar`.
    Varchar,
    /// `"char"` (18), the one-byte type of catalog codes: Arrow Utf8 marked `char`.
    Char,
    /// `tsvector` (3614): Arrow Utf8 marked `tsvector`, holding `tsvectorout`'s text.
    TsVector,
    /// `tsquery` (3615): Arrow Utf8 marked `tsquery`, holding `tsqueryout`'s text.
    TsQuery,
    /// `regconfig` (3734): Arrow Utf8 marked `regconfig`, holding the configuration's name.
    RegConfig,
}

impl PgType {
    /// Every variant, for tests that must cover them all and for the `wire` fuzz target.
    pub(crate) const ALL: [PgType; 28] = [
        PgType::Bool,
        PgType::Int2,
        PgType::Int4,
        PgType::Int8,
        PgType::Float4,
        PgType::Float8,
        PgType::Numeric,
        PgType::Text,
        PgType::Jsonb,
        PgType::Bytea,
        PgType::Timestamptz,
        PgType::Date,
        PgType::Oid,
        PgType::BoolArray,
        PgType::Int2Array,
        PgType::Int4Array,
        PgType::Int8Array,
        PgType::Float8Array,
        PgType::OidArray,
        PgType::TextArray,
        PgType::Name,
        PgType::AclItem,
        PgType::AclItemArray,
        PgType::Varchar,
        PgType::Char,
        PgType::TsVector,
        PgType::TsQuery,
        PgType::RegConfig,
    ];

    /// The type's OID in `pg_type`.
    pub(crate) fn oid(self) -> u32 {
        match self {
            PgType::Bool => 16,
            PgType::Int2 => 21,
            PgType::Int4 => 23,
            PgType::Int8 => 20,
            PgType::Float4 => 700,
            PgType::Float8 => 701,
            PgType::Numeric => 1700,
            PgType::Text => 25,
            PgType::Jsonb => 3802,
            PgType::Bytea => 17,
            PgType::Timestamptz => 1184,
            PgType::Date => 1082,
            PgType::Oid => 26,
            PgType::BoolArray => 1000,
            PgType::Int2Array => 1005,
            PgType::Int4Array => 1007,
            PgType::Int8Array => 1016,
            PgType::Float8Array => 1022,
            PgType::OidArray => 1028,
            PgType::TextArray => 1009,
            PgType::Name => 19,
            PgType::AclItem => 1033,
            PgType::AclItemArray => 1034,
            PgType::Varchar => 1043,
            PgType::Char => 18,
            PgType::TsVector => 3614,
            PgType::TsQuery => 3615,
            PgType::RegConfig => 3734,
        }
    }

    /// The element type of an array type; `None` for scalars.
    pub(crate) fn element(self) -> Option<PgType> {
        Some(match self {
            PgType::BoolArray => PgType::Bool,
            PgType::Int2Array => PgType::Int2,
            PgType::Int4Array => PgType::Int4,
            PgType::Int8Array => PgType::Int8,
            PgType::Float8Array => PgType::Float8,
            PgType::OidArray => PgType::Oid,
            PgType::TextArray => PgType::Text,
            PgType::AclItemArray => PgType::AclItem,
            _ => return None,
        })
    }

    /// The type a client means by a parameter OID it declares: `varchar` and `name` are read
    /// as `text`; OIDs of types no parameter takes give `None`.
    pub(crate) fn from_oid(oid: u32) -> Option<PgType> {
        Some(match oid {
            16 => PgType::Bool,
            21 => PgType::Int2,
            23 => PgType::Int4,
            20 => PgType::Int8,
            700 => PgType::Float4,
            701 => PgType::Float8,
            1700 => PgType::Numeric,
            25 | 1043 | 19 => PgType::Text,
            3802 | 114 => PgType::Jsonb,
            17 => PgType::Bytea,
            1184 | 1114 => PgType::Timestamptz,
            1082 => PgType::Date,
            26 => PgType::Oid,
            1000 => PgType::BoolArray,
            1005 => PgType::Int2Array,
            1007 => PgType::Int4Array,
            1016 => PgType::Int8Array,
            1022 => PgType::Float8Array,
            1028 => PgType::OidArray,
            1009 | 1015 => PgType::TextArray,
            _ => return None,
        })
    }

    /// The Arrow type the engine uses for this Postgres type.
    pub(crate) fn arrow_type(self) -> DataType {
        match self {
            PgType::Bool => DataType::Boolean,
            PgType::Int2 => DataType::Int16,
            PgType::Int4 => DataType::Int32,
            PgType::Int8 => DataType::Int64,
            PgType::Float4 => DataType::Float32,
            PgType::Float8 => DataType::Float64,
            PgType::Numeric
            | PgType::Text
            | PgType::Jsonb
            | PgType::Name
            | PgType::AclItem
            | PgType::Varchar
            | PgType::Char
            | PgType::TsVector
            | PgType::TsQuery
            | PgType::RegConfig => DataType::Utf8,
            PgType::Bytea => DataType::Binary,
            PgType::Timestamptz => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            PgType::Date => DataType::Date32,
            PgType::Oid => DataType::UInt32,
            PgType::BoolArray => list_of(PgType::Bool),
            PgType::Int2Array => list_of(PgType::Int2),
            PgType::Int4Array => list_of(PgType::Int4),
            PgType::Int8Array => list_of(PgType::Int8),
            PgType::Float8Array => list_of(PgType::Float8),
            PgType::OidArray => list_of(PgType::Oid),
            PgType::TextArray => list_of(PgType::Text),
            PgType::AclItemArray => list_of(PgType::AclItem),
        }
    }
}

impl PgType {
    /// A result or parameter field of this type: its canonical Arrow type, and for the types
    /// that share an Arrow type with another (`jsonb`, `name` and `aclitem` are Utf8 like
    /// `text`) the metadata mark that tells them apart.
    pub(crate) fn field(self, name: &str, nullable: bool) -> Field {
        let field = Field::new(name, self.arrow_type(), nullable);
        match MARKS.iter().find(|(pg_type, _)| *pg_type == self) {
            Some((_, mark)) => {
                field.with_metadata(HashMap::from([(PG_TYPE_KEY.into(), (*mark).into())]))
            }
            None => field,
        }
    }

    /// The Postgres type a field travels as; `None` for Arrow types Postgres has no match for.
    pub(crate) fn of_field(field: &Field) -> Option<PgType> {
        let marked = field
            .metadata()
            .get(PG_TYPE_KEY)
            .and_then(|mark| MARKS.iter().find(|(_, m)| m == mark))
            .map(|(pg_type, _)| *pg_type);
        match (marked, field.data_type()) {
            (
                Some(
                    pg_type @ (PgType::Jsonb
                    | PgType::Name
                    | PgType::AclItem
                    | PgType::Varchar
                    | PgType::Char
                    | PgType::TsVector
                    | PgType::TsQuery
                    | PgType::RegConfig),
                ),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View,
            ) => return Some(pg_type),
            (
                Some(PgType::AclItemArray),
                DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..),
            ) => return Some(PgType::AclItemArray),
            _ => {}
        }
        Some(match field.data_type() {
            DataType::Boolean => PgType::Bool,
            DataType::Int8 | DataType::Int16 | DataType::UInt8 => PgType::Int2,
            DataType::Int32 | DataType::UInt16 => PgType::Int4,
            DataType::UInt32 => PgType::Oid,
            DataType::Int64 | DataType::UInt64 => PgType::Int8,
            DataType::Float16 | DataType::Float32 => PgType::Float4,
            DataType::Float64 => PgType::Float8,
            DataType::Decimal32(..)
            | DataType::Decimal64(..)
            | DataType::Decimal128(..)
            | DataType::Decimal256(..) => PgType::Numeric,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => {
                PgType::Text
            }
            DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
            | DataType::FixedSizeBinary(_) => PgType::Bytea,
            DataType::Timestamp(..) => PgType::Timestamptz,
            DataType::Date32 | DataType::Date64 => PgType::Date,
            DataType::List(element)
            | DataType::LargeList(element)
            | DataType::FixedSizeList(element, _) => match PgType::of_field(element)? {
                PgType::Bool => PgType::BoolArray,
                PgType::Int2 => PgType::Int2Array,
                PgType::Int4 => PgType::Int4Array,
                PgType::Int8 => PgType::Int8Array,
                PgType::Float4 | PgType::Float8 => PgType::Float8Array,
                PgType::Oid => PgType::OidArray,
                _ => PgType::TextArray,
            },
            _ => return None,
        })
    }
}

/// Field metadata key whose value marks a field as one of the `MARKS` types.
const PG_TYPE_KEY: &str = "pg_type";
/// The types told from another of the same Arrow type by a mark, with their marks.
const MARKS: [(PgType, &str); 9] = [
    (PgType::Jsonb, "jsonb"),
    (PgType::Name, "name"),
    (PgType::AclItem, "aclitem"),
    (PgType::AclItemArray, "aclitem[]"),
    (PgType::Varchar, "varchar"),
    (PgType::Char, "char"),
    (PgType::TsVector, "tsvector"),
    (PgType::TsQuery, "tsquery"),
    (PgType::RegConfig, "regconfig"),
];

/// True when a field carries the jsonb mark.
pub(crate) fn is_jsonb(field: &Field) -> bool {
    PgType::of_field(field) == Some(PgType::Jsonb)
}

/// An Arrow List of `element`'s canonical type, with nullable elements (Postgres arrays may
/// hold NULLs).
fn list_of(element: PgType) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(element.arrow_type(), true)))
}

/// One result column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    /// Its name as the client sees it (`?column?`, `count`, `id`).
    pub name: String,
    /// Its type.
    pub pg_type: PgType,
}

/// A bound parameter value, decoded by the wire layer from text or binary.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// SQL NULL.
    Null,
    /// `bool`.
    Bool(bool),
    /// Any integer type.
    Int(i64),
    /// `float4`/`float8`.
    Float(f64),
    /// `text`, `varchar`, `numeric` text, and anything sent as text.
    Text(String),
    /// `jsonb`/`json` text.
    Jsonb(String),
    /// `bytea`.
    Bytea(Vec<u8>),
    /// `timestamptz`, microseconds since the Unix epoch.
    Timestamptz(i64),
}

/// COPY's data format: Postgres' text format (tab-separated, `\N` for NULL, backslash
/// escapes) or CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopyFormat {
    /// CSV instead of text.
    pub csv: bool,
    /// A header line (CSV only).
    pub header: bool,
    /// The field separator: tab for text, comma for CSV unless set.
    pub delimiter: char,
    /// How NULL is written: `\N` for text, an empty unquoted field for CSV, unless set.
    pub null: String,
}

/// The result of one statement.
#[derive(Debug)]
pub(crate) enum Output {
    /// Rows, then a tag (`SELECT n`, or `INSERT 0 n` for INSERT ... RETURNING).
    Rows {
        /// Column names and types.
        columns: Vec<Column>,
        /// The rows, typed as the module invariant says.
        batches: Batches,
        /// The command tag without the row count (`SELECT`, `INSERT 0`, `UPDATE`, `DELETE`).
        tag: &'static str,
    },
    /// A command without rows: `tag` and, for DML, the affected row count.
    Command {
        /// `CREATE TABLE`, `SET`, `INSERT 0`, `UPDATE` ...
        tag: &'static str,
        /// Rows affected, appended to the tag when present.
        rows: Option<usize>,
    },
    /// COPY ... TO STDOUT: rows the wire layer writes in `format`.
    CopyOut {
        /// Column names and types.
        columns: Vec<Column>,
        /// The rows, typed as the module invariant says.
        batches: Batches,
        /// Text or CSV, with its options.
        format: CopyFormat,
    },
    /// COPY ... FROM STDIN accepted: the wire layer hands the data to `Session::copy_data`
    /// and ends with `Session::copy_done`.
    CopyIn {
        /// How many columns each row has.
        n_columns: usize,
        /// Postgres' binary COPY format (sealed entries) rather than text or CSV.
        binary: bool,
    },
    /// DEALLOCATE: the wire layer drops the named prepared statement (`None`: ALL).
    Deallocate {
        /// The statement's name; `None` for `DEALLOCATE ALL`.
        name: Option<String>,
    },
    /// BEGIN / START TRANSACTION.
    TxnStart,
    /// COMMIT (`COMMIT`) or ROLLBACK (`ROLLBACK`); a failed transaction's COMMIT says `ROLLBACK`.
    TxnEnd {
        /// The tag.
        tag: &'static str,
    },
}

impl Output {
    /// Rows built by our own code (SHOW, `mindoo.*` calls): one array per column, each already
    /// of its column's canonical Arrow type.
    pub(crate) fn table(tag: &'static str, columns: Vec<(Column, ArrayRef)>) -> Result<Output> {
        let schema = Arc::new(Schema::new(
            columns
                .iter()
                .map(|(column, array)| Field::new(&column.name, array.data_type().clone(), true))
                .collect::<Vec<_>>(),
        ));
        let (columns, arrays): (Vec<Column>, Vec<ArrayRef>) = columns.into_iter().unzip();
        if let Some((column, array)) = columns
            .iter()
            .zip(&arrays)
            .find(|(column, array)| *array.data_type() != column.pg_type.arrow_type())
        {
            return Err(Error::Internal(format!(
                "column {} is {}, not {:?}",
                column.name,
                array.data_type(),
                column.pg_type
            )));
        }
        let batch =
            RecordBatch::try_new(schema, arrays).map_err(|e| Error::Internal(e.to_string()))?;
        Ok(Output::Rows {
            columns,
            batches: Batches::ready(vec![batch]),
            tag,
        })
    }
}

/// A statement's rows as it produces them.
pub(crate) struct Batches(BoxStream<'static, Result<RecordBatch>>);

impl Batches {
    /// Rows already in memory (small outputs our own code builds).
    pub(crate) fn ready(batches: Vec<RecordBatch>) -> Batches {
        Batches(stream::iter(batches.into_iter().map(Ok)).boxed())
    }

    /// Rows still being produced.
    pub(crate) fn streaming(
        batches: impl Stream<Item = Result<RecordBatch>> + Send + 'static,
    ) -> Batches {
        Batches(batches.boxed())
    }
}

impl Stream for Batches {
    type Item = Result<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for Batches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Batches")
    }
}
