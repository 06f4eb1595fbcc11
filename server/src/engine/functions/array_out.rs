//! An array cast to text as PostgreSQL's `array_out` writes it (`{alice=r/alice,"a b",NULL}`),
//! where DataFusion's cast writes `[alice=r/alice, a b, ]`: an analyzer rule turns
//! `a::text` of a one-dimensional array of text, integers, OIDs or booleans into `array_out`.
//!
//! Invariants:
//! - An element is quoted as `array_out` quotes it: when it is empty, `NULL` in any case, or
//!   holds `{`, `}`, `,`, `"`, `\` or white space; `"` and `\` are escaped inside the quotes.
//! - Arrays of other element types keep DataFusion's cast (their element text is not
//!   PostgreSQL's yet either).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result as DfResult};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    Cast, ColumnarValue, Expr, ExprSchemable, LogicalPlan, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;

use crate::engine::functions::rewrite_exprs::rewrite_expressions;
use crate::output::PgType;

/// `array_out` of a list of text, integers or booleans.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ArrayOut {
    signature: Signature,
}

impl ArrayOut {
    fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(ArrayOut {
            signature: Signature::any(1, Volatility::Immutable),
        }))
    }
}

impl ScalarUDFImpl for ArrayOut {
    fn name(&self) -> &str {
        "array_out"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let [arg] = args.args.as_slice() else {
            return datafusion::common::exec_err!("array_out takes one array");
        };
        let lists = arg.to_array(args.number_rows)?;
        let mut out = StringBuilder::new();
        for row in 0..lists.len() {
            if lists.is_null(row) {
                out.append_null();
                continue;
            }
            let items = match lists.data_type() {
                DataType::List(_) => lists.as_list::<i32>().value(row),
                DataType::LargeList(_) => lists.as_list::<i64>().value(row),
                other => {
                    return datafusion::common::exec_err!("array_out of {other}");
                }
            };
            out.append_value(array_text(&items)?);
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}

/// `{a,"b c",NULL}` of one list's elements.
fn array_text(items: &ArrayRef) -> DfResult<String> {
    let texts = match items.data_type() {
        DataType::Boolean => {
            let values = items.as_boolean();
            (0..values.len())
                .map(|idx| {
                    (!values.is_null(idx)).then(|| if values.value(idx) { "t" } else { "f" }.into())
                })
                .collect::<Vec<Option<String>>>()
        }
        _ => {
            let values = cast(items, &DataType::Utf8)?;
            let values = values.as_string::<i32>();
            (0..values.len())
                .map(|idx| (!values.is_null(idx)).then(|| values.value(idx).to_owned()))
                .collect()
        }
    };
    let mut text = String::from("{");
    for (idx, item) in texts.iter().enumerate() {
        if idx > 0 {
            text.push(',');
        }
        let Some(item) = item else {
            text.push_str("NULL");
            continue;
        };
        let quoted = item.is_empty()
            || item.eq_ignore_ascii_case("NULL")
            || item
                .chars()
                .any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_ascii_whitespace());
        if quoted {
            text.push('"');
            for c in item.chars() {
                if matches!(c, '"' | '\\') {
                    text.push('\\');
                }
                text.push(c);
            }
            text.push('"');
        } else {
            text.push_str(item);
        }
    }
    text.push('}');
    Ok(text)
}

/// True for the element types whose text DataFusion writes as PostgreSQL does.
fn plain_element(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt32
            | DataType::Boolean
    )
}

/// Rewrites casts of arrays to text into `array_out`.
#[derive(Debug)]
pub(crate) struct ArrayCasts;

impl AnalyzerRule for ArrayCasts {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> DfResult<LogicalPlan> {
        rewrite_expressions(plan, false, |e, schema| match e {
            Expr::Cast(cast) => rewrite_cast(cast, schema),
            other => Ok(Transformed::no(other)),
        })
    }

    fn name(&self) -> &str {
        "array_casts"
    }
}

fn rewrite_cast(cast: Cast, schema: &DFSchema) -> DfResult<Transformed<Expr>> {
    let to_text = matches!(
        PgType::of_field(&cast.field),
        Some(PgType::Text | PgType::Varchar)
    );
    let from_array = cast
        .expr
        .get_type(schema)
        .is_ok_and(|data_type| match data_type {
            DataType::List(element) | DataType::LargeList(element) => {
                plain_element(element.data_type())
            }
            _ => false,
        });
    if !(to_text && from_array) {
        return Ok(Transformed::no(Expr::Cast(cast)));
    }
    let text = Expr::ScalarFunction(ScalarFunction::new_udf(ArrayOut::udf(), vec![*cast.expr]));
    // `text` may plan as Utf8View: the Utf8 text is cast on to the type asked for.
    Ok(Transformed::yes(
        if *cast.field.data_type() == DataType::Utf8 {
            text
        } else {
            Expr::Cast(Cast {
                expr: Box::new(text),
                field: cast.field,
            })
        },
    ))
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{BooleanArray, Int32Array, StringArray};

    use super::*;

    #[test]
    fn elements_are_quoted_as_array_out_quotes_them() {
        let texts: ArrayRef = Arc::new(StringArray::from(vec![
            Some("alice=r/alice"),
            Some("\"a b\"=r/alice"),
            Some(""),
            Some("null"),
            None,
            Some("x\\y"),
        ]));
        assert_eq!(
            array_text(&texts).unwrap(),
            r#"{alice=r/alice,"\"a b\"=r/alice","","null",NULL,"x\\y"}"#
        );
        let ints: ArrayRef = Arc::new(Int32Array::from(vec![Some(1), None, Some(-2)]));
        assert_eq!(array_text(&ints).unwrap(), "{1,NULL,-2}");
        let bools: ArrayRef = Arc::new(BooleanArray::from(vec![true, false]));
        assert_eq!(array_text(&bools).unwrap(), "{t,f}");
        let empty: ArrayRef = Arc::new(StringArray::from(Vec::<&str>::new()));
        assert_eq!(array_text(&empty).unwrap(), "{}");
    }
}
