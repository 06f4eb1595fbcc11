//! The statements PostgreSQL has and sqlparser has no node for, read before sqlparser sees
//! the statement: `MOVE` (FETCH without the rows), and `REVOKE GRANT OPTION FOR` /
//! `REVOKE ADMIN OPTION FOR`, also inside `ALTER DEFAULT PRIVILEGES` (sqlparser's `Revoke`
//! cannot say that only the option goes, and reading one as a plain REVOKE would take away
//! the privilege itself).
//!
//! Invariants:
//! - Only a whole statement of the text can be one of these. Inside another statement
//!   (`EXPLAIN`, `PREPARE ... AS`) sqlparser reads the words and refuses them, as PostgreSQL
//!   refuses these statements there.
//! - [`statements`] is sqlparser's `parse_statements` loop with these forms tried first at
//!   each statement's start: every other text parses exactly as sqlparser alone parses it.

use std::fmt;

use datafusion::sql::sqlparser::ast::{
    Action, FetchDirection, GrantObjects, Ident, Privileges, Revoke, Statement,
};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

use super::{cursor_syntax, grant_syntax};

/// One statement of a text: sqlparser's node, or one of this file's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Parsed {
    Sql(Box<Statement>),
    Own(OwnStatement),
}

/// A statement sqlparser has no node for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OwnStatement {
    /// `MOVE fetch_args`: moves a cursor as FETCH would, returning no rows.
    Move {
        name: Ident,
        direction: FetchDirection,
    },
    /// `REVOKE GRANT OPTION FOR privileges ON objects FROM ...` and, with no objects and the
    /// roles as `Action::Role`, `REVOKE ADMIN OPTION FOR roles FROM ...`: the grantees keep
    /// the privilege or membership and lose the right to grant it.
    RevokeOption(Revoke),
}

impl fmt::Display for OwnStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OwnStatement::Move { name, direction } => write!(f, "MOVE {direction} FROM {name}"),
            OwnStatement::RevokeOption(
                revoke @ Revoke {
                    objects: Some(GrantObjects::FutureTablesInSchema { schemas }),
                    ..
                },
            ) => {
                let list = |items: Vec<String>| items.join(", ");
                let role = revoke
                    .granted_by
                    .as_ref()
                    .map(|role| format!(" FOR ROLE {role}"))
                    .unwrap_or_default();
                let schemas = match list(schemas.iter().map(ToString::to_string).collect()) {
                    names if names.is_empty() => names,
                    names => format!(" IN SCHEMA {names}"),
                };
                let grantees = list(revoke.grantees.iter().map(ToString::to_string).collect());
                let cascade = revoke
                    .cascade
                    .as_ref()
                    .map(|cascade| format!(" {cascade}"))
                    .unwrap_or_default();
                write!(
                    f,
                    "ALTER DEFAULT PRIVILEGES{role}{schemas} REVOKE GRANT OPTION FOR {} \
                     ON TABLES FROM {grantees}{cascade}",
                    revoke.privileges
                )
            }
            OwnStatement::RevokeOption(revoke) if revoke.objects.is_some() => {
                let plain = revoke.to_string();
                let rest = plain.strip_prefix("REVOKE ").unwrap_or(&plain);
                write!(f, "REVOKE GRANT OPTION FOR {rest}")
            }
            OwnStatement::RevokeOption(revoke) => {
                // sqlparser prints a role as `ROLE name`, which is no PostgreSQL syntax.
                let roles = match &revoke.privileges {
                    Privileges::Actions(actions) => actions
                        .iter()
                        .map(|action| match action {
                            Action::Role { role } => role.to_string(),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    all @ Privileges::All { .. } => all.to_string(),
                };
                let plain = revoke.to_string();
                let rest = plain.find(" FROM ").map_or("", |at| &plain[at..]);
                write!(f, "REVOKE ADMIN OPTION FOR {roles}{rest}")
            }
        }
    }
}

/// Every statement of the parser's text, in order.
pub(super) fn statements(parser: &mut Parser) -> Result<Vec<Parsed>, ParserError> {
    let mut statements = Vec::new();
    let mut expecting_delimiter = false;
    loop {
        while parser.consume_token(&Token::SemiColon) {
            expecting_delimiter = false;
        }
        match &parser.peek_token_ref().token {
            Token::EOF => break,
            Token::Word(word) if expecting_delimiter && word.keyword == Keyword::END => break,
            _ => {}
        }
        if expecting_delimiter {
            return parser.expected("end of statement", parser.peek_token());
        }
        let statement = if grant_syntax::at_default_privileges(parser) {
            match grant_syntax::default_privileges(parser)? {
                (Statement::Revoke(revoke), true) => {
                    Parsed::Own(OwnStatement::RevokeOption(revoke))
                }
                (statement, _) => Parsed::Sql(Box::new(statement)),
            }
        } else {
            match own(parser) {
                Some(own) => Parsed::Own(own?),
                None => Parsed::Sql(Box::new(parser.parse_statement()?)),
            }
        };
        statements.push(statement);
        expecting_delimiter = true;
    }
    Ok(statements)
}

/// The statement at the parser's position, when it is one of this file's.
fn own(parser: &mut Parser) -> Option<Result<OwnStatement, ParserError>> {
    let [first, second, third, fourth] = parser.peek_tokens_with_location::<4>().map(|t| t.token);
    let word = |token: &Token| match token {
        Token::Word(word) if word.quote_style.is_none() => Some(word.keyword),
        _ => None,
    };
    // MOVE is no keyword of sqlparser's.
    let is_move = matches!(&first, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("move"));
    match word(&first)? {
        _ if is_move => {
            parser.next_token();
            Some(
                cursor_syntax::fetch_args(parser)
                    .map(|(direction, name)| OwnStatement::Move { name, direction }),
            )
        }
        Keyword::REVOKE
            if matches!(word(&second), Some(Keyword::GRANT | Keyword::ADMIN))
                && word(&third) == Some(Keyword::OPTION)
                && word(&fourth) == Some(Keyword::FOR) =>
        {
            let admin = word(&second) == Some(Keyword::ADMIN);
            for _ in 0..4 {
                parser.next_token();
            }
            let revoke = if admin {
                grant_syntax::role_revoke_body(parser)
            } else {
                parser.parse_revoke()
            };
            Some(revoke.and_then(|revoke| match (admin, &revoke.objects) {
                (false, None) => parser.expected("ON", parser.peek_token()),
                _ => Ok(OwnStatement::RevokeOption(revoke)),
            }))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sql::dialect::PgDialect;

    fn parse(sql: &str) -> Result<Vec<Parsed>, ParserError> {
        let dialect = PgDialect::default();
        statements(&mut Parser::new(&dialect).try_with_sql(sql)?)
    }

    fn own(sql: &str) -> String {
        match parse(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .as_slice()
        {
            [Parsed::Own(own)] => own.to_string(),
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn own_forms_read_as_their_statements() {
        assert_eq!(own("MOVE c"), "MOVE NEXT FROM c");
        assert_eq!(own("move forward 3 in c"), "MOVE FORWARD 3 FROM c");
        assert_eq!(own("MOVE ALL c;"), "MOVE ALL FROM c");
        assert_eq!(
            own("REVOKE GRANT OPTION FOR SELECT, UPDATE ON t FROM u, v CASCADE"),
            "REVOKE GRANT OPTION FOR SELECT, UPDATE ON t FROM u, v CASCADE"
        );
        assert_eq!(
            own("revoke admin option for g from u"),
            "REVOKE ADMIN OPTION FOR g FROM u"
        );
        assert_eq!(
            own(
                "ALTER DEFAULT PRIVILEGES FOR ROLE w REVOKE GRANT OPTION FOR SELECT ON TABLES FROM r CASCADE"
            ),
            "ALTER DEFAULT PRIVILEGES FOR ROLE w REVOKE GRANT OPTION FOR SELECT ON TABLES FROM r CASCADE"
        );
        assert_eq!(
            own(
                "alter default privileges in schema public revoke grant option for all on tables from r"
            ),
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE GRANT OPTION FOR ALL ON TABLES FROM r"
        );
        let plain =
            parse("ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM r").expect("parse");
        assert!(
            matches!(plain.as_slice(), [Parsed::Sql(sql)] if matches!(**sql, Statement::Revoke(_)))
        );
    }

    #[test]
    fn other_statements_parse_as_sqlparser_parses_them() {
        let sql = "SELECT 1; REVOKE SELECT ON t FROM u;; MOVE 2 c; REVOKE g FROM u; FETCH c";
        let parsed = parse(sql).expect("parse");
        let kinds: Vec<&str> = parsed
            .iter()
            .map(|p| match p {
                Parsed::Sql(sql) => match sql.as_ref() {
                    Statement::Query(_) => "query",
                    Statement::Revoke(_) => "revoke",
                    Statement::Fetch { .. } => "fetch",
                    other => panic!("{other:?}"),
                },
                Parsed::Own(OwnStatement::Move { .. }) => "move",
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(kinds, ["query", "revoke", "move", "revoke", "fetch"]);
    }

    #[test]
    fn incomplete_forms_and_missing_delimiters_are_syntax_errors() {
        for sql in [
            "MOVE",
            "MOVE 3",
            "REVOKE GRANT OPTION FOR SELECT FROM u",
            "REVOKE ADMIN OPTION FOR FROM u",
            "MOVE c SELECT 1",
            "EXPLAIN MOVE c",
        ] {
            assert!(parse(sql).is_err(), "{sql}");
        }
    }
}
