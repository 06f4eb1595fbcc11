//! A document table's rows: the columns of `catalog/doc_columns.rs`, a row made from a stored document
//! (decrypted with the session's keys) or from a pending write, and the Arrow batches rows
//! become.
//!
//! Invariants:
//! - Every table has the columns of `catalog::doc_columns`, in that order.
//! - A row exists only for a live document whose key the session holds; deleted documents and
//!   documents under other keys are not rows.
//! - A document is decrypted only when its `data` column is asked for.
//! - `data` is PostgreSQL's jsonb text of the document (sorted keys, its spacing).

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, Int64Array, RecordBatch, RecordBatchOptions, StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::SchemaRef;
use mindoodb_protocol::{DocId, EntryKind, Header, open};
use mindoodb_storage::Document;

use crate::catalog::doc_columns::{DOC_COLUMNS, doc_schema, idx};
use crate::engine::functions::jsonb::jsonb_text;
use crate::engine::session::keys::KeySet;
use crate::engine::session::txn::PendingDoc;
use crate::error::Error;

/// A row of a document table before it becomes Arrow.
#[derive(Clone)]
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
    indices: Vec<usize>, // Invariant: every index < DOC_COLUMNS.len().
    schema: SchemaRef,
}

impl Projection {
    /// Every column.
    pub(crate) fn all() -> Projection {
        Projection {
            indices: (0..DOC_COLUMNS.len()).collect(),
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
        self.indices.contains(&idx::DATA)
    }

    /// The projected columns of `rows`, as one batch.
    pub(crate) fn batch(&self, rows: &[Row]) -> Result<RecordBatch, Error> {
        let columns: Vec<ArrayRef> = self
            .indices
            .iter()
            .map(|column| -> ArrayRef {
                let text = |f: fn(&Row) -> &str| -> ArrayRef {
                    Arc::new(StringArray::from_iter_values(rows.iter().map(f)))
                };
                let time = |f: fn(&Row) -> i64| -> ArrayRef {
                    Arc::new(
                        TimestampMicrosecondArray::from_iter_values(rows.iter().map(f))
                            .with_timezone("UTC"),
                    )
                };
                match *column {
                    idx::ID => text(|r| &r.id),
                    idx::DATA => text(|r| &r.data),
                    idx::REV => text(|r| &r.rev),
                    idx::SEQ => Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.seq))),
                    idx::KEY_ID => text(|r| &r.key_id),
                    idx::AUTHOR => text(|r| &r.author),
                    idx::CREATED_AT => time(|r| r.created_at),
                    // UPDATED_AT, the last: the constructor keeps indices in range.
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
        let text = String::from_utf8(std::mem::take(&mut *plain))
            .map_err(|_| Error::Internal(format!("document {} is not UTF-8", doc.id)))?;
        canonical(text)
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

/// A stored document's text as PostgreSQL prints its jsonb. Documents this server wrote are
/// canonical already; ones written elsewhere (a client, an older server) may not be. Text
/// PostgreSQL's jsonb refuses (a `\u0000`) stays as stored, so the table stays readable.
fn canonical(text: String) -> String {
    jsonb_text(&text).unwrap_or(text)
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
