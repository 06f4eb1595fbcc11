//! PostgreSQL 15's `to_char(value, text)` as one DataFusion function, delegating to
//! `mindoodb-pgfn`'s formatting.c port: `timestamp`, `timestamptz`, `date`, `interval` and the
//! numbers (`int2`/`int4`, `int8`, `float4`, `float8`, `numeric`).
//!
//! Invariants:
//! - Strict: a NULL value or template gives NULL.
//! - A `date` formats as the `timestamp` at its midnight, as PostgreSQL casts it.
//! - `timestamptz` formats in the session's default zone, UTC (the only one served today).
//! - Errors are pgfn's, which are PostgreSQL's conditions and messages.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Float32Type, Float64Type, Int32Type, Int64Type, IntervalMonthDayNanoType,
    IntervalUnit, TimeUnit,
};
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::common::{Result as DfResult, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use mindoodb_pgfn::datetime::{Context, Interval, Timestamp, TimestampTz, Zone};
use mindoodb_pgfn::format;

use crate::error::Error;

/// Microseconds from 1970-01-01 (Arrow's epoch) to 2000-01-01 (PostgreSQL's).
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
/// Days from 1970-01-01 to 2000-01-01.
const PG_EPOCH_DAYS: i64 = 10_957;
const MICROS_PER_DAY: i64 = 86_400_000_000;

fn pg<T>(result: mindoodb_pgfn::Result<T>) -> DfResult<T> {
    result.map_err(|err| Error::Pg(err).into_datafusion())
}

/// `to_char(value, template)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct ToChar {
    signature: Signature,
}

impl ToChar {
    pub(crate) fn udf() -> ScalarUDF {
        ScalarUDF::new_from_impl(ToChar {
            signature: Signature::any(2, Volatility::Stable),
        })
    }
}

impl ScalarUDFImpl for ToChar {
    fn name(&self) -> &str {
        "to_char"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> DfResult<DataType> {
        match arg_types.first() {
            Some(
                DataType::Timestamp(..)
                | DataType::Date32
                | DataType::Date64
                | DataType::Interval(_)
                | DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::Float32
                | DataType::Float64
                | DataType::Decimal128(..)
                | DataType::Decimal256(..)
                | DataType::Null,
            ) => Ok(DataType::Utf8),
            other => plan_err!("function to_char({other:?}, text) does not exist"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let [value, template] = args.args.as_slice() else {
            return exec_err!("to_char takes two arguments");
        };
        let rows = args.number_rows;
        let value = value.to_array(rows)?;
        let template = cast(&template.to_array(rows)?, &DataType::Utf8)?;
        let template = template.as_string::<i32>();
        let format = Formatter::of(&value)?;
        let out = (0..rows)
            .map(|row| {
                if value.is_null(row) || template.is_null(row) {
                    return Ok(None);
                }
                format.row(row, template.value(row))
            })
            .collect::<DfResult<StringArray>>()?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

/// The value column, normalised to the one Arrow shape per PostgreSQL type that pgfn reads.
enum Formatter {
    Timestamp(TimestampMicrosecondArray),
    TimestampTz(TimestampMicrosecondArray, Context),
    Interval(ArrayRef),
    Int4(ArrayRef),
    Int8(ArrayRef),
    Float4(ArrayRef),
    Float8(ArrayRef),
    Numeric(ArrayRef),
    Null,
}

impl Formatter {
    fn of(value: &ArrayRef) -> DfResult<Formatter> {
        let micros = |tz: Option<Arc<str>>| -> DfResult<TimestampMicrosecondArray> {
            let cast = cast(value, &DataType::Timestamp(TimeUnit::Microsecond, tz))?;
            Ok(cast.as_primitive().clone())
        };
        Ok(match value.data_type() {
            DataType::Timestamp(_, None) => Formatter::Timestamp(micros(None)?),
            DataType::Timestamp(_, Some(tz)) => Formatter::TimestampTz(
                micros(Some(tz.clone()))?,
                Context::new(pg(Zone::from_setting("UTC"))?, TimestampTz(0)),
            ),
            DataType::Date32 | DataType::Date64 => {
                let days = cast(value, &DataType::Date32)?;
                let days = days.as_primitive::<datafusion::arrow::datatypes::Date32Type>();
                Formatter::Timestamp(
                    days.unary(|d| {
                        (i64::from(d) - PG_EPOCH_DAYS) * MICROS_PER_DAY + PG_EPOCH_MICROS
                    }),
                )
            }
            DataType::Interval(_) => Formatter::Interval(cast(
                value,
                &DataType::Interval(IntervalUnit::MonthDayNano),
            )?),
            DataType::Int8 | DataType::Int16 | DataType::Int32 => {
                Formatter::Int4(cast(value, &DataType::Int32)?)
            }
            DataType::Int64 => Formatter::Int8(value.clone()),
            DataType::Float32 => Formatter::Float4(value.clone()),
            DataType::Float64 => Formatter::Float8(value.clone()),
            DataType::Decimal128(..) | DataType::Decimal256(..) => {
                Formatter::Numeric(value.clone())
            }
            DataType::Null => Formatter::Null,
            other => return exec_err!("function to_char({other:?}, text) does not exist"),
        })
    }

    fn row(&self, row: usize, fmt: &str) -> DfResult<Option<String>> {
        match self {
            Formatter::Timestamp(a) => pg(format::timestamp_to_char(
                Timestamp(a.value(row).saturating_sub(PG_EPOCH_MICROS)),
                fmt,
            )),
            Formatter::TimestampTz(a, ctx) => pg(format::timestamptz_to_char(
                TimestampTz(a.value(row).saturating_sub(PG_EPOCH_MICROS)),
                fmt,
                ctx,
            )),
            Formatter::Interval(a) => {
                let v = a.as_primitive::<IntervalMonthDayNanoType>().value(row);
                let span = Interval {
                    months: v.months,
                    days: v.days,
                    micros: v.nanoseconds / 1000,
                };
                pg(format::interval_to_char(span, fmt))
            }
            Formatter::Int4(a) => pg(format::int4_to_char(
                a.as_primitive::<Int32Type>().value(row),
                fmt,
            ))
            .map(Some),
            Formatter::Int8(a) => pg(format::int8_to_char(
                a.as_primitive::<Int64Type>().value(row),
                fmt,
            ))
            .map(Some),
            Formatter::Float4(a) => pg(format::float4_to_char(
                a.as_primitive::<Float32Type>().value(row),
                fmt,
            ))
            .map(Some),
            Formatter::Float8(a) => pg(format::float8_to_char(
                a.as_primitive::<Float64Type>().value(row),
                fmt,
            ))
            .map(Some),
            Formatter::Numeric(a) => pg(format::numeric_to_char(
                &array_value_to_string(a, row)?,
                fmt,
            ))
            .map(Some),
            Formatter::Null => Ok(None),
        }
    }
}
