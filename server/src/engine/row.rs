//! A document table's rows: the columns of DESIGN §2, a row made from a stored document
//! (decrypted with the session's keys) or from a pending write, and the Arrow batches rows
//! become.
//!
//! Invariants:
//! - Every table has the columns of DESIGN §2, in `doc_schema()` order.
//! - A row exists only for a live document whose key the session holds; deleted documents and
//!   documents under other keys are not rows.
//! - A document is decrypted only when its `data` column is asked for.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, Int64Array, RecordBatch, RecordBatchOptions, StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use mindoodb_protocol::{DocId, EntryKind, Header, open};
use mindoodb_storage::Document;

use super::json::jsonb_field;
use super::keyring::KeySet;
use super::txn::PendingDoc;
use crate::error::Error;

pub(crate) const ID: usize = 0;
const DATA: usize = 1;
const REV: usize = 2;
const SEQ: usize = 3;
const KEY_ID: usize = 4;
const AUTHOR: usize = 5;
const CREATED_AT: usize = 6;
const UPDATED_AT: usize = 7;
const N_COLUMNS: usize = UPDATED_AT + 1;

/// The columns every document table has.
pub(crate) fn doc_schema() -> SchemaRef {
    let ts = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        jsonb_field("data", true),
        Field::new("rev", DataType::Utf8, true),
        Field::new("seq", DataType::Int64, true),
        Field::new("key_id", DataType::Utf8, false),
        Field::new("author", DataType::Utf8, true),
        Field::new("created_at", ts.clone(), true),
        Field::new("updated_at", ts, true),
    ]))
}

/// A row of a document table before it becomes Arrow.
pub(crate) struct Row {
    pub(crate) id: String,
    /// Empty when the projection does not ask for `data`.
    pub(crate) data: String,
    pub(crate) rev: String,
    /// `None` for a write not committed yet.
    pub(crate) seq: Option<i64>,
    pub(crate) key_id: String,
    pub(crate) author: String,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// Which columns of `doc_schema()` a scan produces, in output order.
#[derive(Debug, Clone)]
pub(crate) struct Projection {
    indices: Vec<usize>, // Invariant: every index < N_COLUMNS.
    schema: SchemaRef,
}

impl Projection {
    /// Every column.
    pub(crate) fn all() -> Projection {
        Projection {
            indices: (0..N_COLUMNS).collect(),
            schema: doc_schema(),
        }
    }

    /// The columns DataFusion asked for; `None` means every column.
    pub(crate) fn new(indices: Option<&Vec<usize>>) -> Result<Projection, Error> {
        let Some(indices) = indices else {
            return Ok(Projection::all());
        };
        let schema = doc_schema()
            .project(indices)
            .map_err(|e| Error::Internal(format!("scan projection: {e}")))?;
        Ok(Projection {
            indices: indices.clone(),
            schema: Arc::new(schema),
        })
    }

    pub(crate) fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// True when the rows must carry decrypted `data`.
    pub(crate) fn wants_data(&self) -> bool {
        self.indices.contains(&DATA)
    }

    /// The projected columns of `rows`, as one batch.
    pub(crate) fn batch(&self, rows: &[Row]) -> Result<RecordBatch, Error> {
        let columns: Vec<ArrayRef> = self
            .indices
            .iter()
            .map(|idx| -> ArrayRef {
                let text = |f: fn(&Row) -> &str| -> ArrayRef {
                    Arc::new(StringArray::from_iter_values(rows.iter().map(f)))
                };
                let time = |f: fn(&Row) -> i64| -> ArrayRef {
                    Arc::new(
                        TimestampMicrosecondArray::from_iter_values(rows.iter().map(f))
                            .with_timezone("UTC"),
                    )
                };
                match *idx {
                    ID => text(|r| &r.id),
                    DATA => text(|r| &r.data),
                    REV => text(|r| &r.rev),
                    SEQ => Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.seq))),
                    KEY_ID => text(|r| &r.key_id),
                    AUTHOR => text(|r| &r.author),
                    CREATED_AT => time(|r| r.created_at),
                    // UPDATED_AT, the last: the constructor keeps indices below N_COLUMNS.
                    _ => time(|r| r.updated_at),
                }
            })
            .collect();
        let options = RecordBatchOptions::new().with_row_count(Some(rows.len()));
        RecordBatch::try_new_with_options(self.schema.clone(), columns, &options)
            .map_err(|e| Error::Internal(format!("scan batch: {e}")))
    }
}

/// The row of a stored document, if it is live and the session holds its key.
pub(crate) fn stored_row(
    keys: &KeySet,
    doc: &Document,
    projection: &Projection,
) -> Result<Option<Row>, Error> {
    if doc.is_deleted() {
        return Ok(None);
    }
    let header = doc.winner.header();
    let Some(key) = keys.get(header.key()) else {
        return Ok(None);
    };
    let data = if projection.wants_data() {
        let mut plain = open(&doc.winner, key)?;
        String::from_utf8(std::mem::take(&mut *plain))
            .map_err(|_| Error::Internal(format!("document {} is not UTF-8", doc.id)))?
    } else {
        String::new()
    };
    Ok(Some(Row {
        id: doc.id.to_string(),
        data,
        rev: doc.winner.hash().to_string(),
        seq: Some(doc.feed_seq.0 as i64),
        key_id: header.key().name.to_string(),
        author: author(header),
        created_at: doc.created.0,
        updated_at: header.clock().0,
    }))
}

/// The row a pending write shows, or `None` for a pending delete.
pub(crate) fn pending_row(id: &DocId, pending: &PendingDoc) -> Option<Row> {
    if pending.entry.header().kind() == EntryKind::Delete {
        return None;
    }
    Some(Row {
        data: pending.json.clone()?,
        ..written_row(id, pending)
    })
}

/// The row a write just made reports to RETURNING (a delete reports the document's id and
/// metadata, with empty `data`).
pub(crate) fn written_row(id: &DocId, pending: &PendingDoc) -> Row {
    let header = pending.entry.header();
    Row {
        id: id.to_string(),
        data: pending.json.clone().unwrap_or_default(),
        rev: pending.entry.hash().to_string(),
        seq: None,
        key_id: header.key().name.to_string(),
        author: author(header),
        created_at: pending.created.0,
        updated_at: header.clock().0,
    }
}

/// A role name when a node key signed on a role's behalf, else the signer's public key.
pub(crate) fn author(header: &Header) -> String {
    match header.signer_role() {
        "" => header.author().to_string(),
        role => role.to_owned(),
    }
}
