//! COPY for document tables: `COPY t [(cols)] TO STDOUT` and `COPY (query) TO STDOUT` in text
//! or CSV; `COPY t [(cols)] FROM STDIN` of documents in text or CSV (read by `copy_text.rs`);
//! `COPY t FROM STDIN (FORMAT binary)` of sealed entries (read by `copy_sealed.rs`). This file
//! decides what is copied and holds the COPY FROM in progress; `pg/copy.rs` writes the rows
//! of COPY TO.
//!
//! Invariants:
//! - Without a column list a table copies `id, data` in text and CSV, in both directions, so
//!   what one COPY writes the other reads back.
//! - Nothing is written before CopyDone, and then every row or none: documents insert through
//!   `insert::insert_rows` (valid JSON, keys held, unique ids, one atomic write, part of the open
//!   transaction block if any); sealed entries import through `apply::import`, outside a
//!   transaction block only. CopyFail or a dropped connection writes nothing.
//! - Files and programs are never opened: only STDIN and STDOUT (psql's `\copy` uses them).
//!
//! See: docs/SQL.md#copy

use datafusion::sql::sqlparser::ast::{
    CopyLegacyCsvOption, CopyLegacyOption, CopyOption, CopySource, CopyTarget, Expr, Ident,
    ObjectName,
};
use futures::future::BoxFuture;

use super::copy_sealed::SealedIn;
use super::insert::{insert_rows, targets};
use super::revision;
use crate::catalog::doc_columns::{DOC_COLUMNS, idx};
use crate::catalog::names;
use crate::copy_text;
use crate::engine::read::query;
use crate::engine::session::Session;
use crate::engine::session::copy_in::CopyInProgress;
use crate::engine::session::txn::TxnStatus;
use crate::engine::sql::ast::{select, table};
use crate::engine::sql::classify::Copy;
use crate::error::{Error, Result};
use crate::output::{CopyFormat, Output};

/// The columns a table copies in text and CSV when the statement names none.
const DEFAULT_COLUMNS: [usize; 2] = [idx::ID, idx::DATA];
/// The one column of a binary COPY FROM: the sealed entry.
const SEALED_COLUMN: &str = "sealed";

/// Documents in text or CSV, kept until CopyDone and parsed then.
struct DocumentsIn {
    table: ObjectName,
    /// Indices into `DOC_COLUMNS`.
    columns: Vec<usize>,
    format: CopyFormat,
    /// The bytes received so far.
    data: Vec<u8>,
}

impl CopyInProgress for DocumentsIn {
    fn push(&mut self, bytes: &[u8]) {
        self.data.extend_from_slice(bytes);
    }

    fn finish<'s>(self: Box<Self>, session: &'s mut Session) -> BoxFuture<'s, Result<usize>> {
        Box::pin(async move {
            let rows = copy_text::rows(&self.data, &self.format, self.columns.len())?;
            if rows.is_empty() {
                return Ok(0);
            }
            // The table may have been dropped or archived since COPY started.
            let info = revision::target_table(session, &self.table, "copy into")?;
            let (n, _) = insert_rows(session, &info, &self.columns, rows, false, None).await?;
            Ok(n)
        })
    }
}

/// Runs COPY TO STDOUT, or starts COPY FROM STDIN (the session then waits for the data).
pub(crate) async fn run(session: &mut Session, copy: Copy) -> Result<Output> {
    let Copy {
        source,
        to,
        target,
        options,
        legacy_options,
    } = copy;
    let format = format_of(&options, &legacy_options)?;
    match (to, target) {
        (true, CopyTarget::Stdout) => match format {
            Format::Text(format) => copy_out(session, source, format).await,
            Format::Binary => Err(Error::FeatureNotSupported(
                "COPY TO STDOUT in binary: use text or csv (mindoo.entries returns sealed entries)"
                    .into(),
            )),
        },
        (false, CopyTarget::Stdin) => {
            let (copy_in, n_columns, binary): (Box<dyn CopyInProgress>, usize, bool) =
                match copy_in(session, source, format)? {
                    In::Documents(documents) => {
                        let n_columns = documents.columns.len();
                        (Box::new(documents), n_columns, false)
                    }
                    In::Sealed(sealed) => (Box::new(sealed), 1, true),
                };
            session.await_copy(copy_in);
            Ok(Output::CopyIn { n_columns, binary })
        }
        _ => Err(Error::FeatureNotSupported(
            "COPY to or from a server file or program: use STDIN or STDOUT (psql's \\copy)".into(),
        )),
    }
}

/// What a COPY's options ask for.
enum Format {
    /// Text or CSV, with its options.
    Text(CopyFormat),
    /// Postgres' binary COPY format.
    Binary,
}

/// A COPY FROM STDIN about to receive data.
enum In {
    Documents(DocumentsIn),
    Sealed(SealedIn),
}

async fn copy_out(session: &mut Session, source: CopySource, format: CopyFormat) -> Result<Output> {
    let statement = match source {
        CopySource::Query(query) => datafusion::sql::sqlparser::ast::Statement::Query(query),
        CopySource::Table {
            table_name,
            columns,
        } => {
            let columns = column_list(&columns)?
                .into_iter()
                .map(|idx| Expr::Identifier(Ident::new(DOC_COLUMNS[idx].name)))
                .collect();
            select(columns, Some(table(table_name, None)), None)
        }
    };
    match query::run(session, statement, None, &[]).await? {
        Output::Rows {
            columns, batches, ..
        } => Ok(Output::CopyOut {
            columns,
            batches,
            format,
        }),
        _ => Err(Error::Internal("COPY query returned no rows".into())),
    }
}

fn copy_in(session: &Session, source: CopySource, format: Format) -> Result<In> {
    let CopySource::Table {
        table_name,
        columns,
    } = source
    else {
        return Err(Error::Syntax("COPY FROM needs a table".into()));
    };
    let info = revision::target_table(session, &table_name, "copy into")?;
    let format = match format {
        Format::Binary => {
            if !(columns.is_empty()
                || matches!(columns.as_slice(), [c] if names::is(c, SEALED_COLUMN)))
            {
                return Err(Error::FeatureNotSupported(
                    "COPY FROM STDIN in binary takes one column, the sealed entry".into(),
                ));
            }
            // An import commits by itself; inside a block it would bypass the block's
            // atomicity.
            if session.txn_status() != TxnStatus::Idle {
                return Err(Error::ActiveTransaction(
                    "COPY FROM STDIN (FORMAT binary)".into(),
                ));
            }
            return Ok(In::Sealed(SealedIn::new(info.table, &session.role().name)));
        }
        Format::Text(format) => format,
    };
    let columns = match columns.is_empty() {
        true => DEFAULT_COLUMNS.to_vec(),
        false => targets(columns.iter().map(names::fold).collect(), "copied into")?,
    };
    Ok(In::Documents(DocumentsIn {
        table: table_name,
        columns,
        format,
        data: Vec::new(),
    }))
}

/// The document columns a COPY names (indices into `DOC_COLUMNS`); `id, data` when none.
fn column_list(columns: &[Ident]) -> Result<Vec<usize>> {
    if columns.is_empty() {
        return Ok(DEFAULT_COLUMNS.to_vec());
    }
    columns
        .iter()
        .map(|column| {
            let name = names::fold(column);
            crate::catalog::doc_columns::doc_column(&name)
                .map(|(idx, _)| idx)
                .ok_or(Error::UndefinedColumn(name))
        })
        .collect()
}

/// The format named by WITH (...) options or the pre-9.0 `BINARY` / `CSV HEADER` style.
fn format_of(options: &[CopyOption], legacy: &[CopyLegacyOption]) -> Result<Format> {
    let mut csv = false;
    let mut binary = false;
    let mut header = false;
    let mut delimiter = None;
    let mut null = None;
    for option in options {
        match option {
            CopyOption::Format(name) => {
                (csv, binary) = match name.value.to_lowercase().as_str() {
                    "csv" => (true, false),
                    "text" => (false, false),
                    "binary" => (false, true),
                    other => {
                        return Err(Error::FeatureNotSupported(format!(
                            "COPY format \"{other}\": use text, csv or binary"
                        )));
                    }
                }
            }
            CopyOption::Header(on) => header = *on,
            CopyOption::Delimiter(c) => delimiter = Some(*c),
            CopyOption::Null(text) => null = Some(text.clone()),
            CopyOption::Encoding(name) if is_utf8(name) => {}
            other => {
                return Err(Error::FeatureNotSupported(format!("COPY option {other}")));
            }
        }
    }
    for option in legacy {
        match option {
            CopyLegacyOption::Binary => binary = true,
            CopyLegacyOption::Csv(csv_options) => {
                csv = true;
                for csv_option in csv_options {
                    match csv_option {
                        CopyLegacyCsvOption::Header => header = true,
                        other => {
                            return Err(Error::FeatureNotSupported(format!("COPY option {other}")));
                        }
                    }
                }
            }
            CopyLegacyOption::Header => header = true,
            CopyLegacyOption::Delimiter(c) => delimiter = Some(*c),
            CopyLegacyOption::Null(text) => null = Some(text.clone()),
            other => {
                return Err(Error::FeatureNotSupported(format!("COPY option {other}")));
            }
        }
    }
    if binary {
        // Postgres' wording and class (42601) for options the binary format has no use for.
        let conflict = [
            (csv, "CSV"),
            (header, "HEADER"),
            (delimiter.is_some(), "DELIMITER"),
            (null.is_some(), "NULL"),
        ]
        .into_iter()
        .find_map(|(set, name)| set.then_some(name));
        return match conflict {
            Some(name) => Err(Error::Syntax(format!(
                "cannot specify {name} in BINARY mode"
            ))),
            None => Ok(Format::Binary),
        };
    }
    if header && !csv {
        return Err(Error::FeatureNotSupported(
            "COPY HEADER available only in CSV mode".into(),
        ));
    }
    let delimiter = delimiter.unwrap_or(if csv { ',' } else { '\t' });
    if matches!(delimiter, '\r' | '\n' | '\\') || (csv && delimiter == '"') {
        return Err(Error::InvalidParameter(format!(
            "COPY delimiter {delimiter:?} cannot be used"
        )));
    }
    Ok(Format::Text(CopyFormat {
        csv,
        header,
        delimiter,
        null: null.unwrap_or_else(|| if csv { String::new() } else { "\\N".into() }),
    }))
}

fn is_utf8(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().replace(['-', '_'], "").as_str(),
        "utf8" | "unicode"
    )
}
