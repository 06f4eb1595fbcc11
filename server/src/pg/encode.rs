//! Engine output to the wire: `Output` to pgwire `Response`s and tags, `Column`s to
//! `FieldInfo`s, and rows to DataRows (each value's bytes from `values.rs`).
//!
//! Invariants:
//! - Only built-in type OIDs are described (`PgType::oid`), with table OID 0 and attnum 0, so
//!   drivers need no catalog lookups.
//!
//! See: docs/ARCHITECTURE.md#server
#![allow(
    clippy::big_endian_bytes,
    reason = "the PostgreSQL wire format is big-endian"
)]

use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use futures::StreamExt;
use futures::stream::{self, BoxStream};
use pgwire::api::Type;
use pgwire::api::portal::Format;
use pgwire::api::results::{FieldFormat, FieldInfo, QueryResponse, Response, Tag};
use pgwire::error::PgWireResult;
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::data::{DataRow, RowDescription};

use crate::output::{Column, Output, PgType};
use crate::pg::copy;
use crate::pg::error::{internal, no_binary_output, protocol_violation, to_pg_error};
use crate::pg::values::encode_cell;

/// The wire response for one statement's output; `formats` are the client's result formats
/// (all text in the simple protocol).
pub(crate) fn response(output: Output, formats: &Format) -> PgWireResult<Response> {
    Ok(match output {
        Output::Rows {
            columns,
            batches,
            tag,
        } => {
            let fields = Arc::new(fields(&columns, formats)?);
            let encoded = fields.clone();
            // A row is encoded when the client takes it: only the batch at hand is in memory.
            let rows = batches.flat_map(move |batch| {
                let fields = encoded.clone();
                let rows: BoxStream<'static, PgWireResult<DataRow>> = match batch
                    .map_err(|err| to_pg_error(&err))
                    .and_then(|batch| row_encoder(batch, fields))
                {
                    Ok((batch, fields, types)) => stream::iter(0..batch.num_rows())
                        .map(move |row_idx| data_row(&batch, row_idx, &fields, &types))
                        .boxed(),
                    Err(err) => stream::once(async { Err(err) }).boxed(),
                };
                rows
            });
            let mut res = QueryResponse::new(fields, rows);
            // pgwire appends the row count: "SELECT n", "INSERT 0 n".
            res.set_command_tag(tag);
            Response::Query(res)
        }
        Output::Command { tag, rows } => Response::Execution(command_tag(tag, rows)),
        // COPY TO is no single response: `copy::send_out` sends it as its rows arrive.
        Output::CopyOut { .. } => return Err(internal("COPY TO reached encode".into())),
        Output::CopyIn { n_columns, binary } => copy::copy_in(n_columns, binary),
        Output::Deallocate { name: Some(_) } => Response::Execution(Tag::new("DEALLOCATE")),
        Output::Deallocate { name: None } => Response::Execution(Tag::new("DEALLOCATE ALL")),
        Output::TxnStart => Response::TransactionStart(Tag::new("BEGIN")),
        Output::TxnEnd { tag } => Response::TransactionEnd(Tag::new(tag)),
    })
}

/// A batch checked against the fields it is sent as, with the fields' types.
type RowEncoder = (RecordBatch, Arc<Vec<FieldInfo>>, Vec<PgType>);

fn row_encoder(batch: RecordBatch, fields: Arc<Vec<FieldInfo>>) -> PgWireResult<RowEncoder> {
    if batch.num_columns() != fields.len() {
        return Err(internal(format!(
            "batch has {} columns, the statement describes {}",
            batch.num_columns(),
            fields.len()
        )));
    }
    let types = fields
        .iter()
        .map(pg_type_of)
        .collect::<PgWireResult<Vec<_>>>()?;
    Ok((batch, fields, types))
}

/// Row `row_idx` of `batch` as a DataRow, each value in its field's format.
fn data_row(
    batch: &RecordBatch,
    row_idx: usize,
    fields: &[FieldInfo],
    types: &[PgType],
) -> PgWireResult<DataRow> {
    let mut buf = Vec::new();
    for ((array, field), pg_type) in batch.columns().iter().zip(fields).zip(types) {
        // PostgreSQL's printtup looks up every column's output function at the first row,
        // so a binary `aclitem` fails there even when its value is NULL, and never without rows.
        if field.format() == FieldFormat::Binary
            && pg_type.element().unwrap_or(*pg_type) == PgType::AclItem
        {
            return Err(no_binary_output("aclitem"));
        }
        encode_cell(array.as_ref(), row_idx, *pg_type, field.format(), &mut buf)?;
    }
    Ok(DataRow::new(buf.as_slice().into(), fields.len() as i16))
}

/// The RowDescription message of `fields`.
pub(crate) fn row_description(fields: &[FieldInfo]) -> PgWireBackendMessage {
    PgWireBackendMessage::RowDescription(RowDescription::new(
        fields.iter().map(Into::into).collect(),
    ))
}

/// Row description for `columns`, each in the format the client asked for.
pub(crate) fn fields(columns: &[Column], formats: &Format) -> PgWireResult<Vec<FieldInfo>> {
    columns
        .iter()
        .enumerate()
        .map(|(idx, column)| {
            let format = format_for(formats, idx, columns.len())?;
            Ok(FieldInfo::new(
                column.name.clone(),
                None,
                None,
                wire_type(column.pg_type)?,
                format,
            )
            .with_type_size(type_size(column.pg_type)))
        })
        .collect()
}

/// The pgwire type of a `PgType`, by `PgType::oid`.
pub(crate) fn wire_type(pg_type: PgType) -> PgWireResult<Type> {
    Type::from_oid(pg_type.oid()).ok_or_else(|| {
        internal(format!(
            "{pg_type:?} has no built-in type for OID {}",
            pg_type.oid()
        ))
    })
}

/// Format of column or parameter `idx` of `n`: Postgres accepts zero codes (all text), one
/// (for all) or exactly `n`.
pub(crate) fn format_for(formats: &Format, idx: usize, n: usize) -> PgWireResult<FieldFormat> {
    match formats {
        Format::UnifiedText => Ok(FieldFormat::Text),
        Format::UnifiedBinary => Ok(FieldFormat::Binary),
        Format::Individual(codes) if codes.len() == n => match codes.get(idx) {
            Some(code) => Ok(FieldFormat::from(*code)),
            None => Err(protocol_violation(format!(
                "no format code for field {idx}"
            ))),
        },
        Format::Individual(codes) => Err(protocol_violation(format!(
            "message has {} format codes for {n} fields",
            codes.len()
        ))),
    }
}

fn command_tag(tag: &str, rows: Option<usize>) -> Tag {
    match (tag.strip_suffix(" 0"), rows) {
        // "INSERT 0" carries the (always zero) oid before the count.
        (Some(command), Some(n)) => Tag::new(command).with_oid(0).with_rows(n),
        (_, Some(n)) => Tag::new(tag).with_rows(n),
        (_, None) => Tag::new(tag),
    }
}

fn type_size(pg_type: PgType) -> i16 {
    match pg_type {
        PgType::Bool | PgType::Char => 1,
        PgType::Int2 => 2,
        PgType::Int4 | PgType::Float4 | PgType::Date | PgType::Oid | PgType::RegConfig => 4,
        PgType::Int8 | PgType::Float8 | PgType::Timestamptz => 8,
        PgType::Name => 64,
        PgType::AclItem => 12,
        PgType::Numeric
        | PgType::Text
        | PgType::Jsonb
        | PgType::Bytea
        | PgType::BoolArray
        | PgType::Int2Array
        | PgType::Int4Array
        | PgType::Int8Array
        | PgType::Float8Array
        | PgType::OidArray
        | PgType::TextArray
        | PgType::AclItemArray
        | PgType::Varchar
        | PgType::TsVector
        | PgType::TsQuery => -1,
    }
}

fn pg_type_of(field: &FieldInfo) -> PgWireResult<PgType> {
    let oid = field.datatype().oid();
    PgType::ALL
        .into_iter()
        .find(|pg_type| pg_type.oid() == oid)
        .ok_or_else(|| internal(format!("no PgType for OID {}", field.datatype().oid())))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, Int64Array};
    use datafusion::arrow::record_batch::RecordBatch;

    use super::*;
    use crate::output::Batches;

    #[test]
    fn tags_are_exact() {
        let insert =
            pgwire::messages::response::CommandComplete::from(command_tag("INSERT 0", Some(3)));
        assert_eq!(insert.tag, "INSERT 0 3");
        let update =
            pgwire::messages::response::CommandComplete::from(command_tag("UPDATE", Some(2)));
        assert_eq!(update.tag, "UPDATE 2");
        let create =
            pgwire::messages::response::CommandComplete::from(command_tag("CREATE TABLE", None));
        assert_eq!(create.tag, "CREATE TABLE");
        let columns = vec![Column {
            name: "n".into(),
            pg_type: PgType::Int8,
        }];
        let batch = RecordBatch::try_from_iter(vec![(
            "n",
            Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef,
        )])
        .unwrap();
        let res = response(
            Output::Rows {
                columns,
                batches: Batches::ready(vec![batch]),
                tag: "SELECT",
            },
            &Format::UnifiedText,
        )
        .unwrap();
        assert!(matches!(res, Response::Query(q) if q.command_tag() == "SELECT"));
    }

    #[test]
    fn every_type_is_built_in() {
        for pg_type in PgType::ALL {
            assert_eq!(wire_type(pg_type).unwrap().oid(), pg_type.oid());
        }
    }

    #[test]
    fn format_codes_must_match_the_field_count() {
        assert!(format_for(&Format::Individual(vec![0, 1]), 2, 3).is_err());
        assert_eq!(
            format_for(&Format::Individual(vec![0, 1]), 1, 2).unwrap(),
            FieldFormat::Binary
        );
    }
}
