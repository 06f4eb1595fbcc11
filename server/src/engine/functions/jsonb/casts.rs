//! Casts to and from jsonb as PostgreSQL has them: an analyzer rule turns `x::jsonb` into
//! `jsonb_in(x)` and `j::text`, `j::int4`, `j::bool`, ... of a jsonb `j` into `jsonb_cast`,
//! which converts as PostgreSQL's jsonb casts do (`'1.5'::jsonb::int` is 2; a jsonb string
//! to integer is 22023); casts PostgreSQL lacks (`jsonb::bytea`) are 42846.
//!
//! Invariants:
//! - After analysis no plan holds a cast to a jsonb-marked field, nor a cast of a jsonb value
//!   to another type: each became a function whose result field is the cast's, under the
//!   expression's old name.
//! - A numeric target gets pgfn's exact number text, then DataFusion's cast to the Decimal;
//!   a text target other than Utf8 (a coercion's Utf8View) is cast on the same way.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array,
    StringArray,
};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result as DfResult, exec_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    Cast, ColumnarValue, Expr, ExprSchemable, LogicalPlan, ReturnFieldArgs, ScalarFunctionArgs,
    ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;
use mindoodb_pgfn::jsonb as pj;

use super::args::{Arg, pg};
use super::input::JsonbIn;
use crate::catalog::format_type;
use crate::engine::functions::rewrite_exprs::rewrite_expressions;
use crate::error::Error;
use crate::output::{PgType, is_jsonb};

/// What a jsonb value is cast to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Text,
    Bool,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    /// `numeric`: its text, cast on to the Decimal type by DataFusion.
    Numeric,
}

impl Target {
    fn of(data_type: &DataType) -> Option<Target> {
        Some(match data_type {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Target::Text,
            DataType::Boolean => Target::Bool,
            DataType::Int16 => Target::Int2,
            DataType::Int32 => Target::Int4,
            DataType::Int64 => Target::Int8,
            DataType::Float32 => Target::Float4,
            DataType::Float64 => Target::Float8,
            DataType::Decimal128(..) | DataType::Decimal256(..) => Target::Numeric,
            _ => return None,
        })
    }

    fn data_type(self) -> DataType {
        match self {
            Target::Text | Target::Numeric => DataType::Utf8,
            Target::Bool => DataType::Boolean,
            Target::Int2 => DataType::Int16,
            Target::Int4 => DataType::Int32,
            Target::Int8 => DataType::Int64,
            Target::Float4 => DataType::Float32,
            Target::Float8 => DataType::Float64,
        }
    }
}

/// `jsonb_cast`: a jsonb value as another type.
#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonbCast {
    target: Target,
    signature: Signature,
}

impl ScalarUDFImpl for JsonbCast {
    fn name(&self) -> &str {
        "jsonb_cast"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(self.target.data_type())
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> DfResult<FieldRef> {
        Ok(Arc::new(Field::new(
            self.name(),
            self.target.data_type(),
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let (Some(arg), Some(field)) = (args.args.first(), args.arg_fields.first()) else {
            return exec_err!("jsonb_cast takes one argument");
        };
        let array = arg.to_array(args.number_rows)?;
        let values = (0..args.number_rows)
            .map(|row| match Arg::read(&array, field, row)? {
                Arg::Null => Ok(None),
                value => value.jsonb().map(Some),
            })
            .collect::<DfResult<Vec<_>>>()?;
        let out: ArrayRef = match self.target {
            Target::Text => Arc::new(
                values
                    .iter()
                    .map(|v| v.as_ref().map(|v| v.to_text()))
                    .collect::<StringArray>(),
            ),
            Target::Numeric => Arc::new(
                values
                    .iter()
                    .map(|v| {
                        v.as_ref()
                            .map(|v| pg(pj::to_numeric(v, "numeric")).map(|n| n.to_string()))
                            .transpose()
                    })
                    .collect::<DfResult<StringArray>>()?,
            ),
            Target::Bool => Arc::new(convert::<BooleanArray, _>(&values, pj::to_bool)?),
            Target::Int2 => Arc::new(convert::<Int16Array, _>(&values, pj::to_i16)?),
            Target::Int4 => Arc::new(convert::<Int32Array, _>(&values, pj::to_i32)?),
            Target::Int8 => Arc::new(convert::<Int64Array, _>(&values, pj::to_i64)?),
            Target::Float4 => Arc::new(convert::<Float32Array, _>(&values, pj::to_f32)?),
            Target::Float8 => Arc::new(convert::<Float64Array, _>(&values, pj::to_f64)?),
        };
        Ok(ColumnarValue::Array(out))
    }
}

fn convert<A, T>(
    values: &[Option<mindoodb_pgfn::Jsonb>],
    f: fn(&mindoodb_pgfn::Jsonb) -> mindoodb_pgfn::Result<T>,
) -> DfResult<A>
where
    A: FromIterator<Option<T>>,
{
    values
        .iter()
        .map(|v| v.as_ref().map(|v| pg(f(v))).transpose())
        .collect()
}

/// Rewrites casts to and from jsonb into the functions above.
#[derive(Debug)]
pub(crate) struct JsonbCasts;

impl AnalyzerRule for JsonbCasts {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> DfResult<LogicalPlan> {
        // A node's schema was computed from its old expressions: a cast of a jsonb value
        // kept the jsonb mark of its input until the node's fields are derived again.
        rewrite_expressions(plan, true, |e, schema| match e {
            Expr::Cast(cast) => rewrite_cast(cast, schema),
            other => Ok(Transformed::no(other)),
        })
    }

    fn name(&self) -> &str {
        "jsonb_casts"
    }
}

fn rewrite_cast(cast: Cast, schema: &DFSchema) -> DfResult<Transformed<Expr>> {
    let call = |udf: Arc<ScalarUDF>, arg: Expr| {
        Expr::ScalarFunction(ScalarFunction::new_udf(udf, vec![arg]))
    };
    if is_jsonb(&cast.field) {
        return Ok(Transformed::yes(call(JsonbIn::udf(), *cast.expr)));
    }
    let from_jsonb = cast
        .expr
        .to_field(schema)
        .is_ok_and(|(_, field)| is_jsonb(&field));
    if !from_jsonb {
        return Ok(Transformed::no(Expr::Cast(cast)));
    }
    let Some(target) = Target::of(cast.field.data_type()) else {
        let to = PgType::of_field(&cast.field)
            .and_then(|t| format_type(t.oid(), None))
            .unwrap_or_else(|| cast.field.data_type().to_string());
        return Err(Error::CannotCoerce(format!("jsonb to {to}")).into_datafusion());
    };
    let udf = Arc::new(ScalarUDF::new_from_impl(JsonbCast {
        target,
        signature: Signature::any(1, Volatility::Immutable),
    }));
    let converted = call(udf, *cast.expr);
    Ok(Transformed::yes(
        if &target.data_type() == cast.field.data_type() {
            converted
        } else {
            Expr::Cast(Cast {
                expr: Box::new(converted),
                field: cast.field,
            })
        },
    ))
}
