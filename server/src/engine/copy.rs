//! COPY for document tables: `COPY t [(cols)] TO STDOUT`, `COPY (query) TO STDOUT` and
//! `COPY t [(cols)] FROM STDIN`, in text or CSV. The wire layer (`pg/copy.rs`) reads and
//! writes the formats; this file decides what is copied.
//!
//! Invariants:
//! - Without a column list a table copies `id, data`, in both directions, so what one COPY
//!   writes the other reads back.
//! - COPY FROM inserts through `dml::insert`: same checks (valid JSON, keys held, unique ids)
//!   and one atomic write for all rows; nothing is written unless every row is good.
//! - Files and programs are never opened: only STDIN and STDOUT (psql's `\copy` uses them).

use datafusion::sql::sqlparser::ast::{
    CopyLegacyCsvOption, CopyLegacyOption, CopyOption, CopySource, CopyTarget, Expr, Ident,
    ObjectName, SetExpr, Statement, Value as SqlValue,
};

use super::classify;
use super::session::Session;
use super::{dml, query};
use crate::error::{Error, Result};
use crate::output::{CopyFormat, Output};

/// The columns a table copies when the statement names none.
const DEFAULT_COLUMNS: [&str; 2] = ["id", "data"];
/// The columns COPY FROM can fill; the rest are generated.
const WRITABLE_COLUMNS: [&str; 3] = ["id", "data", "key_id"];

/// A COPY FROM STDIN waiting for its data.
pub(crate) struct CopyIn {
    table: ObjectName,
    columns: Vec<String>,
    format: CopyFormat,
    /// The bytes received so far.
    data: Vec<u8>,
}

impl CopyIn {
    pub(crate) fn format(&self) -> &CopyFormat {
        &self.format
    }

    pub(crate) fn n_columns(&self) -> usize {
        self.columns.len()
    }

    pub(crate) fn data(&self) -> &[u8] {
        &self.data
    }

    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.data.extend_from_slice(bytes);
    }
}

/// True for `COPY ... FROM STDIN`, which must end its query string (its data follows it).
pub(crate) fn is_from_stdin(statement: &Statement) -> bool {
    matches!(
        statement,
        Statement::Copy {
            to: false,
            target: CopyTarget::Stdin,
            ..
        }
    )
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
        (true, CopyTarget::Stdout) => copy_out(session, source, format).await,
        (false, CopyTarget::Stdin) if values.is_empty() => {
            let copy_in = copy_in(session, source, format)?;
            let output = Output::CopyIn {
                n_columns: copy_in.columns.len(),
            };
            session.await_copy(copy_in);
            Ok(output)
        }
        (false, CopyTarget::Stdin) => Err(Error::FeatureNotSupported(
            "COPY data inside the query string: send it as COPY data".into(),
        )),
        _ => Err(Error::FeatureNotSupported(
            "COPY to or from a server file or program: use STDIN or STDOUT (psql's \\copy)".into(),
        )),
    }
}

/// Inserts the rows a COPY FROM STDIN received; returns how many.
pub(crate) async fn finish(
    session: &mut Session,
    copy_in: CopyIn,
    rows: Vec<Vec<Option<String>>>,
) -> Result<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    let columns = copy_in.columns.join(", ");
    let sql = format!("INSERT INTO {} ({columns}) VALUES (NULL)", copy_in.table);
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

fn copy_in(session: &Session, source: CopySource, format: CopyFormat) -> Result<CopyIn> {
    let CopySource::Table {
        table_name,
        columns,
    } = source
    else {
        return Err(Error::Syntax("COPY FROM needs a table".into()));
    };
    let name = match table_name.0.as_slice() {
        [part] => part
            .as_ident()
            .map(|i| i.value.to_lowercase())
            .ok_or_else(|| Error::Syntax(format!("bad table name {table_name}")))?,
        _ => {
            return Err(Error::FeatureNotSupported(format!(
                "COPY into {table_name}: name a document table"
            )));
        }
    };
    if session
        .engine
        .store()
        .table(session.tenant.id, &name)
        .is_none()
    {
        return Err(Error::UndefinedTable(name));
    }
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
    Ok(CopyIn {
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

/// The format named by WITH (...) options or the pre-9.0 `CSV HEADER` style.
fn format_of(options: &[CopyOption], legacy: &[CopyLegacyOption]) -> Result<CopyFormat> {
    let mut csv = false;
    let mut header = false;
    let mut delimiter = None;
    let mut null = None;
    for option in options {
        match option {
            CopyOption::Format(name) => match name.value.to_lowercase().as_str() {
                "csv" => csv = true,
                "text" => csv = false,
                other => {
                    return Err(Error::FeatureNotSupported(format!(
                        "COPY format \"{other}\": use text or csv"
                    )));
                }
            },
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
    Ok(CopyFormat {
        csv,
        header,
        delimiter,
        null: null.unwrap_or_else(|| if csv { String::new() } else { "\\N".into() }),
    })
}

fn is_utf8(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().replace(['-', '_'], "").as_str(),
        "utf8" | "unicode"
    )
}
