//! Statement text for logs and `mindoo.activity`: the parsed statement with every literal
//! replaced by `?`, so neither keys, passwords nor document content can appear.
//!
//! Invariants:
//! - Every literal (strings, numbers, dollar-quoted text) becomes `?` (`$n` parameters stay); so do identifiers
//!   that look like key or identity tokens, in case one was written unquoted.
//! - If the text still contains a token prefix, only the statement's leading keywords are kept.
//! - The text is at most `MAX_LEN` characters.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Statement, Value, visit_expressions_mut};

use super::own_syntax::Parsed;

/// Longest redacted text kept (a bulk INSERT would otherwise be megabytes of `?`).
const MAX_LEN: usize = 1000;
const TOKEN_PREFIXES: [&str; 2] = ["mdbk1", "mdbi1"];

/// `statement` with its literals replaced by `?`.
pub(crate) fn redact(statement: &Parsed) -> String {
    let mut text = match statement {
        Parsed::Sql(statement) => without_literals(statement),
        // MOVE's count and REVOKE's names are no literals.
        Parsed::Own(own) => own.to_string(),
    };
    if TOKEN_PREFIXES.iter().any(|p| text.contains(p)) {
        text = leading_keywords(&text);
    }
    if let Some((cut, _)) = text.char_indices().nth(MAX_LEN) {
        text.truncate(cut);
        text.push_str("...");
    }
    text
}

fn without_literals(statement: &Statement) -> String {
    let mut copy = statement.clone();
    let _ = visit_expressions_mut(&mut copy, |expr: &mut Expr| {
        let secret_ident = matches!(expr, Expr::Identifier(ident)
            if TOKEN_PREFIXES.iter().any(|p| ident.value.starts_with(p)));
        let literal = matches!(expr, Expr::Value(v) if !matches!(v.value, Value::Placeholder(_)));
        if literal || secret_ident {
            *expr = Expr::Value(Value::Placeholder("?".into()).with_empty_span());
        }
        ControlFlow::<()>::Continue(())
    });
    copy.to_string()
}

fn leading_keywords(text: &str) -> String {
    text.split_whitespace()
        .take_while(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sql::parse::parse;

    fn check(sql: &str, want: &str) {
        let statement = parse(sql).expect("parse").remove(0);
        assert_eq!(redact(&statement), want, "{sql}");
    }

    #[test]
    fn literals_become_placeholders() {
        check(
            "SELECT data->>'name' FROM crm WHERE id = 'acme' AND n > 5",
            "SELECT data ->> ? FROM crm WHERE id = ? AND n > ?",
        );
        check(
            "INSERT INTO crm (id, data) VALUES ('a', '{\"secret\":1}')",
            "INSERT INTO crm (id, data) VALUES (?, ?)",
        );
        check(
            "SET mindoo.keys = 'mdbk1.default.1.AAAA'",
            "SET mindoo.keys = ?",
        );
        check("SET mindoo.keys = mdbk1_unquoted", "SET mindoo.keys = ?");
        check(
            "ALTER ROLE bob PASSWORD 'hunter2'",
            "ALTER ROLE bob WITH PASSWORD ?",
        );
        check("SELECT $1::text", "SELECT $1::TEXT");
    }

    #[test]
    fn long_statements_are_cut() {
        let values = vec!["('x')"; 1000].join(",");
        let statement = parse(&format!("INSERT INTO t (id) VALUES {values}"))
            .expect("parse")
            .remove(0);
        let text = redact(&statement);
        assert!(text.ends_with("..."));
        assert!(text.chars().count() <= MAX_LEN + 3);
    }
}
