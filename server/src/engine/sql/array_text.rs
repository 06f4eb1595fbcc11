//! PostgreSQL's text form of a one-dimensional array (`array_in`): `{a,"b c",NULL}`, as
//! array comparisons and the jsonb path arguments (`#>`, `?|`, `jsonb_set`) read it.
//!
//! Invariants:
//! - Reads one dimension, with `\` escapes inside quotes; an unquoted `NULL` is NULL; nested
//!   braces are refused, never misread.

/// `{a,"b c",NULL}` → `[Some(a), Some(b c), None]`.
pub(crate) fn parse(text: &str) -> Result<Vec<Option<String>>, &'static str> {
    let inner = text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .ok_or("an array literal is enclosed in braces")?;
    let mut items = Vec::new();
    if inner.trim().is_empty() {
        return Ok(items);
    }
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            quoted = true;
            chars.next();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => item.push(chars.next().ok_or("unfinished escape")?),
                    Some(c) => item.push(c),
                    None => return Err("unterminated quoted element"),
                }
            }
        }
        while let Some(&c) = chars.peek() {
            if c == ',' {
                break;
            }
            if c == '{' || c == '}' || c == '"' {
                return Err("nested or misplaced braces and quotes are not supported");
            }
            item.push(c);
            chars.next();
        }
        let item = if quoted { item } else { item.trim().to_owned() };
        items.push((quoted || !item.eq_ignore_ascii_case("NULL")).then_some(item));
        match chars.next() {
            Some(',') => {}
            None => return Ok(items),
            Some(_) => return Err("unexpected character"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_dimension_like_array_in() {
        assert_eq!(parse("{0}").unwrap(), vec![Some("0".to_owned())]);
        assert_eq!(
            parse("{a, \"b c\",NULL,\"NULL\",\"q\\\"\"}").unwrap(),
            vec![
                Some("a".to_owned()),
                Some("b c".to_owned()),
                None,
                Some("NULL".to_owned()),
                Some("q\"".to_owned()),
            ]
        );
        assert!(parse("{}").unwrap().is_empty());
        assert!(parse("0").is_err());
        assert!(parse("{{1}}").is_err());
    }
}
