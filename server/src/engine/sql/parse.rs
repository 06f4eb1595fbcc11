//! SQL text to statements: the budgeted PostgreSQL parse (`dialect.rs`), its failures as
//! SQLSTATE-bearing errors, and the one rule the parser cannot see: a `COPY ... FROM STDIN`
//! must end its query string.
//!
//! Invariants:
//! - Empty input gives no statements; text after a `COPY ... FROM STDIN` is refused rather
//!   than taken as inline COPY data (sqlparser would keep only its whole lines).
//! - Parsing stops with 54001 when it nests too deep or backtracks too much.

use datafusion::sql::sqlparser::ast::{CopyTarget, Spanned, Statement};
use datafusion::sql::sqlparser::parser::ParserError;
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

use super::dialect::{self, PREFIXES_PER_TOKEN, ParseFailure, PgDialect};
use super::own_syntax::Parsed;
use crate::error::{Error, Result};

/// How deep expressions and subqueries may nest: sqlparser's default, which keeps parsing and
/// planning far from the stack's end however deep the text nests.
const RECURSION_LIMIT: usize = 50;

/// Parses `sql` into its statements.
pub(crate) fn parse(sql: &str) -> Result<Vec<Parsed>> {
    let statements = dialect::parse(sql, RECURSION_LIMIT).map_err(|failure| match failure {
        ParseFailure::OverBudget => Error::StatementTooComplex(format!(
            "parsing it takes more than {PREFIXES_PER_TOKEN} attempts per token"
        )),
        ParseFailure::Parser(ParserError::RecursionLimitExceeded) => {
            Error::StatementTooComplex(format!("it nests deeper than {RECURSION_LIMIT} levels"))
        }
        ParseFailure::Parser(other) => Error::Syntax(other.to_string()),
    })?;
    for statement in &statements {
        if let Parsed::Sql(statement) = statement
            && has_text_after(sql, statement)?
        {
            return Err(Error::FeatureNotSupported(
                "COPY FROM STDIN must end its query string; its data follows as COPY data".into(),
            ));
        }
    }
    Ok(statements)
}

/// Parses `sql`, which must hold exactly one statement (a prepared statement, a view's text).
pub(crate) fn parse_one(sql: &str) -> Result<Parsed> {
    let mut statements = parse(sql)?;
    match (statements.pop(), statements.is_empty()) {
        (Some(statement), true) => Ok(statement),
        (None, _) => Err(Error::Syntax("empty statement".into())),
        (Some(_), false) => Err(Error::Syntax(
            "cannot insert multiple commands into a prepared statement".into(),
        )),
    }
}

/// A stored view's text as its one query; anything else is damage (the server stored it).
pub(crate) fn parse_view(sql: &str) -> Result<Statement> {
    match parse_one(sql) {
        Ok(Parsed::Sql(statement)) if matches!(*statement, Statement::Query(_)) => Ok(*statement),
        _ => Err(Error::Internal(format!(
            "a view definition is not one query: {sql}"
        ))),
    }
}

/// True when `statement`, parsed from `sql`, is a `COPY ... FROM STDIN` that text follows.
/// Such a COPY must end its query string: its data comes as COPY data, and sqlparser reads
/// whatever follows the COPY's `;` as inline data (keeping only whole lines), so the
/// statement alone cannot show a statement written after it.
fn has_text_after(sql: &str, statement: &Statement) -> Result<bool> {
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
