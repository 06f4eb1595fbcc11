//! What one corpus record did on one system, the rule for when two outcomes are the same, and
//! how a difference is printed.
//!
//! Invariants:
//! - Two outcomes are equal exactly when the inferred parameter types, every statement's
//!   column names and type OIDs, rows (text or binary values, byte for byte), command tags,
//!   the error's SQLSTATE and the transaction status after the record are equal. Error
//!   messages are printed, never compared: PostgreSQL's wording is not the specification,
//!   its SQLSTATE is.
//! - Rows are compared in the order received only for statements with a top-level ORDER BY;
//!   the rows of any other statement are sorted first (`sort_unordered`), because without
//!   ORDER BY SQL promises no order.

use std::fmt::Write as _;

/// Everything a record produced on one system.
#[derive(Default, Debug, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// Parameter type OIDs from ParameterDescription (extended protocol only).
    pub(crate) params: Option<Vec<u32>>,
    /// The statements that completed, in order.
    pub(crate) results: Vec<StatementResult>,
    /// The error that ended the record, if any.
    pub(crate) error: Option<Failure>,
    /// ReadyForQuery's status after the record: `I` idle, `T` in a block, `E` failed block.
    pub(crate) status: u8,
}

/// One completed statement.
#[derive(Default, Debug, PartialEq, Eq)]
pub(crate) struct StatementResult {
    /// `None` when the statement returns no rows (no RowDescription).
    pub(crate) columns: Option<Vec<Column>>,
    pub(crate) rows: Vec<Vec<Option<String>>>,
    pub(crate) tag: String,
    /// The NoticeResponses sent before the statement's reply, in order.
    pub(crate) notices: Vec<Notice>,
}

/// A NoticeResponse (a NOTICE or WARNING): compared by severity and SQLSTATE, as an error is
/// by its SQLSTATE.
#[derive(Default, Debug)]
pub(crate) struct Notice {
    pub(crate) severity: String,
    pub(crate) code: String,
    pub(crate) message: String,
}

impl PartialEq for Notice {
    fn eq(&self, other: &Notice) -> bool {
        (&self.severity, &self.code) == (&other.severity, &other.code)
    }
}

impl Eq for Notice {}

/// A result column as RowDescription describes it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) type_oid: u32,
}

/// An ErrorResponse, or a query that got no answer.
#[derive(Default, Debug)]
pub(crate) struct Failure {
    pub(crate) code: String,
    pub(crate) message: String,
}

impl PartialEq for Failure {
    fn eq(&self, other: &Failure) -> bool {
        self.code == other.code
    }
}

impl Eq for Failure {}

impl Outcome {
    /// The outcome of a record the server never answered (timeout, closed connection).
    pub(crate) fn unanswered(why: String) -> Outcome {
        Outcome {
            error: Some(Failure {
                code: "(no answer)".to_owned(),
                message: why,
            }),
            ..Outcome::default()
        }
    }

    /// Sorts the rows of every statement whose `ordered` flag is false (statements past the
    /// end of `ordered` count as unordered).
    pub(crate) fn sort_unordered(&mut self, ordered: &[bool]) {
        for (idx, result) in self.results.iter_mut().enumerate() {
            if !ordered.get(idx).copied().unwrap_or(false) {
                result.rows.sort();
            }
        }
    }

    /// A readable multi-line rendering, each line prefixed with `indent`.
    pub(crate) fn render(&self, indent: &str) -> String {
        let mut out = String::new();
        if let Some(params) = &self.params {
            let _ = writeln!(out, "{indent}parameter types: {}", oids(params));
        }
        for result in &self.results {
            for notice in &result.notices {
                let _ = writeln!(
                    out,
                    "{indent}{} {}: {}",
                    notice.severity, notice.code, notice.message
                );
            }
            if let Some(columns) = &result.columns {
                let header: Vec<String> = columns
                    .iter()
                    .map(|c| format!("{}::{}", c.name, type_name(c.type_oid)))
                    .collect();
                let _ = writeln!(out, "{indent}columns: {}", header.join(" | "));
                for row in &result.rows {
                    let cells: Vec<String> = row.iter().map(cell_text).collect();
                    let _ = writeln!(out, "{indent}  {}", cells.join(" | "));
                }
            }
            let _ = writeln!(out, "{indent}{}", result.tag);
        }
        if let Some(error) = &self.error {
            let _ = writeln!(out, "{indent}ERROR {}: {}", error.code, error.message);
        }
        if self.status != b'I' && self.status != 0 {
            let _ = writeln!(out, "{indent}transaction status {}", self.status as char);
        }
        out
    }
}

/// A value as printed in a diff: NULL unquoted, text with control characters escaped so a
/// newline or trailing space inside a value stays visible.
fn cell_text(cell: &Option<String>) -> String {
    match cell {
        None => "NULL".to_owned(),
        Some(text) => format!("{text:?}"),
    }
}

fn oids(oids: &[u32]) -> String {
    let names: Vec<String> = oids.iter().map(|&oid| type_name(oid)).collect();
    format!("[{}]", names.join(", "))
}

/// `name(oid)` for the built-in types a diff mostly shows; the bare OID otherwise.
fn type_name(oid: u32) -> String {
    let name = match oid {
        16 => "bool",
        17 => "bytea",
        18 => "char",
        19 => "name",
        20 => "int8",
        21 => "int2",
        23 => "int4",
        25 => "text",
        26 => "oid",
        24 => "regproc",
        114 => "json",
        199 => "json[]",
        700 => "float4",
        701 => "float8",
        705 => "unknown",
        1000 => "bool[]",
        1001 => "bytea[]",
        1005 => "int2[]",
        1007 => "int4[]",
        1009 => "text[]",
        1016 => "int8[]",
        1021 => "float4[]",
        1022 => "float8[]",
        1015 => "varchar[]",
        1043 => "varchar",
        1082 => "date",
        1083 => "time",
        1114 => "timestamp",
        1115 => "timestamp[]",
        1182 => "date[]",
        1183 => "time[]",
        1184 => "timestamptz",
        1185 => "timestamptz[]",
        1186 => "interval",
        1187 => "interval[]",
        1231 => "numeric[]",
        1266 => "timetz",
        1700 => "numeric",
        2205 => "regclass",
        2206 => "regtype",
        2249 => "record",
        2950 => "uuid",
        2951 => "uuid[]",
        3734 => "regconfig",
        3614 => "tsvector",
        3615 => "tsquery",
        3802 => "jsonb",
        3807 => "jsonb[]",
        4072 => "jsonpath",
        0 => "unspecified",
        _ => return oid.to_string(),
    };
    format!("{name}({oid})")
}
