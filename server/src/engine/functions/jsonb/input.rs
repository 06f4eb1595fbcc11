//! jsonb input: `x::jsonb` (and `CAST(x AS jsonb)`, `json`) runs PostgreSQL's `jsonb_in`, so
//! text that is not PostgreSQL's JSON is 22P02 and every jsonb value is PostgreSQL's
//! canonical text (sorted unique keys, its spacing, numbers exactly as written).
//!
//! Invariants:
//! - `jsonb_in` of a jsonb value is that value; of text, pgfn's parse and output; of any other
//!   type, PostgreSQL's "cannot cast type" error (42846).

use std::sync::Arc;

use datafusion::arrow::array::StringArray;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result as DfResult, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

use super::args::{Arg, parse};
use crate::catalog::format_type;
use crate::error::Error;
use crate::output::PgType;

/// `jsonb_in`: text to PostgreSQL's jsonb.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct JsonbIn {
    signature: Signature,
}

impl JsonbIn {
    pub(crate) fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(JsonbIn {
            signature: Signature::any(1, Volatility::Immutable),
        }))
    }
}

impl ScalarUDFImpl for JsonbIn {
    fn name(&self) -> &str {
        "jsonb_in"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> DfResult<FieldRef> {
        Ok(Arc::new(PgType::Jsonb.field(self.name(), true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let (Some(arg), Some(field)) = (args.args.first(), args.arg_fields.first()) else {
            return exec_err!("jsonb_in takes one argument");
        };
        let array = arg.to_array(args.number_rows)?;
        let out = (0..args.number_rows)
            .map(|row| match Arg::read(&array, field, row)? {
                Arg::Null => Ok(None),
                Arg::Jsonb(text) => Ok(Some(text)),
                Arg::Text(text) => Ok(Some(parse(&text)?.to_text())),
                _ => {
                    let from = PgType::of_field(field)
                        .and_then(|t| format_type(t.oid(), None))
                        .unwrap_or_else(|| field.data_type().to_string());
                    Err(Error::CannotCoerce(format!("{from} to jsonb")).into_datafusion())
                }
            })
            .collect::<DfResult<StringArray>>()?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}
