//! Postgres array literals in comparisons: `polroles = '{0}'` compares an array with the text
//! form of one, which Postgres reads as an array of the other side's element type.
//!
//! Invariants:
//! - Only a text literal compared with an array-typed expression is converted; everything
//!   else is left to DataFusion.
//! - The text is parsed as Postgres' `array_in` reads one dimension: `{a,"b c",NULL}`, with
//!   `\` escapes inside quotes; malformed text is Postgres' 22P02 error.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, Result as DfResult, ScalarValue};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable};
use datafusion::sql::sqlparser::ast::BinaryOperator;

use crate::error::Error;

/// Plans `array <op> 'text'` (either order) with the text read as an array.
#[derive(Debug)]
pub(crate) struct ArrayLiteralPlanner;

impl ExprPlanner for ArrayLiteralPlanner {
    fn plan_binary_op(
        &self,
        mut expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> DfResult<PlannerResult<RawBinaryExpr>> {
        use BinaryOperator::*;
        if !matches!(expr.op, Eq | NotEq | Lt | LtEq | Gt | GtEq) {
            return Ok(PlannerResult::Original(expr));
        }
        if let Some(element) = element_type(&expr.left, schema)
            && let Some(text) = text_literal(&expr.right)
        {
            expr.right = Expr::Literal(array_value(&text, &element)?, None);
        } else if let Some(element) = element_type(&expr.right, schema)
            && let Some(text) = text_literal(&expr.left)
        {
            expr.left = Expr::Literal(array_value(&text, &element)?, None);
        }
        Ok(PlannerResult::Original(expr))
    }
}

fn element_type(expr: &Expr, schema: &DFSchema) -> Option<DataType> {
    match expr.get_type(schema).ok()? {
        DataType::List(field) | DataType::LargeList(field) => Some(field.data_type().clone()),
        _ => None,
    }
}

fn text_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Literal(ScalarValue::Utf8(Some(text)) | ScalarValue::Utf8View(Some(text)), _) => {
            Some(text.clone())
        }
        _ => None,
    }
}

fn array_value(text: &str, element: &DataType) -> DfResult<ScalarValue> {
    let items =
        parse(text).map_err(|why| Error::MalformedArray(why.to_owned()).into_datafusion())?;
    let values = items
        .into_iter()
        .map(|item| match item {
            None => ScalarValue::try_from(element),
            Some(text) => ScalarValue::Utf8(Some(text)).cast_to(element),
        })
        .collect::<DfResult<Vec<_>>>()?;
    Ok(ScalarValue::List(ScalarValue::new_list_nullable(
        &values, element,
    )))
}

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
