//! PostgreSQL's FETCH and MOVE arguments (`fetch_args` in its grammar): sqlparser reads FETCH
//! only with FROM or IN and with a count after FORWARD and BACKWARD, so `FETCH c` (what psql's
//! FETCH_COUNT and hand-typed cursors use) and `FETCH FORWARD FROM c` were syntax errors; MOVE
//! it does not read at all.
//!
//! Invariants:
//! - Every form of the grammar reads as the direction it means: none is NEXT, a bare count is
//!   `Count`, FORWARD and BACKWARD alone are one row; FROM and IN are optional.
//! - A count is PostgreSQL's `SignedIconst`, a sign and an integer that fits int4; anything
//!   else is a syntax error, as there.
//! - A direction word followed by the statement's end is the cursor's name (`FETCH next`).

use datafusion::sql::sqlparser::ast::{FetchDirection, FetchPosition, Ident, Statement, Value};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

/// `FETCH fetch_args` as sqlparser's `Fetch` node, when the statement at the parser's position
/// is a FETCH.
pub(super) fn fetch(parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
    if !parser.peek_keyword(Keyword::FETCH) {
        return None;
    }
    parser.next_token();
    Some(
        fetch_args(parser).map(|(direction, name)| Statement::Fetch {
            name,
            direction,
            position: FetchPosition::From,
            into: None,
        }),
    )
}

/// The arguments of FETCH or MOVE: which rows, and the cursor's name.
pub(super) fn fetch_args(parser: &mut Parser) -> Result<(FetchDirection, Ident), ParserError> {
    let direction = direction(parser)?;
    let _ = parser.parse_one_of_keywords(&[Keyword::FROM, Keyword::IN]);
    Ok((direction, parser.parse_identifier()?))
}

fn direction(parser: &mut Parser) -> Result<FetchDirection, ParserError> {
    let [first, second] = parser.peek_tokens_with_location::<2>().map(|t| t.token);
    if starts_count(&first) {
        return Ok(FetchDirection::Count {
            limit: count(parser)?,
        });
    }
    let word = match &first {
        Token::Word(word) if word.quote_style.is_none() => word.keyword,
        _ => return Ok(FetchDirection::Next),
    };
    if matches!(second, Token::EOF | Token::SemiColon) {
        return Ok(FetchDirection::Next);
    }
    let direction = match word {
        Keyword::NEXT => FetchDirection::Next,
        Keyword::PRIOR => FetchDirection::Prior,
        Keyword::FIRST => FetchDirection::First,
        Keyword::LAST => FetchDirection::Last,
        Keyword::ALL => FetchDirection::All,
        Keyword::ABSOLUTE => {
            parser.next_token();
            return Ok(FetchDirection::Absolute {
                limit: count(parser)?,
            });
        }
        Keyword::RELATIVE => {
            parser.next_token();
            return Ok(FetchDirection::Relative {
                limit: count(parser)?,
            });
        }
        Keyword::FORWARD | Keyword::BACKWARD => {
            parser.next_token();
            let forward = word == Keyword::FORWARD;
            if parser.parse_keyword(Keyword::ALL) {
                return Ok(if forward {
                    FetchDirection::ForwardAll
                } else {
                    FetchDirection::BackwardAll
                });
            }
            let limit = if starts_count(&parser.peek_token_ref().token) {
                Some(count(parser)?)
            } else {
                None
            };
            return Ok(if forward {
                FetchDirection::Forward { limit }
            } else {
                FetchDirection::Backward { limit }
            });
        }
        // A cursor's name.
        _ => return Ok(FetchDirection::Next),
    };
    parser.next_token();
    Ok(direction)
}

fn starts_count(token: &Token) -> bool {
    matches!(token, Token::Number(..) | Token::Minus | Token::Plus)
}

/// `SignedIconst`: `[+|-]` an integer of int4's range, kept as its digits with the sign.
fn count(
    parser: &mut Parser,
) -> Result<datafusion::sql::sqlparser::ast::ValueWithSpan, ParserError> {
    let negative = match parser.peek_token_ref().token {
        Token::Minus => {
            parser.next_token();
            true
        }
        Token::Plus => {
            parser.next_token();
            false
        }
        _ => false,
    };
    let token = parser.next_token();
    match &token.token {
        Token::Number(digits, false)
            if digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<i32>().is_ok() =>
        {
            let digits = digits.trim_start_matches('0');
            let digits = if digits.is_empty() { "0" } else { digits };
            let text = if negative && digits != "0" {
                format!("-{digits}")
            } else {
                digits.to_owned()
            };
            Ok(Value::Number(text, false).with_empty_span())
        }
        _ => parser.expected("an integer row count", token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sql::dialect::PgDialect;

    fn read(sql: &str) -> Result<(String, String), ParserError> {
        let dialect = PgDialect::default();
        let mut parser = Parser::new(&dialect).try_with_sql(sql)?;
        let (direction, name) = fetch_args(&mut parser)?;
        Ok((direction.to_string(), name.value))
    }

    #[test]
    fn every_form_of_the_grammar_reads_as_its_direction() {
        let cases = [
            ("c", "NEXT", "c"),
            ("FROM c", "NEXT", "c"),
            ("NEXT c", "NEXT", "c"),
            ("NEXT IN c", "NEXT", "c"),
            ("next", "NEXT", "next"),
            ("3 c", "3", "c"),
            ("+3 FROM c", "3", "c"),
            ("-2 c", "-2", "c"),
            ("007 c", "7", "c"),
            ("-0 c", "0", "c"),
            ("ALL c", "ALL", "c"),
            ("FORWARD c", "FORWARD", "c"),
            ("FORWARD 5 IN c", "FORWARD 5", "c"),
            ("FORWARD ALL c", "FORWARD ALL", "c"),
            ("BACKWARD c", "BACKWARD", "c"),
            ("BACKWARD ALL FROM c", "BACKWARD ALL", "c"),
            ("ABSOLUTE -1 c", "ABSOLUTE -1", "c"),
            ("RELATIVE 0 c", "RELATIVE 0", "c"),
            ("PRIOR c", "PRIOR", "c"),
            ("LAST c", "LAST", "c"),
            ("\"Next\"", "NEXT", "Next"),
        ];
        for (sql, direction, name) in cases {
            let read = read(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
            assert_eq!(read, (direction.to_owned(), name.to_owned()), "{sql}");
        }
    }

    #[test]
    fn counts_outside_int4_and_missing_names_are_syntax_errors() {
        for sql in [
            "99999999999 c",
            "1.5 c",
            "ABSOLUTE c",
            "3",
            "FROM",
            "- c",
            "",
        ] {
            assert!(read(sql).is_err(), "{sql}");
        }
    }
}
