//! Identifiers as PostgreSQL reads them: the one place names of tables, views, columns,
//! functions, roles, databases, savepoints and settings are folded, whether they come from the
//! parsed statement or from a text argument (`'crm2025'::regclass`, `mindoo.changes('Crm', 0)`).
//!
//! Invariants:
//! - Unquoted identifiers fold to lower case (ASCII letters only, as PostgreSQL does in a UTF-8
//!   database); quoted identifiers are exact, `""` standing for one `"`.
//! - A folded identifier longer than 63 bytes is cut to 63 bytes at a character boundary, as
//!   PostgreSQL truncates to NAMEDATALEN - 1.
//! - A relation lives in the tenant's one schema `public`: `t`, `public.t` and
//!   `<catalog>.public.t` name it; any other qualification is refused.

use datafusion::sql::sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

use crate::error::{Error, Result};

/// The longest identifier PostgreSQL keeps, in bytes (NAMEDATALEN - 1).
pub(crate) const MAX_IDENTIFIER_BYTES: usize = 63;

/// The schema every tenant's relations live in.
pub(crate) const PUBLIC: &str = "public";

/// The DataFusion catalog name a fully qualified relation may carry (`mindoo.public.t`).
pub(crate) const CATALOG: &str = "mindoo";

/// An identifier as PostgreSQL reads it.
pub(crate) fn fold(ident: &Ident) -> String {
    match ident.quote_style {
        Some(_) => truncate(ident.value.clone()),
        None => truncate(ident.value.to_ascii_lowercase()),
    }
}

/// True when `ident` reads as the (lower-case) `name`: `MINDOO` and `mindoo` do, `"MINDOO"`
/// does not.
pub(crate) fn is(ident: &Ident, name: &str) -> bool {
    fold(ident) == name
}

/// The parts of a dotted name, each folded.
pub(crate) fn parts(name: &ObjectName) -> Result<Vec<String>> {
    name.0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => Ok(fold(ident)),
            other => Err(Error::Syntax(format!("bad name {other}"))),
        })
        .collect()
}

/// A name that must not be qualified: a database, a role, a key option.
pub(crate) fn single(name: &ObjectName) -> Result<String> {
    match parts(name)?.as_mut_slice() {
        [one] => Ok(std::mem::take(one)),
        _ => Err(Error::FeatureNotSupported(format!("qualified name {name}"))),
    }
}

/// The name of a relation in the tenant's schema (`t`, `public.t`, `mindoo.public.t`).
pub(crate) fn relation(name: &ObjectName) -> Result<String> {
    in_public(parts(name)?)
        .ok_or_else(|| Error::FeatureNotSupported(format!("relation {name} outside schema public")))
}

/// The relation a text argument names, read as `regclass` input reads it:
/// `'crm2025'`, `'"Crm2025"'`, `'public.crm2025'`.
pub(crate) fn relation_text(text: &str) -> Result<String> {
    in_public(parse_text(text)?)
        .ok_or_else(|| Error::FeatureNotSupported(format!("relation {text} outside schema public")))
}

/// A dotted name written as text (`'"My ""T""".x'`), split and folded like an identifier
/// list in SQL; 42602 when the quotes do not close or a part is empty.
pub(crate) fn parse_text(text: &str) -> Result<Vec<String>> {
    let invalid = || Error::InvalidName(format!("invalid name syntax: {text}"));
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                if current.is_empty() && !was_quoted {
                    return Err(invalid());
                }
                parts.push(truncate(std::mem::take(&mut current)));
                was_quoted = false;
            }
            c if quoted => current.push(c),
            c => current.push(c.to_ascii_lowercase()),
        }
    }
    if quoted || (current.is_empty() && !was_quoted) {
        return Err(invalid());
    }
    parts.push(truncate(current));
    Ok(parts)
}

/// A text pattern over relation names (`'crm*'`): one name as `parse_text` reads it, where the
/// glob characters `*` and `?` are ordinary characters.
pub(crate) fn pattern_text(text: &str) -> Result<String> {
    match parse_text(text)?.as_mut_slice() {
        [one] => Ok(std::mem::take(one)),
        _ => Err(Error::InvalidName(format!(
            "a table pattern is one name: {text}"
        ))),
    }
}

/// `name` as an identifier that reads back as `name`: as it is when folding leaves it alone,
/// else double-quoted (what `quote_ident` does, keywords aside).
pub(crate) fn quote(name: &str) -> String {
    let plain = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// The relation name of `parts` when they lie in schema `public`.
fn in_public(mut parts: Vec<String>) -> Option<String> {
    match parts.as_mut_slice() {
        [table] => Some(std::mem::take(table)),
        [schema, table] if schema == PUBLIC => Some(std::mem::take(table)),
        [catalog, schema, table] if catalog == CATALOG && schema == PUBLIC => {
            Some(std::mem::take(table))
        }
        _ => None,
    }
}

fn truncate(mut name: String) -> String {
    if name.len() > MAX_IDENTIFIER_BYTES {
        let mut end = MAX_IDENTIFIER_BYTES;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_fold_like_postgres() {
        assert_eq!(fold(&Ident::new("CRM2025")), "crm2025");
        assert_eq!(fold(&Ident::with_quote('"', "Crm2025")), "Crm2025");
        // Only ASCII letters fold in a UTF-8 database.
        assert_eq!(fold(&Ident::new("ÄBC")), "Äbc");
        assert!(is(&Ident::new("MINDOO"), "mindoo"));
        assert!(!is(&Ident::with_quote('"', "MINDOO"), "mindoo"));
        let long = "a".repeat(70);
        assert_eq!(fold(&Ident::new(&long)).len(), MAX_IDENTIFIER_BYTES);
        let wide = "é".repeat(40);
        assert_eq!(fold(&Ident::with_quote('"', &wide)).len(), 62);
    }

    #[test]
    fn text_names_split_and_fold_like_regclass_input() {
        assert_eq!(
            parse_text("pg_catalog.PG_CLASS").unwrap(),
            ["pg_catalog", "pg_class"]
        );
        assert_eq!(parse_text("\"My \"\"T\"\"\".x").unwrap(), ["My \"T\"", "x"]);
        assert_eq!(parse_text(" crm2025 ").unwrap(), ["crm2025"]);
        assert_eq!(relation_text("public.\"Crm\"").unwrap(), "Crm");
        for bad in ["", "a.", ".a", "\"open", "a..b"] {
            assert!(parse_text(bad).is_err(), "{bad:?}");
        }
        assert_eq!(pattern_text("CRM*").unwrap(), "crm*");
        for name in ["crm2025", "Crm", "a\"b", "2x", "é"] {
            assert_eq!(parse_text(&quote(name)).unwrap(), [name]);
        }
    }
}
