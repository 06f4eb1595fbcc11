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
//!   `dml::insert` (valid JSON, keys held, unique ids, one atomic write, part of the open
//!   transaction block if any); sealed entries import through `apply::import`, outside a
//!   transaction block only. CopyFail or a dropped connection writes nothing.
//! - Files and programs are never opened: only STDIN and STDOUT (psql's `\copy` uses them).
//!
//! See: docs/SQL.md#copy

use super::pg_dialect::PgDialect;
use datafusion::sql::sqlparser::ast::{
    CopyLegacyCsvOption, CopyLegacyOption, CopyOption, CopySource, CopyTarget, Expr, Ident,
    ObjectName, SetExpr, Spanned, Statement, Value as SqlValue,
};
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

use super::copy_sealed::SealedIn;
use super::session::{Session, TxnStatus};
use super::{classify, dml, query};
use crate::copy_text;
use crate::error::{Error, Result};
use crate::output::{CopyFormat, Output};

/// The columns a table copies in text and CSV when the statement names none.
const DEFAULT_COLUMNS: [&str; 2] = ["id", "data"];
/// The columns a text or CSV COPY FROM can fill; the rest are generated.
const WRITABLE_COLUMNS: [&str; 3] = ["id", "data", "key_id"];
/// The one column of a binary COPY FROM: the sealed entry.
const SEALED_COLUMN: &str = "sealed";

/// A COPY FROM STDIN waiting for its data.
pub(crate) enum CopyIn {
    /// Documents in text or CSV, kept until CopyDone and parsed then.
    Documents {
        table: ObjectName,
        columns: Vec<String>,
        format: CopyFormat,
        /// The bytes received so far.
        data: Vec<u8>,
    },
    /// Sealed entries in binary format, verified as they arrive.
    Sealed(SealedIn),
}

impl CopyIn {
    /// One CopyData message.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        match self {
            CopyIn::Documents { data, .. } => data.extend_from_slice(bytes),
            CopyIn::Sealed(sealed) => sealed.push(bytes),
        }
    }
}

/// True when `statement`, parsed from `sql`, is a `COPY ... FROM STDIN` that text follows.
/// Such a COPY must end its query string: its data comes as COPY data, and sqlparser reads
/// whatever follows the COPY's `;` as inline data (keeping only whole lines), so the
/// statement alone cannot show a statement written after it.
pub(crate) fn has_text_after(sql: &str, statement: &Statement) -> Result<bool> {
    if !matches!(
        statement,
        Statement::Copy {
            to: false,
            target: CopyTarget::Stdin,
            ..
        }
    ) {
        return Ok(false);
    }
    // The statement's span is its table's: no `;` can come between it and the COPY's end.
    let start = statement.span().start;
    let tokens = Tokenizer::new(&PgDialect::default(), sql)
        .tokenize_with_location()
        .map_err(|e| Error::Syntax(e.to_string()))?;
    let mut rest = tokens
        .iter()
        .skip_while(|t| t.span.start < start)
        .skip_while(|t| t.token != Token::SemiColon)
        .skip(1);
    Ok(rest.any(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF)))
}

/// Runs COPY TO STDOUT, or starts COPY FROM STDIN (the session then waits for the data).
pub(crate) async fn run(session: &mut Session, statement: Statement) -> Result<Output> {
    let Statement::Copy {
        source,
        to,
        target,
        options,
        legacy_options,
        values,
    } = statement
    else {
        return Err(Error::Internal("not a COPY".into()));
    };
    let format = format_of(&options, &legacy_options)?;
    match (to, target) {
        (true, CopyTarget::Stdout) => match format {
            Format::Text(format) => copy_out(session, source, format).await,
            Format::Binary => Err(Error::FeatureNotSupported(
                "COPY TO STDOUT in binary: use text or csv (mindoo.entries returns sealed entries)"
                    .into(),
            )),
        },
        (false, CopyTarget::Stdin) if values.is_empty() => {
            let copy_in = copy_in(session, source, format)?;
            let (n_columns, binary) = match &copy_in {
                CopyIn::Documents { columns, .. } => (columns.len(), false),
                CopyIn::Sealed(_) => (1, true),
            };
            session.await_copy(copy_in);
            Ok(Output::CopyIn { n_columns, binary })
        }
        // `classify::parse` refuses inline data (`has_text_after`).
        (false, CopyTarget::Stdin) => {
            Err(Error::Internal("inline COPY data passed the parser".into()))
        }
        _ => Err(Error::FeatureNotSupported(
            "COPY to or from a server file or program: use STDIN or STDOUT (psql's \\copy)".into(),
        )),
    }
}

/// Writes what a COPY FROM STDIN received; the tag is `COPY n`.
pub(crate) async fn finish(session: &mut Session, copy_in: CopyIn) -> Result<Output> {
    let n_rows = match copy_in {
        CopyIn::Documents {
            table,
            columns,
            format,
            data,
        } => {
            let rows = copy_text::rows(&data, &format, columns.len())?;
            insert(session, &table, &columns, rows).await?
        }
        CopyIn::Sealed(sealed) => sealed.finish(session).await?,
    };
    Ok(Output::Command {
        tag: "COPY",
        rows: Some(n_rows),
    })
}

/// What a COPY's options ask for.
enum Format {
    /// Text or CSV, with its options.
    Text(CopyFormat),
    /// Postgres' binary COPY format.
    Binary,
}

/// Inserts `rows` of `columns` into `table` as one INSERT; returns how many.
async fn insert(
    session: &mut Session,
    table: &ObjectName,
    columns: &[String],
    rows: Vec<Vec<Option<String>>>,
) -> Result<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    let sql = format!("INSERT INTO {table} ({}) VALUES (NULL)", columns.join(", "));
    let mut statement = single(&sql)?;
    let Statement::Insert(insert) = &mut statement else {
        return Err(Error::Internal(
            "COPY built something other than an INSERT".into(),
        ));
    };
    let Some(SetExpr::Values(values)) = insert.source.as_mut().map(|q| q.body.as_mut()) else {
        return Err(Error::Internal(
            "COPY built an INSERT without VALUES".into(),
        ));
    };
    let Some(template) = values.rows.pop() else {
        return Err(Error::Internal("COPY built an INSERT without a row".into()));
    };
    values.rows = rows
        .into_iter()
        .map(|row| {
            let mut parens = template.clone();
            parens.content = row
                .into_iter()
                .map(|field| {
                    Expr::value(match field {
                        Some(text) => SqlValue::SingleQuotedString(text),
                        None => SqlValue::Null,
                    })
                })
                .collect();
            parens
        })
        .collect();
    match dml::insert(session, statement).await? {
        Output::Command { rows: Some(n), .. } => Ok(n),
        _ => Err(Error::Internal("INSERT for COPY returned no count".into())),
    }
}

async fn copy_out(session: &mut Session, source: CopySource, format: CopyFormat) -> Result<Output> {
    let statement = match source {
        CopySource::Query(query) => Statement::Query(query),
        CopySource::Table {
            table_name,
            columns,
        } => {
            let columns = column_list(&columns, &DEFAULT_COLUMNS);
            single(&format!("SELECT {} FROM {table_name}", columns.join(", ")))?
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

fn copy_in(session: &Session, source: CopySource, format: Format) -> Result<CopyIn> {
    let CopySource::Table {
        table_name,
        columns,
    } = source
    else {
        return Err(Error::Syntax("COPY FROM needs a table".into()));
    };
    if table_name.0.len() != 1 {
        return Err(Error::FeatureNotSupported(format!(
            "COPY into {table_name}: name a document table"
        )));
    }
    let info = dml::table_info(session, &table_name, "copy into")?;
    let format = match format {
        Format::Binary => {
            if !(columns.is_empty()
                || matches!(columns.as_slice(), [c] if c.value.eq_ignore_ascii_case(SEALED_COLUMN)))
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
            return Ok(CopyIn::Sealed(SealedIn::new(info.table)));
        }
        Format::Text(format) => format,
    };
    let columns = column_list(&columns, &DEFAULT_COLUMNS);
    for (idx, column) in columns.iter().enumerate() {
        if !WRITABLE_COLUMNS.contains(&column.as_str()) {
            return Err(Error::FeatureNotSupported(format!(
                "column \"{column}\" is generated and cannot be copied into"
            )));
        }
        if columns[..idx].contains(column) {
            return Err(Error::Syntax(format!(
                "column \"{column}\" specified more than once"
            )));
        }
    }
    Ok(CopyIn::Documents {
        table: table_name,
        columns,
        format,
        data: Vec::new(),
    })
}

fn column_list(columns: &[Ident], default: &[&str]) -> Vec<String> {
    if columns.is_empty() {
        default.iter().map(|c| (*c).to_owned()).collect()
    } else {
        columns.iter().map(|c| c.value.to_lowercase()).collect()
    }
}

fn single(sql: &str) -> Result<Statement> {
    let mut statements = classify::parse(sql)?;
    match (statements.pop(), statements.is_empty()) {
        (Some(statement), true) => Ok(statement),
        _ => Err(Error::Internal(format!("COPY built {sql:?}"))),
    }
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
