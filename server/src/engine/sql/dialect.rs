//! The sqlparser dialect every statement is parsed and tokenized with: PostgreSQL's, without
//! expression-named function arguments (`f(a + b : c)`), and with a budget of expression starts
//! per parse.
//!
//! With named arguments on, sqlparser 0.62 parses every function argument twice (once
//! speculatively as a named argument, then again as a plain one), so nested calls cost 2^depth:
//! `SELECT f(f(...f(1)...))` 22 deep took 11 s, and a 218-byte input found by the `sql` fuzz
//! target 25 s of one core, before the recursion limit is reached. PostgreSQL's own named
//! arguments (`f(name => value)`, `f(name := value)`) have identifier names and still parse;
//! upstream fixes the same cost in later sqlparser releases (apache/datafusion-sqlparser-rs
//! #2352, #2378), which reach us with a DataFusion upgrade.
//!
//! That was one of several such paths: sqlparser backtracks (`maybe_parse`) at many places, and
//! where a failed attempt contains another, an invalid statement costs 2^depth too. Unclosed
//! `SELECT ARRAY[ARRAY[...` or `CAST(CAST(...` 22 deep took 7–10 s; nested subscripts over
//! compound names (`a.b.c[d.e[...`) 277 s for 277 bytes. Rather than chase each, a parse may
//! start [`PREFIXES_PER_TOKEN`] expressions per significant token: every speculative attempt
//! starts one, so the budget bounds the whole parse to a constant multiple of its length.
//! Once spent, every further expression fails at once with `RecursionLimitExceeded` (which
//! `maybe_parse` passes on rather than backtracking), so the parse ends in about a step per
//! pending attempt; [`parse`] then reports [`ParseFailure::OverBudget`], whatever the parser
//! said.
//!
//! Statements PostgreSQL has that sqlparser reads differently or not at all come from our own
//! readers: role grants (`grant_syntax.rs`) and FETCH (`cursor_syntax.rs`) through the
//! `parse_statement` hook; MOVE, REVOKE's option forms and ALTER DEFAULT PRIVILEGES
//! (`own_syntax.rs`, `grant_syntax.rs`) through the statement loop.
//!
//! Invariants:
//! - Everything else is `PostgreSqlDialect`'s: every method it overrides is delegated, and
//!   `dialect()` names it, so sqlparser's own PostgreSQL checks still apply. The tests parse a
//!   corpus with both dialects and require identical statements.
//! - A budget is per parse: [`parse`] makes a dialect for each statement text;
//!   [`PgDialect::default`] has no budget, for texts the server made itself and for tokenizing.

use std::any::TypeId;
use std::cell::Cell;

use datafusion::sql::sqlparser::ast::{Expr, Statement};
use datafusion::sql::sqlparser::dialect::{Dialect, PostgreSqlDialect, Precedence};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::own_syntax::{self, Parsed};
use super::{cursor_syntax, grant_syntax};

/// Expression starts a parse may make per significant token. Of 19,089 parses of valid
/// statements (the test suite, the nine client scripts, the fuzz corpus), none needed more than
/// 1.24 (most under 0.5); the rest is headroom.
pub(crate) const PREFIXES_PER_TOKEN: u64 = 8;

/// PostgreSQL's dialect minus expression-named function arguments, with a parse budget.
#[derive(Debug)]
pub(crate) struct PgDialect {
    prefixes_left: Cell<u64>,
    ran_out: Cell<bool>,
}

impl Default for PgDialect {
    fn default() -> Self {
        Self {
            prefixes_left: Cell::new(u64::MAX),
            ran_out: Cell::new(false),
        }
    }
}

/// Why [`parse`] failed.
#[derive(Debug)]
pub(crate) enum ParseFailure {
    /// The budget ran out. What the parser said then means nothing: some sqlparser paths turn
    /// a failed attempt into a syntax error at the next token, others into a fallback reading
    /// of the text.
    OverBudget,
    /// The tokenizer's or the parser's own error, the recursion limit's among them.
    Parser(ParserError),
}

/// Parses `sql` with PostgreSQL's dialect under a budget of its own.
pub(crate) fn parse(sql: &str, recursion_limit: usize) -> Result<Vec<Parsed>, ParseFailure> {
    let tokens = Tokenizer::new(&PgDialect::default(), sql)
        .tokenize_with_location()
        .map_err(|e| ParseFailure::Parser(e.into()))?;
    let dialect = PgDialect::for_tokens(&tokens);
    let parsed = own_syntax::statements(
        &mut Parser::new(&dialect)
            .with_recursion_limit(recursion_limit)
            .with_tokens_with_locations(tokens),
    );
    // Checked before the outcome: a path that swallows the budget's error may have parsed on
    // into a different statement than the text says.
    if dialect.ran_out.get() {
        return Err(ParseFailure::OverBudget);
    }
    parsed.map_err(ParseFailure::Parser)
}

impl PgDialect {
    /// A dialect for parsing `tokens` once: whitespace and comments earn no budget, so padding
    /// a statement buys no time.
    fn for_tokens(tokens: &[TokenWithSpan]) -> Self {
        let significant = tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .count() as u64;
        Self {
            prefixes_left: Cell::new(PREFIXES_PER_TOKEN * (significant + 1)),
            ran_out: Cell::new(false),
        }
    }
}

const PG: PostgreSqlDialect = PostgreSqlDialect {};

/// Delegates `bool` feature switches to PostgreSQL's dialect.
macro_rules! delegate {
    ($($name:ident),* $(,)?) => {
        $(fn $name(&self) -> bool {
            PG.$name()
        })*
    };
}

impl Dialect for PgDialect {
    fn dialect(&self) -> TypeId {
        TypeId::of::<PostgreSqlDialect>()
    }

    fn supports_named_fn_args_with_expr_name(&self) -> bool {
        false
    }

    fn parse_statement(&self, parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
        grant_syntax::parse(parser).or_else(|| cursor_syntax::fetch(parser))
    }

    /// Never parses anything itself; it only counts, and fails every expression once the budget
    /// is spent, so what remains of the parse unwinds in a step per attempt.
    fn parse_prefix(&self, _parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        match self.prefixes_left.get() {
            0 => {
                self.ran_out.set(true);
                Some(Err(ParserError::RecursionLimitExceeded))
            }
            left => {
                self.prefixes_left.set(left - 1);
                None
            }
        }
    }

    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        PG.identifier_quote_style(identifier)
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        PG.is_delimited_identifier_start(ch)
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        PG.is_identifier_start(ch)
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        PG.is_identifier_part(ch)
    }

    fn is_reserved_for_identifier(&self, kw: Keyword) -> bool {
        PG.is_reserved_for_identifier(kw)
    }

    fn is_custom_operator_part(&self, ch: char) -> bool {
        PG.is_custom_operator_part(ch)
    }

    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        PG.get_next_precedence(parser)
    }

    fn prec_value(&self, prec: Precedence) -> u8 {
        PG.prec_value(prec)
    }

    delegate!(
        supports_unicode_string_literal,
        supports_filter_during_aggregation,
        supports_group_by_expr,
        allow_extract_custom,
        allow_extract_single_quotes,
        supports_create_index_with_clause,
        supports_explain_with_utility_options,
        supports_listen_notify,
        supports_factorial_operator,
        supports_bitwise_shift_operators,
        supports_comment_on,
        supports_load_extension,
        supports_named_fn_args_with_colon_operator,
        supports_empty_projections,
        supports_nested_comments,
        supports_string_escape_constant,
        supports_numeric_literal_underscores,
        supports_array_typedef_with_brackets,
        supports_geometric_types,
        supports_set_names,
        supports_alter_column_type_using,
        supports_notnull_operator,
        supports_interval_options,
        supports_insert_table_alias,
        supports_create_table_like_parenthesized,
        supports_select_wildcard_with_alias,
        supports_comma_separated_trim,
        supports_xml_expressions,
        supports_comment_optimizer_hint,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(dialect: &dyn Dialect, sql: &str) -> Result<Vec<Statement>, ParserError> {
        Parser::new(dialect).try_with_sql(sql)?.parse_statements()
    }

    fn display(statements: &[Statement]) -> Vec<String> {
        statements.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn statements_parse_as_with_postgresql() {
        let corpus = [
            "SELECT data->>'n' AS n, (data->'a')::int, data @> '{\"x\":1}' FROM crm WHERE id = $1",
            "SELECT E'a\\nb', U&'d\\0061t', 1_000, 5 !, 1 << 2, x NOTNULL FROM t",
            "SELECT count(*) FILTER (WHERE x > 1), trim(both 'x' from y), extract('day' from ts)",
            "SELECT make_interval(days => 1), f(a := 2), \"Quoted\".\"Id\" FROM s.\"T\"",
            "SELECT ARRAY[1,2]::int[], '{1}'::text[], x::pg_catalog.text, interval '1' day",
            "INSERT INTO crm AS c (id, data) VALUES ('a', '{}') ON CONFLICT (id) DO NOTHING",
            "LISTEN mindoo_changes; NOTIFY c, 'x'; UNLISTEN *; COMMENT ON TABLE t IS 'x'",
            "CREATE TABLE t (LIKE u); ALTER TABLE t ALTER COLUMN c TYPE int USING c::int",
            "SET NAMES 'UTF8'; SET mindoo.keys = 'mdbk1.x'; SHOW ALL; DISCARD ALL; BEGIN",
            "COPY crm (id, data) FROM STDIN WITH (FORMAT csv); SELECT /*+ hint */ 1 /* a /* b */ */",
            "SELECT a.* AS x, point '(1,2)' <-> point '(3,4)' FROM t AS a GROUP BY 1 ORDER BY 2",
        ];
        for sql in corpus {
            let ours = parse_with(&PgDialect::default(), sql);
            let theirs = parse_with(&PG, sql);
            assert_eq!(
                ours.is_ok(),
                theirs.is_ok(),
                "{sql}: {ours:?} vs {theirs:?}"
            );
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                // A named argument is `Named` here and `ExprNamed` with an identifier there;
                // DataFusion plans both alike, and both print the same.
                assert_eq!(display(&ours), display(&theirs), "{sql}");
                if !sql.contains("=>") && !sql.contains(":=") {
                    assert_eq!(ours, theirs, "{sql}");
                }
            }
        }
    }

    /// Each of these took seconds to days before the budget; a regression never finishes.
    #[test]
    fn invalid_nesting_runs_out_of_budget() {
        let shapes = [
            format!("SELECT {}1", "ARRAY[".repeat(40)),
            format!("SELECT {}1 AS int{}", "CAST(".repeat(40), ")".repeat(39)),
            format!("SELECT {}1", "a.b.c[d.e[".repeat(20)),
        ];
        // The recursion limit is out of the way: only the budget can end these parses.
        for sql in shapes {
            let parsed = parse(&sql, 200);
            assert!(
                matches!(parsed, Err(ParseFailure::OverBudget)),
                "{sql}: {parsed:?}"
            );
        }
    }

    #[test]
    fn a_budget_leaves_valid_nesting_alone() {
        let sql = format!(
            "SELECT {}1{}, {}1{}, {}1{}",
            "ARRAY[".repeat(30),
            "]".repeat(30),
            "CAST(".repeat(30),
            " AS int)".repeat(30),
            "a.b.c[d.e[".repeat(3),
            "]]".repeat(3),
        );
        let parsed = parse(&sql, 200);
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn nested_calls_parse_in_linear_time() {
        // 40 deep: 2^40 steps with PostgreSQL's dialect, so a regression never finishes.
        let sql = format!("SELECT {}1{}", "f(".repeat(40), ")".repeat(40));
        let parsed = Parser::new(&PgDialect::default())
            .with_recursion_limit(200)
            .try_with_sql(&sql)
            .and_then(|mut parser| parser.parse_statements());
        assert!(parsed.is_ok(), "{parsed:?}");
    }
}
