//! Postgres `jsonb` in DataFusion: the operators `-> ->> #> #>> @> ? ||`, `jsonb_set`, and the
//! `jsonb`/`json` type names, over JSON text in Arrow Utf8 columns.
//!
//! Invariants:
//! - A jsonb value is Utf8 JSON text in a field whose metadata has `pg_type = jsonb`; the wire
//!   layer types such columns as jsonb (OID 3802).
//! - Every function returns NULL for NULL input or a missing key/path, as Postgres does, and
//!   an error (never a panic) for text that is not JSON.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{DFSchema, Result as DfResult, exec_err};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr, TypePlanner};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{self, BinaryOperator};
use serde_json::Value as Json;

use crate::catalog::names;
use crate::output::{PgType, is_jsonb};

/// Registers the functions and planners on a session.
pub(crate) fn register(ctx: &mut SessionContext) -> DfResult<()> {
    for op in JsonOp::ALL {
        ctx.register_udf(Arc::new(ScalarUDF::new_from_impl(JsonFn::new(op))))?;
    }
    ctx.register_expr_planner(Arc::new(JsonPlanner))?;
    Ok(())
}

/// Maps `jsonb` and `json` to the marked Utf8 field.
#[derive(Debug)]
pub(crate) struct JsonTypePlanner;

impl TypePlanner for JsonTypePlanner {
    fn plan_type_field(&self, sql_type: &ast::DataType) -> DfResult<Option<FieldRef>> {
        match sql_type {
            ast::DataType::JSONB | ast::DataType::JSON => Ok(Some(jsonb())),
            ast::DataType::Custom(name, _) if names::parts(name).is_ok_and(|p| p == ["jsonb"]) => {
                Ok(Some(jsonb()))
            }
            _ => Ok(None),
        }
    }
}

#[derive(Debug)]
struct JsonPlanner;

impl ExprPlanner for JsonPlanner {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> DfResult<PlannerResult<RawBinaryExpr>> {
        let op = match &expr.op {
            BinaryOperator::Arrow => JsonOp::Get,
            BinaryOperator::LongArrow => JsonOp::GetText,
            BinaryOperator::HashArrow => JsonOp::Path,
            BinaryOperator::HashLongArrow => JsonOp::PathText,
            BinaryOperator::AtArrow => JsonOp::Contains,
            BinaryOperator::ArrowAt => JsonOp::ContainedBy,
            BinaryOperator::Question => JsonOp::Exists,
            BinaryOperator::StringConcat
                if is_jsonb_expr(&expr.left, schema) || is_jsonb_expr(&expr.right, schema) =>
            {
                JsonOp::Concat
            }
            _ => return Ok(PlannerResult::Original(expr)),
        };
        let udf = Arc::new(ScalarUDF::new_from_impl(JsonFn::new(op)));
        Ok(PlannerResult::Planned(Expr::ScalarFunction(
            ScalarFunction::new_udf(udf, vec![expr.left, expr.right]),
        )))
    }
}

fn jsonb() -> FieldRef {
    Arc::new(PgType::Jsonb.field("", true))
}

fn is_jsonb_expr(expr: &Expr, schema: &DFSchema) -> bool {
    expr.to_field(schema)
        .is_ok_and(|(_, field)| is_jsonb(&field))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum JsonOp {
    Get,
    GetText,
    Path,
    PathText,
    Contains,
    ContainedBy,
    Exists,
    Concat,
    Set,
}

impl JsonOp {
    const ALL: [JsonOp; 9] = [
        JsonOp::Get,
        JsonOp::GetText,
        JsonOp::Path,
        JsonOp::PathText,
        JsonOp::Contains,
        JsonOp::ContainedBy,
        JsonOp::Exists,
        JsonOp::Concat,
        JsonOp::Set,
    ];

    fn name(self) -> &'static str {
        match self {
            JsonOp::Get => "jsonb_get",
            JsonOp::GetText => "jsonb_get_text",
            JsonOp::Path => "jsonb_extract_path",
            JsonOp::PathText => "jsonb_extract_path_text",
            JsonOp::Contains => "jsonb_contains",
            JsonOp::ContainedBy => "jsonb_contained",
            JsonOp::Exists => "jsonb_exists",
            JsonOp::Concat => "jsonb_concat",
            JsonOp::Set => "jsonb_set",
        }
    }

    fn returns(self) -> Returns {
        match self {
            JsonOp::Get | JsonOp::Path | JsonOp::Concat | JsonOp::Set => Returns::Jsonb,
            JsonOp::GetText | JsonOp::PathText => Returns::Text,
            JsonOp::Contains | JsonOp::ContainedBy | JsonOp::Exists => Returns::Bool,
        }
    }
}

enum Returns {
    Jsonb,
    Text,
    Bool,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonFn {
    op: JsonOp,
    signature: Signature,
}

impl JsonFn {
    fn new(op: JsonOp) -> JsonFn {
        JsonFn {
            op,
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for JsonFn {
    fn name(&self) -> &str {
        self.op.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(match self.op.returns() {
            Returns::Jsonb | Returns::Text => DataType::Utf8,
            Returns::Bool => DataType::Boolean,
        })
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> DfResult<FieldRef> {
        Ok(Arc::new(match self.op.returns() {
            Returns::Jsonb => PgType::Jsonb.field(self.name(), true),
            Returns::Text => Field::new(self.name(), DataType::Utf8, true),
            Returns::Bool => Field::new(self.name(), DataType::Boolean, true),
        }))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let n_rows = args.number_rows;
        let expected = if self.op == JsonOp::Set { 3..=4 } else { 2..=2 };
        if !expected.contains(&args.args.len()) {
            return exec_err!("{} takes {} arguments", self.name(), expected.start());
        }
        let columns = args
            .args
            .iter()
            .map(|arg| arg.to_array(n_rows).and_then(|a| as_text(&a)))
            .collect::<DfResult<Vec<Vec<Option<String>>>>>()?;
        let mut texts: Vec<Option<String>> = Vec::with_capacity(n_rows);
        let mut bools: Vec<Option<bool>> = Vec::with_capacity(n_rows);
        for row in 0..n_rows {
            let cell = |col: usize| columns[col][row].as_deref();
            match self.op.returns() {
                Returns::Bool => bools.push(self.eval_bool(cell(0), cell(1))?),
                _ => texts.push(self.eval_text(&[
                    cell(0),
                    cell(1),
                    columns.get(2).and_then(|c| c[row].as_deref()),
                    columns.get(3).and_then(|c| c[row].as_deref()),
                ])?),
            }
        }
        let array: ArrayRef = match self.op.returns() {
            Returns::Bool => Arc::new(BooleanArray::from(bools)),
            _ => Arc::new(StringArray::from(texts)),
        };
        Ok(ColumnarValue::Array(array))
    }
}

impl JsonFn {
    fn eval_text(&self, cells: &[Option<&str>; 4]) -> DfResult<Option<String>> {
        let (Some(doc), Some(arg)) = (cells[0], cells[1]) else {
            return Ok(None);
        };
        let doc = parse(doc)?;
        Ok(match self.op {
            JsonOp::Get => get(&doc, arg).map(Json::to_string),
            JsonOp::GetText => get(&doc, arg).and_then(as_text_value),
            JsonOp::Path => path(&doc, &parse_path(arg)?).map(Json::to_string),
            JsonOp::PathText => path(&doc, &parse_path(arg)?).and_then(as_text_value),
            JsonOp::Concat => Some(concat(doc, parse(arg)?).to_string()),
            JsonOp::Set => {
                let Some(new_value) = cells[2] else {
                    return Ok(None);
                };
                let create_missing = cells[3].is_none_or(|c| matches!(c, "true" | "t"));
                Some(set(doc, &parse_path(arg)?, parse(new_value)?, create_missing).to_string())
            }
            JsonOp::Contains | JsonOp::ContainedBy | JsonOp::Exists => None,
        })
    }

    fn eval_bool(&self, doc: Option<&str>, arg: Option<&str>) -> DfResult<Option<bool>> {
        let (Some(doc), Some(arg)) = (doc, arg) else {
            return Ok(None);
        };
        let doc = parse(doc)?;
        Ok(Some(match self.op {
            JsonOp::Contains => contains(&doc, &parse(arg)?),
            JsonOp::ContainedBy => contains(&parse(arg)?, &doc),
            JsonOp::Exists => match &doc {
                Json::Object(map) => map.contains_key(arg),
                Json::Array(items) => items.iter().any(|i| i.as_str() == Some(arg)),
                Json::String(s) => s == arg,
                _ => false,
            },
            _ => return Ok(None),
        }))
    }
}

fn as_text(array: &ArrayRef) -> DfResult<Vec<Option<String>>> {
    let text = datafusion::arrow::compute::cast(array, &DataType::Utf8)?;
    let Some(strings) = text.as_any().downcast_ref::<StringArray>() else {
        return exec_err!("expected text arguments");
    };
    Ok((0..strings.len())
        .map(|i| (!strings.is_null(i)).then(|| strings.value(i).to_owned()))
        .collect())
}

pub(crate) fn parse(text: &str) -> DfResult<Json> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(err) => exec_err!("invalid input syntax for type json: {err}"),
    }
}

/// `->`: an object member, or an array element by (possibly negative) index.
fn get<'a>(doc: &'a Json, key: &str) -> Option<&'a Json> {
    match doc {
        Json::Object(map) => map.get(key),
        Json::Array(items) => {
            let idx: i64 = key.parse().ok()?;
            let idx = if idx < 0 {
                items.len() as i64 + idx
            } else {
                idx
            };
            items.get(usize::try_from(idx).ok()?)
        }
        _ => None,
    }
}

pub(crate) fn path<'a>(doc: &'a Json, steps: &[String]) -> Option<&'a Json> {
    steps.iter().try_fold(doc, |node, step| get(node, step))
}

/// Text form as `->>` gives it: strings unquoted, null as SQL NULL, the rest as JSON.
pub(crate) fn as_text_value(value: &Json) -> Option<String> {
    match value {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Parses a Postgres text[] literal such as `{a,b,"c d"}` into path steps.
pub(crate) fn parse_path(text: &str) -> DfResult<Vec<String>> {
    let Some(inner) = text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
    else {
        return exec_err!("a json path is a text array such as '{{a,b}}'");
    };
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    Ok(inner
        .split(',')
        .map(|step| step.trim().trim_matches('"').to_owned())
        .collect())
}

/// `||`: objects merge (right wins), arrays concatenate, anything else becomes an array.
pub(crate) fn concat(left: Json, right: Json) -> Json {
    match (left, right) {
        (Json::Object(mut l), Json::Object(r)) => {
            l.extend(r);
            Json::Object(l)
        }
        (Json::Array(mut l), Json::Array(r)) => {
            l.extend(r);
            Json::Array(l)
        }
        (Json::Array(mut l), r) => {
            l.push(r);
            Json::Array(l)
        }
        (l, Json::Array(mut r)) => {
            r.insert(0, l);
            Json::Array(r)
        }
        (l, r) => Json::Array(vec![l, r]),
    }
}

/// `jsonb_set`: replaces (or, with `create_missing`, adds) the value at `steps`.
pub(crate) fn set(mut doc: Json, steps: &[String], value: Json, create_missing: bool) -> Json {
    let Some((last, parents)) = steps.split_last() else {
        return doc;
    };
    let mut node = &mut doc;
    for step in parents {
        let next = match node {
            Json::Object(map) => map.get_mut(step.as_str()),
            Json::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => return doc,
        }
    }
    match node {
        Json::Object(map) if create_missing || map.contains_key(last.as_str()) => {
            map.insert(last.clone(), value);
        }
        Json::Array(items) => {
            if let Ok(idx) = last.parse::<usize>() {
                if idx < items.len() {
                    items[idx] = value;
                } else if create_missing {
                    items.push(value);
                }
            }
        }
        _ => {}
    }
    doc
}

/// `@>`: Postgres containment.
pub(crate) fn contains(outer: &Json, inner: &Json) -> bool {
    match (outer, inner) {
        (Json::Object(o), Json::Object(i)) => i
            .iter()
            .all(|(k, v)| o.get(k).is_some_and(|ov| contains(ov, v))),
        (Json::Array(o), Json::Array(i)) => i.iter().all(|iv| o.iter().any(|ov| contains(ov, iv))),
        (Json::Array(o), scalar) => o.iter().any(|ov| ov == scalar),
        (o, i) => o == i,
    }
}
